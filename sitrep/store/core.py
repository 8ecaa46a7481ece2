"""The store: a DuckDB file by default, or a shared PostgreSQL database (`sitrep.store.backend`),
with one schema and one set of queries. Every write is an idempotent upsert keyed by a hash,
and every batch is one transaction, so a run killed at any point resumes cleanly."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import duckdb

from sitrep.clean.fingerprint import DUPLICATE_JACCARD, bands, similarity
from sitrep.merge.core import IS_DENIAL, report_rows
from sitrep.model import AnalysedArticle, Rejection
from sitrep.store.backend import connect, is_postgres

if TYPE_CHECKING:
    from sitrep.merge.run import MergeSummary

log = logging.getLogger(__name__)

DEFAULT_DB = "sitrep.duckdb"
_SCHEMA = Path(__file__).with_name("schema.sql")

#: What `Store.article` returns of the articles table: all but the dedup bookkeeping.
ARTICLE_FIELDS = (
    "article_id", "seq", "input_id", "source", "locator", "url", "title", "language",
    "language_confidence", "published", "published_inferred", "published_confidence", "skipped",
    "clean_text", "paragraphs", "raw_text", "offset_map", "duplicate_of", "ingested_at",
)  # fmt: skip

#: Columns of the article export record (spec/events.md), in order.
ARTICLE_COLUMNS = (
    "article_id", "input_id", "url", "title", "language", "language_confidence", "published",
    "published_inferred", "duplicate_of", "clean_text",
)  # fmt: skip


@dataclass
class WriteResult:
    stored_ids: list[str] = field(default_factory=list)  # articles new to the store
    known: int = 0  # inputs whose clean text was already stored
    rejected: int = 0  # rejections newly recorded


@contextmanager
def _sigint_deferred() -> Iterator[None]:
    """Let a batch's transaction finish before Ctrl-C stops the run.

    DuckDB aborts a running query on SIGINT, sometimes as a bare RuntimeError; holding the
    signal until the commit keeps every batch whole, then the run stops as asked.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt


