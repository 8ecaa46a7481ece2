// The ceasefire view: each ceasefire, and its reported violations per day by reporting side.

import { getJSON } from "./api.js";
import { clear, h, s } from "./dom.js";
import { fmtDay, fmtTime, humanType, isoDay, parseDay, plural, reporterColour } from "./format.js";

const DAY = 86400000;

function violationChart(cf, colourOf) {
  const violations = cf.violations || [];
  const start = parseDay(cf.start_date);
  const dates = violations.map((v) => parseDay(v.event_date)).filter(Boolean);
  if (!dates.length) return null;
  const first = start && start < Math.min(...dates) ? start : new Date(Math.min(...dates));
  // at least two weeks wide, so that a few days of violations do not fill the chart
  const last = new Date(Math.max(...dates, first.getTime() + 13 * DAY));
  const days = Math.round((last - first) / DAY) + 1;
  const perDay = Array.from({ length: days }, (_, i) => ({ day: new Date(first.getTime() + i * DAY), by: {} , total: 0 }));
  for (const v of violations) {
    const d = parseDay(v.event_date);
    if (!d) continue;
    const slot = perDay[Math.round((d - first) / DAY)];
    for (const side of v.reported_by && v.reported_by.length ? v.reported_by : ["?"]) {
      slot.by[side] = (slot.by[side] || 0) + 1;
      slot.total += 1;
    }
  }
  const W = 520;
  const H = 150;
  const pad = { top: 10, right: 8, bottom: 24, left: 28 };
  const innerW = W - pad.left - pad.right;
  const innerH = H - pad.top - pad.bottom;
  const step = innerW / days;
  const max = Math.max(...perDay.map((d) => d.total), 1);
  const svg = s("svg", {
    class: "cf-chart", viewBox: `0 0 ${W} ${H}`, role: "img", preserveAspectRatio: "xMidYMid meet",
    "aria-label": `Violations per day by reporting side, ${plural(violations.length, "violation")}`,
  });
  for (const n of [0, max]) {
    const y = pad.top + innerH - (n / max) * innerH;
    svg.append(s("line", { class: "grid", x1: pad.left, x2: W - pad.right, y1: y, y2: y }));
    svg.append(s("text", { class: "tick", x: pad.left - 5, y: y + 4, "text-anchor": "end" }, String(n)));
  }
  const sides = Object.keys(colourOf);
  perDay.forEach((d, i) => {
    let base = pad.top + innerH;
    const w = Math.max(Math.min(step * 0.7, 26), 1);
    const x = pad.left + i * step + (step - w) / 2;
    const g = s("g", { class: "cf-day", "data-day": isoDay(d.day) },
      s("title", null, `${fmtDay(d.day)}: ${d.total ? Object.entries(d.by).map(([k, n]) => `${k} ${n}`).join(", ") : "none"}`));
    for (const side of sides) {
      const n = d.by[side];
      if (!n) continue;
      const hh = (n / max) * innerH;
      base -= hh;
      g.append(s("rect", { x, y: base, width: w, height: hh, fill: colourOf[side], "data-reporter": side }));
    }
    svg.append(g);
  });
  if (start && start >= first) {
    const x = pad.left + Math.round((start - first) / DAY) * step;
    svg.append(s("line", { class: "cf-start", x1: x, x2: x, y1: pad.top, y2: pad.top + innerH }));
    svg.append(s("text", { class: "tick cf-start-label", x: x + 4, y: pad.top + 9 }, "start"));
  }
  const ticks = Math.min(days, 4);
  for (let t = 0; t < ticks; t++) {
    const i = ticks === 1 ? 0 : Math.round((t * (days - 1)) / (ticks - 1));
    const anchor = t === 0 ? "start" : t === ticks - 1 ? "end" : "middle";
    const x = anchor === "start" ? pad.left : anchor === "end" ? W - pad.right : pad.left + (i + 0.5) * step;
    svg.append(s("text", { class: "tick", x, y: H - 6, "text-anchor": anchor }, fmtDay(perDay[i].day)));
  }
  return svg;
}

