"""The merge in the store: the seed and a republished copy, in any order, once each."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sitrep.ingest import ingest
from sitrep.store import Store

from conftest import SEED, NewDb


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed, and a copy republished by another site with its own furniture around it."""
    d = tmp_path_factory.mktemp("in")
    raw = (SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8")
    seed = d / "seed.txt"
    seed.write_text(raw, encoding="utf-8")
    copy = d / "copy.txt"
    copy.write_text(
        "Accueil | International | Économie | Contact\nPublicité\n\n" + raw
        + "\n\nPartager : Facebook | X | WhatsApp\n© 2022 Le Courrier du Web\n",
        encoding="utf-8",
    )  # fmt: skip
    return seed, copy


def events(store: Store) -> list[list[tuple[Any, ...]]]:
    """What an analyst sees, without what depends on which copy came first."""
    cols = ", ".join(f'"{c}"' for c in store.columns("events") if c != "notes")
    return [
        sorted(store.con.execute(sql).fetchall(), key=repr)
        for sql in (
            f"SELECT {cols} FROM events",
            'SELECT event_id, "by", stance, article_id, char_start FROM claims',
            "SELECT event_id, article_id, char_start, char_end FROM sources",
        )
    ]


def run(new_db: NewDb, name: str, batches: list[list[Path]]) -> Store:
    store = Store(new_db(name))
    for batch in batches:
        ingest([str(p) for p in batch], store, executor="inline")
    return store


def test_a_republished_copy_adds_sources_not_events(
    new_db: NewDb, inputs: tuple[Path, Path]
) -> None:
    seed, copy = inputs
    alone = run(new_db, "alone", [[seed]])
    both = run(new_db, "both", [[seed, copy]])
    n = alone.count("events")
    assert n >= 10 and both.count("events") == n  # once each
    assert both.count("reports") == 2 * n
    rows = both.con.execute(
        "SELECT cardinality(reports), independent_sources FROM events"
    ).fetchall()
    assert set(rows) == {(2, 1)}  # two reports each, one independent source
    # the seed's ceasefire: its start to the hour, its parties and its mediator
    cf = both.con.execute("SELECT start_time, parties, mediator FROM ceasefires").fetchall()
    assert cf == [("2022-09-13T06:00:00Z", ["ARM", "AZE"], "RUS")]


def test_merging_is_order_independent_and_idempotent(
    new_db: NewDb, inputs: tuple[Path, Path]
) -> None:
    seed, copy = inputs
    one = run(new_db, "one", [[seed, copy]])
    reverse = run(new_db, "reverse", [[copy], [seed]])
    assert events(one) == events(reverse)
    before = one.snapshot()
    summary = one.merge()
    assert summary.new_reports == 0 and one.snapshot() == before


def test_queries_filter_and_are_parameterised(
    tmp_path: Path, new_db: NewDb, inputs: tuple[Path, Path]
) -> None:
    seed, copy = inputs
    store = run(new_db, "q", [[seed, copy]])
    db = store.path
    strikes = store.events(country="arm", event_class="violence")
    assert sorted(e["location"] for e in strikes) == ["Goris", "Jermuk", "Sotk"]
    by_actor = store.events(actor="azerbaijan", event_class="violence")
    assert by_actor and all("Azerbaijan" in (e["actor1"] or "") + (e["actor2"] or "")
                            for e in by_actor)  # fmt: skip
    assert {e["location"] for e in store.events(bbox=(45.8, 40.1, 46.0, 40.3))} == {"Sotk"}
    assert store.events(date_from=date(2022, 9, 14)) == []
    assert store.events(text="Goris")
    hostile = "'; DROP TABLE events; --"
    assert store.events(text=hostile, actor=hostile, country=hostile) == []
    assert store.count("events") == len(store.events(historical=True))
    [cf] = store.ceasefires()
    assert (cf["parties"], cf["mediator"]) == (["ARM", "AZE"], "RUS")
    st = store.stats()
    assert (st["articles"], st["duplicates"]) == (2, 1)
    assert st["reports"] == 2 * (st["events"] + st["historical"])
    assert st["by_class"]["violence"] >= 5 and st["by_country"]["ARM"] == 3
    assert sorted(e["location"] for e in st["contested"]) == ["Gadabay", "Laçın"]
    store.close()
    listed = subprocess.run(
        [sys.executable, "-m", "sitrep", "events", "--db", db, "--country", "ARM", "-f", "jsonl"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert len(listed.stdout.splitlines()) == 3
    shown = subprocess.run(
        [sys.executable, "-m", "sitrep", "ceasefires", "--db", db],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "ARM–AZE" in shown.stdout and "RUS" in shown.stdout
    summary = subprocess.run(
        [sys.executable, "-m", "sitrep", "stats", "--db", db],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert "2 articles" in summary.stdout and "contested" in summary.stdout
    exported = subprocess.run(
        [sys.executable, "-m", "sitrep", "export", "--db", db, "--what", "events", "-f", "csv"],
        capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    header = exported.stdout.splitlines()[0].split(",")
    assert {"event_id_cnty", "event_type", "sub_event_type", "year", "country", "fatalities",
            "latitude", "longitude", "geo_precision", "source", "notes"} <= set(header)  # fmt: skip
    geo = tmp_path / "events.geojson"
    subprocess.run(
        [sys.executable, "-m", "sitrep", "export", "--db", db, "--what", "events", "-f",
         "geojson", "-o", str(geo)], capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    collection = json.loads(geo.read_text(encoding="utf-8"))
    places = {f["properties"]["location"] for f in collection["features"]}
    assert {"Goris", "Sotk", "Jermuk"} <= places
    assert all(f["geometry"]["type"] == "Point" for f in collection["features"])


# Two articles written for this test: one side reports a shelling, the other side denies it the
# next day in an article that reports nothing else.
REPORT = (
    "Indian army says Pakistani troops shelled a village in Kashmir\n\nPublished: 12 March 2024\n\n"
    "The Indian army said on Monday that Pakistani troops shelled the village of Uri overnight, "
    "killing two civilians and wounding five.\n"
)
DENIAL = (
    "Pakistan rejects Indian claims\n\nPublished: 13 March 2024\n\n"
    "Pakistan's military on Tuesday denied that its troops had shelled Uri.\n"
)


@pytest.mark.parametrize("order", ["report first", "denial first", "one batch"])
def test_a_denial_published_elsewhere_contests_the_event(
    tmp_path: Path, new_db: NewDb, order: str
) -> None:
    report, denial = tmp_path / "report.txt", tmp_path / "denial.txt"
    report.write_text(REPORT, encoding="utf-8")
    denial.write_text(DENIAL, encoding="utf-8")
    batches = {"report first": [[report], [denial]], "denial first": [[denial], [report]],
               "one batch": [[report, denial]]}[order]  # fmt: skip
    store = run(new_db, "store", batches)
    [event] = store.events()
    assert (event["type"], event["location"], event["actor1_country"]) == ("shelling", "Uri", "PAK")
    assert event["status"] == "contested"
    stances = store.con.execute(
        "SELECT by_country, stance FROM claims WHERE event_id = ? ORDER BY 1, 2",
        [event["event_id"]],
    ).fetchall()
    assert ("PAK", "denies") in stances and ("IND", "asserts") in stances
    # the denying article adds a claim, not a source: one source reports the shelling
    assert event["independent_sources"] == 1
    sources = store.con.execute(
        "SELECT DISTINCT a.title FROM sources s JOIN articles a USING (article_id) "
        "WHERE s.event_id = ?", [event["event_id"]]).fetchall()  # fmt: skip
    assert [t for (t,) in sources] == [REPORT.split("\n")[0]]
    # nothing is left waiting, and nothing changes when the merge runs again
    assert store.stats()["denials_waiting"] == 0
    before = events(store)
    store.merge()
    assert events(store) == before


# One attack told in French and in English by two articles written for this test, and a protest
# in another town the same day.
FRENCH = (
    "Mali : attaque contre un camp de l'armée près de Mopti\n\nPublié le 4 octobre 2023\n\n"
    "Des jihadistes ont attaqué mardi un camp de l'armée malienne à Sévaré, près de Mopti, "
    "tuant douze soldats, selon l'état-major des armées.\n"
)
ENGLISH = (
    "Militants attack army camp in central Mali\n\nPublished: 4 October 2023\n\n"
    "Islamist militants attacked a Malian army camp in Sevare on Tuesday, killing at least ten "
    "soldiers, the army said.\n"
)
PROTEST = (
    "Manifestation à Bamako\n\nPublié le 4 octobre 2023\n\n"
    "Des centaines de personnes ont manifesté mardi à Bamako contre la hausse des prix.\n"
)


def test_one_attack_told_in_french_and_english_is_one_event(tmp_path: Path, new_db: NewDb) -> None:
    paths = []
    for name, text in (("fr", FRENCH), ("en", ENGLISH), ("protest", PROTEST)):
        paths.append(tmp_path / f"{name}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    store = run(new_db, "bilingual", [paths])
    violence = store.events(event_class="violence")
    assert len(violence) == 1
    [event] = violence
    languages = store.con.execute(
        "SELECT array_agg(DISTINCT a.language ORDER BY a.language) FROM sources s "
        "JOIN articles a USING (article_id) WHERE s.event_id = ?", [event["event_id"]]
    ).fetchone()  # fmt: skip
    assert languages == (["en", "fr"],)
    assert event["independent_sources"] == 2
    # the lower toll is kept, and each figure with where it came from
    assert event["fatalities"] == 10
    assert sorted(f["fatalities"] for f in json.loads(event["fatality_figures"])) == [10, 12]
    assert [e["type"] for e in store.events(event_class="unrest")] == ["protest"]
