"""The built gazetteer: names in French and English, accents and case ignored, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.errors import ConfigError
from sitrep.places import Gazetteer
from sitrep.places.build import short_area_name
from sitrep.places.names import name_key

from conftest import stale_gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open()


def test_name_key_ignores_accents_case_apostrophes_and_hyphens() -> None:
    assert name_key("Khan Younès") == name_key("KHAN YOUNES") == "khan younes"
    assert name_key("Saint-Étienne") == name_key("saint etienne")
    assert name_key("Syunik’") == name_key("Syunik'") == "syunik"
    assert name_key("Laçın") == "lacin"


def test_area_words_are_not_the_name() -> None:
    assert short_area_name("Gadabay Rayon") == "Gadabay"
    assert short_area_name("Syunik'i Marz") == "Syunik"
    assert short_area_name("Muhafazat Idlib") == "Idlib"
    assert short_area_name("Oblast") == "Oblast"  # nothing left: keep the word


@pytest.mark.parametrize(
    ("name", "expected", "country"),
    [
        ("Bakou", "Baku", "AZE"),
        ("Erevan", "Yerevan", "ARM"),
        ("Moscou", "Moscow", "RUS"),
        ("Khan Younès", "Khān Yūnis", "PSE"),
        ("Marioupol", "Mariupol", "UKR"),
        ("Pékin", "Beijing", "CHN"),
    ],
)
def test_french_exonyms_find_the_place(
    gaz: Gazetteer, name: str, expected: str, country: str
) -> None:
    assert any(e.place.name == expected and e.place.country == country for e in gaz.lookup(name))


@pytest.mark.parametrize(
    ("written", "country"),
    [("Qamishli", "SYR"), ("Hasakah", "SYR"), ("Ft. Worth", "USA"), ("St. Petersburg", "RUS")],
)
def test_arabic_articles_and_abbreviations_are_optional(
    gaz: Gazetteer, written: str, country: str
) -> None:
    entries = gaz.lookup(written)
    assert entries and entries[0].place.country == country


def test_countries_have_french_and_english_names(gaz: Gazetteer) -> None:
    for name in ("Arménie", "Armenia", "République d'Arménie", "Fédération de Russie", "Russie"):
        countries = [e for e in gaz.lookup(name) if e.feature == "country"]
        assert countries, name
    assert gaz.lookup("Azerbaïdjan")[0].place.geonames_id == 587116


def test_provinces_and_districts_carry_english_names(gaz: Gazetteer) -> None:
    goris = next(e for e in gaz.lookup("Goris") if e.place.country == "ARM")
    assert goris.place.admin1 == "Syunik"
    assert goris.place.geonames_id == 174895
    gadabay = [e for e in gaz.lookup("Gadabay") if e.feature == "admin1"]
    assert gadabay and gadabay[0].place.country == "AZE"


def test_regions_that_are_not_admin_units(gaz: Gazetteer) -> None:
    for name in ("Haut-Karabakh", "Nagorno-Karabakh", "Donbass", "Sahel", "bande de Gaza"):
        assert any(e.feature == "region" for e in gaz.lookup(name)), name


def test_missing_gazetteer_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="sitrep gazetteer build"):
        Gazetteer.open(tmp_path / "nope.sqlite")


def test_stale_gazetteer_says_how_to_rebuild_it(tmp_path: Path) -> None:
    path = stale_gazetteer(tmp_path / "old.sqlite")
    with pytest.raises(ConfigError, match=r"stale.*sitrep gazetteer build"):
        Gazetteer.open(path)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(ConfigError, match="sitrep gazetteer build"):
        Gazetteer.open(path)
