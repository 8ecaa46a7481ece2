"""Toponym resolution and detection on GeoWebNews and LGL (and TR-News, GeoVirus).

    .venv/bin/python bench/geoparse.py [--corpus gwn|lgl|both|trnews|geovirus|all] [--limit N]
        [--task resolve|detect|both] [--gwn-view toponym|literal|all] [--show-errors K]

Resolution: `sitrep.places.resolve_toponyms` on each article's gold spans (all of them at once,
so the resolver sees its context), scored on those with gold coordinates: accuracy@161 km,
median/mean error, Gritta et al.'s AUC of ln(1 + error), exact GeoNames id accuracy where the
gold has an id. Unresolved toponyms (no place, or a place without coordinates) count as wrong
with an error of 20,039 km, as the literature does.

Detection: `find_places` (else `sitrep.analyse`) on the article text, precision/recall/F1 of
spans (exact offsets and any overlap, one-to-one), then the detected-and-matched toponyms'
resolution. What counts as a GeoWebNews toponym: see `_geo_corpora.gwn_split`.

Results: a Rich table and `bench/results/geoparse.json`. The gold data is read from
`../shared/benchmarks/` and is for measuring only.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from _geo_corpora import (
    ACC_KM,
    DETECTORS,
    GRITTA,
    GWN_VIEWS,
    MAX_ERROR_KM,
    PRF,
    RESULTS,
    GoldDoc,
    Mention,
    PlacesAPI,
    PlacesUnavailable,
    ReadStats,
    context,
    error_km,
    gwn_split,
    load_places_api,
    match_spans,
    place_label,
    place_point,
    read_geovirus,
    read_gwn,
    read_lgl,
    resolution_summary,
    surface_counts,
)
from _results import run_info, write_json
from rich.console import Console
from rich.markup import escape
from rich.table import Table

#: Published numbers to print beside ours. Source: /work/shared/benchmarks/README.md, quoting
#: Mordecai3 (Halterman 2023, arXiv:2303.13675). Check that paper's protocol (which toponyms
#: are scored) before reading a difference as a gap.
REFERENCE: dict[str, Any] = {
    "source": "Mordecai3 (Halterman 2023), via shared/benchmarks/README.md",
    "exact_id": {"gwn": 0.901, "lgl": 0.794},
    "acc161_range": (0.827, 0.98),
}

CORPORA = ("gwn", "lgl", "trnews", "geovirus")
ALIASES = {"both": ("gwn", "lgl"), "all": CORPORA}

Reader = Callable[[Path, ReadStats], Iterator[GoldDoc]]


def _readers(data: Path) -> dict[str, tuple[Path, Reader]]:
    return {
        "gwn": (data / "GWN.xml", read_gwn),
        "lgl": (data / "Corpora" / "lgl.xml", read_lgl),
        "trnews": (
            data / "Corpora" / "TR-News.xml",
            lambda p, s: read_lgl(p, s, corpus="trnews"),
        ),
        "geovirus": (data / "Corpora" / "GeoVirus.xml", read_geovirus),
    }


def load_corpus(name: str, data: Path, limit: int | None) -> tuple[list[GoldDoc], ReadStats]:
    """The first `limit` articles of a corpus and the reader's offset checks."""
    path, reader = _readers(data)[name]
    if not path.exists():
        sys.exit(f"{name}: {path} not found (pass --data)")
    stats = ReadStats()
    return list(islice(reader(path, stats), limit)), stats


def gold_of(doc: GoldDoc, view: str) -> tuple[list[Mention], list[Mention]]:
    """(gold, ignored): GeoWebNews by view, the other corpora's toponyms all count."""
    return gwn_split(doc, view) if doc.corpus == "gwn" else (list(doc.mentions), [])


def views_of(corpus: str) -> tuple[str, ...]:
    return GWN_VIEWS if corpus == "gwn" else ("all",)


def corpus_facts(corpus: str, docs: list[GoldDoc], stats: ReadStats) -> dict[str, Any]:
    """Counts for the report: gold toponyms per view, with ids, with coordinates, by type."""
    facts: dict[str, Any] = {"reader": stats.as_dict(), "views": {}}
    for view in views_of(corpus):
        gold = [m for d in docs for m in gold_of(d, view)[0]]
        ignored = sum(len(gold_of(d, view)[1]) for d in docs)
        facts["views"][view] = {
            "gold": len(gold),
            "ignored": ignored,
            "with_coords": sum(m.has_coords for m in gold),
            "with_id": sum(m.geonames_id is not None for m in gold),
        }
    if corpus == "gwn":
        facts["types"] = dict(Counter(m.kind for d in docs for m in d.mentions).most_common())
    return facts


