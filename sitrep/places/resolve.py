"""Toponym detection and resolution with the article as context.

A name has many candidates ("Novoivanovka": four in Ukraine, one in Russia). The article decides:
countries and provinces it names (and its actors' countries) pull candidates towards them, an
area named right after the place ("... dans la région de Gadabay") must contain it, and a
candidate abroad loses to a fallback on the named area rather than winning by population. What
is left is population and feature class, the priors every geocoder uses.
"""

from __future__ import annotations

import itertools
import math
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from sitrep.model import ActorMention, Parse, Place, PlaceMention
from sitrep.places.gazetteer import Entry, Gazetteer
from sitrep.places.geo import haversine_km
from sitrep.places.names import name_key

AREAS = frozenset({"country", "admin1", "admin2", "region", "continent"})
#: Actor kinds whose mentions are also places: a state ("l'Arménie") and a capital standing
#: for its government ("Moscou").
PLACE_LIKE = frozenset({"state", "government"})
#: Actor kinds that belong to a state (an organisation's code is not a country).
STATE_KINDS = frozenset(
    {"state", "government", "military", "ministry", "police", "people", "person"}
)
#: Areas whose every name (not only the English one) is enough to call a word a place.
BIG_AREAS = frozenset({"country", "continent", "region"})
#: spaCy entity labels that are places (English OntoNotes, French WikiNER).
PLACE_LABELS = frozenset({"GPE", "LOC"})
OTHER_NAME_LABELS = frozenset({"ORG", "MISC", "PERSON", "PER", "NORP"})
#: Labels that are places only when the gazetteer knows the name (English "FAC" covers
#: buildings and airports, and, in the small model, towns it is unsure of).
MAYBE_PLACE_LABELS = frozenset({"FAC"})
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class Cues:
    container: frozenset[str]
    locative: frozenset[str]
    articles: frozenset[str]
    not_places: frozenset[str]
    facility: re.Pattern[str]
    near: re.Pattern[str]


@lru_cache(maxsize=8)
def cues(language: str) -> Cues:
    path = Path(__file__).parent / "data" / "cues.yaml"
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    lang = data.get(language) or data["en"]
    container, locative, articles, not_places = (
        frozenset(name_key(str(w)) or str(w) for w in lang[k])
        for k in ("container", "locative", "articles", "not_places")
    )
    heads = "|".join(re.escape(str(w)) for w in lang.get("facilities") or []) or "(?!)"
    facility = re.compile(rf"\s+(?:{heads})\b", re.IGNORECASE)
    near = re.compile(str(lang.get("near") or "(?!)"), re.IGNORECASE)
    return Cues(container, locative, articles, not_places, facility, near)


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    candidates: tuple[Entry, ...]
    key: str
    from_ner: bool
    container: _Mention | None = None
    chosen: Entry | None = None
    precision: int = 3
    via: str = ""
    score: float = 0.0


def resolve_toponyms(
    text: str,
    spans: Sequence[tuple[int, int]],
    gazetteer: Gazetteer,
    language: str = "en",
    context_countries: Iterable[str] = (),
) -> list[PlaceMention]:
    """Resolve given toponym spans (one PlaceMention per span, in order)."""
    return _resolved(text, [(s, e, True) for s, e in spans], gazetteer, language, context_countries)


