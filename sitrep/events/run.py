"""`sitrep extract` and `sitrep eval` as plain functions: articles in, event records out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import islice
from typing import Any

from sitrep.evaluate import Prediction
from sitrep.model import AnalysedArticle, Article, Rejection
from sitrep.pipeline import Executor, Pipeline, batched, make_executor
from sitrep.places.names import name_key


def analyse_articles(
    articles: Iterable[Article | Rejection],
    *,
    executor: str | Executor = "inline",
    pipeline: Pipeline | None = None,
    batch_size: int = 8,
) -> Iterator[AnalysedArticle | Rejection]:
    """Analyse each article on its own (nothing is merged across articles), in input order;
    unreadable inputs pass through as rejections."""
    from sitrep.ingest import default_pipeline

    pipe = pipeline or default_pipeline()
    ex = make_executor(executor) if isinstance(executor, str) else executor

    def readable() -> Iterator[Article]:
        for item in pending:
            if isinstance(item, Article):
                yield item

    it = iter(articles)
    while pending := list(islice(it, batch_size * 8)):
        done = iter(
            item for batch in ex.map(pipe, batched(readable(), batch_size)) for item in batch
        )
        for item in pending:
            yield item if isinstance(item, Rejection) else next(done)


def event_rows(item: AnalysedArticle) -> list[dict[str, Any]]:
    return [event.to_dict() for event in item.events]


def gold_articles(gold: Sequence[dict[str, Any]]) -> list[Article]:
    """Gold lines as articles: given fields are used, the rest is inferred, as for any input."""
    out = []
    for g in gold:
        published = g.get("published")
        out.append(
            Article(
                input_id=str(g["id"]),
                source=str(g["id"]),
                text=g.get("text"),
                html=g.get("html"),
                url=g.get("url"),
                title=g.get("title"),
                language=g.get("language"),
                published=date.fromisoformat(published[:10]) if published else None,
            )
        )
    return out


def predict(
    gold: Sequence[dict[str, Any]],
    *,
    executor: str | Executor = "inline",
    on_article: Callable[[], None] | None = None,
) -> dict[str, Prediction]:
    """What sitrep extracts from each gold article, keyed by the gold id."""
    out: dict[str, Prediction] = {}
    for item in analyse_articles(gold_articles(gold), executor=executor):
        if on_article is not None:
            on_article()
        if isinstance(item, Rejection):
            continue
        if item.rejection is not None:
            out[item.article.input_id] = Prediction(events=[])
            continue
        out[item.article.input_id] = Prediction(
            events=event_rows(item),
            published=item.published.isoformat() if item.published else None,
            published_inferred=item.published_inferred,
        )
    return out


def gazetteer_same_place() -> Callable[[dict[str, Any], dict[str, Any]], bool]:
    """Name equivalence through the gazetteer: "Laçın" and "Lachin" are one district."""
    from sitrep.places.gazetteer import Gazetteer

    gz = Gazetteer.open()

    def ids(name: str | None) -> set[int]:
        if not name:
            return set()
        out = set()
        for e in gz.lookup(name):
            out.add(e.id)
            # a territory that is its own single province: "French Guiana" is "Guyane"
            sole = gz.admin1s(e.cc) if e.feature == "country" and e.cc else []
            if len(sole) == 1:
                out.add(sole[0].id)
        return out

    def same(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
        wanted: set[int] = set()
        keys = set()
        for field in ("admin2", "admin1"):
            if gold.get(field):
                wanted |= ids(gold[field])
                keys.add(name_key(gold[field]))
        if pred.get("geonames_id") in wanted:
            return True
        for field in ("location", "admin2", "admin1"):
            name = pred.get(field)
            if name and (name_key(name) in keys or ids(name) & wanted):
                return True
        return False

    return same
