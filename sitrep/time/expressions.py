"""Time expressions in news text, resolved against the article's publication date.

A rule layer comes first because plain date parsers read news wrongly: "mardi" in an article of
Tuesday 13 September 2022 is that day (dateparser says the Tuesday before), "lundi soir" is the
Monday (dateparser finds nothing), and "septembre 13" (content-farm word order) or "dans la nuit de
lundi à mardi" need news conventions. The words are data (`lexicon/<language>.yaml`); the code only
knows the shapes of expressions. dateparser is called on the few candidate spans the rules find but
do not resolve (calendar arithmetic in "il y a dix mois", two-digit years), never on running text.

Conventions (ACLED `time_precision`: 1 day, 2 week, 3 month):

- a weekday is the most recent such day up to and including publication; "dernier"/"last" moves
  it strictly before publication, "prochain"/"next" strictly after;
- a day and month without a year take the latest year that puts them at most `FUTURE_DAYS` after
  publication, a month without a year likewise its first day: mostly at or before publication,
  but news announce the coming weeks ("le 1er octobre" in an article of 22 September, "prévue en
  mai" in one of March, "on August 2" in one of 28 July; a date a year back would carry its
  year). "dernier"/"prochain" after a date or month force the past or the future;
- a named part of a month ("début novembre 2020", "mid-November") is a range of about ten days,
  `date` its first day and `end_date` its last, precision 2: ACLED's 2 ("a specific week") is the
  narrowest code that holds it without claiming a day, and 3 would throw the part away;
- a week, a weekend or a night is `date` .. `end_date`; weeks and weekends are precision 2,
  nights precision 1 (the night's first day);
- "la veille"/"the day before", "le lendemain"/"the next day", "trois jours plus tard" count from
  the last day mentioned before them; without one, those that look back count from publication
  and those that look ahead stay unresolved (from publication they would be in the future). A
  date right after them is what they mean: "la veille, 8 février", "hier 15 novembre";
- a clock time is converted to UTC when its zone is named ("9h00, heure de Moscou" is 06:00Z); a
  local or unnamed zone leaves `time` None but keeps the day. A clock time beside a day expression
  ("mardi à 9h00") is one expression with it; a lone one belongs to the last day mentioned before
  it if that day is in the week up to publication ("Yesterday, oil facilities were hit ... at
  4:00 A.M. local time (0100 UTC)"), else to the publication day;
- without a publication date, expressions that name their year still resolve; the others keep
  their span and kind with `date` None.
"""

from __future__ import annotations

import logging
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sitrep.datafile import load_yaml
from sitrep.model import TimeRef

log = logging.getLogger(__name__)

LEXICON_DIR = Path(__file__).with_name("lexicon")
FUTURE_DAYS = 60  # a date without a year may be this many days after publication
MAX_GAP = 40  # characters between a day and its clock time, or between listed dates

_B0 = r"(?<!\w)"
_B1 = r"(?!\w)"
_NEVER = "(?!)"
_DAY_NUM = r"(?:[12]\d|3[01]|0?[1-9])(?!\d)(?:\s?(?:er|ère|re|e|st|nd|rd|th)(?!\w))?"
_YEAR_NUM = r"(?:1[89]\d\d|20\d\d)(?!\d)"
_OFFSET_ZONE = re.compile(r"(?:UTC|GMT)\s?([+−–-])\s?(\d{1,2})(?::?(\d\d))?")
_DAY_KINDS = frozenset({"date", "daywd", "range", "night", "weekday", "relative", "anchored"})
_TOKEN = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_TWIN_GAP = re.compile(r"\s*\(\s*")  # "5 p.m. local time (2100 UTC)"
_APPOSITION_GAP = re.compile(r"[ ,]{1,3}")  # "hier 15 novembre", "la veille, 8 février"
_TWO_DIGITS = re.compile(r"\d\d")


@dataclass(frozen=True, slots=True)
class Mention:
    """A time expression as written, before it is resolved against a publication date.

    `kind`: date, daywd (weekday + day number), range, month, year, weekday, night, relative,
    anchored, period, counted, clock, fallback. Fields a kind does not use stay None/0.
    """

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None  # of a weekday expression, or written beside a date
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    end_weekday: int | None = None
    shift: int = 0  # weekday/month modifier (-1 last, 1 next), period offset
    days: tuple[int, int] | None = None  # relative day span, or the days of a month part
    unit: str = ""  # period and counted unit
    direction: str = ""  # counted: ago, ahead, later, earlier
    count: int = 0
    hour: int | None = None
    minute: int = 0
    zone: str | None = None  # IANA name, "+HH:MM" or "local"
    year_inherited: bool = False  # the year came from a later date of the same list


@dataclass(frozen=True)
class Lexicon:
    """One language's words and the regexes built from them (read-only, shared per process)."""

    language: str
    months: dict[str, int]
    abbreviations: frozenset[str]
    month_case: str
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]
    weekday_before: dict[str, int]
    weekday_after: dict[str, int]
    month_before: dict[str, int]
    month_after: dict[str, int]
    date_after: dict[str, int]
    pair_links: frozenset[str]
    relative: dict[str, tuple[int, int]]
    anchored: dict[str, int]
    periods: dict[str, tuple[str, int]]
    numbers: dict[str, int]
    units: dict[str, str]
    month_parts: dict[str, tuple[int, int]]
    clock_words: dict[str, int]
    zones: dict[str, str]  # lower-cased name (exact for abbreviations) -> zone
    families: tuple[tuple[str, re.Pattern[str], str], ...]  # (family, regex, extra)
    triggers: dict[str, tuple[int, ...]]  # first word ("#": a digit) -> families starting so
    exclusions: re.Pattern[str]
    month_preceder: re.Pattern[str]
    year_preceder: re.Pattern[str]
    not_year_follower: re.Pattern[str]
    clock_preceder: re.Pattern[str]
    clock_gap: re.Pattern[str]
    list_gap: re.Pattern[str]
    published_marker: re.Pattern[str]  # "Publié le" / "Posted on" just before a date
    updated_marker: re.Pattern[str]  # "Mis à jour le" / "Updated": a date after publication
    agencies: frozenset[str]


