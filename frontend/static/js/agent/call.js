// Log a phone call as a case owned by the agent who took it.
import {
  T, api, clearErrors, el, fmt, lang, name, newKey, ready, requiredErrors, showProblem,
} from "../api.js";
import { call, session } from "./console.js";

await session();
const form = document.getElementById("call");
const agencySelect = form.elements.agency;
const topicSelect = form.elements.topic;
let agencies = [];

agencySelect.addEventListener("change", () => {
  const agency = agencies.find((a) => a.id === agencySelect.value);
  topicSelect.replaceChildren(el("option", { value: "" }, "–"),
    ...(agency ? agency.topics : []).map((t) => el("option", { value: t.id }, name(t.name))));
});

let key = newKey();
form.addEventListener("input", () => { key = newKey(); });

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const errors = requiredErrors(form);
  if (errors.length) { showProblem({ title: "", errors }); return; }
  const v = (n) => form.elements[n].value.trim();
  const citizen = { full_name: v("citizen.full_name") };
  for (const f of ["phone", "email", "amka", "afm"]) if (v(`citizen.${f}`)) citizen[f] = v(`citizen.${f}`);
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  const result = await call("POST", "/agent/cases", {
    idempotent: key,
    body: {
      agency: v("agency"), topic: v("topic"), subject: v("subject"), description: v("description"),
      language: v("language"), consent: form.elements.consent.checked, citizen,
    },
  });
  button.disabled = false;
  if (!result.ok) { showProblem(result.problem); return; }
  clearErrors();
  form.reset();
  key = newKey();
  const banner = document.getElementById("notice");
  banner.hidden = false;
  banner.querySelector("[data-notice]").textContent = fmt(T.page.created, { reference: result.data.reference });
  banner.querySelector("[data-case-link]").href =
    `/${lang}/agent/case/#ref=${encodeURIComponent(result.data.reference)}`;
  banner.querySelector("[data-case-link]").focus();
});

agencies = (await api("GET", "/agencies")).data || [];
agencySelect.append(...agencies.map((a) => el("option", { value: a.id }, name(a.name))));
ready();
