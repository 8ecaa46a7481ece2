"""Language identification with py3langid, whose model ships inside its wheel (no download)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage

#: Languages sitrep analyses, then common languages of conflict reporting that it recognises
#: so they are not forced into French or English.
SUPPORTED = ("fr", "en")
RECOGNISED = (*SUPPORTED, "de", "es", "it", "pt", "nl", "ru", "uk", "ar", "tr", "pl", "fa", "zh")


@dataclass(kw_only=True)
class LanguageStage(Stage):
    """Given languages (JSONL `language`) are kept with confidence 1; others are identified."""

    name: ClassVar[str] = "lang"
    requires: ClassVar[frozenset[str]] = frozenset({"clean_text"})
    provides: ClassVar[frozenset[str]] = frozenset({"language", "language_confidence"})
    languages: tuple[str, ...] = RECOGNISED
    _identifier: Any = field(default=None, init=False, repr=False, compare=False)

    def setup(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        ident.set_languages(list(self.languages))
        self._identifier = ident

    def identify(self, text: str) -> tuple[str, float]:
        if self._identifier is None:
            self.setup()
        lang, prob = self._identifier.classify(text[:20_000])
        return str(lang), round(float(prob), 4)

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        out = []
        for item in batch:
            # "fr", "fr-FR", "en_GB" -> the primary subtag; anything else ("French") is
            # not a code we can trust, so the text decides
            given = (item.article.language or "").strip().lower().replace("_", "-").split("-")[0]
            if re.fullmatch(r"[a-z]{2,3}", given):
                lang, conf = given, 1.0
            else:
                lang, conf = self.identify(item.clean_text or "")
            out.append(replace(item, language=lang, language_confidence=conf))
        return out
