// The public transparency page: figures per agency and the first free appointments.
import { T, api, el, fmt, formatDateTime, lang, name, ready, showProblem } from "./api.js";
import { barChart } from "./bars.js";

const P = T.page;
const cell = (text) => el("td", { class: "govgr-table__cell" }, text);
const percent = (v) => (v === null ? P.not_yet
  : `${(v * 100).toLocaleString(lang === "en" ? "en-GB" : "el-GR", { maximumFractionDigits: 1 })}%`);

const [figures, services] = await Promise.all([
  api("GET", "/public/transparency"), api("GET", "/services"),
]);
if (!figures.ok) showProblem(figures.problem);
else {
  const data = figures.data;
  const serviceNames = Object.fromEntries((services.ok ? services.data : []).map((s) => [s.id, s.name]));
  document.querySelector("#agencies tbody").replaceChildren(...data.agencies.map((a) =>
    el("tr", { class: "govgr-table__row", "data-agency": a.id },
      el("th", { class: "govgr-table__header", scope: "row" }, name(a.name)),
      cell(percent(a.sla_resolution)),
      cell(a.median_hours_to_answer === null ? P.not_yet : fmt(P.hours, { n: a.median_hours_to_answer })),
      cell(String(a.cases_last_30_days)))));
  const max = Math.max(1, ...data.agencies.map((a) => a.cases_last_30_days));
  document.getElementById("volume").replaceChildren(barChart(P.chart_title, "", data.agencies.map((a) =>
    ({ label: name(a.name).split(" (")[0], value: a.cases_last_30_days, text: String(a.cases_last_30_days) })), max));
  document.querySelector("#branches tbody").replaceChildren(...data.branches.flatMap((b) =>
    b.services.map((s) => el("tr", { class: "govgr-table__row", "data-branch": b.id, "data-service": s.id },
      el("th", { class: "govgr-table__header", scope: "row" }, name(b.name)),
      cell(name(serviceNames[s.id]) || s.id),
      cell(s.next_free ? formatDateTime(s.next_free) : P.no_slot)))));
  document.getElementById("generated").textContent = fmt(P.generated_at, { when: formatDateTime(data.generated_at) });
}
ready();
