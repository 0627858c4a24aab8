// Administrators: a team's agents with their role, shifts and availability; add, change,
// deactivate. The rotation reads the same records, so a change here is the next case's turn.
import { T, clearErrors, el, fmt, ready, requiredErrors, showProblem, tag } from "../api.js";
import { announce, call, quiet, session } from "./console.js";
import { named } from "./names.js";

const G = T.page;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const SPAN = /^(\d{2}:\d{2})\s*[-–]\s*(\d{2}:\d{2})$/;
const form = document.getElementById("team");
const list = document.getElementById("list");
const edit = document.getElementById("edit");
const heading = document.getElementById("edit-heading");
let teams = [];
let editing = null;  // the agent being changed; null while adding

const teamName = () => named(teams.find((t) => t.id === form.elements.team.value)?.name, form.elements.team.value);

function shiftsText(shifts) {
  if (!shifts) return G.any_time;
  return DAYS.filter((d) => shifts[d]?.length)
    .map((d) => `${G.days[d]} ${shifts[d].map(([a, b]) => `${a}–${b}`).join(", ")}`).join("; ");
}

async function load() {
  const result = await call("GET", `/admin/agents?${new URLSearchParams({ team: form.elements.team.value })}`);
  if (!result.ok) { list.replaceChildren(); showProblem(result.problem); return; }
  const agents = result.data.agents;
  if (!agents.length) { list.replaceChildren(el("p", { class: "govgr-body" }, G.none)); return; }
  const th = (t) => el("th", { class: "govgr-table__header", scope: "col" }, t);
  const td = (v) => el("td", { class: "govgr-table__cell" }, v);
  const button = (label, who, onclick) => el("button", { type: "button", class: "govgr-btn govgr-btn-secondary", onclick },
    label, el("span", { class: "govgr-visually-hidden" }, ` ${who}`));
  list.replaceChildren(el("table", { class: "govgr-table govgr-table--dense" },
    el("caption", { class: "govgr-table__caption govgr-visually-hidden" }, fmt("{title}: {team}", { title: G.title, team: teamName() })),
    el("thead", { class: "govgr-table__head" }, el("tr", { class: "govgr-table__row" },
      th(G.col_name), th(G.col_id), th(G.col_role), th(G.col_available), th(G.col_shifts), th(G.col_actions))),
    el("tbody", { class: "govgr-table__body" }, agents.map((a) => el("tr", { class: "govgr-table__row", "data-agent": a.id },
      td(a.name), td(a.id), td(T.agent_console.roles[a.role] || a.role),
      td(tag(a.available ? T.yes : T.no, a.available ? "done" : "")), td(shiftsText(a.shifts)),
      td(el("div", { class: "govgr-button-group" },
        button(G.edit, a.name, () => openForm(a)), button(G.deactivate, a.name, () => deactivate(a)))))))));
}

function openForm(agent) {
  editing = agent;
  clearErrors(edit);
  edit.reset();
  edit.hidden = false;
  heading.textContent = agent ? fmt(heading.dataset.edit, { name: agent.name }) : fmt(heading.dataset.new, { team: teamName() });
  edit.elements.id.value = agent?.id || "";
  edit.elements.id.readOnly = Boolean(agent);
  edit.elements.name.value = agent?.name || "";
  edit.elements.role.value = agent?.role || "agent";
  edit.elements.available.checked = agent ? agent.available : true;
  for (const d of DAYS) {
    edit.elements[`shifts.${d}`].value = (agent?.shifts?.[d] || []).map(([a, b]) => `${a}-${b}`).join(", ");
  }
  heading.focus();
}

/** The week's shifts as the API takes them, or the first day written wrongly. */
function shiftsOf() {
  const week = {};
  for (const d of DAYS) {
    const text = edit.elements[`shifts.${d}`].value.trim();
    if (!text) continue;
    const spans = text.split(",").map((s) => s.trim().match(SPAN));
    if (spans.some((s) => !s)) return { bad: `shifts.${d}` };
    week[d] = spans.map((s) => [s[1], s[2]]);
  }
  return { week: Object.keys(week).length ? week : null };
}

edit.addEventListener("submit", async (event) => {
  event.preventDefault();
  quiet();
  const errors = requiredErrors(edit);
  const shifts = shiftsOf();
  if (shifts.bad) errors.push({ field: shifts.bad, message: G.shift_format });
  if (errors.length) { showProblem({ title: "", errors }, { scope: edit }); return; }
  const id = edit.elements.id.value.trim();
  const body = {
    name: edit.elements.name.value.trim(),
    teams: editing ? editing.teams : [form.elements.team.value],
    role: edit.elements.role.value,
    available: edit.elements.available.checked,
    shifts: shifts.week,
    version: editing ? editing.version : 0,
  };
  const result = await call("PUT", `/admin/agents/${encodeURIComponent(id)}`, { body });
  if (!result.ok) {
    const conflict = result.problem.type === "/problems/version-conflict";
    if (conflict) await load();
    showProblem(conflict ? { title: G.conflict } : result.problem, { scope: edit });
    return;
  }
  edit.hidden = true;
  await load();
  announce(fmt(G.saved, { name: body.name }));
});

async function deactivate(agent) {
  quiet();
  const result = await call("DELETE", `/admin/agents/${encodeURIComponent(agent.id)}`);
  if (!result.ok) { showProblem(result.problem); return; }
  await load();
  announce(fmt(G.deactivated, { name: agent.name }));
}

edit.querySelector("[data-close]").addEventListener("click", () => { edit.hidden = true; editing = null; });
document.getElementById("add").addEventListener("click", () => openForm(null));
form.addEventListener("submit", (event) => { event.preventDefault(); quiet(); load(); });

await session();
const first = await call("GET", "/admin/agents");
if (first.ok) {
  teams = first.data.teams;
  form.elements.team.replaceChildren(...teams.map((t) => el("option", { value: t.id }, named(t.name, t.id))));
  await load();
} else if (first.status === 403 || first.status === 404) {
  document.getElementById("roster").hidden = true;
  document.getElementById("denied").hidden = false;
} else showProblem(first.problem);
ready();
