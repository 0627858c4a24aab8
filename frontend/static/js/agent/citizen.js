// Citizen look-up: one identifier and a reason; every case, appointment and callback found.
import { T, clearErrors, el, formatDateTime, lang, name, ready, requiredErrors, showProblem } from "../api.js";
import { A, call, session } from "./console.js";

await session();
const form = document.getElementById("lookup");
const results = document.getElementById("results");

function describe(item) {
  if (item.subject) return item.subject;
  if (item.window) return `${formatDateTime(item.window.start)}`;
  if (item.service) return name(item.service.name || item.service);
  if (item.start) return formatDateTime(item.start);
  return "";
}

function link(item) {
  if (item.kind === "case") {
    return el("a", { class: "govgr-link", href: `/${lang}/agent/case/#ref=${encodeURIComponent(item.ref)}` }, item.ref);
  }
  return item.ref;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const errors = requiredErrors(form);
  if (errors.length) { showProblem({ title: "", errors }); return; }
  const params = new URLSearchParams({
    [form.elements.kind.value]: form.elements.value.value.trim(), reason: form.elements.reason.value.trim(),
  });
  const result = await call("GET", `/agent/citizens?${params}`);
  if (!result.ok) { results.replaceChildren(); showProblem(result.problem); return; }
  clearErrors();
  const items = result.data.items;
  if (!items.length) { results.replaceChildren(el("p", { class: "govgr-body" }, T.page.none)); return; }
  const th = (t) => el("th", { class: "govgr-table__header", scope: "col" }, t);
  const td = (v) => el("td", { class: "govgr-table__cell" }, v);
  results.replaceChildren(el("table", { class: "govgr-table govgr-table--dense" },
    el("caption", { class: "govgr-table__caption govgr-table__caption--m" }, T.page.title),
    el("thead", { class: "govgr-table__head" }, el("tr", { class: "govgr-table__row" },
      th(A.when), th(A.what), th(A.reference), th(T.agency), th(A.status), th(A.subject))),
    el("tbody", { class: "govgr-table__body" }, items.map((item) => el("tr", { class: "govgr-table__row", "data-kind": item.kind },
      td(formatDateTime(item.created_at)), td(A[item.kind] || item.kind), td(link(item)),
      td(item.agency || ""), td(T.status[item.status] || item.status || ""), td(describe(item)))))));
});
ready();
