"""Writing records out: JSONL, CSV (nested fields as JSON text); Parquet is written by the store."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sitrep.errors import ConfigError


def _flat(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


#: Our event fields under ACLED's column names, where ACLED has the column (its codebook);
#: the others keep ours.
ACLED_NAMES = {
    "event_id": "event_id_cnty", "acled_event_type": "event_type",
    "acled_sub_event_type": "sub_event_type", "type": "sitrep_type", "country": "iso3",
}  # fmt: skip


def acled_rows(events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Event records as flat rows with ACLED's column names: `year`, `country` (the name),
    `source` (the publications, "; "-separated) and `source_scale`-free; claims as JSON."""
    from sitrep.places.gazetteer import Gazetteer

    try:
        gaz: Gazetteer | None = Gazetteer.open()
    except ConfigError:
        gaz = None
    for ev in events:
        row: dict[str, Any] = {}
        for key, value in ev.items():
            row[ACLED_NAMES.get(key, key)] = value
        day = ev.get("event_date")
        row["year"] = str(day)[:4] if day else None
        entry = gaz.country3(ev["country"]) if gaz and ev.get("country") else None
        row["country"] = entry.place.name if entry else None
        sources = ev.get("sources") or []
        row["source"] = "; ".join(
            dict.fromkeys(str(s.get("url") or s.get("input_id") or "") for s in sources)
        )
        yield row


def write_geojson(rows: Iterable[dict[str, Any]], output: Path | None) -> int:
    """A FeatureCollection of the records that have coordinates, one Point each (streamed)."""
    stream, close = _open_out(output)
    n = 0
    try:
        stream.write('{"type": "FeatureCollection", "features": [\n')
        for row in rows:
            if row.get("latitude") is None or row.get("longitude") is None:
                continue
            feature = {
                "type": "Feature",
                "id": row.get("event_id"),
                "geometry": {"type": "Point",
                             "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {k: v for k, v in row.items()
                               if k not in ("latitude", "longitude")},
            }  # fmt: skip
            stream.write(("" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False,
                                                                 default=str))  # fmt: skip
            n += 1
        stream.write("\n]}\n")
    finally:
        if close:
            stream.close()
    return n


def _open_out(output: Path | None) -> tuple[IO[str], bool]:
    try:
        if output:
            return open(output, "w", encoding="utf-8", newline=""), True
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from exc
    return sys.stdout, False


def write_records(rows: Iterable[dict[str, Any]], fmt: str, output: Path | None) -> int:
    """Write rows as `fmt` (jsonl or csv) to `output`, or stdout; return how many."""
    if fmt == "geojson":
        return write_geojson(rows, output)
    if fmt not in ("jsonl", "csv"):
        raise ConfigError(f"unknown format '{fmt}': use jsonl, csv or geojson here")
    try:
        stream: IO[str] = (
            open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115
            if output
            else sys.stdout
        )
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror or exc}") from exc
    n = 0
    try:
        if fmt == "jsonl":
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                n += 1
        else:
            writer: csv.DictWriter[str] | None = None
            for row in rows:
                if writer is None:
                    writer = csv.DictWriter(stream, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow({k: _flat(v) for k, v in row.items()})
                n += 1
    finally:
        if output:
            stream.close()
    return n
