"""Shared fixtures: the `shared/` folder beside the checkout holds the seed and the corpus."""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from sitrep.store.backend import with_search_path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEED = SHARED / "seed"
CORPUS = SHARED / "corpus" / "wikinews"
#: A PostgreSQL server for the tests, started by `.ci/services` (`make test` reads its URL).
PG_URL = os.environ.get("SITREP_TEST_PG") or None
BACKENDS = ["duckdb", "postgresql"]
#: The `new_db` fixture: a name in, the path or URL of an empty store of the test's backend out.
NewDb = Callable[[str], str]


def require_pg() -> str:
    """The server's URL; under CI a missing server fails the run instead of skipping."""
    if PG_URL:
        return PG_URL
    if os.environ.get("CI"):
        pytest.fail("CI must test the PostgreSQL backend: SITREP_TEST_PG is not set")
    pytest.skip("no PostgreSQL server: run `bash .ci/services` or set SITREP_TEST_PG")


@contextmanager
def pg_store(name: str) -> Iterator[str]:
    """The URL of an empty store in a fresh schema of the test server, dropped afterwards."""
    import psycopg

    base = require_pg()
    schema = f"t_{name}_{uuid.uuid4().hex[:10]}".lower()
    with psycopg.connect(base, autocommit=True) as con:
        con.execute(f"CREATE SCHEMA {schema}".encode())
    try:
        yield with_search_path(base, schema)
    finally:
        with psycopg.connect(base, autocommit=True) as con:
            con.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE".encode())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        require_pg()
    return str(request.param)


@pytest.fixture
def new_db(backend: str, tmp_path: Path) -> Iterator[NewDb]:
    """Makes empty stores of the test's backend: a DuckDB file, or a fresh PostgreSQL schema
    (dropped afterwards)."""
    with ExitStack() as stack:

        def make(name: str = "db") -> str:
            if backend == "duckdb":
                return str(tmp_path / f"{name}.duckdb")
            return stack.enter_context(pg_store(name))

        yield make


def stale_gazetteer(path: Path) -> Path:
    """A gazetteer file as an older sitrep wrote it: readable, but of another schema version."""
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    con.commit()
    con.close()
    return path


def corpus_index() -> list[dict[str, str]]:
    with open(CORPUS / "INDEX.tsv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@pytest.fixture(scope="session")
def seed_raw() -> str:
    return (SEED / "ceasefire-fr.raw.txt").read_text(encoding="utf-8")
