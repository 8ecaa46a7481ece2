"""The export contract as a check: real records keep it, and each kind of breach is named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from sitrep.events.contract import problems
from sitrep.events.run import event_rows
from sitrep.ingest import default_pipeline
from sitrep.model import AnalysedArticle, Article
from sitrep.read import read_paths

from conftest import CORPUS, SEED


@pytest.fixture(scope="module")
def analysed() -> list[AnalysedArticle]:
    """The seed and 40 Wikinews articles, French and English, through the whole pipeline."""
    files = sorted((CORPUS / "fr").iterdir())[:20] + sorted((CORPUS / "en").iterdir())[:20]
    paths = [str(SEED / "ceasefire-fr.raw.txt"), *map(str, files)]
    arts = [a for a in read_paths(paths) if isinstance(a, Article)]
    pipeline = default_pipeline()
    out: list[AnalysedArticle] = []
    for i in range(0, len(arts), 16):
        out += pipeline([AnalysedArticle(article=a) for a in arts[i : i + 16]])
    return out


def test_every_event_of_real_articles_keeps_the_contract(analysed: list[AnalysedArticle]) -> None:
    texts = {a.article_id: a.clean_text or "" for a in analysed if a.rejection is None}
    records = [r for a in analysed for r in event_rows(a)]
    assert len(records) > 50
    assert {r["event_id"]: problems(r, texts) for r in records if problems(r, texts)} == {}


BREACHES: list[tuple[str, Any]] = [
    ("type", "bombing_maybe"),
    ("class", "warfare"),
    ("event_date", "13/09/2022"),
    ("time_precision", 4),
    ("geo_precision", None),
    ("historical", "no"),
    ("country", "Armenia"),
    ("latitude", 123.0),
    ("weapons", ["catapult"]),
    ("fatalities", -3),
    ("status", "rumoured"),
    ("confidence", 1.5),
    ("sources", []),
    ("targets", "Russia"),
    ("event_date", "20220913"),
    ("event_time", "2022-09-13T06:00:00+04:00"),
    ("notes", None),
    ("weapons", [["artillery"]]),
]


@pytest.mark.parametrize(("field", "value"), BREACHES)
def test_each_breach_is_named(analysed: list[AnalysedArticle], field: str, value: Any) -> None:
    record = next(r for a in analysed for r in event_rows(a) if r["latitude"] is not None)
    assert problems(record) == []
    broken = copy.deepcopy(record)
    broken[field] = value
    assert any(p.startswith(field) for p in problems(broken)), problems(broken)


def test_a_sentence_that_is_not_at_its_offsets_is_named(analysed: list[AnalysedArticle]) -> None:
    texts = {a.article_id: a.clean_text or "" for a in analysed if a.rejection is None}
    record = next(r for a in analysed for r in event_rows(a))
    broken = copy.deepcopy(record)
    broken["sources"][0]["char_start"] += 1
    assert problems(record, texts) == []
    assert any("is not the sentence given" in p for p in problems(broken, texts))


def test_a_missing_or_unknown_field_is_named(analysed: list[AnalysedArticle]) -> None:
    record = next(r for a in analysed for r in event_rows(a))
    fewer = {k: v for k, v in record.items() if k != "geonames_id"}
    assert any("geonames_id" in p for p in problems(fewer))
    assert any("extra" in p for p in problems({**record, "extra": 1}))
