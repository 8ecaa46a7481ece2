"""Places: the gazetteer (built from packaged GeoNames data) and toponym resolution."""

from sitrep.places.gazetteer import Gazetteer, default_path
from sitrep.places.resolve import find_places, resolve_toponyms

__all__ = ["Gazetteer", "default_path", "find_places", "resolve_toponyms"]
