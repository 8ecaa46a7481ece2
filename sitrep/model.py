"""The data model: plain frozen dataclasses that cross process boundaries unchanged.

Records that leave sitrep (events, claims, sources, articles) serialise to the field names of
`spec/events.md` through `to_dict()`; those names are a contract with tools outside the project.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

Stance = Literal["asserts", "acknowledges", "denies"]
Status = Literal["contested", "acknowledged", "confirmed", "claimed", "reported"]


def content_id(*parts: str, length: int = 16) -> str:
    """Stable id from content, so that re-ingesting never creates a new row."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of an article's clean text (`start` inclusive, `end` exclusive)."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    """One input as a reader found it, before any analysis.

    `source` is where it came from (a path, or "-"), `locator` where inside it (a JSONL line or
    WARC record number, empty for a whole file); `input_id` is the caller's own name for it (the
    JSONL `id` field, else the path). `text` is the article's plain text; `html` the page when
    the input was HTML (text is then extracted by the `html` stage).
    """

    input_id: str
    source: str
    locator: str = ""
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None
    language: str | None = None

    @property
    def real_path(self) -> str | None:
        """The file itself, however its path was spelt (relative, through a symlink)."""
        return None if self.source == "-" else os.path.realpath(self.source)

    @property
    def input_key(self) -> str:
        """Identity of this input for resuming: where it was read (however the path was
        spelt) and everything it said, metadata included, so a corrected input is redone."""
        where = self.real_path or self.source
        published = self.published.isoformat() if self.published else ""
        return content_id(
            where,
            self.locator,
            self.text or "",
            self.html or "",
            self.url or "",
            self.title or "",
            published,
            self.language or "",
        )


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not become an article, and why (the `rejected` table's row)."""

    source: str
    locator: str
    reason: str
    detail: str
    stage: str = "read"

    @property
    def key(self) -> str:
        return content_id(self.source, self.locator, self.reason, self.detail)


@dataclass(frozen=True, slots=True)
class Removed:
    """A part of the raw text that cleaning dropped, with the rule that dropped it."""

    reason: str
    text: str
    raw_start: int
    raw_end: int
    line: int  # 1-based line of the raw text where it starts
    detail: str = ""


@dataclass(frozen=True, slots=True)
class OffsetSegment:
    """Clean text [clean_start, clean_end) came from raw text [raw_start, raw_end).

    Inside a segment the mapping is character for character when both lengths are equal, and
    proportional otherwise (a Unicode repair that changed the length).
    """

    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True, slots=True)
class Claim:
    by: str | None
    by_country: str | None
    stance: Stance
    span: Span
    sentence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "by_country": self.by_country,
            "stance": self.stance,
            "article_id": self.span.article_id,
            "sentence": self.sentence,
            "char_start": self.span.start,
            "char_end": self.span.end,
        }


@dataclass(frozen=True, slots=True)
class Source:
    """One sentence of one article that reports an event."""

    span: Span
    input_id: str
    url: str | None
    published: date | None
    sentence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.span.article_id,
            "input_id": self.input_id,
            "url": self.url,
            "published": self.published.isoformat() if self.published else None,
            "sentence": self.sentence,
            "char_start": self.span.start,
            "char_end": self.span.end,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event, in the fields of `spec/events.md`, in the contract's order."""

    event_id: str
    type: str
    event_class: str
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    plover: str = ""
    event_date: date | None = None
    event_time: str | None = None
    time_precision: int = 1
    historical: bool = False
    ceasefire_id: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    mediator: str | None = None
    actor1_country: str | None = None
    actor2_country: str | None = None
    mediator_country: str | None = None
    targets: tuple[str, ...] = ()
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3
    geonames_id: int | None = None
    weapons: tuple[str, ...] = ()
    fatalities: int | None = None
    injuries: int | None = None
    claims: tuple[Claim, ...] = ()
    status: Status = "reported"
    sources: tuple[Source, ...] = ()
    notes: str = ""
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            key = "class" if name == "event_class" else name
            if name == "event_date":
                value = value.isoformat() if value else None
            elif name in ("claims", "sources"):
                value = [item.to_dict() for item in value]
            elif isinstance(value, tuple):
                value = list(value)
            d[key] = value
        return d


# --- what the language-specific stages find (offsets index the article's clean text) ---------


@dataclass(frozen=True, slots=True)
class Token:
    """One spaCy token as plain data; `head` indexes its syntactic head in `Parse.tokens`."""

    start: int
    end: int
    text: str
    lemma: str
    pos: str
    dep: str
    head: int
    ent: str = ""  # entity label if the token is inside a named entity
    morph: str = ""  # the verb features modality needs: "Tense=Fut|Mood=Cnd|Polarity=Neg"


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    first_token: int  # index into Parse.tokens
    end_token: int  # exclusive


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    text: str
    label: str  # spaCy's label: LOC, GPE, ORG, PER/PERSON, NORP, DATE...


