"""Casualty figures in one sentence: the shapes that tie a figure to a death or injury word,
the numbers that must not be read as casualties, number parsing, and robustness on any text.

The sentences are written for these tests in the style of wire copy; none is quoted from the
corpus or the benchmarks.
"""

from __future__ import annotations

import random

import pytest

from sitrep.events.casualties import Casualty, find_casualties, lexicon, parse_number


def _figures(text: str, language: str) -> list[tuple[str, int, str, bool]]:
    """(kind, count, figure as written, exact) for each casualty found."""
    return [
        (c.kind, c.count, text[c.start : c.end], c.exact) for c in find_casualties(text, language)
    ]


POSITIVE_FR = [
    (
        "Au moins 5 morts ont été recensés après l'attaque du marché.",
        [("killed", 5, "Au moins 5", False)],
    ),
    (
        "Cinq personnes ont été tuées dans la nuit à la sortie du village.",
        [("killed", 5, "Cinq", True)],
    ),
    (
        "Selon l'ONU, le conflit a tué au moins 6 500 personnes en trois ans.",
        [("killed", 6500, "au moins 6 500", False)],
    ),
    (
        "L'explosion d'un camion piégé a frappé le quartier, faisant 27 morts et 78 blessés.",
        [("killed", 27, "27", True), ("injured", 78, "78", True)],
    ),
    (
        "Les autorités ont annoncé un bilan de 16 morts mardi soir.",
        [("killed", 16, "16", True)],
    ),
    (
        "Six travailleurs humanitaires tués dans une embuscade près de la frontière.",
        [("killed", 6, "Six", True)],
    ),
    ("Deux militaires tués lors d'une patrouille dans la région.", [("killed", 2, "Deux", True)]),
    ("L'accrochage a fait un mort côté gendarmerie.", [("killed", 1, "un", True)]),
    (
        "Les bombardements ont fait des dizaines de morts parmi les civils.",
        [("killed", 10, "des dizaines", False)],
    ),
    (
        "Des hommes armés ont ouvert le feu sur le convoi, tuant 12 soldats.",
        [("killed", 12, "12", True)],
    ),
    (
        "La police a chargé la foule, blessant 48 personnes.",
        [("injured", 48, "48", True)],
    ),
    ("Quatre orpailleurs ont péri dans l'effondrement du puits.", [("killed", 4, "Quatre", True)]),
    (
        "Onze passagers ont trouvé la mort dans l'accident du car.",
        [("killed", 11, "Onze", True)],
    ),
    (
        "Vingt-sept civils ont été blessés par des éclats d'obus.",
        [("injured", 27, "Vingt-sept", True)],
    ),
    (
        "Le bilan s'élève désormais à 42 morts et plus de 100 blessés.",
        [("killed", 42, "42", True), ("injured", 100, "plus de 100", False)],
    ),
    (
        "Deux soldats et trois civils ont été tués lors de l'embuscade.",
        [("killed", 5, "Deux soldats et trois", True)],
    ),
    (
        "Un homme de 45 ans a été tué par balles devant son domicile.",
        [("killed", 1, "Un", True)],
    ),
    (
        "Une personne est morte et quatre autres ont été grièvement blessées.",
        [("killed", 1, "Une", True), ("injured", 4, "quatre", True)],
    ),
    (
        "Entre 10 et 15 villageois ont été tués, selon des sources locales.",
        [("killed", 10, "Entre 10 et 15", False)],
    ),
    (
        "Plusieurs dizaines de personnes ont été tuées dans les affrontements.",
        [("killed", 20, "Plusieurs dizaines", False)],
    ),
    (
        "Une dizaine de soldats ont été blessés dans l'explosion.",
        [("injured", 10, "Une dizaine", False)],
    ),
    (
        "Le séisme a coûté la vie à quatre-vingt-dix personnes.",
        [("killed", 90, "quatre-vingt-dix", True)],
    ),
    (
        "Soixante et onze réfugiés sont morts de froid durant la traversée.",
        [("killed", 71, "Soixante et onze", True)],
    ),
    (
        "Près de 300 personnes ont été tuées depuis le début de l'année.",
        [("killed", 300, "Près de 300", False)],
    ),
    (
        "Jusqu'à 30 personnes auraient été tuées, selon une ONG.",
        [("killed", 30, "Jusqu'à 30", False)],
    ),
]

