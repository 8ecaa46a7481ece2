"""Writing records out: JSONL, CSV (nested fields as JSON text), Parquet."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from sitrep.errors import ConfigError


def _flat(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value


def write_records(rows: Iterable[dict[str, Any]], fmt: str, output: Path | None) -> int:
    """Write rows in `fmt` to `output` (stdout when None); return how many were written."""
    if fmt == "parquet":
        if output is None:
            raise ConfigError("parquet needs --output FILE")
        return _parquet(rows, output)
    stream: IO[str] = (
        open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # noqa: SIM115
    )
    n = 0
    try:
        if fmt == "jsonl":
            for row in rows:
                stream.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
                n += 1
        elif fmt == "csv":
            writer: csv.DictWriter[str] | None = None
            for row in rows:
                if writer is None:
                    writer = csv.DictWriter(stream, fieldnames=list(row))
                    writer.writeheader()
                writer.writerow({k: _flat(v) for k, v in row.items()})
                n += 1
        else:
            raise ConfigError(f"unknown format '{fmt}': use jsonl, csv or parquet")
    finally:
        if output:
            stream.close()
    return n


def _parquet(rows: Iterable[dict[str, Any]], output: Path) -> int:
    """Parquet through DuckDB (no pyarrow needed): rows go in as JSON, typed by DuckDB."""
    import tempfile

    import duckdb

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as tmp:
        n = 0
        for row in rows:
            tmp.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            n += 1
    con = duckdb.connect()
    try:
        if n == 0:
            con.execute("CREATE TABLE t (empty VARCHAR)")
        else:
            con.execute("CREATE TABLE t AS SELECT * FROM read_json_auto(?)", [tmp.name])
        target = str(output).replace("'", "''")
        con.execute(f"COPY t TO '{target}' (FORMAT parquet)")
    finally:
        con.close()
        Path(tmp.name).unlink(missing_ok=True)
    return n
