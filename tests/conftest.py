"""Shared fixtures: the `shared/` folder beside the checkout holds the seed and the corpus."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed"
CORPUS = SHARED / "corpus" / "wikinews"


def corpus_index() -> list[dict[str, str]]:
    with open(CORPUS / "INDEX.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="session")
def seed_raw() -> str:
    return (SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8")
