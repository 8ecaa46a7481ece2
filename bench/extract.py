"""What `extract` costs: articles/s and peak memory of the whole per-article pipeline on the
Wikinews corpus, next to spaCy alone on the same texts, in one run.

    .venv/bin/python bench/extract.py [--limit N] [--repeat K] [--batch 16] [--inline]

The README states the pipeline's cost as a ratio to parsing alone (target: pipeline throughput
≥ 0.5× spaCy's), so both are measured on the same machine, the same texts and in the same run:

- `spacy`: `sitrep.nlp.load_model` per language, then `nlp.pipe` (batch 64) over exactly the
  strings the pipeline's nlp stage hands spaCy: each article's clean text (cut at
  `nlp.MAX_CHARS`) split into its blank-line blocks. The clean texts come from the foundation
  stages, run before timing starts. No conversion to `Parse`: that is the pipeline's cost.
- `pipeline`: `default_pipeline()` (extract, clean, language, published, fingerprint, nlp,
  time, actors, places, events), inline, in batches of `--batch`, timing each stage's
  `process_batch` through `apply_stage` as bench/stages.py does.
- `events`: the events stage alone, timed on articles analysed up to places beforehand
  (untimed), to give its memory apart; its time is also in the `pipeline` breakdown.

Models, the gazetteer and lexicons load before timing (load seconds are reported apart), and
each phase first analyses two articles untimed (warm-up). Each phase runs in its own process
(multiprocessing spawn, pinned to one core, BLAS threads 1) one after the other, so each peak
RSS is that phase's own: the process's high-water mark is reset (`/proc/self/clear_refs`)
once everything is loaded, and read back after the timed section. Where that reset is not
allowed the process's `ru_maxrss` is reported and flagged. `--inline` runs the phases in this
process instead (quicker; RSS figures then include what earlier phases left loaded).

Corpus: Wikinews articles (fr.wikinews.org, en.wikinews.org), CC BY 2.5; see its README.
Results: a Rich table and `bench/results/extract.json`. Throughput varies between machines
and runs: compare figures within one run only.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import sys
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _results import run_info, write_json
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from sitrep.model import AnalysedArticle, Article
    from sitrep.pipeline import Stage

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared/corpus/wikinews"
RESULTS = ROOT / "bench/results"
TARGET_RATIO = 0.5  # pipeline articles/s ÷ spaCy-alone articles/s
WARMUP = 2  # articles analysed untimed in each phase once everything is loaded
CREDIT = "Wikinews (https://fr.wikinews.org, https://en.wikinews.org), CC BY 2.5"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")


# ---------------------------------------------------------------- corpus


def load_corpus(corpus: Path = CORPUS, limit: int | None = None) -> list[Article]:
    """The corpus as `Article`s (text, language and date from INDEX.tsv). With `limit`, the
    languages alternate (fr, en, fr, …) so that a quick run still exercises both models."""
    from sitrep.model import Article

    with open(corpus / "INDEX.tsv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    if limit is not None:
        by_lang: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in rows:
            by_lang[row["language"]].append(row)
        queues = [iter(v) for _, v in sorted(by_lang.items(), key=lambda kv: kv[0] != "fr")]
        picked: list[dict[str, str]] = []
        while len(picked) < limit and queues:
            for q in list(queues):
                row = next(q, None)
                if row is None:
                    queues.remove(q)
                elif len(picked) < limit:
                    picked.append(row)
        rows = picked
    return [
        Article(
            input_id=row["file"],
            source=row["file"],
            title=row["title"],
            text=(corpus / row["file"]).read_text(encoding="utf-8"),
            published=_date(row["published"]),
            language=row["language"],
        )
        for row in rows
    ]


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:  # "2004-11/2005-01 (not in text)": no day known
        return None


# ---------------------------------------------------------------- memory


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _rss_mb() -> float:
    kb = _status_kb("VmRSS")
    return kb / 1024 if kb is not None else _maxrss_mb()


def _maxrss_mb() -> float:
    """This process's lifetime peak RSS (kB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def _reset_peak() -> bool:
    """Reset the kernel's RSS high-water mark (Linux ≥ 4.0), so the next read is this
    section's peak; False where that is not allowed."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
    except OSError:
        return False
    return _status_kb("VmHWM") is not None


class PeakRss:
    """Peak RSS of a code section: the reset high-water mark where possible, else the
    process's lifetime peak (flagged `section_only=False`)."""

    def __enter__(self) -> PeakRss:
        self.before_mb = _rss_mb()
        self.lifetime_mb = _maxrss_mb()  # resetting the high-water mark resets this too
        self.section_only = _reset_peak()
        return self

    def __exit__(self, *exc: object) -> None:
        hwm = _status_kb("VmHWM") if self.section_only else None
        self.peak_mb = hwm / 1024 if hwm is not None else _maxrss_mb()

    def as_dict(self) -> dict[str, Any]:
        return {
            "rss_loaded_mb": round(self.before_mb, 1),
            "peak_rss_mb": round(self.peak_mb, 1),
            "peak_delta_mb": round(self.peak_mb - self.before_mb, 1),
            "peak_is_section_only": self.section_only,
            "process_peak_rss_mb": round(max(self.lifetime_mb, self.peak_mb), 1),
        }


