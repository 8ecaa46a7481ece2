"""Scoring predictions against gold files (`sitrep eval GOLD.jsonl`), per `spec/events.md`.

The scorer knows nothing about how predictions are made: it takes gold records (one per article)
and, per article id, the events a system produced plus the publication date it settled on. That
keeps it usable on any system's output and keeps the extractor from being tuned to the scorer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.table import Table

from sitrep.errors import ConfigError
from sitrep.places.geo import haversine_km
from sitrep.places.names import name_key

__all__ = [
    "ArticleResult",
    "EvalReport",
    "Prediction",
    "Ratio",
    "Scores",
    "Tally",
    "load_gold",
    "render",
    "score",
]

#: Place tolerance of a match, and the coarser "right area" radius reported on matched pairs.
MATCH_KM = 25.0
NEAR_KM = 161.0

Event = dict[str, Any]
SamePlace = Callable[[dict[str, Any], dict[str, Any]], bool]

_GOLD_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass
class Prediction:
    """What a system said about one article: its events and the publication date it used."""

    events: list[dict[str, Any]]
    published: str | None = None
    published_inferred: bool = False


# --------------------------------------------------------------------------------------------
# Gold files


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Read a gold JSONL file, one article per line.

    Malformed lines stop the run with a `ConfigError` naming the file and line: a gold file with a
    typo would otherwise score silently wrong (an unparseable date never matches anything).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read gold file {path}: {exc}") from exc
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{where}: not valid JSON ({exc.msg}, column {exc.colno})") from exc
        _check_gold_record(record, where)
        if record["id"] in seen:
            raise ConfigError(
                f"{where}: id {record['id']!r} already used on line {seen[record['id']]}"
            )
        seen[record["id"]] = lineno
        records.append(record)
    if not records:
        raise ConfigError(f"{path}: no gold lines")
    return records


def _check_gold_record(record: Any, where: str) -> None:
    """Raise `ConfigError` if one gold line does not have the shape the scorer relies on."""
    if not isinstance(record, dict):
        raise ConfigError(f"{where}: a gold line must be a JSON object")
    if not isinstance(record.get("id"), str) or not record["id"]:
        raise ConfigError(f"{where}: missing or empty string 'id'")
    for key in ("language", "published", "published_expected"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ConfigError(f"{where}: '{key}' must be a string or null")
    for key in ("published", "published_expected"):
        if record.get(key) is not None and _parse_day(record[key]) is None:
            raise ConfigError(f"{where}: '{key}' is not a YYYY-MM-DD date: {record[key]!r}")
    for key in ("events", "historical"):
        events = record.get(key, [])
        if not isinstance(events, list):
            raise ConfigError(f"{where}: '{key}' must be a list")
        for n, event in enumerate(events):
            at = f"{where}: {key}[{n}]"
            if not isinstance(event, dict):
                raise ConfigError(f"{at} must be an object")
            if not isinstance(event.get("type"), str):
                raise ConfigError(f"{at} has no string 'type'")
            alt = event.get("alt_types", [])
            if not isinstance(alt, list) or not all(isinstance(t, str) for t in alt):
                raise ConfigError(f"{at}: 'alt_types' must be a list of strings")
            when = event.get("event_date")
            if when is not None and (not isinstance(when, str) or _gold_span(when) is None):
                raise ConfigError(
                    f"{at}: 'event_date' must be YYYY-MM-DD, YYYY-MM or YYYY: {when!r}"
                )
            lat, lon = event.get("latitude"), event.get("longitude")
            if (lat is None) != (lon is None) or not all(
                v is None or (isinstance(v, int | float) and not isinstance(v, bool))
                for v in (lat, lon)
            ):
                raise ConfigError(f"{at}: 'latitude'/'longitude' must both be numbers or null")
            for list_key in ("parties", "targets", "weapons", "claims"):
                if event.get(list_key) is not None and not isinstance(event[list_key], list):
                    raise ConfigError(f"{at}: '{list_key}' must be a list")


# --------------------------------------------------------------------------------------------
# Report


@dataclass
class Ratio:
    """A count of successes over a stated denominator; the denominator is always reported."""

    correct: int = 0
    n: int = 0

    @property
    def value(self) -> float | None:
        return self.correct / self.n if self.n else None

    def add(self, ok: bool) -> None:
        self.n += 1
        self.correct += int(ok)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "n": self.n, "accuracy": self.value}


@dataclass
class Scores:
    """True/false positives and false negatives; P/R/F1 are None when undefined (0/0)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        """2TP / (2TP + FP + FN): the harmonic mean where P and R exist, 0 when nothing matched."""
        denom = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / denom if denom else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass
class Tally:
    """Every count the report gives, for one article or summed over many (micro-averaging).

    Attribute accuracies are computed on strict true-positive pairs (prediction matched to a
    required gold event), each over the gold events that state that attribute.
    """

    articles: int = 0
    strict: Scores = field(default_factory=Scores)
    class_level: Scores = field(default_factory=Scores)
    #: predictions matched to an optional gold event: neither TP nor FP
    optional_matched: int = 0
    date: Ratio = field(default_factory=Ratio)
    location_25km: Ratio = field(default_factory=Ratio)
    location_161km: Ratio = field(default_factory=Ratio)
    actor1_country: Ratio = field(default_factory=Ratio)
    actor2_country: Ratio = field(default_factory=Ratio)
    weapons: Ratio = field(default_factory=Ratio)
    weapons_jaccard_sum: float = 0.0
    fatalities: Ratio = field(default_factory=Ratio)
    claims: Ratio = field(default_factory=Ratio)
    status: Ratio = field(default_factory=Ratio)
    publication_date: Ratio = field(default_factory=Ratio)
    duplicates: int = 0
    historical_gold: int = 0
    historical_flagged: int = 0
    historical_flagged_matched: int = 0
    historical_leaks: int = 0

    @property
    def weapons_jaccard(self) -> float | None:
        """Mean Jaccard of weapon sets, over the same pairs as `weapons` (gold lists weapons)."""
        return self.weapons_jaccard_sum / self.weapons.n if self.weapons.n else None

    def add(self, other: Tally) -> None:
        """Add another tally's counts into this one."""
        for f in fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if isinstance(mine, Scores):
                mine.tp, mine.fp, mine.fn = (
                    mine.tp + theirs.tp,
                    mine.fp + theirs.fp,
                    mine.fn + theirs.fn,
                )
            elif isinstance(mine, Ratio):
                mine.correct, mine.n = mine.correct + theirs.correct, mine.n + theirs.n
            else:
                setattr(self, f.name, mine + theirs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "events": self.strict.to_dict(),
            "class_level": self.class_level.to_dict(),
            "optional_matched": self.optional_matched,
            "attributes": {
                "date": self.date.to_dict(),
                "location_25km": self.location_25km.to_dict(),
                "location_161km": self.location_161km.to_dict(),
                "actor1_country": self.actor1_country.to_dict(),
                "actor2_country": self.actor2_country.to_dict(),
                "weapons": self.weapons.to_dict(),
                "weapons_jaccard": {"mean": self.weapons_jaccard, "n": self.weapons.n},
                "fatalities": self.fatalities.to_dict(),
                "claims": self.claims.to_dict(),
                "status": self.status.to_dict(),
            },
            "publication_date": self.publication_date.to_dict(),
            "duplicates": self.duplicates,
            "historical": {
                "gold": self.historical_gold,
                "flagged": self.historical_flagged,
                "flagged_matched": self.historical_flagged_matched,
                "leaks": self.historical_leaks,
            },
        }


@dataclass
class ArticleResult:
    """One article's outcome, kept so a bad score can be traced to events (indices into the gold
    `events` list and the prediction's `events` list)."""

    id: str
    language: str
    tally: Tally
    matched: list[tuple[int, int]] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    false_positives: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    leaks: list[int] = field(default_factory=list)
    predicted: bool = True

    def to_dict(self) -> dict[str, Any]:
        t = self.tally
        return {
            "id": self.id,
            "language": self.language,
            "predicted": self.predicted,
            "tp": t.strict.tp,
            "fp": t.strict.fp,
            "fn": t.strict.fn,
            "duplicates": t.duplicates,
            "historical_leaks": t.historical_leaks,
            "matched": [[g, p] for g, p in self.matched],
            "missed": list(self.missed),
            "false_positives": list(self.false_positives),
            "duplicate_predictions": list(self.duplicates),
            "leak_predictions": list(self.leaks),
        }


