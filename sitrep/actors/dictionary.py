"""The actor dictionary: canonical actors and, per language, one index of all their aliases.

Country names are generated from pycountry (English, and French through its gettext catalogue)
plus the hand-written tables of `data/` for what pycountry lacks; a state's government, army,
ministries, people and offices are generated from per-language templates x demonyms x names
(`templates.<lang>.yaml`), so adding a country or a language means adding rows, not code. The
index is built once per worker (`default_dictionary()` caches it) and is a token trie: matching an
article is one pass over its words, not one regex per alias.
"""

from __future__ import annotations

import csv
import gettext
import logging
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from functools import cache, lru_cache
from itertools import product
from pathlib import Path
from typing import Any

import pycountry
import yaml

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).with_name("data")

#: A word of the text: letters and digits (combining accents included, for NFD input).
TOKEN = re.compile(r"[^\W_]+(?:[\u0300-\u036f]+[^\W_]*)*")

# Letters that Unicode decomposition does not turn into ASCII.
_LETTERS = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "œ": "oe", "æ": "ae", "ə": "e", "þ": "th"}
)

#: The key of the trie node's aliases (no token is empty).
END = ""

PRIORITY_BLOCK = 5  # ambiguity.<lang>.yaml `block`: never an actor, whatever else it looks like
# Priorities: a name written by hand for an actor beats a generated one; equal priorities that
# name different actors make the alias ambiguous, and it is dropped.
PRIORITY_EXPLICIT = 4  # aliases.<lang>.tsv, organisations, armed groups, persons
PRIORITY_HAND = 3  # countries.<lang>.tsv: names, capitals
PRIORITY_PYCOUNTRY = 2
PRIORITY_TEMPLATE = 1
PRIORITY_BARE_TITLE = 0

_ISLANDS = re.compile(r"\b(?:[iî]les?|islands?|isle)\b", re.IGNORECASE)


@lru_cache(maxsize=1 << 17)
def plain(token: str) -> str:
    """Lower case without accents: "Azerbaïdjan", "AZERBAIDJAN" and "azerbaidjan" are one key."""
    low = token.lower()
    if low.isascii():
        return low
    decomposed = unicodedata.normalize("NFKD", low.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plain(name)).strip("-")


@dataclass(frozen=True, slots=True)
class Actor:
    """A canonical actor: what a mention resolves to."""

    id: str
    name: str
    kind: str  # state, government, military, police, ministry, people, person, organisation...
    country: str | None  # alpha-3, or the organisation's code


@dataclass(frozen=True, slots=True)
class Term:
    """One term of office: `role` of `code` (a state, an organisation or a group id)."""

    role: str
    code: str
    start: date | None
    end: date | None  # exclusive; None: still in office

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Person:
    actor: Actor
    terms: tuple[Term, ...]

    def term_on(self, day: date | None) -> Term | None:
        if day is None:
            return None
        current = [t for t in self.terms if t.covers(day)]
        return max(current, key=lambda t: t.start or date.min) if current else None

    def in_office(self, day: date | None) -> bool:
        return self.term_on(day) is not None


@dataclass(frozen=True, slots=True)
class Office:
    """A role of a state or organisation; `actor` is the office itself when no holder is known."""

    id: str  # "ARM.prime_minister"
    code: str
    role: str
    actor: Actor
    holders: tuple[tuple[Term, str], ...] = ()  # (term, person id)

    def holder(self, day: date | None) -> str | None:
        if day is None:
            return None
        current = [(t, pid) for t, pid in self.holders if t.covers(day)]
        if not current:
            return None
        return max(current, key=lambda tp: tp[0].start or date.min)[1]


@dataclass(frozen=True, slots=True)
class Rule:
    """When a match of an ambiguous alias is not the actor (see data/ambiguity.<lang>.yaml)."""

    name_like: bool = False
    not_preceded_by: tuple[tuple[str, ...], ...] = ()
    unless_preceded_by: tuple[tuple[str, ...], ...] = ()  # exceptions to not_preceded_by
    not_shortly_after: frozenset[str] = frozenset()  # none of the three words before
    not_followed_by: tuple[tuple[str, ...], ...] = ()
    not_in_article: tuple[tuple[str, ...], ...] = ()
    not_hyphenated: bool = False  # "Khartoum-based", "l'axe Téhéran-Bagdad-Damas"


