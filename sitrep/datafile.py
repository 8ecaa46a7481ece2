"""Reading the package's YAML data files (lexicons, ontology) with one clear error for a file
YAML reads differently from how it was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from sitrep.errors import ConfigError


def load_yaml(path: Path) -> Any:
    """The file's data, every word checked to be text or a number."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    check_words(raw, path)
    return raw


def check_words(value: Any, path: Path, where: str = "") -> None:
    """Every word of the data is text: YAML reads a bare `no` or `on` as a boolean."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ConfigError(f"{path}: key {key!r} under '{where}' is not text; quote it")
            check_words(item, path, key)
    elif isinstance(value, list):
        for item in value:
            check_words(item, path, where)
    elif isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ConfigError(f"{path}: {value!r} under '{where}' is not text or a number; quote it")
