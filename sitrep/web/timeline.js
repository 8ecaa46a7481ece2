// The timeline: events per day (or week, or month, when the dates span long) by class, as
// stacked SVG bars. Click a bar to filter its dates; drag across bars to filter a range.

import { clear, s } from "./dom.js";
import {
  CLASSES, CLASS_LABELS, classColour, fmtDay, fmtMonth, isoDay, parseDay, plural,
} from "./format.js";

const DAY = 86400000;
const HEIGHT = 132;
const PAD = { top: 10, right: 10, bottom: 22, left: 30 };

function startOfBin(d, unit) {
  if (unit === "day") return d;
  if (unit === "week") return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY); // Monday
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
}

function nextBin(d, unit) {
  if (unit === "day") return new Date(d.getTime() + DAY);
  if (unit === "week") return new Date(d.getTime() + 7 * DAY);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
}

/** `items`: rows of /events/days ({day, class, events}), or events ({event_date, class}). */
export function binEvents(items) {
  const days = items
    .map((e) => ({ d: parseDay(e.day ?? e.event_date), cls: e.class, n: e.events ?? 1 }))
    .filter((e) => e.d);
  if (!days.length) return { unit: "day", bins: [] };
  const min = new Date(Math.min(...days.map((e) => e.d.getTime())));
  const max = new Date(Math.max(...days.map((e) => e.d.getTime())));
  const span = (max - min) / DAY;
  const unit = span <= 92 ? "day" : span <= 540 ? "week" : "month";
  const bins = [];
  const index = new Map();
  for (let d = startOfBin(min, unit); d <= max; d = nextBin(d, unit)) {
    const bin = { start: d, end: new Date(nextBin(d, unit) - DAY), counts: {}, total: 0 };
    index.set(d.getTime(), bin);
    bins.push(bin);
  }
  for (const e of days) {
    const bin = index.get(startOfBin(e.d, unit).getTime());
    const cls = CLASSES.includes(e.cls) ? e.cls : "other";
    bin.counts[cls] = (bin.counts[cls] || 0) + e.n;
    bin.total += e.n;
  }
  return { unit, bins };
}

/** Bins as drawn: a run of more than MAX_EMPTY empty bins becomes one narrow "gap" slot, so
 * that an outlier decades away does not squeeze every bar to a hairline. */
const MAX_EMPTY = 3;

export function slotsOf(bins) {
  const slots = [];
  let i = 0;
  while (i < bins.length) {
    if (bins[i].total) {
      slots.push({ bin: bins[i], index: i });
      i += 1;
      continue;
    }
    let j = i;
    while (j < bins.length && !bins[j].total) j += 1;
    if (j - i > MAX_EMPTY) slots.push({ gap: true, from: bins[i], to: bins[j - 1] });
    else for (let k = i; k < j; k++) slots.push({ bin: bins[k], index: k });
    i = j;
  }
  return slots;
}

function binLabel(bin, unit) {
  if (unit === "day") return fmtDay(bin.start);
  if (unit === "week") return `week of ${fmtDay(bin.start)}`;
  return fmtMonth(bin.start);
}

export class Timeline {
  constructor(el, { onRange, unitEl }) {
    this.el = el;
    this.unitEl = unitEl;
    this.onRange = onRange;
    this.items = [];
    this.range = { from: "", to: "" };
    this.width = 0;
    new ResizeObserver(() => {
      if (this.el.clientWidth !== this.width) this.render();
    }).observe(el);
  }

  update(items, range) {
    this.items = items;
    this.range = range;
    this.render();
  }

