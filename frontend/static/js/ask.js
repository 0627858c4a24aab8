// Ask a question: agency -> topic -> question -> details -> consent -> check -> confirmation.
import {
  CJ, T, api, fmt, formatDate, formatPromise, lang, name, newKey, radios, ready, showProblem,
} from "./api.js";
import { journey, summaryList } from "./journey.js";

const agencies = api("GET", "/agencies").then((r) => (r.ok ? r.data : []));
const agencyOf = async (id) => (await agencies).find((a) => a.id === id);

const flow = journey({
  key: "ask",
  title: document.querySelector("h1").textContent,
  steps: [
    {
      id: "agency",
      changesLater: true,
      async enter(form, state) {
        const list = await agencies;
        radios(form.querySelector('[data-radios="agency"]'), "agency",
          list.map((a) => ({ value: a.id, label: name(a.name) })), { checked: state.agency });
      },
      submit(form, state) {
        if (state.agency !== state._topicsOf) { state.topic = ""; state._topicsOf = state.agency; }
        return true;
      },
    },
    {
      id: "topic",
      async enter(form, state) {
        const agency = await agencyOf(state.agency);
        const topics = agency ? agency.topics : [];
        radios(form.querySelector('[data-radios="topic"]'), "topic",
          topics.map((t) => ({ value: t.id, label: name(t.name) })), { checked: state.topic });
      },
    },
    { id: "question" },
    {
      id: "details",
      validate(values) {
        if (values["citizen.email"] || values["citizen.phone"]) return [];
        return [{ field: "citizen.email", message: CJ.errors.contact }];
      },
    },
    { id: "consent" },
    {
      id: "check",
      async enter(form, state) {
        const agency = await agencyOf(state.agency);
        const topic = agency?.topics.find((t) => t.id === state.topic);
        summaryList(form.querySelector("[data-summary]"), [
          { label: T.agency, value: name(agency?.name), step: "agency" },
          { label: T.topic, value: name(topic?.name), step: "topic" },
          { label: T.subject, value: state.subject, step: "question" },
          { label: T.description, value: state.description, step: "question" },
          { label: T.full_name, value: state["citizen.full_name"], step: "details" },
          { label: T.email, value: state["citizen.email"], step: "details" },
          { label: T.phone, value: state["citizen.phone"], step: "details" },
          { label: T.amka, value: state["citizen.amka"], step: "details" },
          { label: T.afm, value: state["citizen.afm"], step: "details" },
          { label: T.consent, value: state.consent ? T.yes : T.no, step: "consent" },
        ], (step) => flow.change(step));
      },
      async submit(form, state) {
        state._key = state._key || newKey();
        const citizen = { full_name: state["citizen.full_name"] };
        for (const field of ["amka", "afm", "email", "phone"]) {
          if (state[`citizen.${field}`]) citizen[field] = state[`citizen.${field}`];
        }
        const result = await api("POST", "/cases", {
          idempotent: state._key,
          body: {
            agency: state.agency, topic: state.topic, subject: state.subject,
            description: state.description, language: lang, consent: Boolean(state.consent),
            citizen,
          },
        });
        if (!result.ok) {
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
        const receipt = state.receipt;
        if (!receipt) return;
        form.querySelector('[data-out="reference"]').textContent = receipt.reference;
        const due = form.querySelector('[data-out="due"]');
        due.textContent = fmt(due.dataset.template, { due: formatPromise(receipt.promised_by) });
        const statutory = form.querySelector('[data-out="statutory"]');
        statutory.textContent = fmt(statutory.dataset.template,
          { statutory: formatDate(receipt.statutory_due_at) });
        statutory.hidden = !receipt.statutory_due_at;
        const link = form.querySelector('[data-out="track"]');
        link.href = `/${lang}/track/#ref=${encodeURIComponent(receipt.reference)}` +
          `&token=${encodeURIComponent(receipt.tracking_token)}`;
      },
    },
  ],
});

document.querySelector("[data-restart]").addEventListener("click", (event) => {
  event.preventDefault();
  flow.reset();
});
ready();
