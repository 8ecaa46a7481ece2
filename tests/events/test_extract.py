"""The events extractor on real text: the seed article end to end, and general sentences
written for these tests (no benchmark or seed sentence is special-cased anywhere)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sitrep
from sitrep.model import AnalysedArticle, Event
from sitrep.places.names import name_key

from conftest import SEED


@pytest.fixture(scope="module")
def seed() -> AnalysedArticle:
    return sitrep.analyse((SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((SEED / "ceasefire-fr.events.json").read_text(encoding="utf-8"))


def current(item: AnalysedArticle) -> list[Event]:
    return [e for e in item.events if not e.historical]


def test_seed_strikes_are_one_event_per_town_with_both_claims(seed: AnalysedArticle) -> None:
    strikes = [
        e
        for e in current(seed)
        if e.event_class == "violence" and e.event_date == date(2022, 9, 13)
    ]
    assert sorted(e.location or "" for e in strikes) == ["Goris", "Jermuk", "Sotk"]
    for e in strikes:
        assert (e.actor1_country, e.actor2_country, e.country) == ("AZE", "ARM", "ARM")
        assert {"artillery", "drone"} <= set(e.weapons)
        stances = {(c.by_country, c.stance) for c in e.claims}
        assert {("ARM", "asserts"), ("AZE", "acknowledges")} <= stances
        assert e.status == "acknowledged"
        assert len(e.sources) >= 2  # two sentences report it: one event


def test_seed_accusation_is_contested_by_the_denial_two_sentences_later(
    seed: AnalysedArticle,
) -> None:
    fired = [
        e
        for e in current(seed)
        if e.event_date == date(2022, 9, 12) and e.event_class == "violence"
    ]
    assert len(fired) == 2
    for e in fired:
        assert (e.actor1_country, e.country) == ("ARM", "AZE")
        assert e.weapons == ("small_arms",)
        assert e.status == "contested"
        assert ("ARM", "denies") in {(c.by_country, c.stance) for c in e.claims}


def test_seed_ceasefire_has_mediator_parties_and_clock_time(seed: AnalysedArticle) -> None:
    [ceasefire] = [e for e in current(seed) if e.type == "ceasefire"]
    assert {ceasefire.actor1_country, ceasefire.actor2_country} == {"ARM", "AZE"}
    assert ceasefire.mediator_country == "RUS"
    assert ceasefire.event_time == "2022-09-13T06:00:00Z"


def test_seed_background_is_never_a_current_event(seed: AnalysedArticle) -> None:
    for e in current(seed):
        assert e.event_date is not None and e.event_date >= date(2022, 9, 1), e.notes
    assert any(e.historical and e.event_date and e.event_date.year == 2020 for e in seed.events)


def test_seed_statements_have_their_speakers(seed: AnalysedArticle) -> None:
    kinds = {(e.type, e.actor1_country) for e in current(seed)}
    assert {("appeal", "RUS"), ("appeal", "USA"), ("request", "ARM")} <= kinds
    calls = [e for e in current(seed) if e.type == "consultation"]
    assert {frozenset({e.actor1_country, e.actor2_country}) for e in calls} == {
        frozenset({"ARM", "RUS"}),
        frozenset({"ARM", "USA"}),
    }
    speakers = {q.speaker_country for q in seed.quotes}
    assert {"RUS", "USA"} <= speakers


def test_sources_and_claims_index_the_clean_text(seed: AnalysedArticle) -> None:
    text = seed.clean_text or ""
    for e in seed.events:
        assert e.sources
        for s in e.sources:
            assert text[s.span.start : s.span.end] == s.sentence
            assert s.span.article_id == seed.article_id
        for c in e.claims:
            assert text[c.span.start : c.span.end] == c.sentence


def test_event_ids_are_stable(seed: AnalysedArticle) -> None:
    again = sitrep.analyse((SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8"))
    assert [e.event_id for e in again.events] == [e.event_id for e in seed.events]
    assert len({e.event_id for e in seed.events}) == len(seed.events)


def test_records_carry_every_field_of_the_contract(seed: AnalysedArticle) -> None:
    fields = {
        "event_id",
        "type",
        "class",
        "acled_event_type",
        "acled_sub_event_type",
        "plover",
        "event_date",
        "event_time",
        "time_precision",
        "historical",
        "ceasefire_id",
        "actor1",
        "actor2",
        "mediator",
        "actor1_country",
        "actor2_country",
        "mediator_country",
        "targets",
        "country",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "geonames_id",
        "weapons",
        "fatalities",
        "injuries",
        "claims",
        "status",
        "sources",
        "notes",
        "confidence",
    }
    for e in seed.events:
        record = json.loads(json.dumps(e.to_dict()))
        assert set(record) == fields
        assert set(record["sources"][0]) == {
            "article_id",
            "input_id",
            "url",
            "published",
            "sentence",
            "char_start",
            "char_end",
        }


# --- general sentences, written for these tests ------------------------------------------------


def events_of(text: str, language: str, published: str = "2023-03-15") -> list[Event]:
    return current(sitrep.analyse(text, language=language, published=published))


def test_english_bombing_with_casualties_place_and_day() -> None:
    [e] = events_of(
        "Roadside bomb kills four in Kandahar\n\n"
        "A roadside bomb exploded on Tuesday in Kandahar, killing at least four people and "
        "wounding eleven others, a provincial spokesman said.",
        "en",
    )
    assert e.type == "explosive_device"
    assert (name_key(e.location or ""), e.country, e.event_date) == (
        "kandahar",
        "AFG",
        date(2023, 3, 14),
    )
    assert (e.fatalities, e.injuries) == (4, 11)
    assert "explosive" in e.weapons


def test_french_arrests_after_a_riot_are_two_events() -> None:
    events = events_of(
        "Émeutes à Marseille\n\n"
        "Des émeutes ont éclaté lundi soir à Marseille après la mort d'un adolescent. "
        "La police a interpellé trente personnes dans la nuit.",
        "fr",
    )
    types = sorted(e.type for e in events)
    assert types == ["arrest", "riot"]
    assert all(name_key(e.location or "") == "marseille" and e.country == "FRA" for e in events)


def test_a_follow_up_without_a_place_happened_where_the_story_did() -> None:
    events = events_of(
        "Yesterday, a bomb exploded at a market in the town of Kidal, killing four people.\n\n"
        "The wounded were flown to a hospital in Bamako.\n\n"
        "A police spokesman said that two suspects were arrested.",
        "en",
    )
    by_type = {e.type: e for e in events}
    assert by_type["explosive_device"].location == "Kidal"
    assert by_type["explosive_device"].geo_precision == 1
    arrest = by_type["arrest"]
    # its place is borrowed from the story, not named by its sentence: "near", not "at"
    assert (arrest.location, arrest.geo_precision) == ("Kidal", 2)


def test_a_capital_named_as_a_place_is_where_not_who() -> None:
    [e] = events_of(
        "Thousands of protesters marched through Khartoum yesterday, chanting against the "
        "army.\n\nThe protests began in March over the price of bread.",
        "en",
        published="2023-06-15",
    )
    assert (e.type, e.location, e.geo_precision) == ("protest", "Khartoum", 1)
    # the campaign's start in March does not redate yesterday's march
    assert e.event_date == date(2023, 6, 14)


def test_an_earlier_attack_named_for_comparison_is_its_own_historical_event() -> None:
    item = sitrep.analyse(
        "Officials called Tuesday's bombing in Kandahar the deadliest since an assault in "
        "Herat in March 2021 that killed forty people.",
        language="en",
        published="2023-03-15",
    )
    past = [e for e in item.events if e.historical]
    assert [(name_key(e.location or ""), str(e.event_date)[:7]) for e in past] == [
        ("herat", "2021-03")
    ]
    [now] = [e for e in item.events if not e.historical]
    assert (name_key(now.location or ""), now.event_date) == ("kandahar", date(2023, 3, 14))


@pytest.mark.parametrize(
    "text, language",
    [
        ("Two reporters were beaten after being attacked by protesters in Lagos on Monday.", "en"),
        ("Des manifestants ont pris d'assaut la mairie de Nantes lundi.", "fr"),
    ],
)
def test_violence_by_demonstrators_is_a_riot(text: str, language: str) -> None:
    assert [e.type for e in events_of(text, language)] == ["riot"]


def test_the_french_reportive_conditional_is_a_report_not_a_hypothesis() -> None:
    [e] = events_of("Trois civils auraient été tués lundi par une frappe aérienne à Alep.", "fr")
    assert (e.type, name_key(e.location or ""), e.fatalities) == ("air_drone_strike", "aleppo", 3)
    # under a condition it is a hypothesis
    assert not events_of("Si l'armée avait bombardé Alep, des civils auraient été tués.", "fr")


def test_the_place_of_a_source_is_not_the_place_of_the_event() -> None:
    [e] = events_of("Une frappe aérienne a touché un marché lundi, selon le maire de Hérat.", "fr")
    # Herat situates the mayor: the event is only placed near it, borrowed from the text
    assert e.geo_precision == 2


def test_an_attack_that_targeted_something_is_not_an_aim() -> None:
    [e] = events_of("Un attentat à la bombe a visé une mosquée à Hilla lundi.", "fr")
    assert (e.type, e.event_date) == ("explosive_device", date(2023, 3, 13))
    # what one aims to do has not happened
    assert not events_of("Les rebelles visent à attaquer Hilla.", "fr")


def test_what_an_agreement_is_for_has_not_happened() -> None:
    events = events_of(
        "An agreement was reached on Sunday for the army to enter and deploy along the border.",
        "en",
    )
    assert "deployment" not in {e.type for e in events}


def test_storming_is_a_riot_by_a_crowd_and_an_attack_by_gunmen() -> None:
    [e] = events_of(
        "Hundreds of protesters tried to storm the parliament in Lagos on Monday.", "en"
    )
    assert e.type == "riot"
    [e] = events_of("Gunmen stormed a police post in Kidal on Monday.", "en")
    assert e.event_class == "violence"


def test_a_town_an_army_entered_is_a_place() -> None:
    # the NER model takes Ansongo for a person
    [e] = events_of("Government troops entered Ansongo on Monday, state media reported.", "en")
    assert e.location == "Ansongo"


@pytest.mark.parametrize(
    "text, language, etype",
    [
        ("Thousands of dock workers went on strike on Monday in Lagos.", "en", "protest"),
        ("Les chauffeurs de taxi ont bloqué les routes de Dakar lundi.", "fr", "protest"),
        ("Japan suspended economic aid to Myanmar on Tuesday.", "en", "sanction"),
        ("La France a rappelé son ambassadeur en Turquie mardi.", "fr", "sanction"),
        ("Britain mobilized army reservists on Tuesday.", "en", "deployment"),
        ("The Egyptian president hosted the Israeli prime minister on Monday.", "en",
         "consultation"),
    ],
)  # fmt: skip
def test_general_event_vocabulary(text: str, language: str, etype: str) -> None:
    assert [e.type for e in events_of(text, language)] == [etype]


def test_an_action_announced_unless_a_condition_is_met_is_a_threat() -> None:
    [e] = events_of("Boko Haram said it would attack Maiduguri unless the army withdrew.", "en")
    assert (e.type, e.actor1_country) == ("threat", "NGA")
    # the condition itself is not the threat
    assert "threat" not in {
        e.type for e in events_of("Chad will withdraw unless a ceasefire is agreed.", "en")
    }


def test_a_figurative_mobilisation_is_not_a_deployment() -> None:
    text = "« Nous sommes mobilisés pour obtenir la libération de notre compatriote », a-t-il dit."
    assert "deployment" not in {e.type for e in events_of(text, "fr")}


def test_hopes_threats_and_calls_are_not_events_of_their_own() -> None:
    events = events_of(
        "Les deux gouvernements espèrent que la trêve sera respectée. "
        "Le ministre a appelé à la retenue.",
        "fr",
    )
    assert "ceasefire" not in {e.type for e in events}


def test_a_denial_alone_is_not_an_event() -> None:
    assert not [
        e
        for e in events_of("Serbia denied firing on the village.", "en")
        if e.event_class == "violence"
    ]


@pytest.mark.parametrize(
    ("text", "language", "denier"),
    [
        ("Colombia's army on Thursday denied that its soldiers had shelled a camp near Tumaco.",
         "en", "COL"),
        ("Le ministère malien de la Défense a démenti jeudi avoir bombardé un camp près de Gao.",
         "fr", "MLI"),
    ],
)  # fmt: skip
def test_a_denial_alone_is_kept_as_a_claim_on_what_another_article_reports(
    text: str, language: str, denier: str
) -> None:
    item = sitrep.analyse(text, language=language, published="2023-03-17")
    assert not [e for e in item.events if e.event_class == "violence"]
    [denied] = [e for e in item.claims_elsewhere if e.event_class == "violence"]
    assert denied.event_date == date(2023, 3, 16)  # "jeudi", "on Thursday"
    assert [(c.by_country, c.stance) for c in denied.claims] == [(denier, "denies")]
    assert denied.sources and denied.claims[0].span.start >= 0


def test_no_events_in_an_article_about_nothing_violent() -> None:
    text = "The city council approved a new budget for public libraries on Monday."
    assert events_of(text, "en") == []


def test_an_unsupported_language_is_skipped_with_its_reason() -> None:
    item = sitrep.analyse(
        "Der Bürgermeister eröffnete am Montag eine neue Bibliothek in der Stadt."
    )
    assert item.events == ()
    assert "events" in item.skipped


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=0, max_size=400))
def test_any_text_gives_valid_json_records(text: str) -> None:
    item = sitrep.analyse(text, language="fr", published="2023-03-15")
    for e in item.events:
        json.loads(json.dumps(e.to_dict()))


def test_a_500_kb_article_is_processed(seed: AnalysedArticle) -> None:
    body = (seed.clean_text or "").split("\n\n", 1)[1]
    paragraphs = body.split("\n\n")
    # Vary the paragraphs so cleaning does not drop them as repeats.
    text = "\n\n".join(
        f"{p} ({i})"
        for i in range(400)
        for p in paragraphs[i % len(paragraphs) : i % len(paragraphs) + 1]
    )
    while len(text) < 500_000:
        text += "\n\n" + text[: 500_000 - len(text)]
    item = sitrep.analyse(text, language="fr", published="2022-09-13")
    assert item.rejection is None or item.rejection.reason
    for e in item.events:
        json.loads(json.dumps(e.to_dict()))


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Former mayor dies at 91\n\nThe former mayor of Leeds died on Sunday, his family said.",
         "en"),
        ("The retired general died in his sleep on Tuesday, a spokesman said.", "en"),
        ("L'ancien député est mort mardi à l'âge de 88 ans. Il a été tué par la maladie, "
         "a dit sa famille.", "fr"),
    ],
)  # fmt: skip
def test_a_death_from_illness_or_age_is_not_a_violent_event(text: str, language: str) -> None:
    assert not [e for e in events_of(text, language) if e.event_class == "violence"]


def test_a_violent_death_in_an_article_that_names_an_illness_is_kept() -> None:
    events = events_of(
        "Three civilians died on Monday when a shell hit their house in Donetsk. One of them "
        "had been ill with cancer for years.",
        "en",
    )
    assert [e.fatalities for e in events if e.event_class == "violence"] == [3]
