"""One statement reported by several outlets or in several wordings -> one `MergedStatement`.

Blocking: the speaker (the surname of its `speaker_identity` key; candidates with another speaker string
must be the same speaker by `SpeakerIdentity.same`: "Cicutto" and "Frank Cicutto" when the corpus names one
Cicutto, "U.S. researchers" and "US researchers", never "Ann Cole" and "Tom Cole") and a date window (± `window_days`, via week buckets);
a statement without a resolved speaker only merges with near-identical text from the same duplicate group
of articles (`doc_root`). Candidates: a posting index keyed by (speaker, week, content stem); verification:
`lexical_similarity` (stem Jaccard / overlap, rapidfuzz), then the optional `similarity` hook (e.g.
embedding cosine) for pairs below the bar but with a lexical score ≥ `grey` (0.2: some shared content;
on PolNeAR variants and the paraphrase pairs this loses nothing measurable against judging every pair,
and it keeps the hook to a few candidates per statement). With `grey` ≤ 0 every statement of the
speaker's block in the window is a candidate (up to `max_candidates`), so paraphrases sharing no stem can
merge too. A new report joins the best existing group; groups never merge, so an assigned merged id never
changes. A merged statement exists once a group has two reports.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

import numpy as np

from saidwhen.merge._columns import Groups, IdIndex, OptionalStrings, StrColumn
from saidwhen.merge._index import (
    KeyIndex,
    PackedState,
    Rows,
    count_unique,
    mix64,
    most_shared,
    pack_parts,
    unpack,
)
from saidwhen.merge._similarity import Similarity, StemSets, best_with_hook, grey_for, hook_for
from saidwhen.merge._text import content_stems, string_hash64, token_hashes, tokens
from saidwhen.merge.speaker_identity import SpeakerIdentity, block, named_speaker
from saidwhen.model import MergedStatement, Statement, stable_id

NODATE = -(2**31)
_MASK63 = (1 << 63) - 1
_BLOCK = "\x00block"  # a feature every statement has: its (speaker, week) block


class StemKeys(NamedTuple):
    """What `StatementMerger.add` needs of a text: its content stems (its words when it has none) and the
    hashed posting features, the block feature first, then each distinct stem in sorted order."""

    stems: list[str]
    hashes: np.ndarray


def merge_stems(text: str, stems: list[str] | None = None) -> list[str]:
    """The words statements are compared by: content stems (`stems` if known), else all words."""
    feats = stems if stems is not None else content_stems(text)
    return feats if feats else tokens(text)


def stem_keys(text: str, stems: list[str] | None = None) -> StemKeys:
    """The text's features for `StatementMerger.add` (pure); `stems`: `content_stems(text)` if known."""
    feats = merge_stems(text, stems)
    return StemKeys(feats, mix64(token_hashes([_BLOCK, *sorted(set(feats))]).astype(np.uint64)))


