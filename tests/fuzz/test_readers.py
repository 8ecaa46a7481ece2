"""Property tests on every reader and on the cleaner (issue 8): whatever the bytes, reading
never raises, every input becomes an Article or a Rejection with a reason, and cleaning keeps
its offsets inside the texts they point into. Longer runs: `bench/fuzz.py` (atheris)."""

from __future__ import annotations

import gzip
import io
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitrep.clean import clean
from sitrep.model import Article, Rejection
from sitrep.read import read_paths

#: Every reader's answer to one input, however bad, comes within this much CPU time (CPU, not
#: wall-clock: a busy CI machine must not fail it).
SECONDS_PER_INPUT = 5.0
EXTENSIONS = [".txt", ".html", ".jsonl", ".jsonl.gz", ".warc", ".warc.gz", ""]
REASON = re.compile(r"[a-z][a-z_]*")
BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

#: Characters that break naive text handling: NUL and controls, bidi overrides, surrogates'
#: neighbours, combining marks, non-characters, line and paragraph separators, a BOM.
NASTY = "\x00\x01\x08\x0b\x0c\x1b\x7f\u0085\u00ad\u200b\u200e\u202e\u2028\u2029\ufeff\ufffd\uffff"
TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(NASTY + "\n\n\r\t <>&;\"'{}[]"),
        st.sampled_from("Les tirs ont visé Goris mardi. Shelling hit the town on Monday."),
    ),
    max_size=3000,
)


def _write(tmp: Path, name: str, data: bytes) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def _check(items: list[Article | Rejection], source: str) -> None:
    """What the contract promises for any input: a source, a reason code and a detail for a
    rejection, text that is valid Unicode for an article."""
    for item in items:
        assert item.source == source
        if isinstance(item, Rejection):
            assert REASON.fullmatch(item.reason), item.reason
            assert item.detail
        else:
            assert isinstance(item, Article)
            body = item.text if item.text is not None else item.html
            assert body is not None
            body.encode("utf-8")  # no lone surrogates reach the store


def _read(path: Path) -> list[Article | Rejection]:
    start = time.process_time()
    items = list(read_paths([str(path)]))
    assert time.process_time() - start < SECONDS_PER_INPUT
    return items


@FUZZ
@given(data=st.binary(max_size=4096), ext=st.sampled_from(EXTENSIONS), zipped=st.booleans())
def test_random_bytes_in_any_format_are_read_or_rejected(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, ext: str, zipped: bool
) -> None:
    if zipped:  # a valid gzip around garbage: the reader gets past the compression
        data = gzip.compress(data)
    path = _write(tmp_path_factory.mktemp("bytes"), f"input{ext}", data)
    items = _read(path)
    _check(items, str(path))
    if ext in (".txt", ".html"):
        assert len(items) == 1  # a whole file is one input, read or rejected


@FUZZ
@given(text=TEXT, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1", "cp1252", "utf-8-sig"]))
def test_random_text_in_any_encoding_is_one_article_or_one_rejection(
    tmp_path_factory: pytest.TempPathFactory, text: str, encoding: str
) -> None:
    data = text.encode(encoding, errors="replace")
    path = _write(tmp_path_factory.mktemp("text"), "input.txt", data)
    items = _read(path)
    _check(items, str(path))
    assert len(items) == 1


TAGS = ["div", "p", "span", "article", "section", "table", "tr", "td", "ul", "li", "b", "a"]
HTML = st.recursive(
    TEXT.map(lambda t: t.replace("<", " ")),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(TAGS), st.lists(inner, max_size=4), st.booleans()).map(
            lambda t: f"<{t[0]}>{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else "")
        ),
        st.lists(inner, max_size=3).map(lambda xs: "<!-- " + " ".join(xs) + " -->"),
        st.just("<script>window.SCRIPTMARK=1</script><style>.STYLEMARK{}</style>"),
    ),
    max_leaves=30,
)


