"""The geoparsing benchmarks' readers and metrics (`bench/_geo_corpora.py`), on tiny invented
fixtures: no benchmark text, no model, no gazetteer."""

from __future__ import annotations

import importlib.util
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from conftest import REPO


def _load() -> ModuleType:
    name = "_geo_corpora"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


gc = _load()

LGL_XML = """<?xml version="1.0" encoding="utf-8"?>
<articles>
  <article docid="1">
    <title>t</title>
    <text><![CDATA[Floods hit Lyon and Dijon on Monday.]]></text>
    <toponyms>
      <toponym><start>11</start><end>15</end><phrase>Lyon</phrase>
        <gaztag geonameid="2996944"><name>Lyon</name><lat>45.75</lat><lon>4.85</lon></gaztag>
      </toponym>
      <toponym><start>19</start><end>24</end><phrase>Dijon</phrase></toponym>
    </toponyms>
  </article>
  <article docid="2">
    <text><![CDATA[A storm left Nantes in the dark.]]></text>
    <toponyms>
      <toponym><start>14</start><end>20</end><phrase>Nantes</phrase>
        <gaztag geonameid="2990969"><lat>47.22</lat><lon>-1.55</lon></gaztag>
      </toponym>
      <toponym><start>0</start><end>4</end><phrase>Brest</phrase></toponym>
    </toponyms>
  </article>
  <article docid="3">
    <text><![CDATA[No places here.]]></text>
    <toponyms/>
  </article>
</articles>
"""

GWN_XML = """<?xml version="1.0" ?>
<articles>
  <article file="7">
    <title>t</title>
    <text>Texan officials in Austin said Mexico agreed. The Austin Bank closed.</text>
    <toponyms>
      <toponym><extractedName>Texan</extractedName><normalisedName>Texas</normalisedName>
        <type>Non_Literal_Modifier</type><modifierType>Adjective</modifierType>
        <nonLocational>No</nonLocational><start>0</start><end>5</end>
        <geonamesID>4736286</geonamesID><latitude>31.25</latitude><longitude>-99.25</longitude>
      </toponym>
      <toponym><extractedName>Austin</extractedName><normalisedName/>
        <type>Literal</type><modifierType/><nonLocational>No</nonLocational>
        <start>19</start><end>25</end>
        <geonamesID>4671654</geonamesID><latitude>30.27</latitude><longitude>-97.74</longitude>
      </toponym>
      <toponym><extractedName>Mexico</extractedName><normalisedName/>
        <type>Metonymic</type><modifierType/><nonLocational>No</nonLocational>
        <start>31</start><end>37</end>
        <geonamesID/><latitude>23.0</latitude><longitude>-102.0</longitude>
      </toponym>
      <toponym><extractedName>officials</extractedName><normalisedName/>
        <type>Non_Lit_Expression</type><modifierType/><nonLocational>Yes</nonLocational>
        <start>6</start><end>15</end>
      </toponym>
      <toponym><extractedName>Austin Bank</extractedName><normalisedName/>
        <type>Non_Toponym</type><modifierType/><nonLocational>No</nonLocational>
        <start>50</start><end>61</end>
      </toponym>
      <toponym><extractedName>Austin</extractedName><normalisedName/>
        <type>Embedded_Non_Lit</type><modifierType>Noun</modifierType>
        <nonLocational>No</nonLocational><start>50</start><end>56</end>
        <geonamesID>4671654</geonamesID><latitude>30.27</latitude><longitude>-97.74</longitude>
      </toponym>
      <toponym><extractedName>TITLE</extractedName><normalisedName/>
        <type>Non_Lit_Expression</type><modifierType/><nonLocational>No</nonLocational>
        <start>-20</start><end>-15</end>
      </toponym>
    </toponyms>
  </article>
</articles>
"""

GEOVIRUS_XML = """<articles>
  <article>
    <source>x</source>
    <text>Cases rose in Kano and Lagos.</text>
    <locations>
      <location><name>Kano</name><start>15</start><end>19</end><lat>12</lat><lon>8.5</lon>
      </location>
      <location>
        <location><name>Lagos</name><start>24</start><end>29</end><lat>6.5</lat><lon>3.4</lon>
        </location>
        <name>Kano</name><start>15</start><end>19</end><lat>12</lat><lon>8.5</lon>
      </location>
    </locations>
  </article>
</articles>
"""

BRAT_TXT = "Visite à Lille\n\nLe maire de Lille a reçu l' ambassade du Chili à Paris .\n"
BRAT_ANN = (
    "T1\tLocation 9 14\tLille\n"
    "T2\tLocation 28 33\tLille\n"
    "T3\tOrganization 44 60\tambassade du Chili\n"
    "T4\tLocation 57 62\tChili\n"
    "T5\tLocation 65 70\tParis\n"
    "T6\tPerson 0 3;6 8\tVis à\n"
    "#1\tAnnotatorNotes T1\tune note\n"
)


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


# ---------------------------------------------------------------- readers


