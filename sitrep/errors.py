"""Error types. `InputError` is per article and recorded; `ConfigError` stops the command."""

from __future__ import annotations


class SitrepError(Exception):
    """Base of every error sitrep raises on purpose."""


class InputError(SitrepError):
    """A bad input (undecodable, empty, too large, unparseable): recorded, the run goes on.

    `reason` is a short stable code (it is a column in the `rejected` table and a row in the
    ingest summary); the message says what was wrong in words.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class ConfigError(SitrepError):
    """Bad flags, a missing model or file: the command stops with exit status 2."""
