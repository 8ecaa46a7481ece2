"""Writing records out: JSONL, CSV (nested fields as JSON text); Parquet is written by the store."""

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
    """Write rows as `fmt` (jsonl or csv) to `output`, or stdout; return how many."""
    if fmt not in ("jsonl", "csv"):
        raise ConfigError(f"unknown format '{fmt}': use jsonl or csv here")
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
