// The one place that talks to the API: language, problem+json, error summaries, dates.
import { CHECKS } from "./checks.js";

export const lang = document.documentElement.lang === "en" ? "en" : "el";
export const T = JSON.parse(document.getElementById("i18n").textContent);
/** This site's citizen-journey texts (messages: citizen_journeys). */
export const CJ = T.cj || {};
export const BASE = "/api/v1";
const LOCALE = lang === "en" ? "en-GB" : "el-GR";
const ZONE = "Europe/Athens";

/** Calls the API; resolves to {ok, status, data, problem}, never throws for HTTP errors. */
export async function api(method, path, { body, headers = {}, token, idempotent } = {}) {
  const h = { Accept: "application/json", "Accept-Language": lang, ...headers };
  if (body !== undefined) h["Content-Type"] = "application/json";
  if (token) h.Authorization = `Bearer ${token}`;
  if (idempotent) h["Idempotency-Key"] = idempotent;
  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers: h,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, problem: { title: T.network_error, status: 0 } };
  }
  const type = response.headers.get("content-type") || "";
  let data = null;
  if (type.includes("json")) data = await response.json().catch(() => null);
  if (response.ok) return { ok: true, status: response.status, data };
  const problem = data && data.title ? data : { title: T.unexpected_error, status: response.status };
  const retryAfter = Number(response.headers.get("Retry-After")) || null;
  return { ok: false, status: response.status, problem, retryAfter };
}

export function newKey() {
  return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
}

export const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c);
  return node;
};

export const fmt = (template, values = {}) =>
  template.replace(/\{(\w+)\}/g, (_, k) => (k in values ? values[k] : `{${k}}`));

export function formatDateTime(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(iso));
}

export function formatDate(iso) {
  if (!iso) return "";
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: ZONE, weekday: "long", day: "numeric", month: "long", year: "numeric",
  }).format(new Date(iso));
}

