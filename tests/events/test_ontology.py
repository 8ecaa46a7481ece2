"""The ontology data file agrees with the spec's table (`../shared/spec/ontology.md`)."""

from __future__ import annotations

import re

from sitrep.events.lexicon import load_lexicon
from sitrep.events.ontology import load_ontology

from conftest import SHARED


def spec_rows() -> dict[str, tuple[str, str]]:
    rows = {}
    for line in (SHARED / "spec" / "ontology.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`(\w+)`\s*\|\s*(\w+)\s*\|[^|]*\|\s*([A-Z]+)", line)
        if m:
            rows[m.group(1)] = (m.group(2), m.group(3))
    return rows


def test_every_spec_type_is_in_the_ontology_with_its_class_and_plover() -> None:
    rows = spec_rows()
    onto = load_ontology()
    assert len(rows) == 20
    assert set(rows) == set(onto.types)
    for code, (cls, plover) in rows.items():
        assert onto[code].event_class == cls
        assert onto[code].plover == plover


def test_acled_mapping_is_null_only_for_diplomacy() -> None:
    for t in load_ontology().types.values():
        assert (t.acled_event_type is None) == (t.event_class == "diplomacy"), t.code


def test_each_language_lexicon_triggers_every_located_type() -> None:
    onto = load_ontology()
    for lang in ("fr", "en"):
        lex = load_lexicon(lang)
        assert lex is not None
        typed = {etype for etype, _weak in lex.groups.values()}
        assert set(onto.types) - {"attack"} <= typed | {"attack"}, lang
    assert load_lexicon("xx") is None
