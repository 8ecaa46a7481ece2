"""Reported violations: hostile events between a ceasefire's parties after its start."""

from __future__ import annotations

from datetime import date
from typing import Any

from typer.testing import CliRunner

from sitrep.cli import app
from sitrep.merge.ceasefire import link_violations
from sitrep.store import Store

from conftest import NewDb


def event(eid: str, etype: str, a1: str, a2: str | None, day: date, **kw: Any) -> dict[str, Any]:
    row = {"event_id": eid, "type": etype, "historical": False, "actor1_country": a1,
           "actor2_country": a2, "targets": [], "country": a2, "event_date": day,
           "event_time": None, "mediator_country": None}  # fmt: skip
    row.update(kw)
    return row


def test_violations_are_hostile_events_between_the_parties_after_the_start(
    new_db: NewDb,
) -> None:
    store = Store(new_db("cf"))
    d12, d13, d14 = date(2022, 9, 12), date(2022, 9, 13), date(2022, 9, 14)
    rows = [
        event("cf", "ceasefire", "ARM", "AZE", d13, event_time="2022-09-13T06:00:00Z",
              mediator_country="RUS", country=None),
        event("after", "shelling", "AZE", "ARM", d14),
        event("same_day_later", "shelling", "ARM", "AZE", d13, event_time="2022-09-13T08:00:00Z"),
        event("same_day_no_hour", "shelling", "AZE", "ARM", d13),
        event("before", "shelling", "AZE", "ARM", d12),
        event("elsewhere", "shelling", "RUS", "UKR", d14),
        event("not_hostile", "protest", "ARM", None, d14, country="ARM"),
        event("background", "shelling", "AZE", "ARM", d14, historical=True),
        event("within_one_side", "attack_civilians", "ARM", "ARM", d14, country="ARM"),
        event("months_later", "shelling", "AZE", "ARM", date(2023, 3, 1)),
    ]  # fmt: skip
    store._insert("events", rows)
    ceasefires, violations = link_violations(store)
    assert (ceasefires, violations) == (1, 2)
    linked = dict(store.con.execute("SELECT event_id, ceasefire_id FROM events").fetchall())
    assert {e for e, c in linked.items() if c == "cf"} == {"after", "same_day_later"}
    [row] = store.ceasefires()
    assert (row["parties"], row["mediator"], row["start_time"]) == (
        ["ARM", "AZE"],
        "RUS",
        "2022-09-13T06:00:00Z",
    )
    assert sum(row["violations_by_reporter"].values()) == 2
    store.close()
    # the CLI lists it with its violations and their timeline, a bar per day
    result = CliRunner().invoke(app, ["ceasefires", "--db", store.path])
    assert result.exit_code == 0, result.output
    assert "2 reported violations" in result.output
    timeline = result.output.split("timeline", 1)[1].splitlines()
    assert [line.split()[:3] for line in timeline if line.strip()] == [
        ["2022-09-13", "█", "1"],
        ["2022-09-14", "█", "1"],
    ]
