"""The pair model: do two statement texts report the same thing? A logistic regression over
`pair_features` (word overlap, shared numbers and names, number/negation conflicts, a sentence-embedding
cosine), trained on real cross-outlet sentence pairs (ECB+ topics 1–22) by `scripts/train_pair_model.py`;
its weights are `pair_model.json` beside this file (a few hundred bytes), evaluated with numpy alone.
`cosine` says whose cosine it was trained on: the transformer's (`saidwhen.sentence_encoder`, as shipped)
or the static model's.

`cuts` holds the probabilities at which the merge components accept a pair (`merge`, `claim`, chosen on
the training topics); `score` maps a probability onto the scale of the components' hook thresholds, so
that `merge` lands on the statement merger's bar (0.8) and `claim` on the claim linker's (0.9).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from saidwhen.merge.pair_features import FEATURES

WEIGHTS = Path(__file__).with_name("pair_model.json")
MERGE_BAR = 0.8  # StatementMerger's default hook_threshold
CLAIM_BAR = 0.9  # ClaimLinker's default hook_threshold


@dataclass(frozen=True)
class PairModel:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    merge_cut: float
    claim_cut: float
    cosine: str = "static"  # whose cosine the `cosine` feature is: "static" (model2vec) or "transformer"

    @classmethod
    def load(cls, path: Path = WEIGHTS) -> PairModel:
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path} was trained on other features: retrain it (scripts/train_pair_model.py)")
        return cls(
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
            float(data["cuts"]["merge"]),
            float(data["cuts"]["claim"]),
            str(data.get("cosine", "static")),
        )

    def probability(self, features: np.ndarray) -> np.ndarray:
        """P(same) for each row of a (pairs, features) matrix (or one feature vector)."""
        z = ((np.asarray(features) - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def score(self, probability: np.ndarray) -> np.ndarray:
        """Probabilities on the hook scale: `merge_cut` -> 0.8, `claim_cut` -> 0.9, 0 -> 0, 1 -> 1, linear
        in between (monotone: `claim_cut` ≥ `merge_cut`)."""
        xs = [0.0, self.merge_cut, max(self.claim_cut, self.merge_cut + 1e-6), 1.0 + 1e-6]
        return np.interp(probability, xs, [0.0, MERGE_BAR, CLAIM_BAR, 1.0])

    def to_json(self, path: Path, *, trained_on: str) -> None:
        data = {
            "features": list(FEATURES),
            "mean": self.mean.round(6).tolist(),
            "scale": self.scale.round(6).tolist(),
            "coef": self.coef.round(6).tolist(),
            "intercept": round(self.intercept, 6),
            "cuts": {"merge": round(self.merge_cut, 6), "claim": round(self.claim_cut, 6)},
            "cosine": self.cosine,
            "trained_on": trained_on,
        }
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
