"""Coreference of reports across articles, on records shaped like the extractor's."""

from __future__ import annotations

import random
from typing import Any

from sitrep.merge.core import DAY_SLACK, Report, cluster, compatible, merged_record


def report(rid: str, article: str, **fields: Any) -> Report:
    rec = {
        "event_id": rid, "type": "shelling", "class": "violence", "event_date": "2022-09-13",
        "time_precision": 1, "historical": False, "actor1": "Military Forces of Azerbaijan",
        "actor1_country": "AZE", "actor2": "Civilians (Armenia)", "actor2_country": "ARM",
        "targets": [], "country": "ARM", "admin1": "Syunik", "admin2": None, "location": "Goris",
        "latitude": 39.51, "longitude": 46.34, "geo_precision": 1, "geonames_id": 174895,
        "weapons": ["artillery"], "fatalities": None, "injuries": None, "claims": [],
        "sources": [{"article_id": article, "char_start": 0, "char_end": 10, "sentence": "x"}],
        "confidence": 0.7, "status": "reported", "notes": "",
    }  # fmt: skip
    rec.update(fields)
    return Report.from_record(rec, article)


SOTK = {"location": "Sotk", "latitude": 40.2, "longitude": 45.94, "geonames_id": 616041}
ARMENIA = {"location": "Armenia", "latitude": 40.0, "longitude": 45.0, "geo_precision": 3,
           "geonames_id": None, "admin1": None}  # fmt: skip


def test_the_same_shelling_in_two_articles_is_one_event() -> None:
    a, b = report("r1", "A"), report("r2", "B", event_date="2022-09-12")
    assert compatible(a, b)
    assert not compatible(a, report("r3", "C", **SOTK))  # another town
    assert not compatible(a, report("r4", "D", event_date="2022-09-10"))  # days apart
    assert not compatible(a, report("r5", "A"))  # one article: the extractor merged it already
    # each side blames the other for the same clash: still one event
    swapped = report("r6", "E", actor1="Military Forces of Armenia", actor1_country="ARM",
                     actor2="Military Forces of Azerbaijan", actor2_country="AZE")  # fmt: skip
    assert compatible(a, swapped)


def test_a_country_level_report_never_chains_two_towns() -> None:
    reps = {r.report_id: r for r in (
        report("r1", "A"), report("r2", "B"), report("r3", "C", **SOTK),
        report("r4", "D", **ARMENIA), report("r5", "E", **SOTK),
    )}  # fmt: skip
    links = {(x, y) for x in reps for y in reps if x < y and compatible(reps[x], reps[y])}
    assert ("r1", "r4") in links and ("r3", "r4") in links  # Armenia could be either town
    got = cluster(reps, links)
    assert got["r1"] == got["r2"] != got["r3"] == got["r5"]
    assert got["r4"] in (got["r1"], got["r3"])
    # the same whatever order the reports and links come in
    for seed in range(5):
        rng = random.Random(seed)
        items = list(reps.items())
        rng.shuffle(items)
        shuffled = list(links)
        rng.shuffle(shuffled)
        assert cluster(dict(items), [(y, x) for x, y in shuffled]) == got


def test_a_merged_event_keeps_every_source_and_the_lowest_toll() -> None:
    members = [
        report("r2", "B", fatalities=3, claims=[{"by": "Armenia", "by_country": "ARM",
               "stance": "asserts", "article_id": "B", "char_start": 0, "char_end": 5}]),
        report("r1", "A", fatalities=5),
        report("r3", "C", fatalities=4),
    ]  # fmt: skip
    # C republishes A: two independent sources, not three
    rec = merged_record(members, {"A": "A", "B": "B", "C": "A"}, {})
    assert rec["event_id"] == "r1"
    assert rec["fatalities"] == 3
    assert sorted(f["fatalities"] for f in rec["fatality_figures"]) == [3, 4, 5]
    assert len(rec["sources"]) == 3 and rec["independent_sources"] == 2
    assert rec["status"] == "claimed"  # asserted by one party only
    assert merged_record(list(reversed(members)), {"A": "A", "B": "B", "C": "A"}, {}) == rec


