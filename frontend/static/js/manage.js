// Manage an appointment: code + token (from the link's #code=..&token=..), cancel, reschedule.
import {
  T, api, showLookupProblem, athensDate, clearErrors, formatDateTime, name, requiredErrors, startLookup,
  serverNow, showProblem, tag,
} from "./api.js";
import { weekView } from "./week.js";

const lookup = document.getElementById("lookup");
const section = document.getElementById("booking");
const reschedule = document.getElementById("reschedule");
const out = (key) => section.querySelector(`[data-out="${key}"]`);
let booking = null;
let week = null;

const creds = () => ({ code: lookup.elements.code.value.trim(), token: lookup.elements.token.value.trim() });
const headers = () => ({ "X-Manage-Token": creds().token });
const path = (suffix = "") => `/bookings/${encodeURIComponent(creds().code)}${suffix}`;

function notice(text) {
  const banner = section.querySelector("#notice");
  banner.hidden = false;
  section.querySelector("[data-notice]").textContent = text;
  banner.focus();
}

let calendarToken = "";

function render(view) {
  booking = view;
  // Only the booking view carries it; answers to a cancel or a move keep the one we have.
  if (view.calendar_token) calendarToken = view.calendar_token;
  lookup.hidden = true;
  section.hidden = false;
  out("code").textContent = view.code;
  const kind = view.status === "confirmed" ? "done" : "muted";
  out("status").replaceChildren(tag(T.status[view.status] || view.status, kind));
  out("service").textContent = name(view.service.name);
  out("when").textContent = formatDateTime(view.start);
  const video = view.mode === "video";
  out("where").textContent = video ? T.modes.video : `${name(view.branch.name)}, ${view.branch.address}`;
  section.querySelector("[data-join]").hidden = !(video && view.join_url);
  if (view.join_url) out("join").href = view.join_url;
  const active = view.status === "confirmed";
  section.querySelector("[data-ics-row]").hidden = !active;
  // The read-only calendar token, never the manage token, goes into the link's URL.
  out("ics").href = `/api/v1${path("/calendar.ics")}?token=${encodeURIComponent(calendarToken)}`;
  document.getElementById("changes").hidden = !active;
  reschedule.hidden = true;
  document.getElementById("cancel-confirm").hidden = true;
}

async function load({ focus = true } = {}) {
  const result = await api("GET", path(), { headers: headers() });
  if (!result.ok) { section.hidden = true; showLookupProblem(result, "code"); return; }
  clearErrors();
  const { code, token } = creds();
  history.replaceState(null, "", `#code=${encodeURIComponent(code)}&token=${encodeURIComponent(token)}`);
  render(result.data);
  if (focus) document.getElementById("booking-heading").focus();
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
  const result = await api("POST", path("/cancel"), { headers: headers() });
  if (!result.ok) { showProblem(result.problem); return; }
  clearErrors();
  render(result.data);
  notice(T.page.cancelled);
});

document.getElementById("reschedule-open").addEventListener("click", async () => {
  reschedule.hidden = false;
  const today = athensDate(await serverNow());
  week = week || weekView(reschedule, {
    today,
    query: () => ({
      branch: booking.branch.id, service: booking.service.id, mode: booking.mode,
      accommodations: booking.accommodations,
    }),
  });
  await week.show(null);
  reschedule.querySelector("h3").setAttribute("tabindex", "-1");
  reschedule.querySelector("h3").focus();
});

reschedule.addEventListener("submit", async (event) => {
  event.preventDefault();
  const errors = requiredErrors(reschedule);
  if (errors.length) { showProblem({ title: "", errors }, { scope: reschedule }); return; }
  const start = reschedule.querySelector('[name="start"]:checked').value;
  const result = await api("POST", path("/reschedule"), { headers: headers(), body: { start } });
  if (!result.ok) { showProblem(result.problem, { scope: reschedule }); return; }
  clearErrors();
  render(result.data);
  notice(T.page.rescheduled);
});

startLookup({ form: lookup, section, field: "code", key: "code", load });

