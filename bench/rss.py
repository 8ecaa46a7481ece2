"""Does `sitrep ingest` keep its memory flat as the input grows? (issue 7)

    .venv/bin/python bench/rss.py [--times 10] [--executor pool]

Writes two gzipped WARC files of HTML responses made from the Wikinews corpus: one with every
article once, one `--times` as large. In the large one each copy is made of other articles'
paragraphs (article i's title with paragraphs from articles i, i+7k and i+13k of copy k), so the
copies are real news text that the near-duplicate detection does not fold back into the
originals. Each file is ingested by `sitrep ingest` in a fresh process into a fresh DuckDB file;
peak RSS is summed over the process and its workers, sampled every 0.1 s (bench/scale.py).
Target: the large file's peak within 1.2x of the small one's.
"""

from __future__ import annotations

import argparse
import html
import io
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _news import wikinews
from _results import run_info, write_json
from scale import RESULTS, run_measured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

TARGET = 1.2


def corpus() -> list[dict[str, Any]]:
    out = []
    for rec in wikinews():
        paras = [p.strip() for p in rec["text"].split("\n\n") if p.strip()]
        out.append({"title": rec["title"], "paragraphs": paras[1:] or paras,
                    "published": rec["published"] or ""})  # fmt: skip
    return out


def page(title: str, paragraphs: list[str], published: str) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head><title>{html.escape(title)}</title>{meta}</head>"
            f"<body><nav>Home | World | Contact</nav><article><h1>{html.escape(title)}</h1>"
            f"{body}</article><footer>© News site</footer></body></html>").encode()  # fmt: skip


def write_warc(path: Path, arts: list[dict[str, Any]], times: int) -> int:
    n = len(arts)
    count = 0
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for k in range(times):
            for i, art in enumerate(arts):
                if k == 0:
                    paras = art["paragraphs"]
                else:  # other articles' paragraphs: new text, still news
                    paras = [*arts[i]["paragraphs"][:1], *arts[(i + 7 * k) % n]["paragraphs"],
                             *arts[(i + 13 * k) % n]["paragraphs"]]  # fmt: skip
                payload = page(art["title"], paras, art["published"])
                headers = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                record = writer.create_warc_record(
                    f"https://news.example/{k}/{i}", "response",
                    payload=io.BytesIO(payload), http_headers=headers,
                )  # fmt: skip
                writer.write_record(record)
                count += 1
    return count


def ingest_peak(warc: Path, db: Path, executor: str) -> dict[str, Any]:
    cmd = [str(Path(sys.executable).with_name("sitrep")), "ingest", str(warc), "--db", str(db),
           "--executor", executor]  # fmt: skip
    start = time.perf_counter()
    peak = run_measured(cmd, quiet=True)
    return {"seconds": time.perf_counter() - start, "peak_rss_mb": round(peak, 1),
            "warc_mb": round(warc.stat().st_size / 2**20, 2)}  # fmt: skip


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--times", type=int, default=10)
    p.add_argument("--executor", default="pool")
    args = p.parse_args()
    arts = corpus()
    res: dict[str, Any] = {"run": run_info(args)}
    with tempfile.TemporaryDirectory() as tmp:
        for times in (1, args.times):
            warc = Path(tmp) / f"corpus{times}.warc.gz"
            records = write_warc(warc, arts, times)
            r = ingest_peak(warc, Path(tmp) / f"x{times}.duckdb", args.executor)
            r["records"] = records
            res[f"x{times}"] = r
            print(f"  {times}x: {records} records, {r['warc_mb']} MB of WARC, "
                  f"{r['seconds']:.0f} s, peak RSS {r['peak_rss_mb']:.0f} MB")  # fmt: skip
    ratio = res[f"x{args.times}"]["peak_rss_mb"] / res["x1"]["peak_rss_mb"]
    res["ratio"] = round(ratio, 3)
    res["target_met"] = ratio <= TARGET
    name = "rss.json" if args.executor == "pool" else f"rss_{args.executor}.json"
    write_json(RESULTS / name, res)
    print(json.dumps({k: v for k, v in res.items() if k != "run"}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
