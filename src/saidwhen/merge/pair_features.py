"""What the pair model (`saidwhen.merge.pair_model`) looks at in two statement texts.

Each text is described once (`describe`: its word set, content stems, capitalised names, numbers, and its
sentence embedding when a model gives one); `pair_features` compares two descriptions with cheap set
arithmetic. The features are few on purpose: chosen by grouped cross-validation over the ECB+ training
topics (`scripts/train_pair_model.py --select`), larger sets fitted the training topics better and the
others worse. The names of the features (`FEATURES`) are stored beside the model's weights, so a model
trained with other features is refused rather than misread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from saidwhen.merge._text import STOP_CAPS, content_stems, entities, normalise, tokens
from saidwhen.merge.conflict import conflicting, numbers

FEATURES = (
    "token_jaccard", "numbers_conflict", "negation_mismatch", "numbers_shared", "name_overlap", "cosine",
)  # fmt: skip


@dataclass(frozen=True)
class Described:
    words: frozenset[str]
    stems: frozenset[str]
    names: frozenset[str]
    numbers: frozenset[str]
    vector: np.ndarray | None = None


def describe(text: str, vector: np.ndarray | None = None) -> Described:
    stems = content_stems(text)
    names = frozenset(n for n in (normalise(e) for e in entities(text, limit=20)) if n not in STOP_CAPS)
    return Described(frozenset(tokens(text)), frozenset(stems), names, numbers(stems), vector)


def _ratio(inter: int, size: int) -> float:
    return inter / size if size else 0.0


def conflict(a: Described, b: Described) -> bool:
    """The wordings cannot say the same thing (`saidwhen.merge.conflict`): the pair model never links them."""
    return conflicting(a.stems, b.stems)


def pair_features(a: Described, b: Described) -> np.ndarray:
    """The feature vector of a pair, in the order of `FEATURES` (symmetric in a and b)."""
    na, nb = a.numbers, b.numbers
    cos = float(a.vector @ b.vector) if a.vector is not None and b.vector is not None else 0.0
    return np.array(
        [
            _ratio(len(a.words & b.words), len(a.words | b.words)),
            float(bool(na) and bool(nb) and not (na <= nb or nb <= na)),
            float(("not" in a.stems) != ("not" in b.stems)),
            float(bool(na & nb)),
            _ratio(len(a.names & b.names), min(len(a.names), len(b.names))),
            max(cos, 0.0),
        ],
        dtype=np.float64,
    )