@dataclass
class EvalReport:
    """Overall and per-language tallies plus per-article rows."""

    overall: Tally
    by_language: dict[str, Tally]
    articles: list[ArticleResult]
    #: prediction keys with no gold line (ignored in every score)
    unknown_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only, for `sitrep eval --json`."""
        return {
            "overall": self.overall.to_dict(),
            "by_language": {lang: t.to_dict() for lang, t in sorted(self.by_language.items())},
            "articles": [a.to_dict() for a in self.articles],
            "unknown_ids": list(self.unknown_ids),
        }


# --------------------------------------------------------------------------------------------
# Scoring


def score(
    gold: list[dict[str, Any]],
    predictions: Mapping[str, Prediction],
    *,
    type_class: Mapping[str, str],
    same_place: SamePlace | None = None,
) -> EvalReport:
    """Score predictions (keyed by gold `id`) against gold records.

    `type_class` maps each ontology type to its class (for class-level matching and historical
    checks). `same_place(pred_event, gold_event)` may say that a precision 2–3 prediction's
    `location`/`admin2`/`admin1` names the gold's `admin2`/`admin1` when plain name keys differ
    (the CLI passes a gazetteer-backed one so "Laçın" agrees with "Lachin"). A gold article with
    no prediction is scored as if nothing was found. Raises `ConfigError` on a gold type that
    `type_class` does not know: it could never match and would look like a system error.
    """
    _check_types(gold, type_class)
    matcher = _Matcher(type_class, same_place)
    overall = Tally()
    by_language: dict[str, Tally] = {}
    articles: list[ArticleResult] = []
    for record in gold:
        pred = predictions.get(record["id"])
        result = _score_article(record, pred, matcher)
        articles.append(result)
        overall.add(result.tally)
        by_language.setdefault(result.language, Tally()).add(result.tally)
    known = {r["id"] for r in gold}
    unknown = sorted(k for k in predictions if k not in known)
    return EvalReport(overall, by_language, articles, unknown)


def _check_types(gold: list[dict[str, Any]], type_class: Mapping[str, str]) -> None:
    """Unknown gold types are gold-file errors, reported before anything is scored."""
    for record in gold:
        for key in ("events", "historical"):
            for n, event in enumerate(record.get(key) or []):
                for code in [event.get("type"), *(event.get("alt_types") or [])]:
                    if code not in type_class:
                        raise ConfigError(
                            f"gold {record.get('id')!r} {key}[{n}]: unknown type {code!r}"
                        )


def _score_article(
    record: dict[str, Any], pred: Prediction | None, matcher: _Matcher
) -> ArticleResult:
    """Match one article's predictions to its gold events and count everything."""
    gold_events: list[Event] = list(record.get("events") or [])
    historical: list[Event] = list(record.get("historical") or [])
    events: list[Event] = list(pred.events) if pred is not None else []
    tally = Tally(articles=1, historical_gold=len(historical))
    result = ArticleResult(
        id=record["id"],
        language=record.get("language") or "und",
        tally=tally,
        predicted=pred is not None,
    )

    flagged = [i for i, e in enumerate(events) if e.get("historical") is True]
    current = [i for i, e in enumerate(events) if e.get("historical") is not True]
    required = [g for g, e in enumerate(gold_events) if not e.get("optional")]
    optional = [g for g, e in enumerate(gold_events) if e.get("optional")]

    # strict matching
    strict_adj = [
        _closest_first(
            [p for p in current if matcher.matches(events[p], gold, strict=True)], events, gold
        )
        for gold in gold_events
    ]
    strict = _max_matching(strict_adj, [required, optional])
    matched_preds = set(strict.values())
    for g in required:
        if g in strict:
            tally.strict.tp += 1
            result.matched.append((g, strict[g]))
            _score_attributes(tally, events[strict[g]], gold_events[g])
        else:
            tally.strict.fn += 1
            result.missed.append(g)
    tally.optional_matched = sum(1 for g in optional if g in strict)
    for p in current:
        if p in matched_preds:
            continue
        tally.strict.fp += 1
        result.false_positives.append(p)
        if any(p in adj for adj in strict_adj):  # every neighbour is taken: a maximum matching
            tally.duplicates += 1
            result.duplicates.append(p)
        if any(matcher.matches_historical(events[p], h) for h in historical):
            tally.historical_leaks += 1
            result.leaks.append(p)

    # class-level matching, independent of the strict one
    class_adj = [
        _closest_first(
            [p for p in current if matcher.matches(events[p], gold, strict=False)], events, gold
        )
        for gold in gold_events
    ]
    by_class = _max_matching(class_adj, [required, optional])
    tally.class_level.tp = sum(1 for g in required if g in by_class)
    tally.class_level.fn = len(required) - tally.class_level.tp
    tally.class_level.fp = len(current) - len(by_class)

    # predictions flagged historical: left out of P/R, checked one-to-one against gold background
    tally.historical_flagged = len(flagged)
    hist_adj = [
        [p for p in flagged if matcher.matches_historical(events[p], h)] for h in historical
    ]
    tally.historical_flagged_matched = len(_max_matching(hist_adj, [list(range(len(historical)))]))

    if record.get("published") is None and record.get("published_expected") is not None:
        got = pred.published if pred is not None else None
        tally.publication_date.add(
            got is not None and _parse_day(got) == _parse_day(record["published_expected"])
        )
    return result


