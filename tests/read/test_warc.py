"""WARC / WARC.gz: text responses become articles, the rest is skipped, damage is reported."""

from __future__ import annotations

import io
import random
from pathlib import Path
from typing import NamedTuple

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sitrep.model import Article, Rejection
from sitrep.read import ReadStats, read_paths

WORDS = ["cessez-le-feu", "armée", "attaque", "ville", "trêve", "civils", "blessés", "Kiev"]


def article_html(n: int) -> bytes:
    """A page whose text does not compress to nothing, so that a cut lands inside it."""
    rng = random.Random(n)
    words = " ".join(rng.choice(WORDS) for _ in range(300))
    return f"<html><head><title>Page {n}</title></head><body><p>{words}</p></body></html>".encode()


class Rec(NamedTuple):
    rec_type: str
    uri: str
    payload: bytes
    content_type: str | None  # the HTTP header of a response, the WARC one otherwise
    status: str = "200 OK"


def write_warc(path: Path, records: list[Rec], gz: bool = True) -> list[int]:
    """Write records with warcio; return the offset where each record ends."""
    ends = []
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        for rec in records:
            if rec.rec_type == "response":
                headers = [("Content-Type", rec.content_type)] if rec.content_type else []
                http = StatusAndHeaders(rec.status, headers, protocol="HTTP/1.1")
                record = writer.create_warc_record(
                    rec.uri, "response", payload=io.BytesIO(rec.payload), http_headers=http
                )
            else:
                record = writer.create_warc_record(
                    rec.uri,
                    rec.rec_type,
                    payload=io.BytesIO(rec.payload),
                    warc_content_type=rec.content_type or "",
                )
            writer.write_record(record)
            ends.append(fh.tell())
    return ends


