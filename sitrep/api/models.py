"""Request and response models: the API's contract, kept apart from the store's rows so a
schema change in the store is a visible change here, and so the OpenAPI document is exact."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sitrep.read.jsonl import parse_date

Status = Literal["contested", "acknowledged", "confirmed", "claimed", "reported"]
STATUSES: tuple[str, ...] = ("contested", "acknowledged", "confirmed", "claimed", "reported")


class _Row(BaseModel):
    """A store row: columns added to the store later pass through untouched."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


# -- errors ---------------------------------------------------------------------------------


class ErrorBody(BaseModel):
    status: int = Field(description="The HTTP status, repeated.")
    code: str = Field(description="A stable code: not_found, validation_error, unauthorized…")
    message: str = Field(description="What went wrong, in words.")
    detail: Any | None = Field(None, description="Details, e.g. the invalid fields.")


class ErrorResponse(BaseModel):
    """Every error, whatever its status, has this shape."""

    error: ErrorBody


# -- events ---------------------------------------------------------------------------------


class EventRow(_Row):
    """One merged event (spec/events.md), as listed."""

    event_id: str
    type: str | None = None
    event_class: str | None = Field(None, alias="class")
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    plover: str | None = None
    event_date: date | None = None
    event_time: str | None = None
    time_precision: int | None = None
    historical: bool | None = None
    ceasefire_id: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    mediator: str | None = None
    actor1_country: str | None = None
    actor2_country: str | None = None
    mediator_country: str | None = None
    targets: list[str] | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geonames_id: int | None = None
    weapons: list[str] | None = None
    fatalities: int | None = None
    injuries: int | None = None
    status: str | None = None
    notes: str | None = None
    confidence: float | None = None
    reports: list[str] | None = Field(None, description="The article-level reports merged.")
    independent_sources: int | None = None
    fatality_figures: list[Any] | None = Field(
        None, description="Every fatality figure reported, with who gave it."
    )


class EventPage(BaseModel):
    total: int = Field(description="Events matching the filters, whatever limit and offset.")
    limit: int
    offset: int
    items: list[EventRow]


class EventDays(BaseModel):
    """The filtered events per day and class, and how many of them have each value: what the
    timeline draws and the filters offer, whatever the number of events."""

    total: int
    days: list[DayCount]
    facets: dict[str, dict[str, int]] = Field(
        description="country, type, class and status: value -> events."
    )


class Claim(_Row):
    """Who says the event happened (or denies it), in which sentence of which article."""

    by: str | None = None
    by_country: str | None = None
    stance: str | None = Field(None, description="asserts, denies, acknowledges…")
    article_id: str | None = None
    sentence: str | None = None
    char_start: int | None = Field(None, description="Offset of the sentence in clean_text.")
    char_end: int | None = None


class Source(_Row):
    """An article that reports the event, with the sentence it does so in."""

    article_id: str | None = None
    input_id: str | None = None
    url: str | None = None
    published: date | None = None
    sentence: str | None = None
    char_start: int | None = Field(None, description="Offset of the sentence in clean_text.")
    char_end: int | None = None
    independent_of: str | None = None


class Ceasefire(_Row):
    ceasefire_id: str
    parties: list[str] | None = None
    mediator: str | None = None
    announced_by: list[str] | None = None
    start_date: date | None = None
    start_time: str | None = Field(None, description="ISO UTC when the text gives the hour.")
    scope: list[str] | None = None
    end_date: date | None = None


class EventDetail(EventRow):
    claims: list[Claim]
    sources: list[Source]
    ceasefire: Ceasefire | None = Field(None, description="The ceasefire this event violates.")


# -- GeoJSON --------------------------------------------------------------------------------


class Point(BaseModel):
    type: Literal["Point"] = "Point"
    coordinates: list[float] = Field(description="[longitude, latitude]", min_length=2)


class FeatureProperties(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    event_id: str
    type: str | None = None
    event_class: str | None = Field(None, alias="class")
    event_date: date | None = None
    fatalities: int | None = None
    status: str | None = None
    location: str | None = None
    country: str | None = None
    actor1: str | None = None
    actor2: str | None = None
    geo_precision: int | None = None
    independent_sources: int | None = None


class Feature(BaseModel):
    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Point
    properties: FeatureProperties


class FeatureCollection(BaseModel):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature]


# -- articles -------------------------------------------------------------------------------


class Removed(_Row):
    """A piece of the raw text that cleaning dropped, and why."""

    reason: str | None = None
    text: str | None = None
    raw_start: int | None = None
    raw_end: int | None = None
    line: int | None = None
    detail: str | None = None


