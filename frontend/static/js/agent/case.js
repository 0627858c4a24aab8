// Case detail: summary, history and the agent's actions, each sent with the version read.
import {
  T, api, clearErrors, el, fmt, formatDateTime, fragment, lang, ready, requiredErrors, serverNow,
  showProblem, tag,
} from "../api.js";
import { A, announce, call, ownerText, quiet, session, sla } from "./console.js";
import { named } from "./names.js";

const { agent } = await session();
const reference = fragment().ref || "";
const out = (key) => document.querySelector(`[data-out="${key}"]`);
let current = null;
let now = null;
let agencies = [];

const row = (key, value) => el("div", { class: "govgr-summary-list__row" },
  el("dt", { class: "govgr-summary-list__key" }, key),
  el("dd", { class: "govgr-summary-list__value" }, value ?? T.none));

// The field each action's form asks for, in the order the page shows them.
const FORMS = [["claim", null], ["request-info", "question"], ["resolve", "answer"],
  ["escalate", "reason"], ["note", "note"], ["reassign", null], ["transfer", "reason"],
  ["close", null], ["reopen", "reason"]];

/** The actions the API says this agent may take now (the same rules it enforces). */
const available = (c) => FORMS.filter(([action]) => (c.allowed_actions || []).includes(action));

function actionForm(action, field) {
  const id = `f-${action}-${field || "x"}`;
  const form = el("form", { class: "action-form", "data-action": action, novalidate: true });
  if (field) {
    form.append(el("div", { class: "govgr-field" },
      el("label", { class: "govgr-label", for: id }, el("span", { class: "govgr-heading-s field-label" },
        A[`${field}_field`])),
      el("textarea", { class: "govgr-textarea", id, name: field, rows: 3, "data-required": T.required })));
  }
  if (action === "reassign") {
    const teams = current.reassign_teams
      || [...new Set([current.owner.team, ...agent.teams])].map((id) => ({ id, name: null }));
    form.append(el("div", { class: "govgr-field" },
      el("label", { class: "govgr-label", for: "f-reassign-team" },
        el("span", { class: "govgr-heading-s field-label" }, A.team_field)),
      el("select", { class: "govgr-select", id: "f-reassign-team", name: "team" },
        teams.map((t) => el("option", { value: t.id, selected: t.id === current.owner.team },
          named(t.name, t.id))))),
    el("div", { class: "govgr-field" },
      el("label", { class: "govgr-label", for: "f-reassign-agent" },
        el("span", { class: "govgr-heading-s field-label" }, A.agent_field)),
      el("input", { class: "govgr-input govgr-input--width-20", id: "f-reassign-agent", name: "agent",
        autocomplete: "off", spellcheck: "false" })));
  }
  if (action === "transfer") form.prepend(...transferFields());
  const primary = ["claim", "resolve"].includes(action);
  form.append(el("div", { class: "govgr-button-group" }, el("button", {
    type: "submit", class: `govgr-btn ${primary ? "govgr-btn-primary" : "govgr-btn-secondary"}`,
  }, A[action])));
  form.addEventListener("submit", (event) => act(event, action, form));
  return form;
}

/** Agency and topic to send the case to: the other agencies, their topics following the agency. */
function transferFields() {
  const others = agencies.filter((a) => a.id !== current.agency);
  const select = (id, name, label, options) => el("div", { class: "govgr-field" },
    el("label", { class: "govgr-label", for: id }, el("span", { class: "govgr-heading-s field-label" }, label)),
    el("select", { class: "govgr-select", id, name }, options));
  const option = (item) => el("option", { value: item.id }, item.name[lang]);
  const agency = select("f-transfer-agency", "agency", T.agency, others.map(option));
  const topic = select("f-transfer-topic", "topic", T.topic, []);
  const topics = () => topic.querySelector("select").replaceChildren(...(others.find((a) =>
    a.id === agency.querySelector("select").value)?.topics || []).map(option));
  agency.querySelector("select").addEventListener("change", topics);
  topics();
  return [agency, topic];
}

