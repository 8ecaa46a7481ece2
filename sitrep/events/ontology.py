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


def derive_status(
    stances: set[tuple[str | None, str]],
    actor1_country: str | None,
    actor2_country: str | None,
    independent_sources: int = 1,
) -> str:
    """The ontology's status from the claims' (claimant country, stance) pairs, in its order:
    contested, acknowledged, confirmed, claimed, reported. `independent_sources`: articles
    reporting the event that are not republications of one another."""
    if any(s == "denies" for _, s in stances):
        return "contested"
    if any(
        s == "acknowledges" and (actor1_country is None or country == actor1_country)
        for country, s in stances
    ):
        return "acknowledged"
    asserting = {country for country, s in stances if s == "asserts" and country}
    parties = {x for x in (actor1_country, actor2_country) if x}
    if len(parties) == 2 and parties <= asserting:
        return "confirmed"
    if asserting & parties:
        return "claimed"
    if len(asserting) >= 2 or independent_sources >= 2:
        return "confirmed"
    return "reported"
