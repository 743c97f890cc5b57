"""Train the pair model (`saidwhen.merge.pair_model`) on ECB+ topics 1–22 and write its weights.

    python scripts/train_pair_model.py ../shared/bench/ecbplus [--out src/saidwhen/merge/pair_model.json] [--select]

Pairs as in `benchmarks/ecbplus_pairs.py` (positives: sentences of different articles about the same
happening; hard negatives: the topic's other event), topics 1–22 only; features from
`saidwhen.merge.pair_features`, the cosine from the transformer (`saidwhen.sentence_encoder`, built by
`scripts/build-embeddings.sh`); scikit-learn's logistic regression (deterministic: lbfgs, fixed data order).
`--select` prints, instead, the grouped cross-validation (4 folds of whole topics, 8 shuffles) of the
feature set against token Jaccard: recall gain at equal precision, each fold's own operating points. The cuts are chosen on the same
topics, end to end through the real components (`benchmarks/pairs_eval.py`'s wrapping): the cut with the
largest recall gain over token Jaccard at equal precision, among those whose precision reaches
`--merge-precision` (statement merging, same day) and `--claim-precision` (claims, 12 days apart).
Topics 23–35 are never read.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sklearn.linear_model import LogisticRegression  # noqa: E402

from ecbplus_pairs import TRAIN_TOPICS, Pair, make_pairs  # noqa: E402
from pairs_eval import claimed, jaccard, merged, prf, threshold_at_precision  # noqa: E402
from saidwhen.embeddings import EmbeddingSimilarity, load_encoder, load_similarity  # noqa: E402
from saidwhen.merge.pair_features import FEATURES, conflict, pair_features  # noqa: E402
from saidwhen.merge.pair_model import WEIGHTS, PairModel  # noqa: E402


def features(pairs: list[Pair], hook: EmbeddingSimilarity) -> tuple[np.ndarray, np.ndarray]:
    """The pairs' feature rows, and which pairs the conflict check vetoes (the model never sees those)."""
    texts = list(dict.fromkeys(t for p in pairs for t in (p.a.text, p.b.text)))
    described = dict(zip(texts, hook.describe_texts(texts), strict=True))
    rows = np.stack([pair_features(described[p.a.text], described[p.b.text]) for p in pairs])
    return rows, np.array([conflict(described[p.a.text], described[p.b.text]) for p in pairs])


def fit(x: np.ndarray, y: np.ndarray) -> PairModel:
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return PairModel(mean, scale, lr.coef_[0], float(lr.intercept_[0]), 0.5, 0.6)


def recall_at(gold: np.ndarray, scores: np.ndarray, precision: float) -> float:
    """The highest recall of a threshold on `scores` whose precision reaches `precision`."""
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(gold[order])
    ok = hits / np.arange(1, len(gold) + 1) >= precision
    return float(hits[ok].max() / gold.sum()) if ok.any() else 0.0


def select(pairs: list[Pair], x: np.ndarray, y: np.ndarray, vetoed: np.ndarray, static_cos: np.ndarray) -> None:
    """Grouped cross-validation on the training topics: each fold's model against token Jaccard, both at
    their own thresholds on the held-out topics, at several precisions; the model's score is 0 for the pairs
    the conflict check vetoes (as in the merge components). The features as shipped (trained on all pairs,
    and on the pairs the veto lets through only), then with the static model's cosine instead of the
    transformer's, and with no cosine (cheap features alone)."""
    topics = np.array([p.topic for p in pairs])
    jac = np.array([jaccard(p) for p in pairs])
    levels = (0.80, 0.85, 0.90, 0.95)
    cos = FEATURES.index("cosine")
    print(f"features: {', '.join(FEATURES)}")
    everything = np.ones(len(y), dtype=bool)
    for name, rows, use in (
        ("as shipped, trained on all pairs", x, everything),
        ("as shipped, trained on the pairs not vetoed", x, ~vetoed),
        ("static cosine instead of the transformer's", np.column_stack([np.delete(x, cos, 1), static_cos]), everything),
        ("no cosine (cheap features alone)", np.delete(x, cos, 1), everything),
    ):
        rng = np.random.default_rng(0)
        gains = []
        for _ in range(8):
            for held in np.array_split(rng.permutation(np.unique(topics)), 4):
                test = np.isin(topics, held)
                model = fit(rows[~test & use], y[~test & use])
                prob = np.where(vetoed[test], 0.0, model.probability(rows[test]))
                gains.append([recall_at(y[test], prob, p) - recall_at(y[test], jac[test], p) for p in levels])
        mean = np.asarray(gains).mean(axis=0)
        print(f"{name}: grouped CV recall gain over Jaccard at precision " + ", ".join(
            f"{p:.2f}: {g:+.3f}" for p, g in zip(levels, mean, strict=True)))


