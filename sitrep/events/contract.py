"""The export contract of an event record (`../shared/spec/events.md`) as a check: what the
fuzzers and the end-to-end tests hold every record to, whatever the input was."""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

from sitrep.events.ontology import load_ontology

CLASSES = frozenset({"violence", "unrest", "agreement", "diplomacy", "other"})
WEAPONS = frozenset({"artillery", "mortar", "rocket", "missile", "drone", "aircraft",
                     "small_arms", "heavy_weapons", "explosive", "tank", "other"})  # fmt: skip
STANCES = frozenset({"asserts", "acknowledges", "denies"})
STATUSES = frozenset({"contested", "acknowledged", "confirmed", "claimed", "reported"})
_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,15}")  # ISO alpha-3, or an organisation's (CJTF-OIR)
_ISO3 = re.compile(r"[A-Z]{3}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Every field of an event record, no more, no fewer.
FIELDS = frozenset({
    "event_id", "type", "class", "acled_event_type", "acled_sub_event_type", "plover",
    "event_date", "event_time", "time_precision", "historical", "ceasefire_id", "actor1",
    "actor2", "mediator", "actor1_country", "actor2_country", "mediator_country", "targets",
    "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "geonames_id", "weapons", "fatalities", "injuries", "claims", "status", "sources", "notes",
    "confidence",
})  # fmt: skip


def problems(record: dict[str, Any], texts: dict[str, str] | None = None) -> list[str]:
    """Every way `record` breaks the contract (empty when it keeps it). With `texts` (article
    id -> clean text) each claim and source sentence is checked against its offsets."""
    out: list[str] = []

    def bad(field: str, why: str) -> None:
        out.append(f"{field}: {why} (got {record.get(field)!r:.80})")

    def optional(field: str, kind: type | tuple[type, ...]) -> None:
        value = record.get(field)
        if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
            bad(field, f"must be {kind} or null")

    ontology = load_ontology()
    missing, unknown = FIELDS - set(record), set(record) - FIELDS
    if missing:
        out.append(f"fields missing: {sorted(missing)}")
    if unknown:
        out.append(f"fields not in the contract: {sorted(unknown)}")
    if not isinstance(record.get("event_id"), str) or not record["event_id"]:
        bad("event_id", "must be a non-empty string")
    code = record.get("type")
    if not isinstance(code, str) or code not in ontology:
        bad("type", "must be a code of the ontology")
    else:
        spec = ontology[code]
        if record.get("class") != spec.event_class:
            bad("class", f"must be {spec.event_class}, the type's class")
        if record.get("plover") != spec.plover:
            bad("plover", f"must be {spec.plover}")
        if (record.get("acled_event_type"), record.get("acled_sub_event_type")) != (
            spec.acled_event_type, spec.acled_sub_event_type
        ):  # fmt: skip
            bad("acled_event_type", "must be the type's ACLED mapping")
    if record.get("class") not in CLASSES:
        bad("class", f"must be one of {sorted(CLASSES)}")
    _date(record, "event_date", bad)
    if record.get("event_time") is not None:
        when = record["event_time"]
        try:
            utc = isinstance(when, str) and (when.endswith("Z") or when.endswith("+00:00"))
            datetime.fromisoformat(when.replace("Z", "+00:00"))
        except (ValueError, AttributeError):
            utc = False
        if not utc:
            bad("event_time", "must be ISO 8601 in UTC")
    for field in ("time_precision", "geo_precision"):
        if record.get(field) not in (1, 2, 3):
            bad(field, "must be 1, 2 or 3")
    if not isinstance(record.get("historical"), bool):
        bad("historical", "must be a boolean")
    for field in ("ceasefire_id", "actor1", "actor2", "mediator", "admin1", "admin2", "location"):
        optional(field, str)
    if not isinstance(record.get("notes"), str):
        bad("notes", "must be a string")
    for field in ("actor1_country", "actor2_country", "mediator_country"):
        value = record.get(field)
        if value is not None and not (isinstance(value, str) and _CODE.fullmatch(value)):
            bad(field, "must be an ISO alpha-3 or organisation code, or null")
    country = record.get("country")
    if country is not None and not (isinstance(country, str) and _ISO3.fullmatch(country)):
        bad("country", "must be an ISO alpha-3 code or null")
    lat, lon = record.get("latitude"), record.get("longitude")
    if (lat is None) != (lon is None):
        bad("latitude", "latitude and longitude are both given or both null")
    elif lat is not None:
        if not _number(lat) or not -90 <= float(lat) <= 90:
            bad("latitude", "must be a number in [-90, 90]")
        if not _number(lon) or not -180 <= float(lon) <= 180:  # type: ignore[arg-type]
            bad("longitude", "must be a number in [-180, 180]")
    optional("geonames_id", int)
    for field in ("fatalities", "injuries"):
        value = record.get(field)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 0):  # fmt: skip
            bad(field, "must be a count or null")
    if not isinstance(record.get("targets"), list) or not all(
        isinstance(t, str) for t in record["targets"]
    ):
        bad("targets", "must be a list of strings")
    weapons = record.get("weapons")
    if not isinstance(weapons, list) or not all(isinstance(w, str) and w in WEAPONS
                                                for w in weapons):  # fmt: skip
        bad("weapons", f"must be a list drawn from {sorted(WEAPONS)}")
    if record.get("status") not in STATUSES:
        bad("status", f"must be one of {sorted(STATUSES)}")
    confidence = record.get("confidence")
    if not _number(confidence) or not 0 <= float(confidence) <= 1:  # type: ignore[arg-type]
        bad("confidence", "must be a number in [0, 1]")
    for n, claim in enumerate(_list(record, "claims", bad)):
        where = f"claims[{n}]"
        if claim.get("stance") not in STANCES:
            out.append(f"{where}.stance: must be one of {sorted(STANCES)}")
        if not isinstance(claim.get("by"), str) or not claim["by"]:
            out.append(f"{where}.by: must name who claims")
        out.extend(_span(claim, where, texts))
    sources = _list(record, "sources", bad)
    if not sources:
        bad("sources", "every event comes from at least one sentence")
    for n, source in enumerate(sources):
        where = f"sources[{n}]"
        published = source.get("published")
        if published is not None and not _is_day(published):
            out.append(f"{where}.published: must be YYYY-MM-DD or null")
        out.extend(_span(source, where, texts))
    return out


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _is_day(value: object) -> bool:
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _date(record: dict[str, Any], field: str, bad: Any) -> None:
    value = record.get(field)
    if value is not None and not _is_day(value):
        bad(field, "must be YYYY-MM-DD or null")


def _list(record: dict[str, Any], field: str, bad: Any) -> list[dict[str, Any]]:
    value = record.get(field)
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        bad(field, "must be a list of objects")
        return []
    return value


def _span(entry: dict[str, Any], where: str, texts: dict[str, str] | None) -> list[str]:
    """A sentence with its offsets in its article's clean text: they must agree."""
    start, end, sentence = entry.get("char_start"), entry.get("char_end"), entry.get("sentence")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
        return [f"{where}: char_start < char_end, both counts (got {start!r}, {end!r})"]
    if not isinstance(sentence, str) or not isinstance(entry.get("article_id"), str):
        return [f"{where}: sentence and article_id must be strings"]
    if texts is None:
        return []
    text = texts.get(entry["article_id"])
    if text is None:
        return [f"{where}: article {entry['article_id']} is not among the texts given"]
    if text[start:end] != sentence:
        return [f"{where}: clean text [{start}:{end}] is not the sentence given"]
    return []
