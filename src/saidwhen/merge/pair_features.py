"""What the pair model (`saidwhen.merge.pair_model`) looks at in two statement texts.

Each text is described once (`describe`: content stems, capitalised names, numbers, word bigrams, its
embedding when a model gives one); `pair_features` compares two descriptions with cheap set arithmetic.
The names of the features (`FEATURES`) are stored beside the model's weights, so a model trained with other
features is refused rather than misread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from saidwhen.merge._text import STOP_CAPS, content_stems, entities, normalise
from saidwhen.merge.conflict import conflicting, numbers

FEATURES = (
    "stem_jaccard", "stem_overlap", "stem_shared_log", "bigram_overlap", "name_jaccard", "name_overlap",
    "names_disjoint", "numbers_shared", "conflict", "length_ratio", "cosine", "cosine_sq", "cosine_x_names",
)  # fmt: skip


@dataclass(frozen=True)
class Described:
    stems: frozenset[str]
    bigrams: frozenset[tuple[str, str]]
    names: frozenset[str]
    numbers: frozenset[str]
    vector: np.ndarray | None = None


def describe(text: str, vector: np.ndarray | None = None) -> Described:
    stems = content_stems(text)
    names = frozenset(n for n in (normalise(e) for e in entities(text, limit=20)) if n not in STOP_CAPS)
    return Described(
        frozenset(stems), frozenset(zip(stems, stems[1:], strict=False)), names, numbers(stems), vector
    )


def _ratio(inter: int, size: int) -> float:
    return inter / size if size else 0.0


def pair_features(a: Described, b: Described) -> np.ndarray:
    """The feature vector of a pair, in the order of `FEATURES` (symmetric in a and b)."""
    inter = len(a.stems & b.stems)
    shorter = min(len(a.stems), len(b.stems))
    names = len(a.names & b.names)
    name_short = min(len(a.names), len(b.names))
    cos = float(a.vector @ b.vector) if a.vector is not None and b.vector is not None else 0.0
    cos = max(cos, 0.0)
    name_overlap = _ratio(names, name_short)
    return np.array(
        [
            _ratio(inter, len(a.stems | b.stems)),
            _ratio(inter, shorter),
            math.log1p(inter),
            _ratio(len(a.bigrams & b.bigrams), min(len(a.bigrams), len(b.bigrams))),
            _ratio(names, len(a.names | b.names)),
            name_overlap,
            float(name_short > 0 and names == 0),
            float(bool(a.numbers & b.numbers)),
            float(conflicting(a.stems, b.stems)),
            _ratio(shorter, max(len(a.stems), len(b.stems))),
            cos,
            cos * cos,
            cos * name_overlap,
        ],
        dtype=np.float64,
    )
