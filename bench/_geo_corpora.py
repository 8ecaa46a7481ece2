"""Readers and metrics shared by the geoparsing benchmarks (`geoparse.py`, `winer.py`).

Measuring only: nothing read here may flow into the package's code, lexicons or gazetteer.

Every reader yields `GoldDoc`s whose mentions index `doc.text` exactly: an offset that does not
reproduce the annotated surface is repaired when the surface sits within a few characters
(GeoVirus is off by one throughout), otherwise dropped; `ReadStats` counts both.
"""

from __future__ import annotations

import inspect
import math
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any, cast

from sitrep.places.geo import EARTH_RADIUS_KM as EARTH_RADIUS_KM  # re-exported for the benches
from sitrep.places.geo import haversine_km as haversine_km

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
GRITTA = BENCHMARKS / "geoparsing_gritta_pragmatic_guide"
WINER = BENCHMARKS / "winer_fr_wikinews_ner"
RESULTS = Path(__file__).resolve().parent / "results"

#: Error given to an unresolved toponym: half the Earth's circumference, as Gritta et al. do.
MAX_ERROR_KM = 20039.0
#: The k of accuracy@k: 161 km = 100 miles, the literature's usual threshold.
ACC_KM = 161.0

Span = tuple[int, int]

# GeoWebNews types (Gritta et al. 2019, "A Pragmatic Guide to Geoparsing Evaluation", Table 1).
GWN_LITERAL = frozenset({"Literal", "Mixed", "Coercion", "Embedded_Literal", "Literal_Modifier"})
GWN_ASSOCIATIVE = frozenset(
    {"Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit", "Demonym", "Language", "Homonym"}
)
#: Annotated but not toponyms: common-noun heads ("church", "citizens") and the organisation
#: names that embed a toponym.
GWN_NON_TOPONYM = frozenset({"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"})
#: Associative types that are not place names in form: people, languages, homonyms.
GWN_DEMONYMIC = frozenset({"Demonym", "Language", "Homonym"})
GWN_VIEWS = ("toponym", "literal", "all")


@dataclass(slots=True)
class Mention:
    """One annotation: `text[start:end] == name`; coordinates and id when the corpus has them."""

    start: int
    end: int
    name: str
    kind: str = "toponym"
    modifier: str = ""
    geonames_id: int | None = None
    lat: float | None = None
    lon: float | None = None
    nested: bool = False

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def has_coords(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(slots=True)
class GoldDoc:
    """An article and all its annotations (toponyms and, where the corpus has them, others)."""

    corpus: str
    doc_id: str
    text: str
    mentions: list[Mention]
    group: str = ""


@dataclass(slots=True)
class ReadStats:
    """What a reader saw: offsets that did not reproduce the surface, repaired or dropped."""

    docs: int = 0
    mentions: int = 0
    mismatched: int = 0
    repaired: int = 0
    dropped: int = 0
    examples: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "docs": self.docs,
            "mentions": self.mentions,
            "mismatched": self.mismatched,
            "repaired": self.repaired,
            "dropped": self.dropped,
            "examples": self.examples[:10],
        }


# ---------------------------------------------------------------- offsets


def align_span(text: str, start: int, end: int, name: str, window: int = 12) -> Span | None:
    """`(start, end)` if it reproduces `name`, else the nearest occurrence of `name` within
    `window` characters, else None."""
    if 0 <= start <= end <= len(text) and text[start:end] == name:
        return (start, end)
    if not name or start < 0 or start > len(text):
        return None
    lo = max(0, start - window)
    hi = min(len(text), max(end, start + len(name)) + window)
    best: int | None = None
    pos = text.find(name, lo, hi)
    while pos != -1:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(name, pos + 1, hi)
    return None if best is None else (best, best + len(name))


def _checked(
    text: str, mention: Mention, stats: ReadStats, where: str, window: int = 12
) -> Mention | None:
    stats.mentions += 1
    if (
        0 <= mention.start <= mention.end <= len(text)
        and text[mention.start : mention.end] == mention.name
    ):
        return mention
    stats.mismatched += 1
    fixed = align_span(text, mention.start, mention.end, mention.name, window)
    if fixed is None:
        stats.dropped += 1
        if len(stats.examples) < 20:
            stats.examples.append(f"{where} {mention.start}:{mention.end} {mention.name!r} dropped")
        return None
    stats.repaired += 1
    if len(stats.examples) < 20:
        stats.examples.append(
            f"{where} {mention.start}:{mention.end} {mention.name!r} -> {fixed[0]}:{fixed[1]}"
        )
    mention.start, mention.end = fixed
    return mention


