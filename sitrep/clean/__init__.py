"""Cleaning: from scraped text to the article's own paragraphs, each once and complete."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from sitrep.clean.core import Cleaned, clean
from sitrep.clean.fingerprint import FingerprintStage
from sitrep.errors import InputError
from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage, reject

__all__ = ["CleanStage", "Cleaned", "FingerprintStage", "clean"]


@dataclass(kw_only=True)
class CleanStage(Stage):
    name: ClassVar[str] = "clean"
    requires: ClassVar[frozenset[str]] = frozenset({"text", "title"})
    provides: ClassVar[frozenset[str]] = frozenset(
        {"clean_text", "paragraphs", "removed", "offset_map", "title"}
    )

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        out = []
        for item in batch:
            result = clean(item.text or "", item.title)
            if not result.paragraphs:
                err = InputError("no_content", "nothing but boilerplate was left after cleaning")
                out.append(reject(item, self.name, err))
                continue
            out.append(
                replace(
                    item,
                    title=result.title,
                    clean_text=result.clean_text,
                    paragraphs=tuple(result.paragraphs),
                    removed=tuple(result.removed),
                    offset_map=tuple(result.offset_map),
                )
            )
        return out
