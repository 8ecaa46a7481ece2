"""Fuzz the whole text pipeline with atheris (libFuzzer, coverage-guided) (issue 8).

    .venv/bin/python bench/fuzz.py [-runs=N] [-max_total_time=SECONDS] [other libFuzzer flags]

Each input is read the way `sitrep ingest -` reads stdin (format sniffed: text, HTML, JSONL,
WARC, gzip), or taken as plain text, and every article goes through the whole pipeline
(extract, clean, language, date, spaCy, time, actors, places, events). A *finding* is any of:
- an exception out of the readers or the pipeline;
- a stage that failed on an article (`<stage>_failed`: the pipeline caught it, but it is a bug);
- an input that took more than `LIMIT` seconds of CPU;
- an event record that breaks the export contract (`sitrep.events.contract`).
The starting corpus is the seed article, Wikinews articles and small pages in every format.
sitrep's own modules are instrumented for coverage. After each input the counts go to
bench/results/fuzz.json, or to $SITREP_FUZZ_OUT (inputs tried, findings, slowest input).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import atheris

with atheris.instrument_imports(include=["sitrep"]):
    from sitrep.events.contract import problems
    from sitrep.events.run import event_rows
    from sitrep.ingest import default_pipeline
    from sitrep.model import AnalysedArticle, Article
    from sitrep.read import read_paths

from _results import run_info, write_json

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: Seconds one input may take through reading and the whole pipeline.
LIMIT = 10.0

PIPELINE = default_pipeline()
STATS: dict[str, Any] = {"inputs": 0, "articles": 0, "events": 0, "findings": 0, "slowest": 0.0}


class Finding(Exception):
    """What the fuzzer reports as a crash."""


def one_input(data: bytes) -> None:
    try:
        _one(data)
    finally:  # libFuzzer ends the process without running exit handlers: report as we go
        report()


def _one(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    as_text = fdp.ConsumeBool()
    body = fdp.ConsumeBytes(fdp.remaining_bytes())
    STATS["inputs"] += 1
    start = time.process_time()  # CPU time: a busy machine does not make an input "slow"
    if as_text:
        text = body.decode("utf-8", errors="replace")
        items: list[Any] = [Article(input_id="fuzz", source="fuzz", text=text)]
    else:
        items = list(read_paths(["-"], stdin=io.BytesIO(body)))
    arts = [AnalysedArticle(article=a) for a in items if isinstance(a, Article)]
    done = PIPELINE(arts) if arts else []
    seconds = time.process_time() - start
    STATS["slowest"] = max(STATS["slowest"], seconds)
    STATS["articles"] += len(done)
    if seconds > LIMIT:
        _found(f"{seconds:.1f} s for one input (limit {LIMIT} s)")
    for item in done:
        if item.rejection is not None:
            if item.rejection.reason.endswith("_failed"):
                _found(f"stage failure: {item.rejection.detail}")
            continue
        texts = {item.article_id: item.clean_text or ""}
        for record in event_rows(item):
            STATS["events"] += 1
            broken = problems(record, texts)
            if broken:
                _found(f"contract: {broken}")


def _found(why: str) -> None:
    STATS["findings"] += 1
    raise Finding(why)


def seeds(folder: Path) -> None:
    """The starting corpus: real articles, and small pages of every format."""
    texts = [(SHARED / "seed" / "ceasefire-fr.raw.txt").read_text("utf-8")]
    for lang in ("fr", "en"):
        folder_of = SHARED / "corpus/wikinews" / lang
        texts += [p.read_text("utf-8") for p in sorted(folder_of.iterdir())[:4]]
    for n, text in enumerate(texts):
        (folder / f"text{n}").write_bytes(b"\x01" + text.encode())
        page = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        (folder / f"html{n}").write_bytes(b"\x00<html><body><article>" + page.encode())
        line = json.dumps({"id": f"a{n}", "text": text, "published": "2022-09-13"}) + "\n"
        (folder / f"jsonl{n}").write_bytes(b"\x00" + line.encode())
        (folder / f"gz{n}").write_bytes(b"\x00" + gzip.compress(line.encode()))


def report() -> None:
    out = Path(os.environ.get("SITREP_FUZZ_OUT") or ROOT / "bench/results/fuzz.json")
    args = argparse.Namespace(libfuzzer=" ".join(sys.argv[1:]))
    write_json(out, {"run": run_info(args), **STATS}, say=lambda m: None)


def main() -> None:
    PIPELINE.setup()
    corpus = Path(tempfile.mkdtemp(prefix="sitrep-fuzz-"))
    seeds(corpus)
    atheris.Setup([*sys.argv, str(corpus)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
