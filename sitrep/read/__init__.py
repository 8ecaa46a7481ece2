"""Readers: files, directories and stdin in; Articles, and Rejections for bad inputs, out.

One module per format (text, html, jsonl, warc); this module picks the format (by extension,
else by sniffing the first bytes) and makes sure a bad input costs only itself: every failure
becomes a `Rejection` with a reason code and reading goes on with the next input.
HTML is only decoded here; its text is extracted by the `extract` stage, in the workers.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import sys
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Literal, Protocol

from sitrep.errors import InputError
from sitrep.model import Article, Rejection
from sitrep.read.decode import decode_bytes, too_large
from sitrep.read.jsonl import read_jsonl
from sitrep.read.text import text_article
from sitrep.read.warc import read_warc

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ReadStats",
    "kind_of",
    "list_inputs",
    "read_file",
    "read_file_span",
    "read_paths",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # per article: a file, a JSONL line, a WARC record

Kind = Literal["text", "html", "jsonl", "jsonl.gz", "warc"]
Sniffed = Literal["text", "html", "jsonl", "warc"]

EXTENSIONS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl.gz",
    ".ndjson.gz": "jsonl.gz",
    ".warc": "warc",
    ".warc.gz": "warc",
}

_SNIFF_BYTES = 1 << 16
_READ_CHUNK = 1 << 16
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"

# What reading a damaged or failing stream raises (a gzip cut short or corrupt, an I/O error).
_READ_ERRORS = (OSError, EOFError, zlib.error)
#: Formats that hold many articles per file: a finished file is marked, and skipped whole.
SHARD_KINDS = frozenset({"jsonl", "jsonl.gz", "warc"})
#: Reasons that end a file's reading early: such a file is read again next time.
UNFINISHED = frozenset(
    {"corrupt_gzip", "unreadable", "truncated_warc", "corrupt_warc", "changed_while_read"}
)

# Anything a reader may raise on a bad input that it did not already turn into a Rejection.
_INPUT_ERRORS = (OSError, EOFError, zlib.error, UnicodeError, ValueError, RecursionError)


@dataclass
class ReadStats:
    """What a read saw besides articles: files read, and files of a walk that were skipped."""

    files: int = 0
    skipped: int = 0  # directory-walk files with an extension we don't read; non-text WARC records
    skipped_paths: list[str] = field(default_factory=list)
    #: A multi-record file (JSONL, WARC) an earlier run finished: not even opened when it says so.
    done_shard: Callable[[str], bool] | None = None
    #: multi-record files read to their end, with their size and mtime when opened
    shards_read: list[tuple[str, int, float]] = field(default_factory=list)
    shards_skipped: list[str] = field(default_factory=list)

    def skip(self, path: str) -> None:
        self.skipped += 1
        self.skipped_paths.append(path)


def read_paths(
    paths: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    stats: ReadStats | None = None,
) -> Iterator[Article | Rejection]:
    """Read files, directories (recursively, in sorted order) and `-` (stdin), in order.

    Never raises for a bad input: it is yielded as a Rejection and the next input is read.
    """
    stats = stats if stats is not None else ReadStats()
    for path in paths:
        if path == "-":
            stats.files += 1
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _guarded("-", "", _read_stream(stream, "-", max_bytes, stats))
        elif os.path.isdir(path):
            yield from _read_dir(path, max_bytes, stats)
        else:
            yield from _read_file(path, kind_of(path), max_bytes, stats)


def kind_of(path: str) -> Kind | None:
    """The format a file's extension names (case-insensitive), or None (sniff or skip it)."""
    name = os.path.basename(path).lower()
    return next((kind for ext, kind in EXTENSIONS.items() if name.endswith(ext)), None)


def list_inputs(
    paths: Sequence[str], stats: ReadStats | None = None
) -> Iterator[tuple[str, Kind | None] | Rejection]:
    """The files `read_paths` would read, in its order, without opening them: a file given by
    name (kind None: sniffed when read), or each file of a directory walk that has a format.
    Walk errors come out as Rejections. `-` is not a file: the caller reads stdin itself."""
    stats = stats if stats is not None else ReadStats()
    for path in paths:
        if path == "-":
            raise ValueError("stdin is not a file that can be listed")
        if os.path.isdir(path):
            for found in _walk(path):
                if isinstance(found, Rejection) or found[1] is not None:
                    yield found
                else:
                    stats.skip(found[0])
        else:
            yield path, kind_of(path)