def _closest_first(candidates: list[int], events: list[Event], gold: Event) -> list[int]:
    """Candidates ordered best first, so that among maximum matchings the augmenting-path search
    lands on sensible pairs: with `any_order`, two calls by the same leader both pass the actor
    test, and only the order of trial keeps each with its own counterpart.

    Best means: the same type, then actor2 agreeing, then the nearest day, then the nearest place,
    then input order (deterministic).
    """

    def key(p: int) -> tuple[bool, bool, int, float, int]:
        pred = events[p]
        gold_day, pred_day = _parse_day(gold.get("event_date")), _parse_day(pred.get("event_date"))
        days = abs((pred_day - gold_day).days) if gold_day and pred_day else 0
        gold_point, pred_point = _point(gold), _point(pred)
        km = haversine_km(*gold_point, *pred_point) if gold_point and pred_point else 0.0
        return (pred.get("type") != gold["type"], _actor2_agrees(pred, gold) is False, days, km, p)

    return sorted(candidates, key=key)


def _actor2_agrees(pred: Event, gold: Event) -> bool | None:
    """Whether the prediction names the gold's actor2 (or one of its `targets`/`parties`);
    None when the gold names none. With `any_order`, the prediction's actor1 may hold it."""
    acceptable = _countries(
        [gold.get("actor2_country"), *(gold.get("targets") or []), *(gold.get("parties") or [])]
    )
    if not acceptable:
        return None
    named = _countries([pred.get("actor2_country"), *(pred.get("targets") or [])])
    if gold.get("any_order"):
        named |= _countries([pred.get("actor1_country")])
    return bool(acceptable & named)


def _score_attributes(tally: Tally, pred: Event, gold: Event) -> None:
    """Attribute accuracies on one strict true-positive pair, each over gold that states it."""
    gold_date = gold.get("event_date")
    if isinstance(gold_date, str) and _GOLD_DATE.match(gold_date) and len(gold_date) == 10:
        tally.date.add(_parse_day(pred.get("event_date")) == _parse_day(gold_date))

    gold_point, pred_point = _point(gold), _point(pred)
    if gold_point is not None and pred_point is not None:
        km = haversine_km(*gold_point, *pred_point)
        tally.location_25km.add(km <= MATCH_KM)
        tally.location_161km.add(km <= NEAR_KM)

    if _country(gold.get("actor1_country")) is not None:
        tally.actor1_country.add(_actor1_agrees(pred, gold))

    actor2 = _actor2_agrees(pred, gold)
    if actor2 is not None:
        tally.actor2_country.add(actor2)

    gold_weapons = _strings(gold.get("weapons"))
    if gold_weapons:
        pred_weapons = _strings(pred.get("weapons"))
        tally.weapons.add(pred_weapons == gold_weapons)
        tally.weapons_jaccard_sum += len(gold_weapons & pred_weapons) / len(
            gold_weapons | pred_weapons
        )

    if gold.get("fatalities") is not None:
        tally.fatalities.add(pred.get("fatalities") == gold["fatalities"])

    found = {_claim_key(c) for c in pred.get("claims") or [] if isinstance(c, dict)}
    for claim in gold.get("claims") or []:
        if isinstance(claim, dict):
            tally.claims.add(_claim_key(claim) in found)

    if gold.get("status") is not None:
        tally.status.add(pred.get("status") == gold["status"])


