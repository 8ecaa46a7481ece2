"""The seed article through the whole per-article pipeline: where, when and who.

`../shared/seed/ceasefire-fr.events.json` says where the seed's events happened; the places
found here must agree with it (ids and countries come from that file, not from this test).
"""

from __future__ import annotations

import json

import pytest

import sitrep
from sitrep.model import AnalysedArticle

from conftest import SEED


@pytest.fixture(scope="module")
def seed() -> AnalysedArticle:
    raw = (SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8")
    return sitrep.analyse(raw)


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SEED / "ceasefire-fr.events.json").read_text(encoding="utf-8"))


def test_publication_date_is_inferred_from_the_text(seed: AnalysedArticle, expected: dict) -> None:
    assert seed.published is not None
    assert seed.published.isoformat() == expected["published_expected"]
    assert seed.published_inferred is True
    assert seed.published_confidence is not None and 0 < seed.published_confidence <= 1


def test_every_place_of_the_seed_resolves_as_expected(
    seed: AnalysedArticle, expected: dict
) -> None:
    by_text: dict[str, list] = {}
    for m in seed.places:
        by_text.setdefault(m.text, []).append(m)
    located = [e for e in expected["events"] if e.get("location")]
    assert located
    for event in located:
        mentions = by_text.get(event["location"])
        assert mentions, f"{event['location']} not found"
        for m in mentions:
            assert m.place is not None, event["location"]
            assert m.place.country == event["country"]
            assert seed.clean_text is not None
            assert seed.clean_text[m.start : m.end] == m.text
            if event.get("geonames_id"):
                assert m.place.geonames_id == event["geonames_id"]
                assert m.geo_precision == 1
            else:  # not in the gazetteer: the district the text names, never a namesake abroad
                assert m.geo_precision == 2
                assert m.place.feature in ("admin1", "admin2")


def test_actors_of_the_seed(seed: AnalysedArticle) -> None:
    countries = {a.country for a in seed.actors}
    assert {"ARM", "AZE", "RUS"} <= countries
    kinds = {(a.country, a.kind) for a in seed.actors}
    assert ("ARM", "ministry") in kinds  # le ministère arménien de la Défense
    assert ("AZE", "military") in kinds  # les forces azerbaïdjanaises


def test_times_of_the_seed(seed: AnalysedArticle) -> None:
    assert seed.clean_text is not None
    for t in seed.times:
        assert seed.clean_text[t.start : t.end] == t.text
    dates = {t.date for t in seed.times}
    assert "2022-09-13" in dates  # mardi, the day of publication
    assert "2022-09-12" in dates  # lundi
    assert any(t.time == "2022-09-13T06:00:00Z" for t in seed.times)  # 9h00, heure de Moscou


def test_a_german_article_is_stored_but_not_analysed() -> None:
    art = sitrep.analyse(
        "Die armenische Armee meldete am Dienstag schwere Kämpfe an der Grenze zu "
        "Aserbaidschan. Nach Angaben des Verteidigungsministeriums wurden mehrere Dörfer "
        "beschossen, die Regierung in Eriwan bat Russland um Hilfe.",
        language="de",
    )
    assert art.rejection is None
    assert art.parse is None and art.places == () and art.actors == ()
    assert set(art.skipped) >= {"nlp", "time", "actors", "places"}
    assert all("unsupported language 'de'" in reason for reason in art.skipped.values())
