"""The article's publication date.

A date from metadata (a JSONL `published` field, an HTML page's date meta) is kept as given,
with `published_inferred = False`. Without one, the date is inferred from the text's own
evidence (`sitrep.time.infer`): it is then marked inferred with the inference's confidence, or
left None when the text does not determine it, since a wrong date would misdate every event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage
from sitrep.time.infer import infer_published


@dataclass(kw_only=True)
class PublishedStage(Stage):
    name: ClassVar[str] = "published"
    requires: ClassVar[frozenset[str]] = frozenset({"published", "clean_text", "language"})
    provides: ClassVar[frozenset[str]] = frozenset(
        {"published", "published_inferred", "published_confidence"}
    )

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        out = []
        for item in batch:
            if item.published is not None:
                out.append(replace(item, published_inferred=False,
                                   published_confidence=None))  # fmt: skip
                continue
            found = infer_published(item.clean_text or "", item.language or "")
            if found is None:
                out.append(replace(item, published=None, published_inferred=False,
                                   published_confidence=None))  # fmt: skip
            else:
                out.append(replace(item, published=found[0], published_inferred=True,
                                   published_confidence=found[1]))  # fmt: skip
        return out