class Mention(_Row):
    """A place, time or actor found in the clean text."""

    kind: str = Field(description="place, time or actor")
    char_start: int | None = None
    char_end: int | None = None
    text: str | None = None
    value: str | None = Field(None, description="Place name, ISO date or actor id.")
    detail: dict[str, Any] | None = None


class ArticleEvent(_Row):
    """A sentence of the article that an event came from (source) or that makes a claim."""

    event_id: str
    role: Literal["source", "claim"]
    stance: str | None = None
    claimant: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    sentence: str | None = None
    type: str | None = None
    event_class: str | None = Field(None, alias="class")
    event_date: date | None = None
    location: str | None = None


class ArticleInput(_Row):
    input_id: str | None = None
    source: str | None = None
    locator: str | None = None
    url: str | None = None


class ArticleDetail(BaseModel):
    article_id: str
    input_id: str | None = None
    title: str | None = None
    url: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    published: date | None = None
    published_inferred: bool | None = None
    published_confidence: float | None = None
    duplicate_of: str | None = Field(None, description="The earliest copy, for a republication.")
    skipped: dict[str, Any] | None = Field(None, description="Stages that did not run, and why.")
    clean_text: str | None = Field(None, description="The text every char offset points into.")
    paragraphs: list[str] | None = None
    removed: list[Removed]
    mentions: list[Mention]
    events: list[ArticleEvent]
    inputs: list[ArticleInput]


# -- ceasefires and stats -------------------------------------------------------------------


class Violation(_Row):
    event_id: str
    type: str | None = None
    event_date: date | None = None
    location: str | None = None
    actor1_country: str | None = None
    actor2_country: str | None = None
    reported_by: list[str] | None = Field(None, description="Countries whose claims assert it.")


class CeasefireReport(Ceasefire):
    violations: list[Violation]
    violations_by_reporter: dict[str, int]


class DayCount(_Row):
    day: date
    event_class: str | None = Field(None, alias="class")
    events: int


class Contested(_Row):
    event_id: str
    event_date: date | None = None
    type: str | None = None
    actor1_country: str | None = None
    actor2_country: str | None = None
    location: str | None = None


class Stats(_Row):
    articles: int
    duplicates: int
    reports: int
    denials: int
    denials_waiting: int
    events: int = Field(description="Current events (background events left out).")
    historical: int
    by_class: dict[str, int]
    by_country: dict[str, int] = Field(description="The 12 countries with most events.")
    by_status: dict[str, int]
    by_day: list[DayCount]
    contested: list[Contested]


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    backend: Literal["duckdb", "postgresql"]
    events: int


# -- writing --------------------------------------------------------------------------------


class ArticleIn(BaseModel):
    """One article to ingest: `text` or `html` (or both), and what is known about it."""

    model_config = ConfigDict(extra="ignore")

    id: str | int | None = Field(None, description="Your id for it (the input id).")
    text: str | None = None
    html: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="YYYY-MM-DD or an ISO datetime.")
    language: str | None = Field(None, max_length=35, description="ISO 639-1 code, as a hint.")

    @field_validator("published")
    @classmethod
    def _date(cls, value: str | None) -> str | None:
        if value is not None and value.strip() and parse_date(value) is None:
            raise ValueError("not a date: YYYY-MM-DD or an ISO datetime")
        return value

    @model_validator(mode="after")
    def _has_text(self) -> ArticleIn:
        if not (self.text and self.text.strip()) and not (self.html and self.html.strip()):
            raise ValueError('give a non-empty "text" or "html"')
        return self


class MergeCounts(_Row):
    """What the merge after the ingest did (`sitrep.merge.run.MergeSummary`)."""

    new_reports: int = Field(0, description="Event reports extracted, denials included.")
    links: int = Field(0, description="Reports linked to another article's report.")
    events_written: int = 0
    events_removed: int = 0
    ceasefires: int = 0
    violations: int = 0


class IngestResult(BaseModel):
    read: int = Field(description="Inputs read: articles and unreadable lines.")
    stored: int = Field(description="New articles.")
    already_stored: int = Field(description="Articles whose clean text was already stored.")
    resumed: int = Field(description="Inputs sent before (same line and content): skipped.")
    duplicates: int = Field(description="New articles that republish a stored one.")
    rejected: dict[str, int] = Field(description="Rejected inputs by reason.")
    stored_ids: list[str]
    merge: MergeCounts | None
