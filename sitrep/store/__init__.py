"""The store: where analysed articles land, and where cross-article (reduce) work happens."""

from sitrep.store.core import DEFAULT_DB, Store

__all__ = ["DEFAULT_DB", "Store"]
