"""JSON Lines: one article per line (`id`, `text` or `html`, `url`, `title`, `published`,
`language`); other fields (gold annotations, crawler metadata) are ignored.

A bad line is rejected with its line number and the next line is read: one broken record must
not cost the rest of a file. Lines are read with a length cap so that a file with no newlines
cannot exhaust memory.
"""

from __future__ import annotations

import json
import logging
import os
import zlib
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Protocol

from sitrep.errors import InputError
from sitrep.model import Article, Rejection
from sitrep.read.decode import binary_kind, too_large

log = logging.getLogger(__name__)

_SKIP_CHUNK = 1 << 20


class LineReader(Protocol):
    """A binary stream read line by line (a file, a gzip file, stdin)."""

    def readline(self, size: int = ..., /) -> bytes: ...


def read_jsonl(
    stream: LineReader, source: str, max_bytes: int, first_line: int = 1
) -> Iterator[Article | Rejection]:
    """Yield one Article or Rejection per non-blank line of `stream`.

    A damaged gzip stream ends the file with a `corrupt_gzip` rejection at the line it broke.
    `first_line` > 1: the stream is a later part of a file (`line_spans`), so it is neither
    checked for being binary nor reported empty; that is the first part's job.
    """
    lineno = first_line - 1
    seen_content = first_line > 1
    while True:
        lineno += 1
        try:
            line = stream.readline(max_bytes + 1)
            too_long = len(line) > max_bytes and not line.endswith(b"\n")
            size = len(line) + _skip_line(stream) if too_long else len(line)
        except (OSError, EOFError, zlib.error) as exc:
            detail = f"the compressed file is damaged or cut short ({exc})"
            yield Rejection(source, f"line {lineno}", "corrupt_gzip", detail)
            return
        if too_long:
            seen_content = True
            err = too_large(size, max_bytes)
            yield Rejection(source, f"line {lineno}", err.reason, str(err))
            continue
        if not line:
            if not seen_content:
                yield Rejection(source, "", "empty", "the file has no lines with content")
            return
        if lineno == 1:
            line = line.removeprefix(b"\xef\xbb\xbf")
            kind = binary_kind(line)
            if kind:
                yield Rejection(source, "", "binary", f"the input is {kind}, not JSON Lines")
                return
        if not line.strip():
            continue
        seen_content = True
        try:
            yield parse_line(line, source, lineno)
        except InputError as exc:
            yield Rejection(source, f"line {lineno}", exc.reason, str(exc))


def parse_line(line: bytes, source: str, lineno: int) -> Article:
    """One JSON object -> Article, or InputError (`undecodable`, `malformed_jsonl`, `no_text`)."""
    try:
        obj: Any = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError("undecodable", f"line {lineno} is not UTF-8 ({exc.reason})") from exc
    except (ValueError, RecursionError) as exc:
        raise InputError("malformed_jsonl", f"line {lineno} is not valid JSON ({exc})") from exc
    if not isinstance(obj, dict):
        raise InputError(
            "malformed_jsonl", f"line {lineno} is a JSON {type(obj).__name__}, not an object"
        )
    text, html = _string(obj.get("text")), _string(obj.get("html"))
    if not (text and text.strip()) and not (html and html.strip()):
        raise InputError("no_text", f'line {lineno} has neither a non-empty "text" nor "html"')
    ident = obj.get("id")
    has_id = isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip()
    return Article(
        input_id=str(ident).strip() if has_id else f"{source}:{lineno}",
        source=source,
        locator=f"line {lineno}",
        text=text if text and text.strip() else None,
        html=html if html and html.strip() else None,
        url=_clean(obj.get("url")),
        title=_clean(obj.get("title")),
        published=parse_date(obj.get("published")),
        language=_clean(obj.get("language")),
    )


def parse_date(value: object) -> date | None:
    """A date from `YYYY-MM-DD` or an ISO datetime (`Z` allowed); None if it is neither."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        log.debug("unreadable published date %r: left empty", value)
        return None


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _clean(value: object) -> str | None:
    """A metadata string stripped, or None when missing, blank or not a string."""
    return (value.strip() or None) if isinstance(value, str) else None


def _skip_line(stream: LineReader) -> int:
    """Read past the rest of an over-long line; return how many bytes were skipped."""
    skipped = 0
    while chunk := stream.readline(_SKIP_CHUNK):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def line_spans(path: str, parts: int, chunk: int = 1 << 20) -> list[tuple[int, int, int]]:
    """Cut an uncompressed JSONL file into about `parts` byte ranges that start at a line,
    each as (start, end, number of its first line), so that several workers can read one big
    file. One pass counting newlines, a chunk at a time: no line is parsed or held."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        targets = [size * k // parts for k in range(1, parts)]
        cuts = [(0, 1)]
        offset = lines = 0
        while targets and (data := f.read(chunk)):
            while targets:
                newline = data.find(b"\n", max(targets[0] - offset, 0))
                if newline < 0:
                    break  # the line goes on into the next chunk
                cut = offset + newline + 1
                if cut < size:
                    cuts.append((cut, lines + data.count(b"\n", 0, newline + 1) + 1))
                targets = [t for t in targets if t >= cut]
            lines += data.count(b"\n")
            offset += len(data)
    ends = [start for start, _ in cuts[1:]] + [size]
    return [(start, end, first) for (start, first), end in zip(cuts, ends, strict=True)]
