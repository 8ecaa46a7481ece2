"""The news articles the benchmarks feed to sitrep, as JSONL-ready records with their dates.

- the Wikinews corpus (`../shared/corpus/wikinews`, CC BY 2.5): its text files carry no dateline,
  so the dates (and languages) come from its INDEX.tsv;
- the raw English Wikinews set (`raw_news_en_wikinews_vanatteveldt`, 2019-2020, CC BY 2.5);
- WiNER-fr's French Wikinews articles (`winer_fr_wikinews_ner`, 2016-2018, CC BY 4.0), dated by
  their file names.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus/wikinews"
RAW = SHARED / "benchmarks/raw_news_en_wikinews_vanatteveldt"
WINER = SHARED / "benchmarks/winer_fr_wikinews_ner"


def wikinews(language: bool = False) -> Iterator[dict[str, Any]]:
    """The corpus; with `language`, each record says its language (INDEX.tsv's)."""
    with (CORPUS / "INDEX.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            day = row["published"][:10]
            rec = {"id": Path(row["file"]).stem, "url": row["url"], "title": row["title"],
                   "published": day if day[:4].isdigit() and len(day) == 10 else None}  # fmt: skip
            if language:
                rec["language"] = row["language"]
            rec["text"] = (CORPUS / row["file"]).read_text(encoding="utf-8")
            yield rec


def raw_english(language: bool = False) -> Iterator[dict[str, Any]]:
    """The raw English Wikinews set, in file and row order."""
    csv.field_size_limit(10**8)
    for path in sorted(RAW.glob("*.csv")):
        with path.open(encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                rec = {"id": f"{path.stem}-{n}", "url": row["url"], "title": row["title"],
                       "published": row["date"][:10]}  # fmt: skip
                if language:
                    rec["language"] = "en"
                rec["text"] = row["text"]
                yield rec


def winer() -> Iterator[dict[str, Any]]:
    """WiNER-fr's articles: the title is the first line, the date is in the file name."""
    for txt in sorted(WINER.glob("20*/*/*.txt")):
        title, _, body = txt.read_text(encoding="utf-8").partition("\n")
        y, m, d = txt.stem.split("-")[0].split("_")
        yield {"id": f"winer-{txt.stem}", "title": title.strip(), "text": body.strip(),
               "published": f"{y}-{m}-{d}", "language": "fr"}  # fmt: skip