function card(cf, onEvent) {
  const parties = cf.parties || [];
  const violations = cf.violations || [];
  const reporters = Object.keys(cf.violations_by_reporter || {});
  for (const v of violations) for (const r of v.reported_by || ["?"]) if (!reporters.includes(r)) reporters.push(r);
  reporters.sort((a, b) => (a === "?") - (b === "?") || a.localeCompare(b));
  const colourOf = Object.fromEntries(reporters.map((r, i) => [r, reporterColour(r, i)]));

  const field = (label, value) => (value ? [h("dt", null, label), h("dd", null, value)] : null);
  const start = [fmtDay(cf.start_date), fmtTime(cf.start_time)].filter(Boolean).join(", ");
  const chart = violationChart(cf, colourOf);
  const legend = h("ul", { class: "cf-legend", "aria-label": "Violations by reporting side" },
    reporters.map((r) => {
      const sw = h("span", { class: "swatch" });
      sw.style.backgroundColor = colourOf[r];
      const n = (cf.violations_by_reporter || {})[r] || 0;
      return h("li", { "data-reporter": r }, sw, `${r === "?" ? "unattributed" : `reported by ${r}`}: ${n}`);
    }));

  return h("article", { class: "cf-card", "data-ceasefire-id": cf.ceasefire_id, tabindex: "-1" },
    h("header", { class: "cf-card-head" },
      h("h3", null, h("span", { class: "cf-parties", "data-testid": "cf-parties" },
        parties.map((p, i) => [i ? h("span", { class: "sep", "aria-hidden": "true" }, " – ") : null, h("span", { class: "party" }, p)])),
        h("span", { class: "cf-kind" }, " ceasefire")),
      h("span", { class: `chip ${violations.length ? "chip-warn" : "chip-ok"}` },
        violations.length ? plural(violations.length, "violation") : "no violations reported")),
    h("dl", { class: "facts cf-facts" },
      field("Start", start || "unknown"),
      field("End", cf.end_date ? fmtDay(cf.end_date) : "open-ended"),
      field("Mediator", cf.mediator),
      field("Announced by", (cf.announced_by || []).join(", ")),
      field("Scope", (cf.scope || []).join(", "))),
    chart
      ? h("figure", { class: "cf-figure" }, chart, h("figcaption", null, legend))
      : h("p", { class: "muted cf-none" }, "No hostile event between the parties has been reported since it started."),
    violations.length
      ? h("details", { class: "cf-violations" },
        h("summary", null, `Violations (${violations.length})`),
        h("ol", null, violations.map((v) => h("li", null,
          h("button", { type: "button", class: "link-button", "data-event-id": v.event_id, onclick: () => onEvent(v.event_id) },
            `${fmtDay(v.event_date)} · ${humanType(v.type)}${v.location ? ` · ${v.location}` : ""}`),
          h("span", { class: "muted" }, ` reported by ${(v.reported_by || []).join(", ") || "?"}`)))))
      : null,
    h("p", { class: "muted cf-id" }, h("button", { type: "button", class: "link-button", onclick: () => onEvent(cf.ceasefire_id) }, "Open the agreement")));
}

export class CeasefireView {
  constructor(el, { onEvent }) {
    this.el = el;
    this.onEvent = onEvent;
    this.data = null;
    this.ids = new Set();
  }

  async load() {
    const data = await getJSON("ceasefires");
    this.data = (Array.isArray(data) ? data : data.items || [])
      .slice()
      .sort((a, b) => String(b.start_date || "").localeCompare(String(a.start_date || "")));
    this.ids = new Set(this.data.map((c) => c.ceasefire_id));
    this.render();
    return this.data;
  }

  render() {
    const el = clear(this.el);
    if (!this.data.length) {
      el.append(h("p", { class: "muted empty" }, "No ceasefire is stored yet."));
      return;
    }
    for (const cf of this.data) el.append(card(cf, this.onEvent));
  }

  focus(ceasefireId) {
    for (const c of this.el.querySelectorAll(".cf-card")) {
      const on = c.dataset.ceasefireId === ceasefireId;
      c.classList.toggle("focused", on);
      if (on) {
        c.scrollIntoView({ block: "start", behavior: "smooth" });
        c.focus({ preventScroll: true });
      }
    }
  }
}
