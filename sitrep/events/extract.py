"""From one parsed article to its events: triggers, roles, place, date, modality, claims, merging.

The extractor works sentence by sentence on the NLP stage's plain `Parse` and on the mentions
the time, actor and place stages found, so its cost is linear in the article's length. Every
field it fills keeps the sentence it came from (`sources`, `claims`).
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from typing import NamedTuple, cast

from sitrep.events.casualties import find_casualties
from sitrep.events.lexicon import SPECIFICITY, Lexicon, load_lexicon
from sitrep.events.ontology import Ontology, derive_status, load_ontology
from sitrep.model import (
    ActorMention,
    AnalysedArticle,
    Claim,
    Event,
    Parse,
    PlaceMention,
    Quote,
    Sentence,
    Source,
    Span,
    Stance,
    TimeRef,
    Token,
)
from sitrep.places.names import name_key
from sitrep.time import month_end

SUBJECT_DEPS = {"nsubj", "csubj", "expl:subj"}
PASSIVE_SUBJECT_DEPS = {"nsubj:pass", "nsubjpass", "csubjpass", "csubj:pass"}
OBJECT_DEPS = {"obj", "dobj", "iobj", "dative"}
AGENT_DEPS = {"obl:agent", "agent"}
CLIMB_DEPS = {"xcomp", "ccomp", "advcl", "acl", "acl:relcl", "relcl", "conj", "csubj", "obl:arg"}
HISTORICAL_DAYS = 30
STATE_KINDS = frozenset({"state", "military", "government", "ministry"})
MAX_NAME = 200  # no actor's name is longer: how far back a covering mention can start
NARRATIVE_DAYS = 10  # a day named this long before publication still dates what follows
QUOTE_PAIRS = {"«": "»", "“": "”", '"': '"'}


@dataclass
class ClaimDraft:
    by: ActorMention | None
    stance: str
    sentence: Sentence


@dataclass
class Candidate:
    type: str
    sentences: list[Sentence]
    trigger: tuple[int, int]
    actor1: ActorMention | None = None
    actor2: ActorMention | None = None
    mediator: ActorMention | None = None
    targets: list[ActorMention] = field(default_factory=list)
    place: PlaceMention | None = None
    place_own: bool = False
    place_locative: bool = False  # the sentence says it happened there ("en Syrie", "in Iraq")
    country: str | None = None
    day: date | None = None
    time: str | None = None
    precision: int = 1
    date_own: bool = False
    date_rank: int = 0  # 2 the sentence's own time, 1 the paragraph's, 0 the article's
    historical: bool = False
    weapons: set[str] = field(default_factory=set)
    fatalities: list[int] = field(default_factory=list)
    injuries: list[int] = field(default_factory=list)
    claims: list[ClaimDraft] = field(default_factory=list)
    claim_only: str | None = None  # a denial or acknowledgement of an event reported elsewhere
    anaphoric: bool = False  # "la demande", "the attack": refers back to an event already told
    generic: bool = False  # an "attack" typed from its context, not from its own sentence
    weak: bool = False  # only a death or an injury: the consequence of an event told elsewhere
    confidence: float = 0.6
    paragraph: int = 0

    @property
    def actor1_country(self) -> str | None:
        return self.actor1.country if self.actor1 else None

    def event_class_is(self, cls: str) -> bool:
        return _class(self.type) == cls

    @property
    def named_actor1_country(self) -> str | None:
        """The perpetrator's country when the text names one (not ACLED's placeholder)."""
        return self.actor1.country if self.actor1 and self.actor1.kind != "unnamed" else None


@dataclass
class Dropped:
    """A trigger that did not become an event, with why (debug output)."""

    type: str
    text: str
    reason: str


class Context:
    """Indexes over one article's parse and mentions, built once per article."""

    def __init__(self, item: AnalysedArticle, lexicon: Lexicon) -> None:
        assert item.parse is not None
        self.item = item
        self.text = item.clean_text or ""
        self.lex = lexicon
        self.parse: Parse = item.parse
        self.tokens: tuple[Token, ...] = item.parse.tokens
        self.starts = [t.start for t in self.tokens]
        self.children: list[list[int]] = [[] for _ in self.tokens]
        for i, tok in enumerate(self.tokens):
            if tok.head != i:
                self.children[tok.head].append(i)
        self.actors = sorted(item.actors, key=lambda a: a.start)
        self.places = sorted((p for p in item.places if p.place), key=lambda p: p.start)
        self.times = sorted(item.times, key=lambda t: t.start)
        # Start offsets, so that every lookup by position is a bisection, not a scan: the
        # extractor stays linear in the article's length.
        self.sentence_starts = [s.start for s in self.parse.sentences]
        self.actor_starts = [a.start for a in self.actors]
        self.place_starts = [p.start for p in self.places]
        self.time_starts = [t.start for t in self.times]
        self.paragraph_starts = _paragraph_starts(self.text)
        self.quotes = find_quotes(self.text)
        self.quote_starts = [q.start for q in self.quotes]  # speakers change, starts do not
        self.article_weapons = _article_weapons(self)
        self.natural_death = bool(lexicon.natural_death.search(self.text))
        self.last_assertion: tuple[ClaimDraft, Sentence] | None = None
        # where the article's first placed event happened: the story's scene
        self.lead_place: PlaceMention | None = None
        self.main_country = _main_country(self.places)
        self.state_counts = _state_counts(self.actors)
        phrases = lexicon.attribution_phrases
        self.attribution_spans = (
            [(m.start(), self._clause_end(m.end(), 80)) for m in phrases.finditer(self.text)]
            if phrases
            else []
        )

    def _clause_end(self, start: int, limit: int) -> int:
        """Where the phrase after `start` stops: its sentence's end, at most `limit` away."""
        sent = self.sentence_at(start)
        end = sent.end if sent is not None else len(self.text)
        return min(end, start + limit)

    def in_attribution(self, offset: int) -> bool:
        i = bisect_right(self.attribution_spans, (offset, len(self.text) + 1))
        return any(s <= offset < e for s, e in self.attribution_spans[max(0, i - 3) : i])

    def actors_between(self, lo: int, hi: int) -> list[ActorMention]:
        """Actor mentions that start in [lo, hi)."""
        return self.actors[bisect_left(self.actor_starts, lo) : bisect_left(self.actor_starts, hi)]

    def places_between(self, lo: int, hi: int) -> list[PlaceMention]:
        return self.places[bisect_left(self.place_starts, lo) : bisect_left(self.place_starts, hi)]

    def times_between(self, lo: int, hi: int) -> list[TimeRef]:
        return self.times[bisect_left(self.time_starts, lo) : bisect_left(self.time_starts, hi)]

    def sentence_at(self, offset: int) -> Sentence | None:
        i = bisect_right(self.sentence_starts, offset) - 1
        if i >= 0 and offset < self.parse.sentences[i].end:
            return self.parse.sentences[i]
        return None

    def token_at(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def head_of(self, start: int, end: int) -> int:
        """The token of [start, end) whose head lies outside the span: the phrase's head."""
        first = self.token_at(start)
        best = first
        for i in range(first, len(self.tokens)):
            tok = self.tokens[i]
            if tok.start >= end:
                break
            head = self.tokens[tok.head]
            if not (start <= head.start < end) or tok.head == i:
                return i
        return best

    def ancestors(self, i: int, limit: int = 8) -> Iterable[int]:
        seen = 0
        while seen < limit:
            head = self.tokens[i].head
            if head == i:
                return
            i = head
            seen += 1
            yield i

    def subtree_span(self, i: int, limit: int = 200) -> tuple[int, int]:
        lo, hi = self.tokens[i].start, self.tokens[i].end
        stack, count = [i], 0
        while stack and count < limit:
            j = stack.pop()
            count += 1
            lo, hi = min(lo, self.tokens[j].start), max(hi, self.tokens[j].end)
            stack.extend(self.children[j])
        return lo, hi

    def actor_in(
        self, start: int, end: int, exclude: Iterable[ActorMention] = ()
    ) -> ActorMention | None:
        skip = {id(a) for a in exclude}
        for a in self.actors_between(start, end):
            if a.end <= end + 1 and id(a) not in skip:
                return a
        # A mention that covers the span (the head word inside a name); names are short.
        for a in self.actors_between(start - MAX_NAME, start + 1):
            if a.end >= end and id(a) not in skip:
                return a
        return None

    def actor_of_token(self, i: int, exclude: Iterable[ActorMention] = ()) -> ActorMention | None:
        tok = self.tokens[i]
        if tok.pos == "PRON" or tok.text.lower() in self.lex.first_person | self.lex.third_person:
            return self.pronoun_actor(tok)
        start, end = self.subtree_span(i)
        return self.actor_in(start, end, exclude)

    def pronoun_actor(self, tok: Token) -> ActorMention | None:
        word = tok.text.lower()
        if word in self.lex.first_person:
            quote = self.quote_at(tok.start)
            return quote.speaker_mention if quote else None
        if word in self.lex.third_person:
            return self.previous_actor(tok.start)
        return None

    def previous_actor(self, offset: int, window: int = 800) -> ActorMention | None:
        """The last named actor before `offset`: cheap coreference for "il", "he", "they"."""
        for a in reversed(self.actors_between(offset - window - MAX_NAME, offset)):
            if a.end <= offset and offset - a.end <= window and a.kind != "people":
                return a
        return None

    def quote_at(self, offset: int) -> Quote | None:
        i = bisect_right(self.quote_starts, offset) - 1  # quotes do not overlap
        if i >= 0 and offset < self.quotes[i].end:
            return self.quotes[i]
        return None

    def paragraph_of(self, offset: int) -> int:
        return bisect_right(self.paragraph_starts, offset) - 1

    def sentence_tokens(self, sent: Sentence) -> range:
        return range(sent.first_token, sent.end_token)


def _state_counts(actors: list[ActorMention]) -> dict[str, tuple[int, ActorMention]]:
    """How often each state party is named, with its last mention: who "the parties" are."""
    counts: dict[str, tuple[int, ActorMention]] = {}
    for a in actors:
        if a.country and len(a.country) == 3 and a.kind in STATE_KINDS:
            counts[a.country] = (counts.get(a.country, (0, a))[0] + 1, a)
    return counts


def _main_country(places: list[PlaceMention]) -> str | None:
    """The country the story is in: the one its places name most."""
    counts: dict[str, int] = {}
    for p in places:
        if p.place is not None and p.place.country:
            counts[p.place.country] = counts.get(p.place.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def _article_weapons(ctx: Context) -> set[str]:
    """The article's most-named weapon: the context of an attack described with none."""
    counts: dict[str, int] = {}
    for m in ctx.lex.weapons.finditer(ctx.text):
        if m.lastgroup:
            kind = ctx.lex.weapon_groups[m.lastgroup]
            counts[kind] = counts.get(kind, 0) + 1
    return {max(counts, key=lambda k: counts[k])} if counts else set()


def _paragraph_starts(text: str) -> list[int]:
    starts, pos = [0], text.find("\n\n")
    while pos >= 0:
        starts.append(pos + 2)
        pos = text.find("\n\n", pos + 2)
    return starts


# --- quotes -----------------------------------------------------------------------------------


def find_quotes(text: str) -> list[Quote]:
    """Quoted passages (« », “ ”, " "); speakers are filled in by `attribute_quotes`."""
    out: list[Quote] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        close = QUOTE_PAIRS.get(ch)
        if close is None:
            i += 1
            continue
        j = text.find(close, i + 1)
        if ch == "«":  # scraped French often closes with a second « before the comma
            k = text.find("«", i + 1)
            if k >= 0 and (j < 0 or k < j) and text[k + 1 : k + 3].strip()[:1] in (",", ".", ""):
                j = k
        # A quote does not run across paragraphs; an unclosed one ends with its paragraph.
        para_end = text.find("\n\n", i)
        if para_end < 0:
            para_end = n
        if j < 0 or j > para_end:
            j = para_end - 1
        if j - i > 3:
            out.append(Quote(start=i, end=j + 1, text=text[i + 1 : j].strip()))
        i = j + 1
    return out


def attribute_quotes(ctx: Context) -> None:
    """Give each quote its speaker: the actor after it in its sentence ("», a déclaré X"), a
    pronoun there (the previous speaker), or the actor that introduces it."""
    previous: ActorMention | None = None
    resolved: list[Quote] = []
    for q in ctx.quotes:
        sent = ctx.sentence_at(max(q.end - 1, 0))
        sent_end = sent.end if sent else q.end + 200
        speaker = None
        tail = ctx.text[q.end : sent_end]
        for a in ctx.actors_between(q.end, sent_end):
            if a.kind != "people":
                speaker = a
                break
        if speaker is None and _has_pronoun(tail, ctx.lex):
            speaker = previous
        if speaker is None:
            head_sent = ctx.sentence_at(q.start)
            lo = head_sent.start if head_sent else max(0, q.start - 200)
            for a in reversed(ctx.actors_between(lo, q.start)):
                if a.end <= q.start and a.kind != "people":
                    speaker = a
                    break
        if (
            speaker is None
            and resolved
            and resolved[-1].speaker_mention is not None
            and ctx.paragraph_of(resolved[-1].start) == ctx.paragraph_of(q.start)
        ):
            speaker = resolved[-1].speaker_mention  # a quote that goes on after "a-t-il dit"
        if speaker is not None:
            previous = speaker
        resolved.append(
            replace(
                q,
                speaker=speaker.name if speaker else None,
                speaker_country=speaker.country if speaker else None,
                speaker_mention=speaker,
            )
        )
    ctx.quotes = resolved


def _has_pronoun(text: str, lex: Lexicon) -> bool:
    words = {w.strip("-,.;:»\"'’").lower() for w in text.replace("-", " ").split()[:6]}
    return bool(words & lex.third_person)


# --- triggers and candidates ------------------------------------------------------------------


def _matches(ctx: Context, sent: Sentence) -> list[tuple[str, bool, int, int]]:
    found = []
    for m in ctx.lex.triggers.finditer(ctx.text, sent.start, sent.end):
        name = m.lastgroup
        if name is None:
            continue
        etype, weak = ctx.lex.groups[name]
        found.append((etype, weak, m.start(), m.end()))
    return found


def _weapons(ctx: Context, start: int, end: int) -> set[str]:
    out = set()
    for m in ctx.lex.weapons.finditer(ctx.text, start, end):
        if m.lastgroup:
            out.add(ctx.lex.weapon_groups[m.lastgroup])
    return out


def _resolve_attack(ctx: Context, sent: Sentence, weapons: set[str]) -> str:
    """The type of a generic "attack": what it was done with, and to whom."""
    text = ctx.text[sent.start : sent.end]
    if ctx.lex.suicide.search(text):
        return "suicide_bomb"
    if "explosive" in weapons:
        return "explosive_device"
    if weapons & {"drone", "aircraft"}:
        return "air_drone_strike"
    if weapons & {"artillery", "rocket", "missile", "mortar"}:
        return "shelling"
    if ctx.lex.civilians.search(text) and not weapons & {"heavy_weapons", "tank"}:
        return "attack_civilians"
    return "armed_clash"


def _about_vehicles(ctx: Context, head: int) -> bool:
    """ "sa voiture a été arrêtée", "struck by a car": traffic, not arrests or attacks."""
    for c in ctx.children[head]:
        dep = ctx.tokens[c].dep
        if dep in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS | AGENT_DEPS:
            lo, hi = ctx.subtree_span(c)
            if ctx.lex.vehicles.search(ctx.text, lo, hi):
                return True
    return False


def _describes_agreement(ctx: Context, head: int) -> bool:
    """ "un accord autorise…", "the ceasefire was suspended", "les clauses de l'accord": the
    agreement is what something else is about, so the sentence is not about making it."""
    tok = ctx.tokens[head]
    if tok.pos != "NOUN":
        return False
    parent = ctx.tokens[tok.head]
    if tok.dep in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
        return parent.pos in ("VERB", "AUX") and parent.lemma.lower() not in ctx.lex.support_verbs
    if tok.dep in ("nmod", "nmod:poss", "poss", "pobj") and tok.head != head:
        if parent.pos == "ADP":  # English: "of the agreement"
            parent = ctx.tokens[parent.head]
        if parent.pos in ("VERB", "AUX"):
            return False  # "entered into an agreement": an argument of a verb, not a noun's
        return not (
            ctx.lex.agreement_heads.fullmatch(parent.text)
            or ctx.lex.triggers.fullmatch(parent.text)
        )
    return False


def _accusation_of_nothing(ctx: Context, head: int) -> bool:
    """ "a condamné l'attentat": a claim on that attack, coded there; "longtemps accusée de
    laxisme": a description with no accuser."""
    tok = ctx.tokens[head]
    for c in ctx.children[head]:
        if ctx.tokens[c].dep in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
            lo, hi = ctx.subtree_span(c)
            if ctx.lex.triggers.search(ctx.text, lo, hi):
                return True
    participle = tok.pos == "ADJ" or ("Tense=Past" in tok.morph and "VerbForm=Part" in tok.morph)
    if tok.pos in ("VERB", "ADJ") and participle:
        # "Longtemps accusée de laxisme, la Turquie…": a bare past participle describes the
        # accused; without an auxiliary or an agent nobody accuses here.
        deps = {ctx.tokens[c].dep for c in ctx.children[head]}
        if not deps & AGENT_DEPS and not any(d.startswith("aux") for d in deps):
            return True
    return False


def _stops_an_event(ctx: Context, head: int) -> bool:
    """ "ont arrêté les frappes": the verb's object is an event, so it means stop."""
    for c in ctx.children[head]:
        if ctx.tokens[c].dep in OBJECT_DEPS | PASSIVE_SUBJECT_DEPS:
            lo, hi = ctx.subtree_span(c)
            if ctx.lex.triggers.search(ctx.text, lo, hi):
                return True
    return False


def _military_victims(ctx: Context, sent: Sentence) -> bool:
    text = ctx.text[sent.start : sent.end]
    return bool(ctx.lex.military.search(text)) and not ctx.lex.civilians.search(text)


def _reportive(ctx: Context, tok: Token, verb: int, sent: Sentence) -> bool:
    """French news tells unconfirmed facts in the past conditional ("l'hôpital aurait été
    bombardé": reportedly bombed); it is hypothetical only under a condition ("si…")."""
    if ctx.lex.language != "fr" or not tok.dep.startswith("aux"):
        return False
    if "VerbForm=Part" not in ctx.tokens[verb].morph:
        return False
    return not any(
        t.dep == "mark" and t.text.lower() in ctx.lex.conditional_marks
        for t in ctx.tokens[ctx.token_at(sent.start) : ctx.token_at(sent.end - 1) + 1]
    )


def _modality(ctx: Context, head: int, sent: Sentence) -> str:
    """asserted, negated, hypothetical, future or irrealis (requested, hoped for) for a trigger.

    Only the trigger's own clause counts: its nearest governing verb, that verb's auxiliaries,
    negations and marks, and the verbs that govern that clause directly (an event that someone
    hopes for, asks for or threatens is not an event)."""
    lex = ctx.lex
    verb = head
    if ctx.tokens[head].pos not in ("VERB", "AUX"):
        for anc in ctx.ancestors(head, 4):
            if ctx.tokens[anc].pos in ("VERB", "AUX"):
                verb = anc
                break
    checks = [verb, *[c for c in ctx.children[verb]]]
    for i in checks:
        tok = ctx.tokens[i]
        low = tok.text.lower()
        if tok.dep in ("advmod", "neg", "det") and (
            low in lex.negations or "Polarity=Neg" in tok.morph
        ):
            if tok.dep == "det" and low not in ("aucun", "aucune", "no"):
                continue
            return "negated"
        if tok.dep in ("mark",) and low in lex.conditional_marks:
            return "hypothetical"
        if tok.dep in ("aux", "aux:tense") and low in (
            "will",
            "would",
            "could",
            "might",
            "may",
            "shall",
        ):
            return "future" if low in ("will", "shall") else "hypothetical"
        if "Mood=Cnd" in tok.morph and _reportive(ctx, tok, verb, sent):
            continue
        if "Mood=Cnd" in tok.morph or "Tense=Fut" in tok.morph:
            return "hypothetical" if "Mood=Cnd" in tok.morph else "future"
    # The verbs that govern the clause through complement clauses ("a menacé de frapper",
    # "espère que l'accord sera respecté"); a participle describing a noun ("l'accord conclu")
    # is a fact, whatever governs the noun.
    chain = [verb]
    controlled: set[int] = set()  # verbs reached through "xcomp": "not force them to arrest"
    j = verb
    for _ in range(4):
        tok = ctx.tokens[j]
        if tok.head == j or tok.dep not in (
            "xcomp",
            "ccomp",
            "csubj",
            "advcl",
            "obj",
            "dobj",
            "conj",
        ):
            break
        if any(
            ctx.tokens[c].dep == "mark" and ctx.tokens[c].text.lower() in lex.purpose_marks
            for c in ctx.children[j]
        ):
            return "irrealis"
        if tok.dep == "advcl" and any(
            ctx.tokens[c].dep == "aux" and ctx.tokens[c].text.lower() == "to"
            for c in ctx.children[j]
        ):
            return "irrealis"  # "an agreement for the army to deploy": what it is for
        j = tok.head
        chain.append(j)
        if tok.dep == "xcomp":
            controlled.add(j)
    # what a verb of wishing or aiming governs is its complement, not its subject ("un attentat
    # a visé une mosquée": the attack targeted, it did not aim to happen)
    subject = ctx.tokens[head].head == verb and ctx.tokens[head].dep in (
        SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS
    )
    for anc in chain:
        tok = ctx.tokens[anc]
        lemma = tok.lemma.lower()
        if anc == verb and subject and anc != head:
            continue
        if anc != head and lemma in lex.hypothetical_verbs:
            return "hypothetical"
        if (
            anc != head
            and lemma in lex.irrealis_verbs
            # "called the bombing the deadliest": naming, not asking
            and not any(ctx.tokens[c].dep == "oprd" for c in ctx.children[anc])
        ):
            return "irrealis"
        if anc != verb and ("Mood=Cnd" in tok.morph or "Tense=Fut" in tok.morph):
            return "hypothetical"
        if anc in controlled and any(
            ctx.tokens[c].dep in ("advmod", "neg") and ctx.tokens[c].text.lower() in lex.negations
            for c in ctx.children[anc]
        ):
            return "negated"  # "does not force them to conduct the arrest"
    return "asserted"


def _claim_stance_over(ctx: Context, head: int) -> tuple[str, int] | None:
    """Whether the trigger sits under a denial or acknowledgement ("a nié avoir tiré")."""
    for anc in [head, *ctx.ancestors(head, 5)]:
        stance = ctx.lex.attribution.get(ctx.tokens[anc].lemma.lower())
        if stance in ("denies", "acknowledges") and anc != head:
            return stance, anc
    return None


def _subject(ctx: Context, verb: int) -> tuple[int | None, bool]:
    """(the subject token, whether it is the agent); passive subjects are patients."""
    for c in ctx.children[verb]:
        dep = ctx.tokens[c].dep
        if dep in SUBJECT_DEPS:
            return c, True
    for c in ctx.children[verb]:
        if ctx.tokens[c].dep in PASSIVE_SUBJECT_DEPS:
            return c, False
    return None, False


def _speaker(ctx: Context, verb: int) -> ActorMention | None:
    """Who says it: the verb's subject, or the subject of the clause a participle or a
    coordinated verb hangs from ("a répondu par une déclaration reconnaissant...")."""
    i = verb
    for _ in range(4):
        subj, _agentive = _subject(ctx, i)
        if subj is not None:
            return ctx.actor_of_token(subj)
        for c in ctx.children[i]:  # "a déclaré Blinken", "said the ministry": inverted subjects
            if ctx.tokens[c].dep in AGENT_DEPS:
                return ctx.actor_of_token(c)
        head = ctx.tokens[i].head
        if head == i or ctx.tokens[i].dep not in CLIMB_DEPS | {"obl:arg", "obl", "nmod"}:
            return None
        i = head
    return None


def _roles(ctx: Context, cand: Candidate, head: int, sent: Sentence) -> None:
    """actor1 (who acts), actor2 (who suffers or is addressed), targets, mediator."""
    tokens = ctx.tokens
    verb = head
    used: list[ActorMention] = []
    # A nominal trigger takes the roles of the verb it depends on ("ont mené des frappes").
    nominal = tokens[head].pos not in ("VERB", "AUX")
    if (
        nominal
        and tokens[head].dep in OBJECT_DEPS
        and tokens[tokens[head].head].lemma.lower() in ctx.lex.support_verbs
    ):
        # "ont mené des frappes", "signed an agreement"; not "a condamné l'attaque"
        verb = tokens[head].head
        # "les frappes israéliennes", "Turkish airstrikes": the adjective names the attacker.
        for c in ctx.children[head]:
            if tokens[c].dep in ("amod", "compound", "nmod:poss", "poss"):
                a = ctx.actor_in(tokens[c].start, tokens[c].end)
                if a:
                    cand.actor1 = a
                    used.append(a)
                    break
    # The agent of a passive ("tués par des hommes armés", "killed by").
    for c in ctx.children[verb] + ctx.children[head]:
        if tokens[c].dep in AGENT_DEPS and cand.actor1 is None:
            cand.actor1 = ctx.actor_of_token(c)
    subj, agentive = _subject(ctx, verb)
    if subj is None and tokens[verb].dep in ("acl", "acl:relcl") and tokens[verb].pos == "VERB":
        # "les forces ... d'avoir tiré" acts; "les civils tués" suffer.
        noun = tokens[verb].head
        active = (
            "Tense=Pres" in tokens[verb].morph
            or any(
                tokens[c].dep.startswith("aux") and tokens[c].lemma.lower() in ("avoir", "have")
                for c in ctx.children[verb]
            )
            or tokens[verb].text.lower().endswith("ing")
        )
        # The noun phrase itself, not the clause hanging from it.
        end = (
            tokens[verb].start
            if tokens[verb].start > tokens[noun].start
            else ctx.subtree_span(noun)[1]
        )
        actor = ctx.actor_in(tokens[noun].start, end)
        if verb > 0 and tokens[verb - 1].text == "," and active:
            # "X s'est entretenu avec Y, demandant...": a detached participle is the subject's.
            main = noun
            for anc in ctx.ancestors(noun, 3):
                if tokens[anc].pos in ("VERB", "AUX"):
                    main = anc
                    break
            msubj, _ag = _subject(ctx, main)
            actor = ctx.actor_of_token(msubj) if msubj is not None else None
        if actor is not None:
            if active and cand.actor1 is None:
                cand.actor1 = actor
            elif not active and cand.actor2 is None:
                cand.actor2 = actor
    climbed = verb
    while subj is None and cand.actor1 is None:
        parent = tokens[climbed].head
        if parent == climbed or tokens[climbed].dep not in CLIMB_DEPS:
            break
        # "X a accusé Y d'avoir tiré": Y did it, X said so.
        if tokens[parent].lemma.lower() in ctx.lex.accuse_verbs:
            for c in ctx.children[parent]:
                if tokens[c].dep in OBJECT_DEPS and cand.actor1 is None:
                    cand.actor1 = ctx.actor_of_token(c)
            break
        climbed = parent
        subj, agentive = _subject(ctx, climbed)
    if subj is not None:
        actor = ctx.actor_of_token(subj)
        if actor is not None:
            if agentive and cand.actor1 is None:
                cand.actor1 = actor
            elif not agentive and cand.actor2 is None:
                cand.actor2 = actor
    if cand.actor1 is None and cand.actor2 is None and subj is None and not nominal:
        cand.actor1 = _left_subject(ctx, sent, verb)
    if cand.actor1:
        used.append(cand.actor1)
    # Objects and "contre X", "against X", "with X", "à X": the other party.
    for c in ctx.children[verb] + (ctx.children[head] if head != verb else []):
        dep = tokens[c].dep
        if dep in OBJECT_DEPS or dep in (
            "obl",
            "obl:arg",
            "nmod",
            "prep",
            "pobj",
            "dative",
            "obl:mod",
        ):
            first = ctx.actor_of_token(c, exclude=used)
            lo, hi = ctx.subtree_span(c)
            found = [first] if first else []
            found += [
                a for a in ctx.actors_between(lo, hi) if a is not first and a.kind != "people"
            ]
            for a in found:
                if ctx.in_attribution(a.start):
                    continue  # "according to Iraqi military" says it, it is not a party
                if cand.actor1 is None or a.country != cand.actor1.country or a.kind == "people":
                    if all(a.country != t.country for t in cand.targets):
                        cand.targets.append(a)
                    used.append(a)
    if cand.actor2 is None and cand.targets:
        cand.actor2 = cand.targets[0]


def _left_subject(ctx: Context, sent: Sentence, verb: int) -> ActorMention | None:
    """When the parser lost the subject: the actor named just before the verb with no other
    verb between ("Pashinyan s'est entretenu"), or for a detached participle ("…, demandant")
    the actor that opens the sentence."""
    tokens = ctx.tokens
    vstart = tokens[verb].start
    if verb > 0 and tokens[verb - 1].text == ",":
        first_verb = next((i for i in ctx.sentence_tokens(sent) if tokens[i].pos == "VERB"), verb)
        opening = ctx.actors_between(sent.start, tokens[first_verb].start)
        return opening[0] if opening else None
    lo = sent.start
    prev = next((p for p in reversed(ctx.parse.sentences) if p.end <= sent.start), None)
    if (
        prev is not None
        and prev.end_token - prev.first_token <= 3
        and "\n" not in ctx.text[prev.start : sent.start]
    ):
        lo = prev.start  # the parser cut a name off the front of its sentence
    before = [a for a in ctx.actors_between(lo, vstart) if a.end <= vstart]
    if not before:
        return None
    a = before[-1]
    between = range(ctx.token_at(a.end), verb)
    if any(tokens[i].pos == "VERB" and tokens[i].start >= a.end for i in between):
        return None
    return a


def _fill_parties(ctx: Context, cand: Candidate, sent: Sentence) -> None:
    """Agreements and consultations: the actors "entre X et Y", "between X and Y", "avec X"."""
    text = ctx.text
    in_sentence = ctx.actors_between(sent.start, sent.end)
    after = [a for a in in_sentence if a.start >= cand.trigger[0]]
    countries: list[ActorMention] = []
    for a in after + in_sentence:
        if a.country and all(a.country != b.country for b in countries):
            countries.append(a)
    if cand.type in ("ceasefire", "agreement"):
        # The subject who "negotiated" or "brokered" it is the mediator when it is not a party.
        window = text[cand.trigger[1] : min(sent.end, cand.trigger[1] + 120)].lower()
        between = [a for a in after if a.start - cand.trigger[1] < 120]
        if ("entre" in window or "between" in window) and len(between) >= 2:
            if cand.actor1 and cand.actor1.country not in {between[0].country, between[1].country}:
                cand.mediator = cand.actor1
            cand.actor1, cand.actor2 = between[0], between[1]
        return
    if cand.type == "consultation":
        if cand.actor1 is None and countries:
            cand.actor1 = countries[0]
        if cand.actor2 is None or (cand.actor1 and cand.actor2.country == cand.actor1.country):
            for a in after:
                if cand.actor1 is None or a.country != cand.actor1.country:
                    cand.actor2 = a
                    break


def _parties_targets(ctx: Context, cand: Candidate, sent: Sentence, head: int) -> None:
    """ "les parties", "both sides": the article's two main state parties."""
    lo, hi = ctx.subtree_span(head)
    if not ctx.lex.parties.search(ctx.text, lo, hi):
        return
    counts = ctx.state_counts
    speaker = cand.actor1_country
    ranked = sorted((c for c in counts if c != speaker), key=lambda c: -counts[c][0])[:2]
    for c in ranked:
        if all(t.country != c for t in cand.targets):
            cand.targets.append(counts[c][1])
    if cand.actor2 is None and cand.targets:
        cand.actor2 = cand.targets[0]


def _has_call_complement(ctx: Context, head: int) -> bool:
    """ "appeler X à Y", "call for", "appel à": a call asks for something; "ce qu'elle a appelé
    des forces de maintien de la paix" names something."""
    if ctx.tokens[head].pos not in ("VERB", "NOUN"):
        return True
    _lo, hi = ctx.subtree_span(head)
    words = ctx.lex.call_complements
    return any(
        ctx.tokens[i].text.lower() in words
        for i in range(head + 1, len(ctx.tokens))
        if ctx.tokens[i].start < hi
    )


def _call_kind(ctx: Context, head: int, sent: Sentence) -> str:
    """An appeal asks for restraint or an end to violence; anything else asked for is a request."""
    lo, hi = ctx.subtree_span(head)
    lo = max(lo, ctx.tokens[head].start)
    words = {
        w.strip(".,;:«»\"'’()").lower()
        for w in ctx.text[lo:hi].replace("’", " ").replace("'", " ").split()
    }
    return "appeal" if words & ctx.lex.appeal_words else "request"


# --- place and time ---------------------------------------------------------------------------


def _eligible_times(ctx: Context, sent: Sentence, trigger_head: int) -> list[TimeRef]:
    """Time expressions that date the clause, not a document or another event named inside it
    ("les déclarations du 9 novembre 2020", "the 1997 treaty" do not date the sentence's event).
    Parsers often hang a date from a nearby noun, so only those two kinds of noun exclude it."""
    out = []
    for t in ctx.times_between(sent.start, sent.end):
        if t.date is None:
            continue
        if ctx.lex.since.search(ctx.text, max(sent.start, t.start - 12), t.start):
            continue  # "since 1 October": when an ongoing situation began, not this event
        h = ctx.head_of(t.start, t.end)
        parent = ctx.tokens[h].head
        ptok = ctx.tokens[parent]
        if ptok.pos == "ADP":  # English hangs "on Tuesday" from its preposition
            h, parent = parent, ptok.head
            ptok = ctx.tokens[parent]
        if t.time or parent in (h, trigger_head) or ptok.pos in ("VERB", "AUX"):
            out.append(t)
            continue
        # Up the noun phrase it hangs from, to the first verb: a document or another event on
        # the way owns the date.
        owned = False
        for n in [parent, *ctx.ancestors(parent, 6)]:
            tok = ctx.tokens[n]
            if tok.pos in ("VERB", "AUX") or n == trigger_head:
                break
            if ctx.lex.documents.fullmatch(tok.text) or (
                tok.pos == "NOUN" and ctx.lex.triggers.fullmatch(tok.text)
            ):
                owned = True
                break
        if owned:
            continue
        out.append(t)
    return out


def _dated_apart(
    ctx: Context, sent: Sentence, head: int, other: Candidate, published: date | None
) -> bool:
    """A second trigger in the sentence dated by its own time, a month or more from the first
    one's day, reports another event."""
    if other.day is None:
        return False
    for t in _eligible_times(ctx, sent, head):
        day = _date_of(t)
        if day is None or not _hangs_from(ctx, t, head):
            continue
        slack = timedelta(days=HISTORICAL_DAYS)
        if other.day > _period_end(t, day) + slack or other.day < day - slack:
            return True
    return False


def _ongoing_since_long(ctx: Context, sent: Sentence, published: date) -> bool:
    for t in ctx.times_between(sent.start, sent.end):
        if t.date and ctx.lex.since.search(ctx.text, max(sent.start, t.start - 12), t.start):
            day = _date_of(t)
            if day and day < published - timedelta(days=HISTORICAL_DAYS):
                return True
    return False


def _hangs_from(ctx: Context, t: TimeRef, head: int) -> bool:
    """ "l'accord de cessez-le-feu de mercredi": the date is the trigger's own."""
    h = ctx.head_of(t.start, t.end)
    return (
        head in (ctx.tokens[h].head, *list(ctx.ancestors(h, 2))[:2])
        and ctx.tokens[head].pos == "NOUN"
    )


def _date_of(t: TimeRef) -> date | None:
    raw = t.date or ""
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw)
        if len(raw) == 7:
            return date(int(raw[:4]), int(raw[5:7]), 1)
        if len(raw) == 4:
            return date(int(raw), 1, 1)
    except ValueError:
        return None
    return None


def _period_end(t: TimeRef, day: date) -> date:
    raw = t.date or ""
    if len(raw) == 4:
        return date(day.year, 12, 31)
    if len(raw) == 7:
        return month_end(day)
    if t.end_date and len(t.end_date) == 10:
        return date.fromisoformat(t.end_date)
    return day


def _attach_time(
    ctx: Context, cand: Candidate, sent: Sentence, head: int, published: date | None
) -> None:
    own = _eligible_times(ctx, sent, head)
    chosen: TimeRef | None = None
    if own:
        on_trigger = [t for t in own if _hangs_from(ctx, t, head)]
        chosen = min(on_trigger or own, key=lambda t: (t.precision, abs(t.start - cand.trigger[0])))
        cand.date_own = True
        cand.date_rank = 3 if on_trigger else 2
    else:
        para = ctx.paragraph_of(sent.start)
        lo = ctx.paragraph_starts[para]
        for t in reversed(ctx.times_between(lo, sent.start)):
            if t.date and t.kind not in ("clock",):
                chosen = t
                cand.date_rank = 1
                break
    if chosen is not None:
        day = _date_of(chosen)
        if day is not None:
            cand.day = day
            cand.precision = chosen.precision
            cand.time = chosen.time
            if published and _period_end(chosen, day) < published - timedelta(days=HISTORICAL_DAYS):
                cand.historical = True
            if published and day > published + timedelta(days=1) and not cand.date_own:
                cand.day = published  # a future date from the paragraph: the statement's day
            return
    if published:
        # A narrative keeps its day until it names another: the last day named before.
        for t in reversed(ctx.times_between(0, sent.start)):
            if not t.date or len(t.date) != 10 or t.precision != 1:
                continue
            day = _date_of(t)
            if day and published - timedelta(days=NARRATIVE_DAYS) <= day <= published:
                cand.day, cand.precision = day, t.precision
                return
            break
    cand.day = published
    cand.precision = 1 if published else 3


def _sentence_places(ctx: Context, sent: Sentence) -> list[PlaceMention]:
    return [p for p in ctx.places_between(sent.start, sent.end) if not _inside_name(ctx, p, sent)]


def _inside_name(ctx: Context, p: PlaceMention, sent: Sentence) -> bool:
    """ "National Day", "Pope Francis": a one-word place preceded by a capitalised word that is
    not a place is part of another name."""
    if " " in p.text or "-" in p.text:
        return False
    i = ctx.token_at(p.start)
    if i <= sent.first_token:
        return False
    prev = ctx.tokens[i - 1]
    if prev.end != p.start - 1 or not prev.text[:1].isupper() or i - 1 == sent.first_token:
        return False
    earlier = ctx.places_between(prev.start - MAX_NAME, prev.start + 1)
    return not any(prev.start < q.end for q in earlier) and prev.pos == "PROPN"


def _locations(
    ctx: Context, cand: Candidate, sent: Sentence
) -> list[tuple[PlaceMention | None, bool]]:
    """The places the event happened at, own first: one event per distinct precise place."""
    actor_spans = [
        (a.start, a.end) for a in (cand.actor1, cand.actor2, cand.mediator, *cand.targets) if a
    ]
    # A place inside an actor's name is the actor ("la Maison Blanche a dénoncé").
    actor_spans += [
        (a.start, a.end)
        for a in ctx.actors_between(sent.start - MAX_NAME, sent.end)
        if a.kind not in ("state", "people")
    ]
    own = [
        p
        for p in _sentence_places(ctx, sent)
        if not any(
            s <= p.start < e
            # a capital is its government ("Khartoum said") unless it is where ("through
            # Khartoum")
            and not ((s, e) == (p.start, p.end) and _locative(ctx, p))
            for s, e in actor_spans
        )
        and not _participant(ctx, p)
        # "selon le directeur de la santé d'Idlib": the source's place, not the event's
        and not (ctx.in_attribution(p.start) and not ctx.in_attribution(cand.trigger[0]))
    ]
    own = [p for p in own if _in_clause(ctx, cand, p)]
    precise = _distinct(
        [
            p
            for p in own
            if p.geo_precision <= 2
            or (p.place and p.place.feature not in ("country", "continent", "region"))
        ]
    )
    if precise:
        return [(p, True) for p in _listed_with_nearest(ctx, cand, precise)]
    if own:
        return [(own[0], True)]
    para = ctx.paragraph_of(sent.start)
    lo = ctx.paragraph_starts[para]
    hi = ctx.paragraph_starts[para + 1] if para + 1 < len(ctx.paragraph_starts) else len(ctx.text)
    in_para = ctx.places_between(lo, hi)
    pick = [p for p in in_para if p.geo_precision <= 2] or in_para
    if pick:
        return [(pick[0], False)]
    # Follow-ups told apart from the scene (arrests, funerals) happened where the story did.
    if ctx.lead_place is not None:
        return [(ctx.lead_place, False)]
    # Else the article's: the last precise place named before, else the first one after.
    before = next((p for p in reversed(ctx.places_between(0, lo)) if p.geo_precision <= 2), None)
    after = next((p for p in ctx.places_between(hi, len(ctx.text)) if p.geo_precision <= 2), None)
    if before or after:
        return [(before or after, False)]
    return [(None, False)]


def _locative(ctx: Context, p: PlaceMention) -> bool:
    h = ctx.head_of(p.start, p.end)
    cases = [ctx.tokens[c] for c in ctx.children[h] if ctx.tokens[c].dep == "case"]
    if ctx.tokens[ctx.tokens[h].head].pos == "ADP":  # English: the preposition is the head
        cases.append(ctx.tokens[ctx.tokens[h].head])
    return any(t.text.lower() in ctx.lex.locative for t in cases)


def _in_clause(ctx: Context, cand: Candidate, p: PlaceMention) -> bool:
    """A place belongs to the event when it hangs under the event's clause ("ont tiré en
    direction de Goris"), not under a neighbouring one ("Speaking on TV in Yemen, X said…")."""
    head = ctx.head_of(*cand.trigger)
    clause = head
    if ctx.tokens[head].pos not in ("VERB", "AUX"):
        clause = next(
            (a for a in ctx.ancestors(head, 4) if ctx.tokens[a].pos in ("VERB", "AUX")), head
        )
    # A controlling verb ("ont tenté d'attaquer X") still speaks of the event; a verb of
    # saying does not ("Speaking in Yemen, he said they attacked").
    roots = {head, clause}
    j = clause
    for _ in range(2):
        tok = ctx.tokens[j]
        if tok.head == j or tok.dep not in ("xcomp", "conj"):
            break
        j = tok.head
        roots.add(j)
    ph = ctx.head_of(p.start, p.end)
    up = [ph, *ctx.ancestors(ph, 10)]
    for a in up:
        if a in roots:
            break
        tok = ctx.tokens[a]
        if tok.pos == "NOUN" and a != ph and ctx.lex.triggers.fullmatch(tok.text):
            return False  # "since an assault in Ghazni": another event's place
    chain = set(up)
    if chain & roots:
        return True
    # A place the parser hung elsewhere with no verb of its own on the way still counts.
    return not any(ctx.tokens[a].pos in ("VERB", "AUX") for a in chain if a not in roots)


def _participant(ctx: Context, p: PlaceMention) -> bool:
    """ "La Russie a affirmé…", "Iran launched…": a country that is a subject or an object
    acts or is acted on; a location is an oblique ("en Syrie", "in Iraq")."""
    if p.place is None or p.place.feature not in ("country",):
        return False
    tok = ctx.tokens[ctx.head_of(p.start, p.end)]
    return tok.dep in SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | OBJECT_DEPS


def _listed_with_nearest(
    ctx: Context, cand: Candidate, places: list[PlaceMention]
) -> list[PlaceMention]:
    """The place nearest the trigger and those listed with it ("Goris, Sotk et Jermuk"); a place
    that only situates another ("à 120 km au nord du Caire") is not where it happened."""
    lex = ctx.lex

    def relative(p: PlaceMention) -> bool:
        return bool(lex.relative_place.search(ctx.text, max(0, p.start - 30), p.start))

    usable = [p for p in places if not relative(p)] or places
    anchor = min(usable, key=lambda p: abs(p.start - cand.trigger[0]))
    i = usable.index(anchor)

    def listed(a: PlaceMention, b: PlaceMention) -> bool:
        between = ctx.text[a.end : b.start]
        return (
            len(between) <= 60
            and bool(lex.list_separator.search(between))
            and "\n" not in between
            and not lex.relative_place.search(between)
        )

    lo = i
    while lo > 0 and listed(usable[lo - 1], usable[lo]):
        lo -= 1
    hi = i
    while hi + 1 < len(usable) and listed(usable[hi], usable[hi + 1]):
        hi += 1
    return usable[lo : hi + 1]


def _distinct(places: list[PlaceMention]) -> list[PlaceMention]:
    """One per resolved place; a province or district named as the container of a town goes."""
    out: list[PlaceMention] = []
    for p in places:
        assert p.place is not None
        key = p.place.geonames_id or p.place.name
        if any((q.place and (q.place.geonames_id or q.place.name) == key) for q in out):
            continue
        if p.place.feature in ("admin1", "admin2") and any(
            q.place and p.place.name in (q.place.admin1, q.place.admin2, q.place.name) for q in out
        ):
            continue
        out.append(p)
    return out


# --- the extractor ----------------------------------------------------------------------------


class Extraction(NamedTuple):
    """What the extractor finds in one article."""

    events: list[Event]
    #: events this article only denies: their claims wait for another article's report
    elsewhere: list[Event]
    dropped: list[Dropped]  # triggers that did not become events, with why
    quotes: list[Quote]  # with their speakers


def extract_events(item: AnalysedArticle, ontology: Ontology | None = None) -> Extraction:
    """Needs parse, times, actors, places; without a parse or a lexicon there are no events."""
    lang = item.language or ""
    lexicon = load_lexicon(lang)
    if item.parse is None or lexicon is None or not item.clean_text:
        return Extraction([], [], [], [])
    onto = ontology or load_ontology()
    ctx = Context(item, lexicon)
    attribute_quotes(ctx)
    published = item.published
    cands: list[Candidate] = []
    dropped: list[Dropped] = []
    for sent in ctx.parse.sentences:
        sent_cands = _sentence_candidates(ctx, sent, published, onto, dropped)
        _sentence_claims(ctx, sent, sent_cands, cands)
        cands.extend(sent_cands)
    real, elsewhere = _settle_claim_only(cands, dropped)
    real = _fold_headline(ctx, real)
    merged = []
    for c in _merge(real):
        if _class(c.type) in ("diplomacy", "agreement") and c.actor1 is None:
            # a statement nobody known makes, an agreement between nobody: not codable
            dropped.append(Dropped(c.type, ctx.text[slice(*c.trigger)], "made by no one known"))
        else:
            merged.append(c)
    for c in elsewhere:
        if c.date_rank == 0:
            c.day = None  # the publication date is not the denied event's: the merge looks back
    denied = [_to_event(ctx, c, onto) for c in elsewhere]
    return Extraction(
        [_to_event(ctx, c, onto) for c in merged],
        [e for e in denied if e.claims],  # a denial by a third party about the other side: none
        dropped,
        ctx.quotes,
    )


def _sentence_candidates(
    ctx: Context, sent: Sentence, published: date | None, onto: Ontology, dropped: list[Dropped]
) -> list[Candidate]:
    matches = _matches(ctx, sent)
    if not matches:
        return []
    strong_violence = any(
        not w and (t == "attack" or onto[t].event_class == "violence")
        for t, w, _, _ in matches
        if t in onto or t == "attack"
    )
    weapons = _weapons(ctx, sent.start, sent.end)
    groups: dict[str, Candidate] = {}
    para = ctx.paragraph_of(sent.start)
    names = [
        (a.start, a.end)
        for a in ctx.actors_between(sent.start - MAX_NAME, sent.end)
        if a.kind in ("organisation", "armed_group", "government", "ministry")
    ]
    for etype, weak, start, end in matches:
        if weak and strong_violence:
            continue
        if any(s <= start and end <= e for s, e in names):
            continue  # "Organisation du Traité de sécurité collective" names, it does not report
        head = ctx.head_of(start, end)
        generic = False
        if weak and ctx.lex.conflict.search(ctx.text, sent.start, sent.end):
            dropped.append(Dropped(etype, ctx.text[start:end], "a conflict's toll, not an event"))
            continue
        if (
            weak
            and etype == "attack_civilians"
            and ctx.natural_death
            and not _weapons(ctx, sent.start, sent.end)
        ):
            dropped.append(Dropped(etype, ctx.text[start:end], "a death from illness or age"))
            continue
        if weak and etype == "attack_civilians" and _military_victims(ctx, sent):
            etype = "armed_clash"
        if etype == "attack":
            etype = _resolve_attack(ctx, sent, weapons)
            if etype == "armed_clash" and not weapons:
                # "the attacks" with nothing said of how: the paragraph's, then the article's.
                lo = ctx.paragraph_starts[para]
                hi = (
                    ctx.paragraph_starts[para + 1]
                    if para + 1 < len(ctx.paragraph_starts)
                    else len(ctx.text)
                )
                context = _weapons(ctx, lo, hi) or ctx.article_weapons
                etype = _resolve_attack(ctx, sent, context)
                generic = True
        if onto[etype].event_class == "violence" and _crowd_agent(ctx, head):
            etype = "riot"  # "attacked by protesters": ACLED's violent demonstration
        if etype in ("appeal", "request"):
            if etype == "appeal" and not _has_call_complement(ctx, head):
                dropped.append(Dropped(etype, ctx.text[start:end], "a name, not a call"))
                continue
            etype = (
                _call_kind(ctx, head, sent)
                if etype == "appeal" or ctx.lex.language == "fr"
                else etype
            )
        mode = _modality(ctx, head, sent)
        text = ctx.text[start:end]
        if mode in ("future", "hypothetical") and _ultimatum_over(ctx, sent, head):
            # "will withdraw its troops unless…": announced under a condition, a threat
            etype, mode = "threat", "asserted"
        if mode != "asserted" and not (
            mode == "irrealis" and onto[etype].event_class == "diplomacy"
        ):
            dropped.append(Dropped(etype, text, mode))
            continue
        if ctx.tokens[head].dep in ("compound", "amod", "nmod") and ctx.lex.legal.fullmatch(
            ctx.tokens[ctx.tokens[head].head].text
        ):
            dropped.append(Dropped(etype, ctx.text[start:end], "a charge, not an event"))
            continue
        if (
            onto[etype].event_class != "violence"
            and ctx.tokens[head].dep in ("acl", "amod")
            and "VerbForm=Part" in ctx.tokens[head].morph
            and "Tense=Past" in ctx.tokens[head].morph
            and not any(ctx.tokens[c].dep.startswith("aux") for c in ctx.children[head])
            and not any(ctx.tokens[c].dep in AGENT_DEPS for c in ctx.children[head])
        ):
            dropped.append(
                Dropped(etype, ctx.text[start:end], "describes ('les forces déployées')")
            )
            continue
        if ctx.tokens[head].dep == "amod" and ctx.tokens[head].pos in ("VERB", "ADJ"):
            dropped.append(Dropped(etype, ctx.text[start:end], "an adjective ('a captured car')"))
            continue
        if _about_vehicles(ctx, head):
            dropped.append(Dropped(etype, ctx.text[start:end], "a vehicle stopped or struck"))
            continue
        if etype == "accusation" and _accusation_of_nothing(ctx, head):
            dropped.append(
                Dropped(etype, ctx.text[start:end], "condemns an event or names a charge")
            )
            continue
        if etype in ("agreement", "ceasefire") and _describes_agreement(ctx, head):
            dropped.append(Dropped(etype, ctx.text[start:end], "an agreement described, not made"))
            continue
        if (
            etype == "arrest"
            and not ctx.lex.arrestees.search(ctx.text, sent.start, sent.end)
            and not any(
                a.kind in ("person", "people", "armed_group")
                for a in ctx.actors_between(sent.start, sent.end)
            )
        ):
            dropped.append(Dropped(etype, ctx.text[start:end], "no one arrested"))
            continue
        if etype == "arrest" and _stops_an_event(ctx, head):
            dropped.append(Dropped(etype, ctx.text[start:end], "stopping, not an arrest"))
            continue
        over = _claim_stance_over(ctx, head)
        cls = onto[etype].event_class
        key = cls if cls in ("violence", "unrest") else etype
        if over:
            key = f"{key}:{over[0]}"
        existing = groups.get(key)
        if existing is not None and _dated_apart(ctx, sent, head, existing, published):
            key = f"{key}@{start}"  # "Monday's attack, the deadliest since an assault in 2018"
            existing = None
        if existing is not None:
            if SPECIFICITY.get(etype, 0) > SPECIFICITY.get(existing.type, 0):
                existing.type = etype
            continue
        cand = Candidate(
            type=etype, sentences=[sent], trigger=(start, end), paragraph=para, generic=generic
        )
        cand.confidence = 0.45 if weak else 0.7
        cand.weak = weak
        if over:
            cand.claim_only = over[0]
        _roles(ctx, cand, head, sent)
        if etype in ("appeal", "request", "threat", "accusation"):
            _parties_targets(ctx, cand, sent, head)
        if etype in ("ceasefire", "agreement", "consultation"):
            _fill_parties(ctx, cand, sent)
        if cand.actor1 is None and cls not in ("violence", "unrest", "other"):
            quote = ctx.quote_at(start)
            cand.actor1 = quote.speaker_mention if quote else None
        _attach_time(ctx, cand, sent, head, published)
        cand.anaphoric = _is_anaphoric(ctx, head) and cand.actor1 is None
        if published and _ongoing_since_long(ctx, sent, published):
            cand.historical = True  # "have been fighting since 1996": the background war
        if ctx.lex.historical_words.search(ctx.text, sent.start, sent.end):
            cand.historical = True
            if cand.date_rank < 2:  # "a précédemment déployé… début novembre 2020": its own time
                past = [t for t in ctx.times_between(sent.start, sent.end) if _date_of(t)]
                if past:
                    t = min(past, key=lambda t: t.date or "")
                    cand.day, cand.precision, cand.date_rank = _date_of(t), t.precision, 2
        if cls == "violence":
            cand.weapons = set(weapons)
            for cas in find_casualties(ctx.text[sent.start : sent.end], ctx.lex.language):
                (cand.fatalities if cas.kind == "killed" else cand.injuries).append(cas.count)
        groups[key] = cand
    violent = any(
        onto[c.type].event_class == "violence" and not (c.claim_only or c.historical or c.anaphoric)
        for c in groups.values()
    )
    # "accord de cessez-le-feu": the agreement is the ceasefire.
    if "ceasefire" in groups and "agreement" in groups:
        _absorb(groups["ceasefire"], groups.pop("agreement"))
    # "un attentat contre une foule de manifestants": the protesters are the victims.
    if "unrest" in groups and "violence" in groups:
        unrest, violence = groups["unrest"], groups["violence"]
        vhead = ctx.head_of(*violence.trigger)
        uhead = ctx.head_of(*unrest.trigger)
        if vhead in ctx.ancestors(uhead, 4) and violence.weapons & HEAVY:
            del groups["unrest"]
    # Protesters clashing with the police and throwing stones: the riot, not a second event.
    riot = groups.get("unrest")
    fight = groups.get("violence")
    if riot is not None and fight is not None and not fight.weapons & HEAVY:
        riot.type = "riot"
        _absorb(riot, groups.pop("violence"))
    out: list[Candidate] = []
    for cand in groups.values():
        if cand.type in ("accusation", "request", "consultation") and cand.actor2 is None:
            # The parser lost the addressee: the next party named after the trigger.
            for a in ctx.actors_between(cand.trigger[1], sent.end):
                if (
                    a.kind != "people"
                    and (cand.actor1 is None or a.country != cand.actor1.country)
                    and not ctx.in_attribution(a.start)
                ):
                    cand.actor2 = a
                    cand.targets.append(a)
                    break
        if cand.type in ("accusation", "request") and cand.actor2 is None:
            # "dénonçant le régime", "urged the authorities": the story's country's institution.
            inst = _institution(ctx, cand.trigger[1], sent.end)
            if inst is not None and ctx.main_country and ctx.main_country != cand.actor1_country:
                cand.actor2 = replace(
                    inst,
                    name=inst.name.format(_country_name(ctx.main_country)),
                    country=ctx.main_country,
                    kind="government",
                )
        if cand.type == "accusation" and cand.actor2 is None and not cand.targets:
            dropped.append(Dropped(cand.type, "", "an accusation of no one"))
            continue
        if cand.type == "request" and cand.actor2 is None and not cand.targets:
            dropped.append(Dropped(cand.type, "", "a request to no one"))
            continue
        if cand.type == "consultation" and (
            cand.actor2 is None
            or (cand.actor1 is not None and cand.actor1.name == cand.actor2.name)
        ):
            dropped.append(Dropped(cand.type, "", "a meeting needs two parties"))
            continue
        if cand.type == "accusation" and violent:
            dropped.append(Dropped(cand.type, "", "the accused event is coded"))
            continue
        if not onto[cand.type].located:
            if cand.event_class_is("agreement"):
                place, own = _locations(ctx, cand, sent)[0]
                cand.place, cand.place_own = place, own
            out.append(cand)
            continue
        locs = _locations(ctx, cand, sent)
        for place, own in locs:
            c = replace(
                cand,
                place=place,
                place_own=own,
                targets=list(cand.targets),
                weapons=set(cand.weapons),
                claims=list(cand.claims),
                fatalities=list(cand.fatalities) if len(locs) == 1 else [],
                injuries=list(cand.injuries) if len(locs) == 1 else [],
            )
            c.place_locative = own and place is not None and _locative(ctx, place)
            if own and place is not None and place.geo_precision <= 2 and not c.weak:
                ctx.lead_place = ctx.lead_place or place
            _default_actors(c)
            out.append(c)
    return out


def _ultimatum_over(ctx: Context, sent: Sentence, head: int) -> bool:
    """An action announced under a condition ("will withdraw unless…"); not the condition
    itself ("…unless a ceasefire is agreed")."""
    lineage = {head, *ctx.ancestors(head, 12)}
    found = False
    for m in ctx.lex.ultimatum.finditer(ctx.text, sent.start, sent.end):
        found = True
        cond = ctx.tokens[ctx.token_at(m.start())].head  # the verb the word introduces
        if cond in lineage:
            return False
    return found


def _crowd_agent(ctx: Context, head: int) -> bool:
    """Whether the one doing it is a crowd of demonstrators ("attacked by protesters")."""
    agents = []
    verbs = [head]
    # "ont pris d'assaut", "launched an attack", "tried to storm"
    if ctx.tokens[head].dep in OBJECT_DEPS | {"obl:arg", "xcomp"}:
        verbs.append(ctx.tokens[head].head)
    for c in (c for v in verbs for c in ctx.children[v]):
        dep = ctx.tokens[c].dep
        if dep in AGENT_DEPS:
            agents += [c, *(g for g in ctx.children[c] if ctx.tokens[g].dep == "pobj")]
        elif dep in SUBJECT_DEPS:
            agents.append(c)
    # "hundreds of protesters", "des centaines de manifestants"
    for a in list(agents):
        for c in ctx.children[a]:
            if ctx.tokens[c].dep == "nmod":
                agents.append(c)
            elif ctx.tokens[c].dep == "prep":
                agents += [g for g in ctx.children[c] if ctx.tokens[g].dep == "pobj"]
    for a in agents:
        m = ctx.lex.triggers.fullmatch(ctx.tokens[a].text)
        if m and m.lastgroup and ctx.lex.groups[m.lastgroup][0] in ("protest", "riot"):
            return True
    return False


def _is_anaphoric(ctx: Context, head: int) -> bool:
    tok = ctx.tokens[head]
    if tok.pos != "NOUN":
        return False
    return any(
        ctx.tokens[c].dep == "det" and ctx.tokens[c].lemma.lower() in ctx.lex.definite
        for c in ctx.children[head]
    )


#: Weapons that make violence more than a street clash.
HEAVY = frozenset(
    {"explosive", "artillery", "aircraft", "drone", "missile", "rocket", "mortar", "tank"}
)

#: ACLED's names for actors a report does not name, by type: who acts, who suffers.
UNNAMED = {
    "attack_civilians": ("Unidentified Armed Group ({})", "Civilians ({})"),
    "abduction": ("Unidentified Armed Group ({})", "Civilians ({})"),
    "protest": ("Protesters ({})", None),
    "riot": ("Rioters ({})", None),
    "arrest": ("Police Forces of {}", None),
}
DEFAULT_UNNAMED = "Unidentified Armed Group ({})"
#: How a placeholder's name begins: a record names no one when its actor starts so.
PLACEHOLDER_PREFIXES = tuple(
    sorted({t.split("{")[0] for pair in UNNAMED.values() for t in pair if t}
           | {DEFAULT_UNNAMED.split("{")[0]})
)  # fmt: skip


@cache
def _country_name(code: str) -> str:
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    return (getattr(c, "common_name", None) or c.name) if c is not None else code


def _unnamed(template: str, country: str) -> ActorMention:
    name = template.format(_country_name(country))
    return ActorMention(
        start=-1,
        end=-1,
        text="",
        actor_id=f"unnamed:{country}",
        name=name,
        country=country,
        kind="unnamed",
    )


def _default_actors(c: Candidate) -> None:
    """Who a report leaves unnamed is coded as ACLED does, with the place's country: an
    unidentified armed group acts, civilians suffer, the police arrest."""
    country = c.place.place.country if c.place and c.place.place else None
    if country is None and c.actor2 is not None:
        country = c.actor2.country
    c.country = country
    if not country or len(country) != 3:
        return
    first, second = UNNAMED.get(c.type, (DEFAULT_UNNAMED, None))
    if c.actor1 is None:
        c.actor1 = _unnamed(first, country)
    if c.actor2 is None:
        c.actor2 = _unnamed(second, country) if second else None
        if c.actor2 is None and _class(c.type) == "violence":
            c.actor2 = (
                _unnamed("Military Forces of {}", country) if c.actor1.country != country else None
            )


def _sentence_claims(
    ctx: Context, sent: Sentence, sent_cands: list[Candidate], earlier: list[Candidate]
) -> None:
    """Who says so: attribution verbs, "selon X", the quote the sentence sits in; a denial or
    acknowledgement with no event of its own refers to the recent events of the accused."""
    lex = ctx.lex
    found: list[ClaimDraft] = []
    for i in ctx.sentence_tokens(sent):
        tok = ctx.tokens[i]
        stance = lex.attribution.get(tok.lemma.lower())
        if stance is None or tok.pos not in ("VERB", "AUX", "NOUN"):
            continue
        if any(lex.responsibility.fullmatch(ctx.tokens[c].text) for c in ctx.children[i]):
            stance = "acknowledges"  # "claimed responsibility", "a revendiqué la responsabilité"
        speaker = _speaker(ctx, i)
        if speaker is None and tok.pos == "NOUN":
            lo, hi = ctx.subtree_span(i)
            speaker = ctx.actor_in(lo, hi)
        if speaker is None:
            subj, _agentive = _subject(ctx, i)
            if subj is not None:
                speaker = _institution(ctx, *ctx.subtree_span(subj))
        if speaker is not None:
            found.append(ClaimDraft(speaker, stance, sent))
    if lex.attribution_phrases is not None:
        for m in lex.attribution_phrases.finditer(ctx.text, sent.start, sent.end):
            a = ctx.actor_in(m.end(), min(sent.end, m.end() + 80))
            if a is None:
                a = _institution(ctx, m.end(), min(sent.end, m.end() + 40))
            if a is not None:
                found.append(ClaimDraft(a, "asserts", sent))
    quote = ctx.quote_at(sent.start) or ctx.quote_at(max(sent.start, sent.end - 2))
    if quote is not None and quote.speaker_mention is not None:
        found.append(ClaimDraft(quote.speaker_mention, "asserts", sent))
    for cand in sent_cands:
        for cl in found:
            if cand.claim_only and cl.stance == "asserts":
                continue
            cand.claims.append(cl)
    # A denial or acknowledgement that is not about an event of its own sentence.
    own_types = {c.type for c in sent_cands if not c.claim_only}
    if any(c.claim_only for c in sent_cands):
        return
    for cl in found:
        if cl.stance == "asserts" or cl.by is None:
            continue
        if own_types and not lex.anaphora.search(ctx.text, sent.start, sent.end):
            continue
        recent = [
            c
            for c in earlier[-12:]
            if c.paragraph >= ctx.paragraph_of(sent.start) - 2
            and not c.claim_only
            and not c.historical
            and _class(c.type) in ("violence", "unrest")
        ]
        accused = [c for c in recent if c.actor1_country and c.actor1_country == cl.by.country]
        targets = accused or recent[-1:]
        for c in targets:
            c.claims.append(cl)
        if not targets and cl.stance == "denies" and ctx.last_assertion is not None:
            # "X a déclaré que les rebelles… Les rebelles ont nié ces accusations": with no
            # codable event between them, what is coded is the accusation, and its denial.
            said, said_in = ctx.last_assertion
            if (
                said.by is not None
                and said.by is not cl.by
                and lex.anaphora.search(ctx.text, sent.start, sent.end)
            ):
                acc = Candidate(
                    type="accusation",
                    sentences=[said_in, sent],
                    trigger=(said_in.start, said_in.start),
                    actor1=said.by,
                    actor2=cl.by,
                    paragraph=ctx.paragraph_of(said_in.start),
                )
                acc.claims = [said, cl]
                _attach_time(ctx, acc, said_in, ctx.token_at(said_in.start), ctx.item.published)
                sent_cands.append(acc)
                ctx.last_assertion = None
    asserted = [cl for cl in found if cl.stance == "asserts" and cl.by is not None]
    if asserted:
        ctx.last_assertion = (asserted[0], sent)


def _institution(ctx: Context, start: int, end: int) -> ActorMention | None:
    """ "selon la police", "officials said": an institution of the country the story is in; its
    country is filled in from the event's place when the event is written."""
    m = ctx.lex.institutions.search(ctx.text, start, end)
    if m is None:
        return None
    kind = ctx.lex.institution_kind[m.group(0).lower()]
    return ActorMention(
        start=m.start(),
        end=m.end(),
        text=m.group(0),
        actor_id=f"institution:{kind}",
        name=INSTITUTION_NAMES[kind],
        country=None,
        kind="institution",
    )


#: ACLED's names for a country's institutions, by kind.
INSTITUTION_NAMES = {
    "police": "Police Forces of {}",
    "military": "Military Forces of {}",
    "government": "Government of {}",
}


def _fold_headline(ctx: Context, cands: list[Candidate]) -> list[Candidate]:
    """A headline sums up the story: its event is the body's first event of the same type
    (same class for violence), whatever the headline's compressed grammar made of its actors."""
    title = ctx.item.title
    if not title or not ctx.text.startswith(title):
        return cands
    end = len(title)
    heads = [c for c in cands if c.sentences[0].start < end]
    body = [c for c in cands if c.sentences[0].start >= end]
    kept = list(body)
    for h in heads:
        key = _class(h.type) if _class(h.type) in ("violence", "unrest") else h.type
        same = [
            b
            for b in body
            if (_class(b.type) if _class(b.type) in ("violence", "unrest") else b.type) == key
            and b.historical == h.historical
        ]
        if same:
            target = same[0]
            h.actor1 = h.actor1 if target.actor1 is None else None
            h.actor2 = h.actor2 if target.actor2 is None else None
            h.place_own = False
            _absorb(target, h)
        else:
            kept.append(h)
    return sorted(kept, key=lambda c: c.sentences[0].start)


def _elsewhere(a: Candidate, b: Candidate) -> bool:
    """`b` says where, and `a` is not there: an admission about a jet shot down near Tehran is
    not about missiles fired at bases in Iraq."""
    if not (b.place_own and b.place and b.place.place and b.place.geo_precision <= 2):
        return False
    if not (a.place_own and a.place and a.place.place):
        return False  # the other report does not say where: it may well be the same
    if a.place.geo_precision > 2 or b.place.geo_precision > 2:
        return a.place.place.country != b.place.place.country
    return not _same_place(a, b)


def _settle_claim_only(
    cands: list[Candidate], dropped: list[Dropped]
) -> tuple[list[Candidate], list[Candidate]]:
    """A trigger under "a nié" or "a reconnu" is a claim on another report of the same event:
    it joins the compatible events; an admission with nothing to join is an event of its own; a
    denial with nothing to join is about an event another article reports (second list)."""
    real = [c for c in cands if not c.claim_only]
    elsewhere = []
    for c in cands:
        if not c.claim_only:
            continue
        matches = [
            r
            for r in real
            if _class(r.type) == _class(c.type)
            and not r.historical
            and (
                r.actor1_country is None
                or c.actor1_country is None
                or r.actor1_country == c.actor1_country
            )
            and not _elsewhere(r, c)
        ]
        claims = [cl for cl in c.claims if cl.stance == c.claim_only]
        by = {cl.by.country for cl in claims if cl.by}
        accused = [r for r in matches if r.actor1_country in by]
        matches = accused or matches
        if matches:
            for r in matches:
                r.claims.extend(claims)
                r.sentences.extend(s for s in c.sentences if s not in r.sentences)
        elif c.claim_only == "acknowledges":
            c.claim_only = None
            real.append(c)
        elif any(cl.by for cl in claims) and not c.historical:
            c.claims = claims
            elsewhere.append(c)
        else:
            dropped.append(Dropped(c.type, "", "denied by no one known"))
    return real, elsewhere


def _class(etype: str) -> str:
    return load_ontology()[etype].event_class


def _same_place(a: Candidate, b: Candidate) -> bool:
    pa, pb = a.place.place if a.place else None, b.place.place if b.place else None
    if pa is None or pb is None:
        return pa is pb
    ma, mb = a.place, b.place
    assert ma is not None and mb is not None
    if (ma.via.startswith("fallback") or mb.via.startswith("fallback")) and name_key(
        ma.text
    ) != name_key(mb.text):
        return False  # "Sinjar, a village near Hilla" is placed at Hilla, but is not Hilla
    if pa.geonames_id and pa.geonames_id == pb.geonames_id:
        return True
    return pa.name == pb.name and pa.country == pb.country


def _compatible(a: Candidate, b: Candidate) -> bool:
    if a.historical != b.historical:
        return False
    ca, cb = _class(a.type), _class(b.type)
    if (a.weak or b.weak) and {ca, cb} == {"violence", "unrest"}:
        ca = cb  # "the night's incidents injured fourteen officers": the riot's injured
    if ca != cb or (ca not in ("violence", "unrest") and a.type != b.type):
        return False
    if a.day and b.day and a.day != b.day and a.date_own and b.date_own:
        slack = (
            7
            if max(a.precision, b.precision) == 2
            else 31
            if max(a.precision, b.precision) == 3
            else 0
        )
        if a.weak or b.weak:
            slack = max(slack, 2)  # died of wounds the next day
        if abs((a.day - b.day).days) > slack:
            return False
    if ca == "agreement" or a.type == "consultation":
        pa = {x.country for x in (a.actor1, a.actor2, a.mediator) if x}
        pb = {x.country for x in (b.actor1, b.actor2, b.mediator) if x}
        return not (pa and pb) or pa <= pb or pb <= pa
    if (
        a.named_actor1_country
        and b.named_actor1_country
        and a.named_actor1_country != b.named_actor1_country
    ):
        return False
    if ca in ("diplomacy",):
        if a.actor1_country is None or b.actor1_country is None:
            return False
        ta = {t.country for t in ([a.actor2] if a.actor2 else []) + a.targets}
        tb = {t.country for t in ([b.actor2] if b.actor2 else []) + b.targets}
        if ta and tb and not ta & tb:
            return False
    return True


def _absorb(into: Candidate, other: Candidate, share_figures: bool = True) -> None:
    into.weak = into.weak and other.weak
    if into.generic and not other.generic and _class(other.type) == _class(into.type):
        into.type, into.generic = other.type, False
    elif (
        SPECIFICITY.get(other.type, 0) > SPECIFICITY.get(into.type, 0)
        and other.place_own == into.place_own
        and not other.generic
    ):
        into.type = other.type
    into.sentences.extend(s for s in other.sentences if s not in into.sentences)
    into.claims.extend(other.claims)
    into.weapons |= other.weapons
    if share_figures:
        into.fatalities.extend(other.fatalities)
        into.injuries.extend(other.injuries)
    into.targets.extend(
        t for t in other.targets if all(t.country != u.country for u in into.targets)
    )
    for role in ("actor1", "actor2", "mediator"):
        mine, theirs = getattr(into, role), getattr(other, role)
        if other.weak and mine is not None:
            continue
        if theirs is not None and (
            mine is None or (mine.kind == "unnamed" and theirs.kind != "unnamed")
        ):
            setattr(into, role, theirs)
    if other.weak and not into.weak:
        pass  # a death told later does not redate or move the attack that caused it
    elif other.date_rank > into.date_rank or (
        other.date_rank == into.date_rank == 2 and other.precision < into.precision
    ):
        into.date_rank = other.date_rank
        into.day, into.time, into.precision, into.date_own = (
            other.day,
            other.time,
            other.precision,
            True,
        )
    if into.time is None and other.time and other.day == into.day:
        into.time = other.time
    if other.place_own and not into.place_own:
        into.place, into.place_own, into.country = other.place, True, other.country
    into.confidence = min(0.95, max(into.confidence, other.confidence) + 0.05)


def _sentence_country(c: Candidate) -> str | None:
    """The country of the place a report names (an agreement "à Alep" binds Syria's parties)."""
    if c.place is not None and c.place.place is not None:
        return c.place.place.country
    return None


def _nearest_hosts(c: Candidate, hosts: list[Candidate]) -> list[Candidate]:
    """The events a report without a place belongs to: those told in its paragraph, else the
    one told nearest to it (a headline's "attack" is the article's main attack)."""
    para = c.paragraph
    if c.date_own and c.precision <= 2:
        # "Monday's attack" is Monday's, not last week's told nearer
        hosts = [o for o in hosts if o.day == c.day] or hosts
    same = [o for o in hosts if o.paragraph == para or any(s in o.sentences for s in c.sentences)]
    if same:
        return same
    return [min(hosts, key=lambda o: (abs(o.paragraph - para), o.paragraph))]


def _merge(cands: list[Candidate]) -> list[Candidate]:
    """The same event reported by several sentences (or a copy cleaning missed) is one event.
    Reports with their own place merge by place; a report without one joins every compatible
    event that has one ("artillery strikes on border towns" + the towns named next)."""
    placed: list[Candidate] = []
    loose: list[Candidate] = []
    for c in cands:
        located = _class(c.type) in ("violence", "unrest", "other")
        (
            placed if located and c.place_own and c.place and c.place.geo_precision <= 2 else loose
        ).append(c)
    out: list[Candidate] = []
    for c in placed:
        for o in out:
            if _same_place(o, c) and _compatible(o, c):
                _absorb(o, c)
                break
        else:
            out.append(c)
    rest: list[Candidate] = []
    for c in loose:
        if c.anaphoric:
            prior = [
                o
                for o in out + rest
                if o.type == c.type
                and not o.historical
                and not c.historical  # "the protests began in June" does not redate today's
                and o.sentences[0].start < c.sentences[0].start
            ]
            if prior:
                _absorb(prior[-1], c)
                continue
            if _class(c.type) in ("violence", "unrest"):
                continue  # "these attacks" with nothing before them to refer to
        hosts = [
            o
            for o in out
            if _compatible(o, c)
            and not (c.place_locative and c.country and o.country and c.country != o.country)
        ]  # "en Arabie saoudite" does not join an attack in Iraq
        if hosts and _class(c.type) in ("violence", "unrest", "other"):
            for o in _nearest_hosts(c, hosts):
                _absorb(o, c, share_figures=len(hosts) == 1)
            continue
        for o in rest:
            unplaced = _class(c.type) not in ("violence", "unrest", "other")
            if _compatible(o, c) and (
                unplaced or _same_place(o, c) or not (o.place_own and c.place_own)
            ):
                _absorb(o, c)
                break
        else:
            rest.append(c)
    for c in rest:
        if _class(c.type) == "agreement" and c.actor1 is None:
            country = _sentence_country(c)
            if country:
                c.actor1 = _unnamed("Government of {}", country)
    return out + rest


# --- records ----------------------------------------------------------------------------------


def _relevant_claims(c: Candidate) -> list[ClaimDraft]:
    """An admission or denial by one side is not about what the other side did."""
    accused = c.named_actor1_country
    if not accused or _class(c.type) != "violence":
        return c.claims
    return [
        cl for cl in c.claims if cl.stance == "asserts" or cl.by is None or cl.by.country == accused
    ]


def _claimant_country(c: Candidate, cl: ClaimDraft) -> str | None:
    if cl.by is None:
        return None
    if cl.by.kind == "institution":  # "selon la police": the police of the event's country
        return c.country or (c.actor1.country if c.actor1 else None)
    return cl.by.country


def _status(c: Candidate) -> str:
    stances = {(_claimant_country(c, cl), cl.stance) for cl in _relevant_claims(c)}
    return derive_status(stances, c.actor1_country, c.actor2.country if c.actor2 else None)


def _to_event(ctx: Context, c: Candidate, onto: Ontology) -> Event:
    etype = onto[c.type]
    item = ctx.item
    article_id = item.article_id
    sentences = sorted(set(c.sentences), key=lambda s: s.start)
    sources = tuple(
        Source(
            span=Span(article_id, s.start, s.end),
            input_id=item.article.input_id,
            url=item.url or item.article.url,
            published=item.published,
            sentence=ctx.text[s.start : s.end],
        )
        for s in sentences
    )
    seen_claims: set[tuple[str | None, str, int]] = set()
    claims = []
    for cl in _relevant_claims(c):
        key = (cl.by.name if cl.by else None, cl.stance, cl.sentence.start)
        if key in seen_claims:
            continue
        seen_claims.add(key)
        by_name, by_country = (cl.by.name, cl.by.country) if cl.by else (None, None)
        if cl.by is not None and cl.by.kind == "institution":
            by_country = _claimant_country(c, cl)
            template = cl.by.name
            by_name = template.format(_country_name(by_country) if by_country else "?")
        claims.append(
            Claim(
                by=by_name,
                by_country=by_country,
                stance=cast(Stance, cl.stance),
                span=Span(article_id, cl.sentence.start, cl.sentence.end),
                sentence=ctx.text[cl.sentence.start : cl.sentence.end],
            )
        )
    place = c.place.place if (c.place and c.place.place and etype.located) else None
    precision = c.place.geo_precision if (c.place and place) else 3
    if place and place.feature in ("country", "region", "continent"):
        precision = 3
    elif place and not c.place_own:
        # a place borrowed from the paragraph or the article situates the event, it does not
        # pin it: ACLED's "near this town / in this district" precision
        precision = max(precision, 2)
    location = place.name if place else None
    country = (place.country if place else None) or (c.country if etype.located else None)
    identity = "|".join(
        str(x) for x in (article_id, c.type, c.day, location, c.actor1_country, sentences[0].start)
    )
    event_id = "ev_" + hashlib.sha1(identity.encode()).hexdigest()[:16]
    event = Event(
        event_id=event_id,
        type=c.type,
        event_class=etype.event_class,
        acled_event_type=etype.acled_event_type,
        acled_sub_event_type=etype.acled_sub_event_type,
        plover=etype.plover,
        event_date=c.day,
        event_time=c.time,
        time_precision=c.precision,
        historical=c.historical,
        actor1=c.actor1.name if c.actor1 else None,
        actor2=c.actor2.name if c.actor2 else None,
        mediator=c.mediator.name if c.mediator else None,
        actor1_country=c.actor1_country,
        actor2_country=c.actor2.country if c.actor2 else None,
        mediator_country=c.mediator.country if c.mediator else None,
        targets=tuple(dict.fromkeys(t.country for t in c.targets if t.country)),
        country=country,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        location=location,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
        geo_precision=precision,
        geonames_id=place.geonames_id if place else None,
        weapons=tuple(sorted(c.weapons)),
        fatalities=min(c.fatalities) if c.fatalities else None,
        injuries=min(c.injuries) if c.injuries else None,
        claims=tuple(claims),
        sources=sources,
        confidence=round(c.confidence, 2),
    )
    event = replace(event, status=_status(c))  # type: ignore[arg-type]
    return replace(event, notes=summary(event))


def summary(e: Event) -> str:
    """One English sentence in ACLED's style, from the record's own fields."""
    who = e.actor1 or "Unidentified actors"
    what = e.type.replace("_", " ")
    whom = (
        f" against {e.actor2}"
        if e.actor2 and e.event_class == "violence"
        else (f" with {e.actor2}" if e.actor2 else "")
    )
    where = f" in {e.location}" if e.location else ""
    when = f" on {e.event_date.isoformat()}" if e.event_date else ""
    deaths = f"; {e.fatalities} killed" if e.fatalities else ""
    return f"{who}: {what}{whom}{where}{when}{deaths}."
