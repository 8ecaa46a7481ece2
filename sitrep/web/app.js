// sitrep dashboard: filters -> map, timeline, list; event panel; ceasefire view.
// Plain ES modules, no framework, no build step. See README.md in this folder.

import { getJSON } from "./api.js";
import { CeasefireView } from "./ceasefires.js";
import { clear, h } from "./dom.js";
import {
  CLASSES, CLASS_LABELS, classColour, fmtDay, fmtNumber, humanType, plural,
} from "./format.js";
import { EventMap } from "./map.js";
import { EventPanel } from "./panel.js";
import { Timeline } from "./timeline.js";

const PAGE = 100; // list rows per page
const MAP_LIMIT = 5000; // markers at most

const $ = (sel) => document.querySelector(sel);
const form = $("#filters");
const state = { sort: "-event_date", offset: 0, total: 0, gen: 0, selected: null, view: "events" };

// ---------------------------------------------------------------- errors
function showError(err) {
  if (err && err.name === "AbortError") return;
  console.error(err);
  const banner = $("#error");
  banner.textContent = `Something went wrong: ${err && err.message ? err.message : err}`;
  banner.hidden = false;
}

function clearError() {
  $("#error").hidden = true;
}

// ---------------------------------------------------------------- filters
function filterParams({ dates = true } = {}) {
  const data = new FormData(form);
  const params = {};
  for (const [key, value] of data.entries()) {
    const v = String(value).trim();
    if (v) params[key] = v;
  }
  if (!dates) {
    delete params.date_from;
    delete params.date_to;
  }
  return params;
}

function setDates(from, to) {
  form.elements.date_from.value = from || "";
  form.elements.date_to.value = to || "";
  refresh();
}

function fillSelect(select, values, label = (v) => v) {
  const current = select.value;
  const first = select.options[0];
  clear(select).append(first);
  for (const v of values) select.append(h("option", { value: v }, label(v)));
  if (values.includes(current)) select.value = current;
}

async function loadFilterOptions() {
  // every country and type present in the store, background events included
  const { facets } = await getJSON("events/days", { historical: "true" });
  const countries = Object.keys(facets.country).filter((c) => /^[A-Z]{3}$/.test(c)).sort();
  const types = Object.keys(facets.type).sort();
  fillSelect(form.elements.country, countries);
  fillSelect(form.elements.type, types, humanType);
}

// ---------------------------------------------------------------- legend
function renderLegend() {
  const legend = $("#legend");
  clear(legend);
  for (const cls of CLASSES) {
    const sw = h("span", { class: "swatch" });
    sw.style.backgroundColor = classColour(cls);
    legend.append(h("li", { "data-class": cls }, sw, CLASS_LABELS[cls]));
  }
  legend.append(h("li", { class: "legend-size" }, h("span", { class: "swatch-ring" }), "size: fatalities"));
}

// ---------------------------------------------------------------- list
function eventRow(e) {
  const dot = h("span", { class: "dot", "aria-hidden": "true" });
  dot.style.backgroundColor = classColour(e.class);
  const place = [e.location, e.country].filter(Boolean).filter((p, i, a) => a.indexOf(p) === i).join(", ");
  const actors = [e.actor1, e.actor2].filter(Boolean).join(" → ");
  const button = h("button", {
    type: "button", class: "event-row", "data-event-id": e.event_id,
    "aria-current": e.event_id === state.selected ? "true" : null,
    onclick: () => selectEvent(e.event_id, { from: "list" }),
  },
  dot,
  h("span", { class: "row-date" }, fmtDay(e.event_date)),
  h("span", { class: "row-main" },
    h("span", { class: "row-title" }, humanType(e.type), place ? h("span", { class: "row-place" }, ` · ${place}`) : null),
    actors ? h("span", { class: "row-actors" }, actors) : null),
  h("span", { class: "row-side" },
    e.fatalities ? h("span", { class: "row-fatal" }, `${e.fatalities} killed`) : null,
    e.status ? h("span", { class: `chip status status-${e.status}` }, e.status) : null,
    e.historical ? h("span", { class: "chip chip-muted" }, "background") : null));
  return h("li", null, button);
}

function renderList(items, append = false) {
  const list = $("#event-list");
  if (!append) clear(list);
  for (const e of items) list.append(eventRow(e));
  if (!list.children.length) list.append(h("li", { class: "empty muted" }, "No event matches these filters."));
  const shown = list.querySelectorAll(".event-row").length;
  const more = $("#list-more");
  more.hidden = shown >= state.total;
  more.textContent = `Show more (${fmtNumber(state.total - shown)} left)`;
}

function markSelectedRow() {
  for (const row of document.querySelectorAll(".event-row")) {
    if (row.dataset.eventId === state.selected) row.setAttribute("aria-current", "true");
    else row.removeAttribute("aria-current");
  }
}

// ---------------------------------------------------------------- refresh
let controller = null;

async function refresh() {
  const gen = ++state.gen;
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  const params = filterParams();
  state.offset = 0;
  $("#main").setAttribute("aria-busy", "true");
  updateRangeLabel(params);
  try {
    const [geo, page, undated] = await Promise.all([
      getJSON("events.geojson", { ...params, limit: MAP_LIMIT }, { signal }),
      getJSON("events", { ...params, limit: PAGE, offset: 0, sort: state.sort }, { signal }),
      getJSON("events/days", filterParams({ dates: false }), { signal }),
    ]);
    if (gen !== state.gen) return;
    clearError();
    state.total = page.total;
    $("#event-count").textContent = fmtNumber(page.total);
    $("#event-count-label").textContent = page.total === 1 ? "event" : "events";
    const onMap = geo.features.length;
    $("#map-count").textContent = onMap === page.total ? "" : ` · ${fmtNumber(onMap)} on the map`;
    map.show(geo);
    renderList(page.items);
    timeline.update(undated.days, { from: params.date_from, to: params.date_to });
  } catch (err) {
    if (gen === state.gen) showError(err);
  } finally {
    if (gen === state.gen) $("#main").removeAttribute("aria-busy");
  }
}

