"""MinHash signatures of the clean body, for finding republished copies in the store."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import ClassVar

from datasketch import MinHash

from sitrep.model import AnalysedArticle
from sitrep.pipeline import Stage

NUM_PERM = 128
BANDS = 16  # 16 bands of 8 rows: pairs above ~0.7 Jaccard become candidates
SHINGLE = 5
DUPLICATE_JACCARD = 0.8  # estimated Jaccard above which two articles are one republished text


MIN_WORDS = 40  # a shorter body ("More to follow.") says too little to call two articles one


def shingles(paragraphs: tuple[str, ...] | list[str]) -> set[bytes]:
    """Word 5-grams of the body (the title is left out: republishers retitle)."""
    words = re.findall(r"\w+", " ".join(paragraphs).casefold())
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def signature(paragraphs: tuple[str, ...] | list[str]) -> tuple[int, ...]:
    """MinHash of the body; empty for a body too short to be compared."""
    if sum(len(re.findall(r"\w+", p)) for p in paragraphs) < MIN_WORDS:
        return ()
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch(list(shingles(paragraphs)))
    return tuple(int(v) for v in m.hashvalues)


def bands(sig: tuple[int, ...] | list[int]) -> list[tuple[int, str]]:
    """LSH band keys: two articles sharing any (band, key) pair are compared."""
    rows = len(sig) // BANDS
    return [(b, ".".join(map(str, sig[b * rows : (b + 1) * rows]))) for b in range(BANDS)]


def similarity(a: tuple[int, ...] | list[int], b: tuple[int, ...] | list[int]) -> float:
    if not a or len(a) != len(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)


@dataclass(kw_only=True)
class FingerprintStage(Stage):
    name: ClassVar[str] = "fingerprint"
    requires: ClassVar[frozenset[str]] = frozenset({"paragraphs"})
    provides: ClassVar[frozenset[str]] = frozenset({"minhash"})

    def process_batch(self, batch: list[AnalysedArticle]) -> list[AnalysedArticle]:
        return [replace(a, minhash=signature(a.paragraphs)) for a in batch]
