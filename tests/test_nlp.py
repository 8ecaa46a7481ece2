"""The NLP stage: spaCy's analysis as plain data, offsets into the clean text."""

from __future__ import annotations

import pickle

import pytest

from sitrep.errors import ConfigError
from sitrep.model import AnalysedArticle, Article
from sitrep.nlp import MODELS, NlpStage, load_model, parse_text


@pytest.fixture(scope="module")
def stage() -> NlpStage:
    s = NlpStage()
    s.setup()
    return s


def item(text: str, language: str) -> AnalysedArticle:
    return AnalysedArticle(
        article=Article(input_id="t", source="t", text=text), clean_text=text, language=language
    )


def test_parse_is_plain_data_with_offsets_into_the_text(stage: NlpStage) -> None:
    text = (
        "Heurts à la frontière\n\n"
        "L'armée azerbaïdjanaise a bombardé Goris mardi. Erevan a protesté.\n\n"
        "Moscou appelle au calme."
    )
    (out,) = stage.process_batch([item(text, "fr")])
    parse = out.parse
    assert parse is not None and parse.model == "fr_core_news_md"
    assert all(text[t.start : t.end] == t.text for t in parse.tokens)
    assert all(text[e.start : e.end] == e.text for e in parse.entities)
    # a sentence never runs across a paragraph break
    assert all("\n\n" not in text[s.start : s.end] for s in parse.sentences)
    assert len(parse.sentences) >= 4
    heads = {parse.tokens[t.head].text for t in parse.tokens if t.text == "Goris"}
    assert heads == {"bombardé"}
    assert any(e.text == "Moscou" and e.label == "LOC" for e in parse.entities)
    # picklable, so it crosses process (and Ray) boundaries
    assert pickle.loads(pickle.dumps(parse)) == parse


def test_english_pipeline(stage: NlpStage) -> None:
    text = "Russian forces shelled Kharkiv on Monday night, Ukraine's military said."
    (out,) = stage.process_batch([item(text, "en")])
    assert out.parse is not None
    labels = {e.text: e.label for e in out.parse.entities}
    assert labels.get("Ukraine") == "GPE"
    assert "Kharkiv" in labels  # the small model calls it a facility: places.detect copes
    assert out.parse.sentence_at(text.index("Monday")) is not None


def test_unsupported_language_is_skipped_with_a_reason(stage: NlpStage) -> None:
    (out,) = stage.process_batch([item("Die Armee hat am Dienstag Goris beschossen.", "de")])
    assert out.parse is None
    assert out.skipped == {"nlp": "unsupported language 'de'"}


def test_a_missing_model_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(MODELS, "fr", "fr_core_news_nonexistent")
    with pytest.raises(ConfigError, match="fr_core_news_nonexistent"):
        load_model("fr")
    with pytest.raises(ConfigError, match="no spaCy pipeline for language 'xx'"):
        load_model("xx")


def test_blank_text_parses_to_nothing(stage: NlpStage) -> None:
    nlp = load_model("en")
    parse = parse_text(nlp, "\n\n   \n\n")
    assert parse.tokens == () and parse.sentences == ()


def test_a_batch_is_parsed_at_once_and_each_article_gets_its_own_parse(stage: NlpStage) -> None:
    texts = [
        ("Heurts à Goris\n\nL'armée a bombardé Goris mardi.", "fr"),
        ("Clashes in Sotk\n\nTroops clashed near Sotk on Monday.\n\nTwo soldiers died.", "en"),
        ("Der Bürgermeister eröffnete eine Bibliothek.", "de"),
        ("Manifestation à Erevan\n\nDes milliers de personnes ont défilé.", "fr"),
    ]
    out = stage.process_batch([item(t, lang) for t, lang in texts])
    for (text, lang), done in zip(texts, out, strict=True):
        if lang == "de":
            assert done.parse is None and "unsupported" in done.skipped["nlp"]
            continue
        assert done.parse is not None and done.parse.model == MODELS[lang]
        assert all(text[t.start : t.end] == t.text for t in done.parse.tokens)
        alone = parse_text(stage._models[lang], text, MODELS[lang])
        assert [(t.start, t.text) for t in done.parse.tokens] == [
            (t.start, t.text) for t in alone.tokens
        ]
