// Sign-in: Cognito hosted login (code flow with PKCE) in AWS; demo users or a pasted token locally.
import { T, api, el, fragment, lang, radios, ready, showProblem } from "../api.js";
import { A, siteConfig, storeToken } from "./console.js";

const form = document.getElementById("local");
const given = fragment();
const next = given.next && given.next.startsWith(`/${lang}/agent/`) ? given.next : `/${lang}/agent/queue/`;

function notice(text) {
  document.getElementById("notice").hidden = false;
  document.querySelector("[data-notice]").textContent = text;
}

if (given.reason === "signed_out") notice(T.page.signed_out);
if (given.reason === "expired") notice(T.agent.sign_in_again);

const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function cognitoLogin(config) {
  const verifier = b64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = b64url(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  const state = b64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem("console.pkce", JSON.stringify({ verifier, state, next, lang }));
  const params = new URLSearchParams({
    response_type: "code", client_id: config.cognito.client_id,
    redirect_uri: `${location.origin}/agent/`, scope: "openid email profile",
    code_challenge: challenge, code_challenge_method: "S256", state,
  });
  location.href = `${config.cognito.domain}/oauth2/authorize?${params}`;
}

async function localSignIn(event) {
  event.preventDefault();
  const pasted = form.elements.token.value.trim();
  const user = form.querySelector('[name="user"]:checked')?.value;
  if (!pasted && !user) {
    showProblem({ title: "", errors: [{ field: "user", message: T.page.token_required }] });
    return;
  }
  let token = pasted;
  if (!token) {
    const issued = await api("POST", "/dev/token", { body: { user } });
    if (!issued.ok) { showProblem(issued.problem); return; }
    token = issued.data.token;
  }
  const check = await api("GET", "/agent/queue", { token });
  if (check.status === 401) {
    showProblem({ title: "", errors: [{ field: "token", message: T.agent.sign_in_again }] });
    return;
  }
  if (!check.ok && check.status !== 403) { showProblem(check.problem); return; }
  storeToken(token);
  location.href = next;
}

const config = await siteConfig();
if (config.auth === "cognito") {
  document.getElementById("cognito").hidden = false;
  document.getElementById("cognito-login").addEventListener("click", () => cognitoLogin(config));
} else {
  form.hidden = false;
  const users = await api("GET", "/dev/users");
  const container = form.querySelector('[data-radios="user"]');
  if (users.ok) {
    radios(container, "user", users.data.map((u) => ({
      value: u.id, label: `${u.name} (${u.id})`, hint: [...u.roles.map((r) => A.roles[r] || r), ...u.teams].join(", "),
    })));
  } else {
    container.replaceChildren(el("p", { class: "govgr-body" }, users.problem.title));
  }
  form.addEventListener("submit", localSignIn);
}
ready();
