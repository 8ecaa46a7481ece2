"""Smoke tests of bench/extract.py (pipeline cost vs spaCy) and bench/plover.py (event types
against the PLOVER gold standard): each main runs on three inputs and gives sane numbers.

They load the spaCy models and the pipeline (about 40 s in all): the extract benchmark's
phases each run in a spawned process, as a real run does.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO


def _load(name: str) -> ModuleType:
    # on sys.path (not loaded from a file spec) so spawned processes can import it too
    bench = str(REPO / "bench")
    if bench not in sys.path:
        sys.path.insert(0, bench)
    return importlib.import_module(name)


extract = _load("extract")
plover = _load("plover")


# ---------------------------------------------------------------- bench/extract.py


def test_load_corpus_alternates_languages() -> None:
    articles = extract.load_corpus(limit=3)
    assert [a.language for a in articles] == ["fr", "en", "fr"]
    assert all(a.text and a.published for a in articles)


def test_extract_main_on_three_articles(tmp_path: Path) -> None:
    out = tmp_path / "extract.json"
    assert extract.main(["--limit", "3", "--repeat", "1", "--out", str(out)]) == 0
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["corpus"]["articles"] == 3 and "CC BY" in res["corpus"]["credit"]
    phases = res["phases"]
    assert set(phases) == {"spacy", "pipeline", "events"}
    for name, ph in phases.items():
        assert ph["articles"] == 3, name
        assert ph["articles_per_second"] > 0 and ph["ms_per_article"] > 0, name
        assert ph["load_seconds"] > 0, name
        mem = ph["memory"]
        assert mem["rss_loaded_mb"] > 100, name  # spaCy models are loaded
        assert mem["peak_rss_mb"] >= mem["rss_loaded_mb"] - 5, name
        assert mem["process_peak_rss_mb"] >= mem["peak_rss_mb"] - 5, name
    assert phases["spacy"]["tokens"] > 0
    assert phases["spacy"]["articles_per_language"] == {"fr": 2, "en": 1}
    pipe = phases["pipeline"]
    assert pipe["rejected"] == 0
    assert {"nlp", "places", "events"} <= set(pipe["stages_seconds"])
    assert 0 < sum(pipe["stages_seconds"].values()) <= pipe["seconds"]
    assert phases["events"]["memory"]["python_heap_peak_mb"] >= 0
    assert res["ratio_pipeline_to_spacy"] > 0
    assert 0 < res["events_share_of_pipeline"] < 1


# ---------------------------------------------------------------- bench/plover.py


def _gsr_labels() -> set[str]:
    return {r["event"] for r in plover.load_records()}


def test_label_map_covers_every_ontology_type() -> None:
    from sitrep.events.ontology import load_ontology

    types = set(load_ontology().types)
    assert types <= set(plover.GSR_LABELS), "map the new types in GSR_LABELS"
    labels = plover.label_map()
    assert set(labels) == types
    gsr = _gsr_labels()
    for code, (label, why) in labels.items():
        assert label in gsr and why, code


def test_score_counts_fp_on_every_record() -> None:
    P = plover.Prediction

    def pred(gold: str, label: str) -> object:
        return P("r", gold, label, None, None, 0, [])

    preds = [
        pred("AGREE", "AGREE"), pred("REJECT", "AGREE"), pred("AGREE", plover.NONE),
        pred("FIGHT", "FIGHT"), pred("FIGHT", "ASSAULT"),
    ]  # fmt: skip
    res = plover.score(preds, {"AGREE", "FIGHT", "ASSAULT"})
    agree = res["per_label"]["AGREE"]
    assert (agree["tp"], agree["fp"], agree["fn"]) == (1, 1, 1)  # the REJECT record is an FP
    assert res["per_label"]["ASSAULT"]["support"] == 0
    assert res["covered_labels_scored"] == ["AGREE", "FIGHT"]  # ASSAULT has no gold record
    assert res["covered"]["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 2)
    assert res["covered"]["accuracy"] == pytest.approx(2 / 4)
    assert res["covered"]["coverage"] == pytest.approx(3 / 4)
    assert res["all"]["accuracy"] == pytest.approx(2 / 5)
    assert res["all"]["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3)
    assert res["confusions"][0]["count"] == 1


def test_plover_main_on_three_records(tmp_path: Path) -> None:
    out = tmp_path / "plover.json"
    assert plover.main(["--limit", "3", "--out", str(out)]) == 0
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["records"] == 3 and len(res["predictions"]) == 3
    covered = set(res["covered_labels"])
    for key in ("accuracy", "macro_f1", "coverage"):
        assert 0 <= res["covered"][key] <= 1, key
        assert 0 <= res["all"][key] <= 1, key
    for p in res["predictions"]:
        assert p["label"] in covered | {plover.NONE}
        assert p["note"] == ""  # analysed, not rejected
    assert res["ms_per_sentence"] > 0
