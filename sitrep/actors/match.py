"""Finding actor mentions in a text: one pass over its words through the alias trie.

Words are compared normalised (case, accents and apostrophe styles ignored; articles dropped;
"d'", "du", "des" read as "de"), but every mention keeps the exact span of the text it came from.
At each word the longest alias that passes its checks wins. A title followed by a name ("le
Premier ministre arménien Nikol Pashinyan") is one mention of that person; a title alone is its
holder at the publication date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sitrep.actors.dictionary import (
    END,
    TOKEN,
    Actor,
    ActorDictionary,
    Alias,
    LanguageIndex,
    Rule,
    default_dictionary,
)
from sitrep.model import ActorMention

# What may separate two words of one alias: spaces, apostrophes, hyphens ("Corée du Nord",
# "Russia’s army", "pro-russes"). Anything else (a comma, a full stop, a bracket, a new line)
# ends the alias. A full stop after a single letter is an abbreviation ("U.S.").
_SOFT_GAP = re.compile(r"[ \t\u00a0\u202f'’ʼ‘`´\-‐‑]*")
_HYPHEN = re.compile(r"[ \u00a0]*[-‐‑][ \u00a0]*")
_TITLE_GAP = re.compile(r"[\s,]*")


@dataclass(slots=True)
class Words:
    """The words of one text with what matching needs to know about each."""

    text: str
    starts: list[int]
    ends: list[int]
    raw: list[str]
    norm: list[str]
    hard: list[bool]  # a hard break (punctuation, new line) before this word
    kept: list[int]  # indexes of the words that are not articles
    kept_hard: list[bool]  # for each kept word: a hard break since the previous kept word
    skip: frozenset[str]
    not_names: frozenset[str]
    as_name: set[int] = field(default_factory=set)  # aliases seen inside a name ("Michael Jordan")
    _joined: str | None = None
    _lower: set[str] | None = None

    @classmethod
    def of(cls, text: str, idx: LanguageIndex) -> Words:
        starts: list[int] = []
        ends: list[int] = []
        raw: list[str] = []
        for m in TOKEN.finditer(text):
            starts.append(m.start())
            ends.append(m.end())
            raw.append(m.group())
        norm = [idx.norm(w) for w in raw]
        hard = [True] * len(raw)
        for i in range(1, len(raw)):
            gap = text[ends[i - 1] : starts[i]]
            if gap.startswith(".") and len(raw[i - 1]) == 1:
                gap = gap[1:]  # "U.S. forces"
            if _SOFT_GAP.fullmatch(gap):
                hard[i] = False
        kept: list[int] = []
        kept_hard: list[bool] = []
        pending = True
        for i, n in enumerate(norm):
            pending = pending or hard[i]
            if n in idx.skip:
                continue
            kept.append(i)
            kept_hard.append(pending)
            pending = False
        not_names = idx.not_names | idx.skip
        return cls(text, starts, ends, raw, norm, hard, kept, kept_hard, idx.skip, not_names)

    def lower(self) -> set[str]:
        """The words the article writes in lower case (built on first use)."""
        if self._lower is None:
            self._lower = {w for w in self.raw if w.islower()}
        return self._lower

    def joined(self) -> str:
        """The whole text as " word word ... " for phrase look-ups (built on first use)."""
        if self._joined is None:
            self._joined = " " + " ".join(self.norm) + " "
        return self._joined

    def preceding(self, i: int, n: int) -> list[str]:
        """Up to n words before word i, articles left out (as the phrases of rules are)."""
        out: list[str] = []
        i -= 1
        while i >= 0 and len(out) < n:
            if self.norm[i] not in self.skip:
                out.append(self.norm[i])
            i -= 1
        return out[::-1]

    def following(self, j: int, n: int) -> list[str]:
        out: list[str] = []
        j += 1
        while j < len(self.norm) and len(out) < n:
            if self.norm[j] not in self.skip:
                out.append(self.norm[j])
            j += 1
        return out

    def before(self, i: int, phrase: tuple[str, ...]) -> bool:
        return tuple(self.preceding(i, len(phrase))) == phrase

    def after(self, j: int, phrase: tuple[str, ...]) -> bool:
        return tuple(self.following(j, len(phrase))) == phrase

    def capitalised(self, i: int) -> bool:
        return self.raw[i][:1].isupper()

    def sentence_start(self, i: int) -> bool:
        return i == 0 or self.hard[i]


@dataclass(slots=True)
class Hit:
    first: int  # word indexes, inclusive
    last: int
    alias: Alias
    former: bool = False


def find_actors(
    text: str,
    language: str,
    published: date | None = None,
    dictionary: ActorDictionary | None = None,
) -> list[ActorMention]:
    """Every actor mention of `text` in `language`, in text order (none for other languages)."""
    d = dictionary or default_dictionary()
    idx = d.indexes.get(language)
    if idx is None or not text:
        return []
    if isinstance(published, datetime):
        published = published.date()  # terms of office are dates; the two do not compare
    words = Words.of(text, idx)
    hits = _scan(words, idx)
    return _resolve(words, hits, d, published)


def _scan(words: Words, idx: LanguageIndex) -> list[Hit]:
    """Longest alias at each word, left to right, that passes its checks."""
    hits: list[Hit] = []
    kept, norm, kept_hard = words.kept, words.norm, words.kept_hard
    trie = idx.trie
    k, n = 0, len(kept)
    while k < n:
        node: dict[str, Any] | None = trie.get(norm[kept[k]])
        if node is None:
            k += 1
            continue
        found: list[tuple[int, Alias]] = []
        j = k
        while node is not None:
            alias = node.get(END)
            if alias is not None:
                found.append((j, alias))
            j += 1
            if j >= n or kept_hard[j]:
                break
            node = node.get(norm[kept[j]])
        accepted = None
        for j_end, alias in reversed(found):
            if _passes(words, idx, kept[k], kept[j_end], k, alias):
                accepted = Hit(kept[k], kept[j_end], alias)
                break
        if accepted is None:
            k += 1
            continue
        accepted.former = _former(words, idx, accepted.first)
        hits.append(accepted)
        k = j_end + 1
    if words.as_name:  # a name seen inside a person's name is that person all along the article
        hits = [h for h in hits if id(h.alias) not in words.as_name]
    return hits


def _passes(words: Words, idx: LanguageIndex, first: int, last: int, k: int, alias: Alias) -> bool:
    """Whether this match of the alias is the actor: case, context, ambiguity rules."""
    if alias.cap and not words.capitalised(first):
        return False
    for offset, spelling in alias.exact:
        if words.raw[words.kept[k + offset]] != spelling:
            return False
    if alias.exact and _shouted(words, first, last):
        return False  # "THE USA IS GREAT": capitals everywhere tell nothing
    # "pro-russes", "anti-Assad": the word is part of another one
    if (
        first > 0
        and words.norm[first - 1] in idx.hyphen_prefixes
        and _HYPHEN.fullmatch(words.text[words.ends[first - 1] : words.starts[first]])
    ):
        return False
    if alias.capital and not _rule_passes(words, idx.capital_rule, first, last):
        return False
    if alias.rule is None:
        return True
    if not _rule_passes(words, alias.rule, first, last):
        return False
    if alias.rule.name_like and _inside_name(words, first, last):
        words.as_name.add(id(alias))
        return False
    return True


def _shouted(words: Words, first: int, last: int) -> bool:
    def caps(i: int) -> bool:
        return 0 <= i < len(words.raw) and len(words.raw[i]) > 1 and words.raw[i].isupper()

    # both neighbours in capitals, in the same phrase (a list "PKK, YPG, SDF" is not shouting)
    after = last + 1
    return caps(first - 1) and not words.hard[first] and caps(after) and not words.hard[after]


def _inside_name(words: Words, first: int, last: int) -> bool:
    """A capitalised word right before (not opening a sentence) or right after: "Michael
    Jordan", "Jordan River", "Chad Smith"."""
    prev, nxt = first - 1, last + 1
    if prev >= 0 and not words.hard[first] and _name_word(words, prev):
        if not words.sentence_start(prev):
            return True
        # opening a sentence, a capital tells nothing unless the word is never written in
        # lower case in the article ("Michael Jordan played" but not "Although Cuba")
        if words.raw[prev].lower() not in words.lower():
            return True
    return nxt < len(words.raw) and not words.hard[nxt] and _name_word(words, nxt)


