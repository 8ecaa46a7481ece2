"""Toponym detection in running text, where the NER model misses or mislabels a place."""

from __future__ import annotations

import pytest

import sitrep


def places(text: str) -> list[tuple[str, str | None]]:
    art = sitrep.analyse(text, language="en", published="2020-01-01")
    return [(p.text, p.place.name if p.place else None) for p in art.places]


@pytest.mark.parametrize(
    "text, town",
    [
        ("Two policemen were wounded in the town of Pandeglang on Thursday.", "Pandeglang"),
        ("Gunmen opened fire near the town of Kidal, officials said.", "Kidal"),
    ],
)
def test_the_town_of_x_is_a_place(text: str, town: str) -> None:
    assert (town, town) in places(text)


def test_a_building_named_after_its_town_places_the_town() -> None:
    found = places("A bomb exploded outside the Jolo Cathedral on Sunday morning.")
    assert ("Jolo", "Jolo") in found
    found = places("Drones struck the Mosul Dam overnight.")
    assert ("Mosul", "Mosul") in found


def test_a_building_named_after_a_person_is_not_a_town() -> None:
    # Kennedy is a town somewhere; the airport is named after the president
    assert places("Passengers waited at John F. Kennedy Airport for hours.") == []


def test_a_village_near_a_town_is_placed_near_it_not_at_a_far_namesake() -> None:
    art = sitrep.analyse(
        "Gunmen attacked a school in Zorgabad, a village near Mosul, on Sunday.",
        language="en",
        published="2020-01-01",
    )
    village = next(p for p in art.places if p.text == "Zorgabad")
    assert village.place is not None and village.place.name == "Mosul"
    assert (village.geo_precision, village.via) == (2, "fallback:near")
    art = sitrep.analyse(
        "Une fusillade a eu lieu à Springfield, une petite ville proche d'Albany, lundi.",
        language="fr",
        published="2020-01-01",
    )
    town = next(p for p in art.places if p.text.endswith("Springfield"))
    albany = next(p for p in art.places if p.text.endswith("Albany"))
    assert town.place is not None and albany.place is not None
    assert town.place.admin1 == albany.place.admin1  # never a Springfield far away
