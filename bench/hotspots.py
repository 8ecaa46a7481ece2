"""Where the per-article pipeline spends its time (issue 7): a pyinstrument profile.

    .venv/bin/python bench/hotspots.py [--limit 200]

Runs the default pipeline in this process (inline, batches of 16) on the articles of
bench/scale.py's input (the Wikinews corpus and the raw English Wikinews set), models loaded
and two batches analysed before profiling starts. Writes the call tree to
`bench/results/profile.txt` and each stage's share to `bench/results/profile.json`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from _results import run_info, write_json
from scale import RESULTS, write_inputs


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--limit", type=int, default=0, help="articles to profile (0: all)")
    args = p.parse_args()
    from pyinstrument import Profiler

    from sitrep.ingest import default_pipeline
    from sitrep.model import AnalysedArticle, Article
    from sitrep.pipeline import apply_stage
    from sitrep.read import read_paths

    with tempfile.TemporaryDirectory() as tmp:
        [jsonl], _ = write_inputs(Path(tmp), 1)
        articles = [a for a in read_paths([str(jsonl)]) if isinstance(a, Article)]
    if args.limit:
        articles = articles[:: max(1, len(articles) // args.limit)][: args.limit]
    pipeline = default_pipeline()
    pipeline.setup()
    batches = [
        [AnalysedArticle(article=a) for a in articles[i : i + 16]]
        for i in range(0, len(articles), 16)
    ]
    for batch in batches[:2]:  # warm-up: caches, lazy imports
        pipeline(batch)
    stages: dict[str, float] = {}
    profiler = Profiler(interval=0.005)
    profiler.start()
    start = time.perf_counter()
    for batch in batches:
        for stage in pipeline.stages:
            t = time.perf_counter()
            batch = apply_stage(stage, batch)
            stages[stage.name] = stages.get(stage.name, 0.0) + time.perf_counter() - t
    seconds = time.perf_counter() - start
    profiler.stop()
    (RESULTS / "profile.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False), encoding="utf-8"
    )
    shares = {k: round(v / seconds, 3) for k, v in sorted(stages.items(), key=lambda kv: -kv[1])}
    result = {"run": run_info(args), "articles": len(articles), "seconds": seconds,
              "articles_per_second": len(articles) / seconds, "stage_share": shares}  # fmt: skip
    write_json(RESULTS / "profile.json", result)
    print(json.dumps({k: v for k, v in result.items() if k != "run"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
