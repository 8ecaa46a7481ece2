"""End to end: files in, rows in the store; re-runs, republished copies, bad input, kill -9."""

from __future__ import annotations

import gzip
import io
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitrep.errors import SitrepError
from sitrep.ingest import default_pipeline, ingest
from sitrep.model import AnalysedArticle
from sitrep.pipeline import Pipeline, PoolExecutor, Stage
from sitrep.store import Store

from conftest import CORPUS, SEED, NewDb, corpus_index

SEED_RAW = SEED / "ceasefire-fr.raw.txt"


def norm(text: str) -> str:
    return " ".join(text.split())


def test_seed_is_stored_once_with_its_expected_clean_paragraphs(tmp_path: Path) -> None:
    with Store(tmp_path / "db.duckdb") as store:
        first = ingest([str(SEED_RAW)], store, executor="inline")
        second = ingest([str(SEED_RAW)], store, executor="inline")
        (row,) = store.articles()
        art = store.article(row["article_id"])
    assert (first.stored, first.rejected_total) == (1, 0)
    assert (second.stored, second.resumed) == (0, 1)
    assert art is not None
    expected = json.loads((SEED / "ceasefire-fr.clean.json").read_text("utf-8"))
    assert [norm(p) for p in art["paragraphs"]] == [norm(p) for p in expected["paragraphs"]]
    assert art["language"] == "fr" and art["title"] == expected["title"]
    # no metadata date: the text's "mardi", "lundi" and "septembre 13" pin it
    assert str(art["published"]) == "2022-09-13" and art["published_inferred"] is True
    assert {r["reason"] for r in art["removed"]} >= {"counters", "site_name", "repeated_copy"}
    kinds = {m["kind"] for m in art["mentions"]}
    assert kinds == {"place", "time", "actor"}
    goris = [m for m in art["mentions"] if m["kind"] == "place" and m["text"] == "Goris"]
    assert goris and goris[0]["detail"]["place"]["geonames_id"] == 174895


def test_a_copy_with_other_boilerplate_is_marked_duplicate_of_the_seed(tmp_path: Path) -> None:
    raw = SEED_RAW.read_text("utf-8")
    _, _, body = raw.partition("\n")
    copy = tmp_path / "republished.txt"
    copy.write_text(
        "Cessez-le-feu à la frontière arméno-azerbaïdjanaise\n\n"
        "Partager : Facebook | Twitter\n1 204 vues\n"
        + body.replace("Nostress Media Ltd", "Le Courrier du Caucase")
        + "\nLire aussi : la guerre de 2020 au Haut-Karabakh\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "db.duckdb") as store:
        ingest([str(SEED_RAW)], store, executor="inline")
        summary = ingest([str(copy)], store, executor="inline")
        rows = {r["input_id"]: r for r in store.articles()}
    assert summary.stored == 1 and summary.duplicates == 1
    seed_id = rows[str(SEED_RAW)]["article_id"]
    assert rows[str(copy)]["duplicate_of"] == seed_id
    assert rows[str(SEED_RAW)]["duplicate_of"] is None


@pytest.mark.slow
def test_the_whole_wikinews_corpus_ingests_with_the_right_language(tmp_path: Path) -> None:
    index = {str(CORPUS / r["file"]): r["language"] for r in corpus_index()}
    with Store(tmp_path / "db.duckdb") as store:
        summary = ingest([str(CORPUS)], store, executor="pool")
        langs = {r["input_id"]: r["language"] for r in store.articles()}
    assert summary.rejected_total == 0 and summary.read == 170
    assert langs == index


def _warc(path: Path, pages: list[bytes]) -> None:
    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for n, page in enumerate(pages):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0"
            )
            record = writer.create_warc_record(
                f"https://example.org/{n}", "response", payload=io.BytesIO(page),
                http_headers=headers,
            )  # fmt: skip
            writer.write_record(record)


