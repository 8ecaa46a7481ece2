"""`sitrep ingest --executor ray`: Ray Data reads the input files on the workers, one pipeline
per actor analyses them, and each shard of inputs becomes a Parquet file that the driver loads
into the store, in input order, before the reduce step (dedup, merge) runs as usual.

Why not ship articles from the driver as `pool` does: on a cluster the driver would be the
bottleneck and would need the whole input's bandwidth. Here it only plans (a directory listing,
the store's record of what is done) and loads. Parquet shards sit in a spool directory, named
by what they hold, so a driver that dies loses nothing already analysed: the next run loads
them instead of analysing them again. On a multi-node cluster the spool and the inputs must be
on a filesystem every node sees (`--spool`).
"""

from __future__ import annotations

import json
import logging
import math
import os
import pickle
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitrep.errors import SitrepError
from sitrep.model import AnalysedArticle, Article, Rejection, content_id
from sitrep.pipeline import Pipeline, RayExecutor, _shipped
from sitrep.read import (
    SHARD_KINDS,
    UNFINISHED,
    ReadStats,
    list_inputs,
    read_file,
    read_file_span,
)
from sitrep.read.decode import binary_kind
from sitrep.read.jsonl import line_spans

if TYPE_CHECKING:
    import numpy as np

    from sitrep.ingest import IngestSummary
    from sitrep.store import Store

log = logging.getLogger(__name__)

#: Single-article files (text, HTML) grouped into one shard, at most.
SHARD_FILES = 64
#: Shards per worker the grouping aims at, so every actor has work and stragglers are short.
SHARDS_PER_WORKER = 4
#: Bumped when the Parquet layout or what it holds changes: older spooled shards are redone.
SPOOL_FORMAT = 1
#: Rows per Parquet row group (a worker holds at most this many analysed articles).
ROW_GROUP = 64
#: The last line of the last part of a file: any.
LAST_LINE = 2**62
#: An uncompressed JSONL file is cut into parts of at least this size, so several workers
#: share one big file (compressed files and WARC cannot be entered midway without an index).
MIN_SPAN = 64 * 1024


@dataclass(frozen=True)
class Shard:
    """Input files analysed together, by one actor, into one Parquet file."""

    number: int  # its place in input order
    paths: tuple[str, ...]
    key: str  # the files as they were planned (path, size, mtime) and the settings
    #: part of one JSONL file: (start, end, first line), with the file's (size, mtime)
    span: tuple[int, int, int] | None = None
    stat: tuple[int, float] | None = None
    lines: tuple[int, int] | None = None  # the span's first and last line numbers


def default_spool(store: Store) -> Path:
    """Beside a DuckDB file (`x.duckdb` spools to `x.duckdb.spool/`); for a server, in the
    temporary directory, named after the database."""
    if store.dialect == "duckdb" and store.path != ":memory:":
        db = Path(store.path).resolve()
        return db.with_name(db.name + ".spool")
    return Path(tempfile.gettempdir()) / f"sitrep-spool-{content_id(store.path)}"


