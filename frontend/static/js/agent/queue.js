// My queue: open cases of my teams, with their SLA colour.
import { T, ready, serverNow, showProblem } from "../api.js";
import { casesTable } from "./cases_table.js";
import { call, session } from "./console.js";

await session();
const container = document.getElementById("cases");

async function load() {
  const [result, now] = await Promise.all([call("GET", "/agent/queue"), serverNow()]);
  if (!result.ok) { showProblem(result.problem); return; }
  container.replaceChildren(casesTable(result.data.cases, now, T.page.title));
}

document.getElementById("refresh").addEventListener("click", load);
load().then(ready);
