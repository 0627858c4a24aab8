// Where Cognito's hosted login returns (/agent/): trade the code for tokens, then go on.
const status = document.getElementById("auth-status");
const params = new URLSearchParams(location.search);
const saved = JSON.parse(sessionStorage.getItem("console.pkce") || "null");
const lang = saved?.lang || "el";

async function finish() {
  if (!params.get("code") || !saved || params.get("state") !== saved.state) {
    location.replace(`/${lang}/agent/`);
    return;
  }
  const config = await (await fetch("/config.json", { cache: "no-store" })).json();
  const response = await fetch(`${config.cognito.domain}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code", client_id: config.cognito.client_id,
      code: params.get("code"), redirect_uri: `${location.origin}/agent/`,
      code_verifier: saved.verifier,
    }),
  });
  sessionStorage.removeItem("console.pkce");
  if (!response.ok) {
    status.textContent = `${response.status} ${response.statusText}`;
    return;
  }
  // API Gateway's Cognito authorizer reads the ID token (it carries the groups and teams).
  const tokens = await response.json();
  sessionStorage.setItem("console.token", tokens.id_token);
  location.replace(saved.next || `/${lang}/agent/queue/`);
}

finish();
