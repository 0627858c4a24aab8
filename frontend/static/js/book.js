// Book an appointment: service -> needs -> branch -> week of free times -> details -> check.
import {
  CJ, T, api, athensDate, el, fmt, formatDateTime, lang, name, newKey, radios, ready, serverNow,
  showProblem,
} from "./api.js";
import { fillForm, journey, summaryList } from "./journey.js";
import { weekView } from "./week.js";

const services = api("GET", "/services").then((r) => (r.ok ? r.data : []));
const serviceOf = async (id) => (await services).find((s) => s.id === id);
const today = serverNow().then(athensDate);
let branches = [];
const ACCOMMODATIONS = ["longer_slot", "interpreter", "sign_language", "step_free_access"];
const accommodationsOf = (state) => ACCOMMODATIONS.filter((a) => state[`acc.${a}`]);
const P = T.promises;
const NOTE_MAX = 200;
// A language's name: letters, with spaces, hyphens or brackets between words (as the API).
const LANGUAGE = /^[\p{L}]+(?:[ \-()][\p{L}]*\)?)*$/u;

/** The interpreter's language is asked only when an interpreter is chosen. */
function syncNeeds(form) {
  const wanted = form.elements["acc.interpreter"].checked;
  form.querySelector("#interpreter-language").hidden = !wanted;
  form.elements["acc.interpreter"].setAttribute("aria-expanded", String(wanted));
  countNote(form.elements.accommodation_note);
}

/** The design system's character count: what is left, or how many too many. */
function countNote(note) {
  const left = NOTE_MAX - note.value.length;
  const count = document.getElementById(`${note.id}-count`);
  count.textContent = left >= 0 ? fmt(P.chars_left, { n: left }) : fmt(P.chars_over, { n: -left });
  count.classList.toggle("govgr-error-message", left < 0);
}

function needsErrors(values) {
  const errors = [];
  const language = values.interpreter_language;
  if (values["acc.interpreter"] && !(language.length >= 2 && language.length <= 40 && LANGUAGE.test(language))) {
    errors.push({ field: "interpreter_language", message: T.page.promises.interpreter_language_required });
  }
  if (values.accommodation_note.length > NOTE_MAX) {
    errors.push({ field: "accommodation_note", message: T.page.promises.accommodation_note_too_long });
  }
  return errors;
}

/** What the citizen asked for at the appointment, in words. */
function helpAsked(state) {
  const asked = accommodationsOf(state).map((a) => T.acc[a] || P[a]);
  if (state["acc.interpreter"] && state.interpreter_language) {
    asked.push(`${P.interpreter_language}: ${state.interpreter_language}`);
  }
  return asked.join(", ");
}
let week = null;

function needsBody(state) {
  const body = {};
  if (state["acc.interpreter"] && state.interpreter_language) body.interpreter_language = state.interpreter_language;
  if (state.accommodation_note) body.accommodation_note = state.accommodation_note;
  return body;
}

const needsForm = document.querySelector('form[data-step="needs"]');
needsForm.addEventListener("change", () => syncNeeds(needsForm));
needsForm.elements.accommodation_note.addEventListener("input", (event) => countNote(event.target));

