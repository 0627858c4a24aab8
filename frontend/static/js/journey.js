// Step-by-step journeys on one page: one form per step, answers kept in sessionStorage so a
// reload or a language switch keeps them, browser back/forward moves between steps.
import { T, clearErrors, el, fmt, requiredErrors, showProblem } from "./api.js";

export function readForm(form) {
  const values = {};
  for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (input.dataset.transient !== undefined) continue;
    if (input.type === "radio") {
      if (input.checked) values[input.name] = input.value;
      else if (!(input.name in values)) values[input.name] = "";
    } else if (input.type === "checkbox") {
      values[input.name] = input.checked;
    } else {
      values[input.name] = input.value.trim();
    }
  }
  return values;
}

export function fillForm(form, state) {
  for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
    if (!(input.name in state)) continue;
    const value = state[input.name];
    if (input.type === "radio") input.checked = String(value) === input.value;
    else if (input.type === "checkbox") input.checked = Boolean(value);
    else input.value = value ?? "";
  }
}

/**
 * steps: [{id, when?(state), enter?(form, state), validate?(values) -> [{field, message}],
 *          submit?(form, state) -> bool, changesLater?}] in order.
 * A step's form is <form data-step="id">; its heading has class step-heading. A step reached
 * from "Change" on the check page goes back there, unless it changesLater (its answer decides
 * what the next steps offer) and its answer did change.
 */
export function journey({ key, steps, title }) {
  const storeKey = `journey:${key}`;
  let state = {};
  try { state = JSON.parse(sessionStorage.getItem(storeKey) || "{}"); } catch { state = {}; }
  const forms = Object.fromEntries(
    [...document.querySelectorAll("form[data-step]")].map((f) => [f.dataset.step, f]));
  const h1 = document.querySelector("h1");
  const journeyTitle = h1.textContent;
  let current = null;

  const save = () => sessionStorage.setItem(storeKey, JSON.stringify(state));
  const active = () => steps.filter((s) => !s.when || s.when(state));
  const counted = () => active().filter((s) => !forms[s.id].hasAttribute("data-uncounted"));

  function reveal(input) {
    const form = input.closest("form[data-step]");
    if (form && form.dataset.step !== current) show(form.dataset.step, { push: true, keepErrors: true });
  }

  async function show(id, { push = false, focus = true, keepErrors = false } = {}) {
    const step = steps.find((s) => s.id === id);
    const form = forms[id];
    if (!keepErrors) clearErrors();
    for (const f of Object.values(forms)) f.hidden = f !== form;
    current = id;
    state._reached = [...new Set([...(state._reached || []), id])];
    save();
    h1.textContent = form.dataset.h1 || journeyTitle;
    const heading = form.querySelector(".step-heading");
    document.title = `${heading ? heading.textContent : h1.textContent} – ${title}`;
    const caption = form.querySelector(".step-caption");
    const list = counted();
    const index = list.findIndex((s) => s.id === id);
    if (caption && index >= 0) caption.textContent = fmt(T.step_of, { n: index + 1, total: list.length });
    if (push) history.pushState({ step: id }, "", `#${id}`);
    if (step.enter) await step.enter(form, state);
    fillForm(form, state);
    if (focus) (heading || h1).focus();
  }

  function next(id) {
    const list = active();
    const i = list.findIndex((s) => s.id === id);
    return list[i + 1]?.id;
  }

  function previous(id) {
    const list = active();
    const i = list.findIndex((s) => s.id === id);
    return list[i - 1]?.id;
  }

  for (const [id, form] of Object.entries(forms)) {
    const step = steps.find((s) => s.id === id);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const button = event.submitter;
      const values = readForm(form);
      const errors = requiredErrors(form);
      if (!errors.length && step.validate) errors.push(...step.validate(values));
      if (errors.length) {
        showProblem({ title: T.error_summary_title, errors }, { reveal });
        return;
      }
      const changed = Object.entries(values).some(([k, v]) => String(state[k] ?? "") !== String(v));
      if (state._return && step.changesLater && changed) delete state._return;
      Object.assign(state, values);
      save();
      if (button) button.disabled = true;
      try {
        const proceed = step.submit ? await step.submit(form, state, button) : true;
        save();
        if (proceed === false) return;
        let target = typeof proceed === "string" ? proceed : next(id);
        if (state._return && id !== state._return) {
          target = state._return;
          delete state._return;
          save();
        }
        if (target) show(target, { push: true });
      } finally {
        if (button) button.disabled = false;
      }
    });
    const back = form.querySelector("[data-back]");
    if (back) {
      back.addEventListener("click", (event) => {
        event.preventDefault();
        if (history.state && history.state.step) history.back();
        else if (previous(id)) show(previous(id), { push: true });
      });
    }
  }

  window.addEventListener("popstate", (event) => {
    const id = (event.state && event.state.step) || location.hash.slice(1);
    if (state._done && id !== "done") { reset(); return; }
    if (forms[id]) show(id);
    else show(steps[0].id);
  });

  function reset() {
    state = {};
    save();
    history.replaceState({ step: steps[0].id }, "", location.pathname);
    show(steps[0].id, { focus: true });
  }

  // Where to start: the step in the URL if its earlier answers are there, else the first.
  const wanted = location.hash.slice(1);
  const reached = state._reached || [];
  const start = forms[wanted] && (wanted === steps[0].id || reached.includes(wanted)) &&
    !(state._done && wanted !== "done") ? wanted : steps[0].id;
  if (state._done && start !== "done") { state = {}; save(); }
  history.replaceState({ step: start }, "", start === steps[0].id ? location.pathname : `#${start}`);
  show(start, { focus: false });

  const api = {
    get state() { return state; },
    save,
    show: (id) => show(id, { push: true }),
    /** "Change" on the check page: that step, then straight back to the check page. */
    change(id) {
      state._return = current;
      save();
      show(id, { push: true });
    },
    reveal,
    reset,
    finish(extra) {
      state = { _done: true, ...extra, _reached: ["done"] };
      save();
      history.replaceState({ step: "done" }, "", "#done");
      show("done");
    },
  };
  return api;
}

/** Check-your-answers rows: [{label, value, step}] into a govgr summary list. */
export function summaryList(container, rows, goTo) {
  container.replaceChildren(el("dl", { class: "govgr-summary-list" }, rows.map((row) =>
    el("div", { class: "govgr-summary-list__row" },
      el("dt", { class: "govgr-summary-list__key" }, row.label),
      el("dd", { class: "govgr-summary-list__value" }, row.value || "–"),
      el("dd", { class: "govgr-summary-list__actions" }, row.step ? el("a", {
        class: "govgr-link", href: `#${row.step}`,
        onclick: (e) => { e.preventDefault(); goTo(row.step); },
      }, T.change, el("span", { class: "govgr-visually-hidden" }, ` ${row.label}`)) : null)))));
}