def find_places(
    text: str,
    language: str,
    gazetteer: Gazetteer,
    parse: Parse | None = None,
    nlp: Any = None,
    actors: Sequence[ActorMention] | None = None,
    published: date | None = None,
) -> list[PlaceMention]:
    """Detect toponyms (NER places, plus gazetteer names in place-like positions) and resolve
    them. `parse` is the NLP stage's output for `text` (`nlp`, a spaCy pipeline, makes one);
    `actors` the actor stage's (found here when not given)."""
    from sitrep.nlp import MAX_CHARS, parse_text

    text = text[:MAX_CHARS]  # as spaCy: places are looked for in an article's first 200,000
    if parse is None and nlp is not None:
        parse = parse_text(nlp, text)
    if actors is None:
        from sitrep.actors import find_actors

        actors = find_actors(text, language, published)
    # states acting in the article ("l'armée azerbaïdjanaise") are context for its places; a
    # ministry, a person, a group or a people named like a place is not a place
    countries = [a.country for a in actors if a.country and a.kind in STATE_KINDS]
    not_places = [(a.start, a.end) for a in actors if a.kind not in PLACE_LIKE]
    spans = detect(text, language, gazetteer, parse, not_places)
    return _resolved(text, spans, gazetteer, language, countries)


def _resolved(
    text: str,
    spans: Sequence[tuple[int, int, bool]],
    gazetteer: Gazetteer,
    language: str,
    context_countries: Iterable[str],
) -> list[PlaceMention]:
    mentions = [_make(text, s, e, gazetteer, language, ner) for s, e, ner in spans]
    _resolve(text, mentions, gazetteer, language, context_countries)
    return [_public(m) for m in mentions]


def detect(
    text: str,
    language: str,
    gazetteer: Gazetteer,
    parse: Parse | None,
    exclude: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int, bool]]:
    """Toponym spans: (start, end, came from NER). `exclude`: spans known to be something else
    (a ministry, a person, a demonym found by the actor dictionary)."""
    cue = cues(language)
    found: list[tuple[int, int, bool]] = []
    # character masks instead of pairwise span tests: detection stays linear on long pages
    taken = bytearray(len(text) + 1)
    excl = bytearray(len(text) + 1)
    for xs, xe in exclude:
        excl[xs:xe] = b"\x01" * (xe - xs)
    other_ids = array("i", bytes(4 * (len(text) + 1)))
    other: list[tuple[int, int]] = []

    def add_other(s: int, e: int) -> None:
        other.append((s, e))
        other_ids[s:e] = array("i", [len(other)] * (e - s))

    def excluded(s: int, e: int) -> bool:
        if e <= s or excl[s:e].count(1) != e - s:
            return False
        # "Argentine" is a people and a country: the gazetteer's country wins
        key = name_key(_ELIDED.sub("", text[s:e]))
        return not any(c.feature in BIG_AREAS for c in gazetteer.lookup_key(key))

    if parse is not None:
        for ent in parse.entities:
            if ent.label in MAYBE_PLACE_LABELS and not gazetteer.lookup(
                _ELIDED.sub("", text[ent.start : ent.end])
            ):
                add_other(ent.start, ent.end)
            elif ent.label in PLACE_LABELS | MAYBE_PLACE_LABELS:
                s, e = _trim(text, ent.start, ent.end, gazetteer)
                e = _town_of_facility(text, s, e, cue, gazetteer)
                bare = _ELIDED.sub("", text[s:e])
                if (
                    len(bare) > 1
                    and (bare[:1].isupper() or _ARABIC_ARTICLE.match(bare) is not None)
                    and (_ROAD.fullmatch(bare) is not None or not any(c.isdigit() for c in bare))
                    and not (bare.isupper() and len(bare) <= 5 and not gazetteer.lookup(bare))
                    and name_key(bare) not in cue.not_places
                    and not excluded(s, e)
                    and not _looks_like_demonym(bare, gazetteer)
                ):
                    found.append((s, e, True))
                    taken[ent.start : ent.end] = b"\x01" * (ent.end - ent.start)
            elif ent.label in OTHER_NAME_LABELS:
                add_other(ent.start, ent.end)
    # capitalised runs the NER missed or mislabelled, kept if the gazetteer knows them and they
    # stand where places stand (after "à", "in", "near"...) or name a country or province
    runs = _capitalised_runs(text)
    if parse is not None:
        # a gazetteer name found outside the NER must be a proper noun to spaCy ("Son" the
        # determiner and "Industrie" the noun are villages somewhere)
        proper = {(t.start, t.end) for t in parse.tokens if t.pos in ("PROPN", "X")}
        runs = [r for r in runs if _all_proper(text, r[0], r[1], proper)]
    keys = {name_key(text[s:e]) for s, e, _ in runs}
    known = gazetteer.known_keys(keys)
    last_end = -10
    for s, e, prev in runs:
        if 1 in taken[s:e] or excluded(s, e):
            continue
        key = name_key(text[s:e])
        if key not in known or key in cue.not_places:
            continue
        entries = gazetteer.lookup_key(key)
        area = any(c.feature in BIG_AREAS or (c.feature in AREAS and c.main) for c in entries)
        k = other_ids[s]
        inside = k != 0 and other_ids[e - 1] == k and other[k - 1] != (s, e)
        # "the Jolo Cathedral", "Kabul Airport": a building named after its town is in it
        facility = (
            cue.facility.match(text, e) is not None
            and _CAPITALISED_BEFORE.search(text, max(0, s - 40), s) is None
        )  # "John F. Kennedy Airport" is named after a man
        inside = inside and not facility
        coordinated = re.fullmatch(r"\s*(,|et|and|ou|or|&)\s*", text[last_end:s]) is not None
        # inside a longer name ("Agence France Presse", "Vladimir Poutine") it is not a place
        keep = not inside and (
            area or coordinated or facility or any(w in cue.locative for w in prev.split())
        )
        if keep:
            found.append((s, e, False))
            taken[s:e] = b"\x01" * (e - s)
            last_end = e
    if language == "fr":
        found = [_with_head(text, s, e, ner) for s, e, ner in found]
        for s, e, _ in found:
            taken[s:e] = b"\x01" * (e - s)
        found += _odonyms(text, taken)
    found += _roads(text, taken)
    found.sort()
    return found


