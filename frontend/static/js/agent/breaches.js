// Supervisors: cases past their last deadline.
import { T, el, ready, serverNow, showProblem } from "../api.js";
import { casesTable } from "./cases_table.js";
import { call, session } from "./console.js";

await session();
const container = document.getElementById("cases");
const [result, now] = await Promise.all([call("GET", "/supervisor/breaches"), serverNow()]);
if (result.ok) container.replaceChildren(casesTable(result.data.cases, now, T.page.title));
else if (result.status === 404 || result.status === 403) {
  container.replaceChildren(el("p", { class: "govgr-body" }, T.agent.no_access));
} else showProblem(result.problem);
ready();
