"""The time and published stages inside the pipeline."""

from __future__ import annotations

import pickle
from dataclasses import replace
from datetime import date

import pytest

from sitrep.errors import ConfigError
from sitrep.model import AnalysedArticle, Article
from sitrep.pipeline import Pipeline, Stage
from sitrep.time.published import PublishedStage
from sitrep.time.stage import TimeStage

SEED_PUBLISHED = date(2022, 9, 13)


def _item(text: str, language: str | None, published: date | None) -> AnalysedArticle:
    article = Article(input_id="t", source="-", text=text)
    return AnalysedArticle(
        article=article, text=text, clean_text=text, language=language, published=published
    )


def _texts_and_dates(item: AnalysedArticle) -> list[tuple[str, str | None]]:
    return [(t.text, t.date) for t in item.times]


def test_time_stage_contract() -> None:
    assert TimeStage.name == "time"
    assert TimeStage.requires == frozenset({"clean_text", "language", "published"})
    assert TimeStage.provides == frozenset({"times"})


def test_time_stage_fills_times_from_clean_text(seed_raw: str) -> None:
    stage = TimeStage()
    stage.setup()
    (done,) = stage.process_batch([_item(seed_raw, "fr", SEED_PUBLISHED)])
    found = dict(_texts_and_dates(done))
    assert found["Lundi soir"] == "2022-09-12"
    assert found["mardi"] == "2022-09-13"
    assert "time" not in done.skipped
    assert all(t.text == seed_raw[t.start : t.end] for t in done.times)


def test_each_article_resolves_against_its_own_date() -> None:
    stage = TimeStage()
    a = _item("Les frappes ont eu lieu mardi.", "fr", date(2022, 9, 13))
    b = _item("Strikes hit the town on Tuesday.", "en", date(2022, 9, 19))
    forward = stage.process_batch([a, b])
    backward = stage.process_batch([b, a])
    assert _texts_and_dates(forward[0]) == [("mardi", "2022-09-13")]
    assert _texts_and_dates(forward[1]) == [("Tuesday", "2022-09-13")]
    assert [_texts_and_dates(x) for x in forward] == [_texts_and_dates(x) for x in backward[::-1]]


@pytest.mark.parametrize(("language", "shown"), [("de", "de"), (None, "")])
def test_unsupported_language_is_skipped_with_its_reason(language: str | None, shown: str) -> None:
    item = replace(_item("Am Dienstag, 13. September 2022", language, SEED_PUBLISHED),
                   skipped={"places": "no gazetteer"})  # fmt: skip
    (done,) = TimeStage().process_batch([item])
    assert done.times == ()
    assert done.skipped == {"places": "no gazetteer", "time": f"unsupported language '{shown}'"}


def test_time_stage_without_publication_date_keeps_spans() -> None:
    (done,) = TimeStage().process_batch([_item("Mardi soir, le 13 septembre 2022.", "fr", None)])
    assert _texts_and_dates(done) == [("Mardi soir", None), ("13 septembre 2022", "2022-09-13")]


def test_time_stage_travels_to_workers() -> None:
    stage = pickle.loads(pickle.dumps(TimeStage()))
    (done,) = stage.process_batch([_item("hier", "fr", SEED_PUBLISHED)])
    assert _texts_and_dates(done) == [("hier", "2022-09-12")]


def test_pipeline_checks_what_the_time_stage_needs() -> None:
    with pytest.raises(ConfigError, match="time"):
        Pipeline([TimeStage()])


class _Given(Stage):
    """Stands for the read, clean and language stages."""

    name = "given"
    requires = frozenset({"article"})
    provides = frozenset({"clean_text", "language", "published"})

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return batch


def test_published_then_time_in_a_pipeline(seed_raw: str) -> None:
    pipeline = Pipeline([_Given(), PublishedStage(), TimeStage()])
    (done,) = pipeline([_item(seed_raw, "fr", None)])
    assert (done.published, done.published_inferred) == (SEED_PUBLISHED, True)
    assert dict(_texts_and_dates(done))["Lundi soir"] == "2022-09-12"


# --- PublishedStage -----------------------------------------------------------------------------


def test_published_stage_contract() -> None:
    assert PublishedStage.requires == frozenset({"published", "clean_text", "language"})
    assert "published_inferred" in PublishedStage.provides


def test_metadata_date_is_kept_and_not_inferred(seed_raw: str) -> None:
    (done,) = PublishedStage().process_batch([_item(seed_raw, "fr", date(2022, 9, 14))])
    assert (done.published, done.published_inferred, done.published_confidence) == (
        date(2022, 9, 14),
        False,
        None,
    )


def test_missing_date_is_inferred_from_the_text(seed_raw: str) -> None:
    (done,) = PublishedStage().process_batch([_item(seed_raw, "fr", None)])
    assert (done.published, done.published_inferred) == (SEED_PUBLISHED, True)
    assert done.published_confidence is not None and 0 < done.published_confidence <= 1


def test_text_without_dates_stays_undated() -> None:
    (done,) = PublishedStage().process_batch([_item("Le conseil a voté la motion.", "fr", None)])
    assert (done.published, done.published_inferred, done.published_confidence) == (
        None,
        False,
        None,
    )