def read_file(
    path: str, max_bytes: int = DEFAULT_MAX_BYTES, stats: ReadStats | None = None
) -> Iterator[Article | Rejection]:
    """One file named by `list_inputs`, read as `read_paths` would read it."""
    stats = stats if stats is not None else ReadStats()
    return _read_file(path, kind_of(path), max_bytes, stats)


def read_file_span(
    path: str,
    start: int,
    end: int,
    first_line: int,
    max_bytes: int = DEFAULT_MAX_BYTES,
    expect: tuple[int, float] | None = None,
) -> Iterator[Article | Rejection]:
    """The lines of a JSONL file between two offsets that `line_spans` chose, when the file
    still has the size and modification time (`expect`) it had then."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except OSError as exc:
        reason = "not_found" if isinstance(exc, FileNotFoundError) else "unreadable"
        yield Rejection(path, "", reason, _os_detail(exc))
        return
    with fh:
        st = os.fstat(fh.fileno())
        if start > 0:
            fh.seek(start - 1)
        if (expect is not None and (st.st_size, st.st_mtime) != expect) or (
            start > 0 and fh.read(1) != b"\n"
        ):
            detail = "the file changed after this run cut it into parts; the next run reads it"
            yield Rejection(path, f"bytes {start}-{end}", "changed_while_read", detail)
            return
        yield from _guarded(path, "", read_jsonl(_Span(fh, end - start), path, max_bytes,
                                                 first_line))  # fmt: skip


class _Span:
    """A binary file read line by line up to a byte limit."""

    def __init__(self, fh: BinaryIO, length: int) -> None:
        self.fh, self.left = fh, length

    def readline(self, size: int = -1, /) -> bytes:
        size = self.left if size < 0 else min(size, self.left)
        line = self.fh.readline(size) if size > 0 else b""
        self.left -= len(line)
        return line


def _read_dir(root: str, max_bytes: int, stats: ReadStats) -> Iterator[Article | Rejection]:
    """Every readable file under `root`, sorted by path; hidden files and folders are left out."""
    for found in _walk(root):
        if isinstance(found, Rejection):
            yield found
        elif found[1] is None:
            stats.skip(found[0])
        else:
            yield from _read_file(found[0], found[1], max_bytes, stats)


def _walk(root: str) -> Iterator[tuple[str, Kind | None] | Rejection]:
    """Files under `root` sorted by path, hidden ones left out, with the kind their extension
    names; walk errors first, as Rejections."""
    errors: list[OSError] = []
    found: list[tuple[tuple[str, ...], str]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if not name.startswith("."):
                full = os.path.join(dirpath, name)
                found.append((Path(os.path.relpath(full, root)).parts, full))
    for err in errors:
        yield Rejection(str(err.filename or root), "", "unreadable", _os_detail(err))
    for _, full in sorted(found):
        yield full, kind_of(full)


def _read_file(
    path: str, kind: Kind | None, max_bytes: int, stats: ReadStats
) -> Iterator[Article | Rejection]:
    """One file, by its kind, or sniffed when its extension says nothing."""
    if kind in SHARD_KINDS and stats.done_shard is not None and stats.done_shard(path):
        stats.shards_skipped.append(path)
        return
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is drained
    except FileNotFoundError:
        yield Rejection(path, "", "not_found", "no such file or directory")
        return
    except OSError as exc:
        yield Rejection(path, "", "unreadable", _os_detail(exc))
        return
    stats.files += 1
    opened = os.fstat(fh.fileno())
    stopped = False
    with fh:
        if kind is None:
            items = _read_stream(fh, path, max_bytes, stats)
        elif kind == "jsonl.gz":
            items = read_jsonl(gzip.GzipFile(fileobj=fh), path, max_bytes)
        elif kind == "jsonl":
            items = read_jsonl(fh, path, max_bytes)
        elif kind == "warc":
            items = read_warc(fh, path, max_bytes, on_skip=stats.skip)
        else:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                err = too_large(size, max_bytes)
                yield Rejection(path, "", err.reason, str(err))
                return
            items = _whole(fh, kind, path, max_bytes)
        for item in _guarded(path, "", items):
            stopped = stopped or (isinstance(item, Rejection) and item.reason in UNFINISHED)
            yield item
        now = os.fstat(fh.fileno())
    # finished: read to its end, not cut short, and unchanged while it was read (a crawler may
    # still be appending to it)
    if (
        kind in SHARD_KINDS
        and not stopped
        and (now.st_size, now.st_mtime)
        == (
            opened.st_size,
            opened.st_mtime,
        )
    ):
        stats.shards_read.append((path, opened.st_size, opened.st_mtime))


def _read_stream(
    stream: BinaryIO, source: str, max_bytes: int, stats: ReadStats
) -> Iterator[Article | Rejection]:
    """A stream of unknown format (stdin, a file without a known extension): sniff it."""
    kind, replay = _sniff(stream, max_bytes)
    log.debug("%s sniffed as %s", source, kind)
    if kind == "jsonl":
        yield from read_jsonl(replay, source, max_bytes)
    elif kind == "warc":
        yield from read_warc(replay, source, max_bytes, on_skip=stats.skip)
    else:
        yield from _whole(replay, kind, source, max_bytes)


def _whole(
    stream: BinaryIO | _Replay, kind: Literal["text", "html"], source: str, max_bytes: int
) -> Iterator[Article | Rejection]:
    """A whole input as one article: plain text (title guessed) or an HTML page to extract."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        err = too_large(max_bytes, max_bytes, at_least=True)
        yield Rejection(source, "", err.reason, str(err))
        return
    try:
        text = decode_bytes(data)
    except InputError as exc:
        yield Rejection(source, "", exc.reason, str(exc))
        return
    if kind == "html":
        yield Article(input_id=source, source=source, html=text)
    else:
        yield text_article(text, input_id=source, source=source)


