"""Claims: the same proposition asserted across time, by the same or different speakers.

No date window and no speaker blocking, so candidates come from MinHash/LSH over each statement's set of
content stems (63 of 64 permutations, 21 bands of 3 rows: stem-set Jaccard 0.5 is a candidate with
p≈0.94); verification uses `lexical_similarity` with a higher bar than merging (0.75), requires ≥ 3 content
stems (generic one-liners are not propositions), and respects negation. The semantic hook judges only the
`max_judged` lexically closest candidates below the bar (a statement repeated over years has dozens of
lookalikes, each an embedding to compute; on PolNeAR judging 3 links what judging all 50 does). A statement
joins the best claim. A statement whose stem set an earlier statement has exactly (a reprinted quote) joins
that one's claim with one lookup of the whole set's key and is not indexed itself: the index holds each
wording once, so reprints do not crowd other candidates out of the buckets. A claim is reported once it
holds two statements that are not the same utterance (different speakers, or dates more than
`same_utterance_days` apart): one quote reprinted by two outlets is a merged statement, not a claim.

One speaker restating a proposition in other words ("X will become a member", "all allies agree that X
will become a member", "nobody can prevent X's eventual membership") shares too few stems for the bar:
each statement is also posted under (speaker, content stem), and one that joins no claim over the bar
joins the claim of its speaker's closest statement from another occasion whose score reaches the lower
`same_speaker_threshold` (0.55; on the PolNeAR variants of `merge_eval.py` restatements linked 0.970 ->
0.977, pairwise precision inside claims 0.936 -> 0.917). Speakers are compared by
`speaker_identity` ("Holm" and "Ingrid Holm" when the corpus names one Holm).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

import numpy as np

from saidwhen.merge._columns import Groups, IdIndex, OptionalStrings, StrColumn
from saidwhen.merge._index import (
    KeyIndex,
    MinHasher,
    PackedState,
    Rows,
    band_keys,
    count_unique,
    mix64,
    most_shared,
    pack_parts,
    unpack,
)
from saidwhen.merge._similarity import Similarity, StemSets, best_with_hook, grey_for, hook_for
from saidwhen.merge._text import content_stems, string_hash64, token_hashes
from saidwhen.merge.speaker_identity import SpeakerIdentity, block, named_speaker
from saidwhen.merge.statements import upgrade_state
from saidwhen.model import Claim, Statement, stable_id

NODATE = -(2**31)
_MASK63 = (1 << 63) - 1


class ClaimKeys(NamedTuple):
    """What `ClaimLinker.add` needs of a text: its content stems, LSH band keys (None when it has fewer
    than `min_stems` distinct stems: not indexed), the key of its whole stem set (`exact_key`) and the hashes
    of its distinct stems (`token_hashes`, for the speaker postings; None when not indexed)."""

    stems: list[str]
    keys: np.ndarray | None
    exact: int = 0
    hashes: np.ndarray | None = None


def exact_key(uniq: list[str]) -> int:
    """The index key of a whole (sorted, distinct) stem set: an earlier statement with the same set is found
    with one lookup."""
    return string_hash64("\x00claim", *uniq)


class ClaimLinker(PackedState):
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
        hook_threshold: float = 0.9,
        grey: float = 0.5,
        max_candidates: int = 50,
        max_judged: int = 3,
        speaker_postings: bool = True,
        same_speaker_threshold: float = 0.55,
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
            "max_judged": max_judged,
            "speaker_postings": speaker_postings,
            "same_speaker_threshold": same_speaker_threshold,
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
        self.max_judged = max_judged
        self.speaker_postings = speaker_postings
        self.same_speaker_threshold = same_speaker_threshold
        self.summary_chars = summary_chars
        self._hasher = MinHasher(num_perm, seed)
        self._ids = StrColumn()
        self._pos = IdIndex(self._ids)
        self._texts = StrColumn()  # of linkable statements (group ≥ 0) only; "" for the others
        self._speakers = OptionalStrings()
        self._identity = SpeakerIdentity()
        self._stems = StemSets()
        self._day = Rows(None, np.int32)
        self._groups = Groups()  # group -1: not linkable (too few stems)
        self._active: list[bool] = []
        self._earliest: dict[int, int] = {}  # group -> its earliest statement (built on first need)
        self._cid: dict[str, int] = {}  # claim id -> group, for active claims
        self._cname: dict[int, str] = {}  # and back
        self._index = KeyIndex()
        self.changed: list[str] = []  # earlier statements whose claim id the last `add` set

    def __len__(self) -> int:
        return len(self._ids)

    def features(self, text: str, stems: list[str] | None = None) -> ClaimKeys:
        """The text's features for `add` (pure: depends on the text and the parameters only); `stems`:
        `content_stems(text)` if known."""
        feats = stems if stems is not None else content_stems(text)
        uniq = sorted(set(feats))
        if len(uniq) < self.min_stems:
            return ClaimKeys(feats, None)
        hashes = token_hashes(uniq)
        keys = band_keys(self._hasher.signature(hashes), self.bands, self.rows)
        return ClaimKeys(feats, keys, exact_key(uniq), hashes)

    def add(
        self, st: Statement, *, date: date | None = None, same_as: str | None = None,
        features: ClaimKeys | None = None, speaker: str | None = None,
    ) -> str | None:
        """Add one statement; its claim id once the claim is active (see module doc), else None.

        `same_as`: an earlier statement this one reports too (e.g. the first report of its merged
        statement); when its own wording matches no claim, it joins that statement's claim. `features`:
        `self.features(st.text)` computed beforehand (e.g. in a worker process); `speaker` overrides
        `st.speaker` (as in `StatementMerger.add`)."""
        self.changed = []
        i = self._pos.get(st.id)
        if i is not None:
            return self._claim_id(i)
        when = date or st.date
        day = when.toordinal() if when else NODATE
        feats, keys, whole, hashes = features if features is not None else self.features(st.text)
        known = self._pos.get(same_as) if same_as is not None else None
        if known is not None and self._groups.group[known] < 0:
            known = None
        best: int | None = None
        copy: int | None = None
        speaker = named_speaker(speaker or st.speaker)  # an unnamed source is nobody in particular
        own = self.speaker_keys(speaker, feats, hashes) if keys is not None else None
        if keys is not None:
            copy = self._copy_of(feats, whole)
            lookup = keys if own is None else np.concatenate((keys, own))
            best = copy if copy is not None else self._best(feats, lookup, st.text, speaker, day)
        if best is None:
            best = known  # no claim of its own wording: the claim of the report it repeats, if any
        i = len(self._ids)
        self._ids.append(st.id)
        self._pos.add(st.id, i)
        if speaker:
            self._identity.observe(speaker)
        self._speakers.append(speaker)
        indexed = keys is not None and copy is None
        self._stems.add(feats if indexed else [])  # only indexed statements are candidates
        self._day.append(day)
        if best is None and keys is None:
            self._texts.append("")
            self._groups.add_alone()
            return None
        self._texts.append(st.text)
        self._join(i, None if best is None else self._groups.group[best])
        if indexed:
            parts = [keys, np.asarray([whole], dtype=np.uint64)] + ([own] if own is not None else [])
            self._index.add(np.concatenate(parts), i)
        return self._claim_id(i)

    def speaker_keys(self, speaker: str | None, feats: list[str], hashes: np.ndarray | None = None) -> np.ndarray | None:
        """Postings (speaker, content stem): a speaker restating a proposition in other words ("X will become
        a member", "nobody can prevent X's membership") shares too few stems for the LSH bands, so each of
        the speaker's earlier statements sharing a stem is a candidate too (the closest by shared stems
        first). Keyed by the speaker's block (`speaker_identity.block`)."""
        if not speaker or not self.speaker_postings:
            return None
        bh = np.uint64(string_hash64("\x00claim-speaker", block(speaker)) & _MASK63)
        if hashes is None:
            hashes = token_hashes(sorted(set(feats)))
        return mix64(hashes.astype(np.uint64) ^ bh)

    def _join(self, i: int, g: int | None) -> None:
        """Put statement `i` into claim `g` (a new one when None), activating the claim when `i` is another
        utterance than its statements (whose claim id that sets: `changed`)."""
        if g is None:
            self._active.append(False)
        elif not self._active[g] and not self._one_utterance(i, g):
            self._active[g] = True
            self._name(g)
            self.changed = [self._ids[j] for j in self._groups.members(g)]
        g = self._groups.add(g)
        first = self._earliest.get(g)
        if first is not None and self._order(i) < self._order(first):
            self._earliest[g] = i

    def _one_utterance(self, i: int, g: int) -> bool:
        """Is statement `i` the same utterance as every statement of group `g`?"""
        return all(self._same_utterance(i, j) for j in self._groups.members(g))

    def _same_utterance(self, i: int, j: int) -> bool:
        si, sj = self._speakers[i], self._speakers[j]
        if si and sj and si != sj and not self._identity.same(si, sj):
            return False
        di, dj = int(self._day.a[i]), int(self._day.a[j])
        return di == NODATE or dj == NODATE or abs(di - dj) <= self.same_utterance_days

    def _copy_of(self, feats: list[str], whole: int) -> int | None:
        """The indexed statement with exactly the stem set of `feats`, if any. Its group is where the
        statement goes (no other candidate can score higher: only the same set scores 1); and the statement
        is not indexed itself, so a text reprinted a thousand times is one candidate, not a thousand that
        crowd the others out of every lookup."""
        hits = self._index.lookup(np.asarray([whole], dtype=np.uint64))
        if not len(hits):
            return None
        joined = " ".join(sorted(set(feats)))
        for j in hits.tolist():  # keys are shortened to 32 bits: check the set itself
            if self._stems.joined(j) == joined:
                return int(j)
        return None

    def _best(self, feats: list[str], keys: np.ndarray, text: str, speaker: str | None, day: int) -> int | None:
        """The best candidate over the bar (`threshold`, the hook for the closest few below it), else the best
        earlier statement of the same speaker, said on another occasion (dates more than
        `same_utterance_days` apart), whose claim score (`lexical_similarity` as for the bar) reaches the lower
        `same_speaker_threshold`: a speaker restating a proposition in
        other words ("X will become a member", "nobody can prevent X's eventual membership"). Statements
        of one occasion (one speech) are other statements, not restatements."""
        cands, counts = count_unique(self._index.lookup(keys))
        if not len(cands):
            return None
        cands = most_shared(cands, counts, self.max_candidates)
        hook = hook_for(self.similarity, text)
        if not hook:
            j = self._stems.best(feats, cands, self.threshold, partial=False)
            best = None if j is None else int(cands[j])
        else:
            grey = grey_for(hook, self.grey)
            scores = self._stems.scores(
                feats, cands, partial=False, floor=min(self.threshold, grey), exact=self.threshold
            )
            # the hook judges the lexically closest few (a statement repeated over the years has many
            # lookalikes: judging them all would cost an embedding each)
            best = best_with_hook(
                cands, scores, self.threshold, hook=hook, text=text, texts=self._texts, grey=grey,
                hook_threshold=self.hook_threshold, limit=self.max_judged,
            )
        if best is not None or not speaker or self.same_speaker_threshold >= self.threshold:
            return best
        days = self._day.a[cands].astype(np.int64)
        apart = (day != NODATE) & (days != NODATE) & (np.abs(days - day) > self.same_utterance_days)
        own = cands[apart & self._identity.same_rows(speaker, self._speakers, cands)]
        if not len(own):
            return None
        j = self._stems.best(feats, own, self.same_speaker_threshold, partial=False)
        return None if j is None else int(own[j])

    # --- reading ----------------------------------------------------------------------------------------

    def _claim_id(self, i: int) -> str | None:
        g = self._groups.group[i]
        if g < 0 or not self._active[g]:
            return None
        return self._cname[g]

    def _name(self, g: int) -> None:
        """Register the claim id of group `g` (an active claim)."""
        name = stable_id(self._ids[self._groups.first[g]], prefix="c")
        self._cid[name] = g
        self._cname[g] = name

    def claim_id(self, statement_id: str) -> str | None:
        i = self._pos.get(statement_id)
        return None if i is None else self._claim_id(i)

    def claim(self, claim_id: str, *, members: bool = True) -> Claim | None:
        """The claim's record; `members=False` leaves `statement_ids` empty (the record is then O(1): a
        store keeps membership as each statement's `claim_id`)."""
        g = self._cid.get(claim_id)
        return None if g is None else self._record(g, members)

    def claims(self) -> list[Claim]:
        """Active claims, in order of their first statement."""
        return [self._record(g, True) for g in range(self._groups.n_groups) if self._active[g]]

    def _order(self, i: int) -> tuple[bool, int, int]:
        """Chronological sort key of statement `i`: undated last, then by day, then in order of addition."""
        day = int(self._day.a[i])
        return (day == NODATE, day, i)

    def _record(self, g: int, members: bool) -> Claim:
        first = self._earliest.get(g)
        if first is None:
            first = self._earliest[g] = min(self._groups.members(g), key=self._order)
        text = " ".join(self._texts[first].split())
        if len(text) > self.summary_chars:
            text = text[: self.summary_chars - 1].rsplit(" ", 1)[0] + "…"
        ids = [self._ids[m] for m in sorted(self._groups.members(g), key=self._order)] if members else []
        return Claim(id=self._cname[g], statement_ids=ids, summary=text)

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
            "active": np.asarray(self._active, dtype=bool),
            "day": self._day.a,
            "group": self._groups.groups(),
            "keys": keys,
            "vals": vals,
        }
        return pack_parts(meta, arrays)

    @classmethod
    def from_state(cls, data: bytes, similarity: Similarity | None = None) -> ClaimLinker:
        meta, arrays = upgrade_state(*unpack(data))
        linker = cls(similarity=similarity, **meta["params"])
        linker._ids = StrColumn.from_arrays(arrays, "ids")
        linker._pos = IdIndex(linker._ids)
        linker._texts = StrColumn.from_arrays(arrays, "texts")
        linker._speakers = OptionalStrings(meta["speakers"], arrays["speaker"].tolist())
        linker._identity = SpeakerIdentity(linker._speakers.vocab.words)
        linker._stems = StemSets.from_state(meta["stems"], arrays)
        linker._active = arrays["active"].tolist()
        linker._day = Rows(None, np.int32, arrays["day"])
        linker._groups = Groups(arrays["group"].tolist())
        for g in range(linker._groups.n_groups):
            if linker._active[g]:
                linker._name(g)
        linker._index = KeyIndex.from_arrays(arrays["keys"], arrays["vals"])
        return linker
