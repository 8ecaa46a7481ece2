"""The Python API: what the CLI does, in two lines of a notebook."""

from __future__ import annotations

import json
from pathlib import Path

import sitrep
from sitrep.ingest import ingest

from conftest import SEED


def test_analyse_cleans_and_tags_one_article_in_process() -> None:
    raw = (SEED / "ceasefire-fr.raw.txt").read_text("utf-8")
    art = sitrep.analyse(raw, published="2022-09-13")
    expected = json.loads((SEED / "ceasefire-fr.clean.json").read_text("utf-8"))
    assert art.rejection is None
    assert art.title == expected["title"] and list(art.paragraphs) == expected["paragraphs"]
    assert art.language == "fr" and art.published is not None
    assert art.published.isoformat() == "2022-09-13" and not art.published_inferred


def test_analyse_reports_a_rejection_instead_of_raising() -> None:
    art = sitrep.analyse("0\n158\nShare this article")
    assert art.rejection is not None and art.rejection.reason == "no_content"


def test_open_reads_what_ingest_wrote(tmp_path: Path) -> None:
    db = tmp_path / "db.duckdb"
    with sitrep.open(str(db)) as store:
        ingest([str(SEED / "ceasefire-fr.raw.txt")], store, executor="inline")
    with sitrep.open(str(db), read_only=True) as store:
        (row,) = store.articles(language="fr")
    assert row["title"].startswith("La Russie affirme")
