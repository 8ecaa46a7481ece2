"""Per-language event lexicons: the data files compiled once into what the extractor matches."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sitrep.datafile import load_yaml

DATA = Path(__file__).parent / "data"

#: How specific each violent type is: when one sentence or several reports describe one attack,
#: the most specific description wins ("an explosion" and "a suicide bombing" are one bombing).
SPECIFICITY = {
    "suicide_bomb": 8,
    "explosive_device": 7,
    "air_drone_strike": 6,
    "shelling": 6,
    "abduction": 5,
    "territory_change": 4,
    "attack_civilians": 3,
    "armed_clash": 2,
    "riot": 2,
    "protest": 1,
}


def _word_pattern(fragment: str) -> str:
    return fragment.replace("'", "['’]")


def _alternation(fragments: list[str]) -> str:
    # Longer patterns first: Python's alternation takes the first branch that matches.
    ordered = sorted(fragments, key=len, reverse=True)
    return "(?:" + "|".join(_word_pattern(f) for f in ordered) + ")"


def _bounded(pattern: str) -> str:
    return rf"(?<![\w-]){pattern}(?![\w-])"


@dataclass(frozen=True)
class Lexicon:
    language: str
    triggers: re.Pattern[str]  # one alternation; group name -> (type, weak)
    groups: dict[str, tuple[str, bool]]
    weapons: re.Pattern[str]
    weapon_groups: dict[str, str]
    attribution: dict[str, str]  # lemma -> stance
    attribution_phrases: re.Pattern[str] | None
    anaphora: re.Pattern[str]
    hypothetical_verbs: frozenset[str]
    irrealis_verbs: frozenset[str]
    conditional_marks: frozenset[str]
    ultimatum: re.Pattern[str]  # "unless", "à moins que": a conditional announcement threatens
    purpose_marks: frozenset[str]
    negations: frozenset[str]
    historical_words: re.Pattern[str]
    appeal_words: frozenset[str]
    first_person: frozenset[str]
    third_person: frozenset[str]
    civilians: re.Pattern[str]
    parties: re.Pattern[str]
    suicide: re.Pattern[str]  # a generic attack with these words is a suicide bombing
    military: re.Pattern[str]  # victims who are combatants: their killing is fighting
    relative_place: re.Pattern[str]  # "à 120 km au nord de", "near": a place that situates
    list_separator: re.Pattern[str]  # what separates listed places: ",", "et", "and"
    institutions: re.Pattern[str]  # "la police", "officials": a speaker of the story's country
    institution_kind: dict[str, str]
    arrestees: re.Pattern[str]  # who can be arrested: people, suspects, a number of them
    since: re.Pattern[str]  # "since", "depuis": a start date, not the event's
    agreement_heads: re.Pattern[str]  # "la médiation sur un cessez-le-feu": still made here
    vehicles: re.Pattern[str]  # what is stopped or struck in traffic, not arrested or attacked
    call_complements: frozenset[str]  # "appeler à", "call for": what a call asks for follows
    accuse_verbs: frozenset[str]  # "X a accusé Y d'avoir tiré": Y did it, X says so
    locative: frozenset[str]  # prepositions that place an event: "en Syrie", "in Iraq"
    definite: frozenset[str]  # determiners of a noun that refers back: "la demande"
    support_verbs: frozenset[str]  # "mener des frappes": whose subject does the nominal event
    legal: re.Pattern[str]  # "murder charges": the name of a charge, not an event
    documents: re.Pattern[str]  # a date inside "la déclaration du 9 novembre" is the document's
    responsibility: re.Pattern[str]  # "claimed responsibility": an admission
    conflict: re.Pattern[str]  # "la guerre a fait 6 500 morts": a toll, not an event
    natural_death: re.Pattern[str]  # "died in his sleep", "at age 90": not a violent death


def _compile_groups(spec: dict[str, list[str]], prefix: str) -> tuple[str, dict[str, str]]:
    parts, names = [], {}
    for i, (key, fragments) in enumerate(spec.items()):
        name = f"{prefix}{i}"
        names[name] = key
        parts.append(f"(?P<{name}>{_bounded(_alternation(fragments))})")
    return "|".join(parts), names


@cache
def load_lexicon(language: str) -> Lexicon | None:
    """The lexicon of `language`, or None when the language has no data file."""
    path = DATA / f"{language}.yaml"
    if not path.exists():
        return None
    raw: dict[str, Any] = load_yaml(path)
    trigger_parts: list[tuple[str, str, int]] = []
    groups: dict[str, tuple[str, bool]] = {}
    for weak, key in ((False, "triggers"), (True, "weak_triggers")):
        for etype, fragments in raw.get(key, {}).items():
            name = f"{'w' if weak else 's'}{len(groups)}"
            groups[name] = (etype, weak)
            trigger_parts.append((name, _alternation(fragments), max(map(len, fragments))))
    # Longest alternatives first across types too, so "attentat-suicide" beats "attentat".
    trigger_parts.sort(key=lambda p: -p[2])
    trig = "|".join(f"(?P<{name}>{_bounded(alt)})" for name, alt, _ in trigger_parts)
    weapons, weapon_groups = _compile_groups(raw.get("weapons", {}), "x")
    stance_of = {
        lemma.lower(): stance
        for stance, lemmas in raw.get("attribution", {}).items()
        for lemma in lemmas
    }
    phrases = [p for ps in raw.get("attribution_phrases", {}).values() for p in ps]
    mod = raw.get("modality", {})
    flags = re.IGNORECASE
    pronouns = raw.get("pronouns", {})
    return Lexicon(
        language=language,
        triggers=re.compile(trig, flags),
        groups=groups,
        weapons=re.compile(weapons, flags),
        weapon_groups=weapon_groups,
        attribution=stance_of,
        attribution_phrases=re.compile(_bounded(_alternation(phrases)), flags) if phrases else None,
        anaphora=re.compile(_bounded(_alternation(raw.get("anaphora", []))), flags),
        hypothetical_verbs=frozenset(mod.get("hypothetical_verbs", [])),
        irrealis_verbs=frozenset(mod.get("irrealis_verbs", [])),
        conditional_marks=frozenset(mod.get("conditional_marks", [])),
        ultimatum=re.compile(_bounded(_alternation(mod.get("ultimatum_words", []))), flags),
        purpose_marks=frozenset(mod.get("purpose_marks", [])),
        negations=frozenset(mod.get("negations", [])),
        historical_words=re.compile(_bounded(_alternation(mod.get("historical_words", []))), flags),
        appeal_words=frozenset(w.lower() for w in raw.get("appeal_words", [])),
        first_person=frozenset(pronouns.get("first", [])),
        third_person=frozenset(pronouns.get("third", [])),
        civilians=re.compile(_bounded(_alternation(raw.get("civilian_words", []))), flags),
        parties=re.compile(_bounded(_alternation(raw.get("parties_words", []))), flags),
        suicide=re.compile(_alternation(raw.get("suicide_words", [])), flags),
        military=re.compile(_bounded(_alternation(raw.get("military_words", []))), flags),
        relative_place=re.compile(
            _bounded(_alternation(raw.get("relative_place_words", []))), flags
        ),
        institutions=re.compile(
            _bounded(_alternation([re.escape(w) for w in raw.get("institutions", {})])), flags
        ),
        institution_kind={w.lower(): k for w, k in raw.get("institutions", {}).items()},
        arrestees=re.compile(r"\d|" + _bounded(_alternation(raw.get("arrestee_words", []))), flags),
        since=re.compile(_bounded(_alternation(raw.get("since_words", []))), flags),
        agreement_heads=re.compile(_alternation(raw.get("agreement_heads", [])), flags),
        vehicles=re.compile(_bounded(_alternation(raw.get("vehicle_words", []))), flags),
        call_complements=frozenset(raw.get("call_complement_words", [])),
        accuse_verbs=frozenset(raw.get("accuse_verbs", [])),
        locative=frozenset(raw.get("locative_words", [])),
        definite=frozenset(raw.get("definite_words", [])),
        support_verbs=frozenset(raw.get("support_verbs", [])),
        legal=re.compile(_alternation(raw.get("legal_words", [])), flags),
        documents=re.compile(_alternation(raw.get("document_words", [])), flags),
        responsibility=re.compile(_alternation(raw.get("responsibility_words", [])), flags),
        conflict=re.compile(_bounded(_alternation(raw.get("conflict_words", []))), flags),
        natural_death=re.compile(
            _bounded(_alternation(raw.get("natural_death_words", []) or ["(?!x)x"])), flags
        ),
        list_separator=re.compile(r",|" + _bounded(_alternation(raw.get("list_words", []))), flags),
    )
