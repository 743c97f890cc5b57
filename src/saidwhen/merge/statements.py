"""One statement reported by several outlets or in several wordings -> one `MergedStatement`.

Blocking: the speaker (case-folded canonical name) and a date window (± `window_days`, via week buckets);
a statement without a resolved speaker only merges with near-identical text from the same duplicate group
of articles (`doc_root`). Candidates: a posting index keyed by (speaker, week, content stem); verification:
`lexical_similarity` (stem Jaccard / overlap, rapidfuzz), then the optional `similarity` hook (e.g.
embedding cosine) for pairs below the bar: with a hook, every statement of the speaker's block in the
window is a candidate (up to `max_candidates`, newest first), so paraphrases sharing no stem can merge;
without one, only statements sharing a stem are. A new report joins the best existing group; groups never merge, so an assigned merged id
never changes. A merged statement exists once a group has two reports.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from saidwhen.merge._index import KeyIndex, Rows, mix64, pack, unpack
from saidwhen.merge._similarity import Similarity, lexical_similarity
from saidwhen.merge._text import content_stems, normalise, string_hash64, token_hashes, tokens
from saidwhen.model import MergedStatement, Statement, stable_id

NODATE = -(2**31)
_MASK63 = (1 << 63) - 1
_BLOCK = "\x00block"  # a feature every statement has: its (speaker, week) block


def _features(text: str) -> list[str]:
    stems = content_stems(text)
    return stems if stems else tokens(text)


class StatementMerger:
    def __init__(
        self,
        *,
        window_days: int = 3,
        threshold: float = 0.6,
        anonymous_threshold: float = 0.9,
        similarity: Similarity | None = None,
        hook_threshold: float = 0.8,
        grey: float = 0.0,
        max_candidates: int = 50,
    ) -> None:
        self.params = {
            "window_days": window_days,
            "threshold": threshold,
            "anonymous_threshold": anonymous_threshold,
            "hook_threshold": hook_threshold,
            "grey": grey,
            "max_candidates": max_candidates,
        }
        self.window_days = window_days
        self.threshold = threshold
        self.anonymous_threshold = anonymous_threshold
        self.similarity = similarity
        self.hook_threshold = hook_threshold
        self.grey = grey
        self.max_candidates = max_candidates
        self._ids: list[str] = []
        self._pos: dict[str, int] = {}
        self._texts: list[str] = []
        self._speakers: list[str | None] = []
        self._stems: list[str] = []
        self._day = Rows(None, np.int32)
        self._block = Rows(None, np.int64)
        self._group = Rows(None, np.int32)
        self._members: list[list[int]] = []
        self._gid: dict[str, int] = {}  # merged id -> group, for groups with ≥ 2 reports
        self._index = KeyIndex()
        self.changed: list[str] = []  # earlier statements whose merged id the last `add` set

    def __len__(self) -> int:
        return len(self._ids)

    # --- adding -----------------------------------------------------------------------------------------

    def add(self, st: Statement, *, date: date | None = None, doc_root: str | None = None) -> str | None:
        """Add one report; its merged id once its group has ≥ 2 reports, else None. Idempotent per id.

        `date` overrides `st.date` (e.g. the document date when the statement is undated); `doc_root` is the
        duplicate-group root of its article (default: its own document).
        """
        self.changed = []
        if st.id in self._pos:
            return self.merged_id(st.id)
        when = date or st.date
        day = when.toordinal() if when else NODATE
        feats = _features(st.text)
        if st.speaker:
            block = "s\x1f" + normalise(st.speaker).strip()
            threshold = self.threshold
        else:
            block = "d\x1f" + (doc_root or st.document_id)
            threshold = self.anonymous_threshold
        bh = string_hash64(block) & _MASK63
        best = self._best(feats, day, bh, threshold, st.text, anonymous=not st.speaker)
        i = len(self._ids)
        self._ids.append(st.id)
        self._pos[st.id] = i
        self._texts.append(st.text)
        self._speakers.append(st.speaker)
        self._stems.append(" ".join(feats))
        self._day.append(day)
        self._block.append(bh)
        if best is None:
            g = len(self._members)
            self._members.append([i])
        else:
            g = int(self._group.a[best])
            self._members[g].append(i)
            if len(self._members[g]) == 2:
                self._gid[stable_id(self._ids[self._members[g][0]], prefix="m")] = g
                self.changed = [self._ids[self._members[g][0]]]
        self._group.append(g)
        week = day // 7 if day != NODATE else NODATE
        self._index.add(self._keys(bh, [week], [_BLOCK, *sorted(set(feats))]), i)
        return self.merged_id(st.id)

    @staticmethod
    def _keys(bh: int, weeks: list[int], feats: list[str]) -> np.ndarray:
        """Posting keys (speaker block, week, stem) as uint64."""
        stems = token_hashes(feats).astype(np.uint64)
        blocks = mix64(
            np.asarray([(bh ^ (w & 0xFFFFFFFF) * 0x9E3779B1) & _MASK63 for w in weeks], dtype=np.uint64)
        )
        return mix64(blocks[:, None] ^ mix64(stems)[None, :]).ravel()

    def _best(
        self, feats: list[str], day: int, bh: int, threshold: float, text: str, anonymous: bool
    ) -> int | None:
        if not feats or not self._ids:
            return None
        weeks = [NODATE] if day == NODATE else [day // 7 - 1, day // 7, day // 7 + 1]
        # with a semantic hook every statement of the block is a candidate (paraphrases may share no stem)
        lookup = [_BLOCK, *sorted(set(feats))] if self.similarity and not anonymous else sorted(set(feats))
        hits = self._index.lookup(self._keys(bh, weeks, lookup))
        if not len(hits):
            return None
        cands, counts = np.unique(hits, return_counts=True)
        days = self._day.a[cands]
        if day == NODATE:
            ok = days == NODATE
        else:
            ok = (days != NODATE) & (np.abs(days.astype(np.int64) - day) <= self.window_days)
        ok &= self._block.a[cands] == bh
        cands, counts = cands[ok], counts[ok]
        if not len(cands):
            return None
        order = np.lexsort((cands, -counts))[: self.max_candidates]
        best, best_score = None, 0.0
        for c in cands[order].tolist():
            score = lexical_similarity(feats, self._stems[c].split())
            if score < threshold and not anonymous and self.similarity and score >= self.grey:
                hook = self.similarity(text, self._texts[c])
                score = threshold if hook >= self.hook_threshold else score
            if score >= threshold and score > best_score:
                best, best_score = c, score
        return best

    # --- reading ----------------------------------------------------------------------------------------

    def merged_id(self, statement_id: str) -> str | None:
        i = self._pos.get(statement_id)
        if i is None:
            return None
        members = self._members[int(self._group.a[i])]
        return stable_id(self._ids[members[0]], prefix="m") if len(members) > 1 else None

    def first_of(self, statement_id: str) -> str | None:
        """The first report of the group `statement_id` belongs to (itself when it is the first)."""
        i = self._pos.get(statement_id)
        return None if i is None else self._ids[self._members[int(self._group.a[i])][0]]

    def group_of(self, statement_id: str) -> list[str]:
        """Ids of all reports in the group of `statement_id` (itself alone when not merged)."""
        i = self._pos[statement_id]
        return [self._ids[j] for j in self._members[int(self._group.a[i])]]

    def merged_statement(self, merged_id: str) -> MergedStatement | None:
        g = self._gid.get(merged_id)
        return None if g is None else self._record(g)

    def merged(self) -> list[MergedStatement]:
        """All merged statements (groups with ≥ 2 reports), in order of their first report."""
        return [self._record(g) for g, members in enumerate(self._members) if len(members) > 1]

    def _record(self, g: int) -> MergedStatement:
        members = self._members[g]
        days = [d for d in self._day.a[members].tolist() if d != NODATE]
        return MergedStatement(
            id=stable_id(self._ids[members[0]], prefix="m"),
            speaker=self._speakers[members[0]],
            text=self._texts[members[0]],
            date=date.fromordinal(min(days)) if days else None,
            statement_ids=[self._ids[j] for j in members],
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
        }
        arrays = {
            "day": self._day.a,
            "block": self._block.a,
            "group": self._group.a,
            "keys": keys,
            "vals": vals,
        }
        return pack(meta, arrays)

    @classmethod
    def from_state(cls, data: bytes, similarity: Similarity | None = None) -> StatementMerger:
        meta, arrays = unpack(data)
        merger = cls(similarity=similarity, **meta["params"])
        merger._ids = list(meta["ids"])
        merger._pos = {s: i for i, s in enumerate(merger._ids)}
        merger._texts = list(meta["texts"])
        merger._speakers = list(meta["speakers"])
        merger._stems = list(meta["stems"])
        merger._day = Rows(None, np.int32, arrays["day"])
        merger._block = Rows(None, np.int64, arrays["block"])
        merger._group = Rows(None, np.int32, arrays["group"])
        n_groups = int(arrays["group"].max()) + 1 if len(arrays["group"]) else 0
        merger._members = [[] for _ in range(n_groups)]
        for i, g in enumerate(arrays["group"].tolist()):
            merger._members[g].append(i)
        merger._gid = {
            stable_id(merger._ids[m[0]], prefix="m"): g for g, m in enumerate(merger._members) if len(m) > 1
        }
        merger._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        return merger
