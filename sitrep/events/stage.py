"""The events stage: the per-article extractor as a pipeline stage."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import ClassVar

from sitrep.events.extract import extract_events, find_quotes
from sitrep.events.lexicon import load_lexicon
from sitrep.events.ontology import load_ontology
from sitrep.lang import SUPPORTED
from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class EventStage(Stage):
    name: ClassVar[str] = "events"
    requires: ClassVar[frozenset[str]] = frozenset({"parse", "times", "actors", "places"})
    provides: ClassVar[frozenset[str]] = frozenset({"events", "claims_elsewhere", "quotes"})

    def setup(self) -> None:
        load_ontology()
        for lang in SUPPORTED:
            load_lexicon(lang)

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        self.setup()
        out = []
        for item in batch:
            if item.parse is None or load_lexicon(item.language or "") is None:
                reason = item.skipped.get("nlp") or f"no event lexicon for {item.language!r}"
                out.append(replace(item, skipped={**item.skipped, "events": reason}))
                continue
            try:
                found = extract_events(item)
            except Exception as exc:  # one odd text must not drop the article's other results
                log.warning("events failed on %s: %r", item.article.input_id, exc)
                reason = f"failed: {type(exc).__name__}: {exc}"
                out.append(
                    replace(
                        item,
                        quotes=tuple(find_quotes(item.clean_text or "")),
                        skipped={**item.skipped, "events": reason},
                    )
                )
                continue
            out.append(
                replace(
                    item,
                    events=tuple(found.events),
                    claims_elsewhere=tuple(found.elsewhere),
                    quotes=tuple(found.quotes),
                    dropped=tuple(f"{d.type}: {d.text!r}: {d.reason}" for d in found.dropped),
                )
            )
        return out