@dataclass(frozen=True, slots=True)
class Parse:
    """The NLP stage's output: no spaCy object leaves that stage."""

    model: str
    sentences: tuple[Sentence, ...] = ()
    tokens: tuple[Token, ...] = ()
    entities: tuple[Entity, ...] = ()

    def sentence_at(self, offset: int) -> Sentence | None:
        for sent in self.sentences:
            if sent.start <= offset < sent.end:
                return sent
        return None


@dataclass(frozen=True, slots=True)
class Place:
    """A gazetteer entry. `feature`: country, admin1, admin2, populated, region, continent."""

    name: str  # English name
    feature: str
    geonames_id: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    country: str | None = None  # ISO alpha-3
    admin1: str | None = None  # English names of the province and district containing it
    admin2: str | None = None
    population: int = 0


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A toponym in the text and what it resolved to (`place` None: unresolved)."""

    start: int
    end: int
    text: str
    place: Place | None
    geo_precision: int = (
        3  # ACLED: 1 the town itself, 2 near/part of a district, 3 province/country
    )
    via: str = ""  # how it was resolved, for debugging ("context:AZ", "fallback:admin1", ...)
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class TimeRef:
    """A time expression resolved against the publication date.

    `date` is ISO at the expression's precision ("2022-09-13", "2022-09", "2022"); `time` an
    ISO UTC datetime when a clock time is given; `end_date` closes a range.
    """

    start: int
    end: int
    text: str
    date: str | None
    precision: int = 1  # ACLED time_precision: 1 day, 2 week or a few days, 3 month or longer
    kind: str = "absolute"  # absolute, relative, weekday, clock, range, year, month
    time: str | None = None
    end_date: str | None = None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """A mention normalised to a canonical actor of the dictionary."""

    start: int
    end: int
    text: str
    actor_id: str  # e.g. "AZE.military", "ARM.mod", "UN", "person:nikol-pashinyan"
    name: str  # canonical English name: "Military Forces of Azerbaijan"
    country: str | None  # ISO alpha-3 or organisation code ("UN", "CSTO")
    # state, government, military, police, ministry, person, organisation, armed_group, people
    kind: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted passage and who is quoted (None: the speaker could not be found)."""

    start: int
    end: int
    text: str
    speaker: str | None = None
    speaker_country: str | None = None
    speaker_mention: ActorMention | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "char_start": self.start,
            "char_end": self.end,
            "text": self.text,
            "speaker": self.speaker,
            "speaker_country": self.speaker_country,
        }


@dataclass(frozen=True, slots=True)
class AnalysedArticle:
    """An article as it moves through the per-article stages; each stage fills some fields.

    The field names are what stages declare in `requires` / `provides`. `rejection` set by any
    stage means the article is dropped (and recorded); later stages skip it.
    """

    article: Article
    text: str | None = None  # plain text before cleaning (the "raw" that offsets map back to)
    title: str | None = None
    url: str | None = None
    clean_text: str | None = None  # title, blank line, paragraphs joined by blank lines
    paragraphs: tuple[str, ...] = ()
    removed: tuple[Removed, ...] = ()
    offset_map: tuple[OffsetSegment, ...] = ()
    language: str | None = None
    language_confidence: float | None = None
    published: date | None = None
    published_inferred: bool = False
    published_confidence: float | None = None  # set when the date was inferred from the text
    minhash: tuple[int, ...] = ()
    parse: Parse | None = None
    places: tuple[PlaceMention, ...] = ()
    times: tuple[TimeRef, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)  # stage -> why it did not run
    quotes: tuple[Quote, ...] = ()
    dropped: tuple[str, ...] = ()  # triggers that did not become events, with why (debug)
    events: tuple[Event, ...] = ()
    # events this article only denies ("X denied shelling Y"): reported by other articles, so
    # their claims are for the merge to attach
    claims_elsewhere: tuple[Event, ...] = ()
    rejection: Rejection | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def article_id(self) -> str:
        """Hash of the clean text: the same article cleans to the same id wherever it came from."""
        if self.clean_text is None:
            raise ValueError("article_id needs clean_text: run the clean stage first")
        return content_id(self.clean_text)


def raw_offset(
    segments: tuple[OffsetSegment, ...] | list[OffsetSegment], clean: int, *, end: bool = False
) -> int | None:
    """Map an offset of the clean text back to the raw text (None: not from the raw text,
    e.g. a title taken from HTML metadata). Where two segments meet (characters dropped in
    between), a span's start maps into the later one and its `end` into the earlier one."""
    hits = [s for s in segments if s.clean_start <= clean <= s.clean_end]
    for seg in hits[-1:] if not end else hits[:1]:
        width = seg.clean_end - seg.clean_start
        if width == 0:
            return seg.raw_start
        ratio = (seg.raw_end - seg.raw_start) / width
        return seg.raw_start + round((clean - seg.clean_start) * ratio)
    return None
