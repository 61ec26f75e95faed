"""Near-duplicate story clusters: syndicated copies of one story share a cluster id.

MinHash over 5-word shingles with an LSH index (datasketch); the index holds the
recent window of articles so a new copy finds the first one seen.
"""
from __future__ import annotations

import hashlib
import re
from collections import deque

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

NUM_PERM = 128
SCHEME = "affine32"  # pinned: stored signatures must be comparable across datasketch versions
_WORD = re.compile(r"\w+", re.UNICODE)


def content_hash(text: str) -> str:
    return hashlib.sha1(" ".join(_WORD.findall(text.lower())).encode("utf-8")).hexdigest()


def minhash(text: str, shingle: int = 5) -> MinHash:
    words = _WORD.findall(text.lower())
    m = MinHash(num_perm=NUM_PERM, scheme=SCHEME)
    grams = {" ".join(words[i:i + shingle]) for i in range(max(1, len(words) - shingle + 1))}
    m.update_batch([g.encode("utf-8") for g in grams])
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype="<u8").tobytes()


def from_bytes(data: bytes) -> LeanMinHash:
    """A stored signature, for comparing and indexing only. LeanMinHash: a plain MinHash built from hash values
    still draws its 128 permutations, which made reading the dedup window's signatures a visible part of a run."""
    return LeanMinHash(seed=1, hashvalues=np.frombuffer(data, dtype="<u8").copy(), scheme=SCHEME)


class Clusterer:
    """Assigns cluster ids; seed it with recent (item_id, cluster_id, minhash) rows, oldest first.

    ``max_items`` bounds memory (~4 KB a signature with its LSH entries): past it the oldest signatures leave the
    index, so a run's memory does not grow with the number of articles it stores (a backfill of millions of
    records, or a million-a-day night over a 60-day window)."""

    def __init__(self, threshold: float = 0.8, max_items: int | None = None):
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._cluster: dict[str, str] = {}
        self._threshold = threshold
        self._sigs: dict[str, MinHash] = {}
        self._max = max_items
        self._order: deque[str] = deque()

    def __len__(self) -> int:
        return len(self._sigs)

    def _index(self, item_id: str, cluster_id: str, m: MinHash) -> None:
        self._lsh.insert(item_id, m)
        self._cluster[item_id] = cluster_id
        self._sigs[item_id] = m
        self._order.append(item_id)
        while self._max is not None and len(self._order) > self._max:
            old = self._order.popleft()
            self._lsh.remove(old)
            del self._sigs[old], self._cluster[old]

    def add_known(self, item_id: str, cluster_id: str, signature: bytes) -> None:
        if item_id in self._cluster:
            return
        self._index(item_id, cluster_id, from_bytes(signature))

    def assign(self, item_id: str, m: MinHash) -> str:
        """Cluster of the most similar earlier article above the threshold, else a new one."""
        best, best_j = None, 0.0
        for other in self._lsh.query(m):
            j = m.jaccard(self._sigs[other])
            if j >= self._threshold and (j > best_j or (j == best_j and other < (best or "~"))):
                best, best_j = other, j
        cluster = self._cluster[best] if best else item_id
        if item_id not in self._cluster:
            self._index(item_id, cluster, m)
        return cluster