POSITIVE_EN = [
    (
        "Gunmen stormed the church and killed at least 20 people.",
        [("killed", 20, "at least 20", False)],
    ),
    ("At least 20 were killed in the overnight shelling.", [("killed", 20, "At least 20", False)]),
    ("Officials said 20 dead had been counted so far.", [("killed", 20, "20", True)]),
    ("A roadside bomb struck the convoy, killing 12.", [("killed", 12, "12", True)]),
    ("Hospital staff said 12 people died of their injuries.", [("killed", 12, "12", True)]),
    (
        "The attack on the depot left 5 dead and 110 wounded.",
        [("killed", 5, "5", True), ("injured", 110, "110", True)],
    ),
    ("A grenade was thrown into the crowd, injuring 48.", [("injured", 48, "48", True)]),
    (
        "The death toll from the ferry sinking rose to 176 on Thursday.",
        [("killed", 176, "176", True)],
    ),
    ("All 176 on board were killed when the plane went down.", [("killed", 176, "All 176", True)]),
    (
        "Twenty-seven people died and 78 were hurt in the stampede.",
        [("killed", 27, "Twenty-seven", True), ("injured", 78, "78", True)],
    ),
    (
        "More than 6,500 people have been killed since 2019.",
        [("killed", 6500, "More than 6,500", False)],
    ),
    (
        "Five people, including two children, were killed when the shell hit the market.",
        [("killed", 5, "Five", True)],
    ),
    (
        "The blast killed three soldiers and two civilians in Gao.",
        [("killed", 5, "three soldiers and two", True)],
    ),
    (
        "The blast killed three soldiers and wounded five others.",
        [("killed", 3, "three", True), ("injured", 5, "five", True)],
    ),
    (
        "A police officer was shot dead and a second officer was wounded.",
        [("killed", 1, "A", True), ("injured", 1, "a", True)],
    ),
    ("A 21-year-old man was killed in the crossfire.", [("killed", 1, "A", True)]),
    (
        "Dozens of villagers were killed and hundreds displaced.",
        [("killed", 12, "Dozens", False)],
    ),
    ("About a dozen people were killed in the raid.", [("killed", 12, "About a dozen", False)]),
    ("Several people were wounded by stray bullets.", [("injured", 3, "Several", False)]),
    (
        "The famine and the war have claimed the lives of 1.5 million people.",
        [("killed", 1500000, "1.5 million", True)],
    ),
    (
        "A car bomb killed at least 9 people and injured 25 others on Sunday.",
        [("killed", 9, "at least 9", False), ("injured", 25, "25", True)],
    ),
    ("Nearly 100 people were injured in the clashes.", [("injured", 100, "Nearly 100", False)]),
    ("Death toll: 34", [("killed", 34, "34", True)]),
    (
        "Three soldiers, two policemen and a civilian were killed.",
        [("killed", 6, "Three soldiers, two policemen and a", True)],
    ),
    ("Of the 20 passengers, 3 were killed.", [("killed", 3, "3", True)]),
    ("Police arrested 16 suspects who had killed 3 villagers.", [("killed", 3, "3", True)]),
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE_FR)
def test_french_figures(text: str, expected: list[tuple[str, int, str, bool]]) -> None:
    assert _figures(text, "fr") == expected


@pytest.mark.parametrize(("text", "expected"), POSITIVE_EN)
def test_english_figures(text: str, expected: list[tuple[str, int, str, bool]]) -> None:
    assert _figures(text, "en") == expected


def test_revised_tolls_are_all_returned() -> None:
    """The caller takes the smallest: both tolls must reach it."""
    text = "Officials first said 12 people died, but the toll was later revised to 15."
    assert _figures(text, "en") == [("killed", 12, "12", True), ("killed", 15, "15", True)]
    text = "The death toll from the earthquake rose from 120 to 176 on Tuesday."
    assert [c.count for c in find_casualties(text, "en")] == [120, 176]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("There were no casualties in the incident.", "en", ["killed", "injured"]),
        ("No one was hurt, the fire brigade said.", "en", ["killed", "injured"]),
        ("L'incendie n'a fait aucune victime.", "fr", ["killed", "injured"]),
        ("Personne n'a été blessé lors de l'évacuation.", "fr", ["injured"]),
        ("No one was killed, but 3 people were injured.", "en", ["killed"]),
    ],
)
def test_no_victims_is_zero(text: str, language: str, expected: list[str]) -> None:
    found = find_casualties(text, language)
    zeros = [c for c in found if c.count == 0]
    assert [c.kind for c in zeros] == expected
    assert all(c.exact for c in zeros)
    if "3 people" in text:
        assert ("injured", 3) in [(c.kind, c.count) for c in found]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("L'attaque a eu lieu le 13 septembre dans le nord du pays.", "fr"),
        ("The militia was founded in 2019 and has since expanded.", "en"),
        ("Vers 10h30, les assaillants ont ouvert le feu sur le poste.", "fr"),
        ("The program costs $5 million and employs 400 people.", "en"),
        ("Police said 16 suspects were arrested after the raid.", "en"),
        ("Some 400 protesters gathered outside the ministry on Monday.", "en"),
        ("Militants fired 17 rockets at the base overnight.", "en"),
        ("Turnout fell to 45% in the capital.", "en"),
        ("Le chômage atteint 12 % dans la région.", "fr"),
        ("Seize suspects ont été arrêtés et 400 manifestants dispersés.", "fr"),
        ("Two days later, a bomb exploded near the market.", "en"),
        ("Quelque 200 maisons ont été incendiées par les assaillants.", "fr"),
        ("L'armée a perdu 5 hommes et 3 véhicules.", "fr"),
        ("They were killed 2 km from the town.", "en"),
        ("The F-16 crashed into a field.", "en"),
        ("An attack on the convoy was repelled.", "en"),
        ("Un attentat a visé la caserne dimanche.", "fr"),
        ("The president, 64, met 30 governors on 4 May 2021.", "en"),
        ("Le budget de 2 millions d'euros a été voté en 2020.", "fr"),
    ],
)
def test_numbers_that_are_not_casualties(text: str, language: str) -> None:
    assert find_casualties(text, language) == []