@dataclass(frozen=True, slots=True)
class Alias:
    """What a key of the index names.

    `kind`: "actor" (targets: one actor id), "office" (one office id, resolved to its holder),
    "person" (person ids: several when a surname is shared, resolved by date), "title" (a bare
    title such as "président": only a prefix of a person's name), "block" (a phrase that is no
    actor and hides the names inside it: "Latin American", "Irlande du Nord").
    """

    kind: str
    targets: tuple[str, ...]
    priority: int
    cap: bool = False  # the first word must be capitalised in the text
    exact: tuple[tuple[int, str], ...] = ()  # (word index, spelling): acronyms match as written
    capital: bool = False  # a capital city standing for its government
    rule: Rule | None = None


@dataclass
class LanguageIndex:
    """The alias trie of one language and the rules that go with it."""

    language: str
    skip: frozenset[str]
    fold: Mapping[str, str]
    hyphen_prefixes: frozenset[str]
    former: frozenset[str]
    not_names: frozenset[str]
    capital_rule: Rule
    trie: dict[str, Any] = field(default_factory=dict)
    size: int = 0

    def norm(self, token: str) -> str:
        p = plain(token)
        return self.fold.get(p, p)

    def key(self, text: str) -> tuple[tuple[str, ...], list[str]]:
        """The index key of an alias: its normalised words, articles dropped; and the words."""
        words = [m.group() for m in TOKEN.finditer(text)]
        kept = [w for w in words if plain(w) not in self.skip]
        return tuple(self.norm(w) for w in kept), kept

    def phrases(self, items: Iterable[str]) -> tuple[tuple[str, ...], ...]:
        return tuple(k for k in (self.key(i)[0] for i in items) if k)

    def lookup(self, key: tuple[str, ...]) -> Alias | None:
        node: dict[str, Any] | None = self.trie
        for tok in key:
            node = node.get(tok) if node is not None else None
        return node.get(END) if node is not None else None


@dataclass
class ActorDictionary:
    actors: dict[str, Actor]
    persons: dict[str, Person]
    offices: dict[str, Office]
    indexes: dict[str, LanguageIndex]

    def stats(self) -> dict[str, int]:
        kinds: dict[str, int] = defaultdict(int)
        for a in self.actors.values():
            kinds[a.kind] += 1
        out = {f"actors.{k}": n for k, n in sorted(kinds.items())}
        out["countries"] = kinds.get("state", 0)
        out["persons"] = len(self.persons)
        out["offices"] = len(self.offices)
        for lang, idx in sorted(self.indexes.items()):
            out[f"aliases.{lang}"] = idx.size
        return out


# --- French morphology: demonyms are written once, in the masculine singular ---------------------

#: (masculine ending, feminine ending): the first that matches applies; the plural adds -s
#: (-aux for -al) unless the word ends in -s, -x, -z.
_FEMININE = (
    ("e", "e"),  # russe, belge, britannique, yéménite
    ("en", "enne"),  # arménien, coréen, libyen
    ("on", "onne"),  # (breton): "letton" is an exception in the data
    ("et", "ette"),
    ("el", "elle"),
    ("", "e"),  # azerbaïdjanais, américain, argentin, afghan, azéri, allemand, kazakh
)


def french_forms(masculine: str, exceptions: Mapping[str, tuple[str, str, str]]) -> dict[str, str]:
    """The four forms of a French adjective: ms, fs, mp, fp ("arménien" -> "arménienne"...)."""
    if masculine in exceptions:
        fs, mp, fp = exceptions[masculine]
        return {"ms": masculine, "fs": fs, "mp": mp, "fp": fp}
    fs = masculine
    for ending, fem in _FEMININE:
        if masculine.endswith(ending):
            fs = masculine[: len(masculine) - len(ending)] + fem
            break
    if masculine.endswith(("s", "x", "z")):
        mp = masculine
    elif masculine.endswith("al"):
        mp = masculine[:-2] + "aux"
    else:
        mp = masculine + "s"
    return {"ms": masculine, "fs": fs, "mp": mp, "fp": fs + "s"}


def capitalised(word: str) -> str:
    return word[:1].upper() + word[1:]


def english_people(adjectives: list[str]) -> list[str]:
    """Plural nouns from adjectives that take -s as nouns: Armenian(s), Israeli(s), Thai(s)."""
    return [a + "s" for a in adjectives if a.endswith(("n", "i")) and " " not in a]


