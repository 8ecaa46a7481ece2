"""`sitrep ingest` as a plain function: read, analyse (map), store, deduplicate (reduce)."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import TYPE_CHECKING, BinaryIO

from sitrep.clean import CleanStage, FingerprintStage
from sitrep.lang import LanguageStage
from sitrep.model import AnalysedArticle, Article, Rejection
from sitrep.pipeline import Executor, Pipeline, RayExecutor, Stage, batched, make_executor
from sitrep.read import DEFAULT_MAX_BYTES, ReadStats, read_paths
from sitrep.read.extract import ExtractStage
from sitrep.store import Store
from sitrep.time.published import PublishedStage

if TYPE_CHECKING:
    from sitrep.merge.run import MergeSummary

log = logging.getLogger(__name__)


def foundation_stages() -> list[Stage]:
    """Reading, cleaning, language and date: what every article gets, in any language."""
    return [ExtractStage(), CleanStage(), LanguageStage(), PublishedStage(), FingerprintStage()]


def understanding_stages() -> list[Stage]:
    """The language-specific stages: parse, then times, actors and places (places use the
    actors' countries as context), then events."""
    from sitrep.actors.stage import ActorStage
    from sitrep.events.stage import EventStage
    from sitrep.nlp import NlpStage
    from sitrep.places.stage import PlacesStage
    from sitrep.time.stage import TimeStage

    return [NlpStage(), TimeStage(), ActorStage(), PlacesStage(), EventStage()]


def default_pipeline() -> Pipeline:
    """The per-article stages, in order."""
    return Pipeline([*foundation_stages(), *understanding_stages()])


@dataclass
class IngestSummary:
    read: int = 0  # inputs found: articles and unreadable inputs
    stored: int = 0  # new articles
    already_stored: int = 0  # inputs whose article was in the store (same clean text)
    resumed: int = 0  # inputs skipped because an earlier run had done them
    duplicates: int = 0  # new articles that are republished copies of another
    rejected: Counter[str] = field(default_factory=Counter)  # by reason
    skipped_files: int = 0  # files of a directory walk with an extension we don't read
    shards_skipped: int = 0  # multi-record files an earlier run finished: not read again
    stored_ids: list[str] = field(default_factory=list)
    merge: MergeSummary | None = None  # what the run's reduce step did

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())


def ingest(
    paths: Sequence[str],
    store: Store,
    *,
    executor: str | Executor = "pool",
    pipeline: Pipeline | None = None,
    batch_size: int = 16,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stdin: BinaryIO | None = None,
    on_progress: Callable[[int], None] | None = None,
    spool: str | None = None,
) -> IngestSummary:
    """Ingest files, directories or `-` into the store; safe to re-run and to resume.

    With the ray executor the workers read the files themselves (Ray Data, Parquet shards in
    `spool`: see `sitrep.ray_ingest`); stdin or a pipe can only be read here, so then inputs
    are streamed to Ray's actors as to the pool's workers.
    """
    summary = IngestSummary()
    pipe = pipeline or default_pipeline()
    ex = make_executor(executor) if isinstance(executor, str) else executor
    try:
        if isinstance(ex, RayExecutor) and not any(_driver_only(p) for p in paths):
            from sitrep.ray_ingest import ingest_files_on_ray

            ingest_files_on_ray(
                paths, store, ex, pipe, summary, batch_size=batch_size, max_bytes=max_bytes,
                spool=spool, on_progress=on_progress,
            )  # fmt: skip
        else:
            _stream(paths, store, ex, pipe, summary, batch_size, max_bytes, stdin, on_progress)
    finally:
        if isinstance(executor, str):
            ex.close()
    summary.stored = len(summary.stored_ids)
    store.dedup()
    summary.duplicates = store.count_duplicates(summary.stored_ids)
    summary.merge = store.merge()  # after dedup: republished copies are not independent
    return summary


class FinishedFiles:
    """Multi-record files an earlier run finished: the reader (or the Ray planner) asks before
    opening one, and the summary counts their records as done, their rejections as rejected."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.records: dict[str, int] = {}

    def __call__(self, path: str) -> bool:
        records = self.store.finished_shard(path)
        if records is not None:
            self.records[path] = records
        return records is not None

    def count(self, summary: IngestSummary, skipped: list[str]) -> None:
        summary.shards_skipped = len(skipped)
        summary.resumed += sum(self.records[p] for p in skipped)
        for path in skipped:  # done by an earlier run, and still rejected
            summary.rejected.update(self.store.rejections_in(path))


def _driver_only(path: str) -> bool:
    """Stdin, a pipe (`<(zcat x.gz)`), a device: only this process can read it, once."""
    return path == "-" or (os.path.exists(path) and not os.path.isfile(path)
                           and not os.path.isdir(path))  # fmt: skip


def _stream(
    paths: Sequence[str],
    store: Store,
    ex: Executor,
    pipe: Pipeline,
    summary: IngestSummary,
    batch_size: int,
    max_bytes: int,
    stdin: BinaryIO | None,
    on_progress: Callable[[int], None] | None,
) -> None:
    """Read here, analyse on the executor, store here: the map side for every executor but
    Ray Data."""
    finished = FinishedFiles(store)
    stats = ReadStats(done_shard=finished)
    # a multi-record file is marked finished once read to its end and its every input written
    in_flight: Counter[str] = Counter()
    records: Counter[str] = Counter()
    marked: set[str] = set()

    def mark_finished() -> None:
        for path, size, mtime in stats.shards_read:
            if path not in marked and in_flight[path] == 0:
                store.mark_shard(path, size, mtime, records[path])
                marked.add(path)

    read_rejections: list[Rejection] = []

    def fresh_articles() -> Iterator[Article]:
        """Readable inputs not yet done; unreadable ones are set aside for the store."""
        items = read_paths(paths, stdin=stdin, max_bytes=max_bytes, stats=stats)
        while chunk := list(islice(items, 256)):
            arts = [a for a in chunk if isinstance(a, Article)]
            summary.read += len(chunk)
            for rej in chunk:
                records[rej.source] += 1
                if isinstance(rej, Rejection):
                    read_rejections.append(rej)
                    summary.rejected[rej.reason] += 1
            seen = store.seen_inputs([a.input_key for a in arts])
            done = [a for a in arts if a.input_key in seen]
            summary.resumed += len(done)
            for a in done:  # rejected by an earlier run: still rejected, and said so
                reason = seen[a.input_key]
                if reason is not None:
                    summary.rejected[reason] += 1
            if on_progress:  # inputs that will not go through the pipeline
                on_progress(len(chunk) - len(arts) + len(done))
            fresh = [a for a in arts if a.input_key not in seen]
            for a in fresh:  # counted before any is yielded: the reader is a chunk ahead
                in_flight[a.source] += 1
            yield from fresh

    batches: Iterable[list[AnalysedArticle]] = batched(fresh_articles(), batch_size)
    for done in ex.map(pipe, batches):
        pending, read_rejections[:] = list(read_rejections), []
        written = store.write(done, pending)
        summary.stored_ids.extend(written.stored_ids)
        summary.already_stored += written.known
        for item in done:
            in_flight[item.article.source] -= 1
            if item.rejection is not None:
                summary.rejected[item.rejection.reason] += 1
        mark_finished()
        log.info("batch written: %d new articles so far", len(summary.stored_ids))
        if on_progress:
            on_progress(len(done))
    if read_rejections:
        store.write([], read_rejections)
    mark_finished()
    summary.skipped_files = stats.skipped
    finished.count(summary, stats.shards_skipped)
