"""What `sitrep ingest` costs with each executor (issue 7), in one run.

    .venv/bin/python bench/scale.py [--copies 2] [--configs inline,pool:1,pool:2,ray]

Input: the Wikinews corpus (dated from its INDEX.tsv) and the raw English Wikinews set
(`raw_news_en_wikinews_vanatteveldt`, CC BY 2.5), written `--copies` times as JSONL files whose
record ids differ, so every copy is a new input that goes through the whole pipeline (copies
after the first are then recognised as the same articles by the store, as a re-crawl would be).

Each configuration runs in a fresh process that builds the pipeline and the executor, ingests
one short article first (the *startup*: models, gazetteer and workers loading), then every
input into a fresh DuckDB file, reading, analysis, storage, dedup and merge included (the
*steady* rate: articles per second after startup). Peak RSS is the sum over the process and
all its descendants (workers, Ray's daemons), sampled every 0.1 s for the whole life of the
process. The yardstick is spaCy alone on the same texts, one core (bench/extract.py's `spacy`
phase). Figures are comparable within one run only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from itertools import chain
from pathlib import Path
from typing import Any

from _news import raw_english, wikinews
from _results import run_info, write_json

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results"
#: GDELT's daily volume, the upper figure of its range (articles a day).
GDELT_DAY = 250_000


def write_inputs(folder: Path, copies: int) -> tuple[list[Path], int]:
    """`copies` JSONL files of both sets; returns them and the articles in one copy."""
    records = [
        {k: v for k, v in rec.items() if k != "url"}
        for rec in chain(wikinews(language=True), raw_english(language=True))
    ]
    files = []
    for k in range(copies):
        path = folder / f"copy{k}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for rec in records:
                out.write(json.dumps({**rec, "id": f"{rec['id']}#{k}"}) + "\n")
        files.append(path)
    short = folder / "short.txt"
    short.write_text("Clashes in Goris\n\nTroops clashed near Goris on Monday.\n", "utf-8")
    return files, len(records)


# ---------------------------------------------------------------- one configuration (child)


def child(config: str, db: Path, inputs: list[str], short: str) -> dict[str, Any]:
    from sitrep.ingest import default_pipeline, ingest
    from sitrep.pipeline import InlineExecutor, PoolExecutor, RayExecutor
    from sitrep.store import Store

    name, _, workers = config.partition(":")
    n = int(workers) if workers else None
    executor = {"inline": lambda: InlineExecutor(), "pool": lambda: PoolExecutor(workers=n),
                "ray": lambda: RayExecutor(workers=n)}[name]()  # fmt: skip
    pipeline = default_pipeline()
    try:
        start = time.perf_counter()
        with Store(db.with_suffix(".warmup.duckdb")) as warm:
            ingest([short], warm, executor=executor, pipeline=pipeline)
        startup = time.perf_counter() - start
        with Store(db) as store:
            start = time.perf_counter()
            summary = ingest(inputs, store, executor=executor, pipeline=pipeline)
            seconds = time.perf_counter() - start
            events = store.count("events")
    finally:
        executor.close()
    return {"config": config, "startup_seconds": startup, "seconds": seconds,
            "articles": summary.read, "rejected": summary.rejected_total,
            "stored": summary.stored, "events": events}  # fmt: skip


# ---------------------------------------------------------------- memory of a process tree


def tree_rss_mb(root: int) -> float:
    """The summed RSS of `root` and every process descended from it."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, ppid in parents.items() if ppid == pid and p not in tree]
        tree.update(kids)
        frontier.extend(kids)
    return sum(rss.get(p, 0) for p in tree) / 2**20


def run_measured(cmd: list[str], quiet: bool = False) -> float:
    """Run a command to its end; its peak RSS in MB, summed over its process tree, sampled
    every 0.1 s. A failing command stops the benchmark."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL if quiet else None)
    peak = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_mb(proc.pid))
            stop.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    stop.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"{' '.join(cmd[:4])}… failed with exit code {code}")
    return peak


def run_config(config: str, tmp: Path, inputs: list[Path], short: Path) -> dict[str, Any]:
    out = tmp / f"{config.replace(':', '_')}.json"
    cmd = [sys.executable, __file__, "--child", config, "--db", str(out.with_suffix(".duckdb")),
           "--out", str(out), "--short", str(short), *map(str, inputs)]  # fmt: skip
    peak = run_measured(cmd)
    res: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    res["peak_rss_mb"] = round(peak, 1)
    res["articles_per_second"] = res["articles"] / res["seconds"]
    return res


def spacy_yardstick(inputs: list[Path]) -> dict[str, Any]:
    """spaCy alone, one core, on the articles of the first copy (bench/extract.py)."""
    from extract import run_phase

    from sitrep.model import Article
    from sitrep.read import read_paths

    articles = [a for a in read_paths([str(inputs[0])]) if isinstance(a, Article)]
    res = run_phase("spacy", articles, len(inputs), 16, inline=False)
    res["articles_per_second"] = res["articles"] / res["seconds"]
    return res


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--copies", type=int, default=2)
    p.add_argument("--configs", default=f"inline,pool:1,pool:{os.cpu_count() or 1},ray")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--short", help=argparse.SUPPRESS)
    p.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = p.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.child:
        res = child(args.child, args.db, args.inputs, args.short)
        args.out.write_text(json.dumps(res), encoding="utf-8")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        inputs, per_copy = write_inputs(Path(tmp), args.copies)
        print(f"{per_copy} articles per copy, {args.copies} copies, {os.cpu_count()} cores")
        runs = {}
        for config in args.configs.split(","):
            runs[config] = run_config(config, Path(tmp), inputs, Path(tmp) / "short.txt")
            r = runs[config]
            rate, startup, peak = r["articles_per_second"], r["startup_seconds"], r["peak_rss_mb"]
            print(
                f"  {config}: {rate:.1f} articles/s after {startup:.1f} s startup, "
                f"peak RSS {peak:.0f} MB"
            )
        spacy = spacy_yardstick(inputs)
        print(f"  spaCy alone, one core: {spacy['articles_per_second']:.1f} articles/s")
    inline = runs.get("inline", {}).get("articles_per_second")
    best = max(runs.values(), key=lambda r: r["articles_per_second"])
    per_day = best["articles_per_second"] * 86_400
    result = {
        "run": run_info(args), "machine": {"cores": os.cpu_count(), "python":
                                           platform.python_version()},
        "articles_per_copy": per_copy, "runs": runs,
        "spacy_one_core": {k: spacy[k] for k in ("articles", "seconds", "articles_per_second",
                                                 "load_seconds", "models")},
        "speedup_vs_inline": {c: r["articles_per_second"] / inline for c, r in runs.items()}
        if inline else None,
        "inline_vs_spacy": inline / spacy["articles_per_second"] if inline else None,
        "best": best["config"], "articles_per_day_best": round(per_day),
        "cores_for_gdelt_day": round(GDELT_DAY / (per_day / (os.cpu_count() or 1)), 1),
    }  # fmt: skip
    write_json(RESULTS / "scale.json", result)
    print(json.dumps({k: v for k, v in result.items() if k not in ("run", "runs")}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
