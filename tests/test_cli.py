"""The `sitrep` command as a user runs it: exit codes, summaries, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb

from conftest import SEED, stale_gazetteer

SEED_RAW = SEED / "ceasefire-fr.raw.txt"


def sitrep(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitrep", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ingest_show_list_and_export(tmp_path: Path) -> None:
    db = str(tmp_path / "db.duckdb")
    run = sitrep("ingest", str(SEED_RAW), "--db", db, "--executor", "inline")
    assert run.returncode == 0, run.stderr
    assert "articles stored (new)" in run.stdout and "Traceback" not in run.stderr

    shown = sitrep("show", str(SEED_RAW), "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "Lundi soir, Blinken a appelé" in shown.stdout
    assert "repeated_copy" in shown.stdout and "site_name" in shown.stdout

    listed = sitrep("articles", "--db", db, "--format", "jsonl")
    (row,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert row["language"] == "fr"

    out = tmp_path / "articles.jsonl"
    assert sitrep("export", "--db", db, "--format", "jsonl", "-o", str(out)).returncode == 0
    (record,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["article_id"] == row["article_id"]
    assert {"url", "title", "language", "published", "published_inferred", "clean_text",
            "duplicate_of", "removed"} <= set(record)  # fmt: skip
    assert any(r["reason"] == "truncated" and r["line"] == 37 for r in record["removed"])

    csv_out = sitrep("export", "--db", db, "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("article_id,")

    pq = tmp_path / "articles.parquet"
    assert sitrep("export", "--db", db, "-f", "parquet", "-o", str(pq)).returncode == 0
    rows = duckdb.connect().execute("SELECT article_id FROM read_parquet(?)", [str(pq)]).fetchall()
    assert rows == [(row["article_id"],)]


def test_stdin_and_rejections_give_exit_status_three(tmp_path: Path) -> None:
    db = str(tmp_path / "db.duckdb")
    lines = b'{"id": "a", "text": "Des combats ont eu lieu lundi soir."}\n{oops\n'
    run = sitrep("ingest", "-", "--db", db, "--executor", "inline", stdin=lines)
    assert run.returncode == 3
    assert "malformed_jsonl" in run.stdout and "Traceback" not in run.stderr
    rejected = sitrep("rejected", "--db", db, "--format", "jsonl")
    (row,) = [json.loads(line) for line in rejected.stdout.splitlines()]
    assert (row["source"], row["locator"], row["reason"]) == ("-", "line 2", "malformed_jsonl")


def test_user_mistakes_are_one_line_errors_with_status_two(tmp_path: Path) -> None:
    missing_db = sitrep("articles", "--db", str(tmp_path / "none.duckdb"))
    assert missing_db.returncode == 2
    assert "sitrep ingest" in missing_db.stderr and "Traceback" not in missing_db.stderr
    db = str(tmp_path / "db.duckdb")
    sitrep("ingest", str(SEED_RAW), "--db", db, "--executor", "inline")
    unknown = sitrep("show", "ffffffffff", "--db", db)
    assert unknown.returncode == 2 and "matches no article" in unknown.stderr
    bad_executor = sitrep("ingest", str(SEED_RAW), "--db", db, "--executor", "cluster")
    assert bad_executor.returncode == 2 and "unknown executor" in bad_executor.stderr


def test_article_text_is_never_read_as_terminal_markup(tmp_path: Path) -> None:
    page = tmp_path / "markup.txt"
    page.write_text(
        "Clashes [bold]reported[/bold] near the border :fire:\n\n"
        "Officials said [link=http://evil.example]click here[/link] and :thumbs_up: twice.\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "db.duckdb")
    assert sitrep("ingest", str(page), "--db", db, "--executor", "inline").returncode == 0
    shown = sitrep("show", str(page), "--db", db)
    assert "[link=http://evil.example]click here[/link]" in shown.stdout
    assert ":thumbs_up:" in shown.stdout and "[bold]reported[/bold]" in shown.stdout


def test_a_rerun_reports_earlier_rejections_with_the_same_exit_status(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 5000 + "texte" + "</div>" * 5000, "utf-8")
    db = str(tmp_path / "db.duckdb")
    first = sitrep("ingest", str(deep), "--db", db, "--executor", "inline")
    again = sitrep("ingest", str(deep), "--db", db, "--executor", "inline")
    assert first.returncode == again.returncode == 3
    assert "too_deep" in again.stdout and "done by an earlier run" in again.stdout


def test_bad_output_paths_and_executors_are_user_errors(tmp_path: Path) -> None:
    db = str(tmp_path / "db.duckdb")
    sitrep("ingest", str(SEED_RAW), "--db", db, "--executor", "inline")
    for args in (["-f", "jsonl", "-o", "/nonexistent/x.jsonl"], ["-f", "jsonl", "-o", "/tmp"],
                 ["-f", "parquet", "-o", "/nonexistent/x.parquet"]):  # fmt: skip
        run = sitrep("export", "--db", db, *args)
        assert run.returncode == 2 and "cannot write" in run.stderr, args
        assert "Traceback" not in run.stderr
    other = tmp_path / "other.duckdb"
    run = sitrep("ingest", str(SEED_RAW), "--db", str(other), "--executor", "cluster")
    assert run.returncode == 2 and not other.exists()


def test_jsonl_output_is_the_stored_text_exactly(tmp_path: Path) -> None:
    line = {"id": "e1", "title": "Alert :warning: in Kyiv [bold]now[/bold]",
            "text": "Explosions :boom: were heard near the station on Monday night."}  # fmt: skip
    db = str(tmp_path / "db.duckdb")
    ingest = sitrep("ingest", "-", "--db", db, "--executor", "inline",
                    stdin=(json.dumps(line) + "\n").encode())  # fmt: skip
    assert ingest.returncode == 0, ingest.stderr
    (row,) = [
        json.loads(x) for x in sitrep("articles", "--db", db, "-f", "jsonl").stdout.split("\n") if x
    ]
    assert row["title"] == line["title"]
    shown = json.loads(sitrep("show", "e1", "--db", db, "-f", "jsonl").stdout)
    assert line["text"] in shown["clean_text"]


def test_parquet_export_of_an_empty_store_keeps_typed_columns(tmp_path: Path) -> None:
    db = str(tmp_path / "db.duckdb")
    sitrep("ingest", str(tmp_path / "missing.txt"), "--db", db)  # creates the store, rejects
    pq = tmp_path / "a.parquet"
    assert sitrep("export", "--db", db, "-f", "parquet", "-o", str(pq)).returncode == 0
    types = dict(
        duckdb.connect()
        .execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
                 [str(pq)])
        .fetchall()
    )  # fmt: skip
    assert types["published"] == "DATE" and types["duplicate_of"] == "VARCHAR"
    assert types["published_inferred"] == "BOOLEAN"


def test_show_finds_an_article_by_any_spelling_of_its_path_and_lists_ambiguity(
    tmp_path: Path,
) -> None:
    lines = tmp_path / "two.jsonl"
    lines.write_text(
        json.dumps({"id": "x1", "text": "Des combats ont éclaté lundi soir près de Goris."})
        + "\n"
        + json.dumps({"id": "x2", "text": "Le cessez-le-feu a été rompu mardi à Jermuk."})
        + "\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "db.duckdb")
    sitrep("ingest", str(SEED_RAW), str(lines), "--db", db, "--executor", "inline")
    relative = subprocess.run(
        [sys.executable, "-m", "sitrep", "show", SEED_RAW.name, "--db", db],
        capture_output=True, text=True, cwd=SEED_RAW.parent,
    )  # fmt: skip
    assert relative.returncode == 0 and "Lundi soir, Blinken" in relative.stdout
    both = sitrep("show", str(lines), "--db", db)
    assert both.returncode == 2 and "matches 2 articles" in both.stderr
    assert "Jermuk" in sitrep("show", "x2", "--db", db).stdout


def test_a_missing_or_stale_gazetteer_is_one_line_naming_the_command(tmp_path: Path) -> None:
    import os

    stale = stale_gazetteer(tmp_path / "old.sqlite")
    for gazetteer in (tmp_path / "none.sqlite", stale):
        for executor in ("inline", "pool"):
            run = subprocess.run(
                [sys.executable, "-m", "sitrep", "ingest", str(SEED_RAW), "--executor", executor,
                 "--db", str(tmp_path / "db.duckdb")],
                capture_output=True, text=True, timeout=300,
                env={**os.environ, "SITREP_GAZETTEER": str(gazetteer)},
            )  # fmt: skip
            assert run.returncode == 2, (executor, run.stderr)
            assert "Traceback" not in run.stderr
            errors = [line for line in run.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1
            assert "sitrep gazetteer build" in run.stderr.replace("\n", " ")


def test_extract_prints_contract_records_with_sources_indexing_the_clean_text(
    tmp_path: Path,
) -> None:
    import sitrep as api

    seed = SEED / "ceasefire-fr.raw.txt"
    bad = tmp_path / "broken.jsonl"
    bad.write_text(
        '{"id": "a", "text": "Des combats ont éclaté lundi à Goris.", "language": "fr"}\n{nope\n'
    )
    done = sitrep("extract", str(seed), str(bad))
    assert done.returncode == 3  # the malformed line is rejected, the rest is extracted
    assert "malformed" in done.stderr or "json" in done.stderr.lower()
    records = [json.loads(line) for line in done.stdout.splitlines()]
    clean = api.analyse(seed.read_text(encoding="utf-8")).clean_text or ""
    from_seed = [r for r in records if r["sources"][0]["input_id"] == str(seed)]
    assert len(from_seed) >= 10
    for r in from_seed:
        for s in r["sources"]:
            assert clean[s["char_start"] : s["char_end"]] == s["sentence"]
    assert any(r["sources"][0]["input_id"] == "a" for r in records)
    table = sitrep("extract", "--format", "table", str(seed))
    assert table.returncode == 0 and "Goris" in table.stdout


def test_eval_scores_a_gold_file_and_prints_json(tmp_path: Path) -> None:
    done = sitrep("eval", str(SEED / "ceasefire-fr.gold.jsonl"), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["overall"]["events"]["tp"] >= 10
    bad = tmp_path / "bad.gold.jsonl"
    bad.write_text("{not json\n")
    failed = sitrep("eval", str(bad))
    assert failed.returncode == 2 and "bad.gold.jsonl:1" in failed.stderr
