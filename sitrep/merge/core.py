"""Event coreference across articles: which article-level reports are one real-world event.

Each article's extractor output is stored as *reports*. Two reports are linked when they could be
the same event (`compatible`); the links of the whole store form a graph, and each connected part
of it is clustered the same way whatever order its reports arrived in (`cluster`): the result is
a function of the set of reports, so ingesting in another order or in batches gives the same
events. A cluster becomes one stored event (`merged_record`).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sitrep.events.extract import PLACEHOLDER_PREFIXES
from sitrep.events.ontology import derive_status, load_ontology
from sitrep.model import AnalysedArticle
from sitrep.places.geo import haversine_km
from sitrep.time import month_end

#: Two precise places are one place within this distance (the scorer's 25 km).
SAME_PLACE_KM = 25.0
#: A district-level report covers this far around a town; a province-level one further.
NEAR_KM = {2: 50.0, 3: 150.0}
#: Slack on dates: reports a day apart may tell one night's event.
DAY_SLACK = timedelta(days=1)
#: A denial that gives no date is about an event of the days before it was published.
DENIAL_LOOKBACK = timedelta(days=7)
#: SQL: a stored report that is a denial of an event reported elsewhere (`report_rows`).
IS_DENIAL = "(record::JSON ->> 'claim_only') IS NOT NULL"


def date_span(day: date | None, precision: int) -> tuple[date | None, date | None]:
    """The days a report's date may mean: the day, the week around it, or its month."""
    if day is None:
        return None, None
    if precision <= 1:
        return day, day
    if precision == 2:
        return day - timedelta(days=3), day + timedelta(days=3)
    return day.replace(day=1), month_end(day)


@dataclass(frozen=True, slots=True)
class Report:
    """One article's event, with what coreference compares."""

    report_id: str
    article_id: str
    event_class: str
    type: str
    historical: bool
    date_lo: date | None
    date_hi: date | None
    geo_precision: int
    latitude: float | None
    longitude: float | None
    geonames_id: int | None
    country: str | None
    admin1: str | None
    admin2: str | None
    actor1_country: str | None  # None when the actor is a placeholder ("Unidentified…")
    others: frozenset[str]  # actor2 and targets
    located: bool  # coded at a place (the ontology's flag for its type)
    record: Mapping[str, Any]  # the article-level event record (spec/events.md)
    #: "denies" when the article only denies the event: its claims attach to another
    #: article's report, it is never an event of its own
    claim_only: str | None = None
    claimants: frozenset[str] = frozenset()  # the countries of who denies
    original: str = ""  # the article this one republishes, or its own id

    @classmethod
    def from_record(
        cls, rec: Mapping[str, Any], article_id: str, original: str | None = None
    ) -> Report:
        day = date.fromisoformat(rec["event_date"]) if rec.get("event_date") else None
        lo, hi = date_span(day, int(rec.get("time_precision") or 1))
        claim_only = rec.get("claim_only")
        if claim_only and day is None and rec.get("published"):
            hi = date.fromisoformat(str(rec["published"])[:10])
            lo = hi - DENIAL_LOOKBACK
        named = rec.get("actor1") and not str(rec["actor1"]).startswith(PLACEHOLDER_PREFIXES)
        others = {rec.get("actor2_country"), *(rec.get("targets") or [])} - {None}
        return cls(
            report_id=rec["event_id"], article_id=article_id, event_class=rec["class"],
            type=rec["type"], historical=bool(rec.get("historical")), date_lo=lo, date_hi=hi,
            geo_precision=int(rec.get("geo_precision") or 3), latitude=rec.get("latitude"),
            longitude=rec.get("longitude"), geonames_id=rec.get("geonames_id"),
            country=rec.get("country"), admin1=rec.get("admin1"), admin2=rec.get("admin2"),
            actor1_country=rec.get("actor1_country") if named else None,
            others=frozenset(others), located=load_ontology()[rec["type"]].located, record=rec,
            claim_only=claim_only, original=original or article_id,
            claimants=frozenset(c["by_country"] for c in rec.get("claims") or []
                                if claim_only and c.get("by_country")),
        )  # fmt: skip

    @property
    def pinned(self) -> bool:
        """Placed at a town."""
        return self.geo_precision == 1 and self.latitude is not None

    @property
    def dated(self) -> bool:
        """Dated to the day."""
        return self.date_lo is not None and self.date_lo == self.date_hi

    @property
    def weekly(self) -> bool:
        """Dated to the day or the week, not just the month."""
        return (
            self.date_lo is not None
            and self.date_hi is not None
            and (self.date_hi - self.date_lo).days <= 7
        )

    @property
    def precise(self) -> bool:
        """Pinned to a town (or not about a place at all) and a day: it may anchor a cluster."""
        if self.claim_only:
            return False
        return self.dated and (self.pinned or not self.located)


