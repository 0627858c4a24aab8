// A branch's day: appointments in time order, with check-in, served and no-show at the desk.
import {
  T, athensDate, clearErrors, el, fmt, formatTime, fragment, name, ready, requiredErrors, serverNow,
  showProblem, tag,
} from "../api.js";
import { A, announce, call, quiet, session } from "./console.js";
import { nameOf } from "./names.js";

const { agent } = await session();
const form = document.getElementById("day");
const list = document.getElementById("list");
// The server refuses a no-show before the grace period has passed, with a clear message.
const NEXT = { confirmed: ["check-in", "no-show"], checked_in: ["served"] };
const P = T.promises;
const LABEL = {
  "check-in": A.check_in, "late-check-in": P["late-check-in"], served: A.served, "no-show": A.no_show,
};
// The desk's buttons: those the API allows for the booking now, among those the desk offers
// (cancelling and moving are done from the citizen's appointment, not from this list).
const actionsOf = (b) => (Array.isArray(b.allowed_actions) ? b.allowed_actions : NEXT[b.status] || [])
  .filter((action) => action in LABEL);
const late = document.getElementById("late-check-in");

/** The help the citizen asked for: accommodations, the interpreter's language, the note. */
function helpOf(b) {
  const asked = (b.accommodations || []).map((a) => T.acc[a] || P[a] || a);
  if (b.interpreter_language) asked.push(`${P.interpreter_language}: ${b.interpreter_language}`);
  return el("div", {}, asked.join(", "),
    b.accommodation_note ? el("p", { class: "govgr-hint" }, b.accommodation_note) : null);
}
let lateFor = null;

form.elements.branch.replaceChildren(...await Promise.all(agent.branches.map(async (b) =>
  el("option", { value: b }, await nameOf("branches", b)))));
const given = fragment();  // linked from the citizen look-up: #branch=…&date=…&code=…
if (agent.branches.includes(given.branch)) form.elements.branch.value = given.branch;
form.elements.date.value = /^\d{4}-\d{2}-\d{2}$/.test(given.date || "") ? given.date
  : athensDate(await serverNow());

async function load() {
  const branch = form.elements.branch.value;
  if (!branch) { list.replaceChildren(el("p", { class: "govgr-body" }, A.branch_none)); return; }
  const params = new URLSearchParams({ date: form.elements.date.value });
  const result = await call("GET", `/branch/${encodeURIComponent(branch)}/day?${params}`);
  if (!result.ok) { list.replaceChildren(); showProblem(result.problem); return; }
  clearErrors();
  const bookings = result.data.bookings;
  if (!bookings.length) { list.replaceChildren(el("p", { class: "govgr-body" }, T.page.none)); return; }
  const th = (t) => el("th", { class: "govgr-table__header", scope: "col" }, t);
  const td = (v) => el("td", { class: "govgr-table__cell" }, v);
  list.replaceChildren(el("table", { class: "govgr-table govgr-table--dense" },
    el("caption", { class: "govgr-table__caption govgr-visually-hidden" }, T.page.title),
    el("thead", { class: "govgr-table__head" }, el("tr", { class: "govgr-table__row" },
      th(A.time), th(A.code), th(A.name), th(A.service), th(P.help_col), th(A.status), th(A.actions_col))),
    el("tbody", { class: "govgr-table__body" }, bookings.map((b) => el("tr", {
      class: `govgr-table__row${b.code === given.code ? " is-linked" : ""}`, "data-code": b.code,
      "aria-current": b.code === given.code ? "true" : null },
      td(formatTime(b.start)), td(b.code), td(b.citizen.full_name), td(name(b.service.name)), td(helpOf(b)),
      td(tag(T.status[b.status] || b.status, b.status === "served" ? "done" : "")),
      td(el("div", { class: "govgr-button-group" }, actionsOf(b).map((action) => el("button", {
        type: "button", class: "govgr-btn govgr-btn-secondary",
        onclick: () => (action === "late-check-in" ? askWhyLate(b) : act(branch, b, action)),
      }, LABEL[action] || A[action] || action, el("span", { class: "govgr-visually-hidden" }, ` ${b.code}`))))))))));
}

/** A late arrival is checked in with the reason written down. */
function askWhyLate(booking) {
  lateFor = booking;
  clearErrors(late);
  late.reset();
  late.hidden = false;
  const heading = document.getElementById("late-heading");
  heading.textContent = fmt(heading.dataset.template, { code: booking.code });
  late.elements.note.focus();
}

function closeLate() {
  lateFor = null;
  late.hidden = true;
}

late.addEventListener("submit", async (event) => {
  event.preventDefault();
  const errors = requiredErrors(late);
  if (errors.length) { showProblem({ title: "", errors }, { scope: late }); return; }
  const note = late.elements.note.value.trim();
  if (await act(form.elements.branch.value, lateFor, "late-check-in", { note })) closeLate();
});
late.querySelector("[data-close]").addEventListener("click", closeLate);

async function act(branch, booking, action, extra = {}) {
  quiet();
  const result = await call("POST",
    `/branch/${encodeURIComponent(branch)}/bookings/${encodeURIComponent(booking.code)}/${action}`,
    { body: { version: booking.version, ...extra } });
  if (!result.ok) {
    showProblem(result.problem.type === "/problems/version-conflict" ? { title: A.conflict } : result.problem,
      { scope: action === "late-check-in" ? late : document });
    return false;
  }
  await load();
  announce(fmt(A.done, { action: LABEL[action] || A[action] || action }));
  return true;
}

form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
load().then(ready);
