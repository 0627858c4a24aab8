// A week of free appointment times (Monday to Sunday) with previous/next week buttons.
import { T, addDays, api, athensDate, dayLabel, el, fmt, formatTime, showProblem } from "./api.js";

const mondayOf = (ymd) => {
  const day = new Date(`${ymd}T12:00:00Z`).getUTCDay();
  return addDays(ymd, -((day + 6) % 7));
};

/**
 * form: holds [data-week-days], [data-week-label] and [data-week] buttons.
 * query(): {branch, service, mode, accommodations} of the booking.
 */
export function weekView(form, { today, query, name = "start" }) {
  const container = form.querySelector("[data-week-days]");
  const label = form.querySelector("[data-week-label]");
  const first = mondayOf(today);
  let monday = first;
  let chosen = null;

  async function render() {
    const to = addDays(monday, 6);
    label.textContent = fmt(T.week_from, { from: dayLabel(monday), to: dayLabel(to) });
    form.querySelector('[data-week="-1"]').disabled = monday <= first;
    container.replaceChildren(el("p", { class: "govgr-body" }, T.loading));
    const q = query();
    const params = new URLSearchParams({ service: q.service, from: monday, to, mode: q.mode || "in_person" });
    if (q.accommodations && q.accommodations.length) params.set("accommodations", q.accommodations.join(","));
    const result = await api("GET", `/branches/${encodeURIComponent(q.branch)}/availability?${params}`);
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
      container.replaceChildren(el("p", { class: "govgr-body" }, T.no_times));
      return;
    }
    const required = container.dataset.requiredMessage;
    let i = 0;
    container.replaceChildren(...[...byDay.entries()].map(([day, slots]) => el("div", { class: "day" },
      el("h3", { class: "govgr-heading-s", id: `day-${day}` }, dayLabel(day)),
      el("div", { class: "govgr-radios", role: "group", "aria-labelledby": `day-${day}` }, slots.map((slot) => {
        const id = `f-${name}-${i++}`;
        return el("div", { class: "govgr-radios__item" },
          el("input", {
            class: "govgr-radios__input", type: "radio", id, name, value: slot.start,
            "data-required": required, checked: slot.start === chosen,
          }),
          el("label", { class: "govgr-radios__label", for: id }, formatTime(slot.start)));
      })))));
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