_CAPITALISED_BEFORE = re.compile(r"[A-ZÀ-Þ][\w.'’-]*\s+$")
_ROAD_WORDS = re.compile(
    r"(?i)\b(?:autoroutes?|routes?|nationales?|départementales?|péages?|échangeurs?|bretelles?|"
    r"highways?|motorways?|roads?|interstates?|freeways?|junctions?)\b"
)
_ROAD_TOKEN = re.compile(r"(?<![\w.-])(?:[lL]['’])?((?:A|N|RN|RD|M|E|I)[- ]?\d{1,4})(?![\w.-])")


def _roads(text: str, taken: bytearray) -> list[tuple[int, int, bool]]:
    """Road numbers ("l'A9", "the M20", "RN 79") where the text is talking about roads."""
    out: list[tuple[int, int, bool]] = []
    for m in _ROAD_TOKEN.finditer(text):
        s, e = m.span(1)
        near = text[max(0, s - 200) : e + 100]
        if (m.group().lower().startswith(("l'", "l’")) or _ROAD_WORDS.search(near)) and (
            1 not in taken[s:e]
        ):
            out.append((s, e, False))
    return out


_ODONYM = re.compile(
    r"(?<![Àà] la )(?<!\bla )\b(place|rue|avenue|boulevard|quai|gare|porte|pont|parvis|esplanade|"
    r"square|impasse|allée|cours)\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|d['’]\s*)?"
    r"[A-ZÀ-Þ][\w'’-]*(?:\s+(?:de\s+la\s+|du\s+|des\s+|de\s+)?[A-ZÀ-Þ][\w'’-]*)*"
)


def _odonyms(text: str, taken: bytearray) -> list[tuple[int, int, bool]]:
    """French streets, squares and stations: "place de la République", "gare Saint-Lazare"."""
    out: list[tuple[int, int, bool]] = []
    for m in _ODONYM.finditer(text):
        s, e = m.span()
        if 1 not in taken[s:e]:
            out.append((s, e, False))
    return out


