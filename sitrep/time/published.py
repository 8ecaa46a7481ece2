"""The article's publication date.

From metadata only for now (a JSONL `published` field, an HTML page's date meta): such dates are
stored with `published_inferred = False`. Inference from the text's own dateline belongs here.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage


@dataclass(kw_only=True)
class PublishedStage(Stage):
    name: ClassVar[str] = "published"
    requires: ClassVar[frozenset[str]] = frozenset({"published", "clean_text"})
    provides: ClassVar[frozenset[str]] = frozenset({"published_inferred"})

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return [replace(a, published_inferred=False) for a in batch]