@FUZZ
@given(body=HTML, depth=st.integers(0, 200) | st.integers(201, 3000))  # under lxml's limit, or over
def test_random_html_is_extracted_and_cleaned_without_scripts(
    tmp_path_factory: pytest.TempPathFactory, body: str, depth: int
) -> None:
    from sitrep.clean import CleanStage
    from sitrep.model import AnalysedArticle
    from sitrep.pipeline import Pipeline
    from sitrep.read.extract import ExtractStage

    page = f"<html><head><title>t</title></head><body>{'<div>' * depth}{body}</body></html>"
    path = _write(tmp_path_factory.mktemp("html"), "page.html", page.encode("utf-8"))
    [item] = _read(path)
    _check([item], str(path))
    if isinstance(item, Rejection):
        return  # mostly control characters, say: refused with a reason, checked above
    start = time.process_time()
    [done] = Pipeline([ExtractStage(), CleanStage()])([AnalysedArticle(article=item)])
    assert time.process_time() - start < SECONDS_PER_INPUT
    if done.rejection is None:
        assert done.clean_text is not None
        assert "SCRIPTMARK" not in done.clean_text and "STYLEMARK" not in done.clean_text
    else:
        assert REASON.fullmatch(done.rejection.reason)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=8,
)
RECORD = st.fixed_dictionaries(
    {},
    optional={
        "id": JSON_VALUE,
        "text": TEXT | JSON_VALUE,
        "html": TEXT,
        "title": JSON_VALUE,
        "url": JSON_VALUE,
        "published": st.sampled_from(["2022-09-13", "13/09/2022", "yesterday", "", "9999-99-99"])
        | JSON_VALUE,
        "language": JSON_VALUE,
    },
)
LINE = st.one_of(
    RECORD.map(json.dumps),
    JSON_VALUE.map(json.dumps),  # valid JSON, not an object
    TEXT.map(lambda t: t.replace("\n", " ").replace("\r", " ")),  # not JSON at all
    st.just(""),
)


@FUZZ
@given(lines=st.lists(LINE, min_size=1, max_size=12), zipped=st.booleans())
def test_random_jsonl_gives_one_answer_per_line_with_content(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str], zipped: bool
) -> None:
    data = "\n".join(lines).encode("utf-8")
    name = "feed.jsonl.gz" if zipped else "feed.jsonl"
    path = _write(tmp_path_factory.mktemp("jsonl"), name, gzip.compress(data) if zipped else data)
    items = _read(path)
    _check(items, str(path))
    if len(items) == 1 and isinstance(items[0], Rejection) and not items[0].locator:
        return  # the whole file refused (binary, empty): said once
    # one Article or Rejection per line with content, each naming its line
    numbered = io.BytesIO(data).read().split(b"\n")
    expected = [f"line {n}" for n, line in enumerate(numbered, 1) if line.strip()]
    assert [item.locator for item in items] == expected


LINES = st.lists(TEXT.map(lambda t: t.replace("\n", " ")), min_size=1, max_size=6)


@st.composite
def articles(draw: st.DrawFn) -> str:
    """Lines as a scraped page has them: some repeated, some cut short, some blank."""
    pool = draw(LINES)
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=25))):
        line = draw(st.sampled_from(pool))
        if draw(st.booleans()):  # a truncated copy
            line = line[: draw(st.integers(min_value=0, max_value=len(line)))]
        out.append(line)
    return draw(st.sampled_from(["\n", "\n\n", "\r\n", "\u2029"])).join(out)


@FUZZ
@given(raw=TEXT | articles(), title=st.none() | TEXT)
def test_cleaning_random_text_keeps_every_offset_inside_its_text(
    raw: str, title: str | None
) -> None:
    start = time.process_time()
    result = clean(raw, title=title)
    assert time.process_time() - start < SECONDS_PER_INPUT
    text = result.clean_text
    previous = 0
    for seg in result.offset_map:
        assert previous <= seg.clean_start <= seg.clean_end <= len(text)
        assert 0 <= seg.raw_start <= seg.raw_end <= len(raw)
        previous = seg.clean_end
    for removed in result.removed:
        assert 0 <= removed.raw_start <= removed.raw_end <= len(raw)
        assert REASON.fullmatch(removed.reason)
    for paragraph in result.paragraphs:
        assert paragraph in text
    assert not BIDI.search(text)  # no control that reorders what is displayed