def _town_of_facility(text: str, start: int, end: int, cue: Cues, gazetteer: Gazetteer) -> int:
    """ "the Mosul Dam": the gazetteer knows the town, not the dam, which is where the town is."""
    name = text[start:end]
    if gazetteer.lookup(name):
        return end
    for m in cue.facility.finditer(name):
        if m.end() == len(name) and m.start() > 0 and gazetteer.lookup(name[: m.start()]):
            return start + m.start()
    return end


def _with_head(text: str, start: int, end: int, ner: bool) -> tuple[int, int, bool]:
    m = _FR_HEAD_BEFORE.search(text, max(0, start - 25), start)
    if m and m.end() == start:
        return m.start(), end, ner
    return start, end, ner


def _looks_like_demonym(word: str, gazetteer: Gazetteer) -> bool:
    """'Iraniens', 'Québécois': a nationality, not a place (unless the gazetteer says so)."""
    key = name_key(word)
    if key in demonyms():
        return True
    return " " not in word and _DEMONYM.search(word) is not None and not gazetteer.lookup_key(key)


def _all_proper(text: str, start: int, end: int, proper: set[tuple[int, int]]) -> bool:
    for m in _TOKEN.finditer(text, start, end):
        if m.group()[:1].isupper() and (m.start(), m.end()) not in proper:
            return False
    return True


def _capitalised_runs(text: str) -> list[tuple[int, int, str]]:
    """Runs of capitalised words (with inner connectors: "Khan Younès", "Rostov-sur-le-Don",
    "Bosnia and Herzegovina"), each with the key of the word before it."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    connectors = {"de", "du", "des", "la", "le", "al", "el", "and", "of", "sur", "upon", "ad"}
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        word = tokens[i][2]
        if not word[:1].isupper() or not word[:1].isalpha():
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            nxt = tokens[j + 1][2]
            if nxt[:1].isupper() and nxt[:1].isalpha():
                j += 1
            elif (
                nxt.lower() in connectors
                and j + 2 < len(tokens)
                and tokens[j + 2][2][:1].isupper()
                and tokens[j + 2][2][:1].isalpha()
            ):
                j += 2
            else:
                break
            if j - i >= 4:
                break
        prev = name_key(tokens[i - 1][2]) if i > 0 else ""
        if prev == "of" and i > 1:
            # "the town of Pandeglang": the noun before "of" is the cue
            prev = f"{name_key(tokens[i - 2][2])} {prev}"
        sentence_start = i == 0 or tokens[i - 1][2] in '.!?«»"“”:;'
        # every sub-run, longest first, so "Gadabay" is found inside "Rayon Gadabay Novo"
        for a in range(i, j + 1):
            for b in range(j, a - 1, -1):
                before = prev if a == i else name_key(tokens[a - 1][2])
                if a == i and sentence_start and b == a and before == "":
                    before = "^"
                out.append((tokens[a][0], tokens[b][1], before))
        i = j + 1
    out.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    return out


_HEAD = re.compile(
    r"(?:(?:l['’]\s*)?(?:État|Etat|Territoire|Province|Région|Département|Comté|Oblast|"
    r"Gouvernorat|Wilaya)\s+(?:de\s+la\s+|de\s+l['’]\s*|de\s+|du\s+|des\s+|d['’]\s*)"
    r"|(?:la|le|les|the)\s+|l['’]\s*)(?=\w)",
    re.IGNORECASE,
)


def _trim(text: str, start: int, end: int, gazetteer: Gazetteer | None = None) -> tuple[int, int]:
    """Drop a leading article ("la Crimée", "l'Irak"), a leading "État de" (the name is
    "Roraima") and an English possessive; keep an abbreviation's final dot ("U.S.")."""
    span = text[start:end]
    m = _HEAD.match(span)
    # "La Ciotat", "Le Havre", "The Hague": a capitalised article that the gazetteer knows as
    # part of the name stays
    part_of_name = span[:1].isupper() and gazetteer is not None and bool(gazetteer.lookup(span))
    if m and end - start - m.end() > 1 and span[m.end()].isupper() and not part_of_name:
        start += m.end()
    while end > start and text[end - 1] in ",;:'’ ":
        end -= 1
    if text[start:end].endswith(("'s", "’s")):
        end -= 2
    return start, end


