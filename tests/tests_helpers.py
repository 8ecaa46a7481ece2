"""Small stages for tests that must not depend on the readers."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage


@dataclass(kw_only=True)
class TextStage(Stage):
    """Plain text articles only: what the `extract` stage does for them."""

    name: ClassVar[str] = "text"
    requires: ClassVar[frozenset[str]] = frozenset({"article"})
    provides: ClassVar[frozenset[str]] = frozenset({"text", "title", "url", "published"})

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return [
            replace(
                a,
                text=a.article.text,
                title=a.article.title,
                url=a.article.url,
                published=a.article.published,
            )
            for a in batch
        ]
