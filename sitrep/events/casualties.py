"""Casualty figures (deaths and injuries) in one sentence of news text, French and English.

An event coder needs the figures a report gives, not every number in it: "le 13 septembre",
"in 2019", "a 21-year-old", "$5 million", "16 suspects arrested", "17 rockets" are not
casualties. A figure counts only when it is tied, inside one clause, to a death or injury word,
in one of three shapes:

- the figure before the word: "au moins 5 morts", "5 personnes ont été tuées", "20 dead",
  "12 people died", "six travailleurs humanitaires tués", "leaving 5 dead and 110 wounded";
- an active verb before the figure: "tuant 12 soldats", "a tué au moins 6 500 personnes",
  "killed at least 20 people", "injuring 48";
- a toll noun before the figure: "death toll rose to 176", "le bilan s'élève à 176".

The words are data (`data/numbers_<language>.yaml`: number words, vague quantities, qualifiers,
kill and injury words, person nouns, the small words allowed in between); the code only knows
those shapes. Between a figure and its word it allows person nouns, auxiliaries and adverbs
from the data and at most two unknown words; a clause opener, a punctuation mark or another
figure ends the search. Each search looks at a fixed number of tokens and the regular
expressions have no nested ambiguous repeats, so a sentence costs time linear in its length.

Figures are conservative, as ACLED codes them: qualified figures ("at least", "plus de",
"nearly", "up to") keep the printed number with exact=False, and vague quantities ("dozens",
"des dizaines", "several") take the values documented in the data file. Coordinated figures
tied to one word are added up ("two soldiers and three civilians were killed" is 5); separate
figures (revised tolls) are all returned, and the caller picks the smallest.

The search is pure token logic, with no parser, so it runs on any string without raising.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from sitrep.datafile import load_yaml

DATA_DIR = Path(__file__).with_name("data")

Kind = Literal["killed", "injured"]
KINDS: tuple[Kind, ...] = ("killed", "injured")

WINDOW = 10  # tokens between a figure and its death/injury word
TOLL_WINDOW = 8  # tokens between a toll noun and its figure
UNKNOWN = 2  # words of no list allowed between a figure and its word ("Malian", "humanitaires")
INCISE = 15  # tokens of an aside skipped between commas ("five people, including two children,")
MAX_DIGITS = 24  # longer digit runs are identifiers, not counts

_WORD, _NUM, _OTHER, _PUNCT = range(4)

# times first (so "10h30", "10 a.m." never read as counts), then numbers with their thousands
# groups, then words. No quantifier is nested over an ambiguous group: matching stays linear.
_TOKEN = re.compile(
    r"(?P<time>\d{1,2}(?::\d\d|\s?[hH](?:\s?\d\d)?|(?:[:.]\d\d)?\s?[aApP]\.?[mM]\.?)(?![^\W_]))"
    r"|(?P<num>\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)*)"
    r"|(?P<word>(?:[^\W\d_]|[\u0300-\u036f])+)"
    r"|(?P<punct>\S)"
)
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_APOSTROPHES = frozenset("'’ʼ‘`´")
_HYPHENS = frozenset("-‐‑‒–")


@dataclass(frozen=True, slots=True)
class Casualty:
    """A death or injury figure: `start`/`end` span the figure as written, qualifier included
    ("au moins 5", "dozens", "two soldiers and three civilians" for an added-up list);
    `exact` is False for qualified or vague figures."""

    kind: Kind
    count: int
    start: int
    end: int
    exact: bool


@dataclass(slots=True)
class _Tags:
    """What a phrase of the data file is: one phrase may be several things ("deaths")."""

    length: int = 0
    qualifier: str | None = None
    vague: int | None = None
    after: Kind | None = None
    before: Kind | None = None
    toll: Kind | None = None
    zero: tuple[Kind, ...] = ()
    incise: bool = False
    unit: bool = False


@dataclass(frozen=True, slots=True)
class _Lexicon:
    language: str
    words: dict[tuple[str, ...], int]  # number words below one hundred, as token tuples
    hundreds: frozenset[str]
    scales: dict[str, int]
    connectors: frozenset[str]
    articles: frozenset[str]
    decimal_mark: str
    thousands_mark: str
    phrases: dict[str, list[tuple[tuple[str, ...], _Tags]]]  # first token -> longest first
    range_connectors: frozenset[str]
    range_not_after: frozenset[str]
    toll_links: frozenset[str]
    persons: frozenset[str]
    links: frozenset[str]
    coordinators: frozenset[str]
    stops: frozenset[str]
    not_persons: frozenset[str]
    before_fillers: frozenset[str]
    ages: frozenset[str]
    units_before: frozenset[str]
    year_before: frozenset[str]
    place_prepositions: frozenset[str]
    unit_of: frozenset[str]
    max_word_len: int = field(default=3)


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """Lower case without accents, so "Tués", "tues" and "tués" are one word."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _Tokens:
    """The tokens of a text: folded form, kind and character span."""

    __slots__ = ("end", "kind", "norm", "start")

    def __init__(self, text: str) -> None:
        self.norm: list[str] = []
        self.kind: list[int] = []
        self.start: list[int] = []
        self.end: list[int] = []
        for m in _TOKEN.finditer(text):
            group = m.lastgroup
            raw = m.group()
            if group == "word":
                self.norm.append(_fold(raw))
                self.kind.append(_WORD)
            elif group == "num":
                self.norm.append(raw)
                self.kind.append(_NUM)
            elif group == "time":
                self.norm.append(raw)
                self.kind.append(_OTHER)
            else:
                char = "'" if raw in _APOSTROPHES else "-" if raw in _HYPHENS else raw
                self.norm.append(char)
                self.kind.append(_PUNCT)
            self.start.append(m.start())
            self.end.append(m.end())

    def __len__(self) -> int:
        return len(self.norm)

    def glued(self, i: int) -> bool:
        """Token i touches both neighbours: the hyphen of "vingt-sept", not a dash."""
        return 0 < i < len(self.norm) - 1 and (
            self.end[i - 1] == self.start[i] and self.end[i] == self.start[i + 1]
        )

    def transparent(self, i: int) -> bool:
        """Apostrophes and word-joining hyphens do not count as tokens between two words."""
        word = self.norm[i]
        return self.kind[i] == _PUNCT and (word == "'" or (word == "-" and self.glued(i)))


