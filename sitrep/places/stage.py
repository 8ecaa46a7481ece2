"""The places stage: toponyms of the parsed article, resolved with the article's context."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

from sitrep.lang import SUPPORTED
from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage
from sitrep.places.gazetteer import Gazetteer
from sitrep.places.resolve import find_places


@dataclass(kw_only=True)
class PlacesStage(Stage):
    name: ClassVar[str] = "places"
    requires: ClassVar[frozenset[str]] = frozenset({"clean_text", "language", "parse", "actors"})
    provides: ClassVar[frozenset[str]] = frozenset({"places"})
    gazetteer_path: str | None = None
    _gazetteer: Gazetteer | None = field(default=None, init=False, repr=False, compare=False)

    def check(self) -> None:
        Gazetteer.open(self.gazetteer_path)

    def setup(self) -> None:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.open(self.gazetteer_path)

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        self.setup()
        assert self._gazetteer is not None
        out = []
        for item in batch:
            lang = item.language or ""
            if lang not in SUPPORTED or item.parse is None:
                reason = f"unsupported language {lang!r}" if lang not in SUPPORTED else "no parse"
                out.append(replace(item, skipped={**item.skipped, "places": reason}))
                continue
            places = find_places(
                item.clean_text or "", lang, self._gazetteer, parse=item.parse,
                actors=item.actors,
            )  # fmt: skip
            out.append(replace(item, places=tuple(places)))
        return out