def choose_cut(pairs: list[Pair], model: PairModel, decide, which: str, min_precision: float,
               hook: EmbeddingSimilarity) -> float:
    """The cut with the largest recall gain over Jaccard at equal precision, end to end on these pairs."""
    pairs = random.Random(5).sample(pairs, min(len(pairs), 3000))  # end-to-end runs cost ≈ 1 ms a pair
    gold = np.array([p.positive for p in pairs])
    jac = np.array([jaccard(p) for p in pairs])
    best_cut, best_gain = 0.5, -1.0
    for cut in np.arange(0.30, 0.96, 0.05):
        hook.pair_model = (replace(model, merge_cut=cut, claim_cut=max(cut, model.claim_cut)) if which == "merge"
                           else replace(model, merge_cut=min(cut, model.merge_cut), claim_cut=cut))  # fmt: skip
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
    parser.add_argument("--claim-precision", type=float, default=0.90)
    parser.add_argument("--select", action="store_true", help="print the grouped cross-validation only")
    parser.add_argument("--unvetoed", action="store_true", help="fit on the pairs the conflict check lets through")
    parser.add_argument("--cosine", choices=("static", "transformer"), default="transformer",
                        help="the cosine feature from the transformer (default, as shipped) or the static model")
    args = parser.parse_args()
    pairs = make_pairs(args.data, TRAIN_TOPICS)
    static = load_similarity(pair=False)
    encoder = load_encoder() if args.cosine == "transformer" else None
    hook = EmbeddingSimilarity(static.model, name=static.name, encoder=encoder)
    x, vetoed = features(pairs, hook)
    y = np.array([p.positive for p in pairs])
    if args.select:
        texts = list(dict.fromkeys(t for p in pairs for t in (p.a.text, p.b.text)))
        static_vec = dict(zip(texts, static.encode(texts), strict=True))
        static_cos = np.array([max(0.0, float(static_vec[p.a.text] @ static_vec[p.b.text])) for p in pairs])
        select(pairs, x, y, vetoed, static_cos)
        return
    model = fit(x[~vetoed], y[~vetoed]) if args.unvetoed else fit(x, y)
    model = replace(model, cosine=args.cosine)
    hook.pair_model = model  # the same hook: the texts' descriptions stay cached for the end-to-end runs
    merge_cut = choose_cut(pairs, model, merged, "merge", args.merge_precision, hook)
    model = replace(model, merge_cut=merge_cut, claim_cut=max(merge_cut, model.claim_cut))
    claim_cut = choose_cut(pairs, model, claimed, "claim", args.claim_precision, hook)
    model = replace(model, claim_cut=max(claim_cut, merge_cut))
    model.to_json(args.out, trained_on=f"ECB+ topics 1-22, {len(pairs)} pairs ({int(y.sum())} positive)")
    print(f"wrote {args.out}: merge cut {model.merge_cut:.2f}, claim cut {model.claim_cut:.2f}")


if __name__ == "__main__":
    main()