# --- the data --------------------------------------------------------------------------------


def _split(phrase: str) -> tuple[str, ...]:
    """A phrase of the data as tokens, split and folded like running text."""
    return tuple(_Tokens(phrase).norm)


def _words(items: Iterable[str] | None) -> frozenset[str]:
    """Single-word lists; a multi-word entry adds each of its words."""
    out: set[str] = set()
    for item in items or ():
        out.update(w for w in _split(str(item)) if w not in ("'", "-") or item == w)
    return frozenset(out)


@cache
def lexicon(language: str) -> _Lexicon | None:
    """The language's casualty lexicon, loaded and compiled once per process (None: none)."""
    lang = language.strip().lower().replace("_", "-").split("-")[0]
    path = DATA_DIR / f"numbers_{lang}.yaml"
    if not re.fullmatch(r"[a-z]{2,3}", lang) or not path.is_file():
        return None
    raw: dict[str, Any] = load_yaml(path)
    return _compile(lang, raw)


def _compile(language: str, raw: dict[str, Any]) -> _Lexicon:
    numbers = raw.get("numbers") or {}
    tags: dict[tuple[str, ...], _Tags] = {}

    def tag(phrase: str) -> _Tags:
        key = _split(str(phrase))
        if key not in tags:
            tags[key] = _Tags(length=len(key))
        return tags[key]

    for phrase, value in (raw.get("vague") or {}).items():
        tag(phrase).vague = int(value)
    for qualifier, listed in (raw.get("qualifiers") or {}).items():
        for phrase in listed or ():
            tag(phrase).qualifier = str(qualifier)
    for kind in KINDS:
        for phrase in (raw.get(kind) or {}).get("after") or ():
            tag(phrase).after = kind
        for phrase in (raw.get(kind) or {}).get("before") or ():
            tag(phrase).before = kind
        for phrase in (raw.get("tolls") or {}).get(kind) or ():
            tag(phrase).toll = kind
    zero = raw.get("zero") or {}
    zero_kinds: dict[str, tuple[Kind, ...]] = {
        "killed": ("killed",),
        "injured": ("injured",),
        "both": KINDS,
    }
    for name, kinds in zero_kinds.items():
        for phrase in zero.get(name) or ():
            tag(phrase).zero = kinds
    for phrase in raw.get("incises") or ():
        tag(phrase).incise = True
    for phrase in raw.get("units_after") or ():
        tag(phrase).unit = True
    tags.pop((), None)

    phrases: dict[str, list[tuple[tuple[str, ...], _Tags]]] = {}
    for key, tagged in tags.items():
        phrases.setdefault(key[0], []).append((key, tagged))
    for options in phrases.values():
        options.sort(key=lambda item: -len(item[0]))

    words = {_split(str(w)): int(v) for w, v in (numbers.get("words") or {}).items()}
    words.pop((), None)
    return _Lexicon(
        language=language,
        words=words,
        hundreds=_words(numbers.get("hundreds")),
        scales={_fold(str(w)): int(v) for w, v in (numbers.get("scales") or {}).items()},
        connectors=_words(numbers.get("connectors")),
        articles=_words(numbers.get("articles")),
        decimal_mark=str(numbers.get("decimal_mark", ".")),
        thousands_mark=str(numbers.get("thousands_mark", ",")),
        phrases=phrases,
        range_connectors=_words(raw.get("range_connectors")),
        range_not_after=_words(raw.get("range_not_after")),
        toll_links=_words(raw.get("toll_links")),
        persons=_words(raw.get("persons")),
        links=_words(raw.get("links")),
        coordinators=_words(raw.get("coordinators")),
        stops=_words(raw.get("stops")),
        not_persons=_words(raw.get("not_persons")),
        before_fillers=_words(raw.get("before_fillers")),
        ages=_words(raw.get("ages")),
        units_before=_words(raw.get("units_before")),
        year_before=_words(raw.get("year_before")),
        place_prepositions=_words(raw.get("place_prepositions")),
        unit_of=_words(raw.get("unit_of")),
        max_word_len=max((len(k) for k in words), default=1),
    )


