"""Which dated articles report the same happening as an undated one: the evidence of corpus dating.

Every article is indexed by a MinHash signature of its content stems (64 permutations, 21 bands of 3 rows:
a pair with Jaccard 0.4 is a candidate with p≈0.75, 0.5 with p≈0.94; not keyed by day, since an undated
article has none; about 0.5 KB an article). An undated article's `prior` is the dates of the dated articles whose
estimated Jaccard with it reaches `threshold` (weighted by it, at most `max_neighbours`), plus what the
caller knows besides (its event's date). Precision first: only articles dated by their own metadata,
header, URL or text are evidence, never one the corpus dated (no chains), and the threshold is high
(on Timeline17, content Jaccard ≥ 0.4 between an undated and a dated article of one outlet and topic
means the same day ±1 four times in five).

`add` returns the earlier undated articles a newly dated one is evidence for, so an incremental ingest
re-dates them (`saidwhen.dates.corpus` does the dating itself).
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import numpy as np

from saidwhen.merge._index import KeyIndex, MinHasher, PackedState, Rows, band_keys, pack_parts, unpack
from saidwhen.merge._text import content_stems, token_hashes
from saidwhen.merge.date_neighbours import NODATE, NeighbourIndex, TermFeatures, term_features


class DatingFeatures(NamedTuple):
    """What `DateLinker.add` needs of a text: the MinHash signature of its content stems and their count,
    and its terms for the TF-IDF neighbours."""

    signature: np.ndarray
    size: int
    terms: TermFeatures | None = None


class DateLinker(PackedState):
    def __init__(
        self,
        *,
        num_perm: int = 64,
        bands: int = 21,
        rows: int = 3,
        threshold: float = 0.4,
        min_stems: int = 20,
        max_neighbours: int = 5,
        max_candidates: int = 200,
        seed: int = 7,
        neighbours: dict[str, Any] | None = None,
    ) -> None:
        if bands * rows > num_perm:
            raise ValueError("bands * rows must not exceed num_perm")
        self.params = {
            "num_perm": num_perm,
            "bands": bands,
            "rows": rows,
            "threshold": threshold,
            "min_stems": min_stems,
            "max_neighbours": max_neighbours,
            "max_candidates": max_candidates,
            "seed": seed,
            "neighbours": dict(neighbours or {}),
        }
        self.bands, self.rows = bands, rows
        self.threshold = threshold
        self.min_stems = min_stems
        self.max_neighbours = max_neighbours
        self.max_candidates = max_candidates
        self._hasher = MinHasher(num_perm, seed)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._sigs = Rows(num_perm, np.uint32)
        self._day = Rows(None, np.int32)  # ordinal of the article's own date, NODATE when it has none
        self._sizes = Rows(None, np.int32)  # number of distinct content stems
        self._index = KeyIndex()
        self.near = NeighbourIndex(**(neighbours or {}))

    def __len__(self) -> int:
        return len(self._ids)

    def features(self, text: str) -> DatingFeatures:
        """The text's features for `add` (pure: depends on the text and the parameters only)."""
        stems = sorted(set(content_stems(text)))
        sig = self._hasher.signature(token_hashes(stems))
        return DatingFeatures(sig, len(stems), term_features(text))

    def _keys(self, sig: np.ndarray) -> np.ndarray:
        return band_keys(sig, self.bands, self.rows, salt=5)

    def add(self, doc_id: str, day: date | None, *, text: str = "", features: DatingFeatures | None = None) -> list[str]:
        """Index one article with its own date (None when it has none, or only one the corpus gave it).
        Returns the earlier undated articles it is evidence for (empty when it is undated itself)."""
        if doc_id in self._pos:
            return []
        sig, size, terms = features if features is not None else self.features(text)
        if terms is None:
            terms = term_features(text)
        i = len(self._ids)
        self._ids.append(doc_id)
        self._pos[doc_id] = i
        self._sigs.append(sig)
        d = day.toordinal() if day is not None else NODATE
        self._day.append(d)
        self._sizes.append(size)
        _, near = self.near.add(d, terms)
        redate = dict.fromkeys(self._ids[j] for j, _ in near)
        if size < self.min_stems:
            return list(redate)  # too short to say what it reports
        keys = self._keys(sig)
        found = self._similar(i, keys, dated=False) if d != NODATE else []
        self._index.add(keys, i)
        redate.update(dict.fromkeys(self._ids[j] for j, _ in found))
        return list(redate)

    def neighbours(self, doc_id: str) -> list[tuple[date, float]]:
        """The dates of the dated articles most similar to `doc_id` by TF-IDF (`NeighbourIndex`), each with
        its cosine (most similar first); empty for an unknown article."""
        i = self._pos.get(doc_id)
        if i is None:
            return []
        return [(date.fromordinal(self.near.day(j)), s) for j, s in self.near.neighbours(i)]

    def prior(self, doc_id: str) -> list[tuple[date, float]]:
        """The dates of the dated articles that report what `doc_id` reports, each with its estimated
        Jaccard (most similar first); empty for an unknown or too short article."""
        i = self._pos.get(doc_id)
        if i is None or int(self._sizes.a[i]) < self.min_stems:
            return []
        found = self._similar(i, self._keys(self._sigs.a[i]), dated=True)
        return [(date.fromordinal(int(self._day.a[j])), s) for j, s in found]

    def _similar(self, i: int, keys: np.ndarray, *, dated: bool) -> list[tuple[int, float]]:
        """Indexed articles other than `i`, dated (or undated) ones, with estimated Jaccard ≥ threshold."""
        hits = self._index.lookup(keys)
        if not len(hits):
            return []
        cands, counts = np.unique(hits, return_counts=True)
        keep = cands != i
        has_day = self._day.a[cands] != NODATE
        keep &= has_day if dated else ~has_day
        cands, counts = cands[keep], counts[keep]
        if len(cands) > self.max_candidates:
            cands = cands[np.argsort(-counts, kind="stable")[: self.max_candidates]]
        if not len(cands):
            return []
        jac = (self._sigs.a[cands] == self._sigs.a[i]).mean(axis=1)
        ok = jac >= self.threshold
        order = np.argsort(-jac[ok], kind="stable")
        chosen = cands[ok][order]
        scores = jac[ok][order]
        limit = self.max_neighbours if dated else len(chosen)
        return [(int(j), float(s)) for j, s in zip(chosen[:limit], scores[:limit], strict=True)]

    def state_parts(self) -> list[bytes | memoryview]:
        keys, vals = self._index.arrays()
        near_meta, near_arrays = self.near.arrays()
        return pack_parts(
            {"params": self.params, "ids": self._ids, "near": near_meta},
            {"sigs": self._sigs.a, "day": self._day.a, "sizes": self._sizes.a, "keys": keys, "vals": vals}
            | {f"near_{k}": v for k, v in near_arrays.items()},
        )

    @classmethod
    def from_state(cls, data: bytes) -> DateLinker:
        meta, arrays = unpack(data)
        linker = cls(**meta["params"])
        linker._ids = list(meta["ids"])
        linker._pos = {d: i for i, d in enumerate(linker._ids)}
        linker._sigs = Rows(linker._hasher.num_perm, np.uint32, arrays["sigs"])
        linker._day = Rows(None, np.int32, arrays["day"])
        linker._sizes = Rows(None, np.int32, arrays["sizes"])
        linker._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        if "near" in meta:
            near = {k[5:]: v for k, v in arrays.items() if k.startswith("near_")}
            linker.near = NeighbourIndex.from_arrays(meta["near"], near)
        else:  # a state from before the TF-IDF neighbours: its articles are no one's neighbours
            linker.near.pad(len(linker._ids))
        return linker
