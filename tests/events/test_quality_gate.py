"""The quality gate (the trafilatura habit): `sitrep eval` on the shared gold files must not fall
below pinned floors. Raise a floor when quality rises; never lower one silently."""

from __future__ import annotations

import pytest

from sitrep.evaluate import EvalReport, load_gold, score
from sitrep.events.ontology import load_ontology
from sitrep.events.run import gazetteer_same_place, predict

from conftest import SEED, SHARED

#: Measured 2026-11-25: seed strict F1 1.00, claims 1.00; Wikinews dev strict F1 0.732, class
#: F1 0.757. The class floor is the issue's target (0.75), the strict one a little below today's.
SEED_FLOORS = {"f1": 0.90, "claims": 0.80}
WIKINEWS_FLOORS = {"f1": 0.70, "class_f1": 0.75}


def evaluate(path: str) -> EvalReport:
    gold = load_gold(path)
    predictions = predict(gold, executor="pool")
    return score(gold, predictions, type_class=load_ontology().type_class(),
                 same_place=gazetteer_same_place())  # fmt: skip


@pytest.fixture(scope="module")
def seed_report() -> EvalReport:
    return evaluate(str(SEED / "ceasefire-fr.gold.jsonl"))


def test_seed_meets_the_issue_targets(seed_report: EvalReport) -> None:
    d = seed_report.to_dict()["overall"]
    assert d["events"]["f1"] >= SEED_FLOORS["f1"]
    assert d["attributes"]["claims"]["accuracy"] >= SEED_FLOORS["claims"]
    assert d["publication_date"] == {"correct": 1, "n": 1, "accuracy": 1.0}
    assert d["duplicates"] == 0
    assert d["historical"]["leaks"] == 0  # the 2020 war, its ceasefire, the 1997 treaty


def test_wikinews_dev_stays_above_its_floors() -> None:
    report = evaluate(str(SHARED / "benchmarks" / "wikinews-dev.gold.jsonl"))
    d = report.to_dict()["overall"]
    assert d["events"]["f1"] >= WIKINEWS_FLOORS["f1"]
    assert d["class_level"]["f1"] >= WIKINEWS_FLOORS["class_f1"]
