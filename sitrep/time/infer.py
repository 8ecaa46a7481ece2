"""The publication date of an article whose metadata gives none, inferred from its own text.

A wrong date is worse than none: every event of the article is dated from it. So evidence is
taken in order of strength and the first that holds decides; when none does, the answer is None.

1. A date the page introduces as its own ("Publié le 13/09/2022", "Posted on September 13,
   2022"); a date introduced as an update ("Mis à jour le", "Page actualisée :") is never the
   publication, only later than it.
2. A dateline: a full date opening one of the first lines of the body, alone on its line or
   followed by a dash or a wire agency's credit ("PARIS, 13 septembre 2022 (AFP) –", Wikinews's
   "4 janvier 2016 . –" and "Wednesday, March 1, 2017").
3. A full date in the title ("Gilets jaunes : samedi 8 décembre 2018", "Briefs/June 30, 2005").
4. Consistency of the text's own dates: the latest day it names, a day and month without a year
   placed after the latest full date it names (in that year or the next, and only one of them),
   is the publication day when its weekday is one the text names bare ("mardi", "on Tuesday":
   news name the weekdays of the past six days, and the publication day's most of all). The seed
   article names "mardi", "lundi", "septembre 13" and full dates up to 26 November 2021: 13
   September is after it only in 2022, a Tuesday, so 2022-09-13.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from sitrep.time.expressions import Lexicon, Mention, lexicon, scan

log = logging.getLogger(__name__)

MARKED = 0.95
DATELINE = 0.9
TITLE = 0.7
CONSISTENT = 0.6
DATELINE_LINES = 6  # body lines searched for a dateline
_LINE = re.compile(r"[^\n]*\S[^\n]*")
_CITY = re.compile(r"\s*(?:[^\W\d_][\w'’. /-]{0,40}?,\s*){0,2}\Z")
_AFTER_DATELINE = re.compile(r"\s*(?:\.\s*)?(?:[–—-]|\(|\Z)")


def _day(m: Mention) -> date | None:
    """The day of a date that names its year (inherited from a list counts), else None."""
    if m.kind != "date" or m.year is None or m.month is None or m.day is None:
        return None
    try:
        return date(m.year, m.month, m.day)
    except ValueError:
        return None


def _credit(lex: Lexicon, after: str) -> bool:
    """After a dateline: nothing, a dash, or "(AFP)"-like credit of a known wire agency."""
    if not _AFTER_DATELINE.match(after):
        return False
    stripped = after.lstrip(" .")
    if not stripped.startswith("("):
        return True
    inside = stripped[1:].split(")", 1)[0].strip()
    return inside in lex.agencies


def infer_published(text: str, language: str) -> tuple[date, float] | None:
    """(publication date, confidence in [0, 1]) from the text alone, or None when it does not
    determine it. `text` is the article's clean text (title, blank line, body)."""
    lex = lexicon(language)
    if lex is None or not text.strip():
        return None
    mentions = scan(text, language)
    if not mentions:
        return None

    explicit = [(m, d) for m in mentions if not m.year_inherited and (d := _day(m)) is not None]
    updated = {m.start for m, _ in explicit if lex.updated_marker.search(_before(text, m))}
    for m, d in explicit:
        if lex.published_marker.search(_before(text, m)):
            return d, MARKED

    lines = [(x.start(), x.end()) for x in _LINE.finditer(text)]
    title = lines[0] if len(lines) > 1 else None
    body = lines[1 : 1 + DATELINE_LINES] if title else lines[:DATELINE_LINES]
    for m, d in explicit:
        if m.start in updated:
            continue
        for start, end in body:
            inside = start <= m.start and m.end <= end
            if inside and _CITY.match(text[start : m.start]) and _credit(lex, text[m.end : end]):
                return d, DATELINE
    if title is not None:
        for m, d in explicit:
            if title[0] <= m.start and m.end <= title[1] and m.start not in updated:
                return d, TITLE
    return _consistent(mentions, updated)


def _before(text: str, m: Mention) -> str:
    return text[max(0, m.start - 40) : m.start]


def _consistent(mentions: list[Mention], updated: set[int]) -> tuple[date, float] | None:
    """Step 4 of the module docstring.

    Three constraints must agree, because each alone is often met by chance (a background date
    like "September 11, 2001" may well fall on a weekday the article names): the latest day named
    is a day and month written without a year (the way news write this week's days); its year is
    the one year, of the latest full date's and the next, that puts it after that full date; and
    its weekday is named bare in the text.
    """
    weekdays: set[int] = set()
    for m in mentions:
        if m.kind in ("weekday", "night") and m.shift == 0:
            weekdays.update(w for w in (m.weekday, m.end_weekday) if w is not None)
    full = [d for m in mentions if m.start not in updated and (d := _day(m)) is not None]
    if not weekdays or not full:
        return None
    latest_full = max(full)
    found: set[date] = set()
    for m in mentions:
        if m.kind != "date" or m.year is not None or m.month is None or m.day is None:
            continue
        placed = []
        for y in (latest_full.year, latest_full.year + 1):
            try:
                d = date(y, m.month, m.day)
            except ValueError:
                continue
            if d > latest_full and (m.weekday is None or d.weekday() == m.weekday):
                placed.append(d)
        if len(placed) == 1:
            found.add(placed[0])
        elif placed:
            log.debug("day-month %s/%s fits several years: %s", m.day, m.month, placed)
    if not found:
        return None
    latest = max(found)
    if latest.weekday() not in weekdays:
        return None
    return latest, CONSISTENT
