"""Name keys shared by the gazetteer build and lookups: accents, case, apostrophes and hyphens
must not decide whether "Khan Younès" finds "Khan Yunis"'s alternate "Khan Younes"."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = re.compile(r"[\u2018\u2019\u02bc\u02bb\u0060\u00b4'\u2032]")
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/.,()]+")
#: Letters NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ß": "ss", "æ": "ae", "œ": "oe"})


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """The lookup key of a place name: no accents, lower case, apostrophes dropped, hyphens and
    dots as spaces ("Saint-Étienne" and "saint etienne" share a key)."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _APOSTROPHES.sub("", text)
    return _SEPARATORS.sub(" ", text).strip()


def is_latin_key(key: str) -> bool:
    """Whether a key is usable for French/English text (Cyrillic, Arabic... alternates are not)."""
    return bool(key) and all(ch == " " or ("a" <= ch <= "z") or ch.isdigit() for ch in key)
