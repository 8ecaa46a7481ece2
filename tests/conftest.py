"""Shared fixtures: the `shared/` folder beside the checkout holds the seed and the corpus."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed"
CORPUS = SHARED / "corpus" / "wikinews"


def stale_gazetteer(path: Path) -> Path:
    """A gazetteer file as an older sitrep wrote it: readable, but of another schema version."""
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    con.commit()
    con.close()
    return path


def corpus_index() -> list[dict[str, str]]:
    with open(CORPUS / "INDEX.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="session")
def seed_raw() -> str:
    return (SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8")