# --- reading the data files -----------------------------------------------------------------------


def _split(cell: str | None) -> list[str]:
    if not cell or cell.strip() == "-":
        return []
    return [p.strip() for p in cell.split("|") if p.strip()]


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return [dict(row) for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)]


def read_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def words_of(path: Path, spec: Mapping[str, Any], name: str) -> frozenset[str]:
    """A list of words of a YAML file, normalised; YAML reads a bare `no` or `on` as a
    boolean, so a non-string is a data error worth a clear message."""
    items = spec.get(name) or []
    bad = [w for w in items if not isinstance(w, str)]
    if bad:
        raise ValueError(f"{path.name}: {name} has non-text items {bad}: quote them")
    return frozenset(plain(w) for w in items)


def name_variants(name: str) -> set[str]:
    """ISO list names in every usable order: "Iran, Islamic Republic of" -> "Islamic Republic
    of Iran" and "Iran"; "Salomon, Îles" -> "Îles Salomon" (an island name alone is too vague)."""
    out = {name}
    base = re.sub(r"\s*\([^)]*\)", "", name).strip()
    out.add(base)
    if ", " in base:
        head, tail = base.split(", ", 1)
        out.add(f"{tail}{head}" if tail.endswith(("'", "’")) else f"{tail} {head}")
        if not _ISLANDS.search(tail):
            out.add(head)
    return {n for n in out if n}


def display_name(name: str) -> str:
    if ", " not in name:
        return name
    head, tail = re.sub(r"\s*\([^)]*\)", "", name).split(", ", 1)
    return f"{tail} {head}"


@dataclass
class Country:
    code: str
    name: str  # short English name for canonical actor names
    of_name: str  # the same after "of"
    names: dict[str, dict[str, int]] = field(default_factory=dict)  # lang -> name -> priority
    capitals: dict[str, list[str]] = field(default_factory=dict)
    adjectives: dict[str, list[dict[str, str]]] = field(default_factory=dict)  # lang -> forms
    people: dict[str, list[str]] = field(default_factory=dict)


def load_countries(data: Path, languages: Iterable[str]) -> dict[str, Country]:
    """Every ISO 3166-1 country (and the extra rows of the tables), with names per language."""
    tables = {
        lang: {r["code"]: r for r in read_tsv(data / f"countries.{lang}.tsv")} for lang in languages
    }
    en_rows = tables.get("en", {})
    countries: dict[str, Country] = {}
    iso = {c.alpha_3: c for c in pycountry.countries}
    for code in [*iso, *(c for t in tables.values() for c in t if c not in iso)]:
        if code in countries:
            continue
        c = iso.get(code)
        row = en_rows.get(code, {})
        english = (row.get("name") or "").strip()
        if not english and c is not None:
            english = display_name(getattr(c, "common_name", None) or c.name)
        english = english or code
        short = english[4:] if english.startswith("the ") else english
        countries[code] = Country(code, short, english)
    for lang in languages:
        translate = _translator(lang)
        for code, country in countries.items():
            names: dict[str, int] = {}
            c = iso.get(code)
            if c is not None:
                for attr in ("name", "common_name", "official_name"):
                    source = getattr(c, attr, None)
                    if not source:
                        continue
                    local = translate(source)
                    if lang != "en" and local == source and attr != "name":
                        continue  # no translation: the English form is not a French name
                    for n in name_variants(local):
                        names[n] = PRIORITY_PYCOUNTRY
            row = tables[lang].get(code, {})
            extra = _split(row.get("aliases") if lang == "en" else row.get("noms"))
            if lang == "en" and row.get("name"):
                extra.append(row["name"])
            for n in extra:
                names[n] = PRIORITY_HAND
            country.names[lang] = names
            country.capitals[lang] = _split(row.get("capitals") or row.get("capitales"))
            _demonyms(country, lang, row)
    return countries


def _translator(lang: str) -> Any:
    if lang == "en":
        return lambda s: s
    try:
        t = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        log.warning("pycountry has no %s names of countries; only the data tables are used", lang)
        return lambda s: s
    return t.gettext


