"""The transformer attribution tagger: MiniLM-L6 (all-MiniLM-L6-v2, fine-tuned on PolNeAR train by
`scripts/train-attribution-transformer.py`) labelling each token of a paragraph with BIO cue/source/content,
exported to ONNX and quantized to int8, run with onnxruntime (one thread; no torch at run time).

A paragraph's spaCy tokens are the words: each is split into wordpieces by the model's own tokenizer
(`tokenizers`, from `models/attribution-tokenizer.json`), whole sentences are packed into windows of at
most `MAX_WORDPIECES`, and a word takes the label of its first wordpiece. `tag` returns the same
`TaggedRun`s as the CRF (`span_model.SpanModel.tag`), so `span_model.pair` and `accurate.combine` serve both.
The encoding here (`encode`, `windows`) is the one the training script uses."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from saidwhen.statements.span_model import SpanModelMissingError, TaggedRun, tagged_runs

if TYPE_CHECKING:
    from spacy.tokens import Doc

MODEL_DIR = Path(__file__).parent / "models"
ONNX_PATH = MODEL_DIR / "attribution-tagger.onnx"
TOKENIZER_PATH = MODEL_DIR / "attribution-tokenizer.json"
LABELS = ("O", "B-CUE", "I-CUE", "B-SRC", "I-SRC", "B-CON", "I-CON")
MAX_WORDPIECES = 128  # per window, [CLS] and [SEP] included
CLS_ID, SEP_ID = 101, 102
# a one-word 'O' between a content run and the model's 'I-CON' continuing it is read as content
BRIDGE_GAPS = True  # BERT uncased vocabulary (all-MiniLM-L6-v2)
_INSTALL = "pip install 'saidwhen' (it needs onnxruntime and tokenizers: pip install onnxruntime tokenizers)"


@dataclass
class Window:
    """One model input: wordpiece ids ([CLS] … [SEP]) and, per word of the window, the position of its
    first wordpiece (None for a word with no wordpiece, e.g. a whitespace token)."""

    first_word: int  # index of the window's first word in the paragraph
    ids: list[int]
    heads: list[int | None]


def load_tokenizer(path: Path = TOKENIZER_PATH) -> Any:
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise SpanModelMissingError(f"the attribution tagger needs the tokenizers package: {_INSTALL}") from exc
    if not path.is_file():
        raise SpanModelMissingError(f"attribution tokenizer missing: {path} "
                                    "(scripts/train-attribution-transformer.py writes it)")
    tok = Tokenizer.from_file(str(path))
    tok.no_truncation()
    tok.no_padding()
    return tok


def encode(tokenizer: Any, words: list[str]) -> list[list[int]]:
    """The wordpiece ids of each word (no special tokens)."""
    if not words:
        return []
    enc = tokenizer.encode(words, is_pretokenized=True, add_special_tokens=False)
    pieces: list[list[int]] = [[] for _ in words]
    for wid, tid in zip(enc.word_ids, enc.ids, strict=True):
        if wid is not None:
            pieces[wid].append(tid)
    return pieces


def windows(doc: Doc, pieces: list[list[int]], max_pieces: int = MAX_WORDPIECES) -> list[Window]:
    """Whole sentences packed into windows of ≤ `max_pieces` wordpieces; a longer sentence is cut."""
    room = max_pieces - 2
    spans: list[tuple[int, int]] = []  # word ranges
    for sent in doc.sents:
        start, size = sent.start, 0
        for i in range(sent.start, sent.end):
            n = min(len(pieces[i]), room)
            if size + n > room:
                spans.append((start, i))
                start, size = i, 0
            size += n
        spans.append((start, sent.end))
    out: list[Window] = []
    cur: list[tuple[int, int]] = []
    count = 0
    for s, e in spans:
        n = sum(min(len(p), room) for p in pieces[s:e])
        if cur and count + n > room:
            out.append(_window(cur[0][0], cur[-1][1], pieces))
            cur, count = [], 0
        cur.append((s, e))
        count += n
    if cur:
        out.append(_window(cur[0][0], cur[-1][1], pieces))
    return out


def _window(s: int, e: int, pieces: list[list[int]]) -> Window:
    ids = [CLS_ID]
    heads: list[int | None] = []
    for p in pieces[s:e]:
        heads.append(len(ids) if p else None)
        ids.extend(p[:MAX_WORDPIECES - 2])
    ids.append(SEP_ID)
    return Window(s, ids, heads)


def word_labels(n_words: int, wins: list[Window], probs: list[Any]) -> tuple[list[str], list[float]]:
    """Each word's label and its probability from the windows' label probabilities ([pieces, labels]);
    a word with no wordpiece continues a run it sits inside of, else is 'O'."""
    labels = ["O"] * n_words
    conf = [1.0] * n_words
    empty = []
    for w, p in zip(wins, probs, strict=True):
        for k, head in enumerate(w.heads):
            if head is None:
                empty.append(w.first_word + k)
                continue
            best = int(p[head].argmax())
            labels[w.first_word + k] = LABELS[best]
            conf[w.first_word + k] = float(p[head][best])
    for i in empty:
        before, after = labels[i - 1] if i else "O", labels[i + 1] if i + 1 < n_words else "O"
        if before != "O" and after.startswith("I-") and before[2:] == after[2:]:
            labels[i] = after
    if BRIDGE_GAPS:
        for i in range(1, n_words - 1):
            if labels[i] == "O" and labels[i - 1][2:] == "CON" and labels[i + 1] == "I-CON":
                labels[i] = "I-CON"
    return labels, conf


class TransformerTagger:
    """The ONNX tagger; one per process (`load_transformer_tagger`), one onnxruntime thread."""

    def __init__(self, path: Path = ONNX_PATH, tokenizer: Path = TOKENIZER_PATH, threads: int = 1) -> None:
        try:
            import onnxruntime as ort
        except ImportError as exc:
            raise SpanModelMissingError(f"the attribution tagger needs onnxruntime: {_INSTALL}") from exc
        if not path.is_file():
            raise SpanModelMissingError(f"attribution model missing: {path} "
                                        "(scripts/train-attribution-transformer.py writes it)")
        self.tokenizer = load_tokenizer(tokenizer)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def probabilities(self, wins: list[Window]) -> list[Any]:
        """Label probabilities [pieces, labels] of each window (batched, padded)."""
        import numpy as np

        out: list[Any] = []
        for b in range(0, len(wins), 16):
            batch = wins[b:b + 16]
            width = max(len(w.ids) for w in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for j, w in enumerate(batch):
                ids[j, :len(w.ids)] = w.ids
                mask[j, :len(w.ids)] = 1
            (logits,) = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
            e = np.exp(logits - logits.max(axis=-1, keepdims=True))
            out.extend(e / e.sum(axis=-1, keepdims=True))
        return out

    def tag(self, doc: Doc, base: int) -> list[TaggedRun]:
        """The labelled runs of one paragraph (spaCy doc, sentences set) whose text starts at `base`."""
        if not len(doc):
            return []
        wins = windows(doc, encode(self.tokenizer, [t.text for t in doc]))
        labels, conf = word_labels(len(doc), wins, self.probabilities(wins))
        return tagged_runs(doc, base, labels, conf)


@lru_cache(maxsize=1)
def load_transformer_tagger() -> TransformerTagger:
    return TransformerTagger()
