"""Toponym resolution with the article as context (no spaCy model needed: given spans)."""

from __future__ import annotations

import pytest

from sitrep.model import PlaceMention
from sitrep.places import Gazetteer, resolve_toponyms


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.open()


def resolve(gaz: Gazetteer, text: str, names: list[str], lang: str = "en") -> list[PlaceMention]:
    spans = []
    pos = 0
    for name in names:
        start = text.index(name, pos)
        spans.append((start, start + len(name)))
        pos = start + len(name)
    return resolve_toponyms(text, spans, gaz, lang)


def test_a_village_the_gazetteer_lacks_falls_back_to_the_named_district(gaz: Gazetteer) -> None:
    text = "Les forces ont tiré en direction de Novoivanovka dans la région de Gadabay."
    village, district = resolve(gaz, text, ["Novoivanovka", "Gadabay"], "fr")
    # four Ukrainian Novoivanovkas are in the gazetteer: none is in Gadabay
    assert village.place is not None
    assert village.place.country == "AZE"
    assert village.place.name == "Gadabay"
    assert village.geo_precision == 2
    assert village.via.startswith("fallback")
    assert district.place is not None and district.place.country == "AZE"


def test_context_country_picks_the_namesake(gaz: Gazetteer) -> None:
    lebanon = "Clashes broke out in Tripoli, Lebanon's second city, near the Syrian border."
    libya = "Fighting in Tripoli spread as Libya's rival governments traded blame."
    (t1, _) = resolve(gaz, lebanon, ["Tripoli", "Lebanon"])
    (t2, _) = resolve(gaz, libya, ["Tripoli", "Libya"])
    assert t1.place is not None and t1.place.country == "LBN"
    assert t2.place is not None and t2.place.country == "LBY"


def test_georgia_the_country_or_the_state(gaz: Gazetteer) -> None:
    caucasus = (
        "Russia recognised the breakaway regions after its war with Georgia; Tbilisi protested."
    )
    usa = "Storms hit Atlanta and much of Georgia on Tuesday, the Alabama governor said."
    g1 = resolve(gaz, caucasus, ["Russia", "Georgia", "Tbilisi"])[1]
    g2 = resolve(gaz, usa, ["Atlanta", "Georgia", "Alabama"])[1]
    assert g1.place is not None and g1.place.feature == "country" and g1.place.country == "GEO"
    assert g2.place is not None and g2.place.feature == "admin1" and g2.place.country == "USA"


def test_the_town_not_its_province_unless_the_text_says_province(gaz: Gazetteer) -> None:
    town = resolve(gaz, "Shelling hit Donetsk overnight.", ["Donetsk"])[0]
    area = resolve(gaz, "Shelling hit the Donetsk region overnight.", ["Donetsk"])[0]
    assert town.place is not None and town.place.feature == "populated"
    assert town.geo_precision == 1
    assert area.place is not None and area.place.feature == "admin1"
    assert area.geo_precision == 3


def test_regions_resolve_and_keep_their_span(gaz: Gazetteer) -> None:
    text = "Les combats au Haut-Karabakh et dans le Donbass ont repris."
    karabakh, donbas = resolve(gaz, text, ["Haut-Karabakh", "Donbass"], "fr")
    assert karabakh.place is not None and karabakh.place.name == "Nagorno-Karabakh"
    assert donbas.place is not None and donbas.place.name == "Donbas"
    assert text[karabakh.start : karabakh.end] == "Haut-Karabakh"


def test_capital_wins_over_a_bigger_namesake_area(gaz: Gazetteer) -> None:
    (dc,) = resolve(gaz, "Officials in Washington said the talks would go on.", ["Washington"])
    assert dc.place is not None and dc.place.feature == "populated"
    assert dc.place.admin1 is not None and "Columbia" in dc.place.admin1


def test_unknown_name_is_unresolved_not_invented(gaz: Gazetteer) -> None:
    (m,) = resolve(gaz, "They met in Zzyzxqwv yesterday.", ["Zzyzxqwv"])
    assert m.place is None
    assert m.via == "unresolved"