def test_read_lgl_ids_coords_and_bad_offsets(tmp_path: Path) -> None:
    stats = gc.ReadStats()
    docs = list(gc.read_lgl(_write(tmp_path, "lgl.xml", LGL_XML), stats))
    assert [d.doc_id for d in docs] == ["1", "2", "3"]
    lyon, dijon = docs[0].mentions
    assert (lyon.name, lyon.geonames_id, lyon.lat, lyon.lon) == ("Lyon", 2996944, 45.75, 4.85)
    assert dijon.geonames_id is None and not dijon.has_coords
    assert [m.name for m in docs[1].mentions] == ["Nantes"]  # "Brest" is nowhere: dropped
    assert docs[2].mentions == []
    # Dijon and Nantes are one character off in the fixture: found nearby and repaired
    assert (stats.docs, stats.mentions, stats.mismatched, stats.repaired) == (3, 4, 3, 2)
    assert stats.dropped == 1 and len(stats.examples) == 3
    for doc in docs:
        for m in doc.mentions:
            assert doc.text[m.start : m.end] == m.name


def test_read_gwn_types_and_title_offsets(tmp_path: Path) -> None:
    stats = gc.ReadStats()
    (doc,) = gc.read_gwn(_write(tmp_path, "gwn.xml", GWN_XML), stats)
    assert doc.doc_id == "7" and stats.dropped == 1  # the title annotation's negative offsets
    kinds = {(m.name, m.kind) for m in doc.mentions}
    assert ("Mexico", "Metonymic") in kinds and ("Austin Bank", "Non_Toponym") in kinds
    mexico = next(m for m in doc.mentions if m.name == "Mexico")
    assert mexico.geonames_id is None and mexico.has_coords
    texan = next(m for m in doc.mentions if m.name == "Texan")
    assert texan.modifier == "Adjective" and texan.geonames_id == 4736286


def test_gwn_views(tmp_path: Path) -> None:
    (doc,) = gc.read_gwn(_write(tmp_path, "gwn.xml", GWN_XML))

    def names(view: str) -> tuple[list[str], list[str]]:
        gold, ignored = gc.gwn_split(doc, view)
        return [m.name for m in gold], [m.name for m in ignored]

    assert names("toponym") == (["Austin", "Mexico", "Austin"], ["Texan"])
    assert names("literal") == (["Austin"], ["Texan", "Mexico", "Austin"])
    assert names("all") == (["Texan", "Austin", "Mexico", "Austin"], [])
    with pytest.raises(ValueError):
        gc.gwn_split(doc, "everything")


def test_read_geovirus_shifted_and_nested(tmp_path: Path) -> None:
    stats = gc.ReadStats()
    (doc,) = gc.read_geovirus(_write(tmp_path, "gv.xml", GEOVIRUS_XML), stats)
    assert [(m.name, m.start) for m in doc.mentions] == [("Kano", 14), ("Kano", 14), ("Lagos", 23)]
    assert stats.repaired == 3 and stats.dropped == 0
    assert all(m.geonames_id is None and m.has_coords for m in doc.mentions)


def test_parse_brat() -> None:
    entities, notes = gc.parse_brat(BRAT_ANN)
    assert [e.id for e in entities] == ["T1", "T2", "T3", "T4", "T5", "T6"]
    assert (entities[2].type, entities[2].start, entities[2].end) == ("Organization", 44, 60)
    assert entities[5].fragments == ((0, 3), (6, 8)) and entities[5].end == 8
    assert notes == {"T1": "une note"}


def test_read_winer_nesting_and_views(tmp_path: Path) -> None:
    month = tmp_path / "2017" / "03"
    month.mkdir(parents=True)
    _write(month, "2017_03_01-001.txt", BRAT_TXT)
    # the ambassade span (44, 60) is wrong in the .ann: the reader finds it 2 characters on
    _write(month, "2017_03_01-001.ann", BRAT_ANN.replace("44 60", "42 58"))
    (tmp_path / "2017" / "2017-03-urls.txt").write_text("x\ty\n", encoding="utf-8")
    stats = gc.ReadStats()
    (doc,) = gc.read_winer(tmp_path, stats=stats)
    assert (doc.corpus, doc.group, doc.doc_id) == ("winer", "2017", "2017_03_01-001")
    assert stats.repaired == 1
    for m in doc.mentions:
        assert doc.text[m.start : m.end] == m.name or m.kind == "Person"
    top, nested = gc.winer_split(doc, "top")
    assert [m.name for m in top] == ["Lille", "Lille", "Paris"]
    assert [m.name for m in nested] == ["Chili"]
    assert len(gc.winer_split(doc, "all")[0]) == 4 and gc.winer_split(doc, "all")[1] == []
    assert list(gc.read_winer(tmp_path, years=["2016"])) == []


def test_align_span() -> None:
    text = "From Oslo to Bergen via Oslo."
    assert gc.align_span(text, 5, 9, "Oslo") == (5, 9)
    assert gc.align_span(text, 6, 10, "Oslo") == (5, 9)
    assert gc.align_span(text, 23, 27, "Oslo") == (24, 28)  # the nearer occurrence
    assert gc.align_span(text, 5, 9, "Tromsø") is None
    assert gc.align_span(text, -3, 2, "Oslo") is None