def _name_word(words: Words, i: int) -> bool:
    return words.capitalised(i) and words.norm[i] not in words.not_names


def _rule_passes(words: Words, rule: Rule, first: int, last: int) -> bool:
    if any(words.before(first, p) for p in rule.not_preceded_by) and not any(
        words.before(first, p) for p in rule.unless_preceded_by
    ):
        return False
    if rule.not_shortly_after and not rule.not_shortly_after.isdisjoint(words.preceding(first, 3)):
        return False
    if any(words.after(last, p) for p in rule.not_followed_by):
        return False
    if rule.not_hyphenated and (
        (first > 0 and _HYPHEN.fullmatch(words.text[words.ends[first - 1] : words.starts[first]]))
        or (
            last + 1 < len(words.raw)
            and _HYPHEN.fullmatch(words.text[words.ends[last] : words.starts[last + 1]])
        )
    ):
        return False
    if rule.not_in_article:
        joined = words.joined()
        if any(" " + " ".join(p) + " " in joined for p in rule.not_in_article):
            return False
    return True


def _former(words: Words, idx: LanguageIndex, first: int) -> bool:
    """Whether the title is preceded by "ancien", "former": not today's holder."""
    i = first - 1
    while i >= 0 and words.norm[i] in idx.skip:
        i -= 1
    return i >= 0 and words.norm[i] in idx.former