/** A promised day (YYYY-MM-DD): 12/02/2027 in Greek, 12 February 2027 in English. */
export function formatPromise(ymd) {
  if (!ymd) return "";
  const [y, m, d] = ymd.split("-");
  if (lang === "el") return `${d}/${m}/${y}`;
  return new Intl.DateTimeFormat(LOCALE, { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" })
    .format(new Date(`${ymd}T12:00:00Z`));
}

export function formatTime(iso) {
  return new Intl.DateTimeFormat(LOCALE, { timeZone: ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" })
    .format(new Date(iso));
}

/** The calendar date (YYYY-MM-DD) of an instant in Athens. */
export function athensDate(iso) {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
  }).format(new Date(iso));
  return parts;
}

export function addDays(ymd, days) {
  const d = new Date(`${ymd}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function dayLabel(ymd) {
  return new Intl.DateTimeFormat(LOCALE, {
    timeZone: "UTC", weekday: "long", day: "numeric", month: "long",
  }).format(new Date(`${ymd}T12:00:00Z`));
}

/** The server's clock (the dev clock locally), so "past due" agrees with the API. */
export async function serverNow() {
  const r = await api("GET", "/health");
  return r.ok && r.data.time ? r.data.time : new Date().toISOString();
}

export const name = (text) => (text && typeof text === "object" ? text[lang] || text.el : text || "");

/** key=value pairs of the URL fragment (#ref=..&token=..). */
export function fragment() {
  return Object.fromEntries(new URLSearchParams(location.hash.replace(/^#/, "")));
}

/**
 * A page that finds something by its reference and token (track, manage, callback status):
 * fills the form from the link's fragment and loads at once when both are there; "look up
 * another" clears the fragment and goes back to the form.
 */
export function startLookup({ form, section, field, key, load }) {
  document.getElementById("other").addEventListener("click", (event) => {
    event.preventDefault();
    history.replaceState(null, "", location.pathname);
    form.reset();
    form.hidden = false;
    section.hidden = true;
    const notice = document.getElementById("notice");
    if (notice) notice.hidden = true;
    form.elements[field].focus();
  });
  const given = fragment();
  if (given[key]) form.elements[field].value = given[key];
  if (given.token) form.elements.token.value = given.token;
  if (given[key] && given.token) load({ focus: false }).then(ready);
  else ready();
}

// --- errors ----------------------------------------------------------------------

const idOf = (field) => `f-${field.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** The input a problem's field path points to: by name, or a data-error-for alias. */
export function fieldElement(field, scope = document) {
  if (!field) return null;
  return (
    scope.querySelector(`[name="${CSS.escape(field)}"]`) ||
    scope.querySelector(`[data-error-for~="${CSS.escape(field)}"]`)
  );
}

export function clearErrors(scope = document) {
  document.getElementById("error-summary")?.remove();
  for (const m of scope.querySelectorAll(".govgr-error-message[data-generated]")) m.remove();
  for (const f of scope.querySelectorAll(".govgr-field__error")) f.classList.remove("govgr-field__error");
  for (const i of scope.querySelectorAll(".govgr-error-input")) {
    i.classList.remove("govgr-error-input");
    i.removeAttribute("aria-invalid");
    const hint = i.dataset.describedby;
    if (hint) i.setAttribute("aria-describedby", hint); else i.removeAttribute("aria-describedby");
  }
}

/**
 * Shows a problem: an error summary at the top of the page with a link per field, and each
 * message next to its field. `reveal(input)` lets a journey show the step holding a field.
 */
export function showProblem(problem, { scope = document, reveal, help } = {}) {
  clearErrors(scope);
  const items = [];
  const errors = problem.errors && problem.errors.length ? problem.errors : null;
  for (const error of errors || []) {
    const input = fieldElement(error.field, scope);
    if (input) markField(input, error.message);
    items.push({ input, message: error.message });
  }
  const list = el("ul", { class: "govgr-list govgr-error-summary__list" });
  for (const { input, message } of items) {
    if (input) {
      const target = input.id || (input.id = idOf(input.name || "field"));
      list.append(el("li", {}, el("a", {
        class: "govgr-link", href: `#${target}`,
        onclick: (event) => {
          event.preventDefault();
          if (reveal) reveal(input);
          input.focus();
          input.scrollIntoView({ block: "center" });
        },
      }, message)));
    } else {
      list.append(el("li", {}, message));
    }
  }
  const summary = el("div", {
    class: "govgr-error-summary", id: "error-summary", tabindex: "-1",
    role: "alert", "aria-labelledby": "error-summary-title",
  },
  el("h2", { class: "govgr-heading-m", id: "error-summary-title" }, T.error_summary_title),
  errors ? null : el("p", { class: "govgr-body" }, problem.title),
  errors ? list : null,
  help || null);
  const slot = document.getElementById("error-summary-slot");
  slot.replaceChildren(summary);
  summary.focus();
  return summary;
}

/**
 * A look-up that found nothing (404): what to check in each field, and where to get help.
 * field: the reference's input name ("reference" or "code").
 */
export function showLookupProblem(result, field) {
  if (result.status !== 404) { showProblem(result.problem); return; }
  const first = field === "code" ? CJ.not_found_code : CJ.not_found_reference;
  const help = el("p", { class: "govgr-body" }, `${CJ.not_found_help} `,
    el("a", { class: "govgr-link", href: `/${lang}/callback/` }, CJ.callback_link));
  showProblem({
    title: result.problem.title,
    errors: [{ field, message: first }, { field: "token", message: CJ.not_found_token }],
  }, { help });
}

export function markField(input, message) {
  const wrap = input.closest(".govgr-field") || input.parentElement;
  wrap.classList.add("govgr-field__error");
  const id = `${input.id || (input.id = idOf(input.name))}-error`;
  const msg = el("p", { class: "govgr-error-message", id, "data-generated": true },
    el("span", { class: "govgr-visually-hidden" }, `${T.error_prefix}: `), message);
  const anchor = wrap.querySelector(".govgr-radios, .govgr-checkboxes") ||
    (input.type === "radio" || input.type === "checkbox" ? null : input);
  if (anchor && anchor.parentElement) anchor.before(msg);
  else wrap.prepend(msg);
  if (input.type !== "radio" && input.type !== "checkbox") input.classList.add("govgr-error-input");
  input.setAttribute("aria-invalid", "true");
  if (input.dataset.describedby === undefined) {
    input.dataset.describedby = input.getAttribute("aria-describedby") || "";
  }
  input.setAttribute("aria-describedby", `${input.dataset.describedby} ${id}`.trim());
}

/** Required-field checks done in the browser before a step moves on. */
export function requiredErrors(form) {
  const errors = [];
  const seen = new Set();
  for (const input of form.querySelectorAll("[data-required]")) {
    if (seen.has(input.name)) continue;
    seen.add(input.name);
    let empty;
    if (input.type === "radio") empty = !form.querySelector(`[name="${CSS.escape(input.name)}"]:checked`);
    else if (input.type === "checkbox") empty = !input.checked;
    else empty = !input.value.trim();
    if (empty) errors.push({ field: input.name, message: input.dataset.required || T.required });
  }
  // A choice with nothing to choose from (no free time, no window) must not let anyone past.
  for (const box of form.querySelectorAll("[data-required-message]")) {
    if (!box.closest("[hidden]") && !box.querySelector("input")) {
      errors.push({ field: box.dataset.field || null, message: box.dataset.requiredMessage });
    }
  }
  for (const input of form.querySelectorAll("[data-check]")) {
    const message = checkError(input);
    if (message && !seen.has(`check:${input.name}`)) errors.push({ field: input.name, message });
  }
  return errors;
}

/** The API's message for a filled field that fails its identifier check, or null. */
export function checkError(input) {
  const value = input.value.trim();
  const check = CHECKS[input.dataset.check];
  if (!value || !check) return null;
  const code = check(value);
  return code ? (CJ.errors && CJ.errors[code]) || T.required : null;
}

/** Takes a field's error off once it is put right (aria-invalid, message, summary link). */
export function unmarkField(input) {
  const form = input.closest("form") || document;
  const peers = input.type === "radio" ? form.querySelectorAll(`[name="${CSS.escape(input.name)}"]`) : [input];
  for (const i of peers) {
    i.removeAttribute("aria-invalid");
    i.classList.remove("govgr-error-input");
    if (i.dataset.describedby !== undefined) {
      if (i.dataset.describedby) i.setAttribute("aria-describedby", i.dataset.describedby);
      else i.removeAttribute("aria-describedby");
    }
  }
  const wrap = input.closest(".govgr-field") || input.parentElement;
  wrap.classList.remove("govgr-field__error");
  for (const m of wrap.querySelectorAll(".govgr-error-message[data-generated]")) m.remove();
  const summary = document.getElementById("error-summary");
  if (summary) {
    for (const link of summary.querySelectorAll(`a[href="#${CSS.escape(input.id)}"]`)) link.closest("li").remove();
    const list = summary.querySelector("ul");
    if (list && !list.children.length) summary.remove();
  }
}

function fieldIsRight(input) {
  if (input.dataset.required !== undefined) {
    if (input.type === "radio") {
      const form = input.closest("form") || document;
      if (!form.querySelector(`[name="${CSS.escape(input.name)}"]:checked`)) return false;
    } else if (input.type === "checkbox" ? !input.checked : !input.value.trim()) return false;
  }
  return !checkError(input);
}

// A field marked wrong is looked at again as it is typed in or chosen; right again, its
// error goes. Not on leaving it: the page would move under a click on Continue.
document.addEventListener("input", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement)) return;
  const form = input.closest("form") || document;
  const marked = input.type === "radio"
    ? form.querySelector(`[name="${CSS.escape(input.name)}"][aria-invalid="true"]`)
    : input.getAttribute("aria-invalid") === "true" && input;
  if (marked && fieldIsRight(marked)) unmarkField(marked);
});

/** Renders a radio group's options into `container` (a .govgr-radios). */
export function radios(container, name, options, { checked } = {}) {
  const required = container.dataset.requiredMessage;
  container.replaceChildren(...options.map((option, i) => {
    const id = `${idOf(name)}-${i}`;
    const input = el("input", {
      class: "govgr-radios__input", type: "radio", id, name, value: option.value,
      "data-required": required || null,
      checked: checked !== undefined && String(checked) === String(option.value),
      "aria-describedby": option.hint ? `${id}-hint` : null,
    });
    return el("div", { class: "govgr-radios__item" }, input,
      el("label", { class: "govgr-radios__label", for: id }, option.label),
      option.hint ? el("p", { class: "govgr-hint radio-hint", id: `${id}-hint` }, option.hint) : null);
  }));
}

export function tag(text, kind = "") {
  return el("strong", { class: `status-tag ${kind}` }, text);
}

/** Marks the page as set up (its handlers attached); the browser tests wait for it. */
export function ready() {
  document.body.dataset.ready = "true";
}
