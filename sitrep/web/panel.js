// The event panel: the event's facts, its claims grouped by stance, and every source article's
// clean text with the reporting sentences marked. All API text goes in as text nodes.

import { getJSON } from "./api.js";
import { clear, h, highlighted, safeLink } from "./dom.js";
import {
  CLASS_LABELS, STANCES, capitalise, classColour, fmtDay, fmtTime, humanType, plural,
} from "./format.js";

function fact(label, ...value) {
  const parts = value.flat().filter((v) => v !== null && v !== undefined && v !== "");
  if (!parts.length) return null;
  return [h("dt", null, label), h("dd", null, ...parts)];
}

function actorLabel(name, country) {
  if (!name && !country) return null;
  if (name && country && !name.includes(country)) return `${name} (${country})`;
  return name || country;
}

function placeLabel(ev) {
  const parts = [ev.location, ev.admin2, ev.admin1, ev.country].filter(Boolean);
  const unique = parts.filter((p, i) => parts.indexOf(p) === i);
  return unique.join(", ");
}

const norm = (text) => String(text || "").toLowerCase().replace(/[^a-z]/g, "");

const PRECISION = { 1: "exact place", 2: "district or nearby", 3: "province or country" };

export class EventPanel {
  constructor(el, { onClose, onCeasefire, ceasefireIds }) {
    this.el = el;
    this.body = el.querySelector("#panel-body");
    this.title = el.querySelector("#panel-title");
    this.onClose = onClose;
    this.onCeasefire = onCeasefire;
    this.ceasefireIds = ceasefireIds; // () => Set of ceasefire ids known
    this.gen = 0;
    this.eventId = null;
    el.querySelector("#panel-close").addEventListener("click", () => this.close());
    el.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.close();
    });
  }

  get isOpen() {
    return !this.el.hidden;
  }

  async open(eventId) {
    const gen = ++this.gen;
    this.eventId = eventId;
    this.el.hidden = false;
    this.el.dataset.eventId = eventId;
    this.el.setAttribute("aria-busy", "true");
    document.body.classList.add("panel-open");
    this.title.textContent = "Loading…";
    clear(this.body).append(h("p", { class: "muted loading" }, "Loading event…"));
    let ev;
    try {
      ev = await getJSON(`events/${encodeURIComponent(eventId)}`);
    } catch (err) {
      if (gen !== this.gen) return;
      this.title.textContent = "Event";
      clear(this.body).append(h("p", { class: "panel-error", role: "alert" }, `Could not load this event: ${err.message}`));
      this.el.removeAttribute("aria-busy");
      return;
    }
    if (gen !== this.gen) return;
    this.render(ev, gen);
  }

  close() {
    if (this.el.hidden) return;
    this.gen++;
    this.el.hidden = true;
    this.eventId = null;
    delete this.el.dataset.eventId;
    document.body.classList.remove("panel-open");
    this.onClose();
  }

  render(ev, gen) {
    this.title.textContent = humanType(ev.type);
    const body = clear(this.body);
    const cls = ev.class || "other";
    const chip = h("span", { class: `chip chip-class class-${cls}` }, h("span", { class: "dot" }), CLASS_LABELS[cls] || cls);
    chip.firstChild.style.backgroundColor = classColour(cls);
    body.append(
      h("div", { class: "panel-chips" },
        chip,
        ev.status ? h("span", { class: `chip status status-${ev.status}`, "data-testid": "event-status" }, capitalise(ev.status)) : null,
        ev.historical ? h("span", { class: "chip chip-muted" }, "Background") : null),
    );
    if (ev.notes) body.append(h("p", { class: "event-notes" }, ev.notes));

    const sources = ev.sources || [];
    const articles = [...new Set(sources.map((x) => x.article_id))];
    const when = [fmtDay(ev.event_date), fmtTime(ev.event_time)].filter(Boolean).join(", ");
    const actors = [actorLabel(ev.actor1, ev.actor1_country), actorLabel(ev.actor2, ev.actor2_country)].filter(Boolean);
    const place = placeLabel(ev);
    const dl = h("dl", { class: "facts", "data-testid": "event-facts" },
      fact("Type", humanType(ev.type), ev.acled_sub_event_type && norm(ev.acled_sub_event_type) !== norm(ev.type)
        ? h("span", { class: "muted" }, ` · ACLED: ${ev.acled_sub_event_type}`) : null),
      fact("Date", when),
      fact("Place", place || "unknown", place && PRECISION[ev.geo_precision] ? h("span", { class: "muted" }, ` · ${PRECISION[ev.geo_precision]}`) : null),
      fact("Actors", actors.length ? actors.join(" → ") : "unknown"),
      fact("Mediator", actorLabel(ev.mediator, ev.mediator_country)),
      fact("Targets", (ev.targets || []).join(", ")),
      fact("Fatalities", ev.fatalities === null || ev.fatalities === undefined ? "not stated" : String(ev.fatalities)),
      fact("Injuries", ev.injuries === null || ev.injuries === undefined ? null : String(ev.injuries)),
      fact("Weapons", (ev.weapons || []).map((w) => w.replace(/_/g, " ")).join(", ")),
      fact("Status", capitalise(ev.status)),
      fact("Sources", h("span", { "data-testid": "source-count" },
        `${plural(sources.length, "sentence")} in ${plural(articles.length, "article")}`),
        ev.independent_sources ? h("span", { class: "muted" }, ` · ${plural(ev.independent_sources, "independent source")}`) : null),
    );
    body.append(dl);

    // ceasefire: the one this event violates, or the one this event is
    if (ev.ceasefire) {
      const cf = ev.ceasefire;
      const parties = (cf.parties || []).join(" – ");
      body.append(h("div", { class: "callout callout-warn" },
        h("strong", null, "Reported ceasefire violation. "),
        `This hostile event falls under the ${parties || ""} ceasefire in force from ${fmtDay(cf.start_date)}. `,
        h("button", { type: "button", class: "link-button", "data-testid": "ceasefire-link",
          onclick: () => this.onCeasefire(cf.ceasefire_id) }, "Open the ceasefire")));
    } else if (this.ceasefireIds().has(ev.event_id)) {
      body.append(h("div", { class: "callout" },
        "This agreement is tracked as a ceasefire. ",
        h("button", { type: "button", class: "link-button", "data-testid": "ceasefire-link",
          onclick: () => this.onCeasefire(ev.event_id) }, "See its violations")));
    }

    body.append(this.renderClaims(ev.claims || []));

    const srcSection = h("section", { class: "panel-section sources", "aria-label": "Source articles" },
      h("h3", null, `Sources `, h("span", { class: "muted" }, `(${articles.length})`)));
    body.append(srcSection);
    if (!articles.length) srcSection.append(h("p", { class: "muted" }, "No source sentence stored."));
    for (const articleId of articles) {
      const spans = sources.filter((x) => x.article_id === articleId);
      const claimSpans = (ev.claims || []).filter((c) => c.article_id === articleId);
      const box = h("article", { class: "source-article", "data-article-id": articleId },
        h("p", { class: "muted loading" }, "Loading article…"));
      srcSection.append(box);
      this.loadArticle(box, articleId, spans, claimSpans, gen);
    }
    body.append(h("p", { class: "event-id muted" }, `Event id ${ev.event_id}`));
    this.el.removeAttribute("aria-busy");
    this.body.scrollTop = 0;
    this.el.scrollTop = 0;
  }

  renderClaims(claims) {
    const section = h("section", { class: "panel-section claims", "aria-label": "Claims", "data-testid": "claims" },
      h("h3", null, "Claims ", h("span", { class: "muted" }, `(${claims.length})`)));
    if (!claims.length) {
      section.append(h("p", { class: "muted" }, "No one is quoted claiming, acknowledging or denying it."));
      return section;
    }
    for (const [stance, label] of STANCES) {
      const group = claims.filter((c) => c.stance === stance);
      if (!group.length) continue;
      section.append(h("div", { class: `claim-group claims-${stance}`, "data-stance": stance },
        h("h4", null, h("span", { class: `stance-badge stance-${stance}` }, label), h("span", { class: "muted" }, ` ${group.length}`)),
        h("ul", { class: "claim-list" }, group.map((c) => h("li", { class: "claim" },
          h("div", { class: "claimant" }, c.by || "unnamed source", c.by_country ? h("span", { class: "code" }, c.by_country) : null),
          h("blockquote", { class: "claim-sentence" }, c.sentence || "")))),
      ));
    }
    const other = claims.filter((c) => !STANCES.some(([st]) => st === c.stance));
    if (other.length) {
      section.append(h("div", { class: "claim-group claims-other" }, h("h4", null, "Other"),
        h("ul", { class: "claim-list" }, other.map((c) => h("li", { class: "claim" },
          h("div", { class: "claimant" }, c.by || "unnamed source", ` · ${c.stance}`),
          h("blockquote", { class: "claim-sentence" }, c.sentence || ""))))));
    }
    return section;
  }

  async loadArticle(box, articleId, spans, claimSpans, gen) {
    let art;
    try {
      art = await getJSON(`articles/${encodeURIComponent(articleId)}`);
    } catch (err) {
      if (gen !== this.gen) return;
      clear(box).append(h("p", { class: "panel-error" }, `Could not load article ${articleId}: ${err.message}`));
      return;
    }
    if (gen !== this.gen) return;
    const marks = [
      ...spans.map((x) => ({ start: x.char_start, end: x.char_end, cls: "source-span", title: "Reports this event" })),
      ...claimSpans.map((c) => ({ start: c.char_start, end: c.char_end, cls: "claim-span", title: `Claim: ${c.by || ""} ${c.stance}` })),
    ];
    const { fragment, marks: made } = highlighted(art.clean_text || "", marks);
    const meta = [
      art.published ? `${fmtDay(art.published)}${art.published_inferred ? " (date inferred)" : ""}` : "publication date unknown",
      art.language ? art.language.toUpperCase() : null,
      art.duplicate_of ? "republished copy" : null,
    ].filter(Boolean).join(" · ");
    const text = h("div", { class: "article-text", tabindex: "0", "aria-label": "Article text" }, fragment);
    clear(box).append(
      h("header", { class: "article-head" },
        h("h4", { class: "article-title" }, art.title || "Untitled article"),
        h("p", { class: "article-meta muted" }, meta,
          art.url ? [" · ", safeLink(art.url, "original")] : null)),
      text,
    );
    // bring the first marked sentence into view inside the text box
    const first = made.find((m) => m.classList.contains("source-span")) || made[0];
    if (first) text.scrollTop = Math.max(0, first.offsetTop - 24); // .article-text is position: relative
  }
}