class _Matcher:
    """The pairwise tests of `spec/events.md` ("Matching and scores")."""

    def __init__(self, type_class: Mapping[str, str], same_place: SamePlace | None) -> None:
        self.type_class = type_class
        self.same_place = same_place

    def matches(self, pred: Event, gold: Event, *, strict: bool) -> bool:
        """Whether a prediction may be paired with a gold event (type strict or class-level)."""
        return (
            self._type_agrees(pred, gold, strict=strict)
            and _date_agrees(pred.get("event_date"), gold.get("event_date"))
            and self._place_agrees(pred, gold)
            and _actor1_agrees(pred, gold)
        )

    def matches_historical(self, pred: Event, gold: Event) -> bool:
        """Background events are only compared by type class and date: gold codes little else."""
        return self._type_agrees(pred, gold, strict=False) and _date_agrees(
            pred.get("event_date"), gold.get("event_date")
        )

    def _type_agrees(self, pred: Event, gold: Event, *, strict: bool) -> bool:
        allowed = [gold["type"], *(gold.get("alt_types") or [])]
        if strict:
            return pred.get("type") in allowed
        pred_class = self.type_class.get(pred.get("type") or "") or pred.get("class")
        return pred_class is not None and pred_class in {self.type_class[t] for t in allowed}

    def _place_agrees(self, pred: Event, gold: Event) -> bool:
        """Within 25 km, or a precision 2–3 prediction naming the gold's district or province
        (falling back to the district when a village is unknown is correct behaviour)."""
        gold_point = _point(gold)
        if gold_point is None:
            return True
        pred_point = _point(pred)
        if pred_point is not None and haversine_km(*pred_point, *gold_point) <= MATCH_KM:
            return True
        if pred.get("geo_precision") not in (2, 3):
            return False
        gold_names = [gold.get("admin2"), gold.get("admin1")]
        gold_keys = {name_key(n) for n in gold_names if isinstance(n, str) and n.strip()}
        if not gold_keys:
            return False
        pred_names = [pred.get("location"), pred.get("admin2"), pred.get("admin1")]
        if any(isinstance(n, str) and name_key(n) in gold_keys for n in pred_names):
            return True
        return self.same_place is not None and bool(self.same_place(pred, gold))


def _actor1_agrees(pred: Event, gold: Event) -> bool:
    """`actor1_country` test, with `parties`/`any_order` making actor order irrelevant.

    A gold with `parties` but no `actor1_country` (an agreement coded by its parties alone) is
    scored leniently: the prediction agrees when its actor1/actor2/mediator countries name one of
    the parties, or name no country at all (a system may code the agreement without parties).
    """
    gold_actor1 = _country(gold.get("actor1_country"))
    parties = _countries(gold.get("parties") or [])
    pair = _countries([pred.get("actor1_country"), pred.get("actor2_country")])
    if gold_actor1 is None:
        if not parties:
            return True
        named = pair | _countries([pred.get("mediator_country")])
        return not named or bool(named & parties)
    if parties:
        return bool(pair & parties)
    if gold.get("any_order"):
        return gold_actor1 in pair
    return _country(pred.get("actor1_country")) == gold_actor1


def _date_agrees(pred_date: Any, gold_date: Any) -> bool:
    """Within a day of the gold day, or inside the gold month/year (a day's slack at the edges).
    No gold date: not tested. No (or unreadable) predicted date against a gold date: no match."""
    if gold_date is None:
        return True
    span = _gold_span(gold_date) if isinstance(gold_date, str) else None
    day = _parse_day(pred_date)
    if span is None or day is None:
        return False
    first, last = span
    return first - timedelta(days=1) <= day <= last + timedelta(days=1)


def _gold_span(value: str) -> tuple[date, date] | None:
    """First and last day a gold date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`) covers."""
    m = _GOLD_DATE.match(value)
    if m is None:
        return None
    year, month, day = m.groups()
    try:
        if day is not None:
            d = date(int(year), int(month), int(day))
            return d, d
        if month is not None:
            first = date(int(year), int(month), 1)
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            return first, following - timedelta(days=1)
        return date(int(year), 1, 1), date(int(year), 12, 31)
    except ValueError:
        return None


