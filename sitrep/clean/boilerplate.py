"""Site furniture: counters, share buttons, "read more" lines, a publisher's repeated name.

The line patterns are data (`boilerplate.yaml`); this module only applies them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import yaml

from sitrep.clean.text import key

_RULES = Path(__file__).with_name("boilerplate.yaml")
_SENTENCE_END = re.compile(r"[.!?…:;»\"”)\]]\s*$")


@cache
def rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = yaml.safe_load(_RULES.read_text(encoding="utf-8"))
    return tuple(
        (reason, re.compile(pattern, re.IGNORECASE))
        for reason, patterns in data.items()
        for pattern in patterns
    )


def line_rule(line: str) -> str | None:
    """The boilerplate rule a whole line matches, if any."""
    if len(line) > 300:
        return None
    for reason, pattern in rules():
        if pattern.fullmatch(line):
            return reason
    return None


def is_short_line(line: str) -> bool:
    """A name-like line: few words, no sentence punctuation (a site name, a byline)."""
    return len(line) <= 60 and len(line.split()) <= 8 and not _SENTENCE_END.search(line)


def repeated_short_lines(lines: list[str], protected: set[int]) -> set[int]:
    """Indexes of short lines repeated more often than the article itself is.

    A scraped page may hold the article twice, so a short line seen twice may just be a
    subheading of each copy; a publisher's name interleaved with the text shows up more often
    than the copies do. `protected` lines (the title) are never removed.
    """
    keys = [key(line) for line in lines]
    counts = Counter(k for k in keys if k)
    long_counts = [counts[k] for k, line in zip(keys, lines, strict=True) if len(line.split()) >= 8]
    copies = max(Counter(long_counts).most_common(1)[0][0], 1) if long_counts else 1
    return {
        i
        for i, (k, line) in enumerate(zip(keys, lines, strict=True))
        if i not in protected
        and k
        and is_short_line(line)
        and counts[k] >= 2
        and counts[k] > copies
    }
