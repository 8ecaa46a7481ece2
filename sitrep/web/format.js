// Colours, labels and date formats shared by the views.

export const CLASSES = ["violence", "unrest", "agreement", "diplomacy", "other"];

export const CLASS_COLOURS = {
  violence: "#d1495b",
  unrest: "#ed8b00",
  agreement: "#2a9d8f",
  diplomacy: "#3d6fb6",
  other: "#8d8f99",
};

export const CLASS_LABELS = {
  violence: "Violence",
  unrest: "Unrest",
  agreement: "Agreement",
  diplomacy: "Diplomacy",
  other: "Other",
};

const REPORTER_PALETTE = [
  "#3d6fb6", "#d1495b", "#2a9d8f", "#ed8b00", "#7b5ea7", "#66a61e", "#c2528b", "#8c6d31",
];

export function reporterColour(code, index) {
  if (code === "?" || code === null || code === undefined) return "#9aa0a6";
  return REPORTER_PALETTE[index % REPORTER_PALETTE.length];
}

export function classColour(cls) {
  return CLASS_COLOURS[cls] || CLASS_COLOURS.other;
}

export function humanType(type) {
  if (!type) return "Event";
  const text = String(type).replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function capitalise(text) {
  const str = String(text ?? "");
  return str.charAt(0).toUpperCase() + str.slice(1);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2022-09-13" -> Date at UTC midnight (null if not a date). */
export function parseDay(value) {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
  if (!m) return null;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

export function isoDay(date) {
  return date.toISOString().slice(0, 10);
}

export function fmtDay(value) {
  const d = value instanceof Date ? value : parseDay(value);
  if (!d) return value ? String(value) : "date unknown";
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function fmtMonth(d) {
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

export function fmtTime(value) {
  if (!value) return "";
  const m = /T(\d{2}):(\d{2})/.exec(String(value));
  return m ? `${m[1]}:${m[2]} UTC` : "";
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

export function fmtNumber(n) {
  return new Intl.NumberFormat("en").format(n);
}

export const STANCES = [
  ["asserts", "Asserts"],
  ["acknowledges", "Acknowledges"],
  ["denies", "Denies"],
];