# ---------------------------------------------------------------- resolution


def run_resolution(api: PlacesAPI, docs: list[GoldDoc], view: str) -> dict[str, Any]:
    """Resolve each article's gold spans; score those with gold coordinates."""
    assert api.resolve is not None
    errors: list[float] = []
    id_hits: list[bool] = []
    same_id: list[bool] = []
    unresolved = no_coords = spans_sent = 0
    seconds = 0.0
    by_type: dict[str, list[float]] = defaultdict(list)
    wrong: list[dict[str, Any]] = []
    # coverage versus ranking: is the gold entry in the gazetteer at all, and among the
    # entries the gold's name finds? (a ranker can only pick what the gazetteer offers)
    known_ids = _gazetteer_ids(api.gazetteer)
    in_gazetteer: list[bool] = []
    ranked: list[bool] = []
    for doc in docs:
        gold, _ = gold_of(doc, view)
        if not gold:
            continue
        spans = [m.span for m in gold]
        start = time.perf_counter()
        got = list(api.resolve(doc.text, spans, api.gazetteer, language="en"))
        seconds += time.perf_counter() - start
        spans_sent += len(spans)
        if len(got) != len(spans):
            sys.exit(f"resolve_toponyms returned {len(got)} mentions for {len(spans)} spans")
        for g, pm in zip(gold, got, strict=True):
            if not g.has_coords:
                continue
            lat, lon, gid = place_point(pm)
            if getattr(pm, "place", None) is None:
                unresolved += 1
            elif lat is None or lon is None:
                no_coords += 1
                unresolved += 1
            err = error_km(g, lat, lon)
            errors.append(err)
            same_id.append(gid is not None and gid == g.geonames_id)
            by_type[g.kind].append(err)
            if g.geonames_id is not None:
                id_hits.append(gid == g.geonames_id)
                if known_ids is not None:
                    in_gazetteer.append(g.geonames_id in known_ids)
                    names = api.gazetteer.lookup(doc.text[g.start : g.end])
                    if any(e.place.geonames_id == g.geonames_id for e in names):
                        ranked.append(gid == g.geonames_id)
            if err >= ACC_KM:
                wrong.append(_wrong(doc, g, pm, err))
    out = resolution_summary(errors, id_hits, unresolved, same_id)
    if in_gazetteer:
        out["gold_in_gazetteer"] = sum(in_gazetteer) / len(in_gazetteer)
    if ranked:
        out["gold_among_candidates"] = len(ranked) / len(in_gazetteer)
        out["exact_id_when_among_candidates"] = sum(ranked) / len(ranked)
    out["resolved_without_coords"] = no_coords
    out["spans_sent"] = spans_sent
    out["ms_per_toponym"] = 1000 * seconds / spans_sent if spans_sent else None
    if len(by_type) > 1:
        out["by_type"] = {k: resolution_summary(v) for k, v in sorted(by_type.items())}
    out["errors"] = _group_errors(wrong)
    return out


def _gazetteer_ids(gazetteer: Any) -> set[int] | None:
    """Every GeoNames id the gazetteer holds (None if this gazetteer cannot say)."""
    con = getattr(gazetteer, "_con", None)
    if con is None:
        return None
    return {r[0] for r in con.execute("SELECT geonames_id FROM places WHERE geonames_id > 0")}


def _wrong(doc: GoldDoc, g: Mention, pm: Any, err: float) -> dict[str, Any]:
    return {
        "doc": doc.doc_id,
        "name": g.name,
        "kind": g.kind,
        "gold": f"{g.geonames_id} {g.lat:.2f},{g.lon:.2f}",
        "got": place_label(pm),
        "error_km": round(err),
        "context": context(doc.text, g.start, g.end),
    }


