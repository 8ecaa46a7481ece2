"""The merge as a store operation: incremental, idempotent, one transaction.

New reports are linked to the stored reports they may tell (a range join on class and days: the
blocking that keeps the cost linear), then every connected part of the link graph they touch is
clustered again from its reports alone, its old events replaced by the new ones. A run that is
killed rolls back whole; running it again with nothing new changes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitrep.merge.ceasefire import link_violations
from sitrep.merge.core import IS_DENIAL, Report, cluster, compatible, merged_record

if TYPE_CHECKING:
    from sitrep.store.core import Store

log = logging.getLogger(__name__)


@dataclass
class MergeSummary:
    new_reports: int = 0
    links: int = 0
    events_written: int = 0
    events_removed: int = 0
    ceasefires: int = 0
    violations: int = 0


def merge_store(store: Store) -> MergeSummary:
    con = store.con
    summary = MergeSummary()
    pending = [r[0] for r in con.execute(
        "SELECT report_id FROM reports WHERE event_id IS NULL ORDER BY report_id"
    ).fetchall()]  # fmt: skip
    if not pending:
        return summary
    summary.new_reports = len(pending)
    con.execute("BEGIN TRANSACTION")
    try:
        # 1. blocking: same class, days that overlap (with a day's slack), other article
        # blocking keys: a day the report may mean, its class and a block (its country; for a
        # statement, who made it; "*" when unknown or for a denial, which names the place of
        # the event less often than the denier's country). A pending report is compared with the
        # reports that share a key, or a day and class when either block is unknown: hash
        # joins on equal keys, so the pairs grow with the reports of each day and place.
        keys = (
            "SELECT report_id, article_id, class, type, historical, "
            f"coalesce(CASE WHEN {IS_DENIAL} "
            "THEN '*' WHEN class IN ('violence', 'unrest', 'other') THEN country "
            "ELSE record::JSON ->> 'actor1_country' END, '*') AS block, g.day::DATE AS day "
            "FROM reports, generate_series(date_lo - {pad}, date_hi + {pad}, INTERVAL '1 day') "
            "AS g(day) WHERE date_lo IS NOT NULL {where}"
        )
        same = (
            "p.day = r.day AND p.class = r.class AND p.historical = r.historical "
            "AND p.article_id <> r.article_id "
            "AND (p.class IN ('violence', 'unrest') OR p.type = r.type)"
        )
        pairs = con.execute(
            f"WITH p AS ({keys.format(pad=1, where='AND event_id IS NULL')}), "
            f"r AS ({keys.format(pad=0, where='')}) "
            f"SELECT DISTINCT p.report_id, r.report_id FROM p JOIN r "
            f"ON p.block = r.block AND {same} "
            f"UNION SELECT DISTINCT p.report_id, r.report_id "
            f"FROM (SELECT * FROM p WHERE block = '*') p JOIN r ON {same} "
            f"UNION SELECT DISTINCT p.report_id, r.report_id "
            f"FROM p JOIN (SELECT * FROM r WHERE block = '*') r ON {same}"
        ).fetchall()
        reports = _load(store, {x for pair in pairs for x in pair} | set(pending))
        links = {
            (a, b)
            for a, b in pairs
            if a in reports and b in reports and compatible(reports[a], reports[b])
        }
        links |= {(b, a) for a, b in links}
        if links:
            con.execute(
                "INSERT INTO report_links SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]) "
                "ON CONFLICT DO NOTHING",
                [[a for a, _ in links], [b for _, b in links]],
            )
        summary.links = len(links) // 2
        log.info("merging %d new reports: %d links written, not yet committed", len(pending),
                 summary.links)  # fmt: skip
        # 2. the connected parts the new reports belong to, over every link ever stored
        part = _component(store, pending)
        reports.update(_load(store, part - set(reports)))
        members = {r: reports[r] for r in part}
        all_links = _links_within(store, part)
        assignment = cluster(members, all_links)
        old_ids = {r[0] for r in con.execute(
            "SELECT DISTINCT event_id FROM reports WHERE event_id IS NOT NULL "
            "AND report_id IN (SELECT unnest($1::VARCHAR[]))", [sorted(part)],
        ).fetchall()}  # fmt: skip
        # 3. the events of those parts, written again
        clusters: dict[str, list[Report]] = {}
        for rid, eid in assignment.items():
            clusters.setdefault(eid, []).append(members[rid])
        articles = {m.article_id for ms in clusters.values() for m in ms}
        independence, published = _articles(store, articles)
        records = [
            merged_record(ms, independence, published)
            for ms in clusters.values()
            if any(not m.claim_only for m in ms)  # a denial of nothing reported yet waits
        ]
        stale = sorted(old_ids | set(clusters))
        for table in ("events", "claims", "sources"):
            con.execute(
                f"DELETE FROM {table} WHERE event_id IN (SELECT unnest($1::VARCHAR[]))", [stale]
            )
        _write_events(store, records, independence)
        con.execute(
            "UPDATE reports SET event_id = m.e FROM "
            "(SELECT unnest($1::VARCHAR[]) AS r, unnest($2::VARCHAR[]) AS e) m "
            "WHERE reports.report_id = m.r",
            [list(assignment), list(assignment.values())],
        )
        summary.events_written = len(records)
        summary.events_removed = len(old_ids - set(clusters))
        # 4. ceasefires and the hostile events reported after them
        summary.ceasefires, summary.violations = link_violations(store)
        con.execute("COMMIT")
    except BaseException:
        store._rollback()
        raise
    return summary


def _ids(store: Store, name: str, ids: Iterable[str]) -> None:
    """A temporary table of ids: joins with it are hash joins, where one `IN` list per chunk
    would scan the table once per chunk."""
    _temp(store, name, "(id VARCHAR)")
    store.con.execute(f"INSERT INTO {name} SELECT unnest($1::VARCHAR[])", [sorted(ids)])


def _temp(store: Store, name: str, definition: str) -> None:
    """A temporary table made anew: `CREATE OR REPLACE` in the words both engines know."""
    store.con.execute(f"DROP TABLE IF EXISTS {name}")
    store.con.execute(f"CREATE TEMP TABLE {name} {definition}")


def _load(store: Store, ids: Iterable[str]) -> dict[str, Report]:
    _ids(store, "merge_want", ids)
    return {
        rid: Report.from_record(json.loads(record), aid, original)
        for rid, aid, record, original in store.con.execute(
            "SELECT r.report_id, r.article_id, r.record, coalesce(a.duplicate_of, r.article_id) "
            "FROM reports r JOIN merge_want w ON r.report_id = w.id "
            "LEFT JOIN articles a ON a.article_id = r.article_id"
        ).fetchall()
    }


def _component(store: Store, start: list[str]) -> set[str]:
    """Every report reachable from `start` through stored links: one join per step of the
    walk, whatever the number of reports."""
    con = store.con
    _ids(store, "merge_seen", start)
    _temp(store, "merge_frontier", "AS SELECT id FROM merge_seen")
    while True:
        _temp(
            store,
            "merge_next",
            "AS SELECT DISTINCT l.b AS id FROM report_links l JOIN merge_frontier f "
            "ON l.a = f.id WHERE NOT EXISTS (SELECT 1 FROM merge_seen s WHERE s.id = l.b)",
        )
        row = con.execute("SELECT count(*) FROM merge_next").fetchone()
        if not row or not row[0]:
            break
        con.execute("INSERT INTO merge_seen SELECT id FROM merge_next")
        _temp(store, "merge_frontier", "AS SELECT id FROM merge_next")
    return {r[0] for r in con.execute("SELECT id FROM merge_seen").fetchall()}


def _links_within(store: Store, part: set[str]) -> set[tuple[str, str]]:
    _ids(store, "merge_part", part)
    return set(
        store.con.execute(
            "SELECT l.a, l.b FROM report_links l JOIN merge_part p ON l.a = p.id"
        ).fetchall()
    )


def _articles(store: Store, ids: set[str]) -> tuple[dict[str, str], dict[str, Any]]:
    """Article -> the article it republishes (itself if none), and -> its publication day."""
    independence: dict[str, str] = {}
    published: dict[str, Any] = {}
    for aid, dup, pub in store.con.execute(
        "SELECT article_id, duplicate_of, published FROM articles "
        "WHERE article_id IN (SELECT unnest($1::VARCHAR[]))",
        [sorted(ids)],
    ).fetchall():
        independence[aid] = dup or aid
        published[aid] = pub
    return independence, published


EVENT_COLUMNS = (
    "event_id", "type", "class", "acled_event_type", "acled_sub_event_type", "plover",
    "event_date", "event_time", "time_precision", "historical", "ceasefire_id", "actor1",
    "actor2", "mediator", "actor1_country", "actor2_country", "mediator_country", "targets",
    "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "geonames_id", "weapons", "fatalities", "injuries", "status", "notes", "confidence",
    "reports", "independent_sources",
)  # fmt: skip


def _write_events(
    store: Store, records: list[dict[str, Any]], independence: dict[str, str]
) -> None:
    rows = []
    claims = []
    sources = []
    for rec in sorted(records, key=lambda r: r["event_id"]):
        row = {c: rec.get(c) for c in EVENT_COLUMNS}
        row["fatality_figures"] = json.dumps(rec.get("fatality_figures") or [], sort_keys=True)
        rows.append(row)
        for n, c in enumerate(rec["claims"]):
            claims.append({"event_id": rec["event_id"], "seq": n, "by": c.get("by"),
                           "by_country": c.get("by_country"), "stance": c["stance"],
                           "article_id": c["article_id"], "sentence": c.get("sentence"),
                           "char_start": c["char_start"], "char_end": c["char_end"]})  # fmt: skip
        for n, s in enumerate(rec["sources"]):
            aid = s["article_id"]
            original = independence.get(aid, aid)  # the article this one republishes, if any
            sources.append({"event_id": rec["event_id"], "seq": n, "article_id": aid,
                            "input_id": s.get("input_id"), "url": s.get("url"),
                            "published": s.get("published"), "sentence": s.get("sentence"),
                            "char_start": s["char_start"], "char_end": s["char_end"],
                            "independent_of": original if original != aid else None})  # fmt: skip
    store._insert("events", rows)
    store._insert("claims", claims)
    store._insert("sources", sources)