async function loadMore() {
  const gen = state.gen;
  const offset = $("#event-list").querySelectorAll(".event-row").length;
  try {
    const page = await getJSON("events", { ...filterParams(), limit: PAGE, offset, sort: state.sort });
    if (gen !== state.gen) return;
    state.total = page.total;
    renderList(page.items, true);
  } catch (err) {
    showError(err);
  }
}

function updateRangeLabel(params) {
  const { date_from: from, date_to: to } = params;
  $("#timeline-clear").hidden = !(from || to);
  $("#range-label").textContent = from || to
    ? from === to ? fmtDay(from) : `${from ? fmtDay(from) : "…"} – ${to ? fmtDay(to) : "…"}`
    : "";
}

async function loadStats() {
  const st = await getJSON("stats");
  $("#store-stats").textContent = [
    plural(st.articles, "article"),
    plural(st.events, "event"),
    st.historical ? `${fmtNumber(st.historical)} background` : null,
  ].filter(Boolean).join(" · ");
  return st;
}

// ---------------------------------------------------------------- selection and views
let lastTrigger = null;

function selectEvent(eventId, { from = "map" } = {}) {
  if (state.view !== "events") showView("events", { push: false });
  lastTrigger = from === "list" ? document.activeElement : null;
  state.selected = eventId;
  markSelectedRow();
  map.highlight(eventId);
  if (from !== "map") map.panTo(eventId);
  setHash(`#event/${encodeURIComponent(eventId)}`);
  document.querySelector(".layout").classList.add("with-panel");
  panel.open(eventId).then(() => map.invalidate());
  requestAnimationFrame(() => panel.el.focus({ preventScroll: true }));
}

function onPanelClosed() {
  state.selected = null;
  markSelectedRow();
  map.highlight(null);
  document.querySelector(".layout").classList.remove("with-panel");
  requestAnimationFrame(() => map.invalidate());
  setHash("");
  if (lastTrigger && document.contains(lastTrigger)) lastTrigger.focus();
}

function showView(view, { push = true } = {}) {
  state.view = view;
  $("#view-events").hidden = view !== "events";
  $("#view-ceasefires").hidden = view !== "ceasefires";
  for (const tab of document.querySelectorAll(".tab")) {
    tab.setAttribute("aria-pressed", String(tab.dataset.view === view));
  }
  if (view === "events") requestAnimationFrame(() => map.invalidate());
  if (view === "ceasefires" && push) setHash("#ceasefires");
  if (view === "events" && push) setHash(state.selected ? `#event/${encodeURIComponent(state.selected)}` : "");
}

function openCeasefire(ceasefireId) {
  if (panel.isOpen && window.matchMedia("(max-width: 760px)").matches) panel.close();
  showView("ceasefires");
  ceasefires.focus(ceasefireId);
}

function setHash(hash) {
  const url = `${location.pathname}${location.search}${hash}`;
  if (`${location.hash}` !== hash) history.replaceState(null, "", url);
}

function route() {
  const hash = location.hash;
  if (hash === "#ceasefires") showView("ceasefires", { push: false });
  else if (hash.startsWith("#event/")) selectEvent(decodeURIComponent(hash.slice(7)), { from: "link" });
}

// ---------------------------------------------------------------- wiring
const map = new EventMap($("#map"), { onSelect: (id) => selectEvent(id, { from: "map" }) });
const timeline = new Timeline($("#timeline"), {
  onRange: (from, to) => setDates(from, to),
  unitEl: $("#timeline-unit"),
});
const ceasefires = new CeasefireView($("#ceasefires"), { onEvent: (id) => selectEvent(id, { from: "ceasefire" }) });
const panel = new EventPanel($("#event-panel"), {
  onClose: onPanelClosed,
  onCeasefire: openCeasefire,
  ceasefireIds: () => ceasefires.ids,
});

let debounce = null;
form.addEventListener("input", (ev) => {
  if (ev.target.type !== "search" && ev.target.type !== "text") return;
  clearTimeout(debounce);
  debounce = setTimeout(refresh, 300);
});
form.addEventListener("change", (ev) => {
  if (ev.target.type === "search" || ev.target.type === "text") {
    clearTimeout(debounce);
  }
  refresh();
});
form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  refresh();
});
form.addEventListener("reset", () => setTimeout(refresh, 0));
$("#sort").addEventListener("change", (ev) => {
  state.sort = ev.target.value;
  refresh();
});
$("#list-more").addEventListener("click", loadMore);
$("#timeline-clear").addEventListener("click", () => setDates("", ""));
for (const tab of document.querySelectorAll(".tab")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
}
$("#filters-toggle").addEventListener("click", (ev) => {
  const open = ev.currentTarget.getAttribute("aria-expanded") !== "true";
  ev.currentTarget.setAttribute("aria-expanded", String(open));
  form.classList.toggle("open", open);
});
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape" && panel.isOpen) panel.close();
});
window.addEventListener("hashchange", route);

renderLegend();
document.body.dataset.ready = "false";

async function start() {
  const steps = [
    loadStats(),
    loadFilterOptions(),
    ceasefires.load(),
    map.ready,
  ];
  for (const r of await Promise.allSettled(steps)) if (r.status === "rejected") showError(r.reason);
  await refresh();
  route();
  document.body.dataset.ready = "true";
}

start();
