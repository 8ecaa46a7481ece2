"""Bytes to text, for every reader: one place decides what is empty, binary or undecodable.

UTF-8 is tried first because almost everything is UTF-8 and a strict UTF-8 decode never
succeeds by accident; a byte-order mark settles UTF-16/32; then a declared charset; then a guess
(charset-normalizer, leaning to Windows-1252). A result that is mostly control characters is
refused.
"""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

from sitrep.errors import InputError

log = logging.getLogger(__name__)

#: Signatures of files that are certainly not articles (gzip only reaches here when the reader
#: did not expect it: `.jsonl.gz` and `.warc.gz` are opened as gzip before decoding).
BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Characters no article contains: C0 controls other than tab/newlines/form feed, DEL, C1
# controls, surrogates, private use, and the replacement character a bad guess leaves behind.
_JUNK = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\uf8ff\ufffd]")
_JUNK_SAMPLE = 65_536
_JUNK_SHARE = 0.05
_WESTERN_SLACK = 0.01  # how much more "chaos" (charset-normalizer's mess ratio) cp1252 may show


def binary_kind(data: bytes) -> str | None:
    """What binary thing `data` is (by its first bytes, or NUL bytes anywhere), or None.

    NUL bytes are allowed after a UTF-16/32 byte-order mark, where they are ordinary.
    """
    for magic, kind in BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        return "data with NUL bytes"
    return None


def too_large(size: int, limit: int, *, at_least: bool = False) -> InputError:
    """The error for an input over `--max-bytes` (`at_least`: reading stopped at the limit)."""
    more = "more than " if at_least else ""
    return InputError("too_large", f"{more}{size:,} bytes; the limit is {limit:,} (--max-bytes)")


def decode_bytes(data: bytes, *, charset: str | None = None) -> str:
    """Decode one input's bytes to text, or raise InputError (`empty`, `binary`, `undecodable`).

    `charset` is a declared encoding (an HTTP header's); it is tried after UTF-8 and ignored
    when it is unknown or does not fit the bytes.
    """
    if not data.strip():
        raise InputError("empty", "the input has no text (no bytes, or only whitespace)")
    kind = binary_kind(data)
    if kind:
        raise InputError("binary", f"the input is {kind}, not text")
    text = _decode(data, charset)
    if text is None:
        raise InputError(
            "undecodable", "the bytes are not UTF-8 and no other text encoding fits them"
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        raise InputError("empty", "the input has no text (only whitespace)")
    sample = text[:_JUNK_SAMPLE]
    if len(_JUNK.findall(sample)) > _JUNK_SHARE * len(sample):
        raise InputError("binary", "the input is mostly control characters, not text")
    return text


def _decode(data: bytes, charset: str | None) -> str | None:
    """The text of `data` in the first encoding that fits, or None."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if charset:
        try:
            name = codecs.lookup(charset).name
            # Pages labelled Latin-1 or ASCII are read as Windows-1252, as browsers do (WHATWG).
            return data.decode("cp1252" if name in ("iso8859-1", "ascii") else name)
        except (LookupError, UnicodeDecodeError):
            log.debug("declared charset %r does not fit; guessing", charset)
    best = from_bytes(data).best()
    if best is None:
        return None
    # Prefer Windows-1252 when it reads about as cleanly as the best guess: it is the usual
    # legacy encoding of Western European news, and on short texts charset-normalizer often
    # picks a look-alike (cp1250, cp1257, iso8859-14) that turns "à" into "ŕ".
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and western.chaos <= best.chaos + _WESTERN_SLACK:
        return str(western)
    log.debug("decoded as %s (guessed)", best.encoding)
    return str(best)
