// A satisfaction survey: id + token from the message's link (#id=..&token=..), one answer.
import { T, api, clearErrors, fmt, fragment, name, ready, requiredErrors, showProblem } from "./api.js";

const form = document.getElementById("survey");
const about = document.getElementById("about");
const { id = "", token = "" } = fragment();
const request = (method, body) => api(method, `/surveys/${encodeURIComponent(id)}`,
  { body, headers: { "X-Survey-Token": token } });

function describe(survey) {
  if (survey.kind === "appointment") {
    return fmt(T.page.about_appointment, {
      branch: name(survey.branch?.name) || "", service: name(survey.service?.name) || "",
    });
  }
  return fmt(T.page.about_case, { agency: name(survey.agency?.name) || "" });
}

function outcome(title, text) {
  form.hidden = true;
  const box = document.getElementById("outcome");
  box.querySelector("[data-outcome-title]").textContent = title;
  box.querySelector("[data-outcome-text]").textContent = text;
  box.hidden = false;
  box.focus();
}

function unknown() {
  form.hidden = true;
  about.hidden = true;
  const box = document.getElementById("unknown");
  box.hidden = false;
  box.querySelector("h2").focus();
}

async function load() {
  const result = id && token ? await request("GET") : { ok: false, status: 404 };
  document.getElementById("loading").hidden = true;
  if (!result.ok) {
    if (result.status === 404) unknown(); else showProblem(result.problem);
    return;
  }
  about.textContent = describe(result.data);
  about.hidden = false;
  if (result.data.answered) { outcome(T.page.answered_title, T.page.answered_text); return; }
  form.hidden = false;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const errors = requiredErrors(form);
  if (errors.length) { showProblem({ title: "", errors }); return; }
  const score = Number(form.querySelector("[name=score]:checked").value);
  const comment = form.elements.comment.value.trim();
  const result = await request("POST", comment ? { score, comment } : { score });
  if (result.ok) { clearErrors(); outcome(T.page.thanks_title, T.page.thanks_text); return; }
  if (result.status === 409) { clearErrors(); outcome(T.page.answered_title, T.page.answered_text); return; }
  if (result.status === 404) { clearErrors(); unknown(); return; }
  showProblem(result.problem);
});

load().then(ready);
