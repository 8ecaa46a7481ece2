"""Where the store's tables live: a DuckDB file (the default, no server) or a PostgreSQL
database that a team shares (`postgresql://…`).

The SQL of the store is written once, in the subset both engines accept, with DuckDB's
placeholders (`?` and `$1`); the PostgreSQL connection rewrites them to psycopg's. What the two
engines cannot share, bulk inserts, lives in `Store._insert`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import duckdb

from sitrep.errors import ConfigError

POSTGRES_SCHEMES = ("postgresql://", "postgres://")
#: Serialises schema creation between processes that open one PostgreSQL database at once.
_SCHEMA_LOCK = 0x517E5


class Cursor(Protocol):
    description: Any

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...

    def fetchmany(self, size: int = ...) -> list[Any]: ...


class Connection(Protocol):
    def execute(self, sql: str, params: Sequence[Any] | None = ...) -> Any: ...

    def close(self) -> None: ...


def _database_errors() -> tuple[type[Exception], ...]:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - a dependency, but the DuckDB store needs none
        return ()
    return (psycopg.Error,)


#: What a PostgreSQL server may raise at any query: reported as such by the CLI.
DatabaseError: tuple[type[Exception], ...] = _database_errors()


def is_postgres(target: str) -> bool:
    return target.startswith(POSTGRES_SCHEMES)


def with_search_path(url: str, schema: str) -> str:
    """The server's URL with `schema` first on the search path: a store of its own inside a
    shared database (tests, benchmarks)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def redact(target: str) -> str:
    """The target without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@/]*@", r"\1:***@", target)


# a quoted literal, or a placeholder: `$1`, or `?`
_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|\$(\d+)|(\?)|(%)")


def to_psycopg(sql: str, params: Sequence[Any] | None) -> tuple[str, list[Any] | None]:
    """DuckDB placeholders to psycopg's: `$n` may repeat, so each occurrence takes its own copy
    of the parameter; `%` outside literals is doubled. Literals are left alone."""
    if not params:
        return sql, None
    out: list[Any] = []
    position = 0

    def swap(m: re.Match[str]) -> str:
        nonlocal position
        if m.group(1):
            out.append(params[int(m.group(1)) - 1])
            return "%s"
        if m.group(2):
            out.append(params[position])
            position += 1
            return "%s"
        if m.group(3):
            return "%%"
        return m.group(0)

    return _TOKENS.sub(swap, sql), out


class PostgresConnection:
    """A psycopg connection that takes the store's SQL as DuckDB's does: `execute` returns
    a cursor; transactions are the explicit BEGIN / COMMIT the store sends."""

    dialect = "postgresql"

    def __init__(self, url: str, read_only: bool = False) -> None:
        import psycopg

        self.url = url
        self.read_only = read_only
        try:
            self.raw = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise ConfigError(f"cannot open the database {redact(url)}: {exc}") from exc
        if read_only:
            self.raw.execute("SET default_transaction_read_only = on")

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        query, args = to_psycopg(sql, params)
        return self.raw.execute(query.encode(), args)  # bytes: a composed query, not a literal

    def executemany(self, sql: str, rows: list[list[Any]], returning: bool = False) -> list[Any]:
        query, _ = to_psycopg(sql, rows[0] if rows else None)
        cur = self.raw.cursor()
        cur.executemany(query.encode(), rows, returning=returning)
        found: list[Any] = []
        if returning:
            while True:
                found.extend(r[0] for r in cur.fetchall())
                if not cur.nextset():
                    break
        return found

    def cursor(self) -> PostgresConnection:
        return PostgresConnection(self.url, self.read_only)

    def create_schema(self, ddl: str) -> None:
        with self.raw.transaction():
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEMA_LOCK])
            self.raw.execute(ddl.encode())

    def close(self) -> None:
        self.raw.close()


def connect(target: str, read_only: bool) -> tuple[Any, str]:
    """A connection and its dialect ("duckdb" or "postgresql")."""
    if is_postgres(target):
        return PostgresConnection(target, read_only), "postgresql"
    try:
        return duckdb.connect(target, read_only=read_only), "duckdb"
    except duckdb.Error as exc:
        raise ConfigError(f"cannot open the database {target}: {exc}") from exc