  render() {
    const el = this.el;
    this.width = el.clientWidth;
    clear(el);
    const { unit, bins } = binEvents(this.items);
    this.unitEl.textContent = bins.length ? `· events per ${unit}` : "";
    if (!bins.length) {
      el.append(s("svg", { class: "timeline-empty", viewBox: `0 0 300 40`, role: "img",
        "aria-label": "No dated events" },
        s("text", { x: 150, y: 24, "text-anchor": "middle" }, "No dated events match")));
      return;
    }
    const width = Math.max(this.width, 240);
    const innerW = width - PAD.left - PAD.right;
    const innerH = HEIGHT - PAD.top - PAD.bottom;
    const slots = slotsOf(bins);
    // a gap slot is half as wide as a bar
    const weight = (slot) => (slot.gap ? 0.5 : 1);
    const step = innerW / slots.reduce((sum, slot) => sum + weight(slot), 0);
    const xs = [];
    slots.reduce((x, slot) => {
      xs.push(x);
      return x + weight(slot) * step;
    }, PAD.left);
    const gap = step > 6 ? Math.min(3, step * 0.25) : 0;
    const maxTotal = Math.max(...bins.map((b) => b.total), 1);
    const y = (n) => (n / maxTotal) * innerH;

    const svg = s("svg", {
      class: "timeline-svg",
      viewBox: `0 0 ${width} ${HEIGHT}`,
      width,
      height: HEIGHT,
      role: "group",
      "aria-label": `Events per ${unit} by class; click a bar or drag across bars to filter dates`,
    });
    // grid and y labels
    const grid = s("g", { class: "tl-grid" });
    for (const n of [0, maxTotal]) {
      const yy = PAD.top + innerH - y(n);
      grid.append(s("line", { x1: PAD.left, x2: width - PAD.right, y1: yy, y2: yy }));
      grid.append(s("text", { x: PAD.left - 6, y: yy + 4, "text-anchor": "end" }, String(n)));
    }
    svg.append(grid);

    const from = parseDay(this.range.from);
    const to = parseDay(this.range.to);
    const hasRange = Boolean(from || to);
    const bars = s("g", { class: "tl-bars" });
    slots.forEach((slot, i) => {
      const x = xs[i];
      if (slot.gap) {
        bars.append(s("g", { class: "tl-gap" },
          s("title", null, `no event from ${binLabel(slot.from, unit)} to ${binLabel(slot.to, unit)}`),
          s("rect", { class: "tl-gap-band", x, y: PAD.top, width: step / 2, height: innerH }),
          s("text", { x: x + step / 4, y: PAD.top + innerH - 3, "text-anchor": "middle" }, "⋯")));
        return;
      }
      const bin = slot.bin;
      const inRange = (!from || bin.end >= from) && (!to || bin.start <= to);
      const g = s("g", {
        class: `tl-bar${hasRange && !inRange ? " dim" : ""}${hasRange && inRange ? " in-range" : ""}`,
        "data-start": isoDay(bin.start),
        "data-end": isoDay(bin.end),
        "data-total": bin.total,
      });
      const parts = CLASSES.filter((c) => bin.counts[c]).map((c) => `${CLASS_LABELS[c]} ${bin.counts[c]}`);
      g.append(s("title", null,
        `${binLabel(bin, unit)}: ${plural(bin.total, "event")}${parts.length ? ` (${parts.join(", ")})` : ""}`));
      g.append(s("rect", { class: "tl-hit", x, y: PAD.top, width: step, height: innerH }));
      let base = PAD.top + innerH;
      const barW = Math.min(Math.max(step - gap, 1), 48);
      for (const cls of CLASSES) {
        const n = bin.counts[cls];
        if (!n) continue;
        const hgt = y(n);
        base -= hgt;
        g.append(s("rect", {
          class: `tl-seg seg-${cls}`,
          x: x + (step - barW) / 2,
          y: base,
          width: barW,
          height: hgt,
          fill: classColour(cls),
        }));
      }
      if (bin.total) {
        g.setAttribute("tabindex", "0");
        g.setAttribute("role", "button");
        g.setAttribute("aria-label", `${binLabel(bin, unit)}: ${plural(bin.total, "event")}`);
        g.addEventListener("keydown", (ev) => {
          if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            this.pick(i, i, slots);
          }
        });
      }
      bars.append(g);
    });
    svg.append(bars);