def report_rows(item: AnalysedArticle) -> list[dict[str, Any]]:
    """The store's rows for one analysed article's events."""
    rows = []
    # a denial with no day and no publication date has no window to attach in
    denied = [{**ev.to_dict(), "claim_only": "denies", "published": item.published}
              for ev in item.claims_elsewhere if ev.event_date or item.published]  # fmt: skip
    for rec in [ev.to_dict() for ev in item.events] + denied:
        rep = Report.from_record(rec, item.article_id)
        rows.append({
            "report_id": rep.report_id, "article_id": item.article_id, "class": rep.event_class,
            "type": rep.type, "historical": rep.historical, "date_lo": rep.date_lo,
            "date_hi": rep.date_hi, "country": rep.country,
            "record": json.dumps(rec, sort_keys=True, default=str),
        })  # fmt: skip
    return rows


def compatible(a: Report, b: Report) -> bool:
    """Whether two reports may tell one event: same class (same type outside violence and
    unrest), overlapping days, one place, and actors that do not contradict each other."""
    if a.article_id == b.article_id:
        return False  # the extractor already merged what one article says twice
    if a.claim_only or b.claim_only:
        denial, report = (a, b) if a.claim_only else (b, a)
        return _denial_fits(denial, report)
    if a.event_class != b.event_class or a.historical != b.historical:
        return False
    if a.event_class not in ("violence", "unrest") and a.type != b.type:
        return False
    if a.date_lo is None or b.date_lo is None or a.date_hi is None or b.date_hi is None:
        return False
    if a.date_lo > b.date_hi + DAY_SLACK or b.date_lo > a.date_hi + DAY_SLACK:
        return False
    if a.located and b.located:
        if not _same_place(a, b):
            return False
        if a.event_class == "unrest" and _national(a) != _national(b):
            return False  # "protests across the country" is a tally of many, not one of them
        # a report that names no town says little: it must agree on the type, and with no
        # country at all on who did it
        if not (a.precise and b.precise) and a.type != b.type:
            return False
        if (a.country is None or b.country is None) and not (
            a.actor1_country and a.actor1_country == b.actor1_country
        ):
            return False
    if not (a.located or b.located) and not (
        a.actor1_country and a.actor1_country == b.actor1_country
    ):
        return False  # a statement or agreement is identified by who made it
    return _actors_agree(a, b)


def _denial_fits(denial: Report, report: Report) -> bool:
    """Whether a denial may be about a report of another article: same kind of event, in the
    days the denial means, at no other place, denied by one of its parties."""
    if report.claim_only or report.historical or denial.event_class != report.event_class:
        return False
    if denial.event_class not in ("violence", "unrest") and denial.type != report.type:
        return False
    if None in (denial.date_lo, denial.date_hi, report.date_lo, report.date_hi):
        return False
    assert denial.date_lo and denial.date_hi and report.date_lo and report.date_hi
    if denial.date_lo > report.date_hi + DAY_SLACK or report.date_lo > denial.date_hi + DAY_SLACK:
        return False
    # only a town says where: a denial's country is as often the denier's ("Pakistan denied…")
    if denial.pinned and report.located and not _same_place(denial, report):
        return False
    # who denies is a party, and whoever the denial says did it too ("denied that its troops
    # shelled…": the denier; "denied the army's shelling": maybe the other side)
    parties = {report.actor1_country, *report.others} - {None}
    if not denial.claimants & parties:
        return False
    return denial.actor1_country is None or denial.actor1_country in parties


def _national(r: Report) -> bool:
    return r.geo_precision >= 3 and r.admin1 is None


def _km(a: Report, b: Report) -> float | None:
    if a.latitude is None or b.latitude is None:
        return None
    return haversine_km(a.latitude, a.longitude or 0.0, b.latitude, b.longitude or 0.0)


def _same_place(a: Report, b: Report) -> bool:
    if a.country and b.country and a.country != b.country:
        return False
    if a.country is None or b.country is None:
        return True  # a report with no place does not say it was elsewhere
    if a.geonames_id and a.geonames_id == b.geonames_id:
        return True
    km = _km(a, b)
    if a.pinned and b.pinned:
        return km is not None and km <= SAME_PLACE_KM
    # the coarser one: less precise, or with no province or district known; ties by id, so that
    # the answer never depends on which report is the new one
    fine, coarse = sorted(
        (a, b), key=lambda r: (r.geo_precision, not r.admin1, not r.admin2, r.report_id)
    )
    if coarse.geo_precision >= 3 and coarse.admin1 is None:
        return True  # the country: same country already checked
    if coarse.admin1 and fine.admin1 and coarse.admin1 == fine.admin1:
        if coarse.geo_precision >= 3 or not coarse.admin2:
            return True
        if coarse.admin2 == fine.admin2:
            return True
        # a district, and a town whose district is another or unknown: the distance decides
    return km is not None and km <= NEAR_KM.get(coarse.geo_precision, NEAR_KM[3])