# --- numbers -------------------------------------------------------------------------------


def _digits(raw: str, lex: _Lexicon, scaled: bool) -> Decimal | None:
    """A digit token's value. One mark followed by three digits groups thousands ("6,500",
    "6.500", "6 500") unless it is the language's decimal mark before a scale word ("1,5
    million" in French); a mark followed by other than three digits is a decimal ("1.5")."""
    s = _SPACES.sub("", raw)
    if len(s) > MAX_DIGITS:
        return None
    marks = [c for c in s if c in ".,"]
    try:
        if not marks:
            return Decimal(s)
        parts = re.split(r"[.,]", s)
        if len(set(marks)) == 1:
            grouped = 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])
            if len(parts) == 2 and not (grouped and (marks[0] == lex.thousands_mark or not scaled)):
                return Decimal(parts[0] + "." + parts[1])
            return Decimal("".join(parts)) if grouped else None
        cut = max(s.rfind("."), s.rfind(","))
        groups = re.split(r"[.,]", s[:cut])
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return None
        if s[cut] in s[:cut]:
            return None
        return Decimal("".join(groups) + "." + s[cut + 1 :])
    except InvalidOperation:
        return None


def _number_word(t: _Tokens, i: int, lex: _Lexicon) -> tuple[int, str, int] | None:
    """The number word at token i: (value, class, tokens used); class is unit (< 10), teen,
    tens, hundred, scale or article."""
    if i >= len(t) or t.kind[i] != _WORD:
        return None
    for size in range(min(lex.max_word_len, len(t) - i), 0, -1):
        value = lex.words.get(tuple(t.norm[i : i + size]))
        if value is not None:
            cls = "unit" if value < 10 else "teen" if value < 20 else "tens"
            return value, cls, size
    word = t.norm[i]
    if word in lex.hundreds:
        return 100, "hundred", 1
    if word in lex.scales:
        return lex.scales[word], "scale", 1
    if word in lex.articles:
        return 1, "article", 1
    return None


_FOLLOWS: dict[str | None, frozenset[str]] = {
    None: frozenset({"unit", "teen", "tens", "hundred", "scale", "article"}),
    "article": frozenset({"hundred", "scale"}),
    "unit": frozenset({"hundred", "scale"}),
    "teen": frozenset({"hundred", "scale"}),
    "tens": frozenset({"unit", "teen", "scale"}),
    "hundred": frozenset({"unit", "teen", "tens", "scale"}),
    "scale": frozenset({"unit", "teen", "tens", "hundred"}),
}


