"""JSON Lines: one article a line; a bad line costs only itself."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from sitrep.model import Article, Rejection
from sitrep.read import read_paths
from sitrep.read.jsonl import parse_date

TEXT = "Both sides signed the ceasefire agreement in Geneva on Monday."


def line(**fields: Any) -> str:
    return json.dumps(fields, ensure_ascii=False) + "\n"


def read(path: Path, **kwargs: Any) -> list[Article | Rejection]:
    return list(read_paths([str(path)], **kwargs))


def test_fields_are_read_and_extra_fields_ignored(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(
        line(
            id="fr-001",
            text=TEXT,
            url="https://a.example/1",
            title="  Ceasefire in Geneva ",
            published="2022-09-14",
            language="en",
            events=[{"type": "ceasefire"}],
            published_expected="2022-09-14",
        ),
        encoding="utf-8",
    )
    assert read(path) == [
        Article(
            input_id="fr-001",
            source=str(path),
            locator="line 1",
            text=TEXT,
            url="https://a.example/1",
            title="Ceasefire in Geneva",
            published=date(2022, 9, 14),
            language="en",
        )
    ]


def test_ids_line_numbers_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.ndjson"
    path.write_text(
        "\n" + line(text=TEXT) + "   \n" + line(id=42, html="<p>x</p>") + line(id="", text=TEXT),
        encoding="utf-8",
    )
    got = read(path)
    assert all(isinstance(a, Article) for a in got)
    assert [(a.input_id, a.locator) for a in got if isinstance(a, Article)] == [
        (f"{path}:2", "line 2"),
        ("42", "line 4"),
        (f"{path}:5", "line 5"),
    ]
    assert isinstance(got[1], Article) and got[1].html == "<p>x</p>" and got[1].text is None


def test_malformed_line_between_two_good_ones(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        line(id="a", text=TEXT) + '{"id": "b", "text": "unterminated\n' + line(id="c", text=TEXT),
        encoding="utf-8",
    )
    first, bad, last = read(path)
    assert isinstance(first, Article) and first.input_id == "a"
    assert isinstance(bad, Rejection)
    assert (bad.source, bad.locator, bad.reason) == (str(path), "line 2", "malformed_jsonl")
    assert bad.detail.startswith("line 2 is not valid JSON")
    assert isinstance(last, Article) and last.input_id == "c" and last.locator == "line 3"


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("[1, 2, 3]", "malformed_jsonl"),
        ('"just a string"', "malformed_jsonl"),
        ("[" * 100_000 + "]" * 100_000, "malformed_jsonl"),  # deep enough for RecursionError
        ('{"id": "x"}', "no_text"),
        ('{"id": "x", "text": "   ", "html": ""}', "no_text"),
        ('{"id": "x", "text": 12}', "no_text"),
    ],
)
def test_bad_lines(tmp_path: Path, bad_line: str, reason: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(bad_line + "\n" + line(id="ok", text=TEXT), encoding="utf-8")
    bad, good = read(path)
    assert isinstance(bad, Rejection)
    assert (bad.source, bad.locator, bad.reason) == (str(path), "line 1", reason)
    assert isinstance(good, Article) and good.input_id == "ok"


def test_line_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(line(text="Genève").encode("latin-1") + line(id="ok", text=TEXT).encode())
    bad, good = read(path)
    assert isinstance(bad, Rejection) and (bad.locator, bad.reason) == ("line 1", "undecodable")
    assert isinstance(good, Article)


def test_unreadable_date_is_left_empty_not_rejected(tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text(
        line(text=TEXT, published="14/09/2022")
        + line(text=TEXT, published="2022-09-14T23:30:00Z")
        + line(text=TEXT, published=20220914),
        encoding="utf-8",
    )
    assert [a.published for a in read(path) if isinstance(a, Article)] == [
        None,
        date(2022, 9, 14),
        None,
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-09-14", date(2022, 9, 14)),
        ("2022-09-14T08:30:00", date(2022, 9, 14)),
        ("2022-09-14T08:30:00Z", date(2022, 9, 14)),
        ("2022-09-14T08:30:00.123+02:00", date(2022, 9, 14)),
        (" 2022-09-14 ", date(2022, 9, 14)),
        ("Sept 14, 2022", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress((line(id="a", text=TEXT) + line(id="b", text=TEXT)).encode()))
    assert [a.input_id for a in read(path) if isinstance(a, Article)] == ["a", "b"]


def test_truncated_gzip_keeps_what_was_read(tmp_path: Path) -> None:
    body = "".join(line(id=f"n{i}", text=f"{TEXT} {i} {'x' * i}") for i in range(300)).encode()
    data = gzip.compress(body)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    good = tmp_path / "next.txt"
    good.write_text("Ceasefire\n\nIt holds.", encoding="utf-8")

    got = list(read_paths([str(path), str(good)]))
    articles = [a for a in got[:-2] if isinstance(a, Article)]
    assert len(articles) == len(got) - 2 > 0
    cut = got[-2]
    assert isinstance(cut, Rejection)
    assert (cut.source, cut.reason) == (str(path), "corrupt_gzip")
    assert cut.locator == f"line {len(articles) + 1}"
    assert isinstance(got[-1], Article) and got[-1].source == str(good)


def test_line_over_the_limit_is_rejected_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    long_line = line(id="long", text="x" * 5000)
    path.write_text(line(id="a", text=TEXT) + long_line + line(id="b", text=TEXT), encoding="utf-8")
    first, big, last = read(path, max_bytes=1000)
    assert isinstance(big, Rejection)
    assert (big.locator, big.reason) == ("line 2", "too_large")
    assert big.detail == f"{len(long_line):,} bytes; the limit is 1,000 (--max-bytes)"
    assert isinstance(first, Article) and isinstance(last, Article) and last.locator == "line 3"


def test_binary_file_named_jsonl_is_one_rejection(tmp_path: Path) -> None:
    path = tmp_path / "image.jsonl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    [bad] = read(path)
    assert bad == Rejection(str(path), "", "binary", "the input is a PNG image, not JSON Lines")


def test_bom_on_the_first_line(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + line(id="a", text=TEXT).encode())
    [art] = read(path)
    assert isinstance(art, Article) and art.input_id == "a"


@pytest.mark.parametrize("content", [b"", b"\n  \n\n"])
def test_file_without_lines_is_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "nothing.jsonl"
    path.write_bytes(content)
    assert read(path) == [Rejection(str(path), "", "empty", "the file has no lines with content")]


@pytest.mark.parametrize("lines", [300, 3000], ids=["within-sniffing-window", "past-it"])
def test_truncated_gzip_on_stdin_reads_like_the_file(tmp_path: Path, lines: int) -> None:
    """stdin keeps the complete lines and rejects the cut one at its line, as by path."""
    body = "".join(line(id=f"n{i}", text=f"{TEXT} {i} {'x' * (i % 300)}") for i in range(lines))
    data = gzip.compress(body.encode())
    path = tmp_path / "cut.jsonl.gz"
    for size in (len(data) // 3, len(data) // 2, len(data) - 3):
        path.write_bytes(data[:size])
        by_path = read(path)
        from_stdin = list(read_paths(["-"], stdin=io.BytesIO(data[:size])))
        articles = [a for a in from_stdin if isinstance(a, Article)]
        assert len(articles) == len(from_stdin) - 1 > 0, size
        assert [a.input_id for a in articles] == [f"n{i}" for i in range(len(articles))]
        cut = from_stdin[-1]
        assert isinstance(cut, Rejection), size
        assert (cut.source, cut.locator, cut.reason) == (
            "-",
            f"line {len(articles) + 1}",
            "corrupt_gzip",
        )
        assert [(a.locator, a.input_id) for a in articles] == [
            (a.locator, a.input_id) for a in by_path if isinstance(a, Article)
        ]
        assert isinstance(by_path[-1], Rejection)
        assert (by_path[-1].locator, by_path[-1].reason) == (cut.locator, cut.reason)


def _messy_jsonl(path: Path) -> None:
    """A BOM and blank lines first, lines of unequal length, blank lines, a malformed line,
    one line longer than the scanner's chunk, a CRLF, and no newline at the end."""
    lines = []
    for n in range(40):
        text = "Des tirs ont visé le village. " * (1 + n % 7)
        lines.append(json.dumps({"id": f"a{n}", "text": text}))
        if n % 9 == 0:
            lines.append("")
    lines.insert(17, '{"id": "broken", ')
    lines.insert(25, json.dumps({"id": "long", "text": "x " * 3000}))
    lines[30] += "\r"  # one CRLF line ending
    path.write_text("\ufeff\n\n  \n" + "\n".join(lines), encoding="utf-8")  # BOM, blank lines