# ---------------------------------------------------------------- phases


def _fresh(articles: list[Article], repeat: int = 1) -> list[AnalysedArticle]:
    from sitrep.model import AnalysedArticle

    return [AnalysedArticle(article=a) for a in articles * repeat]


def _run_stages(
    stages: list[Stage], items: list[AnalysedArticle], batch: int
) -> tuple[list[AnalysedArticle], dict[str, float]]:
    """Items through stages in batches, inline; seconds per stage (`apply_stage` rejects an
    article a stage fails on instead of raising, so no article can stop the run)."""
    from sitrep.pipeline import apply_stage

    per_stage: dict[str, float] = defaultdict(float)
    out: list[AnalysedArticle] = []
    for i in range(0, len(items), batch):
        chunk = items[i : i + batch]
        for stage in stages:
            t = time.perf_counter()
            chunk = apply_stage(stage, chunk)
            per_stage[stage.name] += time.perf_counter() - t
        out.extend(chunk)
    return out, dict(per_stage)


def _setup(stages: list[Stage]) -> float:
    from sitrep.pipeline import Pipeline

    Pipeline(stages)  # contract check
    start = time.perf_counter()
    for stage in stages:
        stage.setup()
    return time.perf_counter() - start


def _blocks(text: str) -> list[str]:
    """The blocks `sitrep.nlp.parse_text` pipes through spaCy for one clean text."""
    from sitrep.nlp import MAX_CHARS

    return [chunk for chunk in text[:MAX_CHARS].split("\n\n") if chunk.strip()]


def phase_spacy(articles: list[Article], repeat: int, batch: int) -> dict[str, Any]:
    """spaCy alone (`nlp.pipe`) on the clean texts the pipeline would parse."""
    from sitrep.ingest import foundation_stages
    from sitrep.nlp import MODELS, load_model

    langs = sorted({a.language for a in articles if a.language in MODELS})
    start = time.perf_counter()
    models = {lang: load_model(lang) for lang in langs}
    load_s = time.perf_counter() - start
    foundation = foundation_stages()
    _setup(foundation)
    done, _ = _run_stages(foundation, _fresh(articles), batch)  # untimed: the texts to parse
    texts: dict[str, list[list[str]]] = defaultdict(list)
    rejected = skipped = 0
    for item in done:
        if item.rejection is not None:
            rejected += 1
        elif item.language not in models:
            skipped += 1
        else:
            texts[item.language].append(_blocks(item.clean_text or ""))
    for lang, nlp in models.items():  # warm-up
        for _ in nlp.pipe([b for blocks in texts[lang][:WARMUP] for b in blocks]):
            pass
    per_lang: dict[str, float] = defaultdict(float)
    tokens = 0
    with PeakRss() as mem:
        start = time.perf_counter()
        for _ in range(repeat):
            for lang, nlp in models.items():
                t = time.perf_counter()
                blocks = [b for blocks in texts[lang] for b in blocks]
                for doc in nlp.pipe(blocks, batch_size=64):
                    tokens += len(doc)
                per_lang[lang] += time.perf_counter() - t
        seconds = time.perf_counter() - start
    return {
        "articles": sum(len(v) for v in texts.values()) * repeat,
        "articles_per_language": {lang: len(v) * repeat for lang, v in texts.items()},
        "rejected_before_parse": rejected * repeat,
        "unsupported_language": skipped * repeat,
        "tokens": tokens,
        "seconds": seconds,
        "seconds_per_language": dict(per_lang),
        "load_seconds": load_s,
        "models": {lang: MODELS[lang] for lang in models},
        "memory": mem.as_dict(),
    }


