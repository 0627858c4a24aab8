// Track a case: reference + token (prefilled from the link's #ref=..&token=..), reply, chase.
import {
  T, api, athensDate, showLookupProblem, clearErrors, el, fmt, formatDate, formatDateTime,
  formatPromise, requiredErrors, serverNow, showProblem, startLookup, tag,
} from "./api.js";

const lookup = document.getElementById("lookup");
const section = document.getElementById("case");
const out = (key) => section.querySelector(`[data-out="${key}"]`);

const STATUS_KIND = { RESOLVED: "done", CLOSED: "done", AWAITING_CITIZEN: "attention" };

function credentials() {
  return {
    reference: lookup.elements.reference.value.trim(),
    token: lookup.elements.token.value.trim(),
  };
}

async function load({ focus = true } = {}) {
  const { reference, token } = credentials();
  const result = await api("GET", `/cases/${encodeURIComponent(reference)}`,
    { headers: { "X-Tracking-Token": token } });
  if (!result.ok) {
    section.hidden = true;
    showLookupProblem(result, "reference");
    return;
  }
  clearErrors();
  history.replaceState(null, "", `#ref=${encodeURIComponent(reference)}&token=${encodeURIComponent(token)}`);
  await render(result.data);
  if (focus) document.getElementById("case-heading").focus();
}

async function render(view) {
  const now = await serverNow();
  lookup.hidden = true;
  section.hidden = false;
  out("reference").textContent = view.reference;
  out("status").replaceChildren(tag(T.status[view.status] || view.status, STATUS_KIND[view.status]));
  out("subject").textContent = view.subject;
  out("created").textContent = formatDateTime(view.created_at);
  out("due").textContent = formatPromise(view.promised_by);
  out("statutory").textContent = formatDate(view.statutory_due_at);
  const open = !["RESOLVED", "CLOSED"].includes(view.status);
  section.querySelector('[data-row="due"]').hidden = !open || view.status === "AWAITING_CITIZEN";
  const awaiting = view.status === "AWAITING_CITIZEN";
  document.getElementById("reply").hidden = !awaiting;
  out("question").textContent = view.question || "";
  document.getElementById("answer").hidden = !view.answer;
  out("answer").textContent = view.answer || "";
  // The citizen may chase from the day after the promised date (Athens), as the API allows.
  document.getElementById("late").hidden =
    !(open && !awaiting && view.promised_by && view.promised_by < athensDate(now));
  out("timeline").replaceChildren(...view.timeline.map((event) => el("li", { class: "timeline__item" },
    el("p", { class: "govgr-body timeline__what" }, T.actions[event.action] || event.action),
    el("p", { class: "govgr-hint timeline__when" }, formatDateTime(event.at)),
    event.note ? el("p", { class: "govgr-body timeline__note" }, event.note) : null)));
}

function notice(text) {
  const banner = document.getElementById("notice");
  banner.hidden = false;
  out("notice").textContent = text;
}

lookup.addEventListener("submit", (event) => {
  event.preventDefault();
  const errors = requiredErrors(lookup);
  if (errors.length) { showProblem({ title: "", errors }); return; }
  load();
});

document.getElementById("reply").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const errors = requiredErrors(form);
  if (errors.length) { showProblem({ title: "", errors }, { scope: form }); return; }
  const { reference, token } = credentials();
  const result = await api("POST", `/cases/${encodeURIComponent(reference)}/reply`, {
    headers: { "X-Tracking-Token": token }, body: { text: form.elements.text.value.trim() },
  });
  if (!result.ok) { showProblem(result.problem, { scope: form }); return; }
  form.reset();
  clearErrors();
  await render(result.data);
  notice(T.page.replied);
});

/** A second chase too soon says when the citizen may ask again, not a generic error. */
function chaseProblem(result) {
  if (result.status !== 429 || !result.retryAfter) return result.problem;
  const hours = Math.ceil(result.retryAfter / 3600);
  const text = result.retryAfter >= 3600
    ? fmt(hours === 1 ? T.promises.chase_wait_hour : T.promises.chase_wait_hours, { n: hours })
    : fmt(T.promises.chase_wait_minutes, { n: Math.ceil(result.retryAfter / 60) });
  return { title: text, status: 429 };
}

document.getElementById("chase").addEventListener("click", async () => {
  const { reference, token } = credentials();
  const result = await api("POST", `/cases/${encodeURIComponent(reference)}/chase`,
    { headers: { "X-Tracking-Token": token } });
  if (!result.ok) { showProblem(chaseProblem(result)); return; }
  clearErrors();
  await render(result.data);
  document.getElementById("late").hidden = true;
  notice(T.page.chased);
});

startLookup({ form: lookup, section, field: "reference", key: "ref", load });
