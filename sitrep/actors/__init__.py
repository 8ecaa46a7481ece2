"""Actors: who is named in an article, normalised to canonical actors with their country.

`find_actors(text, language, published)` returns the mentions; `ActorStage` runs it in the
pipeline. The dictionary is data (`data/`), expanded once per worker into an alias index.
"""

from sitrep.actors.dictionary import ActorDictionary, default_dictionary, load_dictionary
from sitrep.actors.match import find_actors
from sitrep.actors.stage import ActorStage

__all__ = ["ActorDictionary", "ActorStage", "default_dictionary", "find_actors", "load_dictionary"]
