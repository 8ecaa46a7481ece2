"""Ingest throughput (the whole per-article pipeline, into DuckDB) on the Wikinews corpus, with
each executor, in one run.

    .venv/bin/python bench/ingest.py [--copies 4] [--corpus ../shared/corpus/wikinews]

The corpus is copied `--copies` times into a temporary folder (each copy is a distinct input, so
nothing is skipped as already done), then ingested into a fresh DuckDB file by each executor.
Figures are comparable only within one run: the machine's speed varies between runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import tempfile
import time
from pathlib import Path

from sitrep.ingest import ingest
from sitrep.store import Store

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/wikinews")
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--executors", default="inline,pool")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n in range(args.copies):
            dest = Path(tmp) / f"copy{n}"
            shutil.copytree(args.corpus, dest, ignore=shutil.ignore_patterns("*.tsv", "*.md"))
            paths.append(str(dest))
        results = []
        for name in args.executors.split(","):
            db = Path(tmp) / f"{name}.duckdb"
            with Store(db) as store:
                start = time.perf_counter()
                summary = ingest(paths, store, executor=name)
                seconds = time.perf_counter() - start
            assert summary.rejected_total == 0, summary.rejected
            results.append((name, summary.read, seconds))
        base = results[0][1] / results[0][2]
        print(f"ingest, {args.copies} copies of {args.corpus.name}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}\n")  # fmt: skip
        print("| executor | articles | seconds | articles/s | vs inline |")
        print("|---|---:|---:|---:|---:|")
        for name, n, seconds in results:
            rate = n / seconds
            print(f"| {name} | {n} | {seconds:.2f} | {rate:.1f} | {rate / base:.2f}x |")


if __name__ == "__main__":
    main()
