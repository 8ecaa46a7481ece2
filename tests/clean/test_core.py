"""Cleaning on the seed, on the Wikinews corpus, and on small texts built for each rule."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from sitrep.clean import clean
from sitrep.model import raw_offset

from conftest import CORPUS, SEED, corpus_index


def norm(text: str) -> str:
    return " ".join(text.split())


def test_seed_paragraphs_equal_the_expected_clean_article(seed_raw: str) -> None:
    expected = json.loads((SEED / "ceasefire-fr.clean.json").read_text(encoding="utf-8"))
    result = clean(seed_raw, title=seed_raw.split("\n", 1)[0])
    assert norm(result.title or "") == norm(expected["title"])
    assert [norm(p) for p in result.paragraphs] == [norm(p) for p in expected["paragraphs"]]
    clean_txt = (SEED / "ceasefire-fr.clean.txt").read_text(encoding="utf-8")
    assert result.clean_text == clean_txt.strip()


def test_seed_removals_carry_their_reasons(seed_raw: str) -> None:
    removed = clean(seed_raw, title=seed_raw.split("\n", 1)[0]).removed
    by_line = {r.line: r for r in removed}
    assert by_line[3].reason == by_line[4].reason == "counters"  # "0", "158"
    assert [r.line for r in removed if r.reason == "site_name"] == [5, 11, 72]
    assert by_line[37].reason == "truncated" and by_line[37].detail == "completed by line 68"
    copy = [r.line for r in removed if r.reason == "repeated_copy"]
    assert copy[0] == 39 and copy[-1] == 66 and len(copy) == 15
    assert by_line[70].reason == "fragment"
    for r in removed:  # every record points at the raw text it names
        assert norm(seed_raw[r.raw_start : r.raw_end]) == norm(r.text)


def test_clean_offsets_map_back_to_the_raw_text(seed_raw: str) -> None:
    result = clean(seed_raw, title=seed_raw.split("\n", 1)[0])
    for seg in result.offset_map:
        assert (
            result.clean_text[seg.clean_start : seg.clean_end]
            == (seed_raw[seg.raw_start : seg.raw_end])
        )
    # the completed paragraph now sits at the truncated one's place but maps to its own line
    at = result.clean_text.index("profondément préoccupés")
    raw_at = raw_offset(result.offset_map, at)
    assert raw_at is not None
    assert seed_raw[raw_at : raw_at + 23] == "profondément préoccupés"
    assert seed_raw.count("\n", 0, raw_at) + 1 == 68


ARTICLE = [
    "Rebels shelled the northern town of Kadugli on Sunday, killing four civilians, police said.",
    "The army said it had repelled the attack and that its troops were in control of the town.",
    "Residents described hours of heavy artillery fire and said many families had fled south.",
    "The United Nations called on both sides to respect the ceasefire agreed in March.",
]


def test_english_page_furniture_is_removed_and_the_story_kept() -> None:
    raw = "\n".join(
        [
            "Daily Frontline",
            "Share this article",
            "Facebook | Twitter | WhatsApp",
            "12 comments",
            ARTICLE[0],
            "Read more: Sudan's army retakes Kauda",
            ARTICLE[1],
            "Daily Frontline",
            "Advertisement",
            ARTICLE[2],
            "3 min read",
            ARTICLE[3],
            "Daily Frontline",
        ]
    )
    result = clean(raw)
    assert result.paragraphs == ARTICLE
    reasons = Counter(r.reason for r in result.removed)
    assert reasons == {"site_name": 3, "share": 2, "counters": 2, "read_more": 2}


def test_a_rescraped_copy_with_small_differences_is_removed() -> None:
    copy = [
        ARTICLE[0].replace("four civilians", "4 civilians"),
        ARTICLE[1].replace("its troops", "the troops"),
        ARTICLE[2],
        ARTICLE[3].replace("in March", "last March"),
    ]
    result = clean("\n\n".join(ARTICLE + copy))
    assert result.paragraphs == ARTICLE
    assert {r.reason for r in result.removed} == {"repeated_copy"}


def test_truncated_paragraph_is_replaced_in_place_by_its_complete_version() -> None:
    truncated = ARTICLE[1][:43]  # cut inside a word: "... the attack an"
    tail = ARTICLE[1][47:]  # "at its troops were ..."
    raw = "\n".join([ARTICLE[0], truncated, ARTICLE[2], ARTICLE[1], tail, ARTICLE[3]])
    result = clean(raw)
    assert result.paragraphs == [ARTICLE[0], ARTICLE[1], ARTICLE[2], ARTICLE[3]]
    assert [(r.reason, r.line) for r in result.removed] == [("truncated", 2), ("fragment", 5)]


def test_short_distinct_lines_are_not_taken_for_fragments() -> None:
    raw = "\n".join(["Background", ARTICLE[0], "Reaction", ARTICLE[3]])
    assert clean(raw).paragraphs == ["Background", ARTICLE[0], "Reaction", ARTICLE[3]]


def test_mojibake_is_repaired_and_still_maps_to_the_raw_text() -> None:
    raw = "Le ministÃ¨re de la DÃ©fense a dÃ©menti les allÃ©gations mardi soir."
    result = clean(raw)
    assert result.paragraphs == ["Le ministère de la Défense a démenti les allégations mardi soir."]
    at = result.clean_text.index("mardi")
    assert raw_offset(result.offset_map, at) == raw.index("mardi")


def test_no_break_spaces_keep_their_meaning() -> None:
    raw = "Il a déclaré\u00a0: «\u00a0Nous  refusons\tcette   escalade\u00a0» ;   6\u202f500 morts."
    (para,) = clean(raw).paragraphs
    assert (
        para == "Il a déclaré\u00a0: «\u00a0Nous refusons cette escalade\u00a0» ; 6\u202f500 morts."
    )


def test_bidirectional_overrides_are_not_in_the_clean_text() -> None:
    """A right-to-left override shows "lagelliv" where the text says "village"; the clean
    text, which analysts read and the dashboard shows, has none, and still maps to the raw."""
    raw = "Des tirs ont visé le vil\u202elage\u202c de \u2066Sotk\u2069\u200f mardi, selon l'armée."
    (para,) = clean(raw).paragraphs
    assert para == "Des tirs ont visé le village de Sotk mardi, selon l'armée."
    result = clean(raw)
    at = result.clean_text.index("Sotk")
    assert raw_offset(result.offset_map, at) == raw.index("Sotk")


def test_hard_wrapped_lines_are_rejoined_into_paragraphs() -> None:
    raw = (
        "The ministry said the strikes targeted\n"
        "military positions near the border and\n"
        "were a response to shelling.\n"
        "Officials in the capital denied it."
    )
    assert clean(raw).paragraphs == [
        "The ministry said the strikes targeted military positions near the border and "
        "were a response to shelling.",
        "Officials in the capital denied it.",
    ]


def test_wikitext_markup_becomes_plain_text() -> None:
    raw = (
        "{{date|November 18, 2004}}\n\n"
        "A Chinese [[w:submarine|submarine]] entered [[Japan]]ese waters near "
        "[[w:Okinawa|Okinawa]], '''officials''' said.\n\n"
        "{{haveyoursay}}\n---\n{{archive}}"
    )
    result = clean(raw)
    assert result.paragraphs == [
        "November 18, 2004",  # Wikinews' dateline template is the article's date, kept as text
        "A Chinese submarine entered Japanese waters near Okinawa, officials said.",
    ]
    assert {r.reason for r in result.removed} == {"markup"}


@pytest.fixture(scope="module")
def corpus_results() -> list[tuple[dict[str, str], str, object]]:
    out = []
    for row in corpus_index():
        raw = (CORPUS / row["file"]).read_text(encoding="utf-8")
        out.append((row, raw, clean(raw, title=raw.split("\n", 1)[0])))
    return out


def test_cleaning_removes_at_most_five_percent_of_corpus_paragraphs(corpus_results: list) -> None:
    units = sum(r.stats["lines"] for _, _, r in corpus_results)
    removed = sum(r.stats["removed"] for _, _, r in corpus_results)
    assert len(corpus_results) == 170
    assert removed / units <= 0.05


def test_cleaning_never_drops_a_sentence_of_real_corpus_text(corpus_results: list) -> None:
    """Every removal in the corpus is markup, page furniture or a true repeat."""
    allowed = {"markup", "punctuation", "counters", "repeated", "repeated_copy", "near_repeated"}
    for row, _, result in corpus_results:
        for r in result.removed:
            assert r.reason in allowed, (row["file"], r)
            if r.reason in {"counters", "punctuation"}:
                assert len(r.text.split()) <= 4, (row["file"], r)
            if r.reason == "markup":
                assert r.text.startswith(("{", "[[", "---", "==")), (row["file"], r)


def test_sentences_that_open_like_furniture_are_article_text() -> None:
    sentences = [
        "Related clashes broke out in the north, where rebels seized two towns.",
        "Recommandé par l'ONU, le cessez-le-feu est entré en vigueur lundi.",
        "Voir aussi le communiqué du ministère, qui fait état de quatre morts.",
        "Subscribers to the rebel channel were told to leave the city.",
        "Copyright holders were not consulted before the broadcast.",
        "Source : un responsable de la sécurité.",
    ]
    assert clean("\n".join(sentences)).paragraphs == sentences


def test_an_interviews_speaker_labels_and_a_timelines_years_are_kept() -> None:
    interview = [
        "Le Monde",
        "Quelle est la situation sur le front aujourd'hui ?",
        "Général Dupont",
        "Le front tient, mais nos unités manquent de munitions.",
        "Le Monde",
        "Un cessez-le-feu est-il envisageable ?",
        "Général Dupont",
        "Pas tant que l'adversaire occupe nos villages.",
    ]
    assert clean("\n".join(interview)).paragraphs == interview
    timeline = [
        "1988",
        ARTICLE[0],
        "1994",
        ARTICLE[1],
        "24/02/2022",
        ARTICLE[2],
        "9:45",
        ARTICLE[3],
    ]
    assert clean("\n".join(timeline)).paragraphs == timeline


def test_a_counter_label_goes_with_its_number_but_a_subheading_stays() -> None:
    raw = "\n".join(["Réactions", ARTICLE[3], "Partager", "Facebook", "12", "commentaires"])
    result = clean(raw)
    assert result.paragraphs == ["Réactions", ARTICLE[3]]
    assert [r.text for r in result.removed] == ["Partager", "Facebook", "12", "commentaires"]


def test_a_title_that_needs_repair_is_repaired_once() -> None:
    raw = "Attaque &amp; riposte Ã  la frontière\n\n" + ARTICLE[0]
    result = clean(raw, title="Attaque &amp; riposte Ã  la frontière")
    assert result.title == "Attaque & riposte à la frontière"
    assert result.clean_text == "Attaque & riposte à la frontière\n\n" + ARTICLE[0]


def test_a_control_character_removed_by_repair_leaves_every_offset_inside_the_raw_text() -> None:
    """Found by the fuzzer: ftfy drops the unit separator, the alignment then adds a character
    after the last one, and its offset pointed one past the end of the raw text."""
    for raw in ("0\x1f00", "0\x1f000", "Des tirs\x1f ont visé 000"):
        result = clean(raw)
        for seg in result.offset_map:
            assert 0 <= seg.raw_start <= seg.raw_end <= len(raw)
        for removed in result.removed:
            assert 0 <= removed.raw_start <= removed.raw_end <= len(raw)
