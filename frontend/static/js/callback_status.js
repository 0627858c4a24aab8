// A callback request: reference + token (from the link), its status, and cancelling it.
import {
  T, api, showLookupProblem, clearErrors, formatDateTime, formatTime, requiredErrors, showProblem, startLookup, tag,
} from "./api.js";

const STATUS = { ...T.status, ...T.promises.status };
const lookup = document.getElementById("lookup");
const section = document.getElementById("callback");
const out = (key) => section.querySelector(`[data-out="${key}"]`);
const creds = () => ({
  reference: lookup.elements.reference.value.trim(), token: lookup.elements.token.value.trim(),
});
const request = (method, suffix = "") => api(method,
  `/callbacks/${encodeURIComponent(creds().reference)}${suffix}`,
  { headers: { "X-Tracking-Token": creds().token } });

function render(view) {
  lookup.hidden = true;
  section.hidden = false;
  out("reference").textContent = view.reference;
  const kind = view.status === "scheduled" ? "" : "muted";
  out("status").replaceChildren(tag(STATUS[view.status] || view.status, kind));
  out("window").textContent = `${formatDateTime(view.window.start)}–${formatTime(view.window.end)}`;
  out("phone").textContent = view.phone;
  document.getElementById("changes").hidden = view.status !== "scheduled";
  document.getElementById("missed").hidden = view.status !== "missed";
  document.getElementById("cancel-confirm").hidden = true;
}

async function load({ focus = true } = {}) {
  const result = await request("GET");
  if (!result.ok) { section.hidden = true; showLookupProblem(result, "reference"); return; }
  clearErrors();
  const { reference, token } = creds();
  history.replaceState(null, "", `#ref=${encodeURIComponent(reference)}&token=${encodeURIComponent(token)}`);
  render(result.data);
  if (focus) document.getElementById("callback-heading").focus();
}

lookup.addEventListener("submit", (event) => {
  event.preventDefault();
  const errors = requiredErrors(lookup);
  if (errors.length) { showProblem({ title: "", errors }); return; }
  load();
});

document.getElementById("cancel-open").addEventListener("click", () => {
  document.getElementById("cancel-confirm").hidden = false;
  document.getElementById("cancel").focus();
});

document.getElementById("cancel").addEventListener("click", async () => {
  const result = await request("POST", "/cancel");
  if (!result.ok) { showProblem(result.problem); return; }
  clearErrors();
  render(result.data);
  const notice = section.querySelector("#notice");
  notice.hidden = false;
  section.querySelector("[data-notice]").textContent = T.page.cancelled;
  notice.focus();
});

startLookup({ form: lookup, section, field: "reference", key: "ref", load });
