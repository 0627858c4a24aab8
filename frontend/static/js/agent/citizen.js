// Citizen look-up: one identifier and a reason; every case, appointment and callback found.
import {
  T, athensDate, clearErrors, el, formatDateTime, lang, name, ready, requiredErrors, showProblem,
} from "../api.js";
import { A, call, session } from "./console.js";
import { nameOf } from "./names.js";

await session();
const form = document.getElementById("lookup");
const results = document.getElementById("results");

async function describe(item) {
  if (item.subject) return item.subject;
  if (item.window) return `${formatDateTime(item.window.start)}`;
  if (item.service) {
    const what = item.service.name ? name(item.service.name) : await nameOf("services", item.service);
    const where = item.branch ? await nameOf("branches", item.branch) : "";
    return [what, where, formatDateTime(item.start)].filter(Boolean).join(", ");
  }
  if (item.start) return formatDateTime(item.start);
  return "";
}

/** Where the console shows the item: the case page, the callbacks list, the branch's day. */
function href(item) {
  const ref = encodeURIComponent(item.ref);
  if (item.kind === "case") return `/${lang}/agent/case/#ref=${ref}`;
  if (item.kind === "callback") return `/${lang}/agent/callbacks/#ref=${ref}`;
  if (item.kind === "booking" && item.branch) {
    const day = athensDate(item.start);
    return `/${lang}/agent/branch/#branch=${encodeURIComponent(item.branch)}&date=${day}&code=${ref}`;
  }
  return null;
}

function link(item) {
  const to = href(item);
  return to ? el("a", { class: "govgr-link", href: to }, item.ref) : item.ref;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const errors = requiredErrors(form);
  if (errors.length) { showProblem({ title: "", errors }); return; }
  // The identifier goes in the body: a URL ends up in logs and the browser's history.
  const body = {
    [form.elements.kind.value]: form.elements.value.value.trim(), reason: form.elements.reason.value.trim(),
  };
  const result = await call("POST", "/agent/citizens/search", { body });
  if (!result.ok) { results.replaceChildren(); showProblem(result.problem); return; }
  clearErrors();
  const items = result.data.items;
  if (!items.length) { results.replaceChildren(el("p", { class: "govgr-body" }, T.page.none)); return; }
  const th = (t) => el("th", { class: "govgr-table__header", scope: "col" }, t);
  const td = (v) => el("td", { class: "govgr-table__cell" }, v);
  const rows = await Promise.all(items.map(async (item) => [
    item, await describe(item), item.agency ? await nameOf("agencies", item.agency) : ""]));
  results.replaceChildren(el("table", { class: "govgr-table govgr-table--dense" },
    el("caption", { class: "govgr-table__caption govgr-table__caption--m" }, T.page.title),
    el("thead", { class: "govgr-table__head" }, el("tr", { class: "govgr-table__row" },
      th(A.when), th(A.what), th(A.reference), th(T.agency), th(A.status), th(A.subject))),
    el("tbody", { class: "govgr-table__body" }, rows.map(([item, what, agency]) => el("tr", { class: "govgr-table__row", "data-kind": item.kind },
      td(formatDateTime(item.created_at)), td(A[item.kind] || item.kind), td(link(item)),
      td(agency), td(T.status[item.status] || item.status || ""), td(what))))));
});
ready();
