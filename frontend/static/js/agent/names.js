// Names for the ids the API gives: agencies, topics, services, branches (public reference lists),
// in the page's language; an id without a name is shown as it is.
import { api, lang } from "../api.js";

let lists = null;

/** Loads the reference lists once per page (they are public and small). */
export async function loadNames() {
  if (!lists) {
    lists = Promise.all(["/agencies", "/services", "/branches"].map((path) => api("GET", path)))
      .then((results) => results.map((r) => (r.ok && Array.isArray(r.data) ? r.data : [])));
  }
  const [agencies, services, branches] = await lists;
  return { agencies, services, branches };
}

/** A `{"el","en"}` name in the page's language, or the fallback. */
export const named = (name, fallback = "") => (name && (name[lang] || name.el)) || fallback;

const byId = (items, id) => items.find((item) => item.id === id);

export async function nameOf(kind, id) {
  if (!id) return "";
  const all = await loadNames();
  return named(byId(all[kind], id)?.name, id);
}

export async function topicName(agency, topic) {
  const all = await loadNames();
  return named(byId(byId(all.agencies, agency)?.topics || [], topic)?.name, topic);
}