def _resolve(
    words: Words, hits: list[Hit], d: ActorDictionary, published: date | None
) -> list[ActorMention]:
    # persons named unambiguously in the article settle a surname they share with others
    named = {
        h.alias.targets[0] for h in hits if h.alias.kind == "person" and len(h.alias.targets) == 1
    }
    out: list[ActorMention] = []
    i = 0
    while i < len(hits):
        hit = hits[i]
        nxt = hits[i + 1] if i + 1 < len(hits) else None
        if hit.alias.kind in ("office", "title") and nxt is not None and nxt.alias.kind == "person":
            pid = _person(nxt.alias.targets, named, d, published)
            if pid is not None and _adjacent(words, hit, nxt) and _fits(d, hit.alias, pid):
                out.append(_mention(words, hit.first, nxt.last, d.actors[pid], d, published))
                i += 2
                continue
        i += 1
        kind = hit.alias.kind
        if kind in ("title", "block"):
            continue  # "le président" alone names no one
        if kind == "person":
            pid = _person(hit.alias.targets, named, d, published)
            if pid is not None:
                out.append(_mention(words, hit.first, hit.last, d.actors[pid], d, published))
            continue
        if kind == "office":
            office = d.offices[hit.alias.targets[0]]
            holder = None if hit.former else office.holder(published)
            actor = d.actors[holder] if holder else office.actor
            out.append(_mention(words, hit.first, hit.last, actor, d, published))
            continue
        out.append(
            _mention(words, hit.first, hit.last, d.actors[hit.alias.targets[0]], d, published)
        )
    return out


def _adjacent(words: Words, title: Hit, person: Hit) -> bool:
    gap = words.text[words.ends[title.last] : words.starts[person.first]]
    return person.first == title.last + 1 and bool(_TITLE_GAP.fullmatch(gap))


def _fits(d: ActorDictionary, alias: Alias, pid: str) -> bool:
    """A title goes with a name when the person held an office of that state ("le président
    ukrainien Petro Porochenko" in 2022 is Poroshenko, not the president then in office)."""
    if alias.kind == "title":
        return True
    office = d.offices[alias.targets[0]]
    person = d.persons[pid]
    return person.actor.country == office.code or any(t.code == office.code for t in person.terms)


def _person(
    candidates: tuple[str, ...], named: set[str], d: ActorDictionary, published: date | None
) -> str | None:
    """One person for a name several share: one named in full in the article, else the one in
    office at the publication date; None when that does not decide."""
    if len(candidates) == 1:
        return candidates[0]
    mentioned = [c for c in candidates if c in named]
    if len(mentioned) == 1:
        return mentioned[0]
    current = [c for c in candidates if d.persons[c].in_office(published)]
    return current[0] if len(current) == 1 else None


def _mention(
    words: Words, first: int, last: int, actor: Actor, d: ActorDictionary, published: date | None
) -> ActorMention:
    start, end = words.starts[first], words.ends[last]
    if len(words.raw[last]) == 1 and words.text[end : end + 1] == ".":
        end += 1  # "U.S.", "D.R.C."
    country = actor.country
    person = d.persons.get(actor.id)
    if person is not None:
        term = person.term_on(published)
        if term is not None:
            country = d.actors[term.code].country if term.code in d.actors else term.code
    return ActorMention(
        start=start,
        end=end,
        text=words.text[start:end],
        actor_id=actor.id,
        name=actor.name,
        country=country,
        kind=actor.kind,
    )
