"""sitrep: raw news articles in, a clean, geolocated record of conflict and ceasefire events out.

Two lines in a notebook::

    import sitrep
    art = sitrep.analyse(open("article.txt").read(), published="2022-09-13")
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sitrep.model import AnalysedArticle, Article

if TYPE_CHECKING:
    from sitrep.pipeline import Pipeline
    from sitrep.store import Store

__all__ = ["AnalysedArticle", "Article", "analyse", "open"]
__version__ = "0.1.0"

_PIPELINE: Pipeline | None = None


def analyse(
    text: str | None = None,
    *,
    html: str | None = None,
    title: str | None = None,
    published: str | date | None = None,
    url: str | None = None,
    language: str | None = None,
    input_id: str = "<analyse>",
) -> AnalysedArticle:
    """Analyse one article in this process. A rejected article comes back with `rejection`."""
    global _PIPELINE
    from sitrep.ingest import default_pipeline

    if _PIPELINE is None:
        _PIPELINE = default_pipeline()
    if isinstance(published, str):
        published = date.fromisoformat(published[:10])
    article = Article(input_id=input_id, source=input_id, text=text, html=html, url=url,
                      title=title, published=published, language=language)  # fmt: skip
    return _PIPELINE([AnalysedArticle(article=article)])[0]


def open(path: str = "sitrep.duckdb", read_only: bool = False) -> Store:
    """The store, to query what `sitrep ingest` wrote."""
    from sitrep.store import Store

    return Store(path, read_only=read_only)