def plan(
    paths: Sequence[str],
    *,
    workers: int,
    settings: str,
    done_shard: Callable[[str], bool],
    stats: ReadStats,
) -> tuple[list[Shard], list[Rejection]]:
    """Shards in input order, without reading a file. A JSONL or WARC file, or a file whose
    format is only known by sniffing it, is a shard of its own; other files are grouped.
    Multi-record files an earlier run finished (`done_shard`) are left out."""
    listed = list(list_inputs(paths, stats))
    rejections = [item for item in listed if isinstance(item, Rejection)]
    files = [item for item in listed if not isinstance(item, Rejection)]
    singles = sum(1 for _, kind in files if kind is not None and kind not in SHARD_KINDS)
    group = max(1, min(SHARD_FILES, math.ceil(singles / (SHARDS_PER_WORKER * workers))))
    shards: list[Shard] = []
    pending: list[str] = []
    # a file reached twice (named twice, through a symlink) is read twice, as inline reads
    # it; the count keeps the two shards' names apart
    times: Counter[str] = Counter()

    def identity(path: str, st: os.stat_result) -> str:
        real = os.path.realpath(path)
        times[real] += 1
        return f"{real}\0{st.st_size}\0{st.st_mtime}\0{times[real]}"

    def add(group_paths: list[str]) -> None:
        parts = [settings]
        for path in group_paths:
            try:
                parts.append(identity(path, os.stat(path)))
            except OSError as exc:  # the worker reports it as a rejection
                parts.append(f"{path}\0{exc.errno}")
        shards.append(Shard(len(shards), tuple(group_paths), content_id(*parts, length=24)))

    def split(path: str) -> bool:
        """Cut a big JSONL file into line-aligned parts, one shard each; False if it stays
        whole (small, unreadable, or binary: its reader says so once, for the whole file)."""
        try:
            st = os.stat(path)
            cuts = min(SHARDS_PER_WORKER * workers, st.st_size // MIN_SPAN)
            if cuts < 2:
                return False
            with open(path, "rb") as f:
                head = f.read(1 << 16)
            content = len(head) - len(head.lstrip())  # where the first line with content is
            if content == len(head) or binary_kind(head):
                return False
            # no part before the first line with content: it would report the file empty
            spans = _from(line_spans(path, cuts), content)
        except OSError:
            return False
        if len(spans) < 2:
            return False
        file = identity(path, st)
        for n, span in enumerate(spans):
            last = spans[n + 1][2] - 1 if n + 1 < len(spans) else LAST_LINE
            key = content_id(settings, file, repr(span), length=24)
            shards.append(Shard(len(shards), (path,), key, span=span,
                                stat=(st.st_size, st.st_mtime), lines=(span[2], last)))  # fmt: skip
        return True

    for path, kind in files:
        if kind is not None and kind not in SHARD_KINDS:
            pending.append(path)
            if len(pending) >= group:
                add(pending)
                pending = []
            continue
        if pending:
            add(pending)
            pending = []
        if kind in SHARD_KINDS and done_shard(path):
            stats.shards_skipped.append(path)
            continue
        if kind != "jsonl" or not split(path):
            add([path])
    if pending:
        add(pending)
    return shards, rejections


def _from(spans: list[tuple[int, int, int]], content: int) -> list[tuple[int, int, int]]:
    """Merge the first spans until the first one holds the byte at `content`."""
    while len(spans) > 1 and spans[1][0] <= content:
        spans = [(spans[0][0], spans[1][1], spans[0][2]), *spans[2:]]
    return spans


def _digest(skip: dict[str, str | None]) -> str:
    """What a shard was told to skip, in a few bytes: a spooled shard is only reused while
    the store still holds exactly that."""
    return content_id(*sorted(f"{k}\0{v or ''}" for k, v in skip.items()))


def _skip(store: Store, shard: Shard) -> dict[str, str | None]:
    return store.done_in_files(shard.paths, shard.lines)


def _schema() -> Any:
    import pyarrow as pa

    return pa.schema([
        ("order", pa.int64()),  # place in the shard's input order
        ("input_key", pa.string()),  # null for an input that could not be read
        ("source", pa.string()),
        ("locator", pa.string()),
        ("article_id", pa.string()),  # null when rejected
        ("reason", pa.string()),  # why it was rejected, else null
        ("record", pa.binary()),  # the pickled AnalysedArticle (without its parse) or Rejection
    ])  # fmt: skip


class ShardAnalyser:
    """The Ray Data actor: its pipeline's resources load once, in `__init__`; each call
    analyses whole shards, streaming (a shard may be a WARC of gigabytes)."""

    def __init__(self, pipeline: Pipeline, spool: str, batch_size: int, max_bytes: int) -> None:
        pipeline.setup()
        self.pipeline = pipeline
        self.spool = Path(spool)
        self.batch_size = batch_size
        self.max_bytes = max_bytes

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        import numpy as np

        done = [json.dumps(self.analyse(json.loads(spec))) for spec in batch["spec"]]
        return {"manifest": np.array(done, dtype=object)}

    def analyse(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Read the shard's files, analyse what is not done yet, write the Parquet file, then
        its manifest (whose presence says the Parquet file is complete)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        skip: dict[str, str | None] = spec["skip"]
        stats = ReadStats()
        records: Counter[str] = Counter()
        resumed: Counter[str] = Counter()  # inputs skipped: by reason if rejected, else ""
        try:  # relative paths are the driver's: on a cluster, a shared filesystem's
            os.chdir(spec["cwd"])
        except OSError as exc:
            log.warning("cannot enter the driver's directory %s: %s", spec["cwd"], exc)
        final = self.spool / f"{spec['key']}.parquet"
        tmp = final.with_name(f"{final.name}.{os.getpid()}.tmp")
        rows: list[dict[str, Any]] = []
        pending: list[Article | Rejection] = []
        read = written = fresh = 0
        intact: list[bool] = []  # for a part of a file: read to its end, file unchanged
        with pq.ParquetWriter(tmp, _schema()) as writer:

            def flush() -> None:
                nonlocal written
                arts = [AnalysedArticle(article=a) for a in pending if isinstance(a, Article)]
                analysed = iter(_shipped(self.pipeline(arts)) if arts else [])
                for item in pending:
                    record = next(analysed) if isinstance(item, Article) else item
                    rows.append(_row(written, record))
                    written += 1
                pending.clear()
                if len(rows) >= ROW_GROUP:
                    writer.write_table(pa.Table.from_pylist(rows, schema=_schema()))
                    rows.clear()

            for item in self._read(spec, stats, intact):
                read += 1
                records[item.source] += 1
                if isinstance(item, Article) and item.input_key in skip:
                    resumed[skip[item.input_key] or ""] += 1
                    continue
                pending.append(item)
                fresh += isinstance(item, Article)
                # a batch of articles, or rows enough (a file of nothing but broken lines)
                if fresh >= self.batch_size or len(pending) >= ROW_GROUP:
                    flush()
                    fresh = 0
            flush()
            if rows:
                writer.write_table(pa.Table.from_pylist(rows, schema=_schema()))
        os.replace(tmp, final)
        manifest = {
            "format": SPOOL_FORMAT,
            "number": spec["number"],
            "key": spec["key"],
            "parquet": str(final),
            "rows": written,
            "read": read,
            "resumed": dict(resumed),
            "skip_digest": _digest(skip),
            "skipped_files": stats.skipped,
            "shards_read": stats.shards_read,
            "records": dict(records),
            "span_intact": bool(intact),
        }
        _write_atomically(self.spool / f"{spec['key']}.json", json.dumps(manifest))
        return manifest

    def _read(
        self, spec: dict[str, Any], stats: ReadStats, intact: list[bool]
    ) -> Iterator[Article | Rejection]:
        if spec.get("span") is None:
            for path in spec["paths"]:
                yield from read_file(path, self.max_bytes, stats)
            return
        [path] = spec["paths"]
        start, end, first_line = spec["span"]
        stopped = False
        expect = (spec["stat"][0], spec["stat"][1])
        for item in read_file_span(path, start, end, first_line, self.max_bytes, expect):
            stopped = stopped or (isinstance(item, Rejection) and item.reason in UNFINISHED)
            yield item
        try:
            st = os.stat(path)
        except OSError:
            return
        if not stopped and [st.st_size, st.st_mtime] == list(spec["stat"]):
            intact.append(True)


def _row(order: int, record: AnalysedArticle | Rejection) -> dict[str, Any]:
    if isinstance(record, Rejection):
        return {"order": order, "input_key": None, "source": record.source,
                "locator": record.locator, "article_id": None, "reason": record.reason,
                "record": pickle.dumps(record, protocol=5)}  # fmt: skip
    art, rejection = record.article, record.rejection
    return {
        "order": order,
        "input_key": art.input_key,
        "source": art.source,
        "locator": art.locator,
        "article_id": record.article_id if rejection is None else None,
        "reason": rejection.reason if rejection is not None else None,
        "record": pickle.dumps(record, protocol=5),
    }


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _spooled(spool: Path, shard: Shard, store: Store) -> dict[str, Any] | None:
    """The manifest of a shard an earlier run analysed but did not load, if it is complete
    and was analysed against what this store holds now (it left those inputs out)."""
    try:
        manifest: dict[str, Any] = json.loads((spool / f"{shard.key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("format") != SPOOL_FORMAT or not Path(manifest["parquet"]).is_file():
        return None
    if manifest.get("skip_digest") != _digest(_skip(store, shard)):
        log.info("spooled shard %s was analysed against another store: redone", shard.key)
        return None
    return manifest


def _settings(pipeline: Pipeline, batch_size: int, max_bytes: int) -> str:
    """What a spooled shard depends on besides its files: the stages and their settings."""
    from sitrep import __version__

    stages = [(s.name, sorted((k, repr(v)) for k, v in s.__getstate__().items()))
              for s in pipeline.stages]  # fmt: skip
    return repr((SPOOL_FORMAT, __version__, max_bytes, batch_size, stages))


def _records(parquet: str) -> Iterator[AnalysedArticle | Rejection]:
    """A Parquet shard's records in input order, a row group at a time."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(parquet) as pf:
        for batch in pf.iter_batches(batch_size=ROW_GROUP, columns=["record"]):
            for blob in batch.column(0).to_pylist():
                yield pickle.loads(blob)  # trusted: written by our own workers


def ingest_files_on_ray(
    paths: Sequence[str],
    store: Store,
    executor: RayExecutor,
    pipeline: Pipeline,
    summary: IngestSummary,
    *,
    batch_size: int,
    max_bytes: int,
    spool: str | Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> None:
    """Analyse files on Ray Data and load the results into the store (the map side of
    `ingest`); fills `summary`, leaves dedup and merge to the caller."""
    spool_dir = Path(spool).resolve() if spool is not None else default_spool(store)
    from sitrep.ingest import FinishedFiles

    stats = ReadStats()
    finished = FinishedFiles(store)
    for stage in pipeline.stages:
        stage.check()
    workers = executor.workers or os.cpu_count() or 1
    if executor.address and not executor.workers:  # a cluster: cut big files for all its CPUs
        workers = max(1, int(executor.connect().cluster_resources().get("CPU", 1)))
    settings = _settings(pipeline, batch_size, max_bytes)
    shards, walk_errors = plan(
        paths, workers=workers, settings=settings, done_shard=finished, stats=stats
    )
    if walk_errors:
        store.write([], walk_errors)
        summary.read += len(walk_errors)
        summary.rejected.update(r.reason for r in walk_errors)
    finished.count(summary, stats.shards_skipped)
    if on_progress and finished.records:
        on_progress(sum(finished.records.values()))
    spool_dir.mkdir(parents=True, exist_ok=True)
    ready: dict[int, dict[str, Any]] = {}
    todo: list[Shard] = []
    for shard in shards:
        manifest = _spooled(spool_dir, shard, store)
        if manifest is not None:
            ready[shard.number] = manifest
        else:
            todo.append(shard)
    loader = _Loader(store, spool_dir, shards, ready, summary, batch_size, on_progress)
    loader.load_ready()
    manifests = _analyse(executor, pipeline, todo, store, spool_dir, batch_size, max_bytes)
    while todo:
        try:
            manifest = next(manifests)
        except StopIteration:
            break
        except (SitrepError, KeyboardInterrupt):
            raise
        except Exception as exc:  # Ray's, not the store's: those are raised as they are
            why = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else repr(exc)
            raise SitrepError(
                f"Ray failed ({why}); what was loaded is kept, and shards analysed but not "
                f"loaded wait in {spool_dir}: run the same command again to resume"
            ) from exc
        ready[manifest["number"]] = manifest
        loader.load_ready()
    if loader.position != len(shards):  # every shard came back, so none may be missing
        raise SitrepError(f"{len(shards) - loader.position} shard(s) never came back from Ray")
    summary.skipped_files += stats.skipped
    _tidy(spool_dir, [s.key for s in shards], remove=spool is None)


def _analyse(
    executor: RayExecutor,
    pipeline: Pipeline,
    todo: list[Shard],
    store: Store,
    spool: Path,
    batch_size: int,
    max_bytes: int,
) -> Iterator[dict[str, Any]]:
    """Run the shards through Ray Data; yield each shard's manifest as it finishes (in any
    order)."""
    executor.connect()
    import ray.data

    logging.getLogger("ray.data").setLevel(logging.ERROR)
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False  # the CLI draws its own, from the loaded shards
    ctx.execution_options.verbose_progress = False
    actors = executor.workers or max(1, int(ray.available_resources().get("CPU", 1)))
    specs = [
        {"spec": json.dumps({"number": s.number, "paths": list(s.paths), "key": s.key,
                             "span": s.span, "stat": s.stat, "cwd": os.getcwd(),
                             "skip": _skip(store, s)})}
        for s in todo
    ]  # fmt: skip
    ds = ray.data.from_items(specs, override_num_blocks=len(specs)).map_batches(
        ShardAnalyser,
        batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=min(actors, len(specs))),
        num_cpus=1,
        fn_constructor_args=(pipeline, str(spool), batch_size, max_bytes),
    )
    for row in ds.iter_rows():
        manifest: dict[str, Any] = json.loads(row["manifest"])
        if not Path(manifest["parquet"]).is_file():
            raise SitrepError(
                f"a worker wrote {manifest['parquet']}, which this machine cannot see: on a "
                "cluster, give --spool a directory every node shares"
            )
        yield manifest


#: The names of the files a worker writes to the spool: a shard key, then what it is.
_SPOOLED = re.compile(r"[0-9a-f]{24}\.(parquet|json)(\.\d+\.tmp)?")


class _Loader:
    """Loads analysed shards into the store strictly in input order (so rows, sequence
    numbers included, are those of an inline run), marks finished files, empties the spool."""

    def __init__(
        self,
        store: Store,
        spool: Path,
        shards: list[Shard],
        ready: dict[int, dict[str, Any]],
        summary: IngestSummary,
        batch_size: int,
        on_progress: Callable[[int], None] | None,
    ) -> None:
        self.store, self.shards, self.ready, self.summary = store, shards, ready, summary
        self.spool = spool
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.position = 0
        #: a file cut into parts: parts left to load, records so far, every part read whole
        self.parts: dict[str, list[Any]] = {}
        for shard in shards:
            if shard.span is not None:
                self.parts.setdefault(shard.paths[0], [0, 0, True])[0] += 1

    def load_ready(self) -> None:
        while self.position < len(self.shards) and self.position in self.ready:
            shard = self.shards[self.position]
            self._load(shard, self.ready.pop(self.position))
            for suffix in (".json", ".parquet"):  # the manifest first: it vouches for the rest
                (self.spool / f"{shard.key}{suffix}").unlink(missing_ok=True)
            self.position += 1

    def _load(self, shard: Shard, manifest: dict[str, Any]) -> None:
        summary = self.summary
        summary.read += manifest["read"]
        summary.resumed += sum(manifest["resumed"].values())
        summary.rejected.update({r: n for r, n in manifest["resumed"].items() if r})
        summary.skipped_files += manifest["skipped_files"]
        items: list[AnalysedArticle] = []
        rejections: list[Rejection] = []

        def write() -> None:
            written = self.store.write(items, rejections)
            summary.stored_ids.extend(written.stored_ids)
            summary.already_stored += written.known
            if self.on_progress:
                self.on_progress(len(items) + len(rejections))
            items.clear()
            rejections.clear()

        for record in _records(manifest["parquet"]):
            if isinstance(record, Rejection):
                rejections.append(record)
                summary.rejected[record.reason] += 1
                continue
            items.append(record)
            if record.rejection is not None:
                summary.rejected[record.rejection.reason] += 1
            if len(items) >= self.batch_size:
                write()
        if items or rejections:
            write()
        for path, size, mtime in manifest["shards_read"]:
            self.store.mark_shard(path, size, mtime, manifest["records"].get(path, 0))
        if shard.span is not None and shard.stat is not None:  # the file's last part marks it
            path = shard.paths[0]
            part = self.parts[path]
            part[0] -= 1
            part[1] += manifest["records"].get(path, 0)
            part[2] = part[2] and manifest["span_intact"]
            if part[0] == 0 and part[2]:
                self.store.mark_shard(path, *shard.stat, part[1])
        if self.on_progress and manifest["resumed"]:
            self.on_progress(sum(manifest["resumed"].values()))


def _tidy(spool: Path, keys: list[str], remove: bool) -> None:
    """After a complete run, this run's shards that were cut short (a worker that died while
    writing) are not wanted. Nothing else is touched: another run may share the spool. The
    default spool goes when it is empty; one named by --spool stays."""
    for key in keys:
        for leftover in spool.glob(f"{key}.*"):
            if _SPOOLED.fullmatch(leftover.name):
                leftover.unlink(missing_ok=True)
    if remove:
        try:
            spool.rmdir()
        except OSError as exc:  # something else is in it: not ours to delete
            log.debug("spool %s kept: %s", spool, exc)
