"""The actor dictionary's data: every country, French morphology, terms of office that hold up."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise

import pycountry
import pytest

from sitrep.actors.dictionary import (
    DATA_DIR,
    ActorDictionary,
    default_dictionary,
    french_forms,
    name_variants,
    read_tsv,
)


@pytest.fixture(scope="module")
def d() -> ActorDictionary:
    return default_dictionary()  # built once per process (cached), shared with the other modules


@pytest.mark.parametrize(
    ("masculine", "forms"),
    [
        ("arménien", ("arménienne", "arméniens", "arméniennes")),
        ("azerbaïdjanais", ("azerbaïdjanaise", "azerbaïdjanais", "azerbaïdjanaises")),
        ("américain", ("américaine", "américains", "américaines")),
        ("argentin", ("argentine", "argentins", "argentines")),
        ("afghan", ("afghane", "afghans", "afghanes")),
        ("hongrois", ("hongroise", "hongrois", "hongroises")),
        ("russe", ("russe", "russes", "russes")),
        ("britannique", ("britannique", "britanniques", "britanniques")),
        ("coréen", ("coréenne", "coréens", "coréennes")),
        ("azéri", ("azérie", "azéris", "azéries")),
        ("allemand", ("allemande", "allemands", "allemandes")),
        ("national", ("nationale", "nationaux", "nationales")),
    ],
)
def test_french_demonym_forms_follow_the_rules(masculine: str, forms: tuple[str, ...]) -> None:
    got = french_forms(masculine, {})
    assert (got["fs"], got["mp"], got["fp"]) == forms


def test_french_exceptions_come_from_the_data(d: ActorDictionary) -> None:
    rows = {r["code"]: r for r in read_tsv(DATA_DIR / "countries.fr.tsv")}
    assert "turc=turque" in rows["TUR"]["formes"]
    idx = d.indexes["fr"]
    assert idx.lookup(idx.key("armée turque")[0]) is not None
    assert idx.lookup(idx.key("armée turce")[0]) is None  # the rule alone would say "turce"


def test_iso_list_names_are_reordered() -> None:
    assert {"Islamic Republic of Iran", "Iran"} <= name_variants("Iran, Islamic Republic of")
    assert "Fédération de Russie" in name_variants("Russie, Fédération de")
    assert "Îles Salomon" in name_variants("Salomon, Îles")
    assert "Salomon" not in name_variants("Salomon, Îles")  # an island name alone is too vague


def test_every_country_has_a_row_in_every_language_and_a_state_actor(d: ActorDictionary) -> None:
    iso = {c.alpha_3 for c in pycountry.countries}
    for lang in ("en", "fr"):
        rows = [r["code"] for r in read_tsv(DATA_DIR / f"countries.{lang}.tsv")]
        assert len(rows) == len(set(rows)), f"{lang}: a country twice"
        assert iso <= set(rows), f"{lang}: missing {sorted(iso - set(rows))}"
    for code in iso | {"XKX"}:
        assert d.actors[code].kind == "state"
        assert d.actors[f"{code}.military"].name.startswith("Military Forces of ")


def test_generated_names_are_acled_style(d: ActorDictionary) -> None:
    assert d.actors["AZE.military"].name == "Military Forces of Azerbaijan"
    assert d.actors["ARM.mod"].name == "Ministry of Defence of Armenia"
    assert d.actors["USA.government"].name == "Government of the United States"
    assert d.actors["USA"].name == "United States"
    assert d.actors["ARM.civilians"].name == "Civilians (Armenia)"
    assert d.offices["ARM.prime_minister"].actor.name == "Prime Minister of Armenia"


def test_terms_of_one_office_do_not_overlap(d: ActorDictionary) -> None:
    """Typos in dates show up as two holders of one office on the same day."""
    for office in d.offices.values():
        terms = sorted(office.holders, key=lambda tp: tp[0].start or date.min)
        for (a, pa), (b, pb) in pairwise(terms):
            assert a.end is not None and b.start is not None, (office.id, pa, pb)
            assert a.end <= b.start, f"{office.id}: {pa} until {a.end}, {pb} from {b.start}"


def test_terms_start_before_they_end(d: ActorDictionary) -> None:
    for person in d.persons.values():
        for t in person.terms:
            assert t.start is not None
            assert t.end is None or t.start < t.end, (person.actor.id, t)


def test_every_state_the_brief_names_has_its_leaders(d: ActorDictionary) -> None:
    states = {
        "ARM", "AZE", "RUS", "UKR", "USA", "FRA", "GBR", "DEU", "TUR", "IRN", "ISR", "PSE", "SYR",
        "IRQ", "SAU", "CHN", "IND", "PAK", "AFG", "ETH", "SDN", "SSD", "COD", "MLI", "BFA", "NER",
        "NGA", "SOM", "YEM", "LBY", "LBN", "MMR", "COL", "VEN", "GEO", "BLR", "EGY", "QAT",
    }  # fmt: skip
    held: dict[str, set[str]] = defaultdict(set)
    for person in d.persons.values():
        for t in person.terms:
            held[t.code].add(t.role)
    for code in states:
        assert held[code] & {"president", "prime_minister", "chancellor", "monarch"}, code


def test_counts_cover_the_brief(d: ActorDictionary) -> None:
    stats = d.stats()
    assert stats["countries"] >= 249
    assert stats["persons"] >= 300
    assert stats["actors.organisation"] >= 60
    assert stats["actors.armed_group"] >= 60
    assert stats["aliases.en"] > 20_000 and stats["aliases.fr"] > 20_000


def test_ambiguous_generated_names_are_dropped(d: ActorDictionary) -> None:
    """ "Congo" is two states and "Corée" two Koreas: neither is guessed."""
    for lang, name in (("en", "Congo"), ("fr", "Congo"), ("fr", "Corée"), ("en", "Korea")):
        idx = d.indexes[lang]
        assert idx.lookup(idx.key(name)[0]) is None, (lang, name)
