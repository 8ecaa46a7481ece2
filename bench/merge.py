"""How the merge across articles scales (issue 5): real articles, then generated report rows.

    .venv/bin/python bench/merge.py [--sizes 100,200,400] [--synthetic 100000,1000000]

Real: the Wikinews corpus (dated from its INDEX.tsv) and the raw English Wikinews set
(`raw_news_en_wikinews_vanatteveldt`, CC BY 2.5) are analysed once (pool executor); then for each
size a fresh store gets the first N distinct articles and only `store.merge()` is timed, from
scratch and, for the largest size, as two halves (the second half merged into the first: the
incremental case).

Synthetic: report rows generated straight into the store (no NLP): true events spread over 50
countries and three years per 10^5 reports (the same density per day at every size), each told
by 1 to 5 reports with the small differences real reports have (a day apart, another town
nearby, a coarser place), then merged from scratch. Linear growth shows as a constant time per
report across sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from itertools import chain
from pathlib import Path
from typing import Any

from _news import raw_english, wikinews
from _results import run_info, write_json

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results"


def analysed_articles(tmp: Path) -> list[Any]:
    """Every article of both sets through the per-article pipeline, once."""
    from sitrep.ingest import default_pipeline
    from sitrep.pipeline import batched, make_executor
    from sitrep.read import read_paths

    jsonl = tmp / "raw.jsonl"
    with jsonl.open("w", encoding="utf-8") as out:
        for rec in chain(wikinews(), raw_english()):
            out.write(json.dumps(rec) + "\n")
    items = [a for a in read_paths([str(jsonl)]) if not hasattr(a, "reason")]
    ex = make_executor("pool")
    try:
        batches = ex.map(default_pipeline(), batched(iter(items), 16))
        done = [it for batch in batches for it in batch]
    finally:
        ex.close()
    seen: set[str] = set()
    out_items = []
    for it in done:
        if it.rejection is None and it.article_id not in seen:
            seen.add(it.article_id)
            out_items.append(it)
    return out_items


def time_merge(tmp: Path, name: str, batches: list[list[Any]]) -> dict[str, Any]:
    from sitrep.store import Store

    store = Store(tmp / f"{name}.duckdb")
    times = []
    summaries = []
    for batch in batches:
        store.write(batch)
        store.dedup()
        start = time.perf_counter()
        summaries.append(store.merge())
        times.append(time.perf_counter() - start)
    res = {
        "articles": sum(len(b) for b in batches), "reports": store.count("reports"),
        "events": store.count("events"), "links": store.count("report_links") // 2,
        "seconds": times, "ms_per_report": 1000 * times[-1] / max(1, summaries[-1].new_reports),
    }  # fmt: skip
    store.close()
    return res


ONTO_TYPES = {
    "violence": ["armed_clash", "shelling", "air_drone_strike", "explosive_device",
                 "attack_civilians"],
    "unrest": ["protest", "riot"], "diplomacy": ["accusation", "consultation", "request"],
    "agreement": ["agreement", "ceasefire"],
}  # fmt: skip
CLASS_WEIGHTS = {"violence": 0.6, "unrest": 0.2, "diplomacy": 0.15, "agreement": 0.05}


def synthetic_rows(n_reports: int, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    countries = [(f"C{i:02d}", rng.uniform(-30, 50), rng.uniform(-20, 100)) for i in range(50)]
    towns = {c: [(lat + rng.uniform(-3, 3), lon + rng.uniform(-3, 3)) for _ in range(200)]
             for c, lat, lon in countries}  # fmt: skip
    # a bigger archive covers more days, not more events per day: three years per 10^5
    # reports keeps each day's density (what blocking is about) the same at every size
    span = max(1, round(3 * 365 * n_reports / 100_000))
    start = date(1990, 1, 1)
    rows: list[dict[str, Any]] = []
    ev = 0
    while len(rows) < n_reports:
        ev += 1
        cls = rng.choices(list(CLASS_WEIGHTS), weights=list(CLASS_WEIGHTS.values()))[0]
        etype = rng.choice(ONTO_TYPES[cls])
        country, clat, clon = rng.choice(countries)
        town = rng.randrange(200)
        day = start + timedelta(days=rng.randrange(span))
        a1, a2 = country, rng.choice(countries)[0]
        for k in range(rng.randint(1, 5)):
            lat, lon = towns[country][town]
            precision = 1 if rng.random() < 0.8 else 3
            d = day + timedelta(days=rng.choice((0, 0, 0, 1)))
            located = cls in ("violence", "unrest")
            rec = {
                "event_id": f"rp_{ev:08d}_{k}", "type": etype, "class": cls,
                "event_date": d.isoformat(), "time_precision": 1, "historical": False,
                "actor1": f"Forces of {a1}", "actor1_country": a1, "actor2": f"Forces of {a2}",
                "actor2_country": a2, "targets": [], "mediator": None,
                "country": country if located else None, "admin1": None, "admin2": None,
                "location": f"T{town}" if located and precision == 1 else None,
                "latitude": (lat if precision == 1 else clat) if located else None,
                "longitude": (lon if precision == 1 else clon) if located else None,
                "geo_precision": precision if located else 3, "geonames_id": None,
                "weapons": [], "fatalities": rng.choice((None, 1, 2, 5)), "injuries": None,
                "claims": [], "confidence": 0.7, "status": "reported", "notes": "",
                "sources": [{"article_id": f"a{ev}_{k}", "char_start": 0, "char_end": 10,
                             "sentence": "…", "input_id": f"a{ev}_{k}", "url": None,
                             "published": d.isoformat()}],
            }  # fmt: skip
            rows.append({"report_id": rec["event_id"], "article_id": f"a{ev}_{k}",
                         "class": cls, "type": etype, "historical": False, "date_lo": d,
                         "date_hi": d, "country": rec["country"],
                         "record": json.dumps(rec)})  # fmt: skip
    return rows[:n_reports]


def time_synthetic(tmp: Path, n: int) -> dict[str, Any]:
    from sitrep.store import Store

    store = Store(tmp / f"syn{n}.duckdb")
    rows = synthetic_rows(n)
    for i in range(0, len(rows), 50_000):
        store._insert("reports", rows[i : i + 50_000])
    del rows
    start = time.perf_counter()
    summary = store.merge()
    seconds = time.perf_counter() - start
    res = {"reports": n, "events": store.count("events"), "links": summary.links,
           "seconds": seconds, "us_per_report": 1e6 * seconds / n}  # fmt: skip
    store.close()
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,200,400")
    parser.add_argument("--synthetic", default="100000,1000000")
    parser.add_argument("--out", type=Path, default=RESULTS / "merge.json")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x]
    synth = [int(x) for x in args.synthetic.split(",") if x]
    out: dict[str, Any] = {**run_info(args), "real": {}, "synthetic": {}}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if sizes:
            items = analysed_articles(tmp)
            print(f"{len(items)} distinct analysed articles", flush=True)
            for n in sizes:
                if n > len(items):
                    print(f"  {n}: only {len(items)} articles", flush=True)
                    continue
                res = time_merge(tmp, f"real{n}", [items[:n]])
                out["real"][str(n)] = res
                print(f"  {n} articles: {res}", flush=True)
            n = max(s for s in sizes if s <= len(items))
            half = n // 2
            res = time_merge(tmp, "halves", [items[:half], items[half:n]])
            out["real"][f"{n} in two halves"] = res
            print(f"  {n} articles in two halves: {res}", flush=True)
        for n in synth:
            res = time_synthetic(tmp, n)
            out["synthetic"][str(n)] = res
            print(f"  synthetic {n}: {res}", flush=True)
    write_json(args.out, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