def _demonyms(country: Country, lang: str, row: Mapping[str, str]) -> None:
    if lang == "en":
        adjectives = _split(row.get("adjectives"))
        country.adjectives[lang] = [{"": a} for a in adjectives]
        people = row.get("people") or ""
        country.people[lang] = _split(people) if people.strip() else english_people(adjectives)
        return
    exceptions: dict[str, tuple[str, str, str]] = {}
    for item in _split(row.get("formes")):
        masc, _, forms = item.partition("=")
        fs, mp, fp = (f.strip() for f in forms.split(","))
        exceptions[masc.strip()] = (fs, mp, fp)
    country.adjectives[lang] = [french_forms(a, exceptions) for a in _split(row.get("adjectifs"))]


# --- building the index -------------------------------------------------------------------------


class Builder:
    """Collects (key, alias) pairs per language, then settles conflicts and builds the tries."""

    def __init__(self, data: Path, languages: tuple[str, ...]) -> None:
        self.data = data
        self.languages = languages
        self.actors: dict[str, Actor] = {}
        self.persons: dict[str, Person] = {}
        self.offices: dict[str, Office] = {}
        self.roles: dict[str, str] = {}
        self.of_names: dict[str, str] = {}  # code -> name after "of", for office names
        self.group_country: dict[str, str] = {}
        self.indexes: dict[str, LanguageIndex] = {}
        self.entries: dict[str, dict[tuple[str, ...], list[Alias]]] = {
            lang: defaultdict(list) for lang in languages
        }

    def build(self) -> ActorDictionary:
        kinds = read_yaml(self.data / "kinds.yaml")
        self.roles = kinds["roles"]
        templates = {
            lang: read_yaml(self.data / f"templates.{lang}.yaml") for lang in self.languages
        }
        ambiguity = {
            lang: read_yaml(self.data / f"ambiguity.{lang}.yaml") for lang in self.languages
        }
        for lang in self.languages:
            t, a = templates[lang], ambiguity[lang]
            path = self.data / f"templates.{lang}.yaml"
            self.indexes[lang] = LanguageIndex(
                language=lang,
                skip=words_of(path, t, "skip"),
                fold={plain(k): plain(v) for k, v in (t.get("fold") or {}).items()},
                hyphen_prefixes=words_of(path, t, "hyphen_prefixes"),
                former=words_of(path, t, "former"),
                not_names=words_of(path, t, "not_names"),
                capital_rule=Rule(),
            )
            idx = self.indexes[lang]
            idx.capital_rule = self._rule(idx, a.get("capitals") or {})
        countries = load_countries(self.data, self.languages)
        for country in countries.values():
            self.of_names[country.code] = country.of_name
            fill = {"code": country.code, "name": country.name, "of_name": country.of_name}
            for spec in kinds["kinds"].values():
                aid = spec["id"].format(**fill)
                self.actors[aid] = Actor(
                    aid, spec["name"].format(**fill), spec["kind"], country.code
                )
        self._organisations()
        self._persons()
        for lang in self.languages:
            for country in countries.values():
                self._country_aliases(lang, country, templates[lang], kinds["kinds"])
            self._explicit_aliases(lang)
            for title in templates[lang].get("bare_titles", []):
                self._add(lang, title, Alias("title", (), PRIORITY_BARE_TITLE))
        for lang in self.languages:
            self._finish(lang, ambiguity[lang])
        return ActorDictionary(self.actors, self.persons, self.offices, self.indexes)

    # --- entries

    def _add(self, lang: str, text: str, alias: Alias) -> None:
        idx = self.indexes[lang]
        key, words = idx.key(text)
        if not key:
            return
        exact = tuple((i, w) for i, w in enumerate(words) if len(w) > 1 and w.isupper())
        cap = words[0][:1].isupper()
        self.entries[lang][key].append(
            Alias(alias.kind, alias.targets, alias.priority, cap, exact, alias.capital)
        )

    def _office(self, code: str, role: str) -> Office:
        oid = f"{code}.{role}"
        office = self.offices.get(oid)
        if office is None:
            if code.startswith("group:"):
                owner = self.actors.get(code)
                of_name, country = (owner.name if owner else code), self.group_country.get(code)
            else:
                of_name, country = self.of_names.get(code, code), code
            title = self.roles.get(role, role.replace("_", " ").title())
            actor = Actor(oid, f"{title} of {of_name}", "person", country)
            office = Office(oid, code, role, actor)
            self.offices[oid] = office
        return office

    def _organisations(self) -> None:
        for entry in read_yaml(self.data / "organisations.yaml"):
            code = entry["code"]
            kind = entry.get("kind", "organisation")
            self.actors[entry["id"]] = Actor(entry["id"], entry["name"], kind, code)
            if kind == "organisation" and entry["id"] == f"org:{code}":
                self.of_names[code] = entry.get("of_name") or entry["name"]
        for entry in read_yaml(self.data / "armed_groups.yaml"):
            gid = entry["id"]
            self.actors[gid] = Actor(gid, entry["name"], "armed_group", entry["country"])
            self.group_country[gid] = entry["country"]
        neutral = [
            *read_yaml(self.data / "organisations.yaml"),
            *read_yaml(self.data / "armed_groups.yaml"),
        ]
        for lang in self.languages:
            for entry in neutral:
                for name in entry.get("names") or []:
                    self._add(lang, name, Alias("actor", (entry["id"],), PRIORITY_EXPLICIT))

    def _persons(self) -> None:
        for entry in read_yaml(self.data / "persons.yaml"):
            pid = "person:" + (entry.get("id") or slug(entry["name"]))
            if pid in self.persons:
                raise ValueError(f"persons.yaml: {pid} twice")
            country = entry["country"]
            terms = []
            for office in entry.get("offices") or []:
                role, start, end, *code = office
                if role not in self.roles:
                    raise ValueError(f"persons.yaml: {entry['name']}: unknown role {role!r}")
                terms.append(Term(role, code[0] if code else country, start, end))
            person = Person(Actor(pid, entry["name"], "person", country), tuple(terms))
            self.persons[pid] = person
            self.actors[pid] = person.actor
            for term in terms:
                o = self._office(term.code, term.role)
                self.offices[o.id] = Office(
                    o.id, o.code, o.role, o.actor, (*o.holders, (term, pid))
                )
            for lang in self.languages:
                for name in {entry["name"], *(entry.get("names") or [])}:
                    self._add(lang, name, Alias("person", (pid,), PRIORITY_EXPLICIT))
                for name in entry.get("short") or []:
                    self._add(lang, name, Alias("person", (pid,), PRIORITY_EXPLICIT))

    def _country_aliases(
        self, lang: str, country: Country, templates: Mapping[str, Any], kinds: Mapping[str, Any]
    ) -> None:
        code = country.code
        names = country.names.get(lang, {})
        for name, priority in names.items():
            self._add(lang, name, Alias("actor", (code,), priority))
        for capital in country.capitals.get(lang, []):
            alias = Alias("actor", (f"{code}.government",), PRIORITY_HAND, capital=True)
            self._add(lang, capital, alias)
        values = self._placeholders(lang, country)
        for kind, patterns in (templates.get("actors") or {}).items():
            target = kinds[kind]["id"].format(code=code)
            for pattern in patterns:
                if pattern.strip() in ("{country}", "{capital}"):
                    continue  # names and capitals are added above with their own priorities
                for text in expand(pattern, values):
                    self._add(lang, text, Alias("actor", (target,), PRIORITY_TEMPLATE))
        for role, patterns in (templates.get("titles") or {}).items():
            office = self._office(code, role)
            for pattern in patterns:
                for text in expand(pattern, values):
                    self._add(lang, text, Alias("office", (office.id,), PRIORITY_TEMPLATE))

    def _placeholders(self, lang: str, country: Country) -> dict[str, list[str]]:
        values: dict[str, list[str]] = {
            "country": list(country.names.get(lang, {})),
            "capital": country.capitals.get(lang, []),
            "people": country.people.get(lang, []),
        }
        for forms in country.adjectives.get(lang, []):
            for form, word in forms.items():
                values.setdefault(f"adj.{form}" if form else "adj", []).append(word)
                values.setdefault(f"Adj.{form}" if form else "Adj", []).append(capitalised(word))
        return values

    def _explicit_aliases(self, lang: str) -> None:
        for row in read_tsv(self.data / f"aliases.{lang}.tsv"):
            target, text = row["id"], row["alias"]
            flags = set((row.get("flags") or "").split())
            owner, _, role = target.rpartition(".")
            if owner and role in self.roles:
                office = self._office(owner, role)
                self._add(lang, text, Alias("office", (office.id,), PRIORITY_EXPLICIT))
                continue
            if target not in self.actors:
                raise ValueError(f"aliases.{lang}.tsv: unknown actor {target!r} for {text!r}")
            capital = "capital" in flags
            self._add(lang, text, Alias("actor", (target,), PRIORITY_EXPLICIT, capital=capital))

    # --- conflicts, rules, trie

    def _rule(self, idx: LanguageIndex, spec: Mapping[str, Any]) -> Rule:
        unknown = set(spec) - {f.name for f in fields(Rule)}
        if unknown:
            raise ValueError(f"ambiguity.{idx.language}.yaml: unknown rule {sorted(unknown)}")
        return Rule(
            name_like=bool(spec.get("name_like", False)),
            not_preceded_by=idx.phrases(spec.get("not_preceded_by") or []),
            unless_preceded_by=idx.phrases(spec.get("unless_preceded_by") or []),
            not_shortly_after=frozenset(
                w for k in idx.phrases(spec.get("not_shortly_after") or []) for w in k
            ),
            not_followed_by=idx.phrases(spec.get("not_followed_by") or []),
            not_in_article=idx.phrases(spec.get("not_in_article") or []),
            not_hyphenated=bool(spec.get("not_hyphenated", False)),
        )

    def _finish(self, lang: str, ambiguity: Mapping[str, Any]) -> None:
        idx = self.indexes[lang]
        entries = self.entries[lang]
        for text in ambiguity.get("drop") or []:
            entries.pop(idx.key(text)[0], None)
        for text in ambiguity.get("block") or []:
            key = idx.key(text)[0]
            if key:
                entries[key] = [Alias("block", (), PRIORITY_BLOCK)]
        rules = {idx.key(text)[0]: self._rule(idx, spec or {}) for text, spec in
                 (ambiguity.get("aliases") or {}).items()}  # fmt: skip
        dropped = 0
        for key, candidates in entries.items():
            alias = settle(candidates)
            if alias is None:
                dropped += 1
                log.debug("%s: ambiguous alias %r dropped: %s", lang, " ".join(key), candidates)
                continue
            rule = rules.get(key)
            if rule is not None:
                alias = Alias(alias.kind, alias.targets, alias.priority, alias.cap, alias.exact,
                              alias.capital, rule)  # fmt: skip
            node = idx.trie
            for tok in key:
                node = node.setdefault(tok, {})
            node[END] = alias
            idx.size += 1
        log.debug("%s: %d aliases, %d ambiguous ones dropped", lang, idx.size, dropped)


