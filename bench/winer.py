"""French toponym detection on WiNER-fr (1,191 French Wikinews articles, 2016-2018).

    .venv/bin/python bench/winer.py [--limit N] [--years 2016,2018] [--show-errors K]

`find_places(text, "fr", gazetteer)` on each article's text (title line included), scored
against the brat `Location` annotations: precision/recall/F1 with exact offsets and with any
overlap (one to one), per year and in total. Headline gold (`top`): Locations not nested in
another entity; the nested ones ("Hong Kong" in "Université baptiste de Hong Kong", "Paris" in
"18e arrondissement de Paris") are ignored, neither to find nor wrong when found. The `all`
view scores every Location span. WiNER has no coordinates: resolution is not scored, only the
share of matched toponyms the resolver placed.

The texts are tokenised ("l' océan", "2016 . –"), as the corpus ships them. Results: a Rich
table and `bench/results/winer.json`. The gold data is for measuring only.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from _geo_corpora import (
    DETECTORS,
    PRF,
    RESULTS,
    WINER,
    GoldDoc,
    PlacesUnavailable,
    ReadStats,
    context,
    load_places_api,
    match_spans,
    read_winer,
    surface_counts,
    winer_split,
)
from _results import run_info, write_json
from rich.console import Console
from rich.markup import escape
from rich.table import Table

TARGET_F1 = 0.85
VIEWS = ("top", "all")


def load(root: Path, years: list[str] | None, limit: int | None) -> tuple[list[GoldDoc], ReadStats]:
    """The first `limit` articles of each year (all when None)."""
    if not root.exists():
        sys.exit(f"WiNER not found at {root} (pass --data)")
    stats = ReadStats()
    per_year: Counter[str] = Counter()
    docs = []
    for doc in read_winer(root, years, stats):
        if limit is None or per_year[doc.group] < limit:
            per_year[doc.group] += 1
            docs.append(doc)
    return docs, stats


def facts(docs: list[GoldDoc], stats: ReadStats) -> dict[str, Any]:
    """Gold counts per year and view, and the entity types present."""
    out: dict[str, Any] = {"reader": stats.as_dict(), "years": {}}
    for year in sorted({d.group for d in docs}):
        ds = [d for d in docs if d.group == year]
        out["years"][year] = {"docs": len(ds)} | {
            view: {
                "gold": sum(len(winer_split(d, view)[0]) for d in ds),
                "ignored": sum(len(winer_split(d, view)[1]) for d in ds),
            }
            for view in VIEWS
        }
    out["types"] = dict(Counter(m.kind for d in docs for m in d.mentions).most_common())
    return out


def _annotated_as(doc: GoldDoc, span: tuple[int, int]) -> str:
    same = [m.kind for m in doc.mentions if m.span == span]
    if same:
        return same[0]
    over = [m.kind for m in doc.mentions if m.start < span[1] and span[0] < m.end]
    return f"overlaps {over[0]}" if over else "unannotated"


def run(docs: list[GoldDoc], detector: str) -> dict[str, Any]:
    """Detect places in every article; P/R/F1 per year, view and mode."""
    try:
        api = load_places_api(resolve=False, detector=detector)
    except PlacesUnavailable as exc:
        raise SystemExit(
            f"sitrep.places is not ready: {exc}. This benchmark needs Gazetteer.open() and "
            "find_places(text, language, gazetteer) (or sitrep.analyse)."
        ) from exc
    counts: dict[str, dict[str, dict[str, PRF]]] = defaultdict(
        lambda: {v: {"exact": PRF(), "overlap": PRF()} for v in VIEWS}
    )
    fn_items: list[tuple[str, str]] = []
    fp_items: list[tuple[str, str]] = []
    fp_hits: Counter[str] = Counter()
    matched = matched_resolved = predicted = 0
    seconds = 0.0
    chars = 0
    for doc in docs:
        start = time.perf_counter()
        found = sorted(api.find(doc.text, "fr"), key=lambda m: (m.start, m.end))
        seconds += time.perf_counter() - start
        chars += len(doc.text)
        predicted += len(found)
        pred = [(m.start, m.end) for m in found]
        for view in VIEWS:
            gold, ignored = winer_split(doc, view)
            for mode in ("exact", "overlap"):
                match = match_spans([m.span for m in gold], pred, mode, [m.span for m in ignored])
                for key in (doc.group, "total"):
                    counts[key][view][mode] += match.counts
                if view == "top" and mode == "exact":
                    fn_items += [_item(doc, gold[i]) for i in match.false_neg]
                    for i in match.false_pos:
                        fp_items.append(_item(doc, found[i]))
                        fp_hits[_annotated_as(doc, pred[i])] += 1
                if view == "top" and mode == "overlap":
                    matched += len(match.pairs)
                    matched_resolved += sum(
                        getattr(found[pi], "place", None) is not None for pi, _ in match.pairs
                    )
    groups = [*sorted(k for k in counts if k != "total"), "total"]
    return {
        "detector": api.detector,
        "gazetteer_open_seconds": api.load_seconds,
        "nlp_load_seconds": api.model_seconds,
        "scores": {
            g: {v: {mode: c.as_dict() for mode, c in counts[g][v].items()} for v in VIEWS}
            for g in groups
        },
        "predicted": predicted,
        "matched_resolved_share": matched_resolved / matched if matched else None,
        "ms_per_article": 1000 * seconds / len(docs) if docs else None,
        "chars_per_second": chars / seconds if seconds else None,
        "fp_annotated_as": dict(fp_hits.most_common()),
        "false_negatives": [
            {"surface": s, "count": n, "context": c} for s, n, c in surface_counts(fn_items)
        ],
        "false_positives": [
            {"surface": s, "count": n, "context": c} for s, n, c in surface_counts(fp_items)
        ],
    }


def _item(doc: GoldDoc, m: Any) -> tuple[str, str]:
    return doc.text[m.start : m.end], f"{doc.doc_id}: {context(doc.text, m.start, m.end)}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def report(console: Console, gold: dict[str, Any], res: dict[str, Any], k: int) -> None:
    table = Table(title=f"WiNER-fr Location detection — {res['detector']}")
    cols = ("year", "view", "articles", "gold", "P", "R", "F1", "P ov", "R ov", "F1 ov")
    for col in cols:
        table.add_column(col, justify="left" if col in ("year", "view") else "right")
    n_docs = {year: y["docs"] for year, y in gold["years"].items()}
    n_docs["total"] = sum(n_docs.values())
    for group, views in res["scores"].items():
        for view, modes in views.items():
            ex, ov = modes["exact"], modes["overlap"]
            table.add_row(
                group,
                view + (" *" if view == "top" else ""),
                str(n_docs[group]),
                str(ex["tp"] + ex["fn"]),
                *(_pct(ex[key]) for key in ("precision", "recall", "f1")),
                *(_pct(ov[key]) for key in ("precision", "recall", "f1")),
                end_section=view == VIEWS[-1],
            )
    console.print(table)
    total = res["scores"]["total"]["top"]
    f1, f1_ov = total["exact"]["f1"], total["overlap"]["f1"]
    verdict = "[green]met[/]" if f1 >= TARGET_F1 else "[red]not met[/]"
    console.print(
        f"* headline (top-level Locations). Target F1 ≥ {TARGET_F1:.2f} (exact): {verdict} "
        f"— exact {f1:.3f}, overlap {f1_ov:.3f}. {res['ms_per_article']:.1f} ms/article; "
        f"matched toponyms resolved: {_pct(res['matched_resolved_share'] or 0.0)}%."
    )
    hits = ", ".join(f"{kind}: {n}" for kind, n in res["fp_annotated_as"].items())
    console.print(f"false positives (exact, top) annotated as — {hits}")
    if not k:
        return
    for key, title in (("false_negatives", "missed"), ("false_positives", "spurious")):
        t = Table(title=f"most frequent {title} Locations (exact, top)")
        for col in ("n", "surface", "context"):
            t.add_column(col, overflow="fold")
        for e in res[key][:k]:
            t.add_row(str(e["count"]), escape(e["surface"]), escape(e["context"]))
        console.print(t)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each year")
    parser.add_argument("--years", default="", help="comma-separated, e.g. 2016,2018")
    parser.add_argument("--detector", default="auto", choices=DETECTORS)
    parser.add_argument("--show-errors", type=int, default=0, metavar="K")
    parser.add_argument("--data", type=Path, default=WINER)
    parser.add_argument("--out", type=Path, default=RESULTS / "winer.json")
    args = parser.parse_args(argv)
    console = Console()

    years = [y.strip() for y in args.years.split(",") if y.strip()] or None
    docs, stats = load(args.data, years, args.limit)
    gold = facts(docs, stats)
    console.print(
        f"{len(docs)} articles; entity types {gold['types']}; offsets: {stats.mismatched} bad, "
        f"{stats.repaired} fixed, {stats.dropped} dropped"
    )
    res = run(docs, args.detector)
    report(console, gold, res, args.show_errors)
    if not res["predicted"]:
        console.print("[bold red]The detector found no place at all: is it wired up?[/]")
    keep = max(50, args.show_errors)
    res["false_negatives"] = res["false_negatives"][:keep]
    res["false_positives"] = res["false_positives"][:keep]
    out = {
        **run_info(args),
        "target_f1": TARGET_F1,
        "gold": gold,
        **res,
    }
    write_json(args.out, out, console.print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
