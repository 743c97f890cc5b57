"""Statement merging and claim linking on real cross-outlet sentence pairs (ECB+), beside token Jaccard.

    python benchmarks/pairs_eval.py ../shared/bench/ecbplus [--no-embeddings | --pair-model] [--errors N]

Pairs (`ecbplus_pairs.py`): two sentences of different articles that mention the same happening
(positives) and two sentences of one topic about its two different events (hard negatives). Each pair is
wrapped as two outlets' reports by one speaker and run through the real merge components: a
`StatementMerger` with both reports on one day (merging), and a `ClaimLinker` with the second report 12
days after the first (claims); a pair counts as linked when the second report joins the first. The
similarity hook is the one `analyze` and `ingest` use by default (`saidwhen.embeddings.resolve`: the cosine
of the packaged embeddings when the model is built, else lexical only); `--pair-model` uses the pair model
(`saidwhen.merge.pair_model`, trained on topics 1–22 by `scripts/train_pair_model.py`) instead; the time
its transformer takes to encode the distinct sentences is printed apart from the per-pair times.

Printed for topics 23–35 (nothing is tuned on them): P/R/F1 of the merge code; token Jaccard (lower-cased
word sets) at the threshold with the best F1 on topics 1–22; Jaccard at the precision of the merge code
(the lowest threshold whose precision on topics 1–22 reaches the merge code's precision there), and, as an
upper bound for Jaccard, the threshold that reaches the merge code's precision on topics 23–35 themselves;
with the recall gain of the merge code over both: the target is ≥ 0.10 for merging and for claims.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ecbplus_pairs import TEST_TOPICS, TRAIN_TOPICS, Pair, make_pairs  # noqa: E402
from saidwhen.embeddings import load_similarity, resolve  # noqa: E402
from saidwhen.merge import ClaimLinker, Similarity, StatementMerger  # noqa: E402
from saidwhen.merge._text import tokens  # noqa: E402
from saidwhen.model import Statement  # noqa: E402

DAY = date(2024, 5, 6)
LATER = DAY + timedelta(days=12)
SPEAKER = "Alex Morgan"


def report(sid: str, text: str, when: date) -> Statement:
    return Statement(sid, f"doc-{sid}", SPEAKER, SPEAKER, text, "direct", "said", 0, len(text), 0.9, when)


def merged(pair: Pair, similarity: Similarity | None) -> bool:
    merger = StatementMerger(similarity=similarity)
    merger.add(report("a", pair.a.text, DAY))
    return merger.add(report("b", pair.b.text, DAY)) is not None


def claimed(pair: Pair, similarity: Similarity | None) -> bool:
    linker = ClaimLinker(similarity=similarity)
    linker.add(report("a", pair.a.text, DAY))
    return linker.add(report("b", pair.b.text, LATER)) is not None


def jaccard(pair: Pair) -> float:
    a, b = set(tokens(pair.a.text)), set(tokens(pair.b.text))
    return len(a & b) / len(a | b) if a | b else 0.0


def prf(gold: np.ndarray, hit: np.ndarray) -> tuple[float, float, float]:
    tp = float((gold & hit).sum())
    p = tp / hit.sum() if hit.sum() else 1.0
    r = tp / gold.sum() if gold.sum() else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def best_f1_threshold(gold: np.ndarray, scores: np.ndarray) -> float:
    cands = np.unique(scores)
    return float(max(cands, key=lambda t: (prf(gold, scores >= t)[2], -t)))


def threshold_at_precision(gold: np.ndarray, scores: np.ndarray, precision: float) -> float:
    """The lowest threshold whose precision reaches `precision` (the highest score when none does)."""
    for t in np.unique(scores):
        if prf(gold, scores >= t)[0] >= precision - 1e-9:
            return float(t)
    return float(scores.max()) + 1e-9


def evaluate(name: str, decide, train: list[Pair], test: list[Pair], similarity: Similarity | None,
             errors: int) -> None:
    start = time.perf_counter()
    hits = {split: np.array([decide(p, similarity) for p in pairs]) for split, pairs in (("train", train), ("test", test))}
    per_pair = (time.perf_counter() - start) / (len(train) + len(test))
    gold = {split: np.array([p.positive for p in pairs]) for split, pairs in (("train", train), ("test", test))}
    jac = {split: np.array([jaccard(p) for p in pairs]) for split, pairs in (("train", train), ("test", test))}
    p, r, f = prf(gold["test"], hits["test"])
    p_train = prf(gold["train"], hits["train"])[0]
    t_f1 = best_f1_threshold(gold["train"], jac["train"])
    t_eq = threshold_at_precision(gold["train"], jac["train"], p_train)
    jp, jr, jf = prf(gold["test"], jac["test"] >= t_f1)
    ep, er, ef = prf(gold["test"], jac["test"] >= t_eq)
    t_oracle = threshold_at_precision(gold["test"], jac["test"], p)
    op, orr, of = prf(gold["test"], jac["test"] >= t_oracle)
    print(f"{name} (topics 23-35: {int(gold['test'].sum())} positives, {int((~gold['test']).sum())} negatives)")
    print(f"  merge code            P {p:.3f}  R {r:.3f}  F1 {f:.3f}   ({1000 * per_pair:.2f} ms a pair)")
    print(f"  Jaccard >= {t_f1:.3f}       P {jp:.3f}  R {jr:.3f}  F1 {jf:.3f}   (best F1 on topics 1-22)")
    print(f"  Jaccard >= {t_eq:.3f}       P {ep:.3f}  R {er:.3f}  F1 {ef:.3f}   (the merge code's precision on 1-22, "
          f"{p_train:.3f})")
    print(f"  Jaccard >= {t_oracle:.3f}       P {op:.3f}  R {orr:.3f}  F1 {of:.3f}   (threshold chosen on 23-35 itself to "
          "reach the merge code's precision there: an upper bound for Jaccard)")
    print(f"  recall gain at equal precision: {r - er:+.3f} against the threshold matched on 1-22, {r - orr:+.3f} "
          "against the one matched on 23-35 (target ≥ +0.10)")
    shown = 0
    for pair, hit in zip(test, hits["test"], strict=True):
        if shown < errors and hit != pair.positive:
            shown += 1
            print(f"    {'missed' if pair.positive else 'false link'}: {pair.a.text} | {pair.b.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="the ECB+ folder")
    parser.add_argument("--no-embeddings", action="store_true", help="lexical merging only")
    parser.add_argument("--pair-model", action="store_true", help="the pair model as the similarity hook")
    parser.add_argument("--errors", type=int, default=0, help="print this many wrong decisions")
    args = parser.parse_args()
    train, test = make_pairs(args.data, TRAIN_TOPICS), make_pairs(args.data, TEST_TOPICS)
    similarity = None if args.no_embeddings else load_similarity(pair=True) if args.pair_model else resolve(None)
    print(f"similarity hook: {similarity.name if similarity else 'none (lexical only)'}")
    if similarity is not None and similarity.encoder is not None:
        texts = list(dict.fromkeys(t for p in train + test for t in (p.a.text, p.b.text)))
        start = time.perf_counter()
        similarity.describe_texts(texts)  # the transformer's part, timed apart (then cached per text)
        spent = time.perf_counter() - start
        print(f"transformer: {len(texts)} distinct sentences in {spent:.1f} s ({1000 * spent / len(texts):.1f} ms a "
              "sentence, one core); the per-pair times below exclude it")
    evaluate("statement merging, same day", merged, train, test, similarity, args.errors)
    evaluate("claims, 12 days apart", claimed, train, test, similarity, args.errors)


if __name__ == "__main__":
    main()
