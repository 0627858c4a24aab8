// Callbacks: take the next due one, call, record the outcome (with the version read).
import {
  T, clearErrors, el, fmt, formatDateTime, formatTime, fragment, lang, ready, showProblem, tag,
} from "../api.js";
import { A, announce, call, quiet, session } from "./console.js";
import { named } from "./names.js";

await session();
const section = document.getElementById("current");
const form = document.getElementById("outcome");
let current = null;

const row = (key, value) => el("div", { class: "govgr-summary-list__row" },
  el("dt", { class: "govgr-summary-list__key" }, key),
  el("dd", { class: "govgr-summary-list__value" }, value || T.none));
const windowText = (w) => `${formatDateTime(w.start)}–${formatTime(w.end)}`;

function show(callback) {
  current = callback;
  section.hidden = false;
  document.getElementById("none").hidden = true;
  const link = section.querySelector('[data-out="call"]');
  link.textContent = fmt(T.page.call, { phone: callback.phone });
  link.href = `tel:${callback.phone}`;
  section.querySelector('[data-out="details"]').replaceChildren(
    row(A.status, tag(T.status[callback.status] || callback.status)),
    row(A.callback_agency, callback.agency_name ? named(callback.agency_name) : callback.agency),
    row(A.callback_window, windowText(callback.window)),
    row(A.callback_attempts, String(callback.attempts.length)),
    row(A.callback_case, callback.case_reference ? el("a", {
      class: "govgr-link", href: `/${lang}/agent/case/#ref=${encodeURIComponent(callback.case_reference)}`,
    }, callback.case_reference) : null),
    row(A.reference, callback.reference));
  form.hidden = callback.status !== "claimed";
}

async function mine() {
  const result = await call("GET", "/agent/callbacks");
  const container = document.getElementById("mine");
  if (!result.ok) return;
  const list = result.data.callbacks;
  if (!list.length) { container.replaceChildren(el("p", { class: "govgr-body" }, T.none)); return; }
  const th = (t) => el("th", { class: "govgr-table__header", scope: "col" }, t);
  const td = (v) => el("td", { class: "govgr-table__cell" }, v);
  container.replaceChildren(el("table", { class: "govgr-table govgr-table--dense" },
    el("thead", { class: "govgr-table__head" }, el("tr", { class: "govgr-table__row" },
      th(A.reference), th(A.callback_window), th(A.callback_phone), th(A.status))),
    el("tbody", { class: "govgr-table__body" }, list.map((c) => el("tr", { class: "govgr-table__row" },
      td(el("a", { class: "govgr-link", href: "#", onclick: (e) => { e.preventDefault(); show(c); } },
        c.reference)),
      td(windowText(c.window)), td(c.phone), td(T.status[c.status] || c.status))))));
  const open = list.find((c) => c.status === "claimed");
  if (open && !current) show(open);
}

document.getElementById("next").addEventListener("click", async () => {
  const result = await call("POST", "/agent/callbacks/next");
  document.getElementById("notice").hidden = true;
  if (!result.ok) {
    if (result.status === 409 || result.status === 404) {
      clearErrors();
      document.getElementById("none").hidden = false;
      return;
    }
    showProblem(result.problem);
    return;
  }
  clearErrors();
  show(result.data);
  document.getElementById("current-heading").focus();
  mine();
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  quiet();
  const body = { outcome: event.submitter.value, version: current.version };
  const note = form.elements.note.value.trim();
  if (note) body.note = note;
  const result = await call("POST",
    `/agent/callbacks/${encodeURIComponent(current.reference)}/outcome`, { body });
  if (!result.ok) {
    if (result.problem.type === "/problems/version-conflict") {
      showProblem({ title: A.conflict });
      return;
    }
    showProblem(result.problem, { scope: form });
    return;
  }
  clearErrors();
  form.reset();
  show(result.data);
  announce(T.page.recorded);
  mine();
});

/** A callback linked from elsewhere (the citizen look-up): `#ref=`. */
async function linked() {
  const ref = fragment().ref;
  if (!ref) return;
  const result = await call("GET", `/agent/callbacks/${encodeURIComponent(ref)}`);
  if (result.ok) show(result.data);
  else showProblem(result.problem);
}

Promise.all([mine(), linked()]).then(ready);
