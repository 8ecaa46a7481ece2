"""The actors stage: every actor mention of the clean text, normalised to the dictionary."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import ClassVar

from sitrep.actors.dictionary import ActorDictionary, default_dictionary, load_dictionary
from sitrep.actors.match import find_actors
from sitrep.lang import SUPPORTED
from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class ActorStage(Stage):
    """`data_dir` replaces the packaged data files (tests, experiments); None uses them."""

    name: ClassVar[str] = "actors"
    requires: ClassVar[frozenset[str]] = frozenset({"clean_text", "language", "published"})
    provides: ClassVar[frozenset[str]] = frozenset({"actors"})
    data_dir: str | None = None
    _dictionary: ActorDictionary | None = field(default=None, init=False, repr=False, compare=False)

    def setup(self) -> None:
        if self._dictionary is None:
            self._dictionary = (
                load_dictionary(self.data_dir) if self.data_dir else default_dictionary()
            )

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        self.setup()
        out = []
        for item in batch:
            lang = item.language or ""
            if lang not in SUPPORTED:
                reason = f"unsupported language {lang!r}"
                out.append(replace(item, actors=(), skipped={**item.skipped, "actors": reason}))
                continue
            try:
                actors = find_actors(item.clean_text or "", lang, item.published, self._dictionary)
            except Exception as exc:  # one odd text must not drop the article's other results
                log.warning("actors failed on %s: %r", item.article.input_id, exc)
                reason = f"failed: {type(exc).__name__}: {exc}"
                out.append(replace(item, actors=(), skipped={**item.skipped, "actors": reason}))
                continue
            out.append(replace(item, actors=tuple(actors)))
        return out
