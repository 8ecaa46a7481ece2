"""Store handles for a threaded server: a reader per worker thread, one writer at a time.

A DuckDB connection must not be used by two threads at once, and FastAPI runs sync routes
in a thread pool; so every thread gets its own `Store.reader()` on first use. Writes (ingest
and its merge) are serialised by a lock on one writer handle, and the NLP pipeline behind
them is built once, on the first write, because loading spaCy takes seconds.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING

from sitrep.store import Store

if TYPE_CHECKING:
    from sitrep.ingest import IngestSummary
    from sitrep.model import Rejection
    from sitrep.pipeline import Pipeline


class Handles:
    def __init__(self, db: str, read_only: bool = False) -> None:
        self.db = db
        self.read_only = read_only
        self._base = Store(db, read_only=read_only)  # opened now: a bad target fails at start
        self.backend = self._base.dialect  # "duckdb" or "postgresql"
        self._local = threading.local()
        self._open_lock = threading.Lock()
        self._generation = 0  # bumped when reopened: a thread's older handle is stale
        self._readers: list[Store] = []
        self._write_lock = threading.Lock()
        self._writer: Store | None = None
        self._pipeline: Pipeline | None = None
        self._closed = False

    def _handle(self) -> tuple[int, Store]:
        """A new handle on the database, reopened if an app shutdown closed it (test
        clients run the app's startup and shutdown once per client)."""
        with self._open_lock:
            if self._closed:
                self._base = Store(self.db, read_only=self.read_only)
                self._generation += 1
                self._closed = False
            store = self._base.reader()
            self._readers.append(store)
            return self._generation, store

    def reader(self) -> Store:
        """This thread's own handle."""
        mine: tuple[int, Store] | None = getattr(self._local, "store", None)
        if mine is not None and mine[0] == self._generation and not self._closed:
            return mine[1]
        self._local.store = self._handle()
        return self._local.store[1]

    def ingest(self, body: bytes, rejections: list[Rejection]) -> IngestSummary:
        """Ingest a JSONL body (one article per line), then deduplicate and merge, as
        `sitrep ingest -` does; `rejections`: lines refused before reading, stored with it."""
        from sitrep.ingest import IngestSummary, default_pipeline, ingest

        with self._write_lock:
            if self._writer is None or self._closed:
                _, self._writer = self._handle()
            if self._pipeline is None:
                self._pipeline = default_pipeline()
            if rejections:
                self._writer.write([], rejections)
            if not body.strip():
                summary = IngestSummary()
            else:
                summary = ingest(
                    ["-"],
                    self._writer,
                    executor="inline",
                    pipeline=self._pipeline,
                    stdin=io.BytesIO(body),
                )
            for rej in rejections:
                summary.read += 1
                summary.rejected[rej.reason] += 1
            return summary

    def close(self) -> None:
        """Close every handle (at shutdown); closing twice is harmless."""
        with self._open_lock:
            if self._closed:
                return
            self._closed = True
            for store in self._readers:  # the writer is one of them
                store.close()
            self._readers.clear()
            self._writer = None
            self._base.close()
