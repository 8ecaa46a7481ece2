"""The time stage: every time expression of the article, resolved against its publication date."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from sitrep.lang import SUPPORTED
from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage
from sitrep.time.expressions import find_times, lexicon


@dataclass(kw_only=True)
class TimeStage(Stage):
    """Fills `times`. Lexicons are read-only and cached per process, so nothing of one article
    can leak into the next; an unsupported language is skipped with its reason, not an error."""

    name: ClassVar[str] = "time"
    requires: ClassVar[frozenset[str]] = frozenset({"clean_text", "language", "published"})
    provides: ClassVar[frozenset[str]] = frozenset({"times"})

    def setup(self) -> None:
        for language in SUPPORTED:
            lexicon(language)  # compile the regexes once per worker, not on its first article

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        out = []
        for item in batch:
            language = item.language or ""
            if language not in SUPPORTED or lexicon(language) is None:
                skipped = {**item.skipped, self.name: f"unsupported language '{language}'"}
                out.append(replace(item, times=(), skipped=skipped))
                continue
            times = find_times(item.clean_text or "", language, item.published)
            out.append(replace(item, times=tuple(times)))
        return out
