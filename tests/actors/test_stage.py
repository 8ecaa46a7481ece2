"""The actors stage, and actors found in real articles: the seed and the Wikinews corpus."""

from __future__ import annotations

import pickle
import time
from dataclasses import replace
from datetime import date

import pytest

from sitrep.actors import ActorStage, find_actors
from sitrep.clean import clean
from sitrep.model import AnalysedArticle, Article
from sitrep.pipeline import Pipeline

from conftest import CORPUS, corpus_index

SEED_DATE = date(2022, 9, 13)


def article(text: str, language: str | None, published: date | None = None) -> AnalysedArticle:
    return AnalysedArticle(
        article=Article(input_id="t", source="-", text=text),
        clean_text=text,
        language=language,
        published=published,
    )


@pytest.fixture(scope="module")
def seed_clean(seed_raw: str) -> str:
    return clean(seed_raw, title=seed_raw.split("\n", 1)[0]).clean_text


def corpus_article(name: str) -> tuple[str, str, date | None]:
    row = next(r for r in corpus_index() if r["file"].startswith(name))
    raw = (CORPUS / row["file"]).read_text(encoding="utf-8")
    try:
        published: date | None = date.fromisoformat(row["published"][:10])
    except ValueError:
        published = None  # some English items only give a date range
    return clean(raw, title=raw.split("\n", 1)[0]).clean_text, row["language"], published


# --- the stage ----------------------------------------------------------------------------------


def test_stage_contract() -> None:
    assert ActorStage.name == "actors"
    assert ActorStage.requires == {"clean_text", "language", "published"}
    assert ActorStage.provides == {"actors"}


def test_stage_finds_actors_and_skips_unsupported_languages_with_a_reason() -> None:
    stage = ActorStage()
    stage.setup()
    before = replace(article("Die Armee", "de"), skipped={"places": "no parse"})
    done = stage.process_batch(
        [article("L'armée russe a tiré.", "fr", SEED_DATE), before, article("x", None)]
    )
    assert [a.actor_id for a in done[0].actors] == ["RUS.military"]
    assert done[0].skipped == {}
    assert done[1].actors == ()
    assert done[1].skipped == {"places": "no parse", "actors": "unsupported language 'de'"}
    assert done[2].skipped == {"actors": "unsupported language ''"}


def test_stage_ships_settings_only_and_reloads_on_the_worker() -> None:
    stage = ActorStage()
    stage.setup()
    shipped = pickle.loads(pickle.dumps(stage))
    assert shipped._dictionary is None
    done = shipped.process_batch([article("Hamas", "en")])
    assert [a.actor_id for a in done[0].actors] == ["group:hamas"]


def test_stage_is_checked_against_the_pipeline_contract() -> None:
    from sitrep.errors import ConfigError

    with pytest.raises(ConfigError, match="actors"):
        Pipeline([ActorStage()])


# --- the seed article ---------------------------------------------------------------------------


def test_seed_article_names_the_parties_the_mediator_and_the_organisations(seed_clean: str) -> None:
    mentions = find_actors(seed_clean, "fr", SEED_DATE)
    for m in mentions:
        assert seed_clean[m.start : m.end] == m.text
    by_id = {m.actor_id: m for m in mentions}
    # the Armenian ministry's claims, the Azerbaijani forces it accuses, Russia as mediator
    assert by_id["ARM.mod"].text == "ministère arménien de la Défense"
    assert by_id["AZE.mod"].text == "ministère azerbaïdjanais de la Défense"
    assert by_id["AZE.military"].text == "forces armées azerbaïdjanaises"
    assert by_id["ARM.military"].country == "ARM"
    assert by_id["RUS"].kind == "state"
    assert by_id["RUS.mfa"].text == "ministère russe des Affaires étrangères"
    assert {"AZE.government", "ARM.government"} <= by_id.keys()  # "avec Bakou et Erevan"
    # leaders, with their titles, and who they represent
    assert by_id["person:nikol-pashinyan"].country == "ARM"
    assert by_id["person:vladimir-putin"].country == "RUS"
    assert by_id["person:antony-blinken"].country == "USA"
    titled = [m.text for m in mentions if m.actor_id == "person:nikol-pashinyan"]
    assert "Premier ministre arménien Nikol Pashinyan" in titled
    # the addressees of Armenia's request
    assert by_id["org:CSTO"].country == "CSTO"
    assert by_id["org:UNSC"].country == "UNSC"
    # no stray country: everyone named belongs to the conflict or to its mediators
    countries = {m.country for m in mentions}
    assert countries <= {"ARM", "AZE", "RUS", "USA", "SUN", "CSTO", "UNSC"}
    # "heure de Moscou" is a time zone, not the Russian government
    assert not any(m.text == "Moscou" for m in mentions)


# --- the corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("fr/021_", {"TUR.military", "SYR", "person:recep-tayyip-erdogan"}),
        ("fr/003_", {"PRK", "KOR", "person:kim-jong-un", "org:UNSC"}),
        ("fr/094_", {"MLI", "org:MINUSMA", "FRA.military"}),
        ("fr/008_", {"group:islamic-state", "group:sdf", "group:ypg", "SYR.military"}),
        ("en/052_", {"USA.military", "person:qasem-soleimani", "IRN.irgc", "group:pmf"}),
        ("en/057_", {"IRN", "person:hassan-rouhani", "person:volodymyr-zelensky"}),
        ("en/047_", {"group:sdf", "SYR.government", "TUR", "group:pkk"}),
    ],
)
def test_corpus_articles(name: str, expected: set[str]) -> None:
    text, lang, published = corpus_article(name)
    got = {m.actor_id for m in find_actors(text, lang, published)}
    assert expected <= got, expected - got


def test_corpus_titles_resolve_by_the_articles_date() -> None:
    text, lang, published = corpus_article("fr/006_")  # Donbass, January 2016
    titled = [m for m in find_actors(text, lang, published) if m.text == "président ukrainien"]
    assert titled and all(m.actor_id == "person:petro-poroshenko" for m in titled)
    text, lang, published = corpus_article("en/013_")  # Congo and Rwanda, December 2004
    titled = [m for m in find_actors(text, lang, published) if m.text == "Rwandan president"]
    assert [m.actor_id for m in titled] == ["person:paul-kagame"]


def test_whole_corpus_spans_are_exact_and_matching_is_fast() -> None:
    docs = [
        ((CORPUS / r["file"]).read_text(encoding="utf-8"), r["language"]) for r in corpus_index()
    ]
    find_actors("warm-up", "fr")
    started = time.perf_counter()
    found = [(text, find_actors(text, lang, SEED_DATE)) for text, lang in docs]
    per_article = (time.perf_counter() - started) / len(docs)
    assert sum(len(ms) for _, ms in found) > 1000
    for text, mentions in found:
        for m in mentions:
            assert text[m.start : m.end] == m.text
        assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert per_article < 0.02  # about 0.5 ms here; the target is under 10 ms
