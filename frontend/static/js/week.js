// A week of free appointment times (Monday to Sunday) with previous/next week buttons: first a
// day of the week, then that day's times. A week with no free time offers the nearest that has.
import {
  CJ, T, addDays, api, athensDate, dayLabel, el, fmt, formatTime, showProblem,
} from "./api.js";

const mondayOf = (ymd) => {
  const day = new Date(`${ymd}T12:00:00Z`).getUTCDay();
  return addDays(ymd, -((day + 6) % 7));
};
// How far ahead to look for a week with free times (the booking horizon is 30 days).
const WEEKS_AHEAD = 8;

/**
 * form: holds [data-week-days], [data-week-label] and [data-week] buttons.
 * query(): {branch, service, mode, accommodations} of the booking.
 */
export function weekView(form, { today, query, name = "start" }) {
  const container = form.querySelector("[data-week-days]");
  const label = form.querySelector("[data-week-label]");
  const required = container.dataset.timeRequired;
  const first = mondayOf(today);
  let monday = first;
  let chosen = null;
  const uid = `${name}-${Math.random().toString(36).slice(2, 7)}`;

  async function slotsOf(from) {
    const q = query();
    const params = new URLSearchParams({
      service: q.service, from, to: addDays(from, 6), mode: q.mode || "in_person",
    });
    if (q.accommodations && q.accommodations.length) params.set("accommodations", q.accommodations.join(","));
    return api("GET", `/branches/${encodeURIComponent(q.branch)}/availability?${params}`);
  }

  /** The nearest week with a free time: later ones first, then earlier ones. */
  async function nearestWeek() {
    for (let i = 1; i <= WEEKS_AHEAD; i++) {
      const from = addDays(monday, 7 * i);
      const result = await slotsOf(from);
      if (!result.ok) return null;
      if (result.data.slots.length) return { from, later: true };
      if (from > addDays(first, 7 * WEEKS_AHEAD)) break;
    }
    for (let from = addDays(monday, -7); from >= first; from = addDays(from, -7)) {
      const result = await slotsOf(from);
      if (result.ok && result.data.slots.length) return { from, later: false };
    }
    return null;
  }

  function timesBox(slots, day) {
    const box = el("div", {
      class: "govgr-radios times", "data-required-message": required, "data-field": name,
    });
    if (!slots) {
      box.append(el("p", { class: "govgr-hint" }, CJ.choose_day_first));
      return box;
    }
    box.append(...slots.map((slot, i) => {
      const id = `f-${uid}-${day}-${i}`;
      return el("div", { class: "govgr-radios__item" },
        el("input", {
          class: "govgr-radios__input", type: "radio", id, name, value: slot.start,
          "data-required": required, checked: slot.start === chosen,
        }),
        el("label", { class: "govgr-radios__label", for: id }, formatTime(slot.start)));
    }));
    return box;
  }

  function showDay(byDay, day) {
    const slots = day ? byDay.get(day) : null;
    const fieldset = el("fieldset", { class: "govgr-fieldset", "data-times": true },
      el("legend", { class: "govgr-fieldset__legend govgr-heading-s" },
        day ? fmt(CJ.times_of, { day: dayLabel(day) }) : T.time),
      timesBox(slots, day));
    const old = container.querySelector("[data-times]");
    if (old) old.replaceWith(fieldset); else container.append(fieldset);
  }

  async function render() {
    const to = addDays(monday, 6);
    label.textContent = fmt(T.week_from, { from: dayLabel(monday), to: dayLabel(to) });
    form.querySelector('[data-week="-1"]').disabled = monday <= first;
    form.querySelector('[data-week="1"]').disabled = false;
    container.replaceChildren(el("p", { class: "govgr-body" }, T.loading));
    const result = await slotsOf(monday);
    if (!result.ok) {
      container.replaceChildren();
      showProblem(result.problem);
      return;
    }
    const byDay = new Map();
    for (const slot of result.data.slots) {
      const day = athensDate(slot.start);
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day).push(slot);
    }
    if (!byDay.size) {
      await renderEmpty();
      return;
    }
    const chosenDay = chosen && byDay.has(athensDate(chosen)) ? athensDate(chosen) : null;
    const days = el("fieldset", { class: "govgr-fieldset" },
      el("legend", { class: "govgr-fieldset__legend govgr-heading-s" }, CJ.day),
      el("div", { class: "govgr-radios days" }, [...byDay.entries()].map(([day, slots], i) => {
        const id = `f-${uid}-day-${i}`;
        return el("div", { class: "govgr-radios__item" },
          el("input", {
            class: "govgr-radios__input", type: "radio", id, name: "day", value: day, "data-transient": true,
            checked: day === chosenDay, "aria-describedby": `${id}-hint`,
            onchange: () => showDay(byDay, day),
          }),
          el("label", { class: "govgr-radios__label", for: id }, dayLabel(day)),
          el("p", { class: "govgr-hint radio-hint", id: `${id}-hint` },
            fmt(CJ.day_times, { n: slots.length })));
      })));
    container.replaceChildren(el("div", { class: "govgr-field" }, days));
    showDay(byDay, chosenDay);
  }

  async function renderEmpty() {
    const nearest = await nearestWeek();
    const parts = [];
    if (nearest) {
      const text = fmt(nearest.later ? CJ.week_next_free : CJ.week_last_free,
        { from: dayLabel(nearest.from), to: dayLabel(addDays(nearest.from, 6)) });
      parts.push(el("p", { class: "govgr-body" }, T.no_times.split(". ")[0] + "."),
        el("button", {
          type: "button", class: "govgr-btn govgr-btn-secondary", "data-week-offer": true,
          onclick: () => { monday = nearest.from; render().then(() => label.focus()); },
        }, text));
    } else {
      const lang = document.documentElement.lang;
      parts.push(el("p", { class: "govgr-body" }, CJ.no_times_ahead),
        el("p", { class: "govgr-body" },
          el("a", { class: "govgr-link", href: `/${lang}/callback/` }, CJ.callback_link)));
    }
    if (!nearest || nearest.later === false) form.querySelector('[data-week="1"]').disabled = true;
    // Nothing to choose: the step's check says so instead of moving on.
    container.replaceChildren(...parts, el("div", {
      class: "times", "data-required-message": required, "data-field": name,
    }));
  }

  for (const button of form.querySelectorAll("[data-week]")) {
    button.addEventListener("click", () => {
      monday = addDays(monday, 7 * Number(button.dataset.week));
      render();
    });
  }
  return {
    async show(selected) {
      chosen = selected || null;
      if (chosen) monday = mondayOf(athensDate(chosen));
      if (monday < first) monday = first;
      await render();
    },
  };
}