def test_a_number_in_another_clause_is_not_tied() -> None:
    text = "At 10 a.m., 400 protesters gathered before police killed two of them."
    assert _figures(text, "en") == [("killed", 2, "two", True)]


def test_offsets_point_into_the_text() -> None:
    text = "Bilan : au moins 5 morts et 12 blessés."
    found = find_casualties(text, "fr")
    five, twelve = text.index("au moins 5"), text.index("12")
    assert found == [
        Casualty("killed", 5, five, five + len("au moins 5"), False),
        Casualty("injured", 12, twelve, twelve + 2, True),
    ]


def test_unknown_language_has_no_figures() -> None:
    assert find_casualties("12 Menschen wurden getötet.", "de") == []
    assert lexicon("de") is None
    assert parse_number("zwölf", "de") is None


@pytest.mark.parametrize(
    ("words", "language", "value"),
    [
        ("6 500", "fr", 6500),
        ("6\u00a0500", "fr", 6500),
        ("6\u202f500", "fr", 6500),
        ("6.500", "fr", 6500),
        ("6,500", "en", 6500),
        ("1 200 000", "fr", 1200000),
        ("vingt-sept", "fr", 27),
        ("twenty-seven", "en", 27),
        ("trois", "fr", 3),
        ("un", "fr", 1),
        ("a dozen", "en", 12),
        ("deux cents", "fr", 200),
        ("deux mille trois cents", "fr", 2300),
        ("quatre-vingt-dix", "fr", 90),
        ("quatre-vingts", "fr", 80),
        ("soixante et onze", "fr", 71),
        ("soixante-dix-sept", "fr", 77),
        ("a hundred", "en", 100),
        ("one hundred and five", "en", 105),
        ("two thousand three hundred", "en", 2300),
        ("1.5 million", "en", 1500000),
        ("1,5 million", "fr", 1500000),
        ("des dizaines", "fr", 10),
        ("une dizaine", "fr", 10),
        ("des centaines", "fr", 100),
        ("dozens", "en", 12),
        ("hundreds", "en", 100),
        ("scores", "en", 20),
        ("plusieurs", "fr", 3),
    ],
)
def test_parse_number(words: str, language: str, value: int) -> None:
    assert parse_number(words, language) == value


@pytest.mark.parametrize(
    ("words", "language"),
    [("a", "en"), ("", "fr"), ("morts", "fr"), ("13.09.2022", "fr"), ("deux trois", "fr")],
)
def test_parse_number_rejects(words: str, language: str) -> None:
    assert parse_number(words, language) is None


def _check_any(text: str) -> None:
    for language in ("fr", "en", "xx"):
        found = find_casualties(text, language)
        assert isinstance(found, list)
        for c in found:
            assert 0 <= c.start <= c.end <= len(text)
            assert c.count >= 0
        value = parse_number(text, language)
        assert value is None or value >= 0


_PIECES = [
    "5", "6 500", "6,500", "6.500", "1.5", "2019", "-", "–", "'", "’", ",", ".", ":", "%", "$",
    "\u00a0", "\u202f", "killed", "tués", "morts", "au moins", "at least", "a", "un", "dozens",
    "des dizaines", "and", "et", "no one was killed", "bilan", "death toll", "people", "vingt",
    "sept", "hundred", "mille", "million", "\x00", "\ud800", "e\u0301", "13h30", "10 a.m.",
    "year", "old", "ans", "de", "of", "including", "dont", "9" * 40, "1,2,3", "between", "à",
]  # fmt: skip


def test_never_raises_on_fuzzed_text() -> None:
    """A fixed-seed fuzz that always runs (the property test below needs hypothesis)."""
    rng = random.Random(20240501)
    for _ in range(1500):
        parts = (rng.choice(_PIECES) + rng.choice(("", " ")) for _ in range(rng.randint(0, 20)))
        _check_any("".join(parts))
    for _ in range(200):
        _check_any("".join(chr(rng.randint(0, 0x2FFF)) for _ in range(rng.randint(0, 30))))


def test_never_raises_property() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    strategies = pytest.importorskip("hypothesis.strategies")

    text = strategies.one_of(
        strategies.text(max_size=120),
        strategies.lists(strategies.sampled_from(_PIECES), max_size=25).map(" ".join),
    )

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(text)
    def check(sample: str) -> None:
        _check_any(sample)

    check()


def test_time_is_linear_in_length() -> None:
    """A long run of sentences finds every figure once and stays well under a second."""
    sentence = "L'attaque a tué au moins 6 500 personnes et blessé 300 autres le 13 mai 2022. "
    found = find_casualties(sentence * 500, "fr")
    assert len(found) == 1000
