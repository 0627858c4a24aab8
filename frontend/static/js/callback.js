// Ask to be called back: agency -> day (or as soon as possible) -> window -> phone -> check.
import {
  CJ, T, addDays, api, athensDate, dayLabel, el, fmt, formatDateTime, formatTime, fragment, lang, name,
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
// Windows are offered two weeks ahead; only days with a free one are offered.
const HORIZON_DAYS = 14;
const SHOWN_DAYS = 7;

async function freeWindows(agency, day) {
  const params = new URLSearchParams({ agency, date: day });
  const result = await api("GET", `/callback-windows?${params}`);
  return result.ok ? result.data.filter((w) => w.remaining > 0) : [];
}

/** The days (from `from` on) that still have a free window, at most SHOWN_DAYS of them. */
async function daysWithWindows(agency, from) {
  const days = [...Array(HORIZON_DAYS).keys()].map((i) => addDays(from, i));
  const free = await Promise.all(days.map((d) => freeWindows(agency, d)));
  return days.filter((_, i) => free[i].length).slice(0, SHOWN_DAYS);
}

const flow = journey({
  key: "callback",
  title: document.querySelector("h1").textContent,
  steps: [
    {
      id: "agency",
      changesLater: true,
      async enter(form, state) {
        radios(form.querySelector('[data-radios="agency"]'), "agency",
          (await agencies).map((a) => ({ value: a.id, label: name(a.name) })), { checked: state.agency });
      },
    },
    {
      id: "day",
      changesLater: true,
      async enter(form, state) {
        const container = form.querySelector('[data-radios="day"]');
        const days = await daysWithWindows(state.agency, await today);
        radios(container, "day", [
          { value: "asap", label: T.page.asap_day },
          ...days.map((d) => ({ value: d, label: dayLabel(d) })),
        ], { checked: state.day });
        if (!days.length) container.append(el("p", { class: "govgr-hint" }, CJ.callback_no_days));
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
        windows = await freeWindows(state.agency, state.day);
        const container = form.querySelector('[data-radios="window_start"]');
        if (!windows.length) {
          // Taken meanwhile: nothing to choose here, so offer the next day that has a window.
          const [next] = await daysWithWindows(state.agency, addDays(state.day, 1));
          container.replaceChildren(el("p", { class: "govgr-body" }, T.page.no_windows),
            next ? el("button", {
              type: "button", class: "govgr-btn govgr-btn-secondary", "data-day-offer": true,
              onclick: () => { state.day = next; state.window_start = ""; flow.save(); flow.show("window"); },
            }, fmt(CJ.window_next_day, { day: dayLabel(next) })) : null);
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
        ].filter(Boolean), (step) => flow.change(step));
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
