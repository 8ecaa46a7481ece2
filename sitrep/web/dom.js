// DOM helpers. Everything from the API is untrusted: it only ever reaches the page as a text
// node (textContent / createTextNode) or as an attribute value set with setAttribute, never as
// markup. Nothing in this app assigns innerHTML, outerHTML or insertAdjacentHTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function setAttrs(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = String(value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "style" || key === "innerHTML") {
      throw new Error(`refusing to set ${key}`); // CSP forbids inline styles; no markup
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
}

function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** An HTML element: h("p", {class: "x"}, "text", otherNode). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  appendAll(el, children);
  return el;
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  appendAll(el, children);
  return el;
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

/** A link only for http(s) URLs; anything else (javascript:, data:) is shown as plain text. */
export function safeLink(url, label, attrs = {}) {
  let parsed = null;
  try {
    parsed = new URL(String(url), document.baseURI);
  } catch {
    parsed = null;
  }
  if (!url || !parsed || !["http:", "https:"].includes(parsed.protocol)) {
    return h("span", { class: "url-text" }, label ?? String(url ?? ""));
  }
  return h(
    "a",
    { href: parsed.href, target: "_blank", rel: "noopener noreferrer nofollow", ...attrs },
    label ?? parsed.href,
  );
}

/**
 * `text` with spans wrapped in <mark>. Offsets count Unicode code points, as Python's string
 * indices do (JS strings index UTF-16 code units, so the text is split into code points first).
 * spans: [{start, end, cls, title}]; overlapping spans are clipped, the earlier one wins.
 */
export function highlighted(text, spans) {
  const cps = Array.from(text || "");
  const frag = document.createDocumentFragment();
  const sorted = spans
    .filter((sp) => Number.isInteger(sp.start) && Number.isInteger(sp.end) && sp.end > sp.start)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  let pos = 0;
  const marks = [];
  for (const sp of sorted) {
    const start = Math.max(sp.start, pos);
    const end = Math.min(sp.end, cps.length);
    if (end <= start) continue;
    if (start > pos) frag.append(document.createTextNode(cps.slice(pos, start).join("")));
    const mark = h("mark", { class: sp.cls, title: sp.title }, cps.slice(start, end).join(""));
    frag.append(mark);
    marks.push(mark);
    pos = end;
  }
  if (pos < cps.length) frag.append(document.createTextNode(cps.slice(pos).join("")));
  return { fragment: frag, marks };
}