def _read_number(t: _Tokens, i: int, lex: _Lexicon) -> tuple[Decimal, int, bool] | None:
    """The number starting at token i: (value, index after it, weak). Weak: a lone article
    ("un", "a"), which counts only beside a person noun or a death word."""
    n = len(t)
    if i >= n:
        return None
    if t.kind[i] == _NUM:
        j = i + 1
        scale = lex.scales.get(t.norm[j]) if j < n and t.kind[j] == _WORD else None
        digits = _digits(t.norm[i], lex, scale is not None)
        if digits is None:
            return None
        if scale is not None:
            return digits * scale, j + 1, False
        if digits != digits.to_integral_value():
            return None
        return digits, j, False
    total = current = 0
    prev: str | None = None
    last_scale = 10**18
    j = end = i
    count = 0
    while j < n:
        k = j
        joined = False
        if prev is not None and t.norm[k] == "-" and t.glued(k):
            k += 1
        elif prev is not None and t.norm[k] in lex.connectors:
            k += 1
            joined = True
        word = _number_word(t, k, lex)
        if word is None:
            break
        value, cls, size = word
        if cls not in _FOLLOWS[prev]:
            break
        if joined and not (
            (prev == "tens" and cls in ("unit", "teen"))
            or (prev in ("hundred", "scale") and value < 100)
        ):
            break
        if cls == "scale":
            if value >= last_scale:
                break
            total += (current or 1) * value
            current = 0
            last_scale = value
        elif cls == "hundred":
            current = (current or 1) * 100
        elif cls == "article":
            current = 1
        else:
            current += value
        prev = cls
        count += 1
        j = end = k + size
    if prev is None:
        return None
    if count == 1 and t.norm[i] in lex.articles:
        return Decimal(1), end, True
    if prev == "article":
        return None
    return Decimal(total + current), end, False


def parse_number(words: str, language: str) -> int | None:
    """The value of a number as written ("6 500", "6,500", "vingt-sept", "twenty-seven",
    "deux cents", "1.5 million", "a dozen", "des dizaines"), vague quantities at their
    conservative value; None if the text is not one number or the language has no data."""
    lex = lexicon(language)
    if lex is None or not isinstance(words, str):
        return None
    t = _Tokens(words)
    if not len(t):
        return None
    tags = _longest(t, 0, lex)
    if tags is not None and tags.vague is not None and tags.length == len(t):
        return tags.vague
    read = _read_number(t, 0, lex)
    if read is None or read[1] != len(t) or (read[2] and (t.norm[0],) not in lex.words):
        return None
    return int(read[0])


def _longest(t: _Tokens, i: int, lex: _Lexicon) -> _Tags | None:
    """The longest phrase of the data starting at token i."""
    options = lex.phrases.get(t.norm[i])
    if not options:
        return None
    n = len(t)
    for key, tags in options:
        size = len(key)
        if i + size <= n and (size == 1 or tuple(t.norm[i : i + size]) == key):
            return tags
    return None


# --- figures and their words ---------------------------------------------------------------


@dataclass(slots=True)
class _Figure:
    first: int  # first token (qualifier included)
    last: int  # index after the last token
    value: int
    exact: bool
    weak: bool  # a lone article
    start: int
    end: int


_REJECT = -1


