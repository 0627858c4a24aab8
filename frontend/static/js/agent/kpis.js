// Supervisors: service-quality figures for a period, with charts drawn from the data.
import { BASE, T, addDays, athensDate, el, fmt, lang, name, ready, serverNow, showProblem, clearErrors, api } from "../api.js";
import { barChart } from "../bars.js";
import { call, session } from "./console.js";

const K = T.page;
const REFERENCE = { 1: 0.844, 2: 0.128, 3: 0.028 };
const { token } = await session();
const form = document.getElementById("period");
const out = document.getElementById("figures");
const [now, agencies] = await Promise.all([serverNow(), api("GET", "/agencies")]);
const today = athensDate(now);
form.elements.to.value = today;
form.elements.from.value = addDays(today, -6);
for (const agency of agencies.ok ? agencies.data : []) {
  form.elements.agency.append(el("option", { value: agency.id }, name(agency.name)));
}

const percent = (v) => (v === null || v === undefined ? T.none
  : `${(v * 100).toLocaleString(lang === "en" ? "en-GB" : "el-GR", { maximumFractionDigits: 1 })}%`);
const number = (v) => (v === null || v === undefined ? T.none : String(v));

function query(format) {
  const params = new URLSearchParams({ from: form.elements.from.value, to: form.elements.to.value });
  if (form.elements.agency.value) params.set("agency", form.elements.agency.value);
  if (format) params.set("format", format);
  return `/supervisor/kpis?${params}`;
}

function summary(rows) {
  return el("dl", { class: "govgr-summary-list" }, rows.map(([key, value]) =>
    el("div", { class: "govgr-summary-list__row", "data-figure": key },
      el("dt", { class: "govgr-summary-list__key" }, K[key]),
      el("dd", { class: "govgr-summary-list__value" }, value))));
}

function section(title, ...children) {
  return el("section", { class: "kpi-section" }, el("h2", { class: "govgr-heading-m" }, title), ...children);
}

function tierChart(cases) {
  const rows = [];
  for (const tier of ["1", "2", "3"]) {
    const label = fmt(K.tier, { n: tier });
    const share = cases.tier_share[tier];
    rows.push({ label: `${label}, ${K.this_period}`, value: share || 0, text: percent(share) });
    rows.push({ label: `${label}, ${K.reference}`, value: REFERENCE[tier], text: percent(REFERENCE[tier]), reference: true });
  }
  return barChart(K.tiers_title, K.tiers_desc, rows, 1);
}

function countChart(title, entries) {
  const max = Math.max(1, ...entries.map(([, v]) => v));
  return barChart(title, "", entries.map(([label, v]) => ({ label, value: v, text: String(v) })), max);
}

function render(data) {
  const c = data.cases;
  const a = data.appointments;
  const cb = data.callbacks;
  const s = data.satisfaction;
  out.replaceChildren(
    section(K.cases, summary([
      ["opened", number(c.opened)], ["resolved", number(c.resolved)],
      ["first_contact_resolution", percent(c.first_contact_resolution)],
      ["sla_first_response", percent(c.sla_first_response)], ["sla_resolution", percent(c.sla_resolution)],
      ["median_hours_to_resolve", number(c.median_hours_to_resolve)],
      ["p90_hours_to_resolve", number(c.p90_hours_to_resolve)], ["backlog", number(c.backlog)],
      ["escalations_deadline", number(c.escalations.deadline)],
      ["escalations_manual", number(c.escalations.manual)], ["breached", number(c.breached)],
    ]), el("h3", { class: "govgr-heading-s" }, K.tiers_title), tierChart(c)),
    section(K.callbacks, summary([
      ["requested", number(cb.requested)], ["reached", number(cb.reached)],
      ["reached_first_try", number(cb.reached_first_try)], ["unreachable", number(cb.unreachable)],
      ["missed_windows", number(cb.missed_windows)],
    ])),
    section(K.appointments, countChart(K.appointments, [
      [K.booked, a.booked], [K.served, a.served], [K.no_show, a.no_show], [K.cancelled, a.cancelled],
    ]), summary([["utilisation", percent(a.utilisation)]])),
    section(K.satisfaction, summary([["responses", number(s.responses)], ["average", number(s.average)]]),
      countChart(K.satisfaction, ["1", "2", "3", "4", "5"].map((n) => [fmt(K.score, { n }), s.distribution[n]]))),
  );
}

async function show() {
  clearErrors();
  const result = await call("GET", query());
  if (result.ok) render(result.data);
  else if (result.status === 403) out.replaceChildren(el("p", { class: "govgr-body" }, T.agent.no_access));
  else showProblem(result.problem);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  show();
});

// The CSV needs the bearer token too: fetched here and handed to the browser as a file.
document.getElementById("csv").addEventListener("click", async () => {
  const response = await fetch(BASE + query("csv"), {
    headers: { Authorization: `Bearer ${token}`, "Accept-Language": lang },
  });
  if (!response.ok) return show();
  const link = el("a", {
    href: URL.createObjectURL(await response.blob()),
    download: `kpis-${form.elements.from.value}-${form.elements.to.value}.csv`,
  });
  document.body.append(link);
  link.click();
  link.remove();
});

await show();
ready();
