"""The FastAPI app: thin routes over the store's read methods, one write route for ingest.

Every filter is validated here (enums, dates, ranges) and reaches SQL only as a parameter of
a store method. Routes that read are sync: FastAPI runs them in its thread pool, each thread
on its own store handle (`sitrep.api.handles`), taken in the route's body, never in a
dependency (FastAPI may run a sync dependency in another thread than the route).
"""

from __future__ import annotations

import hmac
import json
import logging
import math
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AfterValidator, BeforeValidator, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

import sitrep
from sitrep.api.errors import ApiError, GuardMiddleware, install_error_handlers
from sitrep.api.handles import Handles
from sitrep.api.models import (
    STATUSES,
    ArticleDetail,
    ArticleIn,
    CeasefireReport,
    ErrorResponse,
    EventDays,
    EventDetail,
    EventPage,
    FeatureCollection,
    Health,
    IngestResult,
    MergeCounts,
    Stats,
    Status,
)
from sitrep.errors import ConfigError, InputError
from sitrep.events.ontology import load_ontology
from sitrep.model import Rejection
from sitrep.read.decode import binary_kind
from sitrep.read.jsonl import parse_line
from sitrep.store import Store

log = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parent.parent / "web"
MAX_BODY = 10 * 1024 * 1024  # bytes of a POST body
MAX_LIMIT = 1000
MAX_GEOJSON_LIMIT = 100_000
MAX_OFFSET = 1_000_000_000
JSON_TYPES = frozenset({"application/json"})
JSONL_TYPES = frozenset({
    "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines",
})  # fmt: skip
#: Extracted fields worth showing; raw_text, offset_map and the fingerprint stay in the store.
ARTICLE_FIELDS = (
    "article_id", "input_id", "title", "url", "language", "language_confidence", "published",
    "published_inferred", "published_confidence", "duplicate_of", "skipped", "clean_text",
    "paragraphs",
)  # fmt: skip


def _errors(*statuses: int, ref: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the errors a route may answer, all in the one envelope (`ref`:
    by reference, for a route whose own responses are not JSON)."""
    words = {
        401: "Missing or wrong bearer token.",
        403: "Writes are disabled (no token configured, or the server is read-only).",
        404: "No such resource.",
        409: "The id prefix matches several articles.",
        413: "The body is larger than 10 MB.",
        415: "Unsupported Content-Type.",
        422: "Invalid parameters or body.",
        503: "Ingest is unavailable (a model or the gazetteer is missing).",
    }
    if ref:
        schema = {"$ref": "#/components/schemas/ErrorResponse"}
        return {
            s: {"description": words[s], "content": {"application/json": {"schema": schema}}}
            for s in statuses
        }
    return {s: {"model": ErrorResponse, "description": words[s]} for s in statuses}


# -- query parameters -----------------------------------------------------------------------


def _one_of(allowed: Collection[str], what: str) -> Callable[[str | None], str | None]:
    def check(value: str | None) -> str | None:
        if value is not None and value not in allowed:
            raise ValueError(f"unknown {what} {value!r}; one of: {', '.join(sorted(allowed))}")
        return value

    return check


def _iso_date(value: object) -> object:
    """Only YYYY-MM-DD: pydantic alone would also take timestamps and datetimes."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("a day as YYYY-MM-DD")
    return value


# within range in the pattern itself, so the OpenAPI schema says exactly what is accepted
_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[0-9]{1,2})(?:\.[0-9]+)?)"
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
BBOX_PATTERN = rf"^{_LON},{_LAT},{_LON},{_LAT}$"


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    west, south, east, north = (float(x) for x in value.split(","))
    return west, south, east, north


def _check_bbox(value: str | None) -> str | None:
    if value is None:
        return None
    if not re.fullmatch(BBOX_PATTERN, value):
        raise ValueError("west,south,east,north in degrees, within ±180 and ±90")
    west, south, east, north = parse_bbox(value)
    if west > east or south > north:
        raise ValueError("west <= east and south <= north")
    return value