def _norm(word: str) -> str:
    return _SPACES.sub(" ", word.lower().replace("’", "'")).replace("‐", "-")


def _phrase(p: str) -> str:
    """A lexicon phrase as a regex: any apostrophe, any run of spaces, optional hyphens."""
    out = []
    for ch in p:
        if ch in "'’":
            out.append("['’]")
        elif ch == " ":
            out.append(r"\s+")
        elif ch == "-":
            out.append(r"[-‐‑–\s]?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _alt(phrases: Iterable[str], exact_upper: bool = False) -> str:
    """Alternation, longest first, bounded by non-word characters; never matches when empty."""
    items = sorted({p for p in phrases if p}, key=len, reverse=True)
    if not items:
        return _NEVER
    parts = []
    for p in items:
        rx = _phrase(p)
        if exact_upper and p.isupper():
            rx = f"(?-i:{rx})"
        parts.append(rx)
    return "(?:" + "|".join(parts) + ")" + _B1


def _links(phrases: Iterable[str]) -> str:
    items = sorted({p for p in phrases if p}, key=len, reverse=True)
    return "(?:" + "|".join(_phrase(p) for p in items) + ")" if items else _NEVER


def _span(value: Any) -> tuple[int, int]:
    if isinstance(value, list):
        return int(value[0]), int(value[1])
    return int(value), int(value)


@cache
def lexicon(language: str) -> Lexicon | None:
    """The language's lexicon, loaded and compiled once per process (None: no such file)."""
    path = LEXICON_DIR / f"{language}.yaml"
    if not re.fullmatch(r"[a-z]{2,3}", language) or not path.is_file():
        return None
    raw: dict[str, Any] = load_yaml(path)
    return _compile(language, raw)


def _starts(phrases: Iterable[str]) -> set[str]:
    """The first word of each phrase: where a match of it can begin."""
    out = set()
    for p in phrases:
        first = re.match(r"\w+", _norm(p))
        if first:
            out.add("#" if first.group()[0].isdigit() else first.group())
    return out


def _compile(language: str, raw: dict[str, Any]) -> Lexicon:
    def table(key: str) -> dict[str, Any]:
        return {_norm(k): v for k, v in (raw.get(key) or {}).items()}

    months = {k: int(v) for k, v in table("months").items()}
    abbreviations = {k: int(v) for k, v in table("month_abbreviations").items()}
    all_months = {**months, **abbreviations}
    weekdays = {k: int(v) for k, v in table("weekdays").items()}
    wd_before = {k: int(v) for k, v in table("weekday_before").items()}
    wd_after = {k: int(v) for k, v in table("weekday_after").items()}
    month_before = {k: int(v) for k, v in table("month_before").items()}
    month_after = {k: int(v) for k, v in table("month_after").items()}
    date_after = {k: int(v) for k, v in table("date_after").items()}
    relative = {k: _span(v) for k, v in table("relative").items()}
    anchored = {k: int(v) for k, v in table("anchored").items()}
    periods = {k: (str(v[0]), int(v[1])) for k, v in table("periods").items()}
    numbers = {k: int(v) for k, v in table("numbers").items()}
    units = {k: str(v) for k, v in table("units").items()}
    parts = {k: _span(v) for k, v in table("month_parts").items()}
    clock_words = {k: int(v) for k, v in table("clock_words").items()}
    zones = {(k if k.isupper() else _norm(k)): str(v) for k, v in (raw.get("zones") or {}).items()}
    day_parts = raw.get("day_parts") or []
    day_parts_before = raw.get("day_parts_before") or []
    clock_links = raw.get("clock_links") or []
    range_links = [*(raw.get("range_links") or []), *(raw.get("pair_links") or [])]

    def mon(name: str) -> str:
        # the dot belongs to an abbreviation ("13 sept."), a full name's is the sentence's
        return rf"(?:(?P<{name}>{_alt(months)})|(?P<{name}_a>{_alt(abbreviations)})\.?)"

    def wd(name: str) -> str:
        return rf"(?P<{name}>{_alt(weekdays)})"

    def day(name: str) -> str:
        return rf"(?P<{name}>{_DAY_NUM})"

    def yr(name: str) -> str:
        return rf"(?P<{name}>{_YEAR_NUM})"

    link = (
        rf"(?:\s*[-–]\s*|\s+(?P<link>{_links(range_links)})"
        rf"(?:\s+{_links(raw.get('link_articles') or [])})?\s+)"
    )
    zone_alt = (
        r"(?:(?-i:UTC|GMT)\s?[+−–-]\s?\d{1,2}(?::?\d\d)?(?!\d)|"
        + _alt(zones, exact_upper=True)
        + ")"
    )
    zone_suffix = rf"(?:\s*(?:,\s*)?(?P<open>\()?\s*(?P<zone>{zone_alt})(?(open)\s*\)))?"
    hour24 = r"(?P<h>[01]?\d|2[0-3])"
    no_word = r"(?<![\w,.:])"
    parts_after = _alt(day_parts)
    wd_s, mon_s, digit = set(weekdays), _starts(all_months), {"#"}
    families: list[tuple[str, str, str, set[str]]] = [
        (
            "dmy",
            rf"{_B0}(?:{wd('wd')}\s*,?\s+)?{day('d')}"
            rf"(?:\s*[-/]\s*|\s+(?:of\s+(?:the\s+)?|de\s+)?|\s*){mon('m')}(?:\s+{yr('y')})?"
            rf"(?:\s+(?P<post>{_alt(date_after)}))?",
            "",
            wd_s | digit,
        ),
        (
            "mdy",
            rf"{_B0}(?:{wd('wd')}\s*,?\s+)?{mon('m')}\s+{day('d')}(?:(?:\s*,\s*|\s+){yr('y')})?",
            "",
            wd_s | mon_s,
        ),
        (
            "range_dmy",
            # "les 16, 17 et 18 juillet": a list of days ending in a pair starts at its first
            rf"{_B0}(?:(?P<d0>{_DAY_NUM})\s*,\s*(?:{_DAY_NUM}\s*,\s*)*)?"
            rf"(?:{wd('wd1')}\s+)?{day('d1')}(?:\s+{mon('m1')}(?:\s+{yr('y1')})?)?{link}"
            rf"(?:{wd('wd2')}\s+)?{day('d2')}\s+{mon('m2')}(?:\s+{yr('y2')})?"
            rf"(?:\s+(?P<post>{_alt(date_after)}))?",
            "",
            wd_s | digit,
        ),
        (
            "range_mdy",
            rf"{_B0}{mon('m1')}\s+{day('d1')}{link}(?:{mon('m2')}\s+)?{day('d2')}"
            rf"(?:\s*,?\s*{yr('y')})?",
            "",
            mon_s,
        ),
        (
            "iso",
            rf"(?<![\d/.-]){yr('y')}-(?P<m>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d])",
            "",
            digit,
        ),
        (
            "numeric",
            r"(?<![\d/.,-])(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[01]?\d)(?P=sep)"
            rf"{yr('y')}(?![/.]\d)",
            "",
            digit,
        ),
        ("short_numeric", r"(?<![\d/.,-])[0-3]?\d/[01]?\d/\d\d(?![\d]|[/.]\d)", "", digit),
        (
            "loose",
            rf"{_B0}(?:{day('d')}\s*[-/.\s]\s*{mon('m')}\s*[-/.'’\s]\s*|{mon('m2')}\s+{day('d2')}"
            r",?\s*['’])\d\d(?![\d])",
            "",
            digit | mon_s,
        ),
        (
            "daywd",
            rf"{_B0}{wd('wd')}\s+{day('d')}"
            rf"(?=[ \t]*(?:[,.;:)]|\n|\Z)|\s+{_links(clock_links)}{_B1})",
            "",
            wd_s,
        ),
        (
            "month",
            rf"{_B0}(?:(?P<part>{_links(parts)})(?:\s*[-‐]\s*|\s+)"
            rf"(?:{_links(raw.get('month_part_links') or [])}\s*)?)?"
            rf"(?:(?P<mpre>{_alt(month_before)})\s+)?{mon('m')}"
            rf"(?:\s+(?P<mpost>{_alt(month_after)}))?(?:\s+{yr('y')})?",
            "",
            _starts(parts) | _starts(month_before) | mon_s,
        ),
        (
            "year",
            rf"(?<![\w.,/])(?<!\d\s){yr('y')}"
            rf"(?:\s*[-–]\s*{yr('y2')})?(?![.,/]\d|\s\d{{3}}(?!\d)|-\w|['’]s|s\b)",
            "",
            digit,
        ),
        (
            "weekday",
            rf"{_B0}(?:(?P<pre>{_alt(wd_before)})\s+)?(?:(?P<ppre>{_alt(day_parts_before)})\s+)?"
            rf"{wd('wd')}(?:\s+(?P<part>{parts_after}))?(?:\s+(?P<post>{_alt(wd_after)}))?",
            "",
            _starts(wd_before) | _starts(day_parts_before) | wd_s,
        ),
        (
            "relative",
            rf"{_B0}(?P<rel>{_alt(relative)})(?:\s+(?P<part>{parts_after}))?",
            "",
            _starts(relative),
        ),
        (
            "anchored",
            rf"{_B0}(?P<anc>{_alt(anchored)})(?:\s+(?P<part>{parts_after}))?",
            "",
            _starts(anchored),
        ),
        ("period", rf"{_B0}(?P<per>{_alt(periods)})", "", _starts(periods)),
        ("clock", rf"{no_word}{hour24}\s?h\s?(?P<min>[0-5]\d)?(?!\w){zone_suffix}", "h", digit),
        (
            "clock",
            rf"{no_word}(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<min>[0-5]\d))?\s?(?P<ap>[ap])\.?\s?m"
            rf"(?:\.|{_B1}){zone_suffix}",
            "ampm",
            digit,
        ),
        ("clock", rf"{no_word}{hour24}:(?P<min>[0-5]\d)(?![\d:]){zone_suffix}", "colon", digit),
        (
            "clock",
            rf"{no_word}(?P<h>[01]\d|2[0-3])(?P<min>[0-5]\d)\s*(?:\(\s*)?(?P<zone>{zone_alt})"
            r"(?:\s*\))?",
            "military",
            digit,
        ),
        (
            "clock",
            rf"{_B0}(?P<cw>{_alt(clock_words)}){zone_suffix}",
            "word",
            _starts(clock_words),
        ),
    ]
    hour_words = raw.get("clock_hour_words") or []
    if hour_words:
        families.append(
            (
                "clock",
                rf"{no_word}{hour24}\s+{_alt(hour_words)}(?:\s+(?P<min>[0-5]\d)(?!\d))?"
                rf"{zone_suffix}",
                "hours",
                digit,
            )
        )
    for template in raw.get("nights") or []:
        rx = _phrase(template).replace(r"\{wd\}", wd("wd1"), 1).replace(r"\{wd\}", wd("wd2"), 1)
        start = wd_s if template.startswith("{") else _starts([template])
        families.append(("night", _B0 + rx + _B1, "", start))
    number_alt = rf"(?P<n>\d{{1,3}}|{_alt(numbers)})"
    for direction, templates in (raw.get("counted") or {}).items():
        for template in templates:
            rx = _phrase(template).replace(r"\{n\}", number_alt)
            rx = rx.replace(r"\{unit\}", rf"(?P<unit>{_alt(units)})")
            start = (digit | set(numbers)) if template.startswith("{") else _starts([template])
            families.append(("counted", _B0 + rx + _B1, str(direction), start))

    triggers: dict[str, list[int]] = {}
    for i, (_, _, _, starts) in enumerate(families):
        for word in starts:
            triggers.setdefault(word, []).append(i)

    def tail(words: Iterable[str], trailer: str = r"[\s(]*") -> re.Pattern[str]:
        return re.compile(rf"{_B0}{_links(words)}{trailer}\Z", re.I)

    return Lexicon(
        language=language,
        months=all_months,
        abbreviations=frozenset(abbreviations),
        month_case=str(raw.get("month_case", "lower")),
        ambiguous_months=frozenset(_norm(m) for m in raw.get("ambiguous_months") or []),
        weekdays=weekdays,
        weekday_before=wd_before,
        weekday_after=wd_after,
        month_before=month_before,
        month_after=month_after,
        date_after=date_after,
        pair_links=frozenset(_norm(w) for w in raw.get("pair_links") or []),
        relative=relative,
        anchored=anchored,
        periods=periods,
        numbers=numbers,
        units=units,
        month_parts=parts,
        clock_words=clock_words,
        zones=zones,
        families=tuple((n, re.compile(rx, re.I), x) for n, rx, x, _ in families),
        triggers={k: tuple(v) for k, v in triggers.items()},
        exclusions=re.compile(_alt(raw.get("weekday_exclusions") or []), re.I),
        month_preceder=tail(raw.get("month_preceders") or [], r"[\s-]*"),
        year_preceder=tail(raw.get("year_preceders") or [], r"[\s(-]*"),
        not_year_follower=re.compile(rf"\s+{_alt(raw.get('not_year_before') or [])}", re.I),
        clock_preceder=tail(raw.get("clock_preceders") or [], r"\s*"),
        clock_gap=re.compile(rf"[ \t,]*(?:(?:{_links(clock_links)})[ \t,]+)*\Z", re.I),
        list_gap=re.compile(
            rf"[ \t,]*(?:(?:{_links(raw.get('list_links') or [])})[ \t,]+)*\Z", re.I
        ),
        published_marker=tail(raw.get("published_markers") or [], r"\s*:?\s*"),
        updated_marker=tail(raw.get("updated_markers") or [], r"\s*:?\s*"),
        agencies=frozenset(str(a) for a in raw.get("agencies") or []),
    )


# --- scanning: regex matches to mentions ----------------------------------------------------


@dataclass
class _Scan:
    text: str
    lex: Lexicon
    excluded: list[tuple[int, int]]

    def before(self, start: int, width: int = 30) -> str:
        return self.text[max(0, start - width) : start]

    def is_excluded(self, start: int, end: int) -> bool:
        return any(s < end and start < e for s, e in self.excluded)


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _day(value: str | None) -> int | None:
    if not value:
        return None
    digits = _DIGITS.match(value)
    return int(digits.group()) if digits else None


def _month_word(m: re.Match[str], group: str) -> str | None:
    return m.group(group) or m.group(group + "_a")


def _month_ok(sc: _Scan, m: re.Match[str], group: str, *, number_beside: bool) -> int | None:
    """The month of a match, or None when its spelling says it is not a month here."""
    word = _month_word(m, group)
    if word is None:
        return None
    key = _norm(word)
    month = sc.lex.months.get(key)
    if month is None:
        return None
    if sc.lex.month_case == "title" and not word[0].isupper():
        return None  # "march", "may": English months are capitalised
    if number_beside:
        return month
    if key in sc.lex.abbreviations:
        return None  # "sept morts", "Jun" alone
    if sc.lex.month_case == "lower" and word[0].isupper():
        return None  # "Mars" mid-sentence without a day or a year is the planet
    return month


def _valid(y: int | None, mo: int | None, d: int | None) -> bool:
    if mo is None or d is None:
        return False
    try:
        date(y or 2000, mo, d)  # 2000 is a leap year: 29 February is valid without a year
    except ValueError:
        return False
    return True


def _weekday_of(sc: _Scan, word: str | None) -> int | None:
    return sc.lex.weekdays.get(_norm(word)) if word else None


def _date_shift(sc: _Scan, m: re.Match[str]) -> int:
    post = m.groupdict().get("post")
    return sc.lex.date_after.get(_norm(post), 0) if post else 0


def _scan_dmy(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    month = _month_ok(sc, m, "m", number_beside=True)
    d, y = _day(m.group("d")), _int(m.group("y"))
    if month is None or not _valid(y, month, d):
        return None
    wd = _weekday_of(sc, m.group("wd"))
    return Mention(m.start(), m.end(), "date", y, month, d, wd, shift=_date_shift(sc, m))


def _list_not_range(
    sc: _Scan, m: re.Match[str], first: tuple[int, int], last: tuple[int, int]
) -> bool:
    """ "11 janvier et 26 novembre" lists two dates; "31 août et 1er septembre" is a night."""
    link = m.group("link")
    if not link or _norm(link) not in sc.lex.pair_links or first[0] == last[0]:
        return False
    year = 2004 if first == (2, 29) else 2001
    following = date(year, *first) + timedelta(days=1)
    return (following.month, following.day) != last


def _scan_range_dmy(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    m2 = _month_ok(sc, m, "m2", number_beside=True)
    if m2 is None:
        return None
    m1 = _month_ok(sc, m, "m1", number_beside=True) if _month_word(m, "m1") else m2
    d1, d2 = _day(m.group("d0") or m.group("d1")), _day(m.group("d2"))
    y1, y2 = _int(m.group("y1")), _int(m.group("y2"))
    if m1 is None or d1 is None or d2 is None or not _valid(y1, m1, d1) or not _valid(y2, m2, d2):
        return None
    if (m1, d1) == (m2, d2) or (m1 == m2 and d1 > d2):
        return None
    if _list_not_range(sc, m, (m1, d1), (m2, d2)):
        return None
    return Mention(
        m.start(), m.end(), "range", y1, m1, d1, _weekday_of(sc, m.group("wd1")),
        y2, m2, d2, _weekday_of(sc, m.group("wd2")), shift=_date_shift(sc, m),
    )  # fmt: skip


def _scan_range_mdy(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    m1 = _month_ok(sc, m, "m1", number_beside=True)
    m2 = _month_ok(sc, m, "m2", number_beside=True) if _month_word(m, "m2") else m1
    d1, d2, y = _day(m.group("d1")), _day(m.group("d2")), _int(m.group("y"))
    if m1 is None or m2 is None or d1 is None or d2 is None:
        return None
    if not _valid(y, m1, d1) or not _valid(y, m2, d2) or (m1 == m2 and d1 >= d2):
        return None
    if _list_not_range(sc, m, (m1, d1), (m2, d2)):
        return None
    return Mention(m.start(), m.end(), "range", None, m1, d1, None, y, m2, d2)


def _scan_iso(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    return Mention(m.start(), m.end(), "date", y, mo, d) if _valid(y, mo, d) else None


def _scan_numeric(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    # day first (French, British, most of the world); month first only when it cannot be a day
    if _valid(y, b, a):
        return Mention(m.start(), m.end(), "date", y, b, a)
    if _valid(y, a, b):
        return Mention(m.start(), m.end(), "date", y, a, b)
    return None


def _scan_fallback(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    if family == "loose":
        group = "m" if _month_word(m, "m") else "m2"
        if _month_ok(sc, m, group, number_beside=True) is None:
            return None
    return Mention(m.start(), m.end(), "fallback")


def _scan_daywd(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    d = _day(m.group("d"))
    if d is None or d > 31:
        return None
    return Mention(m.start(), m.end(), "daywd", day=d, weekday=_weekday_of(sc, m.group("wd")))


def _scan_month(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    y = _int(m.group("y"))
    part = m.group("part")
    month = _month_ok(sc, m, "m", number_beside=y is not None)
    if month is None:
        return None
    key = _norm(_month_word(m, "m") or "")
    bare = y is None and part is None and not m.group("mpre")
    if (
        bare
        and key in sc.lex.ambiguous_months
        and not sc.lex.month_preceder.search(sc.before(m.start()))
    ):
        return None  # "Theresa May", "the Women's March"
    shift = 0
    if m.group("mpre"):
        shift = sc.lex.month_before.get(_norm(m.group("mpre")), 0)
    if m.group("mpost"):
        shift = sc.lex.month_after.get(_norm(m.group("mpost")), 0)
    days = sc.lex.month_parts.get(_norm(part)) if part else None
    return Mention(m.start(), m.end(), "month", y, month, shift=shift, days=days)


def _scan_year(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    before = sc.before(m.start())
    if not (sc.lex.year_preceder.search(before) or before.endswith("(")):
        return None  # "2020 soldats" is a count, "COVID-2020" a name; "mid-2020" is a year
    if sc.lex.not_year_follower.match(sc.text, m.end()):
        return None  # "the 2000 km long pipeline"
    first, last = int(m.group("y")), _int(m.group("y2"))
    if last is not None and last <= first:
        return None  # "2020-2000": not a span of years
    return Mention(m.start(), m.end(), "year", first, end_year=last)


def _scan_weekday(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    if sc.is_excluded(m.start("wd"), m.end("wd")):
        return None
    shift = 0
    if m.group("pre"):
        shift = sc.lex.weekday_before.get(_norm(m.group("pre")), 0)
    if m.group("post"):
        shift = sc.lex.weekday_after.get(_norm(m.group("post")), 0)
    return Mention(
        m.start(), m.end(), "weekday", weekday=_weekday_of(sc, m.group("wd")), shift=shift
    )


def _scan_night(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    first = _weekday_of(sc, m.group("wd1"))
    second = _weekday_of(sc, m.group("wd2")) if "wd2" in m.re.groupindex else None
    if first is None or (second is not None and second == first):
        return None
    return Mention(m.start(), m.end(), "night", weekday=first, end_weekday=second)


def _scan_relative(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    days = sc.lex.relative.get(_norm(m.group("rel")))
    return Mention(m.start(), m.end(), "relative", days=days) if days else None


def _scan_anchored(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    shift = sc.lex.anchored.get(_norm(m.group("anc")))
    return None if shift is None else Mention(m.start(), m.end(), "anchored", shift=shift)


def _scan_period(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    found = sc.lex.periods.get(_norm(m.group("per")))
    if found is None:
        return None
    return Mention(m.start(), m.end(), "period", unit=found[0], shift=found[1])


def _scan_counted(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    n_text = _norm(m.group("n"))
    n = int(n_text) if n_text.isdigit() else sc.lex.numbers.get(n_text)
    unit = sc.lex.units.get(_norm(m.group("unit")))
    if not n or unit is None:
        return None
    return Mention(m.start(), m.end(), "counted", unit=unit, direction=extra, count=n)


def _zone(sc: _Scan, text: str | None) -> str | None:
    if not text:
        return None
    offset = _OFFSET_ZONE.fullmatch(text.strip())
    if offset:
        sign = "-" if offset.group(1) in "−–-" else "+"
        return f"{sign}{int(offset.group(2)):02d}:{offset.group(3) or '00'}"
    return sc.lex.zones.get(text.strip()) or sc.lex.zones.get(_norm(text))


def _scan_clock(sc: _Scan, m: re.Match[str], family: str, extra: str) -> Mention | None:
    minute = _int(m.groupdict().get("min")) or 0
    if extra == "word":
        hour: int | None = sc.lex.clock_words.get(_norm(m.group("cw")))
    else:
        hour = int(m.group("h"))
    if hour is None:
        return None
    if extra == "ampm":
        hour = hour % 12 + (12 if m.group("ap").lower() == "p" else 0)
    needs_preceder = extra in ("word", "hours") or (extra == "h" and not m.group("min"))
    if needs_preceder and not sc.lex.clock_preceder.search(sc.before(m.start())):
        return None  # "pendant 24h", "le Midi": a duration or a name, not a time of day
    zone = _zone(sc, m.groupdict().get("zone"))
    return Mention(m.start(), m.end(), "clock", hour=hour, minute=minute, zone=zone)


_SCANNERS: dict[str, Callable[[_Scan, re.Match[str], str, str], Mention | None]] = {
    "dmy": _scan_dmy,
    "mdy": _scan_dmy,
    "range_dmy": _scan_range_dmy,
    "range_mdy": _scan_range_mdy,
    "iso": _scan_iso,
    "numeric": _scan_numeric,
    "short_numeric": _scan_fallback,
    "loose": _scan_fallback,
    "daywd": _scan_daywd,
    "month": _scan_month,
    "year": _scan_year,
    "weekday": _scan_weekday,
    "night": _scan_night,
    "relative": _scan_relative,
    "anchored": _scan_anchored,
    "period": _scan_period,
    "counted": _scan_counted,
    "clock": _scan_clock,
}


def _longest(candidates: list[Mention]) -> list[Mention]:
    """One mention per stretch of text: the longest wins, then the earliest."""
    candidates.sort(key=lambda c: (c.start - c.end, c.start))
    starts: list[int] = []
    ends: list[int] = []
    for c in candidates:
        i = bisect_right(starts, c.start)
        if i > 0 and ends[i - 1] > c.start:
            continue
        if i < len(starts) and starts[i] < c.end:
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
    kept = set(zip(starts, ends, strict=True))
    out, seen = [], set()
    for c in sorted(candidates, key=lambda c: c.start):
        if (c.start, c.end) in kept and (c.start, c.end) not in seen:
            seen.add((c.start, c.end))
            out.append(c)
    return out


def _attach_clocks(sc: _Scan, found: list[Mention]) -> list[Mention]:
    """Join a clock time to the day it belongs to, and a clock to its UTC twin "(2100 UTC)"."""
    text = sc.text
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if m.kind == "clock" and prev is not None and prev.end <= m.start:
            gap = text[prev.end : m.start]
            if prev.hour is not None and _TWIN_GAP.fullmatch(gap):
                # "5 p.m. local time (2100 UTC)": the same instant, the named zone wins
                closing = text[m.end : m.end + 1] == ")" and not text[m.start : m.end].endswith(")")
                keep = m if m.zone and m.zone != "local" else prev
                out[-1] = replace(
                    prev, end=m.end + (1 if closing else 0), hour=keep.hour,
                    minute=keep.minute, zone=keep.zone,
                )  # fmt: skip
                continue
            if (
                prev.kind in _DAY_KINDS
                and prev.hour is None
                and len(gap) <= MAX_GAP
                and sc.lex.clock_gap.fullmatch(gap)
            ):
                out[-1] = replace(prev, end=m.end, hour=m.hour, minute=m.minute, zone=m.zone)
                continue
        if (
            prev is not None
            and prev.kind == "clock"
            and m.kind in _DAY_KINDS
            and m.hour is None
            and prev.end <= m.start
        ):
            gap = text[prev.end : m.start]
            if len(gap) <= MAX_GAP and sc.lex.clock_gap.fullmatch(gap):
                out[-1] = replace(
                    m, start=prev.start, hour=prev.hour, minute=prev.minute, zone=prev.zone
                )
                continue
        out.append(m)
    return out


def _join_appositions(sc: _Scan, found: list[Mention]) -> list[Mention]:
    """ "Hier 23 février", "la veille, 8 février": one expression, dated by its explicit date."""
    out: list[Mention] = []
    for m in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and m.kind == "date"
            and prev.kind in ("relative", "anchored", "weekday")
            and _APPOSITION_GAP.fullmatch(sc.text[prev.end : m.start])
        ):
            out[-1] = replace(m, start=prev.start)
            continue
        out.append(m)
    return out


def _share_years(sc: _Scan, found: list[Mention]) -> list[Mention]:
    """A list of dates names its year once, at the end ("du 11 janvier et du 26 novembre 2021")."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        m, nxt = out[i], out[i + 1]
        if m.kind not in ("date", "month", "range") or m.year is not None:
            continue
        if m.kind == "range" and m.end_year is not None:
            continue
        if nxt.kind not in ("date", "month", "range"):
            continue
        gap = sc.text[m.end : nxt.start]
        if len(gap) > MAX_GAP or not sc.lex.list_gap.fullmatch(gap):
            continue
        year = nxt.year if nxt.year is not None else nxt.end_year
        if year is None:
            continue
        if (m.month or 0, m.day or 0) > (nxt.month or 0, nxt.day or 0):
            year -= 1  # listed in order: "28 décembre et 2 janvier 2023"
        if m.kind == "range":
            out[i] = replace(m, end_year=year, year_inherited=True)
        else:
            out[i] = replace(m, year=year, year_inherited=True)
    return out


def scan(text: str, language: str) -> list[Mention]:
    """Every time expression of the text, unresolved, in text order, without overlaps."""
    lex = lexicon(language)
    if lex is None or not text:
        return []
    excluded = [(m.start(), m.end()) for m in lex.exclusions.finditer(text)]
    sc = _Scan(text, lex, excluded)
    candidates: list[Mention] = []
    families, triggers = lex.families, lex.triggers
    for token in _TOKEN.finditer(text):
        word = token.group()
        key = "#" if word[0].isdigit() else word.lower()
        for i in triggers.get(key, ()):
            family, rx, extra = families[i]
            m = rx.match(text, token.start())
            if m is not None:
                mention = _SCANNERS[family](sc, m, family, extra)
                if mention is not None:
                    candidates.append(mention)
    found = _longest(candidates)
    found = _join_appositions(sc, _attach_clocks(sc, found))
    return _share_years(sc, found)


# --- resolving: mentions to dates -----------------------------------------------------------


def _iso(d: date) -> str:
    return d.isoformat()


def _year_for(
    month: int, day: int, pub: date, weekday: int | None = None, shift: int = 0
) -> int | None:
    """The year of a day and month written without one (see the module's conventions)."""
    candidates = [
        date(y, month, day)
        for y in (pub.year + 1, pub.year, pub.year - 1, pub.year - 2, pub.year - 3, pub.year - 4)
        if _valid(y, month, day)
    ]
    if weekday is not None:
        same = [c for c in candidates[:3] if c.weekday() == weekday]
        if same:
            return min(same, key=lambda c: abs((c - pub).days)).year
    if shift > 0:
        after = [c for c in candidates if c > pub]
        return after[-1].year if after else None
    limit = pub - timedelta(days=1) if shift < 0 else pub + timedelta(days=FUTURE_DAYS)
    for c in candidates:
        if c <= limit:
            return c.year
    return None


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _month_year(month: int, pub: date, shift: int) -> int:
    if shift > 0:
        return pub.year if month > pub.month else pub.year + 1
    if shift < 0:
        return pub.year if month < pub.month else pub.year - 1
    return (
        pub.year if date(pub.year, month, 1) <= pub + timedelta(days=FUTURE_DAYS) else pub.year - 1
    )


def _last_weekday(pub: date, weekday: int, shift: int = 0) -> date:
    if shift > 0:
        return pub + timedelta(days=(weekday - pub.weekday()) % 7 or 7)
    back = (pub.weekday() - weekday) % 7
    if shift < 0 and back == 0:
        back = 7
    return pub - timedelta(days=back)


def _add_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    y, mo = divmod(total, 12)
    mo += 1
    last = _month_length(y, mo)
    return date(y, mo, min(d.day, last))


def _month_length(y: int, mo: int) -> int:
    nxt = date(y + (mo == 12), mo % 12 + 1, 1)
    return (nxt - timedelta(days=1)).day


@lru_cache(maxsize=64)
def _tz(zone: str) -> timezone | ZoneInfo | None:
    if zone[0] in "+-":
        sign = -1 if zone[0] == "-" else 1
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    try:
        return ZoneInfo(zone)
    except (KeyError, ValueError):
        log.warning("unknown time zone %r in a time lexicon", zone)
        return None


def _utc(day: date, m: Mention) -> str | None:
    if m.hour is None or m.zone is None or m.zone == "local":
        return None
    tz = _tz(m.zone)
    if tz is None:
        return None
    local = datetime(day.year, day.month, day.day, m.hour, m.minute, tzinfo=tz)
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _Anchors:
    """The last days mentioned so far, for "la veille", "the next day" and lone clock times."""

    last: date | None = None  # of day precision
    last_any: date | None = None  # of any precision ("in 2011 ... three years later")


def _fallback(text: str, language: str, pub: date | None) -> tuple[date, str] | None:
    """dateparser on one candidate span the rules did not resolve: (date, period)."""
    if pub is None and not _TWO_DIGITS.search(text):
        return None
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY"}
    if pub is not None:
        settings["RELATIVE_BASE"] = datetime(pub.year, pub.month, pub.day)
    try:
        data = DateDataParser(languages=[language], settings=settings).get_date_data(text)
    except (ValueError, TypeError, OverflowError) as exc:
        log.debug("dateparser failed on %r: %r", text, exc)
        return None
    if data.date_obj is None:
        return None
    return data.date_obj.date(), str(data.period or "day")


def _by_period(d: date, period: str) -> tuple[str, int, str]:
    if period == "year":
        return str(d.year), 3, "year"
    if period == "month":
        return f"{d.year:04d}-{d.month:02d}", 3, "month"
    if period == "week":
        return _iso(d), 2, "relative"
    return _iso(d), 1, "absolute"


def _resolve(m: Mention, text: str, language: str, pub: date | None, anchors: _Anchors) -> TimeRef:
    span = text[m.start : m.end]
    ref = TimeRef(m.start, m.end, span, None, 1, _KIND.get(m.kind, m.kind))
    day: date | None = None
    if m.kind == "date":
        y = m.year
        if y is None and pub is not None and m.month and m.day:
            y = _year_for(m.month, m.day, pub, m.weekday, m.shift)
        if y is not None and _valid(y, m.month, m.day) and m.month and m.day:
            day = date(y, m.month, m.day)
    elif m.kind == "daywd":
        day = _day_with_weekday(m.day or 0, m.weekday or 0, pub) if pub else None
    elif m.kind == "range":
        return _resolve_range(m, ref, pub)
    elif m.kind == "month":
        return _resolve_month(m, ref, pub)
    elif m.kind == "year":
        until = str(m.end_year) if m.end_year else None
        return replace(ref, date=str(m.year), end_date=until, precision=3)
    elif m.kind == "weekday":
        day = _last_weekday(pub, m.weekday or 0, m.shift) if pub else None
    elif m.kind == "night":
        if pub is not None and m.weekday is not None:
            if m.end_weekday is None:
                day = _last_weekday(pub, m.weekday)
                ref = replace(ref, kind="weekday")
            else:
                end = _last_weekday(pub, m.end_weekday)
                start = end - timedelta(days=(m.end_weekday - m.weekday) % 7)
                return replace(ref, date=_iso(start), end_date=_iso(end), time=_utc(start, m))
    elif m.kind == "relative" and m.days is not None:
        if pub is not None:
            day = pub + timedelta(days=m.days[0])
            if m.days[1] != m.days[0]:
                end = pub + timedelta(days=m.days[1])
                return replace(ref, date=_iso(day), end_date=_iso(end), time=_utc(day, m))
    elif m.kind == "anchored":
        base = anchors.last or (pub if m.shift <= 0 else None)
        day = base + timedelta(days=m.shift) if base else None
    elif m.kind == "period":
        return _resolve_period(m, ref, pub)
    elif m.kind == "counted":
        return _resolve_counted(m, ref, language, pub, anchors)
    elif m.kind == "clock":
        day = anchors.last
        if day is not None and pub is not None and not pub - _WEEK <= day <= pub:
            day = None  # a birth date or a coming hearing is not the day of a reported hour
        day = day or pub
    elif m.kind == "fallback":
        found = _fallback(span, language, pub)
        if found:
            value, precision, kind = _by_period(found[0], found[1])
            return replace(ref, date=value, precision=precision, kind=kind)
    if day is None:
        return ref
    return replace(ref, date=_iso(day), time=_utc(day, m))


_KIND = {
    "date": "absolute",
    "daywd": "absolute",
    "night": "range",
    "anchored": "relative",
    "period": "relative",
    "counted": "relative",
    "fallback": "absolute",
}


def _day_with_weekday(day: int, weekday: int, pub: date) -> date | None:
    """ "mardi 13": the latest 13th that is a Tuesday, at most a week after publication."""
    limit = pub + timedelta(days=7)
    y, mo = limit.year, limit.month
    for _ in range(24):
        if _valid(y, mo, day):
            d = date(y, mo, day)
            if d <= limit and d.weekday() == weekday:
                return d
        y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
    return None


def _resolve_range(m: Mention, ref: TimeRef, pub: date | None) -> TimeRef:
    assert m.month and m.day and m.end_month and m.end_day
    end_year = m.end_year
    if end_year is None and pub is not None:
        end_year = _year_for(m.end_month, m.end_day, pub, m.end_weekday, m.shift)
    if end_year is None or not _valid(end_year, m.end_month, m.end_day):
        return replace(ref, kind="range")
    end = date(end_year, m.end_month, m.end_day)
    start_year = m.year or (
        end_year if (m.month, m.day) <= (m.end_month, m.end_day) else end_year - 1
    )
    if not _valid(start_year, m.month, m.day):
        return replace(ref, kind="range")
    start = date(start_year, m.month, m.day)
    # two days ("les 13 et 14 septembre") are still days; up to a week is ACLED's week
    length = (end - start).days
    precision = 1 if length <= 1 else 2 if length <= 7 else 3
    return replace(
        ref, date=_iso(start), end_date=_iso(end), kind="range", precision=precision,
        time=_utc(start, m),
    )  # fmt: skip


def _resolve_month(m: Mention, ref: TimeRef, pub: date | None) -> TimeRef:
    assert m.month
    y = m.year if m.year is not None else (_month_year(m.month, pub, m.shift) if pub else None)
    ref = replace(ref, precision=2 if m.days else 3, kind="month")
    if y is None:
        return ref
    if m.days:
        last = _month_length(y, m.month)
        first, end = date(y, m.month, m.days[0]), date(y, m.month, min(m.days[1], last))
        return replace(ref, date=_iso(first), end_date=_iso(end))
    return replace(ref, date=f"{y:04d}-{m.month:02d}")


def _resolve_period(m: Mention, ref: TimeRef, pub: date | None) -> TimeRef:
    ref = replace(ref, precision=3 if m.unit in ("month", "year") else 2)
    if pub is None:
        return ref
    if m.unit == "week":
        monday = pub - timedelta(days=pub.weekday()) + timedelta(weeks=m.shift)
        return replace(ref, date=_iso(monday), end_date=_iso(monday + timedelta(days=6)))
    if m.unit == "weekend":
        # the weekend just past early in the week, the coming one later ("ce week-end")
        saturday = pub + timedelta(days=5 - pub.weekday())
        if pub.weekday() <= 1:
            saturday -= timedelta(weeks=1)
        saturday += timedelta(weeks=m.shift)
        return replace(ref, date=_iso(saturday), end_date=_iso(saturday + timedelta(days=1)))
    if m.unit == "month":
        first = _add_months(pub.replace(day=1), m.shift)
        return replace(ref, date=f"{first.year:04d}-{first.month:02d}")
    if m.unit == "year":
        return replace(ref, date=str(pub.year + m.shift))
    return ref


def _resolve_counted(
    m: Mention, ref: TimeRef, language: str, pub: date | None, anchors: _Anchors
) -> TimeRef:
    back = m.direction in ("ago", "earlier")
    coarse = m.unit not in ("day", "week", "hour")
    if m.direction in ("ago", "ahead"):
        base = pub
    elif coarse:
        base = anchors.last_any or anchors.last  # "en 2011 ... trois ans plus tard" from 2011
    else:
        base = anchors.last
    if base is None and back:
        base = pub
    precision = _UNIT_PRECISION.get(m.unit, 3)
    if base is None:
        return replace(ref, precision=precision)
    if m.unit in ("day", "week"):
        days = m.count * (7 if m.unit == "week" else 1) * (-1 if back else 1)
        d = base + timedelta(days=days)
        return replace(ref, date=_iso(d), precision=precision, time=_utc(d, m))
    if m.direction in ("ago", "ahead"):
        # calendar arithmetic in months, years, hours: what dateparser is good at
        found = _fallback(ref.text, language, base)
        if found is None:
            return replace(ref, precision=precision)
        value, found_precision, _ = _by_period(found[0], found[1])
        return replace(ref, date=value, precision=max(found_precision, precision))
    months = m.count * {"month": 1, "year": 12, "decade": 120}.get(m.unit, 0)
    if not months:
        return replace(ref, date=_iso(base), precision=1)
    d = _add_months(base, -months if back else months)
    if m.unit == "month":
        return replace(ref, date=f"{d.year:04d}-{d.month:02d}", precision=3)
    return replace(ref, date=str(d.year), precision=3)


_WEEK = timedelta(days=7)
_UNIT_PRECISION = {"day": 1, "hour": 1, "week": 2, "month": 3, "year": 3, "decade": 3}


def _first_day(iso: str) -> date:
    """ "2020" -> 2020-01-01, "2020-11" -> 2020-11-01, "2020-11-09" itself."""
    parts = [int(p) for p in iso.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def resolve(
    mentions: list[Mention], text: str, language: str, published: date | datetime | None
) -> list[TimeRef]:
    """Resolve mentions in text order, so that each can lean on the days mentioned before it."""
    pub = published.date() if isinstance(published, datetime) else published
    anchors = _Anchors()
    out = []
    for m in mentions:
        ref = _resolve(m, text, language, pub, anchors)
        if ref.date and m.kind != "clock":
            day = _first_day(ref.end_date or ref.date)
            anchors.last_any = day
            if ref.precision == 1 and len(ref.date) == 10:
                anchors.last = day
        out.append(ref)
    return out


def find_times(text: str, language: str, published: date | datetime | None) -> list[TimeRef]:
    """The time expressions of `text`, resolved against `published` (offsets index `text`).

    A language without a lexicon file gives no expressions.
    """
    return resolve(scan(text, language), text, language, published)
