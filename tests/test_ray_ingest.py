"""Ingest on Ray Data: shards planned in input order, workers that read and skip what is done,
and Parquet shards that survive the driver. (Identical rows across executors are asserted in
tests/test_pipeline.py.)"""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from test_ingest import _midway, _snapshot
from test_pipeline import STORED

from sitrep.ingest import foundation_stages, ingest
from sitrep.model import Article, Rejection
from sitrep.pipeline import Pipeline, RayExecutor
from sitrep.ray_ingest import ShardAnalyser, _settings, plan
from sitrep.read import ReadStats, read_paths
from sitrep.store import Store

from conftest import CORPUS, corpus_index

STORY = (
    "Des tirs d'artillerie ont visé le village de {n} mardi, selon le ministère de la "
    "Défense.\n\nLe bilan fait état de {n} blessés parmi les habitants, a indiqué la mairie "
    "dans un communiqué publié {n} heures après les faits."
)


def light() -> Pipeline:
    """Reading, cleaning, language and date: no spaCy model, so the tests stay quick."""
    return Pipeline(foundation_stages())


def tree(root: Path, texts: int = 10) -> list[str]:
    """A folder of text files around a JSONL file and a subfolder, plus an unknown file."""
    (root / "sub").mkdir(parents=True)
    for n in range(texts):
        (root / f"t{n:02d}.txt").write_text(STORY.format(n=n), encoding="utf-8")
    lines = [json.dumps({"id": f"j{n}", "text": STORY.format(n=100 + n)}) for n in range(3)]
    (root / "m.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "sub" / "z.txt").write_text(STORY.format(n=999), encoding="utf-8")
    (root / "notes.csv").write_text("a,b\n", encoding="utf-8")
    return [str(root)]


def sources_read(paths: list[str]) -> list[str]:
    return list(dict.fromkeys(a.source for a in read_paths(paths)))


def test_shards_cover_every_file_once_in_the_order_read_paths_reads_them(tmp_path: Path) -> None:
    paths = tree(tmp_path / "in")
    stats = ReadStats()
    shards, errors = plan(paths, workers=2, settings="s", done_shard=lambda p: False, stats=stats)
    assert not errors
    assert [p for s in shards for p in s.paths] == sources_read(paths)
    assert [s.number for s in shards] == list(range(len(shards)))
    jsonl = [s for s in shards if any(p.endswith(".jsonl") for p in s.paths)]
    assert len(jsonl) == 1 and len(jsonl[0].paths) == 1  # a multi-record file is its own shard
    # 11 single files for 2 workers, 4 shards each: groups of 2, none mixed with the JSONL
    assert max(len(s.paths) for s in shards) == 2
    assert stats.skipped_paths == [str(tmp_path / "in" / "notes.csv")]
    assert len({s.key for s in shards}) == len(shards)


def test_a_shard_key_changes_with_its_files_and_the_settings(tmp_path: Path) -> None:
    paths = tree(tmp_path / "in")

    def keys(settings: str) -> dict[tuple[str, ...], str]:
        shards, _ = plan(
            paths, workers=2, settings=settings, done_shard=lambda p: False, stats=ReadStats()
        )
        return {s.paths: s.key for s in shards}

    before = keys("s")
    assert keys("s") == before
    assert not set(keys("other settings").values()) & set(before.values())
    changed = tmp_path / "in" / "t00.txt"
    changed.write_text("Un autre texte, plus long qu'avant.", "utf-8")
    after = keys("s")
    assert [p for p in before if after[p] != before[p]] == [p for p in before if str(changed) in p]


def test_finished_multi_record_files_are_left_out_of_the_plan(tmp_path: Path) -> None:
    paths = tree(tmp_path / "in")
    stats = ReadStats()
    shards, _ = plan(
        paths, workers=2, settings="s", done_shard=lambda p: p.endswith(".jsonl"), stats=stats
    )
    planned = [p for s in shards for p in s.paths]
    assert not any(p.endswith(".jsonl") for p in planned)
    assert stats.shards_skipped == [str(tmp_path / "in" / "m.jsonl")]


def test_a_missing_path_is_planned_and_rejected_by_its_reader(tmp_path: Path) -> None:
    missing = str(tmp_path / "gone.txt")
    shards, _ = plan(
        [missing], workers=1, settings="s", done_shard=lambda p: False, stats=ReadStats()
    )
    spool = tmp_path / "spool"
    spool.mkdir()
    manifest = ShardAnalyser(light(), str(spool), 4, 10_000).analyse(
        {"number": 0, "paths": [missing], "key": shards[0].key, "skip": {}, "cwd": "/"}
    )
    assert manifest["read"] == 1 and manifest["rows"] == 1
    assert (spool / f"{shards[0].key}.json").is_file()
    from sitrep.ray_ingest import _records

    [rejection] = _records(manifest["parquet"])
    assert isinstance(rejection, Rejection) and rejection.reason == "not_found"


def test_a_big_file_is_never_cut_before_its_first_line_with_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part holding only blank lines would report the whole file empty."""
    import sitrep.ray_ingest

    monkeypatch.setattr(sitrep.ray_ingest, "MIN_SPAN", 4096)
    feed = tmp_path / "late.jsonl"
    rows = [json.dumps({"id": f"b{n}", "text": STORY.format(n=n)}) for n in range(40)]
    feed.write_text("\n" * 9000 + "\n".join(rows) + "\n", encoding="utf-8")
    shards, _ = plan(
        [str(feed)], workers=2, settings="s", done_shard=lambda p: False, stats=ReadStats()
    )
    assert len(shards) >= 2 and shards[0].span is not None
    assert shards[0].span[1] > 9000  # the first part reaches past the blank lines
    lines = [s.lines for s in shards]
    assert lines[0] is not None and lines[0][0] == 1
    assert all(a and b and a[1] + 1 == b[0] for a, b in pairwise(lines))  # no gap, no overlap


class NoRay(RayExecutor):
    """A Ray executor that must not be needed: everything is already in the spool."""

    def connect(self) -> Any:
        raise AssertionError("Ray was started although every shard was spooled")


def test_shards_analysed_before_the_driver_died_are_loaded_not_redone(tmp_path: Path) -> None:
    """The workers finished and spooled every shard, then the driver was killed before loading
    any: the rerun loads the Parquet shards without starting Ray, and stores what an
    uninterrupted run stores."""
    paths = tree(tmp_path / "in")
    with Store(tmp_path / "inline.duckdb") as store:
        ingest(paths, store, executor="inline", pipeline=light(), batch_size=4)
        expected = [store.con.execute(sql).fetchall() for sql in STORED[:3]]

    pipeline, db = light(), tmp_path / "ray.duckdb"
    shards, _ = plan(
        paths,
        workers=2,
        settings=_settings(pipeline, 4, 10 * 1024 * 1024),
        done_shard=lambda p: False,
        stats=ReadStats(),
    )
    spool = tmp_path / "ray.duckdb.spool"
    spool.mkdir()
    worker = ShardAnalyser(pipeline, str(spool), 4, 10 * 1024 * 1024)
    for s in shards:
        worker.analyse(
            {"number": s.number, "paths": list(s.paths), "key": s.key, "skip": {}, "cwd": "/"}
        )
    # not this run's: another run's shard, and a file that is not a shard
    (spool / f"{'0' * 24}.parquet").write_bytes(b"another run's shard")
    (spool / "notes.json").write_text("{}", encoding="utf-8")
    with Store(db) as store:
        summary = ingest(paths, store, executor=NoRay(workers=2), pipeline=light(), batch_size=4)
        assert [store.con.execute(sql).fetchall() for sql in STORED[:3]] == expected
    assert summary.read == 14 and summary.stored == 14
    assert sorted(p.name for p in spool.iterdir()) == [f"{'0' * 24}.parquet", "notes.json"]


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[RayExecutor]:
    """One local Ray for the module's tests (starting it takes seconds)."""
    ex = RayExecutor(workers=2)
    yield ex
    ex.close()


def test_a_file_partly_stored_earlier_is_finished_on_ray_and_then_skipped(
    tmp_path: Path, ray_executor: RayExecutor
) -> None:
    """A JSONL file a crawler appended to after a first run: the workers skip the lines the
    store has, analyse the new ones, and the file is then marked finished."""
    feed = tmp_path / "feed.jsonl"

    def lines(start: int, stop: int) -> str:
        return "".join(
            json.dumps({"id": f"j{n}", "text": STORY.format(n=n)}) + "\n"
            for n in range(start, stop)
        )

    feed.write_text(lines(0, 3), encoding="utf-8")
    with Store(tmp_path / "db.duckdb") as store:
        ingest([str(feed)], store, executor="inline", pipeline=light())
        with feed.open("a", encoding="utf-8") as f:
            f.write(lines(3, 5))
        second = ingest([str(feed)], store, executor=ray_executor, pipeline=light())
        third = ingest([str(feed)], store, executor=ray_executor, pipeline=light())
        ids = sorted(r["input_id"] for r in store.articles())
    assert (second.read, second.resumed, second.stored) == (5, 3, 2)
    assert (third.read, third.resumed, third.stored, third.shards_skipped) == (0, 5, 0, 1)
    assert ids == [f"j{n}" for n in range(5)]


def test_one_big_jsonl_file_is_shared_by_the_workers_and_stored_as_inline_stores_it(
    tmp_path: Path, ray_executor: RayExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An uncompressed JSONL file is cut at line starts so both actors work on it; the rows
    are an inline run's, line numbers included, and the whole file is marked finished once
    its last part is loaded."""
    import sitrep.ray_ingest

    monkeypatch.setattr(sitrep.ray_ingest, "MIN_SPAN", 4096)
    feed = tmp_path / "big.jsonl"
    rows = [json.dumps({"id": f"b{n}", "text": STORY.format(n=n)}) for n in range(60)]
    rows.insert(31, "not json at all")
    feed.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shards, _ = plan(
        [str(feed)], workers=2, settings="s", done_shard=lambda p: False, stats=ReadStats()
    )
    assert len(shards) == feed.stat().st_size // 4096 == 4  # parts of at least MIN_SPAN
    assert {s.paths for s in shards} == {(str(feed),)}

    stored = {}
    for name, ex in (("inline", "inline"), ("ray", ray_executor)):
        with Store(tmp_path / f"{name}.duckdb") as store:
            summary = ingest([str(feed)], store, executor=ex, pipeline=light(), batch_size=4)
            again = ingest([str(feed)], store, executor=ex, pipeline=light(), batch_size=4)
            tables = [*STORED[:3], "SELECT * EXCLUDE (rejected_at) FROM rejected"]
            stored[name] = [store.con.execute(sql).fetchall() for sql in tables]
        assert (summary.read, summary.stored, dict(summary.rejected)) == (
            61, 60, {"malformed_jsonl": 1}
        )  # fmt: skip
        assert (again.shards_skipped, again.resumed, again.rejected_total) == (1, 61, 1)
    assert stored["ray"] == stored["inline"]
    assert stored["ray"][3][0][4] == "line 32"  # the malformed line, numbered from the top


def test_a_big_file_grown_since_the_last_run_is_finished_part_by_part(
    tmp_path: Path, ray_executor: RayExecutor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each part is told to skip only the stored lines it holds; the new lines are analysed
    and stored as inline stores them."""
    import sitrep.ray_ingest

    monkeypatch.setattr(sitrep.ray_ingest, "MIN_SPAN", 4096)
    feed = tmp_path / "grows.jsonl"

    def lines(start: int, stop: int) -> str:
        rows = [{"id": f"g{n}", "text": STORY.format(n=n)} for n in range(start, stop)]
        return "".join(json.dumps(row) + "\n" for row in rows)

    stored, summaries = {}, {}
    for name, ex in (("inline", "inline"), ("ray", ray_executor)):
        feed.write_text(lines(0, 40), encoding="utf-8")
        with Store(tmp_path / f"{name}.duckdb") as store:
            ingest([str(feed)], store, executor="inline", pipeline=light(), batch_size=4)
            with feed.open("a", encoding="utf-8") as f:
                f.write(lines(40, 60))
            s = ingest([str(feed)], store, executor=ex, pipeline=light(), batch_size=4)
            summaries[name] = (s.read, s.resumed, s.stored, s.already_stored)
            stored[name] = [store.con.execute(sql).fetchall() for sql in STORED[:3]]
            assert store.finished_shard(str(feed)) == 60
    assert summaries["ray"] == summaries["inline"] == (60, 40, 20, 0)
    assert stored["ray"] == stored["inline"]


def test_a_file_named_twice_is_read_twice_as_inline_reads_it(
    tmp_path: Path, ray_executor: RayExecutor
) -> None:
    """The same file through a symlink: two shards, two names in the spool, the rows of
    inline."""
    d = tmp_path / "in"
    d.mkdir()
    rows = [json.dumps({"id": f"s{n}", "text": STORY.format(n=n)}) for n in range(6)]
    (d / "a.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (d / "b.jsonl").symlink_to(d / "a.jsonl")
    stored = {}
    for name, ex in (("inline", "inline"), ("ray", ray_executor)):
        with Store(tmp_path / f"{name}.duckdb") as store:
            summary = ingest([str(d)], store, executor=ex, pipeline=light())
            stored[name] = [store.con.execute(sql).fetchall() for sql in STORED[:3]]
        assert summary.read == 12 and summary.stored == 6
    assert stored["ray"] == stored["inline"]


def test_a_shard_spooled_against_another_store_is_analysed_again(
    tmp_path: Path, ray_executor: RayExecutor
) -> None:
    """A shard analysed for a store that had some of its inputs left those out: loading it
    into a store that lacks them would lose them."""
    feed = tmp_path / "feed.jsonl"
    rows = [json.dumps({"id": f"o{n}", "text": STORY.format(n=n)}) for n in range(4)]
    feed.write_text("\n".join(rows[:2]) + "\n", encoding="utf-8")
    spool = tmp_path / "spool"
    with Store(tmp_path / "other.duckdb") as other:
        ingest([str(feed)], other, executor="inline", pipeline=light())
        feed.write_text("\n".join(rows) + "\n", encoding="utf-8")
        pipeline = light()
        [shard], _ = plan(
            [str(feed)],
            workers=2,
            settings=_settings(pipeline, 16, 10 * 1024 * 1024),
            done_shard=lambda p: False,
            stats=ReadStats(),
        )
        spool.mkdir()
        skip = other.done_in_files(shard.paths)
        assert len(skip) == 2
        ShardAnalyser(pipeline, str(spool), 16, 10 * 1024 * 1024).analyse(
            {"number": 0, "paths": [str(feed)], "key": shard.key, "skip": skip, "cwd": "/"}
        )
    with Store(tmp_path / "fresh.duckdb") as store:
        summary = ingest(
            [str(feed)], store, executor=ray_executor, pipeline=light(), spool=str(spool)
        )
        ids = sorted(r["input_id"] for r in store.articles())
    assert summary.stored == 4 and ids == [f"o{n}" for n in range(4)]
    assert spool.is_dir()  # a spool named by the caller stays


def test_rejections_on_ray_are_recorded_once_however_often_it_runs(
    tmp_path: Path, ray_executor: RayExecutor
) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(STORY.format(n=1), encoding="utf-8")
    (d / "b_binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" + bytes(range(256)) * 8)
    (d / "c.jsonl").write_text('{"id": "x", "text": \n{"id": "y"}\n', encoding="utf-8")
    with Store(tmp_path / "db.duckdb") as store:
        first = ingest([str(d)], store, executor=ray_executor, pipeline=light())
        again = ingest([str(d)], store, executor=ray_executor, pipeline=light())
        rejected = sorted((r["source"].rsplit("/", 1)[-1], r["reason"]) for r in store.rejected())
    assert first.stored == 1 and first.rejected_total == 3
    assert rejected == [
        ("b_binary.txt", "binary"), ("c.jsonl", "malformed_jsonl"), ("c.jsonl", "no_text")
    ]  # fmt: skip
    assert again.stored == 0 and again.rejected_total == 3


def test_stdin_on_ray_streams_to_the_actors(tmp_path: Path, ray_executor: RayExecutor) -> None:
    """Only the driver can read stdin, so `-` goes to Ray's actors batch by batch."""
    feed = "".join(
        json.dumps({"id": f"s{n}", "text": STORY.format(n=n)}) + "\n" for n in range(6)
    ).encode()
    with Store(tmp_path / "db.duckdb") as store:
        summary = ingest(
            ["-"], store, executor=ray_executor, pipeline=light(), stdin=io.BytesIO(feed),
            batch_size=2,
        )  # fmt: skip
        ids = sorted(r["input_id"] for r in store.articles())
    assert summary.stored == 6 and ids == [f"s{n}" for n in range(6)]


def test_a_pipe_on_ray_is_read_here_and_streamed_to_the_actors(
    tmp_path: Path, ray_executor: RayExecutor
) -> None:
    """A named pipe (what `<(zcat x.gz)` gives) cannot be opened by a worker process."""
    fifo = tmp_path / "feed"
    os.mkfifo(fifo)
    feed = "".join(
        json.dumps({"id": f"p{n}", "text": STORY.format(n=n)}) + "\n" for n in range(4)
    ).encode()

    def write() -> None:
        with open(fifo, "wb") as f:
            f.write(feed)

    writer = threading.Thread(target=write)
    writer.start()
    with Store(tmp_path / "db.duckdb") as store:
        summary = ingest([str(fifo)], store, executor=ray_executor, pipeline=light())
    writer.join()
    assert summary.stored == 4 and summary.rejected_total == 0


def test_articles_read_by_workers_are_the_articles_read_here(tmp_path: Path) -> None:
    """The worker reads with the same readers: same inputs, same keys, same order."""
    paths = tree(tmp_path / "in")
    spool = tmp_path / "spool"
    spool.mkdir()
    shards, _ = plan(paths, workers=2, settings="s", done_shard=lambda p: False, stats=ReadStats())
    worker = ShardAnalyser(light(), str(spool), 4, 10 * 1024 * 1024)
    from sitrep.ray_ingest import _records

    got = []
    for s in shards:
        m = worker.analyse(
            {"number": s.number, "paths": list(s.paths), "key": s.key, "skip": {}, "cwd": "/"}
        )
        got += [r.article.input_key for r in _records(m["parquet"])]
    assert got == [a.input_key for a in read_paths(paths) if isinstance(a, Article)]


@pytest.mark.slow
def test_a_ray_run_killed_with_sigkill_resumes_to_the_rows_of_an_uninterrupted_run(
    tmp_path: Path,
) -> None:
    """The driver is killed once a first shard is in the store; the rerun loads what was
    spooled, analyses the rest, and the database equals an uninterrupted run's."""
    rows = corpus_index()
    inputs = []
    for n in range(3):
        path = tmp_path / f"part{n}.jsonl.gz"
        with gzip.open(path, "wt", encoding="utf-8") as f:
            for r in rows[n * 50 : n * 50 + 50]:
                text = (CORPUS / r["file"]).read_text("utf-8")
                f.write(json.dumps({"id": r["file"], "text": text}) + "\n")
        inputs.append(str(path))
    cmd = [sys.executable, "-m", "sitrep", "ingest", *inputs, "--executor", "ray",
           "--batch-size", "4", "--db"]  # fmt: skip
    whole, killed = str(tmp_path / "whole.duckdb"), str(tmp_path / "killed.duckdb")
    subprocess.run([*cmd, whole], check=True, capture_output=True)

    proc = subprocess.Popen([*cmd, killed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _midway(killed):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(killed) as store:
        partial = store.count("inputs")
    assert 0 < partial < 150, "the run was not killed midway"

    resumed = subprocess.run([*cmd, killed], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert _snapshot(killed) == _snapshot(whole)
    assert not Path(killed + ".spool").exists()


def test_a_worker_writes_rows_as_it_reads_even_when_no_article_comes(tmp_path: Path) -> None:
    """A file of nothing but broken lines never fills a batch of articles: its rows must still
    go out a row group at a time, not pile up in the worker."""
    import pyarrow.parquet as pq

    feed = tmp_path / "bad.jsonl"
    feed.write_text("not json\n" * 1000, encoding="utf-8")
    spool = tmp_path / "spool"
    spool.mkdir()
    worker = ShardAnalyser(light(), str(spool), 16, 10_000)
    m = worker.analyse({"number": 0, "paths": [str(feed)], "key": "a" * 24, "skip": {}, "cwd": "/"})
    parquet = pq.ParquetFile(m["parquet"])
    assert parquet.metadata.num_rows == m["rows"] == 1000
    assert parquet.num_row_groups >= 1000 // 64
