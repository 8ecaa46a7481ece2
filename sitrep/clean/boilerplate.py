"""Site furniture: counters, share buttons, "read more" lines, a publisher's repeated name.

The line patterns are data (`boilerplate.yaml`); this module only applies them.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import yaml

from sitrep.clean.text import ENDS_SENTENCE, key

_RULES = Path(__file__).with_name("boilerplate.yaml")


WEAK = "next_to_furniture"  # the YAML section of rules that need a furniture neighbour


@cache
def rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    data = yaml.safe_load(_RULES.read_text(encoding="utf-8"))
    return tuple(
        (reason, re.compile(pattern, re.IGNORECASE))
        for reason, patterns in data.items()
        for pattern in patterns
    )


def line_rule(line: str, weak: bool = False) -> str | None:
    """The boilerplate rule a whole line matches, if any (`weak`: the neighbour-only rules)."""
    if len(line) > 300:
        return None
    for reason, pattern in rules():
        if (reason == WEAK) == weak and pattern.fullmatch(line):
            return reason
    return None


def line_rules(lines: list[str]) -> list[str | None]:
    """The rule each line matches; a weak rule counts only beside a line a strong one matched."""
    strong = [line_rule(line) for line in lines]
    out = list(strong)
    for i, line in enumerate(lines):
        if strong[i] is None and any(
            0 <= j < len(lines) and strong[j] is not None for j in (i - 1, i + 1)
        ):
            out[i] = "counters" if line_rule(line, weak=True) else None
    return out


def is_short_line(line: str) -> bool:
    """A name-like line: few words, no sentence punctuation (a site name, a byline)."""
    return len(line) <= 60 and len(line.split()) <= 8 and not ENDS_SENTENCE.search(line)


def repeated_short_lines(
    lines: list[str], protected: set[int], rules: list[str | None]
) -> set[int]:
    """Indexes of a site's or publisher's name repeated as its own line.

    Such a line is short, seen more often than the article itself is (a page may hold the
    article twice, so a subheading of each copy is seen twice too), and sits where page
    furniture sits: last on the page, or next to a line another rule calls boilerplate
    (`rules`). Speaker labels of an interview are short and repeated too, but they sit between
    questions and answers, so they stay. `protected` lines (the title) are never removed.
    """
    keys = [key(line) for line in lines]
    counts = Counter(k for k in keys if k)
    long_counts = [counts[k] for k, line in zip(keys, lines, strict=True) if len(line.split()) >= 8]
    copies = max(Counter(long_counts).most_common(1)[0][0], 1) if long_counts else 1
    groups: dict[str, list[int]] = {}
    for i, (k, line) in enumerate(zip(keys, lines, strict=True)):
        if i not in protected and k and is_short_line(line) and counts[k] >= 2:
            groups.setdefault(k, []).append(i)
    last = len(lines) - 1

    def at_the_edge(i: int) -> bool:
        return i == last or any(
            0 <= j < len(lines) and rules[j] is not None for j in (i - 1, i + 1)
        )

    return {
        i
        for k, where in groups.items()
        if counts[k] > copies and any(at_the_edge(i) for i in where)
        for i in where
    }