#: French place names that begin with a common noun: "place de la République", "île de Farsi".
_FR_HEAD_BEFORE = re.compile(
    r"(?:^|(?<=[\s'’(«]))(place|rue|avenue|boulevard|quai|pont|gare|aéroport|île|îles|palais|"
    r"col|cours|impasse|allée|square|esplanade|parvis)\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|"
    r"des\s+|de\s+|d['’]\s*)?$"
)
_FR_HEAD = re.compile(
    r"^(?:place|rue|avenue|boulevard|quai|pont|gare|aéroport|île|îles|palais|col|cours|impasse|"
    r"allée|square|esplanade|parvis)\s+(?:de\s+la\s+|de\s+l['’]\s*|du\s+|des\s+|de\s+|"
    r"d['’]\s*)?",
    re.IGNORECASE,
)
#: Roads are places where things happen: "A9", "RN 79", "M20", "N-340", "I-95".
_ROAD = re.compile(r"(?:A|N|RN|RD|D|M|E|I|B|R|H|AH)[- ]?\d{1,4}")
_ARABIC_ARTICLE = re.compile(r"(?:al|el|ad|ar|as|ash|at|az|an)-[A-ZÀ-Þ]")
_ELIDED = re.compile(r"(?i)^(?:l|d|qu|jusqu)['’]\s*")
#: Single words shaped like French or English nationality nouns ("Québécois", "Iraniens").
_DEMONYM = re.compile(
    r"(?:ais|aise|aises|ois|oise|oises|ien|iens|ienne|iennes|ain|ains|aine|aines|éen|éens|"
    r"éenne|éennes|ans|ese|ian|ians|ish|i|is|ite|ites|ique|iques|ol|ols|ole|oles|sse|sses|"
    r"ien|èque|èques|ote|otes|and|ands|ande|andes)$"
)


def _make(
    text: str, start: int, end: int, gaz: Gazetteer, language: str, from_ner: bool
) -> _Mention:
    cue = cues(language)
    surface = text[start:end]
    bare = _FR_HEAD.sub("", _ELIDED.sub("", surface)) if language == "fr" else surface
    key = name_key(bare)
    cands = gaz.lookup_key(key)
    if not cands:
        words = key.split()
        if len(words) > 1 and words[0] in cue.articles:
            key = " ".join(words[1:])
            cands = gaz.lookup_key(key)
    if not cands and key.endswith(" s"):
        key = key[:-2]
        cands = gaz.lookup_key(key)
    return _Mention(start, end, surface, cands, key, from_ner)


def _resolve(
    text: str,
    mentions: list[_Mention],
    gaz: Gazetteer,
    language: str,
    context_countries: Iterable[str],
) -> None:
    cue = cues(language)
    _link_containers(text, mentions, cue)
    countries: Counter[str] = Counter()
    admins: Counter[tuple[str, str]] = Counter()
    for alpha3 in context_countries:
        entry = gaz.country3(alpha3)
        if entry and entry.cc:
            countries[entry.cc] += 1
    base = countries.copy()
    # pass 1: what the article names without ambiguity sets the context
    votes: list[tuple[str | None, tuple[str, str] | None, int]] = []
    for m in mentions:
        votes.append(_vote(_obvious(m), countries, admins))
    _score(text, mentions, gaz, language, countries, admins, votes)
    # pass 2: what was chosen becomes the context (places near each other go together)
    countries = base.copy()
    admins = Counter()
    votes = []
    points: list[tuple[int, float, float]] = []
    for i, m in enumerate(mentions):
        chosen = m.chosen if m.via == "gazetteer" else None
        votes.append(_vote(chosen, countries, admins))
        if chosen is not None and chosen.feature in LOCAL and chosen.place.latitude is not None:
            points.append((i, chosen.place.latitude, chosen.place.longitude or 0.0))
    _score(text, mentions, gaz, language, countries, admins, votes, points[:200])
    _near_pass(text, mentions, cue)