def test_bad_inputs_are_recorded_and_the_run_goes_on(tmp_path: Path, new_db: NewDb) -> None:
    good = "<html><body><article>" + "<p>Des tirs d'artillerie ont visé la ville mardi.</p>" * 5
    d = tmp_path / "in"
    d.mkdir()
    (d / "a_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (d / "b_empty.txt").write_bytes(b"")
    (d / "c_huge.html").write_bytes(b"<html><body>" + b"<p>x</p>" * (50 * 1024 * 1024 // 8))
    (d / "d_nested.html").write_text(
        "<html><body>" + "<div>" * 100_000 + "texte" + "</div>" * 100_000, encoding="utf-8"
    )
    (d / "e_lines.jsonl").write_text(
        json.dumps({"id": "ok-1", "text": "Les combats ont repris lundi près de la frontière."})
        + "\n{not json\n"
        + json.dumps({"id": "ok-2", "text": "Le cessez-le-feu a été rompu mardi matin."})
        + "\n",
        encoding="utf-8",
    )
    _warc(d / "f_cut.warc.gz", [good.encode(), (good + "<p>deuxième</p>").encode()])
    whole = (d / "f_cut.warc.gz").read_bytes()
    (d / "f_cut.warc.gz").write_bytes(whole[: len(whole) - 60])
    (d / "g_seed.txt").write_bytes(SEED_RAW.read_bytes())
    with Store(new_db("db")) as store:
        summary = ingest([str(d)], store, executor="pool")
        rejected = {(Path(r["source"]).name, r["reason"]) for r in store.rejected()}
        stored = {r["input_id"] for r in store.articles()}
    assert ("a_binary.txt", "binary") in rejected
    assert ("b_empty.txt", "empty") in rejected
    assert ("c_huge.html", "too_large") in rejected
    assert any(name == "d_nested.html" for name, _ in rejected)
    assert ("e_lines.jsonl", "malformed_jsonl") in rejected
    assert any(name == "f_cut.warc.gz" for name, _ in rejected)
    assert {"ok-1", "ok-2", str(d / "g_seed.txt"), "https://example.org/0"} <= stored
    assert summary.rejected_total == len(rejected) == 6


def _snapshot(db: str) -> dict:
    with Store(db) as store:
        return store.snapshot()


@pytest.mark.slow
def test_a_run_killed_with_sigkill_resumes_to_the_rows_of_an_uninterrupted_run(
    tmp_path: Path, new_db: NewDb
) -> None:
    # several copies of the corpus, so the run lasts long enough to be killed midway
    inputs = []
    for n in range(3):
        lines = tmp_path / f"corpus{n}.jsonl.gz"
        with gzip.open(lines, "wt", encoding="utf-8") as f:
            for r in corpus_index():
                text = (CORPUS / r["file"]).read_text("utf-8")
                f.write(json.dumps({"id": f"{n}:{r['file']}", "text": text}) + "\n")
        inputs.append(str(lines))
    cmd = [sys.executable, "-m", "sitrep", "ingest", *inputs, "--executor", "inline",
           "--batch-size", "2", "--db"]  # fmt: skip
    whole, killed = new_db("whole"), new_db("killed")
    subprocess.run([*cmd, whole], check=True, capture_output=True)

    proc = subprocess.Popen([*cmd, killed], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _midway(killed):
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Store(killed) as store:
        partial = store.count("inputs")
    assert 0 < partial < 3 * 170, "the run was not killed midway"

    resumed = subprocess.run([*cmd, killed], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert _snapshot(killed) == _snapshot(whole)


def test_a_jsonl_headline_becomes_the_title_and_corrected_metadata_is_redone(
    tmp_path: Path,
) -> None:
    body = SEED_RAW.read_text("utf-8")
    lines = tmp_path / "a.jsonl"
    lines.write_text(json.dumps({"id": "m1", "text": body}) + "\n", encoding="utf-8")
    with Store(tmp_path / "db.duckdb") as store:
        ingest([str(lines)], store, executor="inline")
        (first,) = store.articles()
        assert first["title"] == body.split("\n", 1)[0]
        assert first["published_inferred"] is True  # from the text, until metadata gives it
        lines.write_text(
            json.dumps({"id": "m1", "text": body, "published": "2022-09-13"}) + "\n",
            encoding="utf-8",
        )
        again = ingest([str(lines)], store, executor="inline")
        assert again.resumed == 0 and again.already_stored == 1
        assert store.count("inputs") == 2


@dataclass(kw_only=True)
class DiesOnBoom(Stage):
    """Kills its worker process on an article saying "boom", as an OOM killer would."""

    name: ClassVar[str] = "dies"
    requires: ClassVar[frozenset[str]] = frozenset({"text"})
    provides: ClassVar[frozenset[str]] = frozenset()

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        if any("boom" in (a.text or "") for a in batch):
            os._exit(9)
        return batch


def test_a_dead_worker_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    pipe = Pipeline([*default_pipeline().stages, DiesOnBoom()])
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Des tirs ont visé la ville frontalière mardi matin.", "utf-8")
    (d / "b.txt").write_text("boom", "utf-8")
    pool = PoolExecutor(workers=2)
    try:
        with Store(tmp_path / "db.duckdb") as store, pytest.raises(SitrepError, match="resume"):
            ingest([str(d)], store, executor=pool, pipeline=pipe, batch_size=1)
    finally:
        pool.close()


def _midway(db: str) -> bool:
    """Some batches are committed: DuckDB's write-ahead log has grown (the file is locked by
    the writer); PostgreSQL, with other clients welcome, says how many inputs it has."""
    if not Store.is_server(db):
        wal = Path(db + ".wal")
        return wal.exists() and wal.stat().st_size > 200_000
    import psycopg

    with psycopg.connect(db) as con:
        found = con.execute(b"SELECT to_regclass('inputs') IS NOT NULL").fetchone()
        if not found or not found[0]:
            return False
        row = con.execute(b"SELECT count(*) FROM inputs").fetchone()
    return bool(row and row[0] > 40)


def test_a_finished_jsonl_file_is_skipped_whole_until_it_changes(
    tmp_path: Path, new_db: NewDb
) -> None:
    shard = tmp_path / "shard.jsonl"
    lines = [
        json.dumps({"id": f"r{n}", "title": f"Protest in town {n}",
                    "text": f"Hundreds of people protested in the town of Sotk on day {n}."})
        for n in range(3)
    ] + ["{not json"]  # fmt: skip
    shard.write_text("\n".join(lines) + "\n", encoding="utf-8")
    store = Store(new_db("s"))
    first = ingest([str(shard)], store, executor="inline")
    assert (first.read, first.stored, first.rejected_total, first.shards_skipped) == (4, 3, 1, 0)
    again = ingest([str(shard)], store, executor="inline")
    # not read at all: its four inputs (three articles, one malformed line) are counted as done
    assert (again.read, again.resumed, again.shards_skipped) == (0, 4, 1)
    assert store.count("articles") == 3
    # a file that grew is read again; only its new record goes through the pipeline (the
    # malformed line is found, and recorded, again)
    with shard.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "r9", "text": "Clashes broke out near Goris on Monday."}))
        fh.write("\n")
    grown = ingest([str(shard)], store, executor="inline")
    assert (grown.read, grown.resumed, grown.stored, grown.rejected_total) == (5, 3, 1, 1)
    assert ingest([str(shard)], store, executor="inline").shards_skipped == 1
    store.close()
