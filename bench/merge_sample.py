"""The merge's decisions, for checking by hand (issue 5): how often a merge is right.

    .venv/bin/python bench/merge_sample.py [--db PATH] [--n 80]

Ingests into one store the Wikinews corpus (dated from its INDEX.tsv), the raw English Wikinews
set (`raw_news_en_wikinews_vanatteveldt`, 2019-2020, CC BY 2.5) and the French Wikinews articles
of WiNER-fr (`winer_fr_wikinews_ner`, 1,191 articles 2016-2018, CC BY 4.0, dated by their file
names), as `sitrep ingest` does. A *merge decision* is either a merge (a report joined to an
event another article reports: the pair of the event's first report and the joined one; or a
denial attached to an event) or a near miss kept apart (two reports of one type and country, on
days that overlap, in two articles, left as two events). Pairs between an article and its
republished copy are dedup, not coreference, and are counted apart. Up to `--n` merges and
`--apart` near misses are drawn at random (seed 0) and written with both sentences to
`bench/results/merge_sample.md`; the verdicts given by hand live in `bench/merge_verdicts.tsv`
(a, b, verdict: y when the decision is right, n when wrong, ? when arguable; note), keyed by
report ids, which are stable while the extractor's output is. Precision = right merges / checked
merges.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import tempfile
from collections import Counter
from itertools import chain
from pathlib import Path
from typing import Any

from _news import raw_english, wikinews, winer
from _results import run_info, write_json

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results"
VERDICTS = ROOT / "bench/merge_verdicts.tsv"


def write_inputs(path: Path) -> int:
    """One JSONL of every article with its publication date, the way a crawl would give it."""
    n = 0
    with path.open("w", encoding="utf-8") as out:
        for rec in chain(wikinews(), raw_english(), winer()):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    return n


def decisions(con: Any) -> tuple[list[dict[str, Any]], int]:
    """Every merge decision of the store, and how many joined an article to its own copy."""
    rows = con.execute(
        "SELECT r.report_id, r.event_id, r.article_id, a.title, a.published, a.language, "
        "coalesce(a.duplicate_of, a.article_id), r.record FROM reports r "
        "JOIN articles a USING (article_id) "
        "WHERE r.event_id IN (SELECT event_id FROM events) ORDER BY r.report_id"
    ).fetchall()
    by_event: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_event.setdefault(row[1], []).append(_member(row))
    out: list[dict[str, Any]] = []
    copies = 0
    for eid, members in sorted(by_event.items()):
        anchor = next(m for m in members if m["report_id"] == eid)
        for m in members:
            if m is anchor:
                continue
            if m["original"] == anchor["original"]:
                copies += 1
                continue
            out.append({"a": anchor, "b": m, "kind": "denial" if m["denial"] else "report"})
    return out, copies


def near_misses(con: Any) -> list[dict[str, Any]]:
    """Pairs the merge kept apart that look most alike: one type, one country, days that
    overlap (with the merge's day of slack), two articles that are not copies of each other."""
    rows = con.execute(
        "SELECT r.report_id, r.event_id, r.article_id, a.title, a.published, a.language, "
        "coalesce(a.duplicate_of, a.article_id), r.record, r.date_lo, r.date_hi, r.type, "
        "r.country FROM reports r JOIN articles a USING (article_id) "
        "WHERE r.event_id IN (SELECT event_id FROM events) AND r.country IS NOT NULL "
        "AND NOT r.historical ORDER BY r.report_id"
    ).fetchall()
    by_key: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        by_key.setdefault((row[10], row[11]), []).append(row)
    out = []
    for group in by_key.values():
        for i, x in enumerate(group):
            for y in group[i + 1 :]:
                if x[1] == y[1] or x[6] == y[6] or x[8] is None or y[8] is None:
                    continue
                if (x[8] - y[9]).days > 1 or (y[8] - x[9]).days > 1:
                    continue
                out.append({"a": _member(x), "b": _member(y), "kind": "kept apart"})
    return out


def _member(row: Any) -> dict[str, Any]:
    rid, _, aid, title, pub, lang, original, record = row[:8]
    rec = json.loads(record)
    return {
        "report_id": rid, "article_id": aid, "original": original, "title": title,
        "published": str(pub), "language": lang, "type": rec["type"],
        "date": rec.get("event_date"), "location": rec.get("location"),
        "country": rec.get("country"), "actor1": rec.get("actor1"), "actor2": rec.get("actor2"),
        "denial": bool(rec.get("claim_only")),
        "sentence": " ".join(s.get("sentence") or "" for s in rec.get("sources") or []),
    }  # fmt: skip


def load_verdicts() -> dict[tuple[str, str], tuple[str, str]]:
    if not VERDICTS.exists():
        return {}
    with VERDICTS.open(encoding="utf-8") as fh:
        return {
            (row["a"], row["b"]): (row["verdict"].strip(), row.get("note") or "")
            for row in csv.DictReader(fh, delimiter="\t")
        }


def describe(r: dict[str, Any]) -> str:
    who = " vs ".join(x for x in (r["actor1"], r["actor2"]) if x)
    return (f"**{r['title']}** ({r['language']}, {r['published']}) — {r['type']}, "
            f"{r['date']}, {r['location'] or '?'} {r['country'] or ''}, {who}<br>"
            f"_{r['sentence'][:400]}_")  # fmt: skip


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--db", type=Path, help="keep the store here (reused when it exists)")
    p.add_argument("--n", type=int, default=80, help="merges to draw (default 80)")
    p.add_argument("--apart", type=int, default=40, help="near misses to draw (default 40)")
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    from sitrep.ingest import ingest
    from sitrep.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "sample.duckdb"
        fresh = not db.exists()
        store = Store(db)
        if fresh:
            inputs = Path(tmp) / "articles.jsonl"
            print(f"{write_inputs(inputs)} articles to ingest")
            ingest([str(inputs)], store, executor="pool")
        found, copies = decisions(store.con)
        apart = near_misses(store.con)
        stats = store.stats()
        langs = store.con.execute(
            "SELECT count(*) FROM (SELECT s.event_id FROM sources s JOIN articles a "
            "USING (article_id) GROUP BY 1 HAVING count(DISTINCT a.language) > 1)"
        ).fetchone()
        store.close()
    rng = random.Random(0)
    sample = rng.sample(found, min(args.n, len(found)))
    sample += rng.sample(apart, min(args.apart, len(apart)))
    sample.sort(key=lambda d: (d["a"]["published"], d["a"]["report_id"], d["b"]["report_id"]))
    verdicts = load_verdicts()
    counts: Counter[tuple[str, str]] = Counter()
    lines = ["# Merge decisions drawn for checking by hand", "",
             "Written by `bench/merge_sample.py`; verdicts from `bench/merge_verdicts.tsv`.", "",
             "| # | kind | verdict | the event's first report | the report merged into it |",
             "|---|---|---|---|---|"]  # fmt: skip
    for k, d in enumerate(sample, 1):
        verdict, note = verdicts.get((d["a"]["report_id"], d["b"]["report_id"]), ("", ""))
        counts[d["kind"], verdict or "unchecked"] += 1
        cell = f"{verdict or '—'} {note}".strip().replace("|", "/")
        ids = f"{d['a']['report_id']} {d['b']['report_id']}"
        lines.append(f"| {k} <br><sub>{ids}</sub> | {d['kind']} | {cell} | "
                     f"{describe(d['a']).replace('|', '/')} | "
                     f"{describe(d['b']).replace('|', '/')} |")  # fmt: skip
    merged = {v: n for (k, v), n in counts.items() if k != "kept apart"}
    kept = {v: n for (k, v), n in counts.items() if k == "kept apart"}
    checked = merged.get("y", 0) + merged.get("n", 0)
    result = {
        "run": run_info(args), "articles": stats["articles"], "copies": stats["duplicates"],
        "reports": stats["reports"], "events": stats["events"], "denials": stats["denials"],
        "denials_attached": stats["denials"] - stats["denials_waiting"],
        "decisions": len(found), "copy_pairs": copies,
        "decisions_by_kind": dict(Counter(d["kind"] for d in found)), "near_misses": len(apart),
        "events_in_two_languages": int(langs[0]) if langs else 0, "sampled": len(sample),
        "verdicts_merged": merged, "verdicts_kept_apart": kept,
        "precision": round(merged.get("y", 0) / checked, 3) if checked else None,
    }  # fmt: skip
    (RESULTS / "merge_sample.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_json(RESULTS / "merge_sample.json", result)
    print(json.dumps({k: v for k, v in result.items() if k != "run"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