def _km(a: Entry, b: Entry) -> float:
    pa, pb = a.place, b.place
    if pa.latitude is None or pb.latitude is None:
        return math.inf
    return haversine_km(pa.latitude, pa.longitude or 0.0, pb.latitude, pb.longitude or 0.0)


#: How far "X, a village near Y" may lie from Y.
NEAR_KM = 60.0


def _near_pass(text: str, mentions: list[_Mention], cue: Cues) -> None:
    """'Sinjar, un village proche de Hilla': X is the namesake near Y, else an unknown
    village near Y, which places it at Y (precision 2), never at a far namesake."""
    for m, other in itertools.pairwise(mentions):
        if not cue.near.fullmatch(text, m.end, other.start):
            continue
        anchor = other.chosen
        if anchor is None or anchor.place.latitude is None or anchor.feature != "populated":
            continue
        if m.chosen is not None and _km(m.chosen, anchor) <= NEAR_KM:
            continue
        close = [c for c in m.candidates if c.feature == "populated" and _km(c, anchor) <= NEAR_KM]
        if close:
            m.chosen = max(close, key=lambda c: c.place.population)
            m.precision, m.via = 1, "near"
        else:
            m.chosen, m.precision, m.via = anchor, 2, "fallback:near"


#: Features whose position says something about their neighbours' (not countries, regions).
LOCAL = frozenset({"populated", "admin2"})


def _nearest_km(lat: float, lon: float, points: list[tuple[float, float]]) -> float:
    """Distance to the nearest point (equirectangular: exact enough under a few hundred km)."""
    k = math.cos(math.radians(lat))
    best = min((lat - a) ** 2 + ((lon - b) * k) ** 2 for a, b in points)
    return math.sqrt(best) * 111.2


def _vote(
    top: Entry | None, countries: Counter[str], admins: Counter[tuple[str, str]]
) -> tuple[str | None, tuple[str, str] | None, int]:
    if top is None or not top.cc:
        return (None, None, 0)
    weight = 2 if top.feature == "country" else 1
    countries[top.cc] += weight
    admin = None
    if top.feature in ("admin1", "admin2", "populated") and top.admin1_code:
        admin = (top.cc, top.admin1_code)
        admins[admin] += 1
    return (top.cc, admin, weight)