def settle(candidates: list[Alias]) -> Alias | None:
    """One alias for a key: the highest priority wins; persons sharing a surname stay together
    (the date resolves them); different actors at the same priority make the key ambiguous."""
    top = max(c.priority for c in candidates)
    best = [c for c in candidates if c.priority == top]
    # the least constrained spelling of the same target ("FAMa" and "FAMA")
    best.sort(key=lambda c: (len(c.exact), c.cap, c.capital))
    first = best[0]
    if all(c.kind == "person" for c in best):
        targets = tuple(dict.fromkeys(t for c in best for t in c.targets))
        return Alias("person", targets, top, first.cap, first.exact)
    if all((c.kind, c.targets) == (first.kind, first.targets) for c in best):
        return first
    return None


def expand(pattern: str, values: Mapping[str, list[str]]) -> Iterator[str]:
    """Every text of a template: "armée {adj.fs}" x ["arménienne"] -> "armée arménienne"."""
    slots = re.findall(r"\{([^}]+)\}", pattern)
    if not slots:
        yield pattern
        return
    choices = [values.get(s, []) for s in slots]
    for combo in product(*choices):
        text = pattern
        for slot, value in zip(slots, combo, strict=True):
            text = text.replace("{" + slot + "}", value, 1)
        yield text


def load_dictionary(
    data: Path | str | None = None, languages: Iterable[str] | None = None
) -> ActorDictionary:
    """Build the dictionary from the data files (about a second; once per worker)."""
    from sitrep.lang import SUPPORTED

    return Builder(Path(data) if data else DATA_DIR, tuple(languages or SUPPORTED)).build()


@cache
def default_dictionary() -> ActorDictionary:
    """The packaged dictionary, built on first use and shared by everything in the process."""
    return load_dictionary()
