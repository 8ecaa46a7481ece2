"""Records serialise to the field names of the export contract (shared/spec/events.md)."""

from __future__ import annotations

import json
import re
from datetime import date

from sitrep.model import Claim, Event, OffsetSegment, Source, Span, raw_offset

from conftest import SHARED


def contract_fields() -> list[str]:
    """Field names of the spec's 'Event record' table, read from the spec itself."""
    spec = (SHARED / "spec" / "events.md").read_text(encoding="utf-8")
    table = spec.split("## Event record", 1)[1].split("\n## ", 1)[0]
    names: list[str] = []
    for line in table.splitlines():
        if line.startswith("| `"):
            names.extend(re.findall(r"`([a-z0-9_]+)`", line.split("|")[1]))
    return names


def test_event_serialises_to_exactly_the_contract_fields() -> None:
    span = Span("a1", 10, 42)
    event = Event(
        event_id="e1",
        type="shelling",
        event_class="violence",
        plover="ASSAULT",
        event_date=date(2022, 9, 13),
        weapons=("artillery", "drone"),
        claims=(Claim("Ministry of Defence of Armenia", "ARM", "asserts", span, "…"),),
        sources=(Source(span, "seed", None, date(2022, 9, 13), "…"),),
    )
    record = event.to_dict()
    assert list(record) == contract_fields()
    assert record["class"] == "violence" and record["event_date"] == "2022-09-13"
    assert record["weapons"] == ["artillery", "drone"]
    assert record["claims"][0] == {
        "by": "Ministry of Defence of Armenia", "by_country": "ARM", "stance": "asserts",
        "article_id": "a1", "sentence": "…", "char_start": 10, "char_end": 42,
    }  # fmt: skip
    assert set(record["sources"][0]) == {
        "article_id", "input_id", "url", "published", "sentence", "char_start", "char_end",
    }  # fmt: skip
    json.dumps(record)  # plain JSON, nothing left to convert


def test_raw_offset_maps_inside_segments_and_not_outside() -> None:
    segments = [OffsetSegment(0, 5, 100, 105), OffsetSegment(7, 10, 200, 206)]
    assert raw_offset(segments, 3) == 103
    assert raw_offset(segments, 8) == 202  # a segment whose length changed maps proportionally
    assert raw_offset(segments, 6) is None  # the paragraph separator comes from no raw text
    touching = [OffsetSegment(0, 5, 100, 105), OffsetSegment(5, 9, 108, 112)]  # 3 dropped
    assert raw_offset(touching, 5) == 108  # a start: the later segment's first character
    assert raw_offset(touching, 5, end=True) == 105  # an end: just after the earlier one
