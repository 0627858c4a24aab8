// My queue: open cases of my teams, or only those I hold, with their SLA colour.
import { T, fragment, ready, serverNow, showProblem } from "../api.js";
import { casesTable } from "./cases_table.js";
import { call, session } from "./console.js";

await session();
const container = document.getElementById("cases");
const scope = document.getElementById("f-scope");
scope.value = fragment().scope === "mine" ? "mine" : "team";

async function load() {
  const [result, now] = await Promise.all([call("GET", `/agent/queue?scope=${scope.value}`), serverNow()]);
  if (!result.ok) { showProblem(result.problem); return; }
  container.replaceChildren(casesTable(result.data.cases, now, T.page.title));
}

document.getElementById("refresh").addEventListener("click", load);
scope.addEventListener("change", () => {
  history.replaceState(null, "", `#scope=${scope.value}`);  // a reload keeps the choice
  load();
});
load().then(ready);