_ONTOLOGY = load_ontology()
TYPES = sorted(_ONTOLOGY.types)
CLASSES = sorted({t.event_class for t in _ONTOLOGY.types.values()})
SORTS = list(Store.EVENT_SORTS)
_NO_NUL = r"^[^\x00]*$"  # a NUL cannot be a query parameter in PostgreSQL

TypeParam = Annotated[
    str | None,
    Query(description="An ontology type.", json_schema_extra={"enum": TYPES}),
    AfterValidator(_one_of(TYPES, "type")),
]
ClassParam = Annotated[
    str | None,
    Query(alias="class", description="An event class.", json_schema_extra={"enum": CLASSES}),
    AfterValidator(_one_of(CLASSES, "class")),
]
CountryParam = Annotated[
    str | None,
    Query(pattern="^[A-Za-z]{3}$", description="ISO 3166 alpha-3 of where it happened."),
]
ActorParam = Annotated[
    str | None,
    Query(max_length=200, pattern=_NO_NUL, description="Part of an actor's name, or a country."),
]
DateParam = Annotated[date | None, BeforeValidator(_iso_date)]
BboxParam = Annotated[
    str | None,
    Query(
        description="west,south,east,north in degrees (west <= east, south <= north).",
        json_schema_extra={"pattern": BBOX_PATTERN},  # checked by _check_bbox, with words
    ),
    AfterValidator(_check_bbox),
]
TextParam = Annotated[
    str | None,
    Query(max_length=200, pattern=_NO_NUL, description="Words in a source sentence."),
]
SortParam = Annotated[
    str,
    Query(description="Order of the items.", json_schema_extra={"enum": SORTS}),
    AfterValidator(_one_of(SORTS, "sort")),
]
OffsetParam = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]


def event_filters(
    type: TypeParam = None,
    event_class: ClassParam = None,
    country: CountryParam = None,
    actor: ActorParam = None,
    date_from: Annotated[DateParam, Query(description="First day, YYYY-MM-DD.")] = None,
    date_to: Annotated[DateParam, Query(description="Last day, YYYY-MM-DD.")] = None,
    bbox: BboxParam = None,
    status: Annotated[Status | None, Query(description=f"One of {', '.join(STATUSES)}.")] = None,
    text: TextParam = None,
    historical: Annotated[bool, Query(description="Include background events.")] = False,
) -> dict[str, Any]:
    """The filters of `Store.events`, shared by the list and the map."""
    return {"type": type, "event_class": event_class, "country": country, "actor": actor,
            "date_from": date_from, "date_to": date_to,
            "bbox": parse_bbox(bbox) if bbox else None, "status": status, "text": text,
            "historical": historical}  # fmt: skip


Filters = Annotated[dict[str, Any], Depends(event_filters)]


Bearer = Annotated[
    HTTPAuthorizationCredentials | None,
    Depends(HTTPBearer(auto_error=False, description="The server's SITREP_API_TOKEN.")),
]


def _event_row(row: dict[str, Any]) -> dict[str, Any]:
    figures = row.get("fatality_figures")
    if isinstance(figures, str):  # stored as JSON text
        row["fatality_figures"] = json.loads(figures) if figures else None
    return row


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