def two_pages(path: Path, gz: bool = True) -> list[int]:
    return write_warc(
        path,
        [
            Rec("response", "https://a.example/1", article_html(1), "text/html; charset=utf-8"),
            Rec("response", "https://a.example/2", article_html(2), "text/html; charset=utf-8"),
        ],
        gz=gz,
    )


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_text_responses_become_articles(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    latin1_page = "<html><body><p>Genève, à la frontière</p></body></html>".encode("latin-1")
    write_warc(
        path,
        [
            Rec("warcinfo", "", b"software: test", "application/warc-fields"),
            Rec("request", "https://a.example/1", b"GET /1 HTTP/1.1\r\n\r\n", "application/http"),
            Rec("response", "https://a.example/1", article_html(1), "text/html; charset=utf-8"),
            Rec("response", "https://a.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
            Rec("response", "https://a.example/gone", b"<p>Gone</p>", "text/html", "404 Not Found"),
            Rec("resource", "file:///notes.txt", b"Ceasefire\n\nIt holds, for now.", "text/plain"),
            Rec("response", "https://a.example/fr", latin1_page, "text/html; charset=iso-8859-1"),
        ],
        gz=name.endswith(".gz"),
    )
    stats = ReadStats()
    got = list(read_paths([str(path)], stats=stats))

    assert all(isinstance(a, Article) for a in got)
    page, note, french = (a for a in got if isinstance(a, Article))
    assert (page.input_id, page.source, page.locator) == (
        "https://a.example/1",
        str(path),
        "record 1",
    )
    assert page.url == "https://a.example/1"
    assert page.html == article_html(1).decode() and page.text is None
    assert page.published is None  # the crawl date is not the publication date
    assert (note.locator, note.text, note.title, note.html) == (
        "record 4",
        "Ceasefire\n\nIt holds, for now.",
        "Ceasefire",
        None,
    )
    assert french.locator == "record 5" and french.html is not None
    assert "Genève, à la frontière" in french.html
    assert stats.files == 1
    assert stats.skipped == 2  # the image and the 404 page
    assert stats.skipped_paths == [f"{path} record 2", f"{path} record 3"]


def test_truncated_warc_gz_keeps_the_first_record_and_reading_goes_on(tmp_path: Path) -> None:
    whole = tmp_path / "whole.warc.gz"
    ends = two_pages(whole)
    data = whole.read_bytes()
    assert ends[-1] == len(data)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(data[: (ends[0] + ends[1]) // 2])  # half of the second record is missing
    good = tmp_path / "next.txt"
    good.write_text("Ceasefire\n\nIt holds.", encoding="utf-8")

    first, broken, after = list(read_paths([str(cut), str(good)]))
    assert isinstance(first, Article) and first.locator == "record 1"
    assert isinstance(broken, Rejection)
    assert (broken.source, broken.locator, broken.reason) == (
        str(cut),
        "record 2",
        "truncated_warc",
    )
    assert isinstance(after, Article) and after.source == str(good)


@pytest.mark.parametrize("gz", [True, False])
def test_every_cut_is_reported_never_raised(tmp_path: Path, gz: bool) -> None:
    """Wherever the file is cut, the complete record is kept and the cut one reported.

    warcio alone would end quietly at a cut inside a record's headers or a gzip member.
    """
    whole = tmp_path / "whole.warc"
    ends = two_pages(whole, gz=gz)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc"
    # Past the first record, up to the second one's tail: its closing blank lines when
    # uncompressed, those compressed and the gzip trailer otherwise (see the next test).
    for size in range(ends[0] + 1, ends[1] - (16 if gz else 4), 3):
        cut.write_bytes(data[:size])
        first, broken = list(read_paths([str(cut)]))
        assert isinstance(first, Article), size
        assert isinstance(broken, Rejection), size
        assert (broken.locator, broken.reason) == ("record 2", "truncated_warc"), size


def test_cut_in_the_gzip_trailer_keeps_both_records_and_reports_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "trailer.warc.gz"
    ends = two_pages(path)
    path.write_bytes(path.read_bytes()[: ends[1] - 3])
    first, second, broken = list(read_paths([str(path)]))
    assert isinstance(first, Article) and isinstance(second, Article)
    assert isinstance(broken, Rejection) and broken.reason == "truncated_warc"


def test_corrupt_record_ends_the_file(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.warc"
    ends = two_pages(path, gz=False)
    data = bytearray(path.read_bytes())
    data[ends[0] : ends[0] + 8] = b"GARBAGE!"  # the second record's "WARC/1.0" line
    path.write_bytes(bytes(data))
    first, broken = list(read_paths([str(path)]))
    assert isinstance(first, Article)
    assert isinstance(broken, Rejection)
    assert (broken.locator, broken.reason) == ("record 2", "corrupt_warc")


def test_not_a_warc_at_all(tmp_path: Path) -> None:
    path = tmp_path / "image.warc"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    [bad] = list(read_paths([str(path)]))
    assert isinstance(bad, Rejection)
    assert (bad.source, bad.locator, bad.reason) == (str(path), "record 1", "corrupt_warc")


def test_record_over_the_limit_is_rejected_and_the_next_one_read(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    write_warc(
        path,
        [
            Rec("response", "https://a.example/big", b"<p>" + b"x" * 5000 + b"</p>", "text/html"),
            Rec("response", "https://a.example/small", b"<p>small</p>", "text/html"),
        ],
    )
    big, small = list(read_paths([str(path)], max_bytes=1000))
    assert isinstance(big, Rejection)
    assert (big.locator, big.reason) == ("record 1", "too_large")
    assert big.detail.endswith("bytes; the limit is 1,000 (--max-bytes)")
    assert isinstance(small, Article) and small.locator == "record 2"


def test_undecodable_record_is_rejected_and_the_next_one_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    write_warc(
        path,
        [
            Rec("response", "https://a.example/bin", b"\x00\x01\x02binary", "text/html"),
            Rec("response", "https://a.example/ok", b"<p>ok</p>", "text/html"),
        ],
    )
    bad, good = list(read_paths([str(path)]))
    assert isinstance(bad, Rejection) and (bad.locator, bad.reason) == ("record 1", "binary")
    assert isinstance(good, Article) and good.input_id == "https://a.example/ok"


def test_unknown_content_type_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "untyped.warc"
    write_warc(
        path,
        [
            Rec("response", "https://a.example/p", b"  <html><p>page</p></html>", None),
            Rec("response", "https://a.example/t", b"Plain words.", "application/octet-stream"),
        ],
    )
    page, text = list(read_paths([str(path)]))
    assert isinstance(page, Article) and page.html is not None
    assert isinstance(text, Article) and text.text == "Plain words."


def test_warc_gz_from_stdin_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    two_pages(path)
    got = list(read_paths(["-"], stdin=io.BytesIO(path.read_bytes())))
    assert all(isinstance(a, Article) for a in got)
    assert [(a.source, a.locator, a.input_id) for a in got if isinstance(a, Article)] == [
        ("-", "record 1", "https://a.example/1"),
        ("-", "record 2", "https://a.example/2"),
    ]


def test_empty_warc(tmp_path: Path) -> None:
    path = tmp_path / "empty.warc.gz"
    path.write_bytes(b"")
    [bad] = list(read_paths([str(path)]))
    assert bad == Rejection(str(path), "", "empty", "the file is empty")


def outcome(items: list[Article | Rejection]) -> list[tuple[str, str, str]]:
    """What a read gave, without the source (a path, or "-") and the wording of details."""
    return [
        ("article", a.locator, a.input_id)
        if isinstance(a, Article)
        else ("rejection", a.locator, a.reason)
        for a in items
    ]


@pytest.mark.parametrize("pages", [2, 40], ids=["within-sniffing-window", "past-it"])
def test_truncated_warc_gz_on_stdin_reads_like_the_file(tmp_path: Path, pages: int) -> None:
    """Cut anywhere in the last record (headers, payload, gzip trailer): stdin keeps the
    complete records and reports the cut one, as the same file read by path does."""
    whole = tmp_path / "whole.warc.gz"
    records = [
        Rec("response", f"https://a.example/{n}", article_html(n), "text/html; charset=utf-8")
        for n in range(1, pages + 1)
    ]
    ends = write_warc(whole, records)
    data = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    for size in [*range(ends[-2] + 1, ends[-1], 97), ends[-1] - 3]:
        cut.write_bytes(data[:size])
        by_path = outcome(list(read_paths([str(cut)])))
        from_stdin = outcome(list(read_paths(["-"], stdin=io.BytesIO(data[:size]))))
        assert from_stdin == by_path, size
        assert by_path[: pages - 1] == [
            ("article", f"record {n}", f"https://a.example/{n}") for n in range(1, pages)
        ], size
        assert by_path[-1] == ("rejection", f"record {len(by_path)}", "truncated_warc"), size
