"""What each per-article stage costs, and the pipeline before and after the language stages.

    .venv/bin/python bench/stages.py [--corpus ../shared/corpus/wikinews] [--repeat 2]

One process, one run: the corpus goes through the foundation stages (read, clean, language,
date, fingerprint: the pipeline of the foundation issue) and through the whole pipeline
(plus spaCy, times, actors, places), inline, timing every stage's `process_batch`. Models and
the gazetteer are loaded before timing starts (`setup()`), as each worker does once.
"""

from __future__ import annotations

import argparse
import csv
import platform
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from _results import write_json

from sitrep.ingest import foundation_stages, understanding_stages
from sitrep.model import AnalysedArticle, Article
from sitrep.pipeline import Pipeline, apply_stage

ROOT = Path(__file__).resolve().parents[1]


def load(corpus: Path) -> list[AnalysedArticle]:
    with open(corpus / "INDEX.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    items = []
    for row in rows:
        text = (corpus / row["file"]).read_text(encoding="utf-8")
        art = Article(
            input_id=row["file"], source=row["file"], text=text, title=row["title"],
            published=_date(row["published"]), language=row["language"],
        )  # fmt: skip
        items.append(AnalysedArticle(article=art))
    return items


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:  # "2004-11/2005-01 (not in text)": no day known
        return None


def run(stages: list, items: list[AnalysedArticle], batch: int) -> tuple[float, dict[str, float]]:
    Pipeline(stages)  # contract check
    for stage in stages:
        stage.setup()
    per_stage: dict[str, float] = defaultdict(float)
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        for stage in stages:
            t = time.perf_counter()
            chunk = apply_stage(stage, chunk)
            per_stage[stage.name] += time.perf_counter() - t
    return time.perf_counter() - start, dict(per_stage)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus/wikinews")
    parser.add_argument("--repeat", type=int, default=2, help="passes over the corpus")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--out", type=Path, default=ROOT / "bench/results/stages.json")
    args = parser.parse_args()

    items = load(args.corpus) * args.repeat
    chars = sum(len(i.article.text or "") for i in items)
    before, _ = run(foundation_stages(), items, args.batch)
    after, per_stage = run([*foundation_stages(), *understanding_stages()], items, args.batch)
    n = len(items)
    print(
        f"{n} articles ({chars / n:,.0f} characters on average), inline, one core, "
        f"Python {platform.python_version()}\n"
    )
    print("| pipeline | seconds | articles/s |")
    print("|---|---:|---:|")
    print(f"| foundation (read, clean, language, date) | {before:.2f} | {n / before:.1f} |")
    print(f"| + spaCy, times, actors, places | {after:.2f} | {n / after:.1f} |")
    print(f"\nthe language stages make the pipeline {after / before:.1f}x slower\n")
    print("| stage | ms/article | share |")
    print("|---|---:|---:|")
    total = sum(per_stage.values())
    for name, seconds in sorted(per_stage.items(), key=lambda kv: -kv[1]):
        print(f"| {name} | {seconds * 1000 / n:.1f} | {seconds / total:.0%} |")
    write_json(
        args.out,
        {"articles": n, "foundation_s": before, "full_s": after, "stages_s": per_stage},
    )


if __name__ == "__main__":
    main()