# ---------------------------------------------------------------- metrics


def test_haversine_and_error() -> None:
    assert gc.haversine_km(48.8566, 2.3522, 51.5074, -0.1278) == pytest.approx(343.5, abs=1)
    assert gc.haversine_km(10, 20, 10, 20) == 0
    assert gc.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * gc.EARTH_RADIUS_KM)
    gold = gc.Mention(0, 4, "Oslo", lat=59.91, lon=10.75)
    assert gc.error_km(gold, None, None) == gc.MAX_ERROR_KM
    antipode = gc.error_km(gold, -59.91, -169.25)
    assert antipode == pytest.approx(math.pi * gc.EARTH_RADIUS_KM) and antipode < gc.MAX_ERROR_KM
    assert gc.error_km(gc.Mention(0, 4, "Oslo"), 59.9, 10.7) == gc.MAX_ERROR_KM


def test_auc_and_summary() -> None:
    assert gc.auc_log_error([0.0, 0.0, 0.0]) == 0
    assert gc.auc_log_error([gc.MAX_ERROR_KM] * 4) == pytest.approx(1.0, rel=1e-4)
    assert gc.auc_log_error([5.0]) is None
    errors = [0.0, 100.0, 161.0, gc.MAX_ERROR_KM]
    s = gc.resolution_summary(errors, [True, False], 1, same_id=[True, False, True, False])
    assert s["n"] == 4 and s["acc161"] == 0.5 and s["acc161_or_id"] == 0.75
    assert s["median_km"] == 130.5 and s["mean_km"] == pytest.approx(20300 / 4)
    assert s["exact_id"] == 0.5 and s["n_with_id"] == 2 and s["unresolved_pct"] == 0.25
    empty = gc.resolution_summary([])
    assert empty["acc161"] is None and empty["auc"] is None


def test_match_spans_exact_overlap_ignore() -> None:
    gold = [(0, 5), (10, 20), (30, 35)]
    pred = [(0, 5), (12, 20), (40, 45), (50, 55)]
    exact = gc.match_spans(gold, pred, "exact", ignore=[(50, 55)])
    assert exact.pairs == [(0, 0)] and exact.false_pos == [1, 2] and exact.ignored == [3]
    assert exact.false_neg == [1, 2]
    c = exact.counts
    assert (c.tp, c.fp, c.fn) == (1, 2, 2)
    assert c.precision == pytest.approx(1 / 3) and c.recall == pytest.approx(1 / 3)
    over = gc.match_spans(gold, pred, "overlap", ignore=[(52, 60)])
    assert over.pairs == [(0, 0), (1, 1)] and over.false_pos == [2] and over.ignored == [3]
    assert over.counts.f1 == pytest.approx(2 * (2 / 3) * (2 / 3) / (4 / 3))
    # one to one: two predictions inside one gold span match it once
    split = gc.match_spans([(0, 10)], [(0, 4), (5, 10)], "overlap")
    assert len(split.pairs) == 1 and len(split.false_pos) == 1
    with pytest.raises(ValueError):
        gc.match_spans(gold, pred, "fuzzy")


def test_prf_sum_and_zero() -> None:
    total = gc.PRF()
    total += gc.PRF(2, 1, 0)
    total += gc.PRF(1, 0, 3)
    assert (total.tp, total.fp, total.fn) == (3, 1, 3)
    assert total.as_dict()["precision"] == 0.75 and total.recall == 0.5
    assert gc.PRF().f1 == 0.0


@dataclass
class _FakeMention:
    start: int
    end: int
    place: object = None


@dataclass
class _Segment:
    clean_start: int
    clean_end: int
    raw_start: int
    raw_end: int


def test_remap_mentions_and_context() -> None:
    clean = "Title\n\nRain in Oslo. Oslo again, then Bergen."
    text = "Rain in Oslo. Oslo again, then Bergen."
    found = [_FakeMention(15, 19), _FakeMention(21, 25), _FakeMention(38, 44), _FakeMention(0, 5)]
    got = gc.remap_mentions(text, clean, found)
    assert [(m.start, m.text) for m in got] == [(8, "Oslo"), (14, "Oslo"), (31, "Bergen")]
    assert gc.context(text, 8, 12, width=5) == "…n in [Oslo]. Osl…"
    # through the clean-to-raw map: raw has two spaces where clean has one
    raw = "Rain  in Oslo."
    segments = [_Segment(0, 5, 0, 5), _Segment(5, 13, 6, 14)]
    (oslo,) = gc.remap_mentions(raw, "Rain in Oslo.", [_FakeMention(8, 12)], segments)
    assert (oslo.start, oslo.end) == (9, 13) and raw[9:13] == "Oslo"
    assert gc.place_point(_FakeMention(0, 1)) == (None, None, None)
    assert gc.place_label(_FakeMention(0, 1)) == "— unresolved"


def test_surface_counts() -> None:
    rows = gc.surface_counts([("Oslo", "a"), ("Bergen", "b"), ("Oslo", "c")])
    assert rows == [("Oslo", 2, "a"), ("Bergen", 1, "b")]
