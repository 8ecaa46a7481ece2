"""Unicode repair and whitespace normalisation that remember where every character came from.

Each function takes a string with, for every character, its offset in the raw text, and returns
the new string with its offsets; cleaning can then say exactly which raw bytes a clean
paragraph came from.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import ftfy

# Curly quotes and apostrophes are content in French typography: keep them.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False, fix_line_breaks=False)

# Spaces that mean "break here": collapsed to one ASCII space. U+00A0 and U+202F are kept: in
# French they bind « » : ; ? ! and digit groups ("6 500") to their neighbour.
_BREAKING_SPACE = re.compile(r"[ \t\f\v\u1680\u2000-\u200a\u205f\u3000]+")
# Zero-width characters and soft hyphens; and bidirectional formatting (marks, embeddings,
# overrides, isolates), which can make text display in an order other than the one it has
# (CVE-2021-42574, "Trojan Source"): the raw text keeps them, the clean text does not.
_INVISIBLE = re.compile(
    r"[\u200b\u200c\u200d\u2060\ufeff\u00ad" r"\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
)
_KEEP_SPACE = "\u00a0\u202f"

#: A normalised line that ends like a sentence (or a quote, or a bracket) does not run on.
ENDS_SENTENCE = re.compile(r"[.!?…:;»\"”)\]]$")


def remap(old: str, offsets: list[int], new: str) -> list[int]:
    """Offsets for `new`, a rewrite of `old`, by aligning the two strings."""
    if new == old:
        return offsets
    out: list[int] = []
    # text added after the last old character points at that character: one past it would
    # put the span's end outside the raw text (found by tests/fuzz)
    end = offsets[-1] if offsets else 0
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.extend(offsets[i1:i2])
        elif tag in ("replace", "insert"):
            width = j2 - j1
            if i2 > i1:  # spread the new characters over the replaced old ones
                out.extend(offsets[i1 + (k * (i2 - i1)) // width] for k in range(width))
            else:  # an insertion points at the next old character
                out.extend([offsets[i1] if i1 < len(offsets) else end] * width)
    return out


def repair(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Fix mojibake, HTML entities, control characters, ligatures; NFC."""
    fixed = ftfy.fix_text(text, _FTFY)
    return fixed, remap(text, offsets, fixed)


def normalise_space(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Drop invisible characters, collapse breaking spaces, keep no-break spaces, strip."""
    chars: list[str] = []
    offs: list[int] = []
    pending: int | None = None  # raw offset of a collapsed run of breaking spaces
    for ch, off in zip(text, offsets, strict=True):
        if _INVISIBLE.match(ch):
            continue
        if _BREAKING_SPACE.match(ch):
            if pending is None:
                pending = off
            continue
        if pending is not None:
            # a no-break space next to a breaking one already carries the break
            if chars and ch not in _KEEP_SPACE and chars[-1] not in _KEEP_SPACE:
                chars.append(" ")
                offs.append(pending)
            pending = None
        chars.append(ch)
        offs.append(off)
    # strip, including no-break spaces at the ends
    start, end = 0, len(chars)
    while start < end and chars[start] in _KEEP_SPACE:
        start += 1
    while end > start and chars[end - 1] in _KEEP_SPACE:
        end -= 1
    return "".join(chars[start:end]), offs[start:end]


def key(text: str) -> str:
    """Comparison key: case, spacing and punctuation do not make two paragraphs different."""
    return " ".join(re.findall(r"\w+", text.casefold()))
