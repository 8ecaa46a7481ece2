"""Turning a scraped text into the article's paragraphs, and recording what was dropped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from sitrep.clean import boilerplate, wikitext
from sitrep.clean.text import key, normalise_space, remap, repair
from sitrep.model import OffsetSegment, Removed

PARAGRAPH_SEP = "\n\n"
_ENDS_SENTENCE = re.compile(r"[.!?…:;»\"”)\]]$")
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
    def ends(self) -> tuple[str, str]:
        """First and last three words: what a truncated copy keeps of the whole."""
        words = self.key.split()
        return "^" + " ".join(words[:3]), " ".join(words[-3:]) + "$"

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
            and not _ENDS_SENTENCE.search(prev.text)
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


def clean(raw: str, title: str | None = None) -> Cleaned:
    """Paragraphs of the article, in order, each once and complete; the rest, with reasons."""
    units, markup = split_units(raw, wikitext.looks_like_wikitext(raw))
    removed: list[tuple[int, Removed]] = []  # (unit index, record), sorted at the end

    title_unit: Unit | None = None
    if units and title and units[0].key == key(title):
        title_unit = units[0]
    protected = {0} if title_unit else set()

    # 1. boilerplate lines
    alive: list[int] = []
    repeated_lines = boilerplate.repeated_short_lines([u.text for u in units], protected)
    for i, unit in enumerate(units):
        if i in protected:
            continue
        reason = boilerplate.line_rule(unit.text)
        if reason is None and i in repeated_lines:
            reason = "site_name"
        if reason is None and not unit.key:
            reason = "markup" if wikitext.looks_like_wikitext(raw) else "punctuation"
        if reason:
            removed.append((i, _drop(unit, reason)))
        else:
            alive.append(i)

    # 2. repeats and truncated fragments, keeping the first position of each paragraph
    kept: list[Unit] = [title_unit] if title_unit else []
    kept_index: list[int] = [0] if title_unit else []
    by_key: dict[str, int] = {u.key: n for n, u in enumerate(kept)}
    # a piece shares its first (or last) words with the paragraph it was cut from
    ends: dict[str, set[int]] = {}

    def index(n: int, unit: Unit, add: bool = True) -> None:
        for end in unit.ends:
            (ends.setdefault(end, set()).add if add else ends[end].discard)(n)

    near_ok = len(alive) <= NEAR_MAX_PARAGRAPHS
    repeat_of: dict[int, int] = {}  # unit index -> kept position it repeats
    for i in alive:
        unit = units[i]
        k = unit.key
        if k in by_key:
            repeat_of[i] = by_key[k]
            removed.append((i, _drop(unit, "repeated", f"line {kept[by_key[k]].line}")))
            continue
        verdict: tuple[str, int] | None = None
        for n in sorted(set().union(*(ends.get(end, ()) for end in unit.ends))):
            other = kept[n]
            if _piece_of(k, other.key):
                verdict = ("truncated" if other.key.startswith(k) else "fragment", n)
                break
            if other is not title_unit and _piece_of(other.key, k):
                verdict = ("completes", n)
                break
        if verdict is None and near_ok:
            verdict = next(
                (("near_repeated", n) for n, o in enumerate(kept) if _near(unit, o)), None
            )
        if verdict is None:
            by_key[k] = len(kept)
            index(len(kept), unit)
            kept.append(unit)
            kept_index.append(i)
            continue
        reason, n = verdict
        if reason == "completes":
            # the complete paragraph takes the place of its earlier truncated copy
            stale = kept[n]
            what = "truncated" if k.startswith(stale.key) else "fragment"
            removed.append((kept_index[n], _drop(stale, what, f"completed by line {unit.line}")))
            del by_key[stale.key]
            index(n, stale, add=False)
            kept[n] = unit
            by_key[k] = n
            index(n, unit)
        else:
            repeat_of[i] = n
            removed.append((i, _drop(unit, reason, f"line {kept[n].line}")))

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
        run = [i] if i in repeat_of else []

    paragraphs = [u for u in kept if u is not title_unit]
    pieces: list[tuple[str, list[int] | None]] = []
    if title_unit is not None:
        pieces.append((title_unit.text, title_unit.offsets))
    elif title:
        pieces.append((" ".join(title.split()), None))  # from metadata: no raw offsets
    pieces.extend((u.text, u.offsets) for u in paragraphs)
    clean_text, segments = _assemble(pieces)
    dropped = sorted([*records.values(), *markup], key=lambda r: r.raw_start)
    return Cleaned(
        title=pieces[0][0] if (title_unit or title) else None,
        paragraphs=[u.text for u in paragraphs],
        clean_text=clean_text,
        removed=dropped,
        offset_map=segments,
        stats={"units": len(units) + len(markup), "removed": len(dropped), "kept": len(paragraphs)},
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
