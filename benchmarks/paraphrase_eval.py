"""Paraphrase benchmark: does the embedding hook merge reworded statements, and only those?

    python benchmarks/paraphrase_eval.py [--pairs benchmarks/data/paraphrase_pairs.tsv] [--errors]

`benchmarks/data/paraphrase_pairs.tsv` holds 40 pairs of the same statement in other words (or in the
wording of a translation) and 40 hard negatives: statements by the same speaker on the same topic that say
something else (antonyms, negations, other numbers). The pairs were written for this project (CC0).

Each pair goes through a real `StatementMerger` as two reports by the same speaker on the same day; a pair
counts as merged when the second report joins the first. Printed: merged positives (recall) and merged
negatives, precision, for lexical merging alone and with the embedding hook (`saidwhen.embeddings`), and
the hook's cost per call. The PolNeAR-based precision check of the same hook is
`merge_eval.py ../shared/bench/polnear --embeddings`.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from saidwhen.embeddings import EmbeddingsMissingError, load_similarity  # noqa: E402
from saidwhen.merge import Similarity, StatementMerger  # noqa: E402
from saidwhen.model import Statement  # noqa: E402

PAIRS = Path(__file__).resolve().parent / "data" / "paraphrase_pairs.tsv"


def read_pairs(path: Path) -> list[tuple[bool, str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, a, b = line.split("\t")
            rows.append((label == "1", a, b))
    return rows


def merges(a: str, b: str, similarity: Similarity | None) -> bool:
    def report(n: int, text: str) -> Statement:
        return Statement(f"s{n}", f"d{n}", "Speaker", "Speaker", text, "direct", "said", 0, len(text), 0.9, date(2024, 1, 1))

    merger = StatementMerger(similarity=similarity)
    merger.add(report(1, a))
    return merger.add(report(2, b)) is not None


def score(name: str, pairs: list[tuple[bool, str, str]], similarity: Similarity | None, errors: bool) -> None:
    tp = fp = 0
    for positive, a, b in pairs:
        hit = merges(a, b, similarity)
        tp += hit and positive
        fp += hit and not positive
        if errors and hit != positive:
            print(f"    {'missed' if positive else 'false merge'}: {a} | {b}")
    pos = sum(p for p, _, _ in pairs)
    neg = len(pairs) - pos
    precision = tp / (tp + fp) if tp + fp else 1.0
    print(
        f"{name:>16}: paraphrases merged {tp}/{pos} (recall {tp / pos:.3f}), "
        f"hard negatives merged {fp}/{neg}, precision {precision:.3f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--errors", action="store_true", help="print the pairs decided wrongly")
    args = parser.parse_args()
    pairs = read_pairs(args.pairs)
    try:
        similarity = load_similarity()
    except EmbeddingsMissingError as exc:
        sys.exit(str(exc))
    score("lexical only", pairs, None, args.errors)
    score("with embeddings", pairs, similarity, args.errors)
    texts = [t for _, a, b in pairs for t in (a, b)]
    t0 = time.perf_counter()
    for text in texts:
        similarity.encode([text + " ."])  # uncached
    per_text = (time.perf_counter() - t0) / len(texts)
    print(f"embedding: {per_text * 1e6:.0f} µs per new text ({1 / per_text:,.0f} texts/s), model {similarity.name}")


if __name__ == "__main__":
    main()