def _group_errors(wrong: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Wrong resolutions grouped by (surface, answer), most frequent then farthest first."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for w in wrong:
        groups[(w["name"], w["got"])].append(w)
    rows = [{**ws[0], "count": len(ws)} for ws in groups.values()]
    rows.sort(key=lambda r: (-r["count"], -r["error_km"]))
    return rows


# ---------------------------------------------------------------- detection


def run_detection(api: PlacesAPI, docs: list[GoldDoc], corpus: str) -> dict[str, Any]:
    """Find places in each article; P/R/F1 per view and mode, then resolution of the matches."""
    views = views_of(corpus)
    headline = views[0]
    prf = {v: {"exact": PRF(), "overlap": PRF()} for v in views}
    seconds = 0.0
    chars = predicted = pred_unresolved = 0
    fn_items: list[tuple[str, str]] = []
    fp_items: list[tuple[str, str]] = []
    fp_hits: Counter[str] = Counter()
    type_found: dict[str, Counter[str]] = defaultdict(Counter)
    e2e_errors: list[float] = []
    e2e_ids: list[bool] = []
    e2e_same: list[bool] = []
    e2e_gold_with_coords = 0
    for doc in docs:
        start = time.perf_counter()
        found = sorted(api.find(doc.text, "en"), key=lambda m: (m.start, m.end))
        seconds += time.perf_counter() - start
        chars += len(doc.text)
        predicted += len(found)
        pred_unresolved += sum(getattr(m, "place", None) is None for m in found)
        pred = [(m.start, m.end) for m in found]
        for view in views:
            gold, ignored = gold_of(doc, view)
            spans = [m.span for m in gold]
            ign = [m.span for m in ignored]
            for mode in ("exact", "overlap"):
                match = match_spans(spans, pred, mode, ign)
                prf[view][mode] += match.counts
                if view == headline and mode == "exact":
                    fn_items += [_item(doc, gold[i]) for i in match.false_neg]
                    for i in match.false_pos:
                        fp_items.append(_item(doc, found[i]))
                        fp_hits[_annotated_as(doc, pred[i])] += 1
                if view == headline and mode == "overlap":
                    e2e_gold_with_coords += sum(m.has_coords for m in gold)
                    for pi, gi in match.pairs:
                        g = gold[gi]
                        if not g.has_coords:
                            continue
                        lat, lon, gid = place_point(found[pi])
                        e2e_errors.append(error_km(g, lat, lon))
                        e2e_same.append(gid is not None and gid == g.geonames_id)
                        if g.geonames_id is not None:
                            e2e_ids.append(gid == g.geonames_id)
        if corpus == "gwn":  # recall by annotation type, on the widest view
            gold, _ = gold_of(doc, "all")
            match = match_spans([m.span for m in gold], pred, "exact")
            missed = set(match.false_neg)
            for gi, g in enumerate(gold):
                type_found[g.kind]["n"] += 1
                type_found[g.kind]["found"] += gi not in missed
    out: dict[str, Any] = {
        "detector": api.detector,
        "headline_view": headline,
        "views": {v: {mode: c.as_dict() for mode, c in modes.items()} for v, modes in prf.items()},
        "predicted": predicted,
        "predicted_unresolved": pred_unresolved,
        "ms_per_article": 1000 * seconds / len(docs) if docs else None,
        "chars_per_second": chars / seconds if seconds else None,
        "fp_annotated_as": dict(fp_hits.most_common()),
    }
    unresolved = sum(e >= MAX_ERROR_KM for e in e2e_errors)
    resolved = resolution_summary(e2e_errors, e2e_ids, unresolved, e2e_same)
    hits = sum(e < ACC_KM for e in e2e_errors)
    resolved["e2e_acc161_of_all_gold"] = (
        hits / e2e_gold_with_coords if e2e_gold_with_coords else None
    )
    resolved["gold_with_coords"] = e2e_gold_with_coords
    out["resolution_of_detected"] = resolved
    if type_found:
        out["recall_by_type_exact"] = {
            k: {"n": c["n"], "recall": c["found"] / c["n"]}
            for k, c in sorted(type_found.items(), key=lambda kv: -kv[1]["n"])
        }
    out["false_negatives"] = [
        {"surface": s, "count": n, "context": c} for s, n, c in surface_counts(fn_items)
    ]
    out["false_positives"] = [
        {"surface": s, "count": n, "context": c} for s, n, c in surface_counts(fp_items)
    ]
    return out


def _item(doc: GoldDoc, m: Any) -> tuple[str, str]:
    return doc.text[m.start : m.end], f"{doc.doc_id}: {context(doc.text, m.start, m.end)}"


def _annotated_as(doc: GoldDoc, span: tuple[int, int]) -> str:
    """What the gold says about a false positive: the type of an annotation with the same
    span, of one it overlaps, or nothing."""
    for m in doc.mentions:
        if m.span == span:
            return m.kind
    for m in doc.mentions:
        if m.start < span[1] and span[0] < m.end:
            return f"overlaps {m.kind}"
    return "unannotated"


# ---------------------------------------------------------------- output


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}"


def _km(x: float | None) -> str:
    return "—" if x is None else f"{x:,.0f}"


