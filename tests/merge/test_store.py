"""The merge in the store: the seed and a republished copy, in any order, once each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sitrep.ingest import ingest
from sitrep.store import Store

from conftest import SEED


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed, and a copy republished by another site with its own furniture around it."""
    d = tmp_path_factory.mktemp("in")
    raw = (SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8")
    seed = d / "seed.txt"
    seed.write_text(raw, encoding="utf-8")
    copy = d / "copy.txt"
    copy.write_text(
        "Accueil | International | Économie | Contact\nPublicité\n\n" + raw
        + "\n\nPartager : Facebook | X | WhatsApp\n© 2022 Le Courrier du Web\n",
        encoding="utf-8",
    )  # fmt: skip
    return seed, copy


def events(store: Store) -> list[list[tuple[Any, ...]]]:
    """What an analyst sees, without what depends on which copy came first."""
    return [
        store.con.execute(sql).fetchall()
        for sql in (
            "SELECT * EXCLUDE (notes) FROM events ORDER BY ALL",
            'SELECT event_id, "by", stance, article_id, char_start FROM claims ORDER BY ALL',
            "SELECT event_id, article_id, char_start, char_end FROM sources ORDER BY ALL",
        )
    ]


def run(tmp_path: Path, name: str, batches: list[list[Path]]) -> Store:
    store = Store(tmp_path / f"{name}.duckdb")
    for batch in batches:
        ingest([str(p) for p in batch], store, executor="inline")
    return store


def test_a_republished_copy_adds_sources_not_events(
    tmp_path: Path, inputs: tuple[Path, Path]
) -> None:
    seed, copy = inputs
    alone = run(tmp_path, "alone", [[seed]])
    both = run(tmp_path, "both", [[seed, copy]])
    n = alone.count("events")
    assert n >= 10 and both.count("events") == n  # once each
    assert both.count("reports") == 2 * n
    rows = both.con.execute("SELECT len(reports), independent_sources FROM events").fetchall()
    assert set(rows) == {(2, 1)}  # two reports each, one independent source
    # the seed's ceasefire: its start to the hour, its parties and its mediator
    cf = both.con.execute("SELECT start_time, parties, mediator FROM ceasefires").fetchall()
    assert cf == [("2022-09-13T06:00:00Z", ["ARM", "AZE"], "RUS")]


def test_merging_is_order_independent_and_idempotent(
    tmp_path: Path, inputs: tuple[Path, Path]
) -> None:
    seed, copy = inputs
    one = run(tmp_path, "one", [[seed, copy]])
    reverse = run(tmp_path, "reverse", [[copy], [seed]])
    assert events(one) == events(reverse)
    before = one.snapshot()
    summary = one.merge()
    assert summary.new_reports == 0 and one.snapshot() == before