@pytest.mark.parametrize("chunk", [7, 100, 1 << 20])
@pytest.mark.parametrize("parts", [2, 3, 8, 200])
def test_line_spans_read_together_are_the_whole_file(
    tmp_path: Path, parts: int, chunk: int
) -> None:
    from sitrep.read import read_file_span
    from sitrep.read.jsonl import line_spans

    path = tmp_path / "m.jsonl"
    _messy_jsonl(path)
    data = path.read_bytes()
    spans = line_spans(str(path), parts, chunk=chunk)
    assert spans[0][:1] == (0,) and spans[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in pairwise(spans))  # no gap, no overlap
    assert all(start < end for start, end, _ in spans) and 2 <= len(spans) <= parts
    for start, _, first in spans:  # each starts at a line, numbered as counted from the top
        assert start == 0 or data[start - 1 : start] == b"\n"
        assert first == data[:start].count(b"\n") + 1

    def described(items: list[Any]) -> list[tuple[str, str]]:
        return [
            (i.locator, i.reason) if isinstance(i, Rejection) else (i.locator, i.input_id)
            for i in items
        ]

    whole = list(read_paths([str(path)]))
    pieces = [i for s, e, f in spans for i in read_file_span(str(path), s, e, f)]
    assert described(pieces) == described(whole)
    assert [i.input_key for i in pieces if isinstance(i, Article)] == [
        i.input_key for i in whole if isinstance(i, Article)
    ]


def test_a_part_of_a_file_that_changed_since_it_was_cut_is_not_read(tmp_path: Path) -> None:
    from sitrep.read import read_file_span
    from sitrep.read.jsonl import line_spans

    path = tmp_path / "m.jsonl"
    _messy_jsonl(path)
    st = path.stat()
    (start, end, first), *_ = line_spans(str(path), 4)[1:]
    assert len(list(read_file_span(str(path), start, end, first, expect=(st.st_size, st.st_mtime))))
    with path.open("r+b") as f:  # rewritten in place: same size, lines moved by one byte
        data = f.read()
        f.seek(0)
        f.write(b" " + data[:-1])
    now = path.stat()
    for expect in ((st.st_size, st.st_mtime), (now.st_size, now.st_mtime)):
        [item] = read_file_span(str(path), start, end, first, expect=expect)
        assert isinstance(item, Rejection) and item.reason == "changed_while_read"
