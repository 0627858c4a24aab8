// The console's session: the bearer token in localStorage, sign-in redirects, the nav.
import { T, api, fmt, lang } from "../api.js";
import { named } from "./names.js";

const KEY = "console.token";
export const A = { ...T.agent, ...T.agent_console };

export function claimsOf(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = decodeURIComponent(escape(atob(part)));
    return JSON.parse(json);
  } catch {
    return null;
  }
}

const list = (value) => (Array.isArray(value) ? value : String(value || "").split(",")
  .map((v) => v.replace(/[[\]\s]/g, "")).filter(Boolean));

export function agentOf(claims) {
  return {
    id: claims["cognito:username"] || claims.sub,
    name: claims.name || claims["cognito:username"] || claims.sub,
    roles: list(claims.roles || claims["cognito:groups"]),
    teams: list(claims.teams || claims["custom:teams"]),
    branches: list(claims.branches || claims["custom:branches"]),
  };
}

/*
 * Where the sign-in is kept. Agents open cases in new tabs (Ctrl+click, a pasted link), so the
 * token lives in localStorage, shared by the tabs of this browser profile; sessionStorage held it
 * per tab and every new tab asked to sign in again.
 * On a shared call-centre PC this means the sign-in outlives a closed window, so it is bounded:
 * - it is dropped as soon as the token's own `exp` has passed (checked on every page and call;
 *   the API refuses it then anyway), so it never lasts longer than the identity provider allows;
 * - signing out removes it, and every other open tab of the console leaves at once (the
 *   `storage` event), so the next person at the desk finds no open console;
 * - nothing else is kept: no refresh token, and no citizen data in storage.
 * Agents share a PC by session of the operating system (each has a profile), not a browser profile.
 */
function storedToken() {
  // A token left in this tab's sessionStorage (the hosted login's return page) moves over.
  const legacy = sessionStorage.getItem(KEY);
  if (legacy) {
    localStorage.setItem(KEY, legacy);
    sessionStorage.removeItem(KEY);
  }
  return localStorage.getItem(KEY);
}

function dropToken() {
  localStorage.removeItem(KEY);
  sessionStorage.removeItem(KEY);
}

export function storeToken(token) { localStorage.setItem(KEY, token); }

export function signInPage(reason) {
  const next = encodeURIComponent(location.pathname + location.hash);
  location.href = `/${lang}/agent/#next=${next}${reason ? `&reason=${reason}` : ""}`;
}

/** The menu offers only the pages the agent can use (the API refuses the others anyway). */
const USABLE = {
  breaches: (agent) => agent.roles.some((r) => r === "supervisor" || r === "admin"),
  kpis: (agent) => agent.roles.includes("supervisor"),
  branch: (agent) => agent.branches.length > 0,
  agents: (agent) => agent.roles.includes("admin"),
};

function showUsablePages(agent) {
  for (const [page, usable] of Object.entries(USABLE)) {
    const item = document.querySelector(`#console-nav [data-page="${page}"]`);
    if (item) item.hidden = !usable(agent);
  }
}

/** The signed-in agent; otherwise off to the sign-in page, and the caller waits for ever. */
export async function session() {
  const token = storedToken();
  const claims = token && claimsOf(token);
  if (!claims || (claims.exp && claims.exp * 1000 < Date.now())) {
    dropToken();
    signInPage(token ? "expired" : "");
    return new Promise(() => {});
  }
  const agent = agentOf(claims);
  showUsablePages(agent);
  const who = document.querySelector("[data-who]");
  if (who) who.textContent = fmt(T.console.signed_in_as, { name: agent.name });
  return { token, agent };
}

/** An API call as the agent; a 401 sends them back to sign in. */
export async function call(method, path, options = {}) {
  const token = storedToken();
  const result = await api(method, path, { ...options, token });
  if (result.status === 401) {
    dropToken();
    signInPage("expired");
  }
  return result;
}

export async function siteConfig() {
  try {
    const response = await fetch("/config.json", { cache: "no-store" });
    return response.ok ? await response.json() : { auth: "local" };
  } catch {
    return { auth: "local" };
  }
}

export async function signOut() {
  dropToken();
  const config = await siteConfig();
  if (config.auth === "cognito") {
    const { domain, client_id: client } = config.cognito;
    location.href = `${domain}/logout?client_id=${encodeURIComponent(client)}` +
      `&logout_uri=${encodeURIComponent(`${location.origin}/`)}`;
  } else {
    location.href = `/${lang}/agent/#reason=signed_out`;
  }
}

document.querySelector("[data-sign-out]")?.addEventListener("click", signOut);

// Signed out (or expired) in another tab: this one leaves too, unless it is the sign-in page.
window.addEventListener("storage", (event) => {
  if (event.key === KEY && !event.newValue && !document.getElementById("console-nav")?.hidden) {
    location.href = `/${lang}/agent/#reason=signed_out`;
  }
});

/** The page's result banner: hidden as each action starts, so it never sits beside a later error. */
export function quiet() {
  const banner = document.getElementById("notice");
  if (banner) banner.hidden = true;
}

/** Shows an action's result and moves focus there, so keyboard and screen reader users hear it
 * and carry on from it (the form they used may just have been replaced). */
export function announce(text) {
  const banner = document.getElementById("notice");
  banner.querySelector("[data-notice]").textContent = text;
  banner.hidden = false;
  banner.setAttribute("tabindex", "-1");
  banner.focus();
}

/** Who holds a case, by name: "team / agent", or "team (unassigned)". */
export function ownerText(c) {
  const team = named(c.owner_name?.team, c.owner.team);
  return c.owner.agent ? `${team} / ${c.owner_name?.agent || c.owner.agent}` : `${team} (${A.unassigned})`;
}

/** SLA colour of a case: red past due or breached, amber after warn_at, green otherwise. */
export function sla(item, now) {
  const t = new Date(now).getTime();
  if (item.breached_at) return { kind: "late", label: A.sla_breached };
  if (item.status === "RESOLVED" || item.status === "CLOSED") return { kind: "ok", label: A.sla_ok };
  if (item.status === "AWAITING_CITIZEN") return { kind: "ok", label: A.sla_paused };
  if (item.due_at && new Date(item.due_at).getTime() <= t) return { kind: "late", label: A.sla_late };
  if (item.warned || (item.warn_at && new Date(item.warn_at).getTime() <= t)) {
    return { kind: "warn", label: A.sla_warn };
  }
  return { kind: "ok", label: A.sla_ok };
}
