"""Turning a scraped text into the article's paragraphs, and recording what was dropped."""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sitrep.clean import boilerplate, wikitext
from sitrep.clean.text import ENDS_SENTENCE, key, normalise_space, remap, repair
from sitrep.model import OffsetSegment, Removed

PARAGRAPH_SEP = "\n\n"
_STARTS_LOWER = re.compile(r"^[a-zà-ÿ]")
MIN_FRAGMENT = 20  # shorter pieces are too common to call a truncated copy of something
LONG_FRAGMENT = 80  # a piece this long that opens or ends a paragraph is a cut copy of it
NEAR_WORDS = 0.8  # Jaccard of word sets: a re-scraped copy with small differences...
NEAR_RATIO = 0.85  # ...and its words in nearly the same order
NEAR_MIN_CHARS = 50
NEAR_MAX_PARAGRAPHS = 600  # above this, no near-repeat test (it compares every pair)


@dataclass
class Unit:
    """One paragraph candidate: its text, the raw offset of each character, its raw line."""

    text: str
    offsets: list[int]
    line: int
    key: str = ""
    _words: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self.key = key(self.text)

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = frozenset(self.key.split())
        return self._words

    @property
    def raw_start(self) -> int:
        return self.offsets[0] if self.offsets else 0

    @property
    def raw_end(self) -> int:
        return self.offsets[-1] + 1 if self.offsets else 0


@dataclass
class Cleaned:
    title: str | None
    paragraphs: list[str]
    clean_text: str
    removed: list[Removed]
    offset_map: list[OffsetSegment]
    stats: dict[str, int] = field(default_factory=dict)


def split_units(raw: str, wiki: bool) -> tuple[list[Unit], list[Removed]]:
    """Lines of the raw text, repaired and normalised, with hard-wrapped lines rejoined.

    A single newline separates paragraphs in most scraped text; a line that stops mid-sentence
    and continues in lower case on the next line is one paragraph wrapped at a fixed width.
    """
    units: list[Unit] = []
    markup: list[Removed] = []  # lines that were nothing but markup
    pos = 0
    previous_blank = True
    for lineno, line in enumerate(raw.split("\n"), start=1):
        start = pos
        pos += len(line) + 1
        text, offs = line, list(range(start, start + len(line)))
        if text.endswith("\r"):
            text, offs = text[:-1], offs[:-1]
        text, offs = repair(text, offs)
        if wiki:
            new = wikitext.unwiki(text)
            if text.strip() and not new.strip():
                markup.append(Removed("markup", text.strip(), start, start + len(line), lineno))
            text, offs = new, remap(text, offs, new)
        text, offs = normalise_space(text, offs)
        if not text:
            previous_blank = True
            continue
        prev = units[-1] if units else None
        if (
            prev is not None
            and not previous_blank
            and not ENDS_SENTENCE.search(prev.text)
            and _STARTS_LOWER.match(text)
            and boilerplate.line_rule(prev.text) is None
        ):
            units[-1] = Unit(prev.text + " " + text, [*prev.offsets, start - 1, *offs], prev.line)
        else:
            units.append(Unit(text, offs, lineno))
        previous_blank = False
    return units, markup


def _piece_of(part: str, whole: str) -> bool:
    """Is `part` a cut-off start or end of `whole`?

    A long piece is always a cut. A short one only when the cut falls inside a word
    ("… sont profondéme"): a short line that ends where a word ends is as likely a caption or
    an attribution ("— the mayor of London") that happens to open a later paragraph.
    """
    if len(part) < MIN_FRAGMENT or len(part) >= len(whole):
        return False
    if whole.startswith(part):
        return len(part) >= LONG_FRAGMENT or whole[len(part)] != " "
    if whole.endswith(part):
        return len(part) >= LONG_FRAGMENT or whole[-len(part) - 1] != " "
    return False


def _near(a: Unit, b: Unit) -> bool:
    """Two versions of one paragraph: nearly the same words, in nearly the same order."""
    if min(len(a.key), len(b.key)) < NEAR_MIN_CHARS or not 0.8 <= len(a.key) / len(b.key) <= 1.25:
        return False
    wa, wb = a.words, b.words
    if len(wa & wb) < NEAR_WORDS * len(wa | wb):  # cheap: most pairs stop here
        return False
    matcher = SequenceMatcher(None, a.key.split(), b.key.split(), autojunk=False)
    return matcher.ratio() >= NEAR_RATIO