def _sniff(stream: BinaryIO | _Replay, max_bytes: int) -> tuple[Sniffed, _Replay]:
    """Guess the format from the first bytes; return it with a stream that still has them.

    gzip is opened and its content sniffed. JSONL when the first non-blank line is a JSON
    object, WARC when the stream starts with a WARC version line, HTML when it starts with `<`.
    A stream damaged early on (a gzip cut short) is sniffed from what can be read of it; the
    damage is left for the format reader to meet, at the record or line where the data ends.
    """
    replay = stream if isinstance(stream, _Replay) else _Replay(stream)
    head = replay.read(_SNIFF_BYTES)
    if head.startswith(_GZIP_MAGIC):
        replay.unread(head)
        return _sniff(_Replay(_Gunzip(replay)), max_bytes)
    body = head.removeprefix(_BOM).lstrip()
    kind: Sniffed = "text"
    if body.startswith(b"WARC/"):
        kind = "warc"
    elif body.startswith(b"<"):
        kind = "html"
    elif body.startswith(b"{"):
        # The whole first line is needed to tell a JSON object (it may hold a long page).
        chunks, size, more = [head], len(head), body
        while b"\n" not in more and size <= max_bytes:
            try:
                more = replay.read(_SNIFF_BYTES)
            except _READ_ERRORS:
                break  # damaged: the reader of the format guessed reports it
            if not more:
                break
            chunks.append(more)
            size += len(more)
        head = b"".join(chunks)
        first_line = head.removeprefix(_BOM).lstrip().split(b"\n", 1)[0]
        if _is_json_object(first_line):
            kind = "jsonl"
    replay.unread(head)
    return kind, replay


def _is_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


