"""Claims: the same proposition asserted across time, by the same or different speakers.

No date window and no speaker blocking, so candidates come from MinHash/LSH over each statement's set of
content stems (63 of 64 permutations, 21 bands of 3 rows: stem-set Jaccard 0.5 is a candidate with
p≈0.94); verification uses `lexical_similarity` with a higher bar than merging (0.75), requires ≥ 3 content
stems (generic one-liners are not propositions), and respects negation. A statement joins the best claim;
a claim is reported once it holds two statements that are not the same utterance (different speakers, or
dates more than `same_utterance_days` apart): one quote reprinted by two outlets is a merged statement,
not a claim.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from saidwhen.merge._index import KeyIndex, MinHasher, Rows, band_keys, pack, unpack
from saidwhen.merge._similarity import Similarity, lexical_similarity
from saidwhen.merge._text import content_stems, normalise, token_hashes
from saidwhen.model import Claim, Statement, stable_id

NODATE = -(2**31)


class ClaimLinker:
    def __init__(
        self,
        *,
        threshold: float = 0.75,
        min_stems: int = 3,
        same_utterance_days: int = 3,
        num_perm: int = 64,
        bands: int = 21,
        rows: int = 3,
        similarity: Similarity | None = None,
        hook_threshold: float = 0.85,
        grey: float = 0.5,
        max_candidates: int = 50,
        summary_chars: int = 160,
        seed: int = 7,
    ) -> None:
        self.params = {
            "threshold": threshold,
            "min_stems": min_stems,
            "same_utterance_days": same_utterance_days,
            "num_perm": num_perm,
            "bands": bands,
            "rows": rows,
            "hook_threshold": hook_threshold,
            "grey": grey,
            "max_candidates": max_candidates,
            "summary_chars": summary_chars,
            "seed": seed,
        }
        self.threshold = threshold
        self.min_stems = min_stems
        self.same_utterance_days = same_utterance_days
        self.bands, self.rows = bands, rows
        self.similarity = similarity
        self.hook_threshold = hook_threshold
        self.grey = grey
        self.max_candidates = max_candidates
        self.summary_chars = summary_chars
        self._hasher = MinHasher(num_perm, seed)
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._texts: list[str] = []
        self._speakers: list[str | None] = []
        self._stems: list[str] = []
        self._day = Rows(None, np.int32)
        self._group = Rows(None, np.int32)  # -1: not linkable (too few stems)
        self._members: list[list[int]] = []
        self._active: list[bool] = []
        self._cid: dict[str, int] = {}
        self._index = KeyIndex()
        self.changed: list[str] = []  # earlier statements whose claim id the last `add` set

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, st: Statement, *, date: date | None = None, same_as: str | None = None) -> str | None:
        """Add one statement; its claim id once the claim is active (see module doc), else None.

        `same_as`: an earlier statement this one reports too (e.g. the first report of its merged
        statement); when its own wording matches no claim, it joins that statement's claim."""
        self.changed = []
        if st.id in self._pos:
            return self.claim_id(st.id)
        when = date or st.date
        day = when.toordinal() if when else NODATE
        feats = content_stems(st.text)
        uniq = sorted(set(feats))
        i = len(self._ids)
        self._ids.append(st.id)
        self._pos[st.id] = i
        self._texts.append(st.text)
        self._speakers.append(st.speaker)
        self._stems.append(" ".join(feats))
        self._day.append(day)
        known = self._pos.get(same_as) if same_as is not None else None
        if known is not None and int(self._group.a[known]) < 0:
            known = None
        keys = None
        best: int | None = None
        if len(uniq) >= self.min_stems:
            keys = band_keys(self._hasher.signature(token_hashes(uniq)), self.bands, self.rows)
            best = self._best(feats, keys, st.text)
        if best is None:
            best = known  # no claim of its own wording: the claim of the report it repeats, if any
        if best is None and keys is None:
            self._group.append(-1)
            return None
        if best is None:
            g = len(self._members)
            self._members.append([i])
            self._active.append(False)
        else:
            g = int(self._group.a[best])
            if not self._active[g] and any(not self._same_utterance(i, j) for j in self._members[g]):
                self._active[g] = True
                self._cid[stable_id(self._ids[self._members[g][0]], prefix="c")] = g
                self.changed = [self._ids[j] for j in self._members[g]]
            self._members[g].append(i)
        self._group.append(g)
        if keys is not None:
            self._index.add(keys, i)
        return self.claim_id(st.id)

    def _same_utterance(self, i: int, j: int) -> bool:
        si, sj = self._speakers[i], self._speakers[j]
        if si and sj and normalise(si).strip() != normalise(sj).strip():
            return False
        di, dj = int(self._day.a[i]), int(self._day.a[j])
        return di == NODATE or dj == NODATE or abs(di - dj) <= self.same_utterance_days

    def _best(self, feats: list[str], keys: np.ndarray, text: str) -> int | None:
        hits = self._index.lookup(keys)
        if not len(hits):
            return None
        cands, counts = np.unique(hits, return_counts=True)
        order = np.lexsort((cands, -counts))[: self.max_candidates]
        best, best_score = None, 0.0
        for c in cands[order].tolist():
            score = lexical_similarity(feats, self._stems[c].split(), partial=False)
            if score < self.threshold and self.similarity and score >= self.grey:
                score = (
                    self.threshold if self.similarity(text, self._texts[c]) >= self.hook_threshold else score
                )
            if score >= self.threshold and score > best_score:
                best, best_score = c, score
        return best

    # --- reading ----------------------------------------------------------------------------------------

    def claim_id(self, statement_id: str) -> str | None:
        i = self._pos.get(statement_id)
        if i is None:
            return None
        g = int(self._group.a[i])
        if g < 0 or not self._active[g]:
            return None
        return stable_id(self._ids[self._members[g][0]], prefix="c")

    def claim(self, claim_id: str) -> Claim | None:
        g = self._cid.get(claim_id)
        return None if g is None else self._record(g)

    def claims(self) -> list[Claim]:
        """Active claims, in order of their first statement."""
        return [self._record(g) for g in range(len(self._members)) if self._active[g]]

    def _record(self, g: int) -> Claim:
        members = self._members[g]
        days = self._day.a[members].tolist()
        ordered = [
            m for _, m in sorted(zip(days, members, strict=True), key=lambda dm: (dm[0] == NODATE, dm))
        ]
        text = " ".join(self._texts[ordered[0]].split())
        if len(text) > self.summary_chars:
            text = text[: self.summary_chars - 1].rsplit(" ", 1)[0] + "…"
        return Claim(
            id=stable_id(self._ids[members[0]], prefix="c"),
            statement_ids=[self._ids[m] for m in ordered],
            summary=text,
        )

    # --- state ------------------------------------------------------------------------------------------

    def to_state(self) -> bytes:
        keys, vals = self._index.arrays()
        meta = {
            "params": self.params,
            "ids": self._ids,
            "texts": self._texts,
            "speakers": self._speakers,
            "stems": self._stems,
            "active": self._active,
        }
        return pack(meta, {"day": self._day.a, "group": self._group.a, "keys": keys, "vals": vals})

    @classmethod
    def from_state(cls, data: bytes, similarity: Similarity | None = None) -> ClaimLinker:
        meta, arrays = unpack(data)
        linker = cls(similarity=similarity, **meta["params"])
        linker._ids = list(meta["ids"])
        linker._pos = {s: i for i, s in enumerate(linker._ids)}
        linker._texts = list(meta["texts"])
        linker._speakers = list(meta["speakers"])
        linker._stems = list(meta["stems"])
        linker._active = list(meta["active"])
        linker._day = Rows(None, np.int32, arrays["day"])
        linker._group = Rows(None, np.int32, arrays["group"])
        linker._members = [[] for _ in linker._active]
        for i, g in enumerate(arrays["group"].tolist()):
            if g >= 0:
                linker._members[g].append(i)
        linker._cid = {
            stable_id(linker._ids[m[0]], prefix="c"): g
            for g, m in enumerate(linker._members)
            if linker._active[g]
        }
        linker._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        return linker