async function act(event, action, form) {
  event.preventDefault();
  quiet();
  const errors = requiredErrors(form);
  if (errors.length) { showProblem({ title: "", errors }, { scope: form }); return; }
  const body = { version: current.version };
  for (const input of form.querySelectorAll("[name]")) {
    if (input.value.trim()) body[input.name] = input.value.trim();
  }
  const button = form.querySelector("button");
  button.disabled = true;
  const result = await call("POST", `/agent/cases/${encodeURIComponent(reference)}/${action}`, { body });
  button.disabled = false;
  if (result.ok) {
    form.reset();
    clearErrors();
    document.getElementById("conflict").hidden = true;
    render(result.data);
    announce(fmt(A.done, { action: A[action] }));
    return;
  }
  if (result.problem.type === "/problems/version-conflict") {
    clearErrors();
    const box = document.getElementById("conflict");
    box.hidden = false;
    document.getElementById("reload").focus();
    return;
  }
  showProblem(result.problem, { scope: form });
}

/** An event's note; a case's opening notes its channel, shown by name. */
const noteOf = (c, e) => (e.action === "opened" && e.note === c.channel
  ? named(c.channel_name, e.note) : e.note || "");

function render(c) {
  current = c;
  document.getElementById("case").hidden = false;
  out("reference").textContent = c.reference;
  document.title = `${c.reference} – ${document.title.split(" – ").slice(-1)[0]}`;
  const s = sla(c, now);
  out("details").replaceChildren(...[
    row(A.status, tag(T.status[c.status] || c.status)),
    row(A.sla, el("span", { class: `sla sla-${s.kind}` }, s.label)),
    row(A.due, formatDateTime(c.due_at)),
    row(A.first_response_due, formatDateTime(c.first_response_due_at) || T.none),
    row(A.statutory_due, formatDateTime(c.statutory_due_at)),
    row(A.tier, String(c.tier)),
    row(A.owner, ownerText(c)),
    row(A.channel, named(c.channel_name, c.channel)),
    row(A.created, formatDateTime(c.created_at)),
    row(T.agency, `${named(c.agency_name, c.agency)} / ${named(c.topic_name, c.topic)}`),
    row(A.subject, c.subject),
    row(A.description, el("span", { class: "pre" }, c.description)),
    c.question ? row(A.question, el("span", { class: "pre" }, c.question)) : null,
    c.answer ? row(A.answer, el("span", { class: "pre" }, c.answer)) : null,
  ].filter(Boolean));
  const citizen = c.citizen || {};
  out("citizen").replaceChildren(
    row(T.full_name, citizen.full_name), row(T.amka, citizen.amka), row(T.afm, citizen.afm),
    row(T.email, citizen.email), row(T.phone, citizen.phone));
  const th = (text) => el("th", { class: "govgr-table__header", scope: "col" }, text);
  const td = (value) => el("td", { class: "govgr-table__cell" }, value);
  out("history").replaceChildren(el("table", { class: "govgr-table govgr-table--dense" },
    el("caption", { class: "govgr-table__caption govgr-visually-hidden" }, A.what),
    el("thead", { class: "govgr-table__head" }, el("tr", { class: "govgr-table__row" },
      th(A.when), th(A.what), th(A.actor), th(A.owner), th(A.note_col))),
    el("tbody", { class: "govgr-table__body" }, c.history.map((e) => el("tr", { class: "govgr-table__row" },
      td(formatDateTime(e.at)), td(T.actions[e.action] || e.action), td(named(e.actor_name, e.actor)),
      td(named(e.owner_name, e.to_owner)),
      td(el("span", { class: "pre" }, noteOf(c, e))))))));
  // Keep what an agent typed across a re-render (a conflict's reload keeps the text).
  const typed = Object.fromEntries([...out("actions").querySelectorAll("form")].map((f) =>
    [f.dataset.action, Object.fromEntries([...f.querySelectorAll("[name]")].map((i) => [i.name, i.value]))]));
  out("actions").replaceChildren(...available(c).map(([action, field]) => actionForm(action, field)));
  for (const form of out("actions").querySelectorAll("form")) {
    const kept = typed[form.dataset.action] || {};
    for (const input of form.querySelectorAll("textarea[name]")) {
      if (kept[input.name]) input.value = kept[input.name];
    }
  }
}

async function load() {
  const [result, time, listed] = await Promise.all([
    call("GET", `/agent/cases/${encodeURIComponent(reference)}`), serverNow(),
    agencies.length ? null : api("GET", "/agencies")]);
  now = time;
  if (listed?.ok) agencies = listed.data;
  if (!result.ok) { showProblem(result.problem); return; }
  render(result.data);
}

document.getElementById("reload").addEventListener("click", async () => {
  await load();
  document.getElementById("conflict").hidden = true;
  document.querySelector("h1").focus();
});
load().then(ready);