class _Source(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class _Gunzip:
    """gzip data, decompressed a chunk at a time, member after member (zero padding allowed).

    Data that ends inside a member, even inside its header, raises EOFError (cut short);
    data that is not gzip raises zlib.error (corrupt). (gzip.GzipFile reports a member
    header cut after one byte as "not a gzipped file".)
    """

    def __init__(self, source: _Replay) -> None:
        self._source = source
        self._input = b""  # compressed bytes not yet decompressed
        self._member: Any = None  # the decompressor of the member being read

    def read1(self, size: int = -1, /) -> bytes:
        size = size if size > 0 else _READ_CHUNK
        while True:
            if not self._input:
                self._input = self._source.read1(_READ_CHUNK)
                if not self._input:
                    if self._member is not None:
                        raise EOFError("the compressed data ends inside a gzip member")
                    return b""
            if self._member is None:
                self._input = self._input.lstrip(b"\x00")  # padding between members
                if not self._input:
                    continue
                self._member = zlib.decompressobj(zlib.MAX_WBITS | 16)
            data = self._member.decompress(self._input, size)
            if self._member.eof:
                self._input, self._member = self._member.unused_data, None
            else:
                self._input = self._member.unconsumed_tail
            if data:
                return data

    read = read1


class _Replay(io.BufferedIOBase):
    """A stream that can be read ahead (to sniff it) and rewound, and that loses nothing to
    damage further on: `read` returns the bytes before a failing read (a gzip cut short) and
    the error is raised by the next read, and by every one after it.

    So a format reader gets every record or line that can be decoded and meets the damage
    where the data really ends. (io.BufferedReader drops what it gathered in a call that
    fails, and reads ahead: one error there can cost the records before it.)
    """

    def __init__(self, stream: _Source) -> None:
        self._stream = stream
        self._buffer = b""
        self._pos = 0
        self._error: BaseException | None = None

    def readable(self) -> bool:
        return True

    def unread(self, data: bytes) -> None:
        """Put `data` back in front of what is left to read."""
        self._buffer, self._pos = data + self._buffer[self._pos :], 0

    def _fill(self, size: int) -> bool:
        """Buffer more of the stream (the buffer is used up); False at its end.

        Raises at damage, and again at each call after it.
        """
        if self._error is not None:
            raise self._error
        size = min(size, _READ_CHUNK) if size > 0 else _READ_CHUNK
        read = getattr(self._stream, "read1", self._stream.read)  # read1: one read, no loss
        try:
            data = read(size)
        except _READ_ERRORS as exc:
            self._error = exc
            raise
        self._buffer, self._pos = data, 0
        return bool(data)

    def _take(self, size: int) -> bytes:
        end = len(self._buffer) if size < 0 else min(len(self._buffer), self._pos + size)
        data = self._buffer[self._pos : end]
        self._pos = end
        return data

    def read(self, size: int | None = -1, /) -> bytes:
        size = -1 if size is None else size
        parts = [self._take(size)]
        got = len(parts[0])
        while size < 0 or got < size:
            try:
                if not self._fill(size - got):
                    break
            except _READ_ERRORS:
                if got:
                    break  # the bytes before the damage now, the error at the next read
                raise
            part = self._take(size - got)
            parts.append(part)
            got += len(part)
        return b"".join(parts)

    def read1(self, size: int = -1, /) -> bytes:
        if self._pos >= len(self._buffer) and not self._fill(size):
            return b""
        return self._take(size)

    def peek(self, size: int = 0, /) -> bytes:
        if self._pos >= len(self._buffer):
            self._fill(_READ_CHUNK)
        return self._buffer[self._pos :]

    def readline(self, size: int | None = -1, /) -> bytes:
        """One line; a line cut short by damage is lost with the error, as from a file."""
        size = -1 if size is None else size
        parts: list[bytes] = []
        got = 0
        while size < 0 or got < size:
            if self._pos >= len(self._buffer) and not self._fill(_READ_CHUNK):
                break
            newline = self._buffer.find(b"\n", self._pos)
            want = -1 if newline < 0 else newline + 1 - self._pos
            if size >= 0 and (want < 0 or want > size - got):
                want = size - got
            part = self._take(want)
            parts.append(part)
            got += len(part)
            if part.endswith(b"\n"):
                break
        return b"".join(parts)


def _guarded(
    source: str, locator: str, items: Iterator[Article | Rejection]
) -> Iterator[Article | Rejection]:
    """Turn an error escaping a reader into a Rejection of that input (last line of defence)."""
    try:
        yield from items
    except InputError as exc:
        yield Rejection(source, locator, exc.reason, str(exc))
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        detail = f"the compressed data is damaged or cut short ({exc})"
        yield Rejection(source, locator, "corrupt_gzip", detail)
    except _INPUT_ERRORS as exc:
        log.warning("unexpected error reading %s: %r", source, exc)
        yield Rejection(source, locator, "unreadable", f"{type(exc).__name__}: {exc}")


def _os_detail(exc: OSError) -> str:
    return exc.strerror or str(exc)
