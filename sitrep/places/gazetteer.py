"""The gazetteer file, opened read-only: name lookups are indexed SQLite queries, cached."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep.errors import ConfigError
from sitrep.model import Place
from sitrep.places.names import name_key

REBUILD = "run `sitrep gazetteer build` (or `make demo` / `make test`) to build it"


def default_path() -> Path:
    """`$SITREP_GAZETTEER`, else inside the environment sitrep is installed in (`.venv`), so
    each environment has the gazetteer matching its own package versions."""
    env = os.environ.get("SITREP_GAZETTEER")
    if env:
        return Path(env)
    return Path(sys.prefix) / "share" / "sitrep" / "gazetteer.sqlite"


@dataclass(frozen=True, slots=True)
class Entry:
    """A place with what resolution needs beyond the public `Place` fields."""

    id: int
    place: Place
    cc: str | None
    admin1_code: str | None
    main: bool  # the looked-up name is the entry's main (English) name
    capital: bool = False

    @property
    def feature(self) -> str:
        return self.place.feature

    @property
    def population(self) -> int:
        return self.place.population


class Gazetteer:
    """Read-only access to a built gazetteer; safe to share within a process."""

    def __init__(self, con: sqlite3.Connection, path: Path, meta: dict[str, object]) -> None:
        self._con = con
        self.path = path
        self.meta = meta
        self._lookup = lru_cache(maxsize=100_000)(self._lookup_uncached)
        raw = meta.get("neighbours")
        #: ISO alpha-2 -> the countries it borders (GeoNames)
        self.neighbours: dict[str, list[str]] = raw if isinstance(raw, dict) else {}
        self._admin1: dict[tuple[str, str], Entry] = {}
        self._countries: dict[str, Entry] = {}
        self._by_alpha3: dict[str, Entry] = {}
        for entry in self._rows(
            "SELECT *, 1 FROM places WHERE feature IN ('admin1', 'country')", ()
        ):
            if entry.feature == "country" and entry.cc:
                self._countries[entry.cc] = entry
                if entry.place.country:
                    self._by_alpha3[entry.place.country] = entry
            elif entry.cc and entry.admin1_code:
                self._admin1[(entry.cc, entry.admin1_code)] = entry

    @classmethod
    def open(cls, path: Path | str | None = None) -> Gazetteer:
        from sitrep.places.build import SCHEMA_VERSION

        path = Path(path) if path else default_path()
        if not path.exists():
            raise ConfigError(f"no gazetteer at {path}: {REBUILD}")
        try:
            con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True,
                                  check_same_thread=False)  # fmt: skip
            con.execute("PRAGMA mmap_size = 268435456")
            meta = {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM meta")}
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"gazetteer {path} is unreadable ({exc}): {REBUILD}") from exc
        if meta.get("schema_version") != SCHEMA_VERSION:
            raise ConfigError(
                f"gazetteer {path} is stale (version {meta.get('schema_version')}, this sitrep "
                f"needs {SCHEMA_VERSION}): {REBUILD}"
            )
        return cls(con, path, meta)

    def lookup(self, name: str) -> tuple[Entry, ...]:
        """Every entry one of whose names has this key, most populous first."""
        return self._lookup(name_key(name))

    def lookup_key(self, key: str) -> tuple[Entry, ...]:
        return self._lookup(key)

    def known_keys(self, keys: Iterable[str]) -> set[str]:
        """Which of these keys name something: one query for a whole article's candidates."""
        wanted = sorted(set(keys))
        found: set[str] = set()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self._con.execute(
                    f"SELECT DISTINCT key FROM names WHERE key IN ({marks})", chunk
                )
            )
        return found

    def country(self, cc: str) -> Entry | None:
        """By ISO alpha-2."""
        return self._countries.get(cc)

    def country3(self, alpha3: str) -> Entry | None:
        """By ISO alpha-3."""
        return self._by_alpha3.get(alpha3)

    def admin1(self, cc: str | None, code: str | None) -> Entry | None:
        if not cc or not code:
            return None
        return self._admin1.get((cc, code))

    def admin1s(self, cc: str) -> list[Entry]:
        """The first-level divisions of a country (by ISO alpha-2)."""
        return [e for (c, _), e in self._admin1.items() if c == cc]

    def _lookup_uncached(self, key: str) -> tuple[Entry, ...]:
        return tuple(
            self._rows(
                "SELECT p.*, n.main FROM names n JOIN places p ON p.id = n.place "
                "WHERE n.key = ? ORDER BY p.population DESC",
                (key,),
            )
        )

    def _rows(self, sql: str, args: tuple[object, ...]) -> list[Entry]:
        out = []
        for row in self._con.execute(sql, args):
            (pid, gid, name, feature, cc, country, a1code, a1, a2, lat, lon, pop, cap, main) = row
            place = Place(
                name=name, feature=feature, geonames_id=gid, latitude=lat, longitude=lon,
                country=country, admin1=a1, admin2=a2, population=pop or 0,
            )  # fmt: skip
            out.append(Entry(pid, place, cc, a1code, bool(main), bool(cap)))
        return out