class StatementMerger(PackedState):
    def __init__(
        self,
        *,
        window_days: int = 3,
        threshold: float = 0.6,
        anonymous_threshold: float = 0.9,
        similarity: Similarity | None = None,
        hook_threshold: float = 0.8,
        grey: float = 0.2,
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
        self._ids = StrColumn()
        self._pos = IdIndex(self._ids)
        self._texts = StrColumn()
        self._speakers = OptionalStrings()
        self._identity = SpeakerIdentity()
        self._stems = StemSets()
        self._day = Rows(None, np.int32)
        self._block = Rows(None, np.int64)
        self._groups = Groups()
        self._gid: dict[str, int] = {}  # merged id -> group, for groups with ≥ 2 reports
        self._gname: dict[int, str] = {}  # and back
        self._first_day: dict[int, int] = {}  # group -> its earliest day (built on first need)
        self._index = KeyIndex()
        self.changed: list[str] = []  # earlier statements whose merged id the last `add` set

    def __len__(self) -> int:
        return len(self._ids)

    # --- adding -----------------------------------------------------------------------------------------

    def add(
        self, st: Statement, *, date: date | None = None, doc_root: str | None = None,
        features: StemKeys | None = None, speaker: str | None = None,
    ) -> str | None:
        """Add one report; its merged id once its group has ≥ 2 reports, else None. Idempotent per id.

        `date` overrides `st.date` (e.g. the document date when the statement is undated); `doc_root` is the
        duplicate-group root of its article (default: its own document); `features`: `stem_keys(st.text)`
        computed beforehand (e.g. in a worker process); `speaker` overrides `st.speaker` (e.g. the full name
        the article gives for a surname alone: `speaker_identity.full_name_in_text`).
        """
        self.changed = []
        known = self._pos.get(st.id)
        if known is not None:
            return self._merged_id(known)
        when = date or st.date
        day = when.toordinal() if when else NODATE
        feats, hashes = features if features is not None else stem_keys(st.text)
        speaker = named_speaker(speaker or st.speaker)  # "officials (unnamed)" of two articles: nobody in common
        if speaker:
            self._identity.observe(speaker)
            key = "s\x1f" + block(speaker)
            threshold = self.threshold
        else:
            key = "d\x1f" + (doc_root or st.document_id)
            threshold = self.anonymous_threshold
        bh = string_hash64(key) & _MASK63
        best = self._best(feats, hashes, day, bh, threshold, st.text, speaker=speaker)
        i = len(self._ids)
        self._ids.append(st.id)
        self._pos.add(st.id, i)
        self._texts.append(st.text)
        self._speakers.append(speaker)
        self._stems.add(feats)
        self._day.append(day)
        self._block.append(bh)
        g = self._groups.add(None if best is None else self._groups.group[best])
        if day != NODATE and g in self._first_day:
            known_day = self._first_day[g]
            self._first_day[g] = day if known_day == NODATE else min(known_day, day)
        if self._groups.size[g] == 2:
            first = self._groups.first[g]
            self._name(g)
            self.changed = [self._ids[first]]
        week = day // 7 if day != NODATE else NODATE
        self._index.add(self._keys(bh, [week], hashes), i)
        return self._merged_id(i)

    @staticmethod
    def _keys(bh: int, weeks: list[int], hashes: np.ndarray) -> np.ndarray:
        """Posting keys (speaker block, week, hashed feature) as uint64."""
        blocks = mix64(
            np.asarray([(bh ^ (w & 0xFFFFFFFF) * 0x9E3779B1) & _MASK63 for w in weeks], dtype=np.uint64)
        )
        return mix64(blocks[:, None] ^ hashes[None, :]).ravel()

    def _candidates(
        self, hashes: np.ndarray, day: int, bh: int, semantic: bool, speaker: str | None = None
    ) -> np.ndarray:
        """Earlier reports of the block in the date window sharing a posting, most shared postings first;
        with a `speaker`, only those of the same speaker (`SpeakerIdentity.same`)."""
        weeks = [NODATE] if day == NODATE else [day // 7 - 1, day // 7, day // 7 + 1]
        # with a semantic hook every statement of the block is a candidate (paraphrases may share no stem)
        lookup = hashes if semantic else hashes[1:]  # hashes[0] is the block feature
        cands, counts = count_unique(self._index.lookup(self._keys(bh, weeks, lookup)))
        if not len(cands):
            return cands
        days = self._day.a[cands]
        if day == NODATE:
            ok = days == NODATE
        else:
            ok = (days != NODATE) & (np.abs(days.astype(np.int64) - day) <= self.window_days)
        ok &= self._block.a[cands] == bh
        cands, counts = cands[ok], counts[ok]
        if speaker and len(cands):
            ok = self._identity.same_rows(speaker, self._speakers, cands)
            cands, counts = cands[ok], counts[ok]
        return most_shared(cands, counts, self.max_candidates)

    def _best(
        self, feats: list[str], hashes: np.ndarray, day: int, bh: int, threshold: float, text: str,
        speaker: str | None,
    ) -> int | None:
        if not feats or not len(self._ids):
            return None
        hook = None if not speaker else hook_for(self.similarity, text)
        grey = grey_for(hook, self.grey)
        # statements sharing no posting score 0: only worth fetching when the hook judges such pairs
        cands = self._candidates(hashes, day, bh, semantic=hook is not None and grey <= 0, speaker=speaker)
        if not len(cands):
            return None
        if not hook:
            j = self._stems.best(feats, cands, threshold)
            return None if j is None else int(cands[j])
        # scores need to be exact where they decide: at or above the threshold; below it only whether they
        # reach `grey` matters, when it excludes pairs from the hook (a score is never below 0, so `grey` ≤ 0
        # excludes none)
        scores = self._stems.scores(
            feats, cands, floor=min(threshold, grey) if grey > 0 else threshold, exact=threshold
        )
        return best_with_hook(
            cands, scores, threshold, hook=hook, text=text, texts=self._texts, grey=grey,
            hook_threshold=self.hook_threshold,
        )

    # --- reading ----------------------------------------------------------------------------------------

    def _merged_id(self, i: int) -> str | None:
        g = self._groups.group[i]
        return self._gname.get(g)

    def _name(self, g: int) -> None:
        """Register the merged id of group `g` (it has ≥ 2 reports)."""
        name = stable_id(self._ids[self._groups.first[g]], prefix="m")
        self._gid[name] = g
        self._gname[g] = name

    def merged_id(self, statement_id: str) -> str | None:
        i = self._pos.get(statement_id)
        return None if i is None else self._merged_id(i)

    def first_of(self, statement_id: str) -> str | None:
        """The first report of the group `statement_id` belongs to (itself when it is the first)."""
        i = self._pos.get(statement_id)
        return None if i is None else self._ids[self._groups.first[self._groups.group[i]]]

    def group_of(self, statement_id: str) -> list[str]:
        """Ids of all reports in the group of `statement_id` (itself alone when not merged)."""
        i = self._pos.get(statement_id)
        if i is None:
            raise KeyError(statement_id)
        return [self._ids[j] for j in self._groups.members(self._groups.group[i])]

    def merged_statement(self, merged_id: str, *, members: bool = True) -> MergedStatement | None:
        """The merged statement's record; `members=False` leaves `statement_ids` empty (the record is then
        O(1): a store keeps membership as each statement's `merged_id`)."""
        g = self._gid.get(merged_id)
        return None if g is None else self._record(g, members)

    def merged(self) -> list[MergedStatement]:
        """All merged statements (groups with ≥ 2 reports), in order of their first report."""
        size = self._groups.size
        return [self._record(g, True) for g in range(self._groups.n_groups) if size[g] > 1]

    def _record(self, g: int, members: bool) -> MergedStatement:
        day = self._first_day.get(g)
        if day is None:
            days = [d for d in self._day.a[self._groups.members(g)].tolist() if d != NODATE]
            day = self._first_day[g] = min(days) if days else NODATE
        first = self._groups.first[g]
        return MergedStatement(
            id=self._gname[g],
            speaker=self._speakers[first],
            text=self._texts[first],
            date=date.fromordinal(day) if day != NODATE else None,
            statement_ids=[self._ids[j] for j in self._groups.members(g)] if members else [],
        )

    # --- state ------------------------------------------------------------------------------------------

    def state_parts(self) -> list[bytes | memoryview]:
        keys, vals = self._index.arrays()
        words, stem_arrays = self._stems.state()
        meta = {"params": self.params, "speakers": self._speakers.meta(), "stems": words}
        arrays = {
            **self._ids.arrays("ids"),
            **self._texts.arrays("texts"),
            "speaker": self._speakers.codes(),
            **stem_arrays,
            "day": self._day.a,
            "block": self._block.a,
            "group": self._groups.groups(),
            "keys": keys,
            "vals": vals,
        }
        return pack_parts(meta, arrays)

    @classmethod
    def from_state(cls, data: bytes, similarity: Similarity | None = None) -> StatementMerger:
        meta, arrays = upgrade_state(*unpack(data))
        merger = cls(similarity=similarity, **meta["params"])
        merger._ids = StrColumn.from_arrays(arrays, "ids")
        merger._pos = IdIndex(merger._ids)
        merger._texts = StrColumn.from_arrays(arrays, "texts")
        merger._speakers = OptionalStrings(meta["speakers"], arrays["speaker"].tolist())
        merger._identity = SpeakerIdentity(merger._speakers.vocab.words)
        merger._stems = StemSets.from_state(meta["stems"], arrays)
        merger._day = Rows(None, np.int32, arrays["day"])
        merger._block = Rows(None, np.int64, arrays["block"])
        merger._groups = Groups(arrays["group"].tolist())
        size = merger._groups.size
        for g in range(merger._groups.n_groups):
            if size[g] > 1:
                merger._name(g)
        merger._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        return merger


def upgrade_state(
    meta: dict[str, Any], arrays: dict[str, np.ndarray]
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """A statement merger's or claim linker's state as written before the compact columns (per-statement
    JSON lists of ids, texts, speakers and joined stems) in today's form; today's states pass unchanged."""
    if "ids" not in meta:
        return meta, arrays
    meta, arrays = dict(meta), dict(arrays)
    ids, texts, speakers, stems = StrColumn(), StrColumn(), OptionalStrings(), StemSets()
    for i, t, sp, st in zip(meta.pop("ids"), meta.pop("texts"), meta.pop("speakers"), meta.pop("stems"),
                            strict=True):
        ids.append(i)
        texts.append(t)
        speakers.append(sp)
        stems.add(st.split())
    words, stem_arrays = stems.state()
    meta.update(speakers=speakers.meta(), stems=words)
    arrays.update(ids.arrays("ids"), **texts.arrays("texts"), speaker=speakers.codes(), **stem_arrays)
    arrays = {k: np.array(v) for k, v in arrays.items()}  # own copies (the columns above are views)
    if "active" in meta:
        arrays["active"] = np.asarray(meta.pop("active"), dtype=bool)
    return meta, arrays