def _score(
    text: str,
    mentions: list[_Mention],
    gaz: Gazetteer,
    language: str,
    countries: Counter[str],
    admins: Counter[tuple[str, str]],
    votes: list[tuple[str | None, tuple[str, str] | None, int]],
    points: list[tuple[int, float, float]] | None = None,
) -> None:
    """Choose each mention's place with the context the *other* names give (a town or province
    named twelve times must not vote for itself); `points` are the towns and districts chosen
    for other mentions (a place near them is likelier)."""
    same_countries: dict[str, Counter[str]] = {}
    same_admins: dict[str, Counter[tuple[str, str]]] = {}
    for m, (cc, admin, weight) in zip(mentions, votes, strict=True):
        # a country named again and again is what the article is about: that vote stands
        if cc and weight == 1:
            same_countries.setdefault(m.key, Counter())[cc] += weight
        if admin:
            same_admins.setdefault(m.key, Counter())[admin] += 1
    neighbours = gaz.neighbours
    for m in mentions:
        near = [(lat, lon) for j, lat, lon in points or () if mentions[j].key != m.key]
        if not m.candidates:
            _fallback(m, None)
            if m.chosen is None:
                _demonym(m, gaz, language)
            continue
        ctx = countries - same_countries.get(m.key, Counter())
        total = sum(ctx.values()) or 1
        weights = {cc: n / total for cc, n in ctx.items()}
        dominant = max(weights.values(), default=0.0)
        other_admins = admins - same_admins.get(m.key, Counter())
        best: Entry | None = None
        best_score = -math.inf
        area_cue = _area_cue(text, m)
        # a town known by exactly this name ("Donetsk"), not one that merely has it as an
        # alternate ("Oklahoma" for Oklahoma City)
        towns = [
            c
            for c in m.candidates
            if c.feature == "populated" and c.population >= 10_000 and c.main
        ]
        named_countries = {c.cc for c in m.candidates if c.feature == "country"}
        for c in m.candidates:
            s = _prior(c)
            if c.feature in ("admin1", "admin2"):
                if area_cue:
                    s += 3.0
                elif any(_inside(t, c) for t in towns):
                    # "Bakou", "Donetsk": the town, unless the text says "région", "oblast"...
                    s -= 3.0
            elif c.feature == "populated" and c.cc in named_countries:
                s -= 2.0  # "Mexico", "Kuwait": the country; the text says "Mexico City"
            if c.cc and c.cc in weights:
                s += 3.0 * weights[c.cc] / (dominant or 1.0)
            elif c.cc and dominant:
                # next door to where the article is ("Gaza" in an article about Israel)
                near_weight = max(
                    (weights.get(n, 0.0) for n in neighbours.get(c.cc, ())), default=0
                )
                s += 1.5 * near_weight / dominant
            if other_admins.get((c.cc or "", c.admin1_code or ""), 0) > 0:
                s += 1.5
            if m.container and m.container.chosen and _inside(c, m.container.chosen):
                s += 4.0
            if c.main:
                s += 0.5
            if near and c.feature in LOCAL and c.place.latitude is not None:
                km = _nearest_km(c.place.latitude, c.place.longitude or 0.0, near)
                s += 2.0 if km < 50 else 1.0 if km < 200 else 0.0
            if s > best_score:
                best, best_score = c, s
        assert best is not None
        container = m.container.chosen if m.container else None
        if container is not None and not _inside(best, container) and best.feature not in AREAS:
            # a namesake abroad never beats the area the text puts the place in
            _fallback(m, container)
            continue
        if (
            best.feature == "populated"
            and countries
            and best.cc not in weights
            and best.population < 20_000
            and dominant >= 0.5
            and not m.from_ner
        ):
            # a small village abroad found only by the gazetteer in an article about elsewhere
            # is more likely a common word or a person than a place
            m.chosen = None
            m.via = "rejected:abroad"
            continue
        m.chosen = best
        m.score = round(best_score, 3)
        m.precision = _precision(best)
        m.via = "gazetteer"


_AREA_BEFORE = re.compile(
    r"(?i)(r[ée]gion|province|oblast|district|ra[ïi]on|gouvernorat|governorate|wilaya|"
    r"d[ée]partement|county|state|pr[ée]fecture)\s+(?:de\s+|d['’]\s*|du\s+|of\s+)?$"
)
_AREA_AFTER = re.compile(
    r"(?i)^\s+(region|province|oblast|district|raion|rayon|governorate|county|state|prefecture)\b"
)


def _area_cue(text: str, m: _Mention) -> bool:
    """'la région de Lachin', 'the Donetsk region', 'Kherson Oblast' name the area."""
    return bool(
        _AREA_BEFORE.search(text[max(0, m.start - 30) : m.start])
        or _AREA_AFTER.match(text[m.end : m.end + 20])
    )