    // x axis labels: the first and last bars, and others where there is room
    const axis = s("g", { class: "tl-axis" });
    const label = (bin) => (unit === "month" ? fmtMonth(bin.start) : fmtDay(bin.start));
    const minGap = 96;
    const placed = [];
    const candidates = slots.map((slot, i) => ({ slot, i })).filter((c) => !c.slot.gap);
    const firstC = candidates[0];
    const lastC = candidates[candidates.length - 1];
    const order = [firstC, lastC, ...candidates.filter((c) => c.slot.bin.total && c !== firstC && c !== lastC)];
    for (const c of order) {
      const cx = xs[c.i] + step / 2;
      if (placed.some((p) => Math.abs(p - cx) < minGap)) continue;
      if (c !== firstC && c !== lastC && (cx - PAD.left < minGap / 2 || width - PAD.right - cx < minGap / 2)) continue;
      placed.push(cx);
      const anchor = c === firstC ? "start" : c === lastC ? "end" : "middle";
      const tx = anchor === "start" ? Math.max(PAD.left, cx - step / 2) : anchor === "end" ? Math.min(width - PAD.right, cx + step / 2) : cx;
      axis.append(s("text", { x: tx, y: HEIGHT - 6, "text-anchor": anchor }, label(c.slot.bin)));
      if (c === lastC && c === firstC) break;
    }
    svg.append(axis);

    const brush = s("rect", { class: "tl-brush", x: 0, y: PAD.top, width: 0, height: innerH, visibility: "hidden" });
    svg.append(brush);
    this.attachBrush(svg, brush, slots, xs);
    el.append(svg);
  }

  /** Filter the dates from slot i to slot j (either order; gaps at the ends are skipped). */
  pick(i, j, slots) {
    let a = Math.max(0, Math.min(i, j));
    let b = Math.min(slots.length - 1, Math.max(i, j));
    while (a <= b && slots[a].gap) a += 1;
    while (b >= a && slots[b].gap) b -= 1;
    if (a > b) return;
    this.onRange(isoDay(slots[a].bin.start), isoDay(slots[b].bin.end));
  }

  attachBrush(svg, brush, slots, xs) {
    let startX = null;
    const slotAt = (x) => {
      if (x < PAD.left) return -1;
      let i = 0;
      while (i + 1 < xs.length && xs[i + 1] <= x) i += 1;
      return i;
    };
    const toSlot = (clientX) => {
      const box = svg.getBoundingClientRect();
      const x = ((clientX - box.left) * svg.viewBox.baseVal.width) / box.width;
      return { x, i: slotAt(x) };
    };
    svg.addEventListener("pointerdown", (ev) => {
      if (ev.button !== 0) return;
      startX = toSlot(ev.clientX).x;
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener("pointermove", (ev) => {
      if (startX === null) return;
      const { x } = toSlot(ev.clientX);
      if (Math.abs(x - startX) < 4) return;
      brush.setAttribute("visibility", "visible");
      brush.setAttribute("x", Math.min(x, startX));
      brush.setAttribute("width", Math.abs(x - startX));
    });
    const finish = (ev) => {
      if (startX === null) return;
      const end = toSlot(ev.clientX);
      const begin = { x: startX, i: slotAt(startX) };
      startX = null;
      brush.setAttribute("visibility", "hidden");
      if (Math.abs(end.x - begin.x) < 4) {
        const slot = slots[end.i];
        if (slot && !slot.gap && slot.bin.total) this.pick(end.i, end.i, slots);
        return;
      }
      this.pick(begin.i, end.i, slots);
    };
    svg.addEventListener("pointerup", finish);
    svg.addEventListener("pointercancel", () => {
      startX = null;
      brush.setAttribute("visibility", "hidden");
    });
  }
}