def _drop(unit: Unit, reason: str, detail: str = "") -> Removed:
    return Removed(reason, unit.text, unit.raw_start, unit.raw_end, unit.line, detail)


class Kept:
    """The paragraphs kept so far, indexed so that finding a cut-off copy stays cheap.

    A truncated piece is a prefix of its whole: with the keys sorted, every key that starts with
    the piece sits right after the piece's own position (`bisect`). A tail fragment is a prefix
    of the whole read backwards. The other way round (a kept piece that a new paragraph
    completes), the piece is the new key cut at one of the lengths kept keys have.
    """

    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.index: list[int] = []  # unit index in the article of each kept paragraph
        self.place: list[int] = []  # where it stands in the clean text
        self.by_key: dict[str, int] = {}
        self.forward: list[str] = []  # sorted keys
        self.backward: list[str] = []  # sorted reversed keys
        self.lengths: Counter[int] = Counter()

    def add(self, unit: Unit, i: int, at: int | None = None) -> None:
        if at is None:
            at = len(self.units)
            self.units.append(unit)
            self.index.append(i)
            self.place.append(i)  # a completing paragraph later takes this same place
        else:
            self.forget(self.units[at])
            self.units[at], self.index[at] = unit, i
        self.by_key[unit.key] = at
        insort(self.forward, unit.key)
        insort(self.backward, unit.key[::-1])
        self.lengths[len(unit.key)] += 1

    def forget(self, unit: Unit) -> None:
        del self.by_key[unit.key]
        self.forward.pop(bisect_left(self.forward, unit.key))
        self.backward.pop(bisect_left(self.backward, unit.key[::-1]))
        self.lengths[len(unit.key)] -= 1

    def whole_of(self, k: str) -> tuple[str, int] | None:
        """A kept paragraph that `k` is a cut-off start (truncated) or end (fragment) of."""
        if len(k) < MIN_FRAGMENT:
            return None
        found = []
        for keys, probe, reason in (
            (self.forward, k, "truncated"),
            (self.backward, k[::-1], "fragment"),
        ):
            at = bisect_left(keys, probe)
            for other in keys[at : at + 16]:  # the first few are enough: same start
                if not other.startswith(probe):
                    break
                whole = other if reason == "truncated" else other[::-1]
                if _piece_of(k, whole):
                    found.append((self.by_key[whole], reason))
        return min(((reason, n) for n, reason in found), key=lambda v: v[1], default=None)

    def piece_of(self, k: str, title: Unit | None) -> int | None:
        """A kept paragraph that is a cut-off start or end of `k` (which then completes it)."""
        hits = []
        for length in self.lengths:
            if MIN_FRAGMENT <= length < len(k) and self.lengths[length]:
                for part in (k[:length], k[-length:]):
                    n = self.by_key.get(part)
                    if n is not None and self.units[n] is not title and _piece_of(part, k):
                        hits.append(n)
        return min(hits, default=None)


def _line_text(text: str, wiki: bool) -> str:
    """A metadata line (a title) normalised like the text's own lines, for comparison."""
    offs = list(range(len(text)))
    text, offs = repair(text, offs)
    if wiki:
        text = wikitext.unwiki(text)
        offs = list(range(len(text)))
    return normalise_space(text, offs)[0]