def _actors_agree(a: Report, b: Report) -> bool:
    if a.actor1_country and b.actor1_country and a.actor1_country != b.actor1_country:
        # one clash told by each side: who fired first is what the two sides dispute
        return (
            a.event_class == "violence"
            and a.actor1_country in b.others
            and b.actor1_country in a.others
        )
    # a meeting with Russia is not a meeting with China
    return a.located or not (a.others and b.others) or bool(a.others & b.others)


def cluster(reports: Mapping[str, Report], links: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Report id -> event id, for reports whose links are all given.

    Precise reports (a town, or no place at all, and a day) link into clusters; a coarse report
    (a district, a country, a week, a month) joins the one cluster it links to most (ties: the
    smallest id), so a report "in Syria" or "in March" never chains two events together; coarse
    reports linked to no precise one cluster among themselves when they are of one type and
    week, or say the same month, place and actor. A denial joins, the same way, the one event
    it links to most, and stays alone (no event) while it links to none. Two reports of one
    article are never one event: the extractor already kept them apart. The event id is the
    smallest id of the cluster's reports, denials aside. Every loop runs in id order: the
    result is a function of the sets.
    """
    adjacency: dict[str, set[str]] = {r: set() for r in reports}
    for x, y in links:
        if x in adjacency and y in adjacency and x != y:
            adjacency[x].add(y)
            adjacency[y].add(x)
    parent = {r: r for r in reports}
    articles = {r: {rep.article_id} for r, rep in reports.items()}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> bool:
        rx, ry = find(x), find(y)
        if rx == ry:
            return True
        if articles[rx] & articles[ry]:
            return False
        keep, gone = min(rx, ry), max(rx, ry)
        parent[gone] = keep
        articles[keep] |= articles.pop(gone)
        return True

    def join_best(r: str, candidates: Iterable[str]) -> bool:
        """Into the cluster r links to most that has room for its article."""
        votes = Counter(find(o) for o in candidates)
        return any(union(root, r) for root in sorted(votes, key=lambda x: (-votes[x], x)))

    denials = {r for r, rep in reports.items() if rep.claim_only}
    precise = {r for r, rep in reports.items() if rep.precise}
    for r in sorted(precise):
        for o in sorted(adjacency[r] & precise):
            union(r, o)
    unattached = [
        r for r in sorted(set(reports) - precise - denials)
        if not join_best(r, adjacency[r] & precise)
    ]  # fmt: skip
    loose = set(unattached)
    group = {r: [r] for r in unattached}
    for r in unattached:
        for o in sorted(adjacency[r] & loose):
            ra, rb = find(r), find(o)
            # every report of one group linked to every report of the other: ten reports a
            # day apart never make one event
            linked = ra != rb and all(
                y in adjacency[x] and _loose_pair(reports[x], reports[y])
                for x in group[ra]
                for y in group[rb]
            )
            if linked and union(r, o):
                members = group.pop(ra) + group.pop(rb)
                group[find(r)] = members
    for r in sorted(denials):  # every event is final now: a denial never links two of them
        join_best(r, adjacency[r] - denials)
    event_ids: dict[str, str] = {}
    for r in sorted(set(reports) - denials):
        event_ids.setdefault(find(r), r)
    return {r: event_ids.get(find(r), r) for r in reports}


def _loose_pair(a: Report, b: Report) -> bool:
    """Two coarse reports are one event when of one type and week, or when they say the same
    month (or year), place and named actor ("the 2020 war in Karabakh", twice), or the same
    month, place and actor in an article and its republished copy."""
    if a.type != b.type:
        return False
    if a.weekly and b.weekly:
        return True
    same = (a.date_lo, a.date_hi, a.record.get("location"), a.country, a.actor1_country)
    other = (b.date_lo, b.date_hi, b.record.get("location"), b.country, b.actor1_country)
    # a named actor, or one article republished: its background is the original's
    return same == other and (a.actor1_country is not None or a.original == b.original)


def _most_common(values: Iterable[Any]) -> Any:
    counts = Counter(v for v in values if v is not None)
    if not counts:
        return None
    return min(counts, key=lambda v: (-counts[v], str(v)))


def merged_record(
    members: list[Report], independence: Mapping[str, str], published: Mapping[str, Any]
) -> dict[str, Any]:
    """One event record from its reports, whatever order they came in.

    `independence`: article id -> the article it republishes (or itself); `published`: article
    id -> its publication date. Keeps every source and claim, the most precise day and place,
    the most conservative fatality figure with every figure and who gave it.
    """
    members = sorted(members, key=lambda r: r.report_id)
    recs = [m.record for m in members if not m.claim_only]  # denials only add their claims
    event_id = recs[0]["event_id"]
    out: dict[str, Any] = dict(recs[0])
    out["event_id"] = event_id
    out["type"] = _most_common(r["type"] for r in recs)
    onto = load_ontology()[out["type"]]
    out["class"] = onto.event_class
    out["acled_event_type"], out["acled_sub_event_type"] = (
        onto.acled_event_type,
        onto.acled_sub_event_type,
    )
    out["plover"] = onto.plover
    # the day: the most precise reports' most common day (ties: the earliest)
    best_t = min(int(r.get("time_precision") or 3) for r in recs)
    timed = [r for r in recs if int(r.get("time_precision") or 3) == best_t]
    days = Counter(r.get("event_date") for r in timed if r.get("event_date"))
    if days:
        out["event_date"] = min(days, key=lambda d: (-days[d], d))
    out["time_precision"] = best_t
    out["event_time"] = _most_common(
        r.get("event_time") for r in recs if r.get("event_date") == out["event_date"]
    )
    # the place: the most precise reports' most common place
    best_g = min(int(r.get("geo_precision") or 3) for r in recs)
    placed = [r for r in recs if int(r.get("geo_precision") or 3) == best_g]
    loc = _most_common((r.get("location"), r.get("country")) for r in placed if r.get("location"))
    source = next((r for r in placed if (r.get("location"), r.get("country")) == loc), placed[0])
    for f in ("country", "admin1", "admin2", "location", "latitude", "longitude",
              "geonames_id"):  # fmt: skip
        out[f] = source.get(f)
    out["geo_precision"] = best_g
    # actors: the most reported named one, else the placeholder
    for role in ("actor1", "actor2", "mediator"):
        pairs = [(r.get(role), r.get(f"{role}_country")) for r in recs if r.get(role)]
        named = [p for p in pairs if not str(p[0]).startswith(PLACEHOLDER_PREFIXES)]
        pick = _most_common(named or pairs)
        out[role], out[f"{role}_country"] = pick if pick else (None, None)
    out["targets"] = sorted({t for r in recs for t in (r.get("targets") or [])})
    out["weapons"] = sorted({w for r in recs for w in (r.get("weapons") or [])})
    figures = []
    for r in recs:
        if r.get("fatalities") is not None:
            by = sorted({c.get("by") for c in r.get("claims") or [] if c.get("by")})
            figures.append({"fatalities": r["fatalities"], "claimed_by": by,
                            "report_id": r["event_id"]})  # fmt: skip
    out["fatalities"] = min((f["fatalities"] for f in figures), default=None)
    injuries = [r["injuries"] for r in recs if r.get("injuries") is not None]
    out["injuries"] = min(injuries) if injuries else None
    out["fatality_figures"] = figures
    sources = {(s["article_id"], s["char_start"]): s for r in recs for s in r.get("sources") or []}
    out["sources"] = sorted(
        sources.values(),
        key=lambda s: (str(published.get(s["article_id"]) or ""), s["article_id"],
                       s["char_start"]),
    )  # fmt: skip
    claims = {
        (c["article_id"], c["char_start"], c.get("by"), c["stance"]): c
        for m in members
        for c in m.record.get("claims") or []
    }
    out["claims"] = sorted(claims.values(), key=lambda c: (c["article_id"], c["char_start"]))
    independent = {independence.get(s["article_id"], s["article_id"]) for s in out["sources"]}
    out["independent_sources"] = len(independent)
    out["reports"] = [m.report_id for m in members if not m.claim_only]
    stances = {(c.get("by_country"), c["stance"]) for c in out["claims"]}
    out["status"] = derive_status(
        stances, out.get("actor1_country"), out.get("actor2_country"), len(independent)
    )
    out["confidence"] = round(min(0.99, max(float(r.get("confidence") or 0) for r in recs)
                                  + 0.05 * (len(independent) - 1)), 2)  # fmt: skip
    out["notes"] = recs[0].get("notes", "")
    out["ceasefire_id"] = None
    return out
