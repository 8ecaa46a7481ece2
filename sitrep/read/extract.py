"""The `extract` stage: every article gets its plain text, title, URL and publication date.

HTML pages are turned into text here rather than in the reader so that the expensive part runs
in the worker processes. What the input itself said (a JSONL `title`, `url`, `published`, a
WARC record's URL) wins over what the page says about itself.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import ClassVar

from sitrep.errors import InputError
from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage, reject
from sitrep.read.text import guess_title

log = logging.getLogger(__name__)


@dataclass(kw_only=True)
class ExtractStage(Stage):
    """Plain text is copied; HTML is extracted with trafilatura (see `sitrep.read.html`)."""

    name: ClassVar[str] = "extract"
    requires: ClassVar[frozenset[str]] = frozenset({"article"})
    provides: ClassVar[frozenset[str]] = frozenset({"text", "title", "url", "published"})

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return [self._extract(item) for item in batch]

    def _extract(self, item: AnalysedArticle) -> AnalysedArticle:
        art = item.article
        # Text the caller gave wins over a page it also gave: it is what they meant to analyse.
        if art.text and art.text.strip():
            title = art.title or guess_title(art.text)  # a JSONL line's headline, say
            return replace(item, text=art.text, title=title, url=art.url, published=art.published)
        if not art.html:
            err = InputError("no_text", "the article has neither text nor HTML")
            return reject(item, self.name, err)
        from sitrep.read.html import extract_html  # trafilatura: loaded only where it is used

        try:
            page = extract_html(art.html, art.url)
        except InputError as exc:
            log.debug("no article in %s %s: %s", art.source, art.locator, exc)
            return reject(item, self.name, exc)
        return replace(
            item,
            text=page.text,
            title=art.title or page.title,
            url=art.url or page.url,
            published=art.published or page.published,
        )