class Store:
    def __init__(self, path: str | Path = DEFAULT_DB, read_only: bool = False) -> None:
        """`path`: a DuckDB file, or a `postgresql://` URL."""
        self.path = str(path)
        self.con, self.dialect = connect(self.path, read_only)
        if not read_only:
            shared, _, server_only = _SCHEMA.read_text(encoding="utf-8").partition(
                "-- @postgresql-only"
            )
            if self.dialect == "postgresql":
                self.con.create_schema(shared + server_only)
            else:
                self.con.execute(shared)
        self._column_types: dict[str, dict[str, str]] = {}

    @staticmethod
    def is_server(path: str | Path) -> bool:
        return is_postgres(str(path))

    def reader(self) -> Store:
        """Another handle on the same database, for another thread: a connection is used by
        one thread at a time (the API gives each worker thread its own)."""
        other = object.__new__(Store)
        other.path = self.path
        other.dialect = self.dialect
        other.con = self.con.cursor()
        other._column_types = {}
        return other

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def seen_inputs(self, keys: Sequence[str]) -> dict[str, str | None]:
        """Inputs an earlier run finished: a resumed run skips them. Maps each to None when
        it was stored, or to the reason a stage rejected it."""
        if not keys:
            return {}
        rows = self.con.execute(
            "SELECT input_key, NULL FROM inputs WHERE input_key IN "
            "(SELECT unnest($1::VARCHAR[])) "
            "UNION ALL SELECT input_key, reason FROM rejected "
            "WHERE input_key IN (SELECT unnest($1::VARCHAR[]))",
            [list(keys)],
        ).fetchall()
        return {key: reason for key, reason in rows}

    def done_in_files(
        self, paths: Sequence[str], lines: tuple[int, int] | None = None
    ) -> dict[str, str | None]:
        """`seen_inputs` for every input of these files (or of these JSONL lines of one),
        without reading them: what a worker that reads the files itself (the Ray path) is told
        to skip."""
        if not paths:
            return {}
        real = [os.path.realpath(p) for p in paths]
        where = ""
        params: list[Any] = [real, [*paths, *real]]
        if lines is not None:  # a part of a JSONL file: its locators are "line N"
            line = "CAST(substr(locator, 6) AS BIGINT)"
            where = (
                f" AND CASE WHEN substr(locator, 1, 5) = 'line ' THEN {line} END BETWEEN $3 AND $4"
            )
            params += [lines[0], lines[1]]
        rows = self.con.execute(
            "SELECT input_key, NULL FROM inputs WHERE real_path IN "
            f"(SELECT unnest($1::VARCHAR[])){where} "
            "UNION ALL SELECT input_key, reason FROM rejected "
            f"WHERE input_key IS NOT NULL AND source IN (SELECT unnest($2::VARCHAR[])){where}",
            params,
        ).fetchall()
        return {key: reason for key, reason in rows}

    def write(
        self, batch: Iterable[AnalysedArticle], rejections: Iterable[Rejection] = ()
    ) -> WriteResult:
        """Store a batch and the inputs rejected with it, in one transaction.

        Rows go in column-wise, one statement per table, because DuckDB pays per statement.
        """
        now = datetime.now()
        batch = list(batch)
        rejected: list[tuple[Rejection, str | None, str | None]] = [
            (r, None, None) for r in rejections
        ]
        articles: dict[str, AnalysedArticle] = {}
        inputs: list[dict[str, Any]] = []
        for item in batch:
            art = item.article
            if item.rejection is not None:
                rejected.append((item.rejection, art.input_key, art.input_id))
                continue
            aid = item.article_id
            articles.setdefault(aid, item)
            inputs.append({
                "input_key": art.input_key, "input_id": art.input_id, "source": art.source,
                "real_path": art.real_path, "locator": art.locator, "url": item.url,
                "published": item.published,
                "article_id": aid, "ingested_at": now,
            })  # fmt: skip
        with _sigint_deferred():
            return self._write(batch, rejected, articles, inputs, now)

    def _write(
        self,
        batch: list[AnalysedArticle],
        rejected: list[tuple[Rejection, str | None, str | None]],
        articles: dict[str, AnalysedArticle],
        inputs: list[dict[str, Any]],
        now: datetime,
    ) -> WriteResult:
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            n_rejected = len(self._insert("rejected", [
                {"reject_key": rej.key, "input_key": key, "input_id": input_id,
                 "source": rej.source, "locator": rej.locator, "stage": rej.stage,
                 "reason": rej.reason, "detail": rej.detail, "rejected_at": now}
                for rej, key, input_id in rejected
            ], returning="reject_key"))  # fmt: skip
            new = set(self._insert("articles", [
                {"article_id": aid, "input_id": it.article.input_id, "source": it.article.source,
                 "locator": it.article.locator, "url": it.url, "title": it.title,
                 "language": it.language, "language_confidence": it.language_confidence,
                 "published": it.published, "published_inferred": it.published_inferred,
                 "published_confidence": it.published_confidence,
                 "skipped": json.dumps(it.skipped, sort_keys=True) if it.skipped else None,
                 "clean_text": it.clean_text, "paragraphs": list(it.paragraphs),
                 "raw_text": it.text,
                 "offset_map": [[g.clean_start, g.clean_end, g.raw_start, g.raw_end]
                                for g in it.offset_map],
                 "minhash": list(it.minhash), "ingested_at": now}
                for aid, it in articles.items()
            ], returning="article_id", sequence="seq"))  # fmt: skip
            self._insert("inputs", inputs)
            if inputs:  # an input stored now is no longer rejected (a bigger --max-bytes, say)
                con.execute(
                    "DELETE FROM rejected WHERE (source, locator) IN "
                    "(SELECT unnest($1::VARCHAR[]), unnest($2::VARCHAR[]))",
                    [[r["source"] for r in inputs], [r["locator"] for r in inputs]],
                )
            self._insert("removed", [
                {"article_id": aid, "seq": n, "reason": r.reason, "text": r.text,
                 "raw_start": r.raw_start, "raw_end": r.raw_end, "line": r.line,
                 "detail": r.detail}
                for aid, it in articles.items() if aid in new
                for n, r in enumerate(it.removed)
            ])  # fmt: skip
            self._insert("mentions", [
                {"article_id": aid, **row}
                for aid, it in articles.items() if aid in new
                for row in mention_rows(it)
            ])  # fmt: skip
            self._insert("reports", [
                row
                for aid, it in articles.items() if aid in new
                for row in report_rows(it)
            ])  # fmt: skip
            self._insert("article_bands", [
                {"band": b, "key": k, "article_id": aid}
                for aid, it in articles.items() if aid in new and it.minhash
                for b, k in bands(it.minhash)
            ])  # fmt: skip
            con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        result = WriteResult(rejected=n_rejected)
        for item in batch:
            if item.rejection is None:
                aid = item.article_id
                if aid in new:
                    result.stored_ids.append(aid)
                    new.discard(aid)
                else:
                    result.known += 1
        return result

    def _rollback(self) -> None:
        """Undo the open transaction; DuckDB has already undone it when a query was
        interrupted (Ctrl-C), and says so, which is fine."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.TransactionException as exc:
            log.debug("nothing to roll back: %s", exc)
        except Exception as exc:  # a PostgreSQL connection that was lost: nothing to undo
            if self.dialect == "duckdb":
                raise
            log.warning("rollback failed: %s", exc)

    def _insert(
        self,
        table: str,
        rows: list[dict[str, Any]],
        returning: str | None = None,
        sequence: str | None = None,
    ) -> list[Any]:
        """INSERT ... ON CONFLICT DO NOTHING of many rows in one statement (one list per
        column, unnested together); returns the `returning` column of the rows inserted."""
        if not rows:
            return []
        if self.dialect == "postgresql":
            return self._insert_rows(table, rows, returning, sequence)
        types = self._types(table)
        cols = list(rows[0])
        select = [f'unnest(?::{types[c]}[]) AS "{c}"' for c in cols]
        if sequence:
            cols.insert(0, sequence)
            select.insert(0, f"nextval('{table[:-1]}_seq') AS {sequence}")
        names = ", ".join(f'"{c}"' for c in cols)  # "by" is a keyword
        sql = f"INSERT INTO {table} ({names}) SELECT {', '.join(select)} ON CONFLICT DO NOTHING"
        if returning:
            sql += f" RETURNING {returning}"
        params = [[row[c] for row in rows] for c in rows[0]]
        cur = self.con.execute(sql, params)
        return [r[0] for r in cur.fetchall()] if returning else []

    def _insert_rows(
        self,
        table: str,
        rows: list[dict[str, Any]],
        returning: str | None,
        sequence: str | None,
    ) -> list[Any]:
        """PostgreSQL: row by row in one pipelined `executemany`, because arrays of unequal
        lengths (paragraphs, offsets) cannot be passed as one array per column."""
        cols = list(rows[0])
        names = ", ".join(f'"{c}"' for c in cols)
        values = ", ".join("?" for _ in cols)
        if sequence:
            names = f"{sequence}, {names}"
            values = f"nextval('{table[:-1]}_seq'), {values}"
        sql = f"INSERT INTO {table} ({names}) VALUES ({values}) ON CONFLICT DO NOTHING"
        if returning:
            sql += f" RETURNING {returning}"
        found: list[Any] = self.con.executemany(
            sql, [[row[c] for c in cols] for row in rows], returning=bool(returning)
        )
        return found

    def _types(self, table: str) -> dict[str, str]:
        if table not in self._column_types:
            described = self.con.execute(f"DESCRIBE {table}").fetchall()
            self._column_types[table] = {r[0]: r[1] for r in described}
        return self._column_types[table]

    # -- reduce: republished copies --------------------------------------------------------

    def dedup(self) -> int:
        """Point every republished copy at the earliest copy (`duplicate_of`).

        Works on the articles not yet deduplicated and every article they resemble, so it is
        cheap after a small ingest, finishes the work of a killed run, and running it twice
        changes nothing. Earliest = first published when every copy has a date (an undated
        copy cannot be placed), else first ingested.
        """
        with _sigint_deferred():
            return self._dedup()

    def _dedup(self) -> int:
        con = self.con
        pending = [r[0] for r in con.execute(
            "SELECT article_id FROM articles WHERE NOT dedup_done ORDER BY seq"
        ).fetchall()]  # fmt: skip
        if not pending:
            return 0
        sigs: dict[str, list[int]] = {}
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        def signature(aid: str) -> list[int]:
            if aid not in sigs:
                row = con.execute(
                    "SELECT minhash FROM articles WHERE article_id = ?", [aid]
                ).fetchone()
                sigs[aid] = list(row[0] or []) if row else []
            return sigs[aid]

        frontier = list(pending)
        visited: set[str] = set()
        while frontier:  # the whole connected cluster, so a new earliest copy re-points all
            aid = frontier.pop()
            if aid in visited:
                continue
            visited.add(aid)
            candidates = con.execute(
                "SELECT DISTINCT o.article_id FROM article_bands s JOIN article_bands o "
                "ON s.band = o.band AND s.key = o.key AND o.article_id <> s.article_id "
                "WHERE s.article_id = ?",
                [aid],
            ).fetchall()
            for (other,) in candidates:
                if similarity(signature(aid), signature(other)) >= DUPLICATE_JACCARD:
                    parent[find(other)] = find(aid)
                    frontier.append(other)
        clusters: dict[str, list[str]] = {}
        for aid in visited:
            clusters.setdefault(find(aid), []).append(aid)
        con.execute("BEGIN TRANSACTION")
        try:
            changed = 0
            for members in clusters.values():
                order = con.execute(
                    "SELECT article_id, duplicate_of, published FROM articles WHERE article_id IN "
                    "(SELECT unnest($1::VARCHAR[])) ORDER BY seq",
                    [members],
                ).fetchall()
                # earliest published when every copy is dated; else the first one ingested
                if all(row[2] is not None for row in order):
                    order.sort(key=lambda row: row[2])
                first = order[0][0]
                for aid, current, _ in order:
                    want = None if aid == first else first
                    if current != want:
                        con.execute(
                            "UPDATE articles SET duplicate_of = ? WHERE article_id = ?", [want, aid]
                        )
                        changed += 1
            con.execute(
                "UPDATE articles SET dedup_done = TRUE WHERE article_id IN "
                "(SELECT unnest($1::VARCHAR[]))",
                [pending],
            )
            con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return changed

    # -- reduce: one event per real-world event -------------------------------------------

    def merge(self) -> MergeSummary:
        """Cluster the reports not yet merged with those they may tell (`sitrep.merge`)."""
        from sitrep.merge.run import merge_store

        with _sigint_deferred():
            return merge_store(self)

    def finished_shard(self, path: str) -> int | None:
        """The records of a multi-record file an earlier run finished, if it has not changed
        since (same size and modification time); None when it must be read."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        row = self.con.execute(
            "SELECT records FROM shards WHERE path = ? AND size = ? AND mtime = ?",
            [os.path.abspath(path), st.st_size, st.st_mtime],
        ).fetchone()
        return int(row[0]) if row else None

    def rejections_in(self, path: str) -> Counter[str]:
        """Why inputs of this file were rejected, counted by reason: a run that skips a
        finished file still reports its rejections."""
        rows = self.con.execute(
            "SELECT reason, count(*) FROM rejected WHERE source = ? GROUP BY reason", [path]
        ).fetchall()
        return Counter({reason: int(n) for reason, n in rows})

    def mark_shard(self, path: str, size: int, mtime: float, records: int) -> None:
        """Every record of this file, as it was when opened (size, mtime), is stored or
        rejected: a later run need not read it while it stays so."""
        self.con.execute(
            "INSERT INTO shards VALUES (?, ?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            "size = excluded.size, mtime = excluded.mtime, records = excluded.records, "
            "done_at = excluded.done_at",
            [os.path.abspath(path), size, mtime, records, datetime.now()],
        )

    # -- reading ---------------------------------------------------------------------------

    def count_duplicates(self, article_ids: Sequence[str]) -> int:
        """How many of these articles are republished copies of another."""
        if not article_ids:
            return 0
        row = self.con.execute(
            "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL "
            "AND article_id IN (SELECT unnest($1::VARCHAR[]))",
            [list(article_ids)],
        ).fetchone()
        return int(row[0]) if row else 0

    def count(self, table: str) -> int:
        if table not in {
            "articles",
            "inputs",
            "removed",
            "rejected",
            "mentions",
            "events",
            "claims",
            "sources",
            "reports",
            "report_links",
            "ceasefires",
        }:
            raise ValueError(table)
        row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def articles(
        self, limit: int | None = None, language: str | None = None
    ) -> list[dict[str, Any]]:
        sql = (
            "SELECT article_id, published, published_inferred, language, duplicate_of, title, url, "
            "input_id "
            "FROM articles WHERE ($1::VARCHAR IS NULL OR language = $1) ORDER BY seq"
        )
        params: list[Any] = [language]
        if limit is not None:
            sql += " LIMIT $2"
            params.append(limit)
        return self._dicts(sql, params)

    def resolve(self, ref: str) -> list[str]:
        """Article ids that `ref` names: an id, a unique id prefix (like git), or the input
        an article came from (a JSONL `id`, or a path however it is spelt)."""
        rows = self.con.execute(
            "SELECT article_id FROM articles WHERE starts_with(article_id, $1) ORDER BY seq",
            [ref],
        ).fetchall()
        if not rows:
            rows = self.con.execute(
                "SELECT DISTINCT i.article_id, a.seq FROM inputs i JOIN articles a USING "
                "(article_id) WHERE i.input_id = $1 OR i.source = $1 OR i.real_path = $2 "
                "ORDER BY a.seq",
                [ref, os.path.realpath(ref)],
            ).fetchall()
        return [r[0] for r in rows]

    def article(self, article_id: str) -> dict[str, Any]:
        """Everything stored about one article, with its removals and the inputs it came from."""
        (art,) = self._dicts(
            f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles WHERE article_id = ?",
            [article_id],
        )
        art["removed"] = self.removed(article_id)
        art["mentions"] = self.mentions(article_id)
        art["inputs"] = self._dicts(
            "SELECT input_id, source, locator, url FROM inputs WHERE article_id = ? "
            "ORDER BY input_id",
            [article_id],
        )
        return art

    def mentions(self, article_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        rows = self._dicts(
            "SELECT kind, char_start, char_end, text, value, detail FROM mentions "
            "WHERE article_id = ? AND (?::VARCHAR IS NULL OR kind = ?) "
            "ORDER BY char_start, kind, seq",
            [article_id, kind, kind],
        )
        for row in rows:
            row["detail"] = json.loads(row["detail"]) if row["detail"] else None
        return rows

    def removed(self, article_id: str) -> list[dict[str, Any]]:
        return self._dicts(
            "SELECT reason, text, raw_start, raw_end, line, detail FROM removed "
            "WHERE article_id = ? ORDER BY seq",
            [article_id],
        )

    #: Orders `events` may sort by: API names to SQL (never text from a request).
    EVENT_SORTS: ClassVar[dict[str, str]] = {
        "-event_date": "e.event_date DESC NULLS LAST, e.event_id",
        "event_date": "e.event_date ASC NULLS LAST, e.event_id",
        "-fatalities": "coalesce(e.fatalities, -1) DESC, e.event_date DESC NULLS LAST, e.event_id",
        "fatalities": "coalesce(e.fatalities, -1) ASC, e.event_date DESC NULLS LAST, e.event_id",
        "-sources": "e.independent_sources DESC NULLS LAST, e.event_date DESC NULLS LAST, "
        "e.event_id",
    }

    def events(
        self,
        *,
        limit: int | None = None,
        offset: int = 0,
        sort: str = "-event_date",
        **filters: Any,
    ) -> list[dict[str, Any]]:
        """Merged events matching every filter given (the arguments of `_event_filter`); every
        value is a query parameter. `sort`: a key of `EVENT_SORTS`."""
        where, params = self._event_filter(**filters)
        sql = f"SELECT e.* FROM events e WHERE {where} ORDER BY {self.EVENT_SORTS[sort]}"
        if limit is not None:
            sql += f" LIMIT ${len(params) + 1}"
            params.append(limit)
        if offset:
            sql += f" OFFSET ${len(params) + 1}"
            params.append(offset)
        return self._dicts(sql, params)

    def count_events(self, **filters: Any) -> int:
        """How many events `events(**filters)` would list without a limit."""
        where, params = self._event_filter(**filters)
        row = self.con.execute(f"SELECT count(*) FROM events e WHERE {where}", params).fetchone()
        return int(row[0]) if row else 0

    def event_days(self, **filters: Any) -> list[dict[str, Any]]:
        """Events per day and class among those `events(**filters)` lists: the timeline of a
        filtered view, however many events it holds."""
        where, params = self._event_filter(**filters)
        return self._dicts(
            "SELECT e.event_date AS day, e.class, count(*) AS events FROM events e "
            f"WHERE {where} AND e.event_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
            params,
        )

    def event_facets(self, **filters: Any) -> dict[str, dict[str, int]]:
        """How many of the filtered events have each country, type and status: what a
        dashboard offers to filter on next."""
        where, params = self._event_filter(**filters)
        out: dict[str, dict[str, int]] = {}
        for column in ("country", "type", "class", "status"):
            rows = self.con.execute(
                f"SELECT e.{column}, count(*) FROM events e WHERE {where} "
                f"AND e.{column} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1",
                params,
            ).fetchall()
            out[column] = {str(k): int(n) for k, n in rows}
        return out

    @staticmethod
    def _event_filter(
        type: str | None = None,
        event_class: str | None = None,
        country: str | None = None,
        actor: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        status: str | None = None,
        text: str | None = None,
        historical: bool = False,
    ) -> tuple[str, list[Any]]:
        """The WHERE clause and parameters of the event filters: `actor` is part of a name or
        a country code; `bbox` west, south, east, north; `text` words in a source sentence."""
        # only the filters given become conditions (each value a parameter): a plan made for
        # the query asked, which an index on the date or the country can serve
        clauses: list[str] = []
        params: list[Any] = []

        def arg(value: Any, cast: str) -> str:
            params.append(value)
            return f"${len(params)}::{cast}"

        if type is not None:
            clauses.append(f"e.type = {arg(type, 'VARCHAR')}")
        if event_class is not None:
            clauses.append(f"e.class = {arg(event_class, 'VARCHAR')}")
        if country is not None:
            clauses.append(f"e.country = {arg(country.upper(), 'VARCHAR')}")
        if actor is not None:
            code, words = arg(actor.upper(), "VARCHAR"), arg(actor.lower(), "VARCHAR")
            clauses.append(
                f"({code} IN (e.actor1_country, e.actor2_country) OR strpos(lower("
                f"coalesce(e.actor1, '') || '|' || coalesce(e.actor2, '')), {words}) > 0)"
            )
        if date_from is not None:
            clauses.append(f"e.event_date >= {arg(date_from, 'DATE')}")
        if date_to is not None:
            clauses.append(f"e.event_date <= {arg(date_to, 'DATE')}")
        if bbox is not None:
            west, south, east, north = (arg(float(x), "DOUBLE PRECISION") for x in bbox)
            clauses.append(
                f"e.longitude BETWEEN {west} AND {east} AND e.latitude BETWEEN {south} AND {north}"
            )
        if status is not None:
            clauses.append(f"e.status = {arg(status, 'VARCHAR')}")
        if text is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM sources s WHERE s.event_id = e.event_id AND "
                f"strpos(lower(s.sentence), {arg(text.lower(), 'VARCHAR')}) > 0)"
            )
        if not historical:
            clauses.append("NOT e.historical")
        where = " AND ".join(clauses) or "TRUE"
        return where, params

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its claims, its sources and the ceasefire it violates, if any."""
        rows = self._dicts("SELECT * FROM events WHERE event_id = ?", [event_id])
        if not rows:
            return None
        ev = rows[0]
        ev["claims"] = self._dicts(
            'SELECT "by", by_country, stance, article_id, sentence, char_start, char_end '
            "FROM claims WHERE event_id = ? ORDER BY seq",
            [event_id],
        )
        ev["sources"] = self._dicts(
            "SELECT article_id, input_id, url, published, sentence, char_start, char_end, "
            "independent_of FROM sources WHERE event_id = ? ORDER BY seq",
            [event_id],
        )
        ceasefire = None
        if ev.get("ceasefire_id"):
            found = self._dicts(
                "SELECT * FROM ceasefires WHERE ceasefire_id = ?", [ev["ceasefire_id"]]
            )
            ceasefire = found[0] if found else None
        ev["ceasefire"] = ceasefire
        return ev

    def article_events(self, article_id: str) -> list[dict[str, Any]]:
        """The events an article reports or a claim in it makes, with the span of each
        sentence: where every extracted field of the article came from."""
        return self._dicts(
            "SELECT s.event_id, 'source' AS role, NULL AS stance, NULL AS claimant, "
            "s.char_start, s.char_end, s.sentence, e.type, e.class, e.event_date, e.location "
            "FROM sources s JOIN events e ON e.event_id = s.event_id WHERE s.article_id = $1 "
            "UNION ALL SELECT c.event_id, 'claim', c.stance, c.\"by\", c.char_start, "
            "c.char_end, c.sentence, e.type, e.class, e.event_date, e.location "
            "FROM claims c JOIN events e ON e.event_id = c.event_id WHERE c.article_id = $1 "
            "ORDER BY 5, 6, 2, 1",
            [article_id],
        )

    def stats(self) -> dict[str, Any]:
        """What the store holds, for a summary: counts by class, country and status, and the
        contested events."""
        current = "FROM events WHERE NOT historical"

        def one(sql: str) -> int:
            row = self.con.execute(sql).fetchone()
            return int(row[0]) if row else 0

        def groups(column: str, limit: int = 20) -> dict[str, int]:
            sql = (f"SELECT coalesce({column}, '?'), count(*) {current} "
                   f"GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT {int(limit)}")  # fmt: skip
            return {str(k): int(n) for k, n in self.con.execute(sql).fetchall()}

        return {
            "articles": self.count("articles"),
            "duplicates": one("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL"),
            "reports": one(f"SELECT count(*) FROM reports WHERE NOT ({IS_DENIAL})"),
            "denials": one(f"SELECT count(*) FROM reports WHERE {IS_DENIAL}"),
            "denials_waiting": one(
                f"SELECT count(*) FROM reports r WHERE {IS_DENIAL} "
                "AND NOT EXISTS (SELECT 1 FROM events e WHERE e.event_id = r.event_id)"
            ),
            "events": one(f"SELECT count(*) {current}"),
            "historical": one("SELECT count(*) FROM events WHERE historical"),
            "by_class": groups("class"),
            "by_country": groups("country", 12),
            "by_status": groups("status"),
            "by_day": self._dicts(
                "SELECT event_date AS day, class, count(*) AS events "
                f"{current} AND event_date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
                [],
            ),
            "contested": self._dicts(
                "SELECT event_date, type, actor1_country, actor2_country, location, event_id "
                f"{current} AND status = 'contested' ORDER BY event_date, event_id",
                [],
            ),
        }

    def ceasefires(self) -> list[dict[str, Any]]:
        """Stored ceasefires with their violations counted by who reports them."""
        rows = self._dicts("SELECT * FROM ceasefires ORDER BY start_date, ceasefire_id", [])
        for row in rows:
            row["violations"] = self._dicts(
                "SELECT e.event_id, e.type, e.event_date, e.location, e.actor1_country, "
                "e.actor2_country, (SELECT array_agg(DISTINCT coalesce(c.by_country, '?') "
                "ORDER BY coalesce(c.by_country, '?')) FROM claims c "
                "WHERE c.event_id = e.event_id AND c.stance = 'asserts') "
                "AS reported_by FROM events e WHERE e.ceasefire_id = ? "
                "ORDER BY e.event_date, e.event_id",
                [row["ceasefire_id"]],
            )
            by_side: dict[str, int] = {}
            for v in row["violations"]:
                for side in v["reported_by"] or ["?"]:
                    by_side[side] = by_side.get(side, 0) + 1
            row["violations_by_reporter"] = by_side
        return rows

    def rejected(self) -> list[dict[str, Any]]:
        return list(self.export_rows("rejected"))

    #: The export queries: one per `--what`, typed by the schema whatever the rows hold.
    EXPORTS: ClassVar[dict[str, str]] = {
        "articles": (
            f"SELECT {', '.join(ARTICLE_COLUMNS)}, "
            "coalesce((SELECT list(struct_pack(reason := r.reason, text := r.text, "
            "line := r.line, raw_start := r.raw_start, raw_end := r.raw_end, "
            "detail := r.detail) ORDER BY r.seq) FROM removed r "
            "WHERE r.article_id = a.article_id), []) AS removed "
            "FROM articles a ORDER BY seq"
        ),
        "rejected": (
            "SELECT source, locator, input_id, stage, reason, detail, rejected_at "
            "FROM rejected ORDER BY source, locator, reason"
        ),
        # the event record of spec/events.md, with the merge's own fields after it
        "events": (
            "SELECT e.* EXCLUDE (status, notes, confidence, reports, independent_sources, "
            "fatality_figures), "
            'coalesce((SELECT list(struct_pack("by" := c."by", by_country := c.by_country, '
            "stance := c.stance, article_id := c.article_id, sentence := c.sentence, "
            "char_start := c.char_start, char_end := c.char_end) ORDER BY c.seq) FROM claims c "
            "WHERE c.event_id = e.event_id), []) AS claims, e.status, "
            "coalesce((SELECT list(struct_pack(article_id := s.article_id, "
            "input_id := s.input_id, url := s.url, published := s.published, "
            "sentence := s.sentence, char_start := s.char_start, char_end := s.char_end, "
            "independent_of := s.independent_of) ORDER BY s.seq) FROM sources s "
            "WHERE s.event_id = e.event_id), []) AS sources, e.notes, e.confidence, "
            "e.independent_sources, e.reports, e.fatality_figures "
            "FROM events e ORDER BY e.event_date NULLS LAST, e.event_id"
        ),
        "ceasefires": (
            "SELECT c.*, (SELECT count(*) FROM events e WHERE e.ceasefire_id = c.ceasefire_id) "
            "AS violations FROM ceasefires c ORDER BY c.start_date, c.ceasefire_id"
        ),
    }

    #: The tables each export reads.
    EXPORT_TABLES: ClassVar[dict[str, tuple[str, ...]]] = {
        "articles": ("articles", "removed"),
        "rejected": ("rejected",),
        "events": ("events", "claims", "sources"),
        "ceasefires": ("ceasefires", "events"),
    }

    def _exporter(self, what: str) -> Store:
        """The store the export query runs on: this one, or for PostgreSQL an in-memory DuckDB
        copy of the tables it reads, so both give the same records and typed Parquet columns."""
        if self.dialect == "duckdb":
            return self
        mem = Store(":memory:")
        for table in self.EXPORT_TABLES[what]:
            cols = mem.columns(table)
            names = ", ".join(f'"{c}"' for c in cols)
            cur = self.con.execute(f"SELECT {names} FROM {table}")
            while rows := cur.fetchmany(5000):
                mem._insert(table, [dict(zip(cols, row, strict=True)) for row in rows])
        return mem

    def export_rows(self, what: str) -> Iterator[dict[str, Any]]:
        """Records of the export contract (`articles`: with what cleaning `removed`)."""
        cur = self._exporter(what).con.execute(self.EXPORTS[what])
        names = [d[0] for d in cur.description]
        while rows := cur.fetchmany(500):
            for row in rows:
                rec = dict(zip(names, row, strict=True))
                for name, value in rec.items():
                    if isinstance(value, date | datetime):
                        rec[name] = value.isoformat()
                yield rec

    def export_parquet(self, what: str, path: str) -> int:
        """Write the export query to a Parquet file with DuckDB's typed columns."""
        target = path.replace("'", "''")  # COPY takes no parameter for its target
        con = self._exporter(what).con
        con.execute(f"COPY ({self.EXPORTS[what]}) TO '{target}' (FORMAT parquet)")
        row = con.execute(f"SELECT count(*) FROM ({self.EXPORTS[what]})").fetchone()
        return int(row[0]) if row else 0

    def _dicts(self, sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def columns(self, table: str) -> list[str]:
        """A table's columns in order, from the catalogue both engines share."""
        return [r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = current_schema() ORDER BY ordinal_position",
            [table],
        ).fetchall()]  # fmt: skip

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every table's rows without bookkeeping columns (timestamps, ingest sequence): two
        runs over the same inputs must give equal snapshots."""
        out = {}
        skip = {"seq", "ingested_at", "rejected_at"}
        for table in ("articles", "inputs", "removed", "rejected", "article_bands", "events",
                      "claims", "sources", "reports", "report_links", "ceasefires"):  # fmt: skip
            cols = [c for c in self.columns(table) if c not in skip]
            names = ", ".join(f'"{c}"' for c in cols)
            order = ", ".join(str(n + 1) for n in range(len(cols)))
            out[table] = self.con.execute(
                f"SELECT {names} FROM {table} ORDER BY {order}"
            ).fetchall()
        return out


def mention_rows(item: AnalysedArticle) -> list[dict[str, Any]]:
    """Places, times and actors as rows: one shape for three kinds of finding."""
    rows: list[dict[str, Any]] = []
    for n, p in enumerate(item.places):
        place = asdict(p.place) if p.place else None
        rows.append({"kind": "place", "seq": n, "char_start": p.start, "char_end": p.end,
                     "text": p.text, "value": p.place.name if p.place else None,
                     "detail": json.dumps({"place": place, "geo_precision": p.geo_precision,
                                           "via": p.via, "score": p.score})})  # fmt: skip
    for n, t in enumerate(item.times):
        rows.append({"kind": "time", "seq": n, "char_start": t.start, "char_end": t.end,
                     "text": t.text, "value": t.date,
                     "detail": json.dumps({"precision": t.precision, "kind": t.kind,
                                           "time": t.time, "end_date": t.end_date})})  # fmt: skip
    for n, a in enumerate(item.actors):
        rows.append({"kind": "actor", "seq": n, "char_start": a.start, "char_end": a.end,
                     "text": a.text, "value": a.actor_id,
                     "detail": json.dumps({"name": a.name, "country": a.country,
                                           "kind": a.kind})})  # fmt: skip
    return rows
