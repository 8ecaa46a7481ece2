"""What every benchmark writes with its figures: when, with which arguments, on which Python."""

from __future__ import annotations

import argparse
import json
import platform
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def run_info(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": {k: str(v) for k, v in vars(args).items()},
        "python": platform.python_version(),
    }


def write_json(path: Path, data: dict[str, Any], say: Callable[[str], object] = print) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    say(f"wrote {path}")