def phase_pipeline(articles: list[Article], repeat: int, batch: int) -> dict[str, Any]:
    """The whole per-article pipeline, every stage timed."""
    from sitrep.ingest import default_pipeline

    stages = default_pipeline().stages
    load_s = _setup(stages)
    _run_stages(stages, _fresh(articles[:WARMUP]), batch)  # warm-up
    items = _fresh(articles, repeat)
    with PeakRss() as mem:
        start = time.perf_counter()
        done, per_stage = _run_stages(stages, items, batch)
        seconds = time.perf_counter() - start
    return {
        "articles": len(items),
        "seconds": seconds,
        "stages_seconds": per_stage,
        "load_seconds": load_s,
        **_outcome(done),
        "memory": mem.as_dict(),
    }


def phase_events(articles: list[Article], repeat: int, batch: int) -> dict[str, Any]:
    """The events stage alone, on articles analysed up to places beforehand (untimed); then
    one untimed pass under tracemalloc for its Python-heap peak."""
    from sitrep.events.stage import EventStage
    from sitrep.ingest import default_pipeline

    stages = default_pipeline().stages
    before = [s for s in stages if not isinstance(s, EventStage)]
    events = [s for s in stages if isinstance(s, EventStage)]
    load_s = _setup(stages)
    ready, _ = _run_stages(before, _fresh(articles), batch)
    _run_stages(events, ready[:WARMUP], batch)  # warm-up
    seconds = 0.0
    with PeakRss() as mem:
        for _ in range(repeat):
            start = time.perf_counter()
            done, _ = _run_stages(events, ready, batch)
            seconds += time.perf_counter() - start
    tracemalloc.start()
    _run_stages(events, ready, batch)
    heap_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    outcome = _outcome(done)
    return {
        "articles": len(ready) * repeat,
        "seconds": seconds,
        "load_seconds": load_s,
        **{k: v * repeat for k, v in outcome.items() if isinstance(v, int)},
        "memory": mem.as_dict() | {"python_heap_peak_mb": round(heap_peak / 2**20, 1)},
    }


def _outcome(done: list[AnalysedArticle]) -> dict[str, Any]:
    """What came out: so a figure from a run where most articles failed is not trusted."""
    skipped = Counter(s for item in done for s in item.skipped)
    return {
        "rejected": sum(item.rejection is not None for item in done),
        "events": sum(len(item.events) for item in done),
        "articles_with_events": sum(bool(item.events) for item in done),
        "events_skipped": skipped.get("events", 0),
        "skipped_by_stage": dict(skipped),
    }


PHASES: dict[str, Callable[[list[Any], int, int], dict[str, Any]]] = {
    "spacy": phase_spacy,
    "pipeline": phase_pipeline,
    "events": phase_events,
}