def clean(raw: str, title: str | None = None) -> Cleaned:
    """Paragraphs of the article, in order, each once and complete; the rest, with reasons."""
    wiki = wikitext.looks_like_wikitext(raw)
    units, markup = split_units(raw, wiki)
    removed: list[tuple[int, Removed]] = []  # (unit index, record), sorted at the end

    title = _line_text(title, wiki) if title else None
    title_unit: Unit | None = None
    if units and title and units[0].key == key(title):
        title_unit = units[0]
    protected = {0} if title_unit else set()

    # 1. boilerplate lines
    rules = boilerplate.line_rules([u.text for u in units])
    site_names = boilerplate.repeated_short_lines([u.text for u in units], protected, rules)
    alive: list[int] = []
    for i, unit in enumerate(units):
        if i in protected:
            continue
        reason = rules[i] or ("site_name" if i in site_names else None)
        if reason is None and not unit.key:
            reason = "markup" if wiki else "punctuation"
        if reason:
            removed.append((i, _drop(unit, reason)))
        else:
            alive.append(i)

    # 2. repeats and truncated fragments, keeping the first position of each paragraph
    kept = Kept()
    if title_unit:
        kept.add(title_unit, 0)
    near_ok = len(alive) <= NEAR_MAX_PARAGRAPHS
    repeat_of: dict[int, int] = {}  # unit index -> kept position it repeats
    short_repeats: set[int] = set()  # a speaker label, a subheading: repeats only in a copy
    for i in alive:
        unit = units[i]
        k = unit.key
        n: int | None = kept.by_key.get(k)
        if n is not None:
            repeat_of[i] = n
            removed.append((i, _drop(unit, "repeated", f"line {kept.units[n].line}")))
            if boilerplate.is_short_line(unit.text):
                short_repeats.add(i)
            continue
        verdict = kept.whole_of(k)
        if verdict is None:
            n = kept.piece_of(k, title_unit)
            if n is not None:  # the complete paragraph takes its truncated copy's place
                stale = kept.units[n]
                what = "truncated" if k.startswith(stale.key) else "fragment"
                detail = f"completed by line {unit.line}"
                removed.append((kept.index[n], _drop(stale, what, detail)))
                kept.add(unit, i, at=n)
                continue
        if verdict is None and near_ok:
            verdict = next(
                (("near_repeated", n) for n, o in enumerate(kept.units) if _near(unit, o)), None
            )
        if verdict is None:
            kept.add(unit, i)
            continue
        reason, n = verdict
        repeat_of[i] = n
        removed.append((i, _drop(unit, reason, f"line {kept.units[n].line}")))

    # a run of three or more repeats, in the original's order, is a second copy of the article
    records = dict(removed)
    run: list[int] = []
    for i in [*alive, -1]:  # -1 closes the last run
        if i in repeat_of and (not run or repeat_of[i] > repeat_of[run[-1]]):
            run.append(i)
            continue
        if len(run) >= 3:
            for j in run:
                r = records[j]
                records[j] = Removed(
                    "repeated_copy", r.text, r.raw_start, r.raw_end, r.line, r.detail
                )
                short_repeats.discard(j)
        run = [i] if i in repeat_of else []
    # outside a second copy, a short line said again is content (an interview's speaker labels)
    for i in short_repeats:
        del records[i]
    placed = [*zip(kept.place, kept.units, strict=True), *((i, units[i]) for i in short_repeats)]
    paragraphs = [u for _, u in sorted(placed, key=lambda p: p[0]) if u is not title_unit]
    pieces: list[tuple[str, list[int] | None]] = []
    if title_unit is not None:
        pieces.append((title_unit.text, title_unit.offsets))
    elif title:
        pieces.append((title, None))  # from metadata: no raw offsets
    pieces.extend((u.text, u.offsets) for u in paragraphs)
    clean_text, segments = _assemble(pieces)
    dropped = sorted([*records.values(), *markup], key=lambda r: r.raw_start)
    body = len(units) + len(markup) - (1 if title_unit else 0)
    return Cleaned(
        title=pieces[0][0] if title else None,
        paragraphs=[u.text for u in paragraphs],
        clean_text=clean_text,
        removed=dropped,
        offset_map=segments,
        stats={"lines": body, "removed": len(dropped), "kept": len(paragraphs)},
    )


def _assemble(pieces: list[tuple[str, list[int] | None]]) -> tuple[str, list[OffsetSegment]]:
    """Join paragraphs and compress per-character offsets into contiguous segments."""
    segments: list[OffsetSegment] = []
    pos = 0
    for n, (text, offs) in enumerate(pieces):
        if n:
            pos += len(PARAGRAPH_SEP)
        if offs:
            seg_start = 0
            for j in range(1, len(offs) + 1):
                if j == len(offs) or offs[j] != offs[j - 1] + 1:
                    segments.append(
                        OffsetSegment(pos + seg_start, pos + j, offs[seg_start], offs[j - 1] + 1)
                    )
                    seg_start = j
        pos += len(text)
    return PARAGRAPH_SEP.join(text for text, _ in pieces), segments
