"""WARC and WARC.gz (web crawls): each HTML or plain-text response is one article.

Crawls are mostly not articles (images, scripts, redirects, error pages): those records are
skipped and counted, not rejected. A damaged record ends the file, because after it the record
boundaries cannot be trusted; what was read before it is kept.

The crawl date (WARC-Date) is not the publication date, so `published` is left to the page.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from email.message import Message
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from sitrep.errors import InputError
from sitrep.model import Article, Rejection
from sitrep.read.decode import decode_bytes, too_large
from sitrep.read.text import text_article

log = logging.getLogger(__name__)

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
# No usable type: look at the payload itself.
UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "unk/unknown"})

# What warcio raises on damaged input. AttributeError and TypeError included: warcio 1.7/1.8
# trips over a header block cut short (e.g. `None.startswith` on a missing WARC-Target-URI).
_WARC_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    OSError,
    EOFError,
    zlib.error,
    ValueError,
    AttributeError,
    TypeError,
)
_DRAIN_CHUNK = 1 << 16


class _CutShort(Exception):
    """The file ends inside a record (its headers, or its gzip member)."""


class _CheckedArchiveIterator(ArchiveIterator):
    """warcio's iterator, made to report a file cut short instead of ending quietly.

    warcio treats an EOFError anywhere in a record's headers as the normal end of the file,
    and never checks that a gzip member was complete; both would drop the last record
    silently. (A cut inside a payload is caught in `_article` by the record's length.)
    """

    cut_short = False

    def _next_record(self, next_line: bytes | None) -> Any:
        if next_line is None:  # a record's first line: none at all is the normal end
            next_line = self.reader.readline()
            if not next_line:
                raise EOFError
        if not next_line.endswith(b"\n"):
            raise _CutShort("the file ends inside a record's first line")
        try:
            return super()._next_record(next_line)
        except EOFError as exc:
            raise _CutShort("the file ends inside a record's headers") from exc

    def close(self) -> None:
        decompressor = self.reader.decompressor if self.reader else None
        if decompressor is not None and not getattr(decompressor, "eof", True):
            self.cut_short = True  # the last gzip member has no end
        super().close()


def read_warc(
    stream: Any,
    source: str,
    max_bytes: int,
    on_skip: Callable[[str], None] | None = None,
) -> Iterator[Article | Rejection]:
    """Yield an Article or Rejection per HTML/text response or resource record of `stream`.

    Records are numbered (`record N`) among response and resource records only. `on_skip` is
    told about each such record that is not an article (not text, or not a 2xx response).
    """
    peek = getattr(stream, "peek", None)  # files and stdin have it
    if peek is not None and not peek(1):
        yield Rejection(source, "", "empty", "the file is empty")
        return
    archive = _CheckedArchiveIterator(stream)
    records = iter(archive)
    number = 0
    while True:
        try:
            record = next(records, None)
        except (_CutShort, *_WARC_ERRORS) as exc:
            yield _broken(source, number + 1, exc)
            return
        if record is None:
            if archive.cut_short:
                yield _broken(source, number + 1, _CutShort("the compressed file ends early"))
            return
        declared = (record.rec_headers.get_header("Content-Length") or "").strip()
        if record.rec_type is None or not declared.isdigit():
            yield _incomplete(record, source, number + 1)
            return
        if record.rec_type not in ("response", "resource"):
            continue
        number += 1
        locator = f"record {number}"
        try:
            item = _article(record, source, number, max_bytes)
        except InputError as exc:
            yield Rejection(source, locator, exc.reason, str(exc))
            if exc.reason == "truncated_warc":
                return
            continue
        except _WARC_ERRORS as exc:  # a payload whose transfer or content encoding is broken
            yield _broken(source, number, exc)
            return
        if item is None:
            if on_skip:
                on_skip(f"{source} {locator}")
            continue
        yield item


def _article(record: Any, source: str, number: int, max_bytes: int) -> Article | None:
    """The article in one record, None when the record is not one, or InputError."""
    http = record.http_headers
    if record.rec_type == "response":
        ok = http is not None and (http.get_statuscode() or "").startswith("2")
        content_type = http.get_header("Content-Type") if ok else None
    else:
        ok, content_type = True, record.rec_headers.get_header("Content-Type")
    mime, charset = _parse_content_type(content_type)
    wanted = ok and mime in HTML_TYPES | TEXT_TYPES | UNKNOWN_TYPES

    payload = record.content_stream().read(max_bytes + 1) if wanted else b""
    if len(payload) > max_bytes:
        raise too_large(record.length, max_bytes)
    while record.raw_stream.read(_DRAIN_CHUNK):  # to the record's end, to see that it has one
        pass
    missing = getattr(record.raw_stream, "limit", 0)  # a LimitReader when Content-Length is set
    if missing > 0:
        raise InputError(
            "truncated_warc",
            f"the file is cut short: {missing:,} of the record's {record.length:,} bytes "
            "are missing",
        )
    if not wanted:
        return None
    text = decode_bytes(payload, charset=charset)

    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip("<> ") or None
    input_id = uri or f"{source}#{number}"
    locator = f"record {number}"
    is_html = mime in HTML_TYPES or (mime in UNKNOWN_TYPES and text.lstrip().startswith("<"))
    if is_html:
        return Article(input_id=input_id, source=source, locator=locator, html=text, url=uri)
    return replace(text_article(text, input_id=input_id, source=source, locator=locator), url=uri)


def _incomplete(record: Any, source: str, number: int) -> Rejection:
    """A record without WARC-Type or a valid Content-Length: cut short, or bad headers.

    (warcio reads a record whose Content-Length is missing or invalid as an empty one.)
    """
    at_end = not record.raw_stream.read(1)
    reason = "truncated_warc" if at_end else "corrupt_warc"
    what = "the file ends inside a record's headers" if at_end else "a record's headers"
    return Rejection(
        source, f"record {number}", reason, f"{what} lack WARC-Type or a valid Content-Length"
    )


def _parse_content_type(value: str | None) -> tuple[str, str | None]:
    """(media type in lower case, charset or None) of a Content-Type header value."""
    if not value or not value.strip():
        return "", None
    msg = Message()
    msg["Content-Type"] = value
    return msg.get_content_type(), msg.get_content_charset()


def _broken(source: str, number: int, exc: Exception) -> Rejection:
    """The rejection that ends a WARC file at a record warcio could not read."""
    if isinstance(exc, _CutShort | EOFError | AttributeError):
        return Rejection(
            source, f"record {number}", "truncated_warc", f"the file is cut short: {exc}"
        )
    return Rejection(
        source, f"record {number}", "corrupt_warc", f"the record cannot be read: {exc}"
    )
