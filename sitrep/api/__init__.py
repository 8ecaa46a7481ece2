"""The HTTP API: the dashboard's only door to the store (`sitrep serve`).

`create_app(db)` builds the FastAPI app; nothing here opens a database at import time.
"""

from __future__ import annotations

from sitrep.api.app import create_app

__all__ = ["create_app"]
