"""The store: where analysed articles land, and where cross-article (reduce) work happens."""

from sitrep.store.duck import DEFAULT_DB, Store

__all__ = ["DEFAULT_DB", "Store"]
