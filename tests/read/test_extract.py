"""The extract stage: text copied, HTML extracted on the worker, bad pages rejected as data."""

from __future__ import annotations

import json
import pickle
import time
from datetime import date
from pathlib import Path

from sitrep.model import AnalysedArticle, Article, Rejection
from sitrep.pipeline import Pipeline, run
from sitrep.read import read_paths
from sitrep.read.extract import ExtractStage

BODY = (
    "<p>Both sides signed the ceasefire agreement in Geneva on Monday, after weeks of talks "
    "between the two delegations.</p><p>The agreement takes effect at midnight and will be "
    "monitored by observers from neutral countries.</p>"
)
PAGE = f"""<html><head><title>Ceasefire signed in Geneva</title>
<meta property="article:published_time" content="2022-09-14">
<link rel="canonical" href="https://news.example/ceasefire-geneva">
</head><body><article>{BODY}</article></body></html>"""


def extract(*articles: Article) -> list[AnalysedArticle]:
    return list(run(Pipeline([ExtractStage()]), articles))


def test_plain_text_is_copied() -> None:
    art = Article(
        input_id="a",
        source="a.jsonl",
        locator="line 1",
        text="Ceasefire\n\nIt holds.",
        title="Ceasefire",
        url="https://a.example/1",
        published=date(2022, 9, 14),
    )
    [done] = extract(art)
    assert done.rejection is None
    assert (done.text, done.title, done.url, done.published) == (
        art.text,
        art.title,
        art.url,
        art.published,
    )


def test_html_is_extracted() -> None:
    [done] = extract(Article(input_id="p", source="p.html", html=PAGE))
    assert done.rejection is None
    assert done.text == (
        "Both sides signed the ceasefire agreement in Geneva on Monday, after weeks of talks "
        "between the two delegations.\nThe agreement takes effect at midnight and will be "
        "monitored by observers from neutral countries."
    )
    assert done.title == "Ceasefire signed in Geneva"
    assert done.url == "https://news.example/ceasefire-geneva"
    assert done.published == date(2022, 9, 14)


def test_what_the_input_said_wins_over_the_page() -> None:
    art = Article(
        input_id="j",
        source="gold.jsonl",
        locator="line 3",
        html=PAGE,
        title="Title from the JSONL",
        url="https://gold.example/3",
        published=date(2020, 1, 2),
    )
    [done] = extract(art)
    assert (done.title, done.url, done.published) == (
        "Title from the JSONL",
        "https://gold.example/3",
        date(2020, 1, 2),
    )
    assert done.text and done.text.startswith("Both sides signed")


def test_text_given_with_html_is_used_as_is() -> None:
    [done] = extract(Article(input_id="b", source="b.jsonl", text="Given text.", html=PAGE))
    assert done.text == "Given text." and done.title is None


def test_deeply_nested_page_is_rejected_and_its_neighbours_are_not(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text(
        "<html><body>" + "<div>" * 100_000 + BODY + "</div>" * 100_000 + "</body></html>",
        encoding="utf-8",
    )
    good = tmp_path / "good.html"
    good.write_text(PAGE, encoding="utf-8")
    articles = [a for a in read_paths([str(deep), str(good)]) if isinstance(a, Article)]
    assert len(articles) == 2

    start = time.perf_counter()
    rejected, done = extract(*articles)
    assert time.perf_counter() - start < 10
    assert rejected.rejection is not None
    rej = rejected.rejection
    assert (rej.source, rej.locator, rej.reason, rej.stage) == (
        str(deep),
        "",
        "too_deep",
        "extract",
    )
    assert done.rejection is None and done.title == "Ceasefire signed in Geneva"


def test_page_without_text_is_rejected() -> None:
    art = Article(input_id="e", source="crawl.warc.gz", locator="record 7", html="<p></p>")
    [done] = extract(art)
    assert done.rejection == Rejection(
        "crawl.warc.gz",
        "record 7",
        "no_text",
        "the page has no main text that could be extracted",
        "extract",
    )


def test_article_with_neither_text_nor_html_is_rejected() -> None:
    [done] = extract(Article(input_id="n", source="x"))
    assert done.rejection is not None and done.rejection.reason == "no_text"


def test_jsonl_html_end_to_end(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    path.write_text(
        json.dumps({"id": "p1", "html": PAGE, "title": "Mine"})
        + "\n"
        + json.dumps({"id": "p2", "html": "<html><body></body></html>"})
        + "\n",
        encoding="utf-8",
    )
    articles = [a for a in read_paths([str(path)]) if isinstance(a, Article)]
    first, second = extract(*articles)
    assert first.title == "Mine" and first.url == "https://news.example/ceasefire-geneva"
    assert second.rejection is not None
    assert (second.rejection.locator, second.rejection.reason) == ("line 2", "no_text")


def test_stage_contract_and_pickling() -> None:
    stage = ExtractStage()
    assert stage.name == "extract"
    assert stage.requires == frozenset({"article"})
    assert stage.provides == frozenset({"text", "title", "url", "published"})
    pipeline = pickle.loads(pickle.dumps(Pipeline([stage])))
    [done] = pipeline([AnalysedArticle(article=Article(input_id="p", source="p", html=PAGE))])
    assert done.title == "Ceasefire signed in Geneva"
