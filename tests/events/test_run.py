"""Helpers that run the extractor over gold files and compare places through the gazetteer."""

from __future__ import annotations

from sitrep.events.run import gazetteer_same_place


def test_place_names_are_compared_through_the_gazetteer() -> None:
    same = gazetteer_same_place()
    assert same({"location": "Laçın", "geo_precision": 2}, {"admin2": "Lachin"})
    assert not same({"location": "Goris", "geo_precision": 2}, {"admin2": "Lachin"})


def test_a_territory_is_its_own_single_province() -> None:
    same = gazetteer_same_place()
    # French Guiana is a country in ISO 3166 and one French region, Guyane, in GeoNames
    assert same({"location": "Guyane", "geo_precision": 3}, {"admin1": "French Guiana"})
    # a country of several provinces is not any one of them
    assert not same({"location": "Wallonia", "geo_precision": 3}, {"admin1": "Belgium"})