def print_facts(console: Console, facts: dict[str, dict[str, Any]]) -> None:
    table = Table(title="Gold data")
    cols = ("corpus", "view", "articles", "gold", "ignored", "coords", "ids", "bad offsets",
            "fixed", "dropped")  # fmt: skip
    for col in cols:
        table.add_column(col, justify="left" if col in ("corpus", "view") else "right")
    for corpus, f in facts.items():
        r = f["reader"]
        fixes = (str(r["mismatched"]), str(r["repaired"]), str(r["dropped"]))
        for view, v in f["views"].items():
            table.add_row(
                corpus,
                view,
                str(r["docs"]),
                str(v["gold"]),
                str(v["ignored"]),
                str(v["with_coords"]),
                str(v["with_id"]),
                *fixes,
            )
    console.print(table)


def print_resolution(console: Console, res: dict[str, dict[str, Any]], view: str) -> None:
    table = Table(title=f"Resolution of gold toponyms (GeoWebNews view: {view})")
    cols = (
        "corpus",
        "n",
        "acc@161",
        "acc@161|id",
        "median km",
        "mean km",
        "AUC",
        "exact id (n)",
        "Mordecai3 exact",
        "unresolved",
        "ms/toponym",
    )
    for col in cols:
        table.add_column(col, justify="left" if col == "corpus" else "right")
    for corpus, r in res.items():
        ref = REFERENCE["exact_id"].get(corpus)
        table.add_row(
            corpus,
            str(r["n"]),
            _pct(r["acc161"]),
            _pct(r["acc161_or_id"]),
            _km(r["median_km"]),
            _km(r["mean_km"]),
            "—" if r["auc"] is None else f"{r['auc']:.3f}",
            f"{_pct(r['exact_id'])} ({r['n_with_id']})",
            _pct(ref),
            f"{_pct(r['unresolved_pct'])}%",
            "—" if r["ms_per_toponym"] is None else f"{r['ms_per_toponym']:.2f}",
        )
    console.print(table)
    for corpus, r in res.items():
        if "exact_id_when_among_candidates" in r:
            console.print(
                f"{corpus}: the gold entry is in the gazetteer for "
                f"{_pct(r['gold_in_gazetteer'])}% of toponyms with an id, among the entries "
                f"their name finds for {_pct(r['gold_among_candidates'])}%; when it is, it is "
                f"chosen {_pct(r['exact_id_when_among_candidates'])}% of the time."
            )
    lo, hi = REFERENCE["acc161_range"]
    console.print(
        f"Reference: {REFERENCE['source']}; its acc@161 spans {100 * lo:.1f}–{100 * hi:.0f}% "
        f"across corpora. Unresolved = error {MAX_ERROR_KM:,.0f} km. acc@161|id: within 161 km "
        "or the gold's GeoNames id (the gazetteer may place a country elsewhere)."
    )
    for corpus, r in res.items():
        if "by_type" in r:
            t = Table(title=f"{corpus}: resolution by annotation type")
            for col in ("type", "n", "acc@161", "median km"):
                t.add_column(col, justify="left" if col == "type" else "right")
            for kind, s in r["by_type"].items():
                t.add_row(kind, str(s["n"]), _pct(s["acc161"]), _km(s["median_km"]))
            console.print(t)


def print_detection(console: Console, det: dict[str, dict[str, Any]]) -> None:
    table = Table(title="Toponym detection (exact | overlap)")
    cols = (
        "corpus",
        "view",
        "P",
        "R",
        "F1",
        "P ov",
        "R ov",
        "F1 ov",
        "acc@161 of matched",
        "E2E acc@161",
        "ms/article",
    )
    for col in cols:
        table.add_column(col, justify="left" if col in ("corpus", "view") else "right")
    for corpus, d in det.items():
        res = d["resolution_of_detected"]
        for view, modes in d["views"].items():
            ex, ov = modes["exact"], modes["overlap"]
            head = view == d["headline_view"]
            table.add_row(
                corpus,
                view + (" *" if head else ""),
                _pct(ex["precision"]),
                _pct(ex["recall"]),
                _pct(ex["f1"]),
                _pct(ov["precision"]),
                _pct(ov["recall"]),
                _pct(ov["f1"]),
                _pct(res["acc161"]) if head else "",
                _pct(res["e2e_acc161_of_all_gold"]) if head else "",
                f"{d['ms_per_article']:.1f}" if head and d["ms_per_article"] else "",
            )
    console.print(table)
    console.print(
        "* headline view. acc@161 of matched: detected toponyms overlapping a gold one with "
        "coordinates; E2E: those right within 161 km over all gold toponyms with coordinates."
    )
    for corpus, d in det.items():
        if "recall_by_type_exact" in d:
            t = Table(title=f"{corpus}: exact recall by annotation type")
            t.add_column("type")
            t.add_column("n", justify="right")
            t.add_column("recall", justify="right")
            for kind, s in d["recall_by_type_exact"].items():
                t.add_row(kind, str(s["n"]), _pct(s["recall"]))
            console.print(t)
        if d["fp_annotated_as"]:
            hits = ", ".join(f"{k}: {n}" for k, n in d["fp_annotated_as"].items())
            console.print(f"{corpus} false positives (exact) annotated as — {hits}")


