// Ask to be called back: agency -> day (or as soon as possible) -> window -> phone -> check.
import {
  T, addDays, api, athensDate, dayLabel, el, fmt, formatDateTime, formatTime, fragment, lang, name,
  newKey, radios, ready, serverNow, showProblem,
} from "./api.js";
import { journey, summaryList } from "./journey.js";

// The confirmation message's link (#ref=..&token=..) opens the status page.
const given = fragment();
if (given.ref && given.token) location.replace(`/${lang}/callback/status/${location.hash}`);

const agencies = api("GET", "/agencies").then((r) => (r.ok ? r.data : []));
const today = serverNow().then(athensDate);
let windows = [];

const windowLabel = (w) => `${formatTime(w.start)}–${formatTime(w.end)}`;

const flow = journey({
  key: "callback",
  title: document.querySelector("h1").textContent,
  steps: [
    {
      id: "agency",
      async enter(form, state) {
        radios(form.querySelector('[data-radios="agency"]'), "agency",
          (await agencies).map((a) => ({ value: a.id, label: name(a.name) })), { checked: state.agency });
      },
    },
    {
      id: "day",
      async enter(form, state) {
        const first = await today;
        const days = [...Array(7).keys()].map((i) => addDays(first, i));
        radios(form.querySelector('[data-radios="day"]'), "day", [
          { value: "asap", label: T.page.asap_day },
          ...days.map((d) => ({ value: d, label: dayLabel(d) })),
        ], { checked: state.day });
      },
      submit(form, state) {
        if (state.day === "asap") state.window_start = "asap";
        else if (state.window_start === "asap") state.window_start = "";
        return true;
      },
    },
    {
      id: "window",
      when: (state) => state.day !== "asap",
      async enter(form, state) {
        const params = new URLSearchParams({ agency: state.agency, date: state.day });
        const result = await api("GET", `/callback-windows?${params}`);
        windows = result.ok ? result.data.filter((w) => w.remaining > 0) : [];
        const container = form.querySelector('[data-radios="window_start"]');
        if (!windows.length) {
          container.replaceChildren(el("p", { class: "govgr-body" }, T.page.no_windows));
          return;
        }
        radios(container, "window_start", windows.map((w) => ({
          value: w.start, label: windowLabel(w),
        })), { checked: state.window_start });
      },
    },
    { id: "phone" },
    {
      id: "check",
      async enter(form, state) {
        const agency = (await agencies).find((a) => a.id === state.agency);
        const asap = state.window_start === "asap";
        summaryList(form.querySelector("[data-summary]"), [
          { label: T.agency, value: name(agency?.name), step: "agency" },
          { label: T.day, value: asap ? T.asap : dayLabel(state.day), step: "day" },
          asap ? null : { label: T.window, value: formatDateTime(state.window_start), step: "window" },
          { label: T.phone, value: state.phone, step: "phone" },
          { label: T.case_reference, value: state.case_reference, step: "phone" },
        ].filter(Boolean), (step) => flow.show(step));
      },
      async submit(form, state) {
        state._key = state._key || newKey();
        const body = {
          agency: state.agency, window_start: state.window_start, phone: state.phone, language: lang,
        };
        if (state.case_reference) body.case_reference = state.case_reference;
        const result = await api("POST", "/callbacks", { idempotent: state._key, body });
        if (!result.ok) {
          if (result.status === 409) state._key = null;
          showProblem(result.problem, { reveal: flow.reveal });
          return false;
        }
        flow.finish({ receipt: result.data, phone: state.phone, asap: state.window_start === "asap" });
        return false;
      },
    },
    {
      id: "done",
      enter(form, state) {
        const r = state.receipt;
        if (!r) return;
        form.querySelector('[data-out="reference"]').textContent = r.reference;
        const when = form.querySelector('[data-out="when"]');
        when.textContent = fmt(when.dataset.window, {
          phone: state.phone, start: formatDateTime(r.window.start), end: formatTime(r.window.end),
        });
        form.querySelector('[data-out="status"]').href = `/${lang}/callback/status/` +
          `#ref=${encodeURIComponent(r.reference)}&token=${encodeURIComponent(r.token)}`;
      },
    },
  ],
});
ready();