@lru_cache(maxsize=1)
def demonyms() -> dict[str, str]:
    """Demonym key -> ISO alpha-3, from the actor dictionary's country tables (fr and en):
    adjectives in every form ("arménienne", "Georgian") and peoples ("Palestinians")."""
    from sitrep.actors.dictionary import DATA_DIR, load_countries

    out: dict[str, str] = {}
    for code, country in load_countries(DATA_DIR, ("en", "fr")).items():
        for forms in country.adjectives.values():
            for item in forms:
                for form in item.values():
                    out.setdefault(name_key(form), code)
        for people in country.people.values():
            for form in people:
                out.setdefault(name_key(form), code)
    return out


def _demonym(m: _Mention, gaz: Gazetteer, language: str) -> None:
    """'Georgian', 'Palestinians', 'arménien': a toponym by its people, so the country."""
    code = demonyms().get(m.key) or demonyms().get(name_key(m.text))
    entry = gaz.country3(code) if code else None
    if entry is not None:
        m.chosen = entry
        m.precision = 3
        m.via = "demonym"


def _obvious(m: _Mention) -> Entry | None:
    if not m.candidates:
        return None
    areas = [c for c in m.candidates if c.feature in ("country", "admin1", "region")]
    if areas and areas[0].main:
        return areas[0]
    if len(m.candidates) == 1:
        return m.candidates[0]
    top, second = m.candidates[0], m.candidates[1]
    if top.population >= 100_000 and top.population > 20 * max(second.population, 1):
        return top
    return None


def _prior(c: Entry) -> float:
    if c.feature == "country":
        return 6.0
    if c.feature in ("continent", "region"):
        return 5.0
    if c.feature == "admin1":
        return 2.5 + math.log10(c.place.population + 1) / 4
    if c.feature == "admin2":
        return 1.0 + math.log10(c.place.population + 1) / 5
    # a capital is what news means by its name ("Washington", "Tripoli" in Libyan news...)
    return math.log10(c.place.population + 10) / 1.5 + (1.5 if c.capital else 0.0)


def _precision(c: Entry) -> int:
    if c.feature == "populated":
        return 1
    if c.feature == "admin2":
        return 2
    return 3


def _inside(c: Entry, area: Entry) -> bool:
    if area.feature in ("country",):
        return c.cc == area.cc
    if area.feature == "admin1":
        return c.cc == area.cc and c.admin1_code == area.admin1_code
    if area.feature == "admin2":
        return c.cc == area.cc and c.place.admin2 == area.place.admin2
    if area.feature == "region" and area.place.country:
        return c.place.country == area.place.country
    return False


def _fallback(m: _Mention, area: Entry | None) -> None:
    area = area or (m.container.chosen if m.container else None)
    if area is None:
        m.chosen = None
        m.via = "unresolved"
        return
    m.chosen = area
    m.precision = 2 if area.feature in ("admin1", "admin2", "region") else 3
    m.via = f"fallback:{area.feature}"


def _link_containers(text: str, mentions: list[_Mention], cue: Cues) -> None:
    """'X dans la région de Y', 'X, Y', 'X in the Y region': Y may contain X."""
    for i, m in enumerate(mentions):
        for other in mentions[i + 1 : i + 3]:
            between = text[m.end : other.start]
            if len(between) > 40 or "\n" in between:
                break
            words = [w for part in between.replace(",", " , ").split()
                     for w in (name_key(part).split() if part != "," else [","])]  # fmt: skip
            if all(w in cue.container for w in words) and any(
                c.feature in AREAS for c in other.candidates
            ):
                m.container = other
                break
    # containers resolve first (they do not depend on what they contain)
    for m in mentions:
        if m.container is not None and m.container.chosen is None:
            areas = [c for c in m.container.candidates if c.feature in AREAS]
            if areas:
                m.container.chosen = max(areas, key=_prior)


def _public(m: _Mention) -> PlaceMention:
    place: Place | None = m.chosen.place if m.chosen else None
    return PlaceMention(
        start=m.start, end=m.end, text=m.text, place=place,
        geo_precision=m.precision if place else 3, via=m.via, score=m.score,
    )  # fmt: skip