# ---------------------------------------------------------------- XML corpora


def _float(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() else None


def _articles(source: Path | str) -> Iterator[ET.Element]:
    """Stream the `<article>` elements of a corpus file, freeing each once used."""
    for _, elem in ET.iterparse(source, events=("end",)):
        if elem.tag == "article":
            yield elem
            elem.clear()


def read_gwn(source: Path | str, stats: ReadStats | None = None) -> Iterator[GoldDoc]:
    """GeoWebNews `GWN.xml`: `<toponym>` with `type`, `modifierType`, `start`/`end` into
    `<text>` (the body; annotations of the title line have negative offsets and are dropped),
    `geonamesID`, `latitude`, `longitude` when resolvable."""
    stats = stats if stats is not None else ReadStats()
    for art in _articles(source):
        text = art.findtext("text") or ""
        doc_id = art.get("file") or str(stats.docs)
        mentions = []
        for top in art.iterfind("toponyms/toponym"):
            m = Mention(
                start=int(top.findtext("start") or -1),
                end=int(top.findtext("end") or -1),
                name=top.findtext("extractedName") or "",
                kind=(top.findtext("type") or "").strip(),
                modifier=(top.findtext("modifierType") or "").strip(),
                geonames_id=_int(top.findtext("geonamesID")),
                lat=_float(top.findtext("latitude")),
                lon=_float(top.findtext("longitude")),
            )
            if (kept := _checked(text, m, stats, f"gwn/{doc_id}")) is not None:
                mentions.append(kept)
        stats.docs += 1
        yield GoldDoc("gwn", doc_id, text, sorted(mentions, key=_order))


def read_lgl(
    source: Path | str, stats: ReadStats | None = None, corpus: str = "lgl"
) -> Iterator[GoldDoc]:
    """LGL `lgl.xml` (TR-News has the same layout): `<toponym>` with `start`, `end`, `phrase`
    and, when resolved, `<gaztag geonameid=...>` holding `lat`/`lon`."""
    stats = stats if stats is not None else ReadStats()
    for art in _articles(source):
        text = art.findtext("text") or ""
        doc_id = art.get("docid") or str(stats.docs)
        mentions = []
        for top in art.iterfind("toponyms/toponym"):
            gaz = top.find("gaztag")
            m = Mention(
                start=int(top.findtext("start") or -1),
                end=int(top.findtext("end") or -1),
                name=top.findtext("phrase") or "",
            )
            if gaz is not None:
                m.geonames_id = _int(gaz.get("geonameid"))
                m.lat, m.lon = _float(gaz.findtext("lat")), _float(gaz.findtext("lon"))
            if (kept := _checked(text, m, stats, f"{corpus}/{doc_id}")) is not None:
                mentions.append(kept)
        stats.docs += 1
        yield GoldDoc(corpus, doc_id, text, sorted(mentions, key=_order))


def read_geovirus(source: Path | str, stats: ReadStats | None = None) -> Iterator[GoldDoc]:
    """GeoVirus: `<location>` with `name`, `start`, `end` (one past the true offset), `lat`,
    `lon`; no GeoNames ids."""
    stats = stats if stats is not None else ReadStats()
    for art in _articles(source):
        text = art.findtext("text") or ""
        doc_id = str(stats.docs)
        mentions = []
        for loc in art.iter("location"):  # one article nests a <location> in another
            if loc.find("start") is None:
                continue
            m = Mention(
                start=int(loc.findtext("start") or -1),
                end=int(loc.findtext("end") or -1),
                name=loc.findtext("name") or "",
                lat=_float(loc.findtext("lat")),
                lon=_float(loc.findtext("lon")),
            )
            if (kept := _checked(text, m, stats, f"geovirus/{doc_id}")) is not None:
                mentions.append(kept)
        stats.docs += 1
        yield GoldDoc("geovirus", doc_id, text, sorted(mentions, key=_order))


# ---------------------------------------------------------------- brat


@dataclass(slots=True)
class BratEntity:
    """A brat text-bound annotation; a discontinuous one spans its first to last fragment."""

    id: str
    type: str
    start: int
    end: int
    text: str
    fragments: tuple[Span, ...]


def parse_brat(ann: str) -> tuple[list[BratEntity], dict[str, str]]:
    """The `T` lines of a brat `.ann` and the `AnnotatorNotes` by entity id."""
    entities: list[BratEntity] = []
    notes: dict[str, str] = {}
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, ranges = parts[1].partition(" ")
            frags = tuple(
                (int(a), int(b)) for a, b in (r.split() for r in ranges.split(";") if r.strip())
            )
            if not frags:
                continue
            surface = parts[2] if len(parts) > 2 else ""
            entities.append(BratEntity(parts[0], label, frags[0][0], frags[-1][1], surface, frags))
        elif line.startswith("#") and len(parts) >= 3:
            kind, _, target = parts[1].partition(" ")
            if kind == "AnnotatorNotes":
                notes[target.strip()] = parts[2]
    return entities, notes


def read_brat(
    txt_path: Path, stats: ReadStats | None = None, corpus: str = "brat", group: str = ""
) -> GoldDoc:
    """One brat `.txt`/`.ann` pair: every text-bound annotation as a Mention of its type;
    `nested` when its span lies strictly inside another annotation's span."""
    stats = stats if stats is not None else ReadStats()
    text = txt_path.read_text(encoding="utf-8")
    ann_path = txt_path.with_suffix(".ann")
    ann = ann_path.read_text(encoding="utf-8") if ann_path.exists() else ""
    entities, _ = parse_brat(ann)
    mentions = []
    for ent in entities:
        surface = ent.text if len(ent.fragments) == 1 else text[ent.start : ent.end]
        m = Mention(ent.start, ent.end, surface, kind=ent.type)
        if (kept := _checked(text, m, stats, f"{corpus}/{txt_path.stem}")) is not None:
            mentions.append(kept)
    mark_nested(mentions)
    stats.docs += 1
    return GoldDoc(corpus, txt_path.stem, text, sorted(mentions, key=_order), group)


def mark_nested(mentions: Sequence[Mention]) -> None:
    """Set `nested` on mentions contained in a different, larger span."""
    spans = {m.span for m in mentions}
    for m in mentions:
        m.nested = any(s <= m.start and m.end <= e and (s, e) != m.span for s, e in spans)


def read_winer(
    root: Path, years: Iterable[str] | None = None, stats: ReadStats | None = None
) -> Iterator[GoldDoc]:
    """WiNER-fr: `YEAR/MONTH/*.txt|*.ann`, grouped by year, in file-name order."""
    stats = stats if stats is not None else ReadStats()
    wanted = set(years) if years else None
    for year_dir in sorted(p for p in root.iterdir() if p.is_dir() and p.name.isdigit()):
        if wanted is not None and year_dir.name not in wanted:
            continue
        for txt in sorted(year_dir.glob("*/*.txt")):
            yield read_brat(txt, stats, corpus="winer", group=year_dir.name)


def _order(m: Mention) -> tuple[int, int]:
    return (m.start, -m.end)


# ---------------------------------------------------------------- what counts as gold


def gwn_split(doc: GoldDoc, view: str = "toponym") -> tuple[list[Mention], list[Mention]]:
    """(gold, ignored) toponyms of a GeoWebNews article.

    - `toponym` (headline): the paper's literal and associative toponyms minus demonyms in
      form: types Demonym/Language/Homonym and any `Adjective` modifier ("French engineer")
      are ignored (a prediction on them is neither right nor wrong).
    - `literal`: the literal group only, noun forms; associative types are ignored.
    - `all`: all eleven toponym types (the paper's NER label map), nothing ignored.
    Non_Toponym, Literal_Expression and Non_Lit_Expression are never gold.
    """
    if view not in GWN_VIEWS:
        raise ValueError(f"unknown GeoWebNews view {view!r}, expected one of {GWN_VIEWS}")
    gold: list[Mention] = []
    ignored: list[Mention] = []
    for m in doc.mentions:
        if m.kind not in GWN_LITERAL and m.kind not in GWN_ASSOCIATIVE:
            continue
        if view == "all":
            gold.append(m)
            continue
        adjective = m.modifier == "Adjective" or m.kind in GWN_DEMONYMIC
        keep = not adjective and (view == "toponym" or m.kind in GWN_LITERAL)
        (gold if keep else ignored).append(m)
    return gold, ignored


def winer_split(doc: GoldDoc, view: str = "top") -> tuple[list[Mention], list[Mention]]:
    """(gold, ignored) Locations of a WiNER article.

    - `top` (headline): Locations not nested in another entity; nested ones ("Hong Kong" in
      "Université baptiste de Hong Kong", "Paris" in "18e arrondissement de Paris") ignored.
    - `all`: every Location span, nothing ignored.
    """
    locs = [m for m in doc.mentions if m.kind == "Location"]
    if view == "all":
        return locs, []
    if view != "top":
        raise ValueError(f"unknown WiNER view {view!r}, expected 'top' or 'all'")
    return [m for m in locs if not m.nested], [m for m in locs if m.nested]


# ---------------------------------------------------------------- metrics


def error_km(gold: Mention, lat: float | None, lon: float | None) -> float:
    """Distance from the gold point; `MAX_ERROR_KM` when unresolved (no coordinates)."""
    if lat is None or lon is None or gold.lat is None or gold.lon is None:
        return MAX_ERROR_KM
    return min(MAX_ERROR_KM, haversine_km(gold.lat, gold.lon, lat, lon))


def auc_log_error(errors: Sequence[float]) -> float | None:
    """Gritta et al.'s AUC: area under the sorted ln(1 + error) curve (trapezoidal rule) over
    that of the maximum error; 0 is perfect, 1 is everything at the antipode."""
    if len(errors) < 2:
        return None
    ys = sorted(math.log(e + 1) for e in errors)
    area = sum((a + b) / 2 for a, b in pairwise(ys))
    return area / (math.log(MAX_ERROR_KM) * (len(ys) - 1))


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def resolution_summary(
    errors: Sequence[float],
    id_hits: Sequence[bool] = (),
    unresolved: int = 0,
    same_id: Sequence[bool] = (),
) -> dict[str, Any]:
    """acc@161, median/mean error, AUC over `errors`; exact id accuracy over `id_hits` (the
    toponyms whose gold has a GeoNames id). `same_id`, parallel to `errors`: whether the answer
    has the gold's GeoNames id, for `acc161_or_id` (right when within 161 km or the same
    GeoNames entry: gazetteers put a country's point in different places)."""
    n = len(errors)
    lenient = [e < ACC_KM or (i < len(same_id) and same_id[i]) for i, e in enumerate(errors)]
    return {
        "n": n,
        "acc161": sum(e < ACC_KM for e in errors) / n if n else None,
        "acc161_or_id": sum(lenient) / n if n else None,
        "median_km": median(errors),
        "mean_km": sum(errors) / n if n else None,
        "auc": auc_log_error(errors),
        "n_with_id": len(id_hits),
        "exact_id": sum(id_hits) / len(id_hits) if id_hits else None,
        "unresolved": unresolved,
        "unresolved_pct": unresolved / n if n else None,
    }


@dataclass(slots=True)
class PRF:
    """True/false positives and false negatives, summed over documents."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __iadd__(self, other: PRF) -> PRF:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        return self

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


@dataclass(slots=True)
class SpanMatch:
    """One-to-one matching of predicted to gold spans in one document."""

    pairs: list[tuple[int, int]]  # (pred index, gold index)
    false_pos: list[int]  # pred indices, neither matched nor on an ignored span
    false_neg: list[int]  # gold indices
    ignored: list[int]  # pred indices dropped because they hit an ignored span

    @property
    def counts(self) -> PRF:
        return PRF(len(self.pairs), len(self.false_pos), len(self.false_neg))


def match_spans(
    gold: Sequence[Span],
    pred: Sequence[Span],
    mode: str = "exact",
    ignore: Sequence[Span] = (),
) -> SpanMatch:
    """Match predictions to gold one to one: `exact` needs identical offsets, `overlap` any
    shared character (largest overlap first). An unmatched prediction equal to (exact) or
    overlapping (overlap) an ignored span counts neither way."""
    if mode not in ("exact", "overlap"):
        raise ValueError(f"mode must be 'exact' or 'overlap', not {mode!r}")
    used_gold: set[int] = set()
    pairs: list[tuple[int, int]] = []
    if mode == "exact":
        where: dict[Span, list[int]] = {}
        for gi, g in enumerate(gold):
            where.setdefault(g, []).append(gi)
        for pi, p in enumerate(pred):
            free = [gi for gi in where.get(p, ()) if gi not in used_gold]
            if free:
                used_gold.add(free[0])
                pairs.append((pi, free[0]))
    else:
        cands = sorted(
            (
                (-_overlap(p, g), pi, gi)
                for pi, p in enumerate(pred)
                for gi, g in enumerate(gold)
                if _overlap(p, g) > 0
            ),
        )
        used_pred: set[int] = set()
        for _, pi, gi in cands:
            if pi not in used_pred and gi not in used_gold:
                used_pred.add(pi)
                used_gold.add(gi)
                pairs.append((pi, gi))
        pairs.sort()
    matched_pred = {pi for pi, _ in pairs}
    false_pos: list[int] = []
    ignored: list[int] = []
    ignore_set = set(ignore)
    for pi, p in enumerate(pred):
        if pi in matched_pred:
            continue
        hit = p in ignore_set if mode == "exact" else any(_overlap(p, s) > 0 for s in ignore)
        (ignored if hit else false_pos).append(pi)
    false_neg = [gi for gi in range(len(gold)) if gi not in used_gold]
    return SpanMatch(pairs, false_pos, false_neg, ignored)


def context(text: str, start: int, end: int, width: int = 50) -> str:
    """`…left [mention] right…` on one line."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    flat = re.compile(r"\s+")
    return f"…{flat.sub(' ', left)}[{text[start:end]}]{flat.sub(' ', right)}…"


# ---------------------------------------------------------------- the sitrep API


@dataclass(slots=True)
class PlacesAPI:
    """The parts of `sitrep.places` the benchmarks call, loaded once."""

    gazetteer: Any
    resolve: Callable[..., list[Any]] | None
    find: Callable[[str, str], list[Any]]
    detector: str
    load_seconds: float
    models: dict[str, Any] = field(default_factory=dict)
    model_seconds: float = 0.0


class PlacesUnavailable(RuntimeError):
    """`sitrep.places` does not (yet) provide what a benchmark needs."""


DETECTORS = ("auto", "nlp", "gazetteer", "analyse")


def load_places_api(*, resolve: bool = True, detector: str = "auto") -> PlacesAPI:
    """Import `sitrep.places` and open the gazetteer; `PlacesUnavailable` with the reason if the
    API is not there.

    Detectors: `nlp` = `find_places(text, language, gazetteer, nlp=<sitrep.nlp.load_model>)`;
    `gazetteer` = `find_places` without a spaCy pipeline; `analyse` = `sitrep.analyse`, its
    offsets mapped back to the input (`remap_mentions`); `auto` = the first available of
    nlp, gazetteer, analyse."""
    if detector not in DETECTORS:
        raise ValueError(f"detector must be one of {DETECTORS}, not {detector!r}")
    try:
        from sitrep import places
    except ImportError as exc:
        raise PlacesUnavailable(f"cannot import sitrep.places: {exc}") from exc
    gaz_cls = getattr(places, "Gazetteer", None)
    if gaz_cls is None:
        raise PlacesUnavailable("sitrep.places has no Gazetteer yet")
    resolver = getattr(places, "resolve_toponyms", None)
    if resolve and resolver is None:
        raise PlacesUnavailable("sitrep.places has no resolve_toponyms yet")
    start = time.perf_counter()
    try:
        gazetteer = gaz_cls.open()
    except Exception as exc:
        raise PlacesUnavailable(f"Gazetteer.open() failed: {exc!r}") from exc
    api = PlacesAPI(gazetteer, resolver, _no_detector, "none", time.perf_counter() - start)

    finder = getattr(places, "find_places", None)
    load_model = _model_loader() if finder is not None else None
    takes_nlp = finder is not None and "nlp" in inspect.signature(finder).parameters
    if detector == "auto":
        if finder is not None and load_model is not None and takes_nlp:
            detector = "nlp"
        else:
            detector = "gazetteer" if finder is not None else "analyse"
    if detector in ("nlp", "gazetteer") and finder is None:
        raise PlacesUnavailable("sitrep.places has no find_places yet")
    if detector == "nlp":
        if load_model is None or not takes_nlp:
            raise PlacesUnavailable("find_places takes no nlp, or sitrep.nlp.load_model is missing")
        loader: Callable[[str], Any] = load_model
        places_of = cast(Callable[..., Any], finder)

        def find(text: str, language: str) -> list[Any]:
            if language not in api.models:
                t0 = time.perf_counter()
                api.models[language] = loader(language)
                api.model_seconds += time.perf_counter() - t0
            return list(places_of(text, language, gazetteer, nlp=api.models[language]))

        api.find, api.detector = find, "find_places + sitrep.nlp.load_model"
    elif detector == "gazetteer":
        plain = cast(Callable[..., Any], finder)
        api.find = lambda text, language: list(plain(text, language, gazetteer))
        api.detector = "find_places without a spaCy pipeline"
    else:
        import sitrep

        if not hasattr(sitrep, "analyse"):
            raise PlacesUnavailable("sitrep.analyse is missing")

        def analysed(text: str, language: str) -> list[Any]:
            art = sitrep.analyse(text, language=language)
            places = list(art.places or ())
            segments = getattr(art, "offset_map", ()) or ()
            return remap_mentions(text, art.clean_text or "", places, segments)

        api.find, api.detector = analysed, "sitrep.analyse (offsets mapped back to the input)"
    return api


def _model_loader() -> Callable[[str], Any] | None:
    try:
        from sitrep.nlp import load_model
    except ImportError:
        return None
    return cast(Callable[[str], Any], load_model)


def _no_detector(text: str, language: str) -> list[Any]:
    raise PlacesUnavailable("no detector loaded")


@dataclass(frozen=True, slots=True)
class Remapped:
    """A mention moved from `clean_text` to the input text (`place` kept)."""

    start: int
    end: int
    text: str
    place: Any
    via: str = ""


def remap_mentions(
    text: str, clean: str, mentions: Sequence[Any], offset_map: Sequence[Any] = ()
) -> list[Remapped]:
    """Move mentions from `clean` to `text`: through `offset_map` (segments with clean_start,
    clean_end, raw_start, raw_end) when that reproduces the surface, else by finding the surface
    in `text`, in order, each occurrence used once; mentions found nowhere are dropped."""
    out: list[Remapped] = []
    used: set[int] = set()
    cursor = 0
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        surface = clean[m.start : m.end] or getattr(m, "text", "")
        if not surface:
            continue
        pos = _through_map(offset_map, m.start, m.end, text, surface)
        if pos is None or pos in used:
            pos = _find_unused(text, surface, cursor, used)
        if pos is None:
            pos = _find_unused(text, surface, 0, used)
        if pos is None:
            continue
        used.add(pos)
        cursor = pos + len(surface)
        out.append(Remapped(pos, pos + len(surface), surface, m.place, getattr(m, "via", "")))
    return out


def _through_map(
    segments: Sequence[Any], start: int, end: int, text: str, surface: str
) -> int | None:
    for seg in segments:
        if seg.clean_start <= start and end <= seg.clean_end:
            clean_len = seg.clean_end - seg.clean_start
            raw_len = seg.raw_end - seg.raw_start
            shift = start - seg.clean_start
            if clean_len != raw_len and clean_len:
                shift = round(shift * raw_len / clean_len)
            pos = seg.raw_start + shift
            return pos if text[pos : pos + len(surface)] == surface else None
    return None


def _find_unused(text: str, surface: str, start: int, used: set[int]) -> int | None:
    pos = text.find(surface, start)
    while pos != -1 and pos in used:
        pos = text.find(surface, pos + 1)
    return None if pos == -1 else pos


def place_point(mention: Any) -> tuple[float | None, float | None, int | None]:
    """(lat, lon, geonames_id) of a PlaceMention's place; Nones when unresolved."""
    place = getattr(mention, "place", None)
    if place is None:
        return None, None, None
    return (
        getattr(place, "latitude", None),
        getattr(place, "longitude", None),
        getattr(place, "geonames_id", None),
    )


def place_label(mention: Any) -> str:
    """`Name (id, lat, lon) via` for error listings."""
    place = getattr(mention, "place", None)
    if place is None:
        return "— unresolved"
    lat, lon, gid = place_point(mention)
    where = f"{lat:.2f},{lon:.2f}" if lat is not None and lon is not None else "no coords"
    via = getattr(mention, "via", "")
    return f"{getattr(place, 'name', '?')} ({gid}, {where}){' ' + via if via else ''}"


def surface_counts(items: Iterable[tuple[str, str]]) -> list[tuple[str, int, str]]:
    """(surface, count, first context) from (surface, context) pairs, most frequent first."""
    counts: Counter[str] = Counter()
    first: dict[str, str] = {}
    for surface, ctx in items:
        counts[surface] += 1
        first.setdefault(surface, ctx)
    return [(s, n, first[s]) for s, n in counts.most_common()]
