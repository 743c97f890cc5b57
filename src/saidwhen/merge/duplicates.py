"""Near-duplicate articles: MinHash over word shingles of the cleaned text, LSH banding, verification.

A reprint, syndicated wire copy with different boilerplate, a re-paragraphed or truncated copy is linked to
the earliest article it copies (`duplicate_of`), never deleted. Candidates come from LSH buckets (r=3 rows,
42 bands of a 128-permutation signature: a pair with Jaccard 0.3 is a candidate with p≈0.68, 0.5 with
p≈0.99, 0.1 with p≈0.04), and are verified with the estimated Jaccard or, for a truncated copy, the
estimated containment of the smaller shingle set in the larger one.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from saidwhen.merge._index import KeyIndex, MinHasher, PackedState, Rows, band_keys, pack_parts, unpack
from saidwhen.merge._text import shingle_hashes, tokens


class Fingerprint(NamedTuple):
    """What `DuplicateIndex.add` needs of a text: its MinHash signature, shingle count and LSH band keys."""

    signature: np.ndarray
    size: int
    keys: np.ndarray


class DuplicateIndex(PackedState):
    """Incremental near-duplicate detector; `add` returns the id of the earlier article a text duplicates.

    Links are flat: a copy of a copy points at the first article of the group (the root).
    """

    def __init__(
        self,
        *,
        num_perm: int = 128,
        bands: int = 42,
        rows: int = 3,
        shingle: int = 3,
        threshold: float = 0.5,
        containment: float = 0.8,
        min_containment_shingles: int = 40,
        seed: int = 1,
    ) -> None:
        if bands * rows > num_perm:
            raise ValueError("bands * rows must not exceed num_perm")
        self.params = {
            "num_perm": num_perm,
            "bands": bands,
            "rows": rows,
            "shingle": shingle,
            "threshold": threshold,
            "containment": containment,
            "min_containment_shingles": min_containment_shingles,
            "seed": seed,
        }
        self.threshold = threshold
        self.containment = containment
        self.min_containment_shingles = min_containment_shingles
        self.bands, self.rows, self.shingle = bands, rows, shingle
        self._hasher = MinHasher(num_perm, seed)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._sigs = Rows(num_perm, np.uint32)
        self._sizes = Rows(None, np.int32)
        self._root = Rows(None, np.int32)  # index of the group's first article, -1 for itself
        self._index = KeyIndex()

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, doc_id: str) -> bool:
        return doc_id in self._pos

    def duplicate_of(self, doc_id: str) -> str | None:
        i = self._pos.get(doc_id)
        if i is None:
            return None
        root = int(self._root.a[i])
        return self._ids[root] if root >= 0 else None

    def root(self, doc_id: str) -> str:
        """The first article of the group `doc_id` belongs to (itself when it is not a duplicate)."""
        return self.duplicate_of(doc_id) or doc_id

    def fingerprint(self, text: str) -> Fingerprint:
        """The text's features for `add` (pure: depends on the text and the parameters only)."""
        hashes = shingle_hashes(tokens(text), self.shingle)
        sig = self._hasher.signature(hashes)
        return Fingerprint(sig, len(hashes), band_keys(sig, self.bands, self.rows))

    def add(self, doc_id: str, text: str, *, fingerprint: Fingerprint | None = None) -> str | None:
        """Index one article; the id of the earlier article it duplicates, or None. Idempotent per id.
        `fingerprint`: `self.fingerprint(text)` computed beforehand (e.g. in a worker process)."""
        if doc_id in self._pos:
            return self.duplicate_of(doc_id)
        sig, size, keys = fingerprint if fingerprint is not None else self.fingerprint(text)
        best = self._best_match(sig, size, keys) if size else None
        i = len(self._ids)
        self._ids.append(doc_id)
        self._pos[doc_id] = i
        self._sigs.append(sig)
        self._sizes.append(size)
        root = -1
        if best is not None:
            root = int(self._root.a[best])
            root = best if root < 0 else root
        self._root.append(root)
        if size:
            self._index.add(keys, i)
        return self._ids[root] if root >= 0 else None

    def similarity(self, a: str, b: str) -> tuple[float, float]:
        """(estimated Jaccard, estimated containment of the smaller in the larger) of two indexed articles."""
        i, j = self._pos[a], self._pos[b]
        jac = float(np.mean(self._sigs.a[i] == self._sigs.a[j]))
        return jac, float(_containment(jac, int(self._sizes.a[i]), np.array([self._sizes.a[j]]))[0])

    def _best_match(self, sig: np.ndarray, size: int, keys: np.ndarray) -> int | None:
        cands = np.unique(self._index.lookup(keys))
        if not len(cands):
            return None
        jac = (self._sigs.a[cands] == sig).mean(axis=1)
        sizes = self._sizes.a[cands]
        cont = _containment(jac, size, sizes)
        ok = (jac >= self.threshold) | (
            (cont >= self.containment) & (np.minimum(sizes, size) >= self.min_containment_shingles)
        )
        if not ok.any():
            return None
        score = np.maximum(jac, cont) * ok
        return int(cands[int(np.argmax(score))])  # ties: the earliest article (cands are ascending)

    def state_parts(self) -> list[bytes | memoryview]:
        keys, vals = self._index.arrays()
        return pack_parts(
            {"params": self.params, "ids": self._ids},
            {"sigs": self._sigs.a, "sizes": self._sizes.a, "root": self._root.a, "keys": keys, "vals": vals},
        )

    @classmethod
    def from_state(cls, data: bytes) -> DuplicateIndex:
        meta, arrays = unpack(data)
        index = cls(**meta["params"])
        index._ids = list(meta["ids"])
        index._pos = {d: i for i, d in enumerate(index._ids)}
        index._sigs = Rows(index._hasher.num_perm, np.uint32, arrays["sigs"])
        index._sizes = Rows(None, np.int32, arrays["sizes"])
        index._root = Rows(None, np.int32, arrays["root"])
        index._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        return index


def _containment(jac: np.ndarray | float, size: int, sizes: np.ndarray) -> np.ndarray:
    """|A ∩ B| / min(|A|, |B|) from the Jaccard estimate and the set sizes."""
    inter = np.asarray(jac) * (size + sizes) / (1.0 + np.asarray(jac))
    return np.minimum(1.0, inter / np.maximum(1, np.minimum(size, sizes)))