const flow = journey({
  key: "book",
  title: document.querySelector("h1").textContent,
  steps: [
    {
      id: "service",
      changesLater: true,
      async enter(form, state) {
        radios(form.querySelector('[data-radios="service"]'), "service", (await services).map((s) => ({
          value: s.id, label: name(s.name), hint: T.page.duration.replace("{n}", s.duration_minutes),
        })), { checked: state.service });
      },
      async submit(form, state) {
        const service = await serviceOf(state.service);
        if (service.modes.length === 1) state.mode = service.modes[0];
        return true;
      },
    },
    {
      id: "needs",
      changesLater: true,
      async enter(form, state) {
        const service = await serviceOf(state.service);
        const both = service && service.modes.length > 1;
        form.querySelector("[data-modes]").hidden = !both;
        for (const input of form.querySelectorAll('[name="mode"]')) {
          if (both) input.dataset.required = T.page.mode_required;
          else delete input.dataset.required;
        }
        fillForm(form, state);
        syncNeeds(form);
      },
      validate: needsErrors,
      async submit(form, state) {
        const service = await serviceOf(state.service);
        if (service.modes.length === 1) state.mode = service.modes[0];
        return true;
      },
    },
    {
      id: "branch",
      changesLater: true,
      async enter(form, state) {
        const params = new URLSearchParams({ service: state.service, mode: state.mode || "in_person" });
        const acc = accommodationsOf(state);
        if (acc.length) params.set("accommodations", acc.join(","));
        const result = await api("GET", `/branches?${params}`);
        branches = result.ok ? result.data : [];
        const container = form.querySelector('[data-radios="branch"]');
        if (!branches.length) {
          container.replaceChildren(el("p", { class: "govgr-body" }, T.page.no_branches));
          return;
        }
        radios(container, "branch", branches.map((b) => ({
          value: b.id, label: name(b.name), hint: b.address,
        })), { checked: state.branch });
      },
    },
    {
      id: "time",
      async enter(form, state) {
        week = week || weekView(form, {
          today: await today,
          query: () => ({
            branch: flow.state.branch, service: flow.state.service, mode: flow.state.mode,
            accommodations: accommodationsOf(flow.state),
          }),
        });
        await week.show(state.start);
      },
    },
    {
      id: "details",
      validate(values) {
        if (values["citizen.email"] || values["citizen.phone"]) return [];
        return [{ field: "citizen.email", message: CJ.booking_contact_required }];
      },
    },
    {
      id: "check",
      async enter(form, state) {
        const service = await serviceOf(state.service);
        const branch = branches.find((b) => b.id === state.branch);
        summaryList(form.querySelector("[data-summary]"), [
          { label: T.service, value: name(service?.name), step: "service" },
          { label: T.mode, value: T.modes[state.mode], step: "needs" },
          { label: T.accommodations, value: helpAsked(state), step: "needs" },
          { label: P.accommodation_note, value: state.accommodation_note, step: "needs" },
          { label: T.branch, value: branch ? `${name(branch.name)}, ${branch.address}` : state.branch, step: "branch" },
          { label: T.time, value: formatDateTime(state.start), step: "time" },
          { label: T.full_name, value: state["citizen.full_name"], step: "details" },
          { label: T.amka, value: state["citizen.amka"], step: "details" },
          { label: T.email, value: state["citizen.email"], step: "details" },
          { label: T.phone, value: state["citizen.phone"], step: "details" },
        ], (step) => flow.change(step));
      },
      async submit(form, state) {
        state._key = state._key || newKey();
        const citizen = { full_name: state["citizen.full_name"], amka: state["citizen.amka"] };
        for (const f of ["email", "phone"]) if (state[`citizen.${f}`]) citizen[f] = state[`citizen.${f}`];
        const result = await api("POST", "/bookings", {
          idempotent: state._key,
          body: {
            branch: state.branch, service: state.service, start: state.start,
            mode: state.mode || "in_person", language: lang, citizen,
            accommodations: accommodationsOf(state), ...needsBody(state),
          },
        });
        if (!result.ok) {
          // A place taken meanwhile: a new key, so the next try is a new booking.
          if (result.status === 409) state._key = null;
          showProblem(result.problem, { reveal: flow.reveal });
          return false;
        }
        flow.finish({ receipt: result.data });
        return false;
      },
    },
    {
      id: "done",
      enter(form, state) {
        const r = state.receipt;
        if (!r) return;
        const out = (k) => form.querySelector(`[data-out="${k}"]`);
        out("code").textContent = r.code;
        out("when").textContent = formatDateTime(r.start);
        const video = r.mode === "video";
        out("where").textContent = video ? T.modes.video : `${name(r.branch.name)}, ${r.branch.address}`;
        form.querySelector("[data-video]").hidden = !(video && r.join_url);
        form.querySelector("[data-in-person]").hidden = video;
        if (r.join_url) out("join").href = r.join_url;
        const token = encodeURIComponent(r.manage_token);
        // The calendar link sits in a URL, so it carries the read-only calendar token.
        const ics = encodeURIComponent(r.calendar_token);
        out("ics").href = `/api/v1/bookings/${encodeURIComponent(r.code)}/calendar.ics?token=${ics}`;
        out("manage").href = `/${lang}/appointments/#code=${encodeURIComponent(r.code)}&token=${token}`;
      },
    },
  ],
});
ready();
