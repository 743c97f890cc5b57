"""Train the pair model (`saidwhen.merge.pair_model`) on ECB+ topics 1–22 and write its weights.

    python scripts/train_pair_model.py ../shared/bench/ecbplus [--out src/saidwhen/merge/pair_model.json]

Pairs as in `benchmarks/ecbplus_pairs.py` (positives: sentences of different articles about the same
happening; hard negatives: the topic's other event), topics 1–22 only; features from
`saidwhen.merge.pair_features` with the packaged static embeddings (`scripts/build-embeddings.sh`);
scikit-learn's logistic regression (deterministic: lbfgs, fixed data order). The cuts are chosen on the same
topics, end to end through the real components (`benchmarks/pairs_eval.py`'s wrapping): the cut with the
largest recall gain over token Jaccard at equal precision, among those whose precision reaches
`--merge-precision` (statement merging, same day) and `--claim-precision` (claims, 12 days apart).
Topics 23–35 are never read.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sklearn.linear_model import LogisticRegression  # noqa: E402

from ecbplus_pairs import TRAIN_TOPICS, Pair, make_pairs  # noqa: E402
from pairs_eval import claimed, jaccard, merged, prf, threshold_at_precision  # noqa: E402
from saidwhen.embeddings import EmbeddingSimilarity, load_similarity  # noqa: E402
from saidwhen.merge.pair_features import describe, pair_features  # noqa: E402
from saidwhen.merge.pair_model import WEIGHTS, PairModel  # noqa: E402


def features(pairs: list[Pair], hook: EmbeddingSimilarity) -> np.ndarray:
    texts = list(dict.fromkeys(t for p in pairs for t in (p.a.text, p.b.text)))
    described = {t: describe(t, v) for t, v in zip(texts, hook.encode(texts), strict=True)}
    return np.stack([pair_features(described[p.a.text], described[p.b.text]) for p in pairs])


def choose_cut(pairs: list[Pair], model: PairModel, decide, which: str, min_precision: float,
               hook_model: object) -> float:
    """The cut with the largest recall gain over Jaccard at equal precision, end to end on these pairs."""
    pairs = random.Random(5).sample(pairs, min(len(pairs), 3000))  # end-to-end runs cost ≈ 1 ms a pair
    gold = np.array([p.positive for p in pairs])
    jac = np.array([jaccard(p) for p in pairs])
    best_cut, best_gain = 0.5, -1.0
    for cut in np.arange(0.30, 0.96, 0.05):
        trial = PairModel(model.mean, model.scale, model.coef, model.intercept,
                          *((cut, max(cut, model.claim_cut)) if which == "merge" else (min(cut, model.merge_cut), cut)))
        hook = EmbeddingSimilarity(hook_model, pair_model=trial)
        hits = np.array([decide(p, hook) for p in pairs])
        precision, recall, _ = prf(gold, hits)
        if precision < min_precision:
            continue
        _, jac_recall, _ = prf(gold, jac >= threshold_at_precision(gold, jac, precision))
        gain = recall - jac_recall
        print(f"  {which} cut {cut:.2f}: P {precision:.3f} R {recall:.3f}, Jaccard R {jac_recall:.3f}, gain {gain:+.3f}")
        if gain > best_gain:
            best_cut, best_gain = float(cut), gain
    return best_cut


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="the ECB+ folder")
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    parser.add_argument("--merge-precision", type=float, default=0.85)
    parser.add_argument("--claim-precision", type=float, default=0.85)
    args = parser.parse_args()
    pairs = make_pairs(args.data, TRAIN_TOPICS)
    hook = load_similarity(pair=False)
    x = features(pairs, hook)
    y = np.array([p.positive for p in pairs])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    model = PairModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]), 0.5, 0.6)
    merge_cut = choose_cut(pairs, model, merged, "merge", args.merge_precision, hook.model)
    model = PairModel(mean, scale, model.coef, model.intercept, merge_cut, max(merge_cut, model.claim_cut))
    claim_cut = choose_cut(pairs, model, claimed, "claim", args.claim_precision, hook.model)
    model = PairModel(mean, scale, model.coef, model.intercept, merge_cut, max(claim_cut, merge_cut))
    model.to_json(args.out, trained_on=f"ECB+ topics 1-22, {len(pairs)} pairs ({int(y.sum())} positive)")
    print(f"wrote {args.out}: merge cut {model.merge_cut:.2f}, claim cut {model.claim_cut:.2f}")


if __name__ == "__main__":
    main()
