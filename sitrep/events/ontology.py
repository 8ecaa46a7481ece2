"""The event ontology of spec/ontology.md, read from data so the code never spells a type."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sitrep.datafile import load_yaml

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class EventType:
    code: str
    event_class: str
    acled_event_type: str | None
    acled_sub_event_type: str | None
    plover: str
    located: bool  # coded at a place (violence, unrest, arrests), not a diplomatic act
    hostile: bool  # what a ceasefire forbids


@dataclass(frozen=True, slots=True)
class Ontology:
    types: dict[str, EventType]

    def __getitem__(self, code: str) -> EventType:
        return self.types[code]

    def __contains__(self, code: object) -> bool:
        return code in self.types

    def type_class(self) -> dict[str, str]:
        return {code: t.event_class for code, t in self.types.items()}


@cache
def load_ontology(path: Path | None = None) -> Ontology:
    raw = load_yaml(path or DATA / "ontology.yaml")
    located = set(raw["located_classes"])
    hostile = set(raw["hostile_classes"])
    types = {}
    for code, spec in raw["types"].items():
        acled = spec.get("acled") or [None, None]
        types[code] = EventType(
            code=code,
            event_class=spec["class"],
            acled_event_type=acled[0],
            acled_sub_event_type=acled[1],
            plover=spec["plover"],
            located=spec["class"] in located,
            hostile=spec["class"] in hostile,
        )
    return Ontology(types)
