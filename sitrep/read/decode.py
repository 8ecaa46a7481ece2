"""Bytes to text, for every reader: one place decides what is empty, binary or undecodable.

UTF-8 is tried first because almost everything is UTF-8 and a strict UTF-8 decode never
succeeds by accident; a byte-order mark settles UTF-16/32; then a declared charset; then a guess
(charset-normalizer, leaning to Windows-1252 unless another reading spells its words in one
alphabet clearly better). A result that is mostly control characters is refused.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections import Counter

from charset_normalizer import CharsetMatch, from_bytes

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

#: The letters beyond ASCII of languages written in the Latin script (lower case). A text in
#: the right encoding has its letters in one of these alphabets; a look-alike code page mixes
#: alphabets ("niedzielê": ê is French, not Polish) or puts symbols inside words ("po¿ar").
ALPHABETS: dict[str, str] = {
    "Albanian": "çë",
    "Catalan": "àçèéíïòóúü·ªº",
    "Croatian, Bosnian, Serbian": "čćđšž",
    "Czech": "áčďéěíňóřšťúůýž",
    "Danish, Norwegian": "æøåéóô",
    "Dutch, Afrikaans": "áàâéèêëíîïóôöúûü",
    "Esperanto": "ĉĝĥĵŝŭ",
    "Estonian": "äõöüšž",
    "Faroese, Icelandic": "áðéíóúýþæøö",
    "Finnish, Swedish": "åäöéšž",
    "French": "àâæçéèêëîïôœùûüÿ",
    "German": "äöüß",
    "Hungarian": "áéíóöőúüű",
    "Irish, Scottish Gaelic": "áéíóúàèìòù",
    "Italian": "àèéìíîòóùú",
    "Latvian": "āčēģīķļņšūž",
    "Lithuanian": "ąčęėįšųūž",
    "Maltese": "àèìòùċġħż",
    "Polish": "ąćęłńóśźż",
    "Portuguese, Galician": "àáâãçéêíñóôõúüªº",
    "Romanian": "ăâîșțşţ",
    "Slovak": "áäčďéíĺľňóôŕšťúýž",
    "Slovene": "čšžćđ",
    "Spanish, Basque": "áéíñóúü¡¿ªº",
    "Turkish, Azerbaijani": "çğıöşüâîûə",
    "Welsh": "âêîôûŵŷàáèéìíòóùúẁẃẅỳýäëïöüÿ",
}
_ALPHABETS = tuple(frozenset(letters) for letters in ALPHABETS.values())
# Letters beyond ASCII, and the Latin-1 symbols a look-alike code page puts where letters were
# (ż read as ¿, ł as ³, Ł as £) when they touch a letter.
_LETTERISH = re.compile(
    r"[^\W\d_\x00-\x7f]|(?<=[^\W\d_])[\u00a1-\u00bf]|[\u00a1-\u00bf](?=[^\W\d_])"
)
_ALPHABET_SAMPLE = 65_536


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
    results = from_bytes(data)
    best = results.best()
    if best is None:
        return None
    # Prefer Windows-1252 when it reads about as cleanly as the best guess: it is the usual
    # legacy encoding of Western European news, and on short texts charset-normalizer often
    # picks a look-alike (cp1250, cp1257, iso8859-14) that turns "à" into "ŕ".
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    choice = best
    if western is not None and western.chaos <= best.chaos + _WESTERN_SLACK:
        choice = western
    # Unless another reading about as clean spells its words clearly better (in one alphabet):
    # then the choice is the look-alike (Polish "niedzielę" read as "niedzielê").
    clean = [m for m in results if m.chaos <= best.chaos + _WESTERN_SLACK]
    choice = _best_spelt(data, choice, clean)
    log.debug("decoded as %s (guessed)", choice.encoding)
    return str(choice)


def misspelt(text: str) -> tuple[int, int, int]:
    """How well `text` is spelt: (letters beyond ASCII that no one alphabet of `ALPHABETS`
    explains, all of them, letters of other scripts).

    Counted in the alphabet that explains most of the text's letters (its language, in
    effect). Symbols touching a letter count as letters no alphabet explains; letters of
    other scripts (Cyrillic, Greek, Hangul…) are not judged, only counted.
    """
    found = Counter(m.group().lower() for m in _LETTERISH.finditer(text, 0, _ALPHABET_SAMPLE))
    other = 0
    for char in [c for c in found if not _judged(c)]:
        other += found.pop(char)
    total = sum(found.values())
    if not total:
        return 0, 0, other
    bad = min(sum(n for c, n in found.items() if c not in a) for a in _ALPHABETS)
    return bad, total, other


def _judged(char: str) -> bool:
    """A Latin letter, or a Latin-1 symbol (a letter a look-alike code page misread)."""
    return "\u00a1" <= char <= "\u00bf" or unicodedata.name(char[0], "").startswith("LATIN")


def _best_spelt(data: bytes, choice: CharsetMatch, others: list[CharsetMatch]) -> CharsetMatch:
    """`choice`, or the first of `others` that spells its words clearly better: every
    letter in one alphabet where `choice` has some outside it, or a tenth fewer outside it
    (and at least two), without more letters of other scripts (a Korean reading of Croatian
    has no misspelt Latin letters left)."""
    sample = data[: _ALPHABET_SAMPLE * 2]

    def score(match: CharsetMatch) -> tuple[int, int, int]:
        return misspelt(sample.decode(match.encoding, "replace"))

    bad, total, other = score(choice)
    if not bad:
        return choice
    scored = [(score(match), match) for match in others]
    fit = [(spelling[0], match) for spelling, match in scored if spelling[2] <= other]
    fewest, better = min(fit, key=lambda pair: pair[0], default=(bad, choice))
    if fewest < bad and (fewest == 0 or bad - fewest >= max(2, total / 10)):
        log.debug("%s spells better than %s", better.encoding, choice.encoding)
        return better
    return choice
