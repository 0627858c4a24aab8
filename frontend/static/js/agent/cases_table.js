// The table of cases shared by the queue and the breaches view.
import { T, el, formatDateTime, lang } from "../api.js";
import { A, ownerText, sla } from "./console.js";

export function casesTable(cases, now, caption) {
  if (!cases.length) return el("p", { class: "govgr-body" }, A.empty);
  const th = (text) => el("th", { class: "govgr-table__header", scope: "col" }, text);
  return el("table", { class: "govgr-table govgr-table--dense" },
    el("caption", { class: "govgr-table__caption govgr-visually-hidden" }, caption),
    el("thead", { class: "govgr-table__head" }, el("tr", { class: "govgr-table__row" },
      th(A.sla), th(A.reference), th(A.subject), th(A.status), th(A.tier), th(A.owner), th(A.due))),
    el("tbody", { class: "govgr-table__body" }, cases.map((c) => {
      const s = sla(c, now);
      return el("tr", { class: "govgr-table__row", "data-ref": c.reference },
        el("td", { class: "govgr-table__cell" }, el("span", { class: `sla sla-${s.kind}` }, s.label),
          c.chased ? el("span", { class: "sla sla-warn" }, A.chased) : null),
        el("td", { class: "govgr-table__cell" }, el("a", {
          class: "govgr-link", href: `/${lang}/agent/case/#ref=${encodeURIComponent(c.reference)}`,
        }, c.reference)),
        el("td", { class: "govgr-table__cell" }, c.subject),
        el("td", { class: "govgr-table__cell" }, T.status[c.status] || c.status),
        el("td", { class: "govgr-table__cell" }, String(c.tier)),
        el("td", { class: "govgr-table__cell" }, ownerText(c)),
        el("td", { class: "govgr-table__cell" }, formatDateTime(c.due_at)));
    })));
}