def test_statements_are_told_apart_by_who_made_them() -> None:
    talks = {"type": "consultation", "class": "diplomacy", "country": None, "location": None,
             "latitude": None, "longitude": None, "geonames_id": None, "geo_precision": 3,
             "actor1": "Government of Armenia", "actor1_country": "ARM",
             "actor2": "Government of Russia", "actor2_country": "RUS"}  # fmt: skip
    a, b = report("r1", "A", **talks), report("r2", "B", **talks)
    assert compatible(a, b)
    assert not compatible(a, report("r3", "C", **{**talks, "actor2_country": "CHN"}))
    nobody = {**talks, "actor1": None, "actor1_country": None}
    assert not compatible(report("r4", "D", **nobody), report("r5", "E", **nobody))


def denial(rid: str, article: str, by: str = "AZE", **fields: Any) -> Report:
    """What the extractor keeps of "X denied shelling Y" in an article that reports nothing
    else: the denied event with X's claim, dated by the article when the sentence is not."""
    claim = {"by": "Ministry of Defence", "by_country": by, "stance": "denies",
             "article_id": article, "char_start": 0, "char_end": 9}  # fmt: skip
    base: dict[str, Any] = {"claim_only": "denies", "claims": [claim], "event_date": None,
                            "published": "2022-09-14", "actor1_country": None}  # fmt: skip
    return report(rid, article, **{**base, **fields})


def test_a_denial_in_one_article_joins_the_event_another_reports() -> None:
    shelling = report("r2", "A")
    assert compatible(denial("r1", "B"), shelling)
    assert compatible(shelling, denial("r1", "B"))
    # not by a party to it, about another town, or dated well after
    assert not compatible(denial("r1", "B", by="FRA"), shelling)
    assert not compatible(denial("r1", "B", **SOTK), shelling)
    assert not compatible(denial("r1", "B", event_date="2022-09-20"), shelling)
    # a denial that gives no date looks back a week from its publication, not further
    assert not compatible(denial("r1", "B", published="2022-09-25"), shelling)
    # a clash of another kind (a protest) is not what a shelling denial is about
    protest = report("r3", "C", type="protest", **{"class": "unrest"})
    assert not compatible(denial("r1", "B"), protest)
    # denials never link to each other
    assert not compatible(denial("r1", "B"), denial("r0", "C"))


NOWHERE = {"country": None, "admin1": None, "location": None, "latitude": None,
           "longitude": None, "geonames_id": None, "geo_precision": 3}  # fmt: skip


def test_a_denial_adds_a_claim_not_a_source_and_never_chains_events() -> None:
    reps = {r.report_id: r for r in (
        report("r2", "A", claims=[{"by": "Armenia", "by_country": "ARM", "stance": "asserts",
                                   "article_id": "A", "char_start": 0, "char_end": 5}]),
        report("r3", "C", **SOTK), denial("r1", "B", country="ARM", location="Armenia",
                                           geo_precision=3, admin1=None, latitude=40.0,
                                           longitude=45.0, geonames_id=None),
        denial("r0", "D", by="ARM", **NOWHERE),
    )}  # fmt: skip
    links = {(x, y) for x in reps for y in reps if x < y and compatible(reps[x], reps[y])}
    assert {("r1", "r2"), ("r1", "r3"), ("r0", "r2"), ("r0", "r3")} <= links
    got = cluster(reps, links)
    assert got["r2"] != got["r3"]  # the denial of "shelling in Armenia" joins one of them
    assert got["r1"] in (got["r2"], got["r3"]) and got["r0"] in (got["r2"], got["r3"])
    assert set(got.values()) == {"r2", "r3"}  # event ids are reports' ids, not denials'
    event = [reps[r] for r in reps if got[r] == "r2"]
    rec = merged_record(event, {}, {})
    assert rec["reports"] == ["r2"] and rec["independent_sources"] == 1
    assert {c["stance"] for c in rec["claims"]} >= {"asserts"}
    lonely = cluster({"r1": reps["r1"]}, [])
    assert lonely == {"r1": "r1"}  # waits, alone, for a report of what it denies


