"""The scorer behind `sitrep eval`, on the real seed gold: perfect predictions score 1.0 and each
perturbation moves exactly the number it should."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import ConfigError
from sitrep.evaluate import EvalReport, Prediction, load_gold, render, score

from conftest import SEED, SHARED

# spec/ontology.md, "Types": code -> class
TYPE_CLASS = {
    "armed_clash": "violence",
    "shelling": "violence",
    "air_drone_strike": "violence",
    "explosive_device": "violence",
    "suicide_bomb": "violence",
    "attack_civilians": "violence",
    "abduction": "violence",
    "territory_change": "violence",
    "protest": "unrest",
    "riot": "unrest",
    "ceasefire": "agreement",
    "agreement": "agreement",
    "arrest": "other",
    "deployment": "other",
    "request": "diplomacy",
    "appeal": "diplomacy",
    "consultation": "diplomacy",
    "accusation": "diplomacy",
    "threat": "diplomacy",
    "sanction": "diplomacy",
}
GOLD_ONLY = ("alt_types", "optional", "parties", "any_order", "note")
SEED_GOLD = SEED / "ceasefire-fr.gold.jsonl"
WIKINEWS_GOLD = SHARED / "benchmarks" / "wikinews-dev.gold.jsonl"

# indices into the seed's gold events
CEASEFIRE, GORIS, SOTK, JERMUK, NOVOIVANOVKA, HUSULU = 0, 1, 2, 3, 4, 5
REQUEST, CALL_PUTIN, CALL_BLINKEN = 6, 7, 8
OPTIONAL_REQUEST = 11


def as_prediction(gold_event: dict[str, Any]) -> dict[str, Any]:
    """A gold event as a system would output it (parties become actor1/actor2)."""
    pred = {k: copy.deepcopy(v) for k, v in gold_event.items() if k not in GOLD_ONLY}
    parties = gold_event.get("parties")
    if parties and not pred.get("actor1_country"):
        pred["actor1_country"], pred["actor2_country"] = parties[0], parties[1]
    pred["class"] = TYPE_CLASS[pred["type"]]
    pred["historical"] = False
    return pred


def perfect(record: dict[str, Any]) -> Prediction:
    published = record.get("published") or record.get("published_expected")
    return Prediction([as_prediction(e) for e in record["events"]], published=published)


def run(record: dict[str, Any], events: list[dict[str, Any]], **kw: Any) -> EvalReport:
    pred = Prediction(events, published=kw.pop("published", record["published_expected"]))
    return score([record], {record["id"]: pred}, type_class=TYPE_CLASS, **kw)


@pytest.fixture()
def seed() -> dict[str, Any]:
    (record,) = load_gold(SEED_GOLD)
    return record


@pytest.fixture()
def preds(seed: dict[str, Any]) -> list[dict[str, Any]]:
    return perfect(seed).events


def test_perfect_predictions_score_one(seed: dict[str, Any], preds: list[dict[str, Any]]) -> None:
    t = run(seed, preds).overall
    required = sum(not e["optional"] for e in seed["events"])
    assert (t.strict.tp, t.strict.fp, t.strict.fn) == (required, 0, 0)
    assert t.strict.f1 == t.class_level.f1 == 1.0
    assert t.optional_matched == 2  # the two optional events: neither TP nor FP
    assert t.claims.value == 1.0 and t.claims.n == 5 * 2 + 1
    for ratio in (t.date, t.location_25km, t.location_161km, t.actor1_country, t.actor2_country):
        assert ratio.value == 1.0
    assert (t.location_25km.n, t.weapons.n, t.status.n) == (5, 5, 5)
    assert t.weapons.value == t.weapons_jaccard == t.status.value == 1.0
    assert t.fatalities.n == 0 and t.fatalities.value is None
    assert t.duplicates == t.historical_leaks == t.historical_flagged == 0
    assert t.historical_gold == 6
    assert t.publication_date.correct == t.publication_date.n == 1


def test_perfect_predictions_on_the_wikinews_dev_gold_score_one_per_language() -> None:
    gold = load_gold(WIKINEWS_GOLD)
    report = score(gold, {r["id"]: perfect(r) for r in gold}, type_class=TYPE_CLASS)
    assert set(report.by_language) == {"fr", "en"}
    for t in (report.overall, *report.by_language.values()):
        assert t.strict.f1 == t.class_level.f1 == 1.0 and t.claims.value == 1.0
        assert t.fatalities.value == 1.0 and t.fatalities.n > 0
    assert report.overall.strict.tp == 60 and report.overall.articles == 30
    assert report.by_language["fr"].strict.tp == 27
    assert report.overall.publication_date.n == 0  # every line gives `published`
    json.dumps(report.to_dict())


def test_date_two_days_off_unmatches_one_day_off_matches(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    preds[SOTK]["event_date"] = "2022-09-15"
    preds[JERMUK]["event_date"] = "2022-09-14"
    t = run(seed, preds).overall
    assert (t.strict.tp, t.strict.fp, t.strict.fn) == (10, 1, 1)
    assert (t.date.correct, t.date.n) == (9, 10)  # Jermuk matched, but not on the exact day


def test_missing_predicted_date_never_matches_a_dated_gold(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    preds[GORIS]["event_date"] = None
    assert run(seed, preds).overall.strict.fn == 1


def test_coordinates_100_km_off_unmatch_unless_precision_2_names_the_district(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    preds[NOVOIVANOVKA]["latitude"] += 0.9  # about 100 km north
    t = run(seed, preds).overall
    assert (t.strict.tp, t.strict.fn) == (10, 1)

    preds[NOVOIVANOVKA].update(geo_precision=2, location="Gädäbäy", admin2="Gädäbäy")
    t = run(seed, preds).overall
    assert (t.strict.tp, t.strict.fn) == (11, 0)
    assert (t.location_25km.correct, t.location_161km.correct, t.location_25km.n) == (4, 5, 5)

    # a name that only the gazetteer knows needs the hook
    preds[HUSULU].update(latitude=40.5, geo_precision=2, location=None, admin2="Laçın")
    assert run(seed, preds).overall.strict.fn == 1
    lachin = {"lacin": "lachin"}

    def same_place(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
        key = (pred.get("admin2") or "").replace("ç", "c").replace("ı", "i").lower()
        return lachin.get(key) == (gold.get("admin2") or "").lower()

    assert run(seed, preds, same_place=same_place).overall.strict.fn == 0


def test_precision_1_does_not_fall_back_to_names(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    preds[GORIS].update(latitude=39.0, admin1="Syunik")  # 57 km away, precision 1
    assert run(seed, preds).overall.strict.fn == 1


def test_duplicate_prediction_counts_once_and_lowers_precision(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    preds.append(copy.deepcopy(preds[GORIS]))
    report = run(seed, preds)
    t = report.overall
    assert (t.strict.tp, t.strict.fp, t.strict.fn, t.duplicates) == (11, 1, 0, 1)
    assert t.strict.precision == pytest.approx(11 / 12) and t.strict.recall == 1.0
    assert report.articles[0].duplicates == [len(preds) - 1]


def test_prediction_flagged_historical_is_left_out(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    war = {"type": "armed_clash", "event_date": "2020-10-05", "historical": True}
    stray = {"type": "protest", "event_date": "2019-01-01", "historical": True}
    t = run(seed, [*preds, war, stray]).overall
    assert t.strict.f1 == 1.0 and t.strict.fp == 0
    assert (t.historical_flagged, t.historical_flagged_matched, t.historical_leaks) == (2, 1, 0)


def test_unflagged_copy_of_a_historical_event_is_a_false_positive_and_a_leak(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    treaty = {"type": "agreement", "event_date": "1997-08-29", "actor1_country": "ARM"}
    report = run(seed, [*preds, treaty])
    t = report.overall
    assert (t.strict.fp, t.historical_leaks, t.duplicates) == (1, 1, 0)
    assert report.articles[0].leaks == [len(preds)]


def test_unmatched_optional_gold_is_not_a_false_negative(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    optional = [p for p, g in zip(preds, seed["events"], strict=True) if not g["optional"]]
    t = run(seed, optional).overall
    assert (t.strict.tp, t.strict.fp, t.strict.fn, t.optional_matched) == (11, 0, 0, 0)


def test_alt_types_match_strictly_and_same_class_matches_at_class_level(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    preds[GORIS]["type"] = "air_drone_strike"  # listed in alt_types
    preds[SOTK]["type"] = "explosive_device"  # violence, but not listed
    t = run(seed, preds).overall
    assert (t.strict.tp, t.strict.fp, t.strict.fn) == (10, 1, 1)
    assert (t.class_level.tp, t.class_level.fp, t.class_level.fn) == (11, 0, 0)

    preds[SOTK]["type"] = "protest"  # another class: no match at either level
    assert run(seed, preds).overall.class_level.fn == 1


def test_any_order_ignores_actor_order_but_not_the_actors(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    call = preds[CALL_PUTIN]
    call["actor1_country"], call["actor2_country"] = "RUS", "ARM"
    t = run(seed, preds).overall
    assert t.strict.fn == 0 and t.actor2_country.value == 1.0
    call["actor1_country"], call["actor2_country"] = "RUS", "USA"
    assert run(seed, preds).overall.strict.fn == 1
    # the order does matter for an ordinary event
    shelling = preds[GORIS]
    shelling["actor1_country"], shelling["actor2_country"] = "ARM", "AZE"
    assert run(seed, preds).overall.strict.fn == 2


def test_parties_without_actor1_accept_either_party_or_no_country(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    ceasefire = preds[CEASEFIRE]
    for actors, ok in [
        (("AZE", "ARM"), True),
        (("ARM", None), True),
        ((None, None), True),
        (("TUR", "USA"), False),
    ]:
        ceasefire["actor1_country"], ceasefire["actor2_country"] = actors
        ceasefire["mediator_country"] = None if actors[0] is None else "RUS"
        assert (run(seed, preds).overall.strict.fn == 0) is ok, actors


def test_targets_count_for_actor2(seed: dict[str, Any], preds: list[dict[str, Any]]) -> None:
    preds[REQUEST].update(actor2_country="CSTO", targets=[])
    assert run(seed, preds).overall.actor2_country.value == 1.0
    preds[REQUEST].update(actor2_country="FRA", targets=["UNSC"])
    assert run(seed, preds).overall.actor2_country.value == 1.0
    preds[REQUEST].update(actor2_country="FRA", targets=[])
    t = run(seed, preds).overall
    assert (t.actor2_country.correct, t.actor2_country.n) == (10, 11)


def test_maximum_matching_beats_greedy(seed: dict[str, Any], preds: list[dict[str, Any]]) -> None:
    # A district-level report placed at Goris but naming Vayots Dzor (Jermuk's province) can match
    # Goris (same point) or Jermuk (by name). Listed first and as close to Goris as the exact
    # Goris prediction, a greedy pass gives it to Goris and then has nothing for Jermuk; the
    # maximum matching re-routes Goris to its exact prediction and gives this one to Jermuk.
    vague = copy.deepcopy(preds[GORIS])
    vague.update(geo_precision=2, location="Vayots Dzor", admin1="Vayots Dzor")
    rest = [p for i, p in enumerate(preds) if i != JERMUK]
    report = run(seed, [vague, *rest])
    t = report.overall
    assert (t.strict.tp, t.strict.fp, t.strict.fn) == (11, 0, 0)
    assert (JERMUK, 0) in report.articles[0].matched and (GORIS, GORIS + 1) in report.articles[
        0
    ].matched


def test_required_gold_is_preferred_over_optional(seed: dict[str, Any]) -> None:
    seed = copy.deepcopy(seed)
    request = seed["events"][REQUEST]
    seed["events"] = [seed["events"][OPTIONAL_REQUEST], request]  # optional listed first
    pred = {"type": "request", "event_date": "2022-09-13", "actor1_country": "ARM"}
    t = run(seed, [pred]).overall
    assert (t.strict.tp, t.strict.fp, t.strict.fn, t.optional_matched) == (1, 0, 0, 0)


def test_month_and_year_gold_dates_cover_their_span(seed: dict[str, Any]) -> None:
    seed = copy.deepcopy(seed)
    event = seed["events"][CALL_BLINKEN]
    seed["events"] = [event]
    for gold_date, pred_date, ok in [
        ("2022-09", "2022-09-30", True),
        ("2022-09", "2022-10-01", True),  # a day's slack at the edge
        ("2022-09", "2022-10-02", False),
        ("2022", "2022-01-01", True),
        ("2022", "2023-01-03", False),
    ]:
        event["event_date"] = gold_date
        pred = {**as_prediction(event), "event_date": pred_date}
        assert (run(seed, [pred]).overall.strict.tp == 1) is ok, (gold_date, pred_date)


def test_publication_date_accuracy_only_where_gold_hides_it(seed: dict[str, Any]) -> None:
    events = perfect(seed).events
    assert run(seed, events, published="2022-09-13").overall.publication_date.correct == 1
    t = run(seed, events, published="2022-09-12").overall
    assert (t.publication_date.correct, t.publication_date.n) == (0, 1)
    t = run(seed, events, published=None).overall
    assert (t.publication_date.correct, t.publication_date.n) == (0, 1)
    given = {**seed, "published": "2022-09-13"}
    assert run(given, events).overall.publication_date.n == 0


def test_missing_prediction_is_all_false_negatives_and_unknown_ids_are_listed(
    seed: dict[str, Any],
) -> None:
    report = score([seed], {"elsewhere": Prediction([])}, type_class=TYPE_CLASS)
    assert (report.overall.strict.fn, report.overall.strict.f1) == (11, 0.0)
    assert report.unknown_ids == ["elsewhere"] and not report.articles[0].predicted


def test_claims_and_status_are_scored_on_matched_pairs(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    preds[GORIS]["claims"] = [{"by_country": "ARM", "stance": "asserts"}]
    preds[GORIS]["status"] = "claimed"
    preds[SOTK]["weapons"] = ["artillery"]
    t = run(seed, preds).overall
    assert (t.claims.correct, t.claims.n) == (10, 11)
    assert (t.status.correct, t.status.n) == (4, 5)
    assert (t.weapons.correct, t.weapons.n) == (4, 5)
    assert t.weapons_jaccard == pytest.approx((4 + 1 / 3) / 5)


def test_report_is_plain_json_and_renders(
    seed: dict[str, Any], preds: list[dict[str, Any]]
) -> None:
    from rich.console import Console

    preds.append(copy.deepcopy(preds[GORIS]))
    report = run(seed, preds)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["overall"]["events"]["fp"] == 1 and data["overall"]["duplicates"] == 1
    assert data["by_language"]["fr"]["events"]["tp"] == 11
    assert data["articles"][0]["duplicate_predictions"] == [len(preds) - 1]
    console = Console(record=True, width=120)
    for table in render(report):
        console.print(table)
    text = console.export_text()
    assert "events F1 (strict)" in text and "seed-ceasefire-fr" not in text
    for table in render(report, verbose=True):
        console.print(table)
    assert "seed-ceasefire-fr" in console.export_text()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"language": "fr", "events": []}', "missing or empty string 'id'"),
        ('{"id": "b", "events": [{"type": "x", "event_date": "13/09/2022"}]}', "event_date"),
        ('{"id": "a", "events": []}', "already used on line 1"),
        ('{"id": "b", "events": {}}', "'events' must be a list"),
    ],
)
def test_load_gold_names_the_bad_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "a", "events": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"gold\.jsonl:2: .*" + re.escape(message)):
        load_gold(path)


def test_unknown_gold_type_is_a_gold_error(seed: dict[str, Any]) -> None:
    seed = copy.deepcopy(seed)
    seed["events"][GORIS]["alt_types"] = ["bombing"]
    with pytest.raises(ConfigError, match="unknown type 'bombing'"):
        score([seed], {}, type_class=TYPE_CLASS)