def print_errors(console: Console, results: dict[str, Any], k: int) -> None:
    for corpus, r in results.get("resolution", {}).items():
        t = Table(title=f"{corpus}: most frequent wrong resolutions (≥ {ACC_KM:.0f} km)")
        for col in ("n", "surface", "gold id lat,lon", "got", "km", "context"):
            t.add_column(col, overflow="fold")
        for e in r["errors"][:k]:
            t.add_row(
                str(e["count"]),
                *(escape(e[key]) for key in ("name", "gold", "got")),
                f"{e['error_km']:,}",
                escape(e["context"]),
            )
        console.print(t)
    for corpus, d in results.get("detection", {}).items():
        for key, title in (("false_negatives", "missed"), ("false_positives", "spurious")):
            t = Table(title=f"{corpus}: most frequent {title} toponyms (exact, headline view)")
            for col in ("n", "surface", "context"):
                t.add_column(col, overflow="fold")
            for e in d[key][:k]:
                t.add_row(str(e["count"]), escape(e["surface"]), escape(e["context"]))
            console.print(t)


def _trim(results: dict[str, Any], keep: int) -> None:
    """Keep the JSON readable: the first `keep` error rows of each list."""
    for section in ("resolution", "detection"):
        for r in results.get(section, {}).values():
            for key in ("errors", "false_negatives", "false_positives"):
                if key in r:
                    r[key] = r[key][:keep]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default="both", choices=(*CORPORA, *ALIASES))
    parser.add_argument("--limit", type=int, default=None, help="first N articles per corpus")
    parser.add_argument("--task", default="both", choices=("resolve", "detect", "both"))
    parser.add_argument(
        "--gwn-view",
        default="toponym",
        choices=GWN_VIEWS,
        help="GeoWebNews toponyms to resolve (detection reports all views)",
    )
    parser.add_argument("--detector", default="auto", choices=DETECTORS)
    parser.add_argument("--show-errors", type=int, default=0, metavar="K")
    parser.add_argument("--data", type=Path, default=GRITTA)
    parser.add_argument("--out", type=Path, default=RESULTS / "geoparse.json")
    args = parser.parse_args(argv)
    console = Console()

    names = ALIASES.get(args.corpus, (args.corpus,))
    corpora = {name: load_corpus(name, args.data, args.limit) for name in names}
    facts = {name: corpus_facts(name, docs, stats) for name, (docs, stats) in corpora.items()}
    print_facts(console, facts)

    try:
        api = load_places_api(resolve=args.task != "detect", detector=args.detector)
    except PlacesUnavailable as exc:
        console.print(
            f"[bold red]sitrep.places is not ready: {exc}.[/] The benchmark needs "
            "`Gazetteer.open()`, `resolve_toponyms(text, spans, gazetteer, language)` and "
            "`find_places(text, language, gazetteer)` (or `sitrep.analyse`)."
        )
        return 2
    console.print(f"gazetteer opened in {api.load_seconds:.2f} s; detector: {api.detector}")

    results: dict[str, Any] = {
        **run_info(args),
        "gazetteer_open_seconds": api.load_seconds,
        "max_error_km": MAX_ERROR_KM,
        "acc_km": ACC_KM,
        "reference": REFERENCE,
        "corpora": facts,
    }
    if args.task in ("resolve", "both"):
        results["resolution"] = {
            name: run_resolution(api, docs, args.gwn_view) for name, (docs, _) in corpora.items()
        }
        print_resolution(console, results["resolution"], args.gwn_view)
    if args.task in ("detect", "both"):
        results["detection"] = {
            name: run_detection(api, docs, name) for name, (docs, _) in corpora.items()
        }
        results["nlp_load_seconds"] = api.model_seconds
        print_detection(console, results["detection"])
        if not any(d["predicted"] for d in results["detection"].values()):
            console.print("[bold red]The detector found no place at all: is it wired up?[/]")
    if args.show_errors:
        print_errors(console, results, args.show_errors)
    _trim(results, max(50, args.show_errors))
    write_json(args.out, results, console.print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
