"""The store, on DuckDB and on PostgreSQL: idempotent writes, rejections, republished copies."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sitrep.ingest import default_pipeline, ingest
from sitrep.model import AnalysedArticle, Article, Rejection
from sitrep.store import Store

from conftest import SEED, NewDb

PIPELINE = default_pipeline()

BODY = [
    "Rebels shelled the northern town of Kadugli on Sunday, killing four civilians.",
    "The army said it had repelled the attack and that its troops were in control of the town.",
    "Residents described hours of heavy artillery fire and said many families had fled south.",
    "The United Nations called on both sides to respect the ceasefire agreed in March.",
]


def analysed(text: str, title: str, n: int, published: str | None = None) -> AnalysedArticle:
    pub = date.fromisoformat(published) if published else None
    article = Article(input_id=f"in{n}", source=f"s{n}", text=text, title=title, published=pub)
    return PIPELINE([AnalysedArticle(article=article)])[0]


def test_writing_the_same_batch_twice_changes_nothing(new_db: NewDb) -> None:
    item = analysed("\n".join(BODY), "Kadugli shelled", 1)
    with Store(new_db("s")) as store:
        first = store.write([item])
        before = store.snapshot()
        second = store.write([item])
        assert store.snapshot() == before
    assert first.stored_ids == [item.article_id] and second.stored_ids == []
    assert second.known == 1


def test_a_republished_copy_points_at_the_earliest_copy(new_db: NewDb) -> None:
    original = analysed("\n".join(BODY), "Kadugli shelled", 1, "2024-05-02")
    retitled = "\n".join(["Sudan Today", *BODY[:3], "Read more: the war in Sudan", BODY[3]])
    copy = analysed(retitled, "Four civilians killed in Kadugli", 2, "2024-05-03")
    other = analysed("\n".join(reversed(BODY[:2])) + "\nA different closing line entirely.", "x", 3)
    assert copy.article_id != original.article_id
    with Store(new_db("s")) as store:
        store.write([copy, other])  # the later copy arrives first
        store.dedup()
        store.write([original])
        store.dedup()
        rows = {r["article_id"]: r["duplicate_of"] for r in store.articles()}
        assert rows == {
            original.article_id: None,
            copy.article_id: original.article_id,
            other.article_id: None,
        }
        before = store.snapshot()
        assert store.dedup() == 0 and store.snapshot() == before


def test_rejections_are_recorded_once(new_db: NewDb) -> None:
    rej = Rejection("bad.jsonl", "line 3", "malformed_jsonl", "line 3 is not JSON")
    dropped = replace(
        analysed("\n".join(BODY), "t", 4),
        rejection=Rejection("s4", "", "no_content", "nothing left", "clean"),
    )
    with Store(new_db("s")) as store:
        assert store.write([dropped], [rej]).rejected == 2
        assert store.write([dropped], [rej]).rejected == 0
        got = {(r["source"], r["locator"], r["reason"]) for r in store.rejected()}
        assert got == {("bad.jsonl", "line 3", "malformed_jsonl"), ("s4", "", "no_content")}
        assert store.seen_inputs([dropped.article.input_key]) == {
            dropped.article.input_key: "no_content"
        }


def test_an_input_stored_at_last_is_no_longer_listed_as_rejected(new_db: NewDb) -> None:
    good = analysed("\n".join(BODY), "Kadugli shelled", 5)
    art = good.article
    too_big = Rejection(art.source, art.locator, "too_large", "12 bytes; the limit is 10")
    with Store(new_db("s")) as store:
        store.write([], [too_big])
        store.write([good])
        assert store.rejected() == []
        assert store.seen_inputs([art.input_key]) == {art.input_key: None}


def test_stubs_with_the_same_short_body_are_not_called_copies(new_db: NewDb) -> None:
    stub = "This is a breaking news story. Check back soon for updates."
    a = analysed(f"Ceasefire collapses in Gaza\n\n{stub}", "Ceasefire collapses in Gaza", 6)
    b = analysed(f"Explosion hits Kabul airport\n\n{stub}", "Explosion hits Kabul airport", 7)
    with Store(new_db("s")) as store:
        store.write([a, b])
        store.dedup()
        assert [r["duplicate_of"] for r in store.articles()] == [None, None]


def test_a_store_from_before_the_new_columns_is_upgraded_in_place(new_db: NewDb) -> None:
    path = new_db("old")
    with Store(path) as store:  # as the foundation issue left stores: without these columns
        store.con.execute("ALTER TABLE articles DROP COLUMN published_confidence")
        store.con.execute("ALTER TABLE articles DROP COLUMN skipped")
    with Store(path) as store:
        summary = ingest([str(SEED / "ceasefire-fr.raw.txt")], store, executor="inline")
        assert summary.stored == 1
        (row,) = store.articles()
        art = store.article(row["article_id"])
    assert art["published_inferred"] is True and art["published_confidence"] > 0
    assert art["mentions"]


def test_what_a_file_holds_already_is_found_without_reading_it(
    new_db: NewDb, tmp_path: Path
) -> None:
    """The Ray path's skip sets: the inputs of a file (or of some of its lines) that the store
    has, stored or rejected by a stage, and the reasons of its rejections."""
    import json

    from sitrep.ingest import foundation_stages
    from sitrep.pipeline import Pipeline

    feed = tmp_path / "x.jsonl"
    story = "Des tirs ont visé le village numéro {n} mardi, selon la mairie de la commune."
    rows = [json.dumps({"id": f"x{n}", "text": story.format(n=n)}) for n in range(6)]
    feed.write_text("\n".join([*rows[:3], "nope", *rows[3:]]) + "\n", encoding="utf-8")
    with Store(new_db("s")) as store:
        ingest([str(feed)], store, executor="inline", pipeline=Pipeline(foundation_stages()))
        everything = store.done_in_files([str(feed)])
        some = store.done_in_files([str(feed)], (2, 5))  # lines 2, 3, (4 is "nope"), 5
        assert store.rejections_in(str(feed)) == {"malformed_jsonl": 1}
        assert store.done_in_files([str(tmp_path / "other.jsonl")]) == {}
    assert len(everything) == 6 and set(everything.values()) == {None}
    assert len(some) == 3 and set(some) < set(everything)