def test_two_reports_of_one_article_stay_two_events() -> None:
    # A tells two shellings of Goris a day apart; B tells one of them: it joins one, not both
    reps = {r.report_id: r for r in (
        report("r1", "A"), report("r2", "A", event_date="2022-09-14"), report("r3", "B"),
    )}  # fmt: skip
    links = {(x, y) for x in reps for y in reps if x < y and compatible(reps[x], reps[y])}
    assert ("r1", "r3") in links and ("r2", "r3") in links
    got = cluster(reps, links)
    assert got["r1"] != got["r2"] and got["r3"] == got["r1"]


def test_a_report_dated_to_a_month_joins_one_event_and_chains_none() -> None:
    month = report("r0", "C", event_date="2022-09-01", time_precision=3)
    reps = {r.report_id: r for r in (
        report("r1", "A"), report("r2", "B", event_date="2022-09-20"), month,
    )}  # fmt: skip
    assert not month.precise and compatible(month, reps["r1"]) and compatible(month, reps["r2"])
    links = {(x, y) for x in reps for y in reps if x < y and compatible(reps[x], reps[y])}
    got = cluster(reps, links)
    assert got["r1"] != got["r2"] and got["r0"] in (got["r1"], got["r2"])


def test_protests_across_a_country_are_not_one_town_s_protest() -> None:
    protest = {"type": "protest", "class": "unrest", "actor1": "Protesters (Armenia)",
               "actor1_country": None, "actor2": None, "actor2_country": None}  # fmt: skip
    town = report("r1", "A", **protest)
    nation = report("r2", "B", **protest, **ARMENIA)
    assert not compatible(town, nation)
    assert compatible(nation, report("r3", "C", **protest, **ARMENIA))


def test_a_district_and_a_town_whose_district_is_unknown_are_compared_by_distance() -> None:
    district = {"location": "Vayots Dzor", "geo_precision": 2, "admin1": "Syunik",
                "admin2": "Vayots Dzor", "latitude": 39.76, "longitude": 45.33,
                "geonames_id": None}  # fmt: skip
    far_town = {"admin2": None, "latitude": 39.2, "longitude": 46.4}  # Syunik, 110 km away
    assert not compatible(report("r1", "A", **district), report("r2", "B", **far_town))
    near_town = {"admin2": None, "latitude": 39.84, "longitude": 45.67}  # 30 km away
    assert compatible(report("r1", "A", **district), report("r2", "B", **near_town))


def test_compatibility_does_not_depend_on_which_report_is_new() -> None:
    district = {"geo_precision": 2, "admin2": None, "geonames_id": None}
    other = {"geo_precision": 2, "admin2": "Goris", "geonames_id": None,
             "latitude": 40.8, "longitude": 46.3}  # same province, 150 km away  # fmt: skip
    a, b = report("r1", "A", **district), report("r2", "B", **other)
    assert compatible(a, b) == compatible(b, a)


def test_country_level_reports_a_day_apart_do_not_chain_into_one_event() -> None:
    days = [f"2022-09-{d:02d}" for d in range(1, 11)]
    reps = {f"r{n}": report(f"r{n}", f"A{n}", event_date=day, **ARMENIA)
            for n, day in enumerate(days)}  # fmt: skip
    links = {(x, y) for x in reps for y in reps if x < y and compatible(reps[x], reps[y])}
    got = cluster(reps, links)
    for eid in set(got.values()):  # each event spans two or three days, not ten
        members = [reps[r].date_lo for r in reps if got[r] == eid]
        assert max(members) - min(members) <= 2 * DAY_SLACK  # type: ignore[operator]
