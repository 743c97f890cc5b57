"""The dated articles most similar to an article: TF-IDF neighbours for corpus dating.

Articles published on one day report that day's news, in any outlet: the rarest words two articles share
(names, places, numbers, the words of one happening) say they were written about the same days even when
their wording differs. Each article is kept as its `terms` most distinctive content stems (weight
(1 + log tf) × idf) and indexed under its `keys` most distinctive ones. A query looks up the postings of an
article's own keys (only terms rarer than `max_df` of the corpus: a topic word of every article is no
evidence of a day), keeps the `max_candidates` articles that share most, and scores them by the cosine of
their kept terms under the idf of now; the best `max_neighbours` with cosine ≥ `threshold` are the answer.

Document frequencies are counted in a count-min sketch (two rows of 2^18 counters, 2 MB in memory; a state
keeps only the used counters while they are fewer than half): fixed memory however large the corpus, an
overestimate only for the rare term that shares both counters with common ones. About 0.4 KB an article (terms, tf, postings). Incremental: an article is scored against the
articles indexed so far, and `add` says which earlier undated articles a newly dated one is a neighbour of
(by the same query from the dated side), so an ingest re-dates them.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import NamedTuple

import numpy as np

from saidwhen.merge._index import KeyIndex, Rows
from saidwhen.merge._text import content_stems, fmix32, token_hashes

NODATE = -(2**31)
_SLOTS = 1 << 18
_MASK = np.uint32(_SLOTS - 1)


class TermFeatures(NamedTuple):
    """The distinct content-stem hashes of a text and their counts (pure: the text alone)."""

    terms: np.ndarray  # uint32, ascending
    counts: np.ndarray  # uint16


def term_features(text: str) -> TermFeatures:
    counts = Counter(s for s in content_stems(text) if len(s) > 2 and not s.isdigit())
    if not counts:
        return TermFeatures(np.empty(0, np.uint32), np.empty(0, np.uint16))
    hashes = token_hashes(list(counts))
    tf = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    order = np.argsort(hashes, kind="stable")
    hashes, tf = hashes[order], tf[order]
    keep = np.concatenate([[True], hashes[1:] != hashes[:-1]])  # crc32 collisions: keep one
    return TermFeatures(hashes[keep], np.minimum(tf[keep], 65535).astype(np.uint16))


class DocFrequency:
    """Document frequencies of term hashes in a count-min sketch (two rows)."""

    def __init__(self, data: np.ndarray | None = None) -> None:
        self.counts = data if data is not None else np.zeros((2, _SLOTS), dtype=np.uint32)

    @staticmethod
    def _slots(terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return terms & _MASK, fmix32(terms) & _MASK

    def add(self, terms: np.ndarray) -> None:
        a, b = self._slots(terms)
        self.counts[0, a] += 1  # distinct terms: no repeated slot within one row but by collision
        self.counts[1, b] += 1

    def arrays(self) -> dict[str, np.ndarray]:
        """The counts for a state: only the used counters while they are few (a small corpus's state stays
        small, so checkpoints stay cheap), else all of them."""
        used = np.flatnonzero(self.counts)
        if len(used) * 2 < self.counts.size:
            return {"df_at": used.astype(np.uint32), "df_n": self.counts.ravel()[used]}
        return {"df": self.counts}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> DocFrequency:
        if "df" in arrays:
            return cls(np.array(arrays["df"], dtype=np.uint32).reshape(2, _SLOTS))
        counts = np.zeros(2 * _SLOTS, dtype=np.uint32)
        counts[arrays["df_at"].astype(np.int64)] = arrays["df_n"]
        return cls(counts.reshape(2, _SLOTS))

    def get(self, terms: np.ndarray) -> np.ndarray:
        a, b = self._slots(terms)
        return np.minimum(self.counts[0, a], self.counts[1, b])


class NeighbourIndex:
    def __init__(
        self,
        *,
        terms: int = 48,
        keys: int = 16,
        max_df: float = 0.05,
        min_docs: int = 50,
        threshold: float = 0.03,
        max_neighbours: int = 10,
        max_candidates: int = 100,
        min_terms: int = 20,
        max_redate: int = 10,
        redate_threshold: float = 0.1,
    ) -> None:
        self.params = {
            "terms": terms, "keys": keys, "max_df": max_df, "min_docs": min_docs, "threshold": threshold,
            "max_neighbours": max_neighbours, "max_candidates": max_candidates, "min_terms": min_terms,
            "max_redate": max_redate, "redate_threshold": redate_threshold,
        }
        self.max_redate, self.redate_threshold = max_redate, redate_threshold
        self.n_terms, self.n_keys = terms, keys
        self.max_df, self.min_docs = max_df, min_docs
        self.threshold = threshold
        self.max_neighbours, self.max_candidates = max_neighbours, max_candidates
        self.min_terms = min_terms
        self.df = DocFrequency()
        self.n = 0
        self._terms = Rows(terms, np.uint32)
        self._tf = Rows(terms, np.float32)  # 1 + log tf, 0 where the row is shorter
        self._day = Rows(None, np.int32)
        self._index = KeyIndex(max_bucket=400)
        self.undated = 0  # indexed articles without a date of their own (none: no reverse query needed)

    def _idf(self, terms: np.ndarray) -> np.ndarray:
        df = self.df.get(terms).astype(np.float64)
        return np.log((self.n + 1) / (df + 1)) + 1.0

    def __len__(self) -> int:
        return self.n

    def add(self, day: int, feats: TermFeatures) -> tuple[int, list[tuple[int, float]]]:
        """Index one article (its day ordinal, NODATE when it has no date of its own); returns its number and,
        when it is dated, the earlier undated articles it is a close neighbour of (cosine ≥ `redate_threshold`,
        at most `max_redate`: their dates may change)."""
        i = self.n
        terms, counts = feats
        self.df.add(terms)
        self.n += 1
        row_t = np.zeros(self.n_terms, np.uint32)
        row_w = np.zeros(self.n_terms, np.float32)
        if len(terms) >= self.min_terms:
            w = (1.0 + np.log(counts.astype(np.float64))) * self._idf(terms)
            top = np.argsort(-w, kind="stable")[: self.n_terms]
            row_t[: len(top)] = terms[top]
            row_w[: len(top)] = 1.0 + np.log(counts[top].astype(np.float64))
        self._terms.append(row_t)
        self._tf.append(row_w)
        self._day.append(day)
        self.undated += day == NODATE
        if not row_w[0]:
            return i, []
        found = []
        if day != NODATE and self.undated:
            found = [(j, s) for j, s in self.neighbours(i, dated=False) if s >= self.redate_threshold]
            found = found[: self.max_redate]
        self._index.add(self._keys(i), i)
        return i, found

    def day(self, i: int) -> int:
        return int(self._day.a[i])

    def pad(self, n: int) -> None:
        """Empty rows up to `n` articles (a state written before this index existed: its articles are no one's
        neighbours)."""
        while self.n < n:
            self._terms.append(np.zeros(self.n_terms, np.uint32))
            self._tf.append(np.zeros(self.n_terms, np.float32))
            self._day.append(NODATE)
            self.n += 1

    def arrays(self) -> tuple[dict[str, object], dict[str, np.ndarray]]:
        keys, vals = self._index.arrays()
        meta = {"params": self.params, "n": self.n, "undated": self.undated}
        arrays = {"terms": self._terms.a, "tf": self._tf.a, "day": self._day.a, "keys": keys, "vals": vals}
        return meta, arrays | self.df.arrays()

    @classmethod
    def from_arrays(cls, meta: dict[str, object], arrays: dict[str, np.ndarray]) -> NeighbourIndex:
        index = cls(**meta["params"])  # type: ignore[arg-type]
        index.n, index.undated = int(meta["n"]), int(meta["undated"])  # type: ignore[call-overload]
        index._terms = Rows(index.n_terms, np.uint32, arrays["terms"])
        index._tf = Rows(index.n_terms, np.float32, arrays["tf"])
        index._day = Rows(None, np.int32, arrays["day"])
        index.df = DocFrequency.from_arrays(arrays)
        index._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"], max_bucket=400)
        return index

    def _keys(self, i: int) -> np.ndarray:
        t = self._terms.a[i]
        t = t[self._tf.a[i] > 0]
        df = self.df.get(t)
        if self.n >= self.min_docs:
            t = t[df <= max(2, self.max_df * self.n)]
        return t[: self.n_keys].astype(np.uint64)

    def neighbours(self, i: int, *, dated: bool = True) -> list[tuple[int, float]]:
        """Indexed articles other than `i`, dated (or undated) ones, with their cosine ≥ threshold, best first."""
        if i >= self.n or not self._tf.a[i][0]:
            return []
        hits = self._index.lookup(self._keys(i))
        if not len(hits):
            return []
        cands, counts = np.unique(hits, return_counts=True)
        has_day = self._day.a[cands] != NODATE
        keep = (cands != i) & (has_day if dated else ~has_day)
        cands, counts = cands[keep], counts[keep]
        if len(cands) > self.max_candidates:
            cands = cands[np.argsort(-counts, kind="stable")[: self.max_candidates]]
        if not len(cands):
            return []
        sims = self._cosines(i, cands)
        ok = sims >= self.threshold
        order = np.argsort(-sims[ok], kind="stable")
        limit = self.max_neighbours if dated else len(order)
        return [(int(j), float(s)) for j, s in zip(cands[ok][order][:limit], sims[ok][order][:limit], strict=True)]

    def _cosines(self, i: int, cands: np.ndarray) -> np.ndarray:
        t0, w0 = self._terms.a[i], self._tf.a[i]
        ts, ws = self._terms.a[cands], self._tf.a[cands]
        v0 = w0 * self._idf(t0)
        vs = ws * self._idf(ts.ravel()).reshape(ts.shape)
        match = (ts[:, :, None] == t0[None, None, :]) & (ws[:, :, None] > 0) & (w0[None, None, :] > 0)
        dot = np.einsum("cj,cjk,k->c", vs, match.astype(np.float64), v0)
        norm = np.sqrt((vs * vs).sum(axis=1)) * math.sqrt(float((v0 * v0).sum()))
        return dot / np.maximum(norm, 1e-9)