class _Sentence:
    """One search over one text: tokens, phrase matches, figures, and the three shapes."""

    def __init__(self, text: str, lex: _Lexicon) -> None:
        self.text = text
        self.lex = lex
        t = self.t = _Tokens(text)
        n = len(t)
        self.match: list[_Tags | None] = [_longest(t, i, lex) for i in range(n)]
        self.ends: dict[int, list[_Tags]] = {}
        for i, tags in enumerate(self.match):
            if tags is not None and (tags.before or tags.toll):
                self.ends.setdefault(i + tags.length - 1, []).append(tags)
        self.blocked = [False] * n  # inside a "no casualties" phrase
        self.skip = [False] * n  # a rejected number and its unit ("45 ans", "13 septembre")
        self.figures: list[_Figure] = []
        self.fig_at: dict[int, _Figure] = {}
        self.fig_end: dict[int, _Figure] = {}
        self.used: set[int] = set()  # first tokens of figures already reported
        self.found: list[Casualty] = []

    # -- reading --

    def run(self) -> list[Casualty]:
        t, n = self.t, len(self.t)
        for i, tags in enumerate(self.match):
            if tags is not None and tags.zero and not self.blocked[i]:
                end = i + tags.length
                for kind in tags.zero:
                    self.found.append(Casualty(kind, 0, t.start[i], t.end[end - 1], True))
                for k in range(i, end):
                    self.blocked[k] = True
        i = 0
        while i < n:
            if self.blocked[i] or self.skip[i]:
                i += 1
                continue
            read = self._figure_at(i)
            if isinstance(read, _Figure):
                self.figures.append(read)
                self.fig_at[read.first] = read
                self.fig_end[read.last - 1] = read
                i = read.last
            elif read > i:
                for k in range(i, read):
                    self.skip[k] = True
                i = read
            else:
                i += 1
        for f in self.figures:
            if f.first in self.used:
                continue
            self._link(f)
        return sorted(set(self.found), key=lambda c: (c.start, c.end, KINDS.index(c.kind)))

    def _figure_at(self, i: int) -> _Figure | int:
        """The figure starting at token i, or the index after a rejected number (a date, an
        age, money...) whose tokens are then skipped, or i itself: nothing here."""
        t, lex, n = self.t, self.lex, len(self.t)
        qualifier: str | None = None
        j = i
        tags = self.match[i]
        if tags is not None and tags.qualifier is not None:
            qualifier = tags.qualifier
            j = i + tags.length
        if j >= n or self.blocked[j]:
            return i
        tags = self.match[j]
        weak = False
        if tags is not None and tags.vague is not None:
            value, end, exact = tags.vague, j + tags.length, False
            if self._rejected(j, end, value):
                return i
        else:
            read = _read_number(t, j, lex)
            if read is None:
                return i
            number, end, weak = read
            value = int(number)
            exact = qualifier in (None, "exact")
            if qualifier is not None:
                weak = False
            end, ranged = self._range(j, end, qualifier)
            exact = exact and not ranged
            bad = self._rejected(j, end, value)
            if bad:
                return max(bad, j + 1) if qualifier is None else i
        return _Figure(i, end, value, exact, weak, t.start[i], t.end[end - 1])

    def _range(self, j: int, end: int, qualifier: str | None) -> tuple[int, bool]:
        """ "5 à 10", "10-15", "five or six", "between 10 and 15": the range ends later and
        keeps its first (lower) figure."""
        t, lex, n = self.t, self.lex, len(self.t)
        if end >= n or (j > 0 and t.norm[j - 1] in lex.range_not_after):
            return end, False
        word = t.norm[end]
        if word in lex.range_connectors or (qualifier == "range" and word in lex.coordinators):
            second = _read_number(t, end + 1, lex)
            if second is not None and not second[2]:
                return second[1], True
        return end, False

    def _rejected(self, j: int, end: int, value: int) -> int:
        """0 for a head count; else the index after the tokens of a date, time, age, amount or
        measure: "13 septembre", "in 2019", "21-year-old", "$5 million", "40 %", "F-16"."""
        t, lex, n = self.t, self.lex, len(self.t)
        text = self.text
        s, e = t.start[j], t.end[end - 1]
        if t.kind[j] == _NUM:
            before = text[s - 1] if s > 0 else " "
            if (
                before.isalnum()
                or before in "/:#"
                or (before in "-." and s > 1 and text[s - 2].isalnum())
            ):
                return end
            after = text[e] if e < len(text) else " "
            if after.isalnum() or (after in "/:" and text[e + 1 : e + 2].isdigit()):
                return end
        prev = j - 1
        if prev >= 0 and t.norm[prev] in lex.units_before:
            return end
        k = end
        if k < n and t.norm[k] == "-" and t.glued(k):
            # "21-year-old", "two-day", "5-member": a compound adjective, not a head count
            k += 1
            while k < n and (t.norm[k] in lex.ages or t.transparent(k)):
                k += 1
            return max(k, end + 1)
        if k < n and t.norm[k] in lex.ages:
            while k < n and (t.norm[k] in lex.ages or t.transparent(k)):
                k += 1
            return k
        at = self._next(k + 1) if k < n and t.norm[k] in lex.unit_of else k
        for cand in (k, at):
            tags = self.match[cand] if cand < n else None
            if tags is not None and tags.unit:
                return cand + tags.length
        if (
            t.kind[j] == _NUM
            and end - j == 1
            and len(t.norm[j]) == 4
            and 1900 <= value <= 2100
            and prev >= 0
            and t.norm[prev] in lex.year_before
            and not (end < n and (t.norm[end] in lex.persons or self._cue_after_at(end)))
        ):
            return end
        return 0

    def _cue_after_at(self, i: int) -> bool:
        tags = self.match[i]
        return tags is not None and tags.after is not None

    # -- linking --

    def _next(self, i: int) -> int:
        """The first token at or after i that is not an apostrophe or a joining hyphen."""
        t, n = self.t, len(self.t)
        while i < n and t.transparent(i):
            i += 1
        return i

    def _prev(self, i: int) -> int:
        t = self.t
        while i >= 0 and t.transparent(i):
            i -= 1
        return i

    def _link(self, f: _Figure) -> None:
        kind = self._before(f)
        if kind is not None:
            self._emit(kind, self._coordinated(f))
            return
        forward = self._after(f)
        if forward is not None:
            self._emit(*forward)
            return
        kind = self._toll(f)
        if kind is not None:
            self._emit(kind, [f])

    def _emit(self, kind: Kind, group: list[_Figure]) -> None:
        for g in group:
            self.used.add(g.first)
        self.found.append(
            Casualty(
                kind=kind,
                count=sum(g.value for g in group),
                start=group[0].start,
                end=group[-1].end,
                exact=all(g.exact for g in group),
            )
        )

    def _before(self, f: _Figure) -> Kind | None:
        """An active verb right before the figure: "tuant 12 soldats", "killing 12"."""
        t, lex = self.t, self.lex
        k = self._prev(f.first - 1)
        fillers = 0
        while k >= 0 and t.norm[k] in lex.before_fillers and fillers < 2:
            k = self._prev(k - 1)
            fillers += 1
        if k < 0:
            return None
        kind = next((tags.before for tags in self.ends.get(k, ()) if tags.before), None)
        if kind is None:
            return None
        i = self._next(f.last)
        n = len(t)
        if i < n and t.norm[i] in lex.not_persons:
            return None
        if f.weak:
            # "killing a soldier", not "killing a number of" nor "killed an hour later"
            if i < n and t.norm[i] not in lex.persons:
                i = self._next(i + 1)
            if i >= n or t.norm[i] not in lex.persons:
                return None
        return kind

    def _noun_phrase_end(self, i: int) -> int:
        """After the person nouns of a counted noun phrase (an adjective before a noun too)."""
        t, lex, n = self.t, self.lex, len(self.t)
        i = self._next(i)
        while i < n:
            word = t.norm[i]
            if word in lex.persons:
                i = self._next(i + 1)
                continue
            nxt = self._next(i + 1)
            if (
                t.kind[i] == _WORD
                and nxt < n
                and t.norm[nxt] in lex.persons
                and word not in lex.stops
            ):
                i = nxt
                continue
            break
        return i

    def _coordinated(self, f: _Figure) -> list[_Figure]:
        """Figures listed after an active verb's own: "killing three soldiers and two
        civilians" is 5, unless the next has its own word ("and two were injured")."""
        t, lex, n = self.t, self.lex, len(self.t)
        group = [f]
        while True:
            i = self._noun_phrase_end(group[-1].last)
            if i >= n or not (t.norm[i] in lex.coordinators or t.norm[i] == ","):
                break
            g = self.fig_at.get(self._next(i + 1))
            if g is None or g.first in self.used or self._after(g) is not None:
                break
            e = self._noun_phrase_end(g.last)
            if e < n and not (
                t.kind[e] == _PUNCT
                or t.norm[e] in lex.coordinators
                or t.norm[e] in lex.stops
                or t.norm[e] in lex.place_prepositions
            ):
                break
            if e < n and t.norm[e] in lex.not_persons:
                break
            group.append(g)
        return group

    def _after(self, f: _Figure) -> tuple[Kind, list[_Figure]] | None:
        """A death or injury word after the figure: "5 morts", "20 were killed", "deux
        militaires tués", "two soldiers and three civilians were killed" (added up)."""
        t, lex, n = self.t, self.lex, len(self.t)
        group = [f]
        i = f.last
        unknown = steps = 0
        person = False  # a person noun since the last figure
        ends_noun_phrase = True  # the last token can end a noun phrase: a list may go on
        joined = False  # a coordinator was just read before a figure
        listed = False  # a comma joined the last figure: the list must close with "and"
        while i < n and steps < WINDOW:
            if t.transparent(i):
                i += 1
                continue
            if self.blocked[i]:
                return None
            steps += 1
            if self.skip[i]:
                unknown += 1
                while i < n and self.skip[i]:
                    i += 1
                if unknown > UNKNOWN:
                    return None
                ends_noun_phrase = False
                continue
            tags = self.match[i]
            if tags is not None and tags.after is not None:
                end = i + tags.length
                nxt = self._next(end)
                adjective = nxt < n and t.norm[nxt] in lex.persons
                if f.weak and adjective and steps == 1:
                    # "a wounded soldier died": the word describes the noun that follows
                    unknown += 1
                    i = end
                    ends_noun_phrase = False
                    continue
                if f.weak and not person and steps > 1:
                    return None
                if tags.before is not None and self._figure_follows(end):
                    return None  # active: "a soldier killed three civilians"
                if listed:
                    return None  # "of the 20 passengers, 3 were killed": not a list
                return tags.after, group
            g = self.fig_at.get(i)
            if g is not None:
                if joined and g.first not in self.used:
                    group.append(g)
                    i = g.last
                    person = False
                    ends_noun_phrase = True
                    joined = False
                    continue
                return None
            word = t.norm[i]
            if word in lex.coordinators or word == ",":
                nxt = self._next(i + 1)
                if nxt < n and nxt in self.fig_at and ends_noun_phrase:
                    joined = True
                    listed = word == ","
                    i = nxt
                    continue
                if word == ",":
                    tags = self.match[nxt] if nxt < n else None
                    if tags is not None and tags.incise:
                        close = self._close_incise(nxt)
                        if close is None:
                            return None
                        i = close + 1
                        continue
                    return None
                after = self.match[nxt] if nxt < n else None
                if not ends_noun_phrase and after is not None and after.after is not None:
                    i = nxt  # "were shot and killed"
                    continue
                return None
            if t.kind[i] in (_PUNCT, _NUM, _OTHER):
                return None
            if word in lex.stops or word in lex.not_persons:
                return None
            if word in lex.persons:
                person = True
                ends_noun_phrase = True
            elif word in lex.links:
                ends_noun_phrase = False
            else:
                unknown += 1
                ends_noun_phrase = False
                if unknown > UNKNOWN or (f.weak and unknown > 1):
                    return None
            i += 1
        return None

    def _figure_follows(self, i: int) -> bool:
        """A figure right after token i (an active verb's object)."""
        t, lex, n = self.t, self.lex, len(self.t)
        i = self._next(i)
        fillers = 0
        while i < n and t.norm[i] in lex.before_fillers and fillers < 2:
            i = self._next(i + 1)
            fillers += 1
        return i in self.fig_at

    def _close_incise(self, i: int) -> int | None:
        """The comma that closes an aside opened at token i, if near."""
        t = self.t
        for k in range(i, min(len(t), i + INCISE)):
            if t.kind[k] == _PUNCT and t.norm[k] == ",":
                return k
            if t.kind[k] == _PUNCT and t.norm[k] in '.;:!?()[]«»"“”':
                return None
        return None

    def _toll(self, f: _Figure) -> Kind | None:
        """A toll noun before the figure: "death toll rose to 176", "le bilan s'élève à 30"."""
        t, lex = self.t, self.lex
        k = f.first - 1
        unknown = steps = 0
        skipped = False
        i = self._next(f.last)
        if i < len(t) and t.norm[i] in lex.not_persons:
            return None
        while k >= 0 and steps < TOLL_WINDOW:
            if t.transparent(k):
                k -= 1
                continue
            kind = next((tags.toll for tags in self.ends.get(k, ()) if tags.toll), None)
            if kind is not None:
                return kind
            steps += 1
            g = self.fig_end.get(k)
            word = t.norm[k]
            if g is not None and not skipped:
                skipped = True  # "rose from 12 to 20": the earlier toll
                k = g.first - 1
                continue
            if word in lex.toll_links:
                pass
            elif t.kind[k] == _WORD and not self.blocked[k]:
                unknown += 1
                if unknown > UNKNOWN:
                    return None
            else:
                return None
            k -= 1
        return None


def find_casualties(text: str, language: str) -> list[Casualty]:
    """Death and injury figures in one sentence, in text order; [] for a language without
    data. Several figures of one kind (revised tolls) are all returned: take the smallest."""
    lex = lexicon(language) if isinstance(language, str) else None
    if lex is None or not isinstance(text, str) or not text:
        return []
    return _Sentence(text, lex).run()