def _child_init() -> None:
    """One core, one thread: the figures are per-core throughput."""
    for var in THREAD_VARS:
        os.environ[var] = "1"
    if hasattr(os, "sched_getaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})


def run_phase(name: str, articles: list[Article], repeat: int, batch: int, inline: bool) -> dict:
    """One phase, in a fresh spawned process (its own peak RSS) unless `inline`."""
    fn = PHASES[name]
    if inline:
        return fn(articles, repeat, batch)
    with ProcessPoolExecutor(1, mp_context=get_context("spawn"), initializer=_child_init) as ex:
        return ex.submit(fn, articles, repeat, batch).result()


def measure(
    articles: list[Article], repeat: int = 1, batch: int = 16, inline: bool = False
) -> dict[str, Any]:
    """All phases, one after the other, and the headline ratio."""
    phases = {name: run_phase(name, articles, repeat, batch, inline) for name in PHASES}
    for res in phases.values():
        n, s = res["articles"], res["seconds"]
        res["articles_per_second"] = n / s if s > 0 else None
        res["ms_per_article"] = 1000 * s / n if n else None
    sp, pl = phases["spacy"]["articles_per_second"], phases["pipeline"]["articles_per_second"]
    ratio = pl / sp if sp and pl else None
    stages = phases["pipeline"]["stages_seconds"]
    up_to_places = sum(v for k, v in stages.items() if k != "events")
    return {
        "phases": phases,
        "ratio_pipeline_to_spacy": ratio,
        "target_ratio": TARGET_RATIO,
        "target_met": ratio is not None and ratio >= TARGET_RATIO,
        "events_share_of_pipeline": stages.get("events", 0.0) / phases["pipeline"]["seconds"]
        if phases["pipeline"]["seconds"]
        else None,
        "pipeline_up_to_places_seconds": up_to_places,
        "memory_method": (
            "in-process, phases one after another: RSS includes what earlier phases loaded"
            if inline
            else "each phase in its own spawned process pinned to one core; peak = the "
            "process's RSS high-water mark reset after loading (clear_refs) and read after "
            "the timed section, unless peak_is_section_only is false (then ru_maxrss)"
        ),
    }


# ---------------------------------------------------------------- report


def _f(x: float | None, fmt: str = ".1f") -> str:
    return "—" if x is None else format(x, fmt)


def report(console: Console, res: dict[str, Any]) -> None:
    ph = res["phases"]
    sp_rate = ph["spacy"]["articles_per_second"]
    table = Table(title="extract cost on the Wikinews corpus (inline, one core)")
    for col in ("phase", "n", "s", "art/s", "ms/art", "×spaCy", "load s", "RSS MB", "peak MB",
                "Δ MB"):  # fmt: skip
        table.add_column(col, justify="left" if col == "phase" else "right")
    labels = {
        "spacy": "spaCy alone",
        "pipeline": "pipeline",
        "events": "events alone",
    }
    for name, r in ph.items():
        rate, mem = r["articles_per_second"], r["memory"]
        peak = _f(mem["peak_rss_mb"], ".0f") + ("" if mem["peak_is_section_only"] else " *")
        table.add_row(
            labels[name], str(r["articles"]), _f(r["seconds"], ".2f"), _f(rate),
            _f(r["ms_per_article"]), _f(rate / sp_rate if rate and sp_rate else None, ".2f"),
            _f(r["load_seconds"], ".1f"), _f(mem["rss_loaded_mb"], ".0f"), peak,
            _f(mem["peak_delta_mb"], ".0f"),
        )  # fmt: skip
    console.print(table)
    console.print(
        "RSS MB: after loading and warm-up; peak MB: high-water mark during the timed "
        "section; Δ MB: the difference (what processing the texts adds)"
    )
    stages = ph["pipeline"]["stages_seconds"]
    n = ph["pipeline"]["articles"]
    st = Table(title="pipeline, per stage")
    for col in ("stage", "ms/article", "share"):
        st.add_column(col, justify="left" if col == "stage" else "right")
    total = sum(stages.values()) or 1.0
    for name, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        st.add_row(name, f"{1000 * seconds / n:.2f}", f"{seconds / total:.0%}")
    console.print(st)
    ratio = res["ratio_pipeline_to_spacy"]
    verdict = "[green]met[/]" if res["target_met"] else "[red]not met[/]"
    console.print(
        f"pipeline throughput = {_f(ratio, '.2f')}× spaCy alone "
        f"(target ≥ {TARGET_RATIO}×: {verdict}); events stage = "
        f"{_f(100 * (res['events_share_of_pipeline'] or 0))}% of the pipeline's time; "
        f"{ph['pipeline']['events']} events from {ph['pipeline']['articles']} articles, "
        f"{ph['pipeline']['rejected']} rejected. events stage Python-heap peak: "
        f"{ph['events']['memory']['python_heap_peak_mb']} MB (tracemalloc)."
    )
    console.print(f"memory: {res['memory_method']}.")
    if not all(r["memory"]["peak_is_section_only"] for r in ph.values()):
        console.print("* lifetime peak of the process (high-water mark could not be reset)")
    console.print(f"corpus: {CREDIT}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="first N articles (fr/en mix)")
    parser.add_argument("--repeat", type=int, default=2, help="timed passes over the texts")
    parser.add_argument("--batch", type=int, default=16, help="articles per pipeline batch")
    parser.add_argument("--inline", action="store_true", help="all phases in this process")
    parser.add_argument("--out", type=Path, default=RESULTS / "extract.json")
    args = parser.parse_args(argv)
    console = Console() if sys.stdout.isatty() else Console(width=100)  # logs: no wrapping

    articles = load_corpus(args.corpus, args.limit)
    langs = Counter(a.language for a in articles)
    chars = sum(len(a.text or "") for a in articles)
    console.print(
        f"{len(articles)} articles ({dict(langs)}, {chars / max(len(articles), 1):,.0f} "
        f"characters on average) × {args.repeat} passes, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} cores"
    )
    res = measure(articles, args.repeat, args.batch, args.inline)
    report(console, res)
    out = {
        **run_info(args),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "corpus": {
            "articles": len(articles),
            "languages": dict(langs),
            "chars": chars,
            "credit": CREDIT,
        },
        **res,
    }
    write_json(args.out, out, console.print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