def _parse_day(value: Any) -> date | None:
    """The day of an ISO date or datetime string; None for anything else."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _point(event: Event) -> tuple[float, float] | None:
    lat, lon = event.get("latitude"), event.get("longitude")
    if isinstance(lat, bool) or isinstance(lon, bool):
        return None
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        return None
    return float(lat), float(lon)


def _country(value: Any) -> str | None:
    """Country/organisation codes compared case-insensitively; empty means none."""
    return (value.strip().upper() or None) if isinstance(value, str) else None


def _countries(values: Iterable[Any]) -> set[str]:
    return {c for c in map(_country, values) if c is not None}


def _strings(values: Any) -> set[str]:
    return {v for v in values if isinstance(v, str)} if isinstance(values, list) else set()


def _claim_key(claim: dict[str, Any]) -> tuple[str | None, Any]:
    return _country(claim.get("by_country")), claim.get("stance")


def _max_matching(adj: list[list[int]], groups: list[list[int]]) -> dict[int, int]:
    """Maximum one-to-one matching (gold index -> prediction index) by augmenting paths.

    Gold vertices are tried group by group, in order: an augmenting path re-routes matched gold
    vertices but never unmatches one, so the first group (required events) keeps a maximum
    matching and later groups (optional events) only fill what is left. Candidates are tried in
    list order, so the result is deterministic; a free candidate is taken before any re-routing,
    so a gold event keeps its best partner unless moving it is the only way to match one more.
    """
    owner: dict[int, int] = {}  # prediction -> gold

    def augment(g: int, seen: set[int]) -> bool:
        for p in adj[g]:
            if p not in owner and p not in seen:
                owner[p] = g
                return True
        for p in adj[g]:
            if p in seen:
                continue
            seen.add(p)
            if p not in owner or augment(owner[p], seen):
                owner[p] = g
                return True
        return False

    for group in groups:
        for g in group:
            augment(g, set())
    return {g: p for p, g in owner.items()}


# --------------------------------------------------------------------------------------------
# Rendering


def render(report: EvalReport, *, verbose: bool = False) -> list[Table]:
    """Tables for the terminal: a summary, one row per language, and per article if `verbose`."""
    t = report.overall
    summary = Table(title=f"Evaluation: {t.articles} articles")
    summary.add_column("Metric")
    summary.add_column("Score", justify="right")
    summary.add_column("Detail")

    def prf(name: str, s: Scores) -> None:
        summary.add_row(
            name,
            _fmt(s.f1),
            f"P {_fmt(s.precision)}  R {_fmt(s.recall)}  (tp {s.tp}, fp {s.fp}, fn {s.fn})",
        )

    def ratio(name: str, r: Ratio) -> None:
        summary.add_row(name, _fmt(r.value), f"{r.correct}/{r.n}")

    prf("events F1 (strict)", t.strict)
    prf("events F1 (class)", t.class_level)
    ratio("date (exact day)", t.date)
    ratio("location <= 25 km", t.location_25km)
    ratio("location <= 161 km", t.location_161km)
    ratio("actor1 country", t.actor1_country)
    ratio("actor2 country", t.actor2_country)
    ratio("weapons (exact set)", t.weapons)
    summary.add_row("weapons (mean Jaccard)", _fmt(t.weapons_jaccard), f"n {t.weapons.n}")
    ratio("fatalities", t.fatalities)
    ratio("claims found", t.claims)
    ratio("status", t.status)
    ratio("publication date", t.publication_date)
    summary.add_row("duplicates", str(t.duplicates), "also counted as false positives")
    summary.add_row("optional matched", str(t.optional_matched), "neither TP nor FP")
    summary.add_row(
        "historical flagged",
        str(t.historical_flagged),
        f"{t.historical_flagged_matched} match gold background ({t.historical_gold} events)",
    )
    summary.add_row("historical leaks", str(t.historical_leaks), "unflagged, counted as FP")
    if report.unknown_ids:
        shown = ", ".join(report.unknown_ids[:5]) + (" ..." if len(report.unknown_ids) > 5 else "")
        summary.add_row("ignored predictions", str(len(report.unknown_ids)), escape(shown))

    languages = Table(title="By language")
    for col in ("Language", "Articles", "P", "R", "F1", "Class F1", "Dup", "Pub date"):
        languages.add_column(col, justify="left" if col == "Language" else "right")
    for lang, lt in sorted(report.by_language.items()):
        languages.add_row(
            escape(lang),
            str(lt.articles),
            _fmt(lt.strict.precision),
            _fmt(lt.strict.recall),
            _fmt(lt.strict.f1),
            _fmt(lt.class_level.f1),
            str(lt.duplicates),
            f"{lt.publication_date.correct}/{lt.publication_date.n}",
        )
    tables = [summary, languages]
    if verbose:
        per_article = Table(title="By article")
        for col in ("Article", "Lang", "TP", "FP", "FN", "Dup", "Leaks"):
            per_article.add_column(col, justify="left" if col in ("Article", "Lang") else "right")
        for a in report.articles:
            at = a.tally
            per_article.add_row(
                escape(a.id) + ("" if a.predicted else " (no prediction)"),
                escape(a.language),
                str(at.strict.tp),
                str(at.strict.fp),
                str(at.strict.fn),
                str(at.duplicates),
                str(at.historical_leaks),
            )
        tables.append(per_article)
    return tables


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"
