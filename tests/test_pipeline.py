"""The Stage contract, failure isolation, and executors that never change results."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

import pytest

from sitrep.errors import ConfigError
from sitrep.model import AnalysedArticle, Article
from sitrep.pipeline import InlineExecutor, Pipeline, PoolExecutor, Stage, make_executor, run

from conftest import CORPUS, corpus_index


@dataclass(kw_only=True)
class Upper(Stage):
    name: ClassVar[str] = "upper"
    requires: ClassVar[frozenset[str]] = frozenset({"article"})
    provides: ClassVar[frozenset[str]] = frozenset({"text"})

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        out = []
        for a in batch:
            if "boom" in (a.article.text or ""):
                raise RuntimeError("this article breaks the stage")
            out.append(replace(a, text=(a.article.text or "").upper()))
        return out


@dataclass(kw_only=True)
class NeedsClean(Stage):
    name: ClassVar[str] = "needs_clean"
    requires: ClassVar[frozenset[str]] = frozenset({"clean_text"})
    provides: ClassVar[frozenset[str]] = frozenset({"language"})

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return batch


def art(text: str, n: int = 0) -> Article:
    return Article(input_id=f"a{n}", source="test", locator=str(n), text=text)


def test_a_stage_whose_requirements_nothing_provides_fails_at_build_time() -> None:
    with pytest.raises(ConfigError, match=r"needs_clean.*clean_text"):
        Pipeline([Upper(), NeedsClean()])


def test_one_bad_article_is_rejected_and_its_batch_neighbours_survive() -> None:
    pipe = Pipeline([Upper()])
    out = list(run(pipe, [art("ok one", 1), art("boom", 2), art("ok two", 3)], batch_size=3))
    assert [a.text for a in out] == ["OK ONE", None, "OK TWO"]
    rejection = out[1].rejection
    assert rejection is not None
    assert (rejection.stage, rejection.reason, rejection.locator) == ("upper", "upper_failed", "2")
    assert "this article breaks the stage" in rejection.detail


def test_unknown_executor_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="inline, pool, ray"):
        make_executor("cluster")
    with pytest.raises(ConfigError, match="--executor ray"):
        make_executor("pool", address="auto")  # a cluster's address means nothing to a pool


def test_pool_and_inline_executors_give_identical_results() -> None:
    from sitrep.ingest import default_pipeline

    rows = corpus_index()[:40]
    articles = [
        Article(input_id=r["file"], source=r["file"], text=(CORPUS / r["file"]).read_text("utf-8"))
        for r in rows
    ]
    inline = list(run(default_pipeline(), articles, InlineExecutor(), batch_size=4))
    pool = PoolExecutor(workers=2)
    try:
        pooled = list(run(default_pipeline(), articles, pool, batch_size=4))
    finally:
        pool.close()
    assert [a.input_id for a in (x.article for x in pooled)] == [r["file"] for r in rows]
    assert pooled == inline
    assert all(a.rejection is None and a.clean_text for a in pooled)


@dataclass(kw_only=True)
class CountsSetup(Stage):
    """Appends its process id to a file each time it loads its resources."""

    name: ClassVar[str] = "counts_setup"
    requires: ClassVar[frozenset[str]] = frozenset({"article"})
    provides: ClassVar[frozenset[str]] = frozenset({"text"})
    log_path: str

    def setup(self) -> None:
        with open(self.log_path, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return [replace(a, text=a.article.text) for a in batch]


def test_pool_loads_resources_once_per_worker_and_never_in_the_parent(tmp_path: Path) -> None:
    log = tmp_path / "setup.log"
    pipe = Pipeline([CountsSetup(log_path=str(log))])
    pool = PoolExecutor(workers=2)
    try:
        out = list(run(pipe, [art(f"text {n}", n) for n in range(200)], pool, batch_size=2))
    finally:
        pool.close()
    assert [a.text for a in out] == [f"text {n}" for n in range(200)]
    pids = log.read_text().split()
    assert len(pids) == len(set(pids)) <= 2  # 100 batches, at most one setup per worker
    assert str(os.getpid()) not in pids


#: Every stored row but the clock's: what an executor must not change.
STORED = (
    "SELECT * EXCLUDE (ingested_at) FROM articles ORDER BY article_id",
    "SELECT * EXCLUDE (ingested_at) FROM inputs ORDER BY ALL",
    "SELECT * FROM removed ORDER BY ALL",
    "SELECT * FROM mentions ORDER BY ALL",
    "SELECT * FROM reports ORDER BY report_id",
    "SELECT * FROM events ORDER BY event_id",
    "SELECT * FROM claims ORDER BY ALL",
    "SELECT * FROM sources ORDER BY ALL",
    "SELECT * FROM ceasefires ORDER BY ALL",
)
REJECTED = "SELECT * EXCLUDE (rejected_at) FROM rejected ORDER BY ALL"


def mixed_inputs(root: Path) -> list[str]:
    """Corpus articles as text files, a JSONL file and a gzipped WARC, with bad inputs among
    them: what each executor must store identically. Ray Data reads these on its workers."""
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rows = corpus_index()
    texts = [(r, (CORPUS / r["file"]).read_text(encoding="utf-8")) for r in rows]
    root.mkdir()
    jsonl = root / "batch.jsonl"
    lines = [json.dumps({"id": r["file"], "text": t, "url": r["url"], "published": r["published"]})
             for r, t in texts[14:20]]  # fmt: skip
    lines.insert(3, '{"id": "broken", "text": ')  # a malformed line, recorded and skipped
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warc = root / "crawl.warc.gz"
    with open(warc, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for r, t in texts[-20:-16]:
            paras = "".join(f"<p>{p}</p>" for p in t.split("\n\n"))
            page = f"<html><head><title>{r['title']}</title></head><body><article>{paras}"
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0"
            )
            writer.write_record(writer.create_warc_record(
                r["url"], "response", payload=io.BytesIO(page.encode()), http_headers=headers
            ))  # fmt: skip
    binary = root / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    files = [str(CORPUS / r["file"]) for r, _ in texts[:10] + texts[-10:]]
    return [*files[:5], str(jsonl), *files[5:15], str(binary), str(warc), *files[15:]]


def test_inline_pool_and_ray_store_the_same_rows(tmp_path: Path) -> None:
    """The same inputs through each executor give the same rows, not just the same counts;
    `ray` here is the Ray Data path, whose workers read the files themselves."""
    from sitrep.ingest import ingest
    from sitrep.store import Store

    paths = mixed_inputs(tmp_path / "in")
    stored, summaries = {}, {}
    for name in ("inline", "pool", "ray"):
        store = Store(tmp_path / f"{name}.duckdb")
        summary = ingest(paths, store, executor=name, batch_size=4)
        summaries[name] = (summary.read, summary.stored, dict(summary.rejected),
                           summary.already_stored, summary.resumed, summary.skipped_files,
                           summary.shards_skipped, summary.duplicates)  # fmt: skip
        stored[name] = [store.con.execute(sql).fetchall() for sql in (*STORED, REJECTED)]
        store.close()
    assert summaries["inline"][:3] == (32, 30, {"malformed_jsonl": 1, "binary": 1})
    assert stored["inline"][5] and len(stored["inline"][-1]) == 2  # events; rejections
    assert stored["pool"] == stored["inline"]
    assert summaries["pool"] == summaries["inline"]
    assert stored["ray"] == stored["inline"]
    assert summaries["ray"] == summaries["inline"]
    assert not (tmp_path / "ray.duckdb.spool").exists()  # every shard loaded, the spool emptied