class RowsResponse(JSONResponse):
    """Store rows as JSON, dates as ISO strings: rows the store already typed need no second
    validation, which was most of the time of a page of events under load."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"),
                          default=_plain).encode("utf-8")  # fmt: skip


class GeoJSONResponse(RowsResponse):
    media_type = "application/geo+json"


# -- the app --------------------------------------------------------------------------------


def create_app(db: str, token: str | None = None, read_only: bool = False) -> FastAPI:
    """The API over the store at `db` (a DuckDB file or a PostgreSQL URL).

    `token`: the bearer token that POST /articles requires; None disables writes.
    The store is opened now, so a bad path fails at start-up rather than on the first request.
    """
    handles = Handles(str(db), read_only=read_only)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        handles.close()

    app = FastAPI(
        title="sitrep",
        version=sitrep.__version__,
        description=(
            "Conflict and ceasefire events extracted from news articles. Every error has the "
            'shape `{"error": {"status", "code", "message", "detail"}}`.'
        ),
        docs_url=None,  # the docs page loads its scripts from a CDN; /openapi.json stays
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.handles = handles
    bad_tokens = app.state.bad_tokens = BadTokens()
    install_error_handlers(app)
    app.add_middleware(GuardMiddleware)

    @app.get("/health", response_model=Health, tags=["meta"])
    def health() -> dict[str, Any]:
        """Liveness, the backend, and how many current events the store holds."""
        st = handles.reader()
        return {"status": "ok", "backend": handles.backend, "events": st.count_events()}

    @app.get("/events", response_model=EventPage, tags=["events"], responses=_errors(422))
    def list_events(
        filters: Filters,
        limit: Annotated[
            int,
            Query(
                ge=0,
                le=MAX_LIMIT,
                description=f"Items per page, at most {MAX_LIMIT}: more is a 422 error, not "
                "a silent cap. 0 gives the total alone.",
            ),
        ] = 100,
        offset: OffsetParam = 0,
        sort: SortParam = "-event_date",
    ) -> Response:
        """Merged events matching every filter given, a page at a time, with their total."""
        st = handles.reader()
        items = st.events(**filters, limit=limit, offset=offset, sort=sort)
        return RowsResponse({
            "total": st.count_events(**filters),
            "limit": limit,
            "offset": offset,
            "items": [_event_row(r) for r in items],
        })  # fmt: skip

    @app.get(
        "/events.geojson",
        response_model=FeatureCollection,
        response_class=GeoJSONResponse,
        tags=["events"],
        responses=_errors(422, ref=True),
    )
    def events_geojson(
        filters: Filters,
        limit: Annotated[
            int,
            Query(
                ge=0,
                le=MAX_GEOJSON_LIMIT,
                description=f"At most this many features (at most {MAX_GEOJSON_LIMIT}).",
            ),
        ] = 5000,
        sort: SortParam = "-event_date",
    ) -> Response:
        """The located events matching the filters, as GeoJSON points ([lon, lat])."""
        st = handles.reader()
        if filters["bbox"] is None:  # the whole world: leaves out events without coordinates
            filters = {**filters, "bbox": (-180.0, -90.0, 180.0, 90.0)}
        features = []
        for row in st.events(**filters, limit=limit, sort=sort):
            lon, lat = row.get("longitude"), row.get("latitude")
            if lon is None or lat is None or not (math.isfinite(lon) and math.isfinite(lat)):
                continue
            day = row.get("event_date")
            features.append({
                "type": "Feature",
                "id": row["event_id"],
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "event_id": row["event_id"], "type": row.get("type"),
                    "class": row.get("class"),
                    "event_date": day.isoformat() if isinstance(day, date) else day,
                    "fatalities": row.get("fatalities"), "status": row.get("status"),
                    "location": row.get("location"), "country": row.get("country"),
                    "actor1": row.get("actor1"), "actor2": row.get("actor2"),
                    "geo_precision": row.get("geo_precision"),
                    "independent_sources": row.get("independent_sources"),
                },
            })  # fmt: skip
        return GeoJSONResponse({"type": "FeatureCollection", "features": features})

    @app.get(
        "/events/days",
        response_model=EventDays,
        tags=["events"],
        responses=_errors(422),
    )
    def event_days(filters: Filters) -> Response:
        """Events per day and class under the filters, with facet counts: the timeline."""
        st = handles.reader()
        return RowsResponse({
            "total": st.count_events(**filters),
            "days": st.event_days(**filters),
            "facets": st.event_facets(**filters),
        })  # fmt: skip

    @app.get(
        "/events/{event_id}",
        response_model=EventDetail,
        tags=["events"],
        responses=_errors(404, 422),
    )
    def get_event(
        event_id: Annotated[str, PathParam(max_length=200, pattern=_NO_NUL)],
    ) -> dict[str, Any]:
        """One event with its claims (who says what, with which stance), the sentences that
        report it (`char_start`/`char_end` index the article's `clean_text`) and the
        ceasefire it violates."""
        st = handles.reader()
        event = st.event(event_id)
        if event is None:
            raise ApiError(404, f"no event {event_id}")
        return _event_row(event)

    @app.get(
        "/articles/{article_id}",
        response_model=ArticleDetail,
        tags=["articles"],
        responses=_errors(404, 409, 422),
    )
    def get_article(
        article_id: Annotated[str, PathParam(max_length=200, pattern=_NO_NUL)],
    ) -> dict[str, Any]:
        """An article by id, unique id prefix or input id: its clean text, what cleaning
        removed, the places, times and actors found, and every event or claim span in it."""
        st = handles.reader()
        ids = st.resolve(article_id)
        if not ids:
            raise ApiError(404, f"no article {article_id}")
        if len(ids) > 1:
            raise ApiError(409, f"'{article_id}' matches {len(ids)} articles: give more of the id",
                           code="ambiguous_id", detail={"matches": ids[:20]})  # fmt: skip
        try:
            art = st.article(ids[0])
        except ValueError:  # removed between the two queries
            raise ApiError(404, f"no article {article_id}") from None
        out = {key: art.get(key) for key in ARTICLE_FIELDS}
        if isinstance(out["skipped"], str):
            out["skipped"] = json.loads(out["skipped"])
        out["removed"] = art.get("removed") or []
        out["mentions"] = art.get("mentions") or []
        out["inputs"] = art.get("inputs") or []
        out["events"] = st.article_events(ids[0])
        return out

    @app.get("/ceasefires", response_model=list[CeasefireReport], tags=["events"])
    def list_ceasefires() -> list[dict[str, Any]]:
        """Ceasefires with the violations reported after them, counted by who reports them."""
        st = handles.reader()
        return st.ceasefires()

    @app.get("/stats", response_model=Stats, tags=["events"])
    def stats() -> dict[str, Any]:
        """Counts by class, country, status and day (`by_day`: one row per day and class)."""
        st = handles.reader()
        return st.stats()

    @app.post(
        "/articles",
        response_model=IngestResult,
        status_code=201,
        tags=["articles"],
        responses={
            200: {"model": IngestResult, "description": "Read, but no new article stored."},
            **_errors(401, 403, 413, 415, 422, 503),
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {"schema": ArticleIn.model_json_schema()},
                    "application/x-ndjson": {
                        "schema": {"type": "string", "description": "One JSON article a line."}
                    },
                },
            }
        },
    )
    async def post_articles(
        request: Request,
        response: Response,
        credentials: Bearer,
    ) -> IngestResult:
        """Ingest one article (a JSON object) or a batch (JSON Lines, Content-Type
        application/x-ndjson or application/jsonl): clean, extract, store, then deduplicate
        and merge. A bad line is rejected with its reason and the others go on. 201 when an
        article was stored, 200 when none was (all known or rejected)."""
        try:
            _authorise(credentials, token, read_only)  # before the body is read
        except ApiError as exc:
            if exc.status == 401:
                bad_tokens.seen(request.client.host if request.client else "unknown")
            raise
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in JSON_TYPES | JSONL_TYPES:
            raise ApiError(415, "send application/json (one article) or application/x-ndjson "
                           "(one article a line)")  # fmt: skip
        data = await _read_body(request)
        rejections: list[Rejection] = []
        if kind in JSON_TYPES:
            body = _json_article(data)
        else:
            body, rejections = _jsonl_batch(data)
        try:
            summary = await run_in_threadpool(handles.ingest, body, rejections)
        except ConfigError as exc:
            raise ApiError(503, f"ingest is unavailable: {exc}") from exc
        response.status_code = 201 if summary.stored else 200
        return IngestResult(
            read=summary.read,
            stored=summary.stored,
            already_stored=summary.already_stored,
            resumed=summary.resumed,
            duplicates=summary.duplicates,
            rejected=dict(summary.rejected),
            stored_ids=summary.stored_ids,
            merge=MergeCounts(**asdict(summary.merge)) if summary.merge is not None else None,
        )

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        index = WEB / "index.html"
        if not index.is_file():
            raise ApiError(404, "the dashboard is not installed (no sitrep/web/index.html)")
        return FileResponse(index, media_type="text/html")

    if WEB.is_dir():
        app.mount("/static", StaticFiles(directory=WEB), name="static")
    return app


# -- writing --------------------------------------------------------------------------------


class BadTokens:
    """Refused bearer tokens, counted per client over the last `window` seconds and logged at
    the 1st, 2nd, 4th, 8th… refusal: someone guessing tokens shows up in the server's log
    with a rising count, without one line per guess. At most `clients` are remembered."""

    def __init__(self, window: float = 60.0, clients: int = 10_000) -> None:
        self.window = window
        self.clients = clients
        self.counts: OrderedDict[str, tuple[float, int]] = OrderedDict()  # first refusal, count

    def seen(self, client: str) -> int:
        now = time.monotonic()
        first, count = self.counts.pop(client, (now, 0))
        if now - first > self.window:
            first, count = now, 0
        count += 1
        self.counts[client] = (first, count)  # the most recent last
        while len(self.counts) > self.clients:
            self.counts.popitem(last=False)
        if count & (count - 1) == 0:
            log.warning("refused a bearer token from %s (%d in the last %.0f s)", client,
                        count, self.window)  # fmt: skip
        return count


def _authorise(
    credentials: HTTPAuthorizationCredentials | None, token: str | None, read_only: bool
) -> None:
    if read_only:
        raise ApiError(403, "writes are disabled: the server is read-only")
    if not token:
        raise ApiError(403, "writes are disabled: set SITREP_API_TOKEN")
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode("utf-8"), token.encode("utf-8")):
        raise ApiError(401, "a valid bearer token is required",
                       headers={"WWW-Authenticate": "Bearer"})  # fmt: skip


async def _read_body(request: Request) -> bytes:
    """The body, refused once it passes MAX_BODY (and before reading when it says so)."""
    too_large = ApiError(413, f"the body is larger than {MAX_BODY // (1024 * 1024)} MB")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_BODY:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _json_article(data: bytes) -> bytes:
    """One JSON article, checked, as the JSONL line the reader takes."""
    try:
        obj = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ApiError(422, f"the body is not valid JSON: {exc}", code="invalid_json") from None
    if not isinstance(obj, dict):
        raise ApiError(422, "give one JSON object (a batch goes as application/x-ndjson)",
                       code="invalid_json")  # fmt: skip
    try:
        article = ArticleIn.model_validate(obj)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None
    line = json.dumps(article.model_dump(exclude_none=True), ensure_ascii=False)
    return line.encode("utf-8") + b"\n"


def _jsonl_batch(data: bytes) -> tuple[bytes, list[Rejection]]:
    """A JSONL body, with the lines before its first JSON object rejected here and blanked:
    the reader guesses the format from the first line (and would take the batch for plain
    text); blank lines keep the other lines' numbers."""
    data = data.removeprefix(b"\xef\xbb\xbf")
    kind = binary_kind(data[:16])
    if kind:
        raise ApiError(422, f"the body is {kind}, not JSON Lines", code="invalid_jsonl")
    if not data.strip():
        raise ApiError(422, "the body holds no line", code="invalid_jsonl")
    lines = data.split(b"\n")
    rejections: list[Rejection] = []
    for n, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            parse_line(line, "-", n + 1)
            break  # a JSON object: from here on the reader rejects bad lines itself
        except InputError as exc:
            if exc.reason != "no_text":
                rejections.append(Rejection("-", f"line {n + 1}", exc.reason, str(exc)))
                lines[n] = b""
                continue
            break  # an object without text: the reader rejects it and reads on
    return b"\n".join(lines), rejections


def read_only_app() -> FastAPI:
    """The app of one of several server processes (`sitrep serve --workers N --read-only`):
    the store comes from SITREP_SERVE_DB, set by the command."""
    import os

    return create_app(os.environ["SITREP_SERVE_DB"], read_only=True)
