"""Tokens, topic keywords and the TF-IDF vectors of sentences."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
_STOPWORDS = """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says say told s t n't nt mr mrs ms one two new also lrb rrb lsb rsb
    would could may might must shall us"""
STOPWORDS = frozenset(_STOPWORDS.split())
PREFIX_MIN = 5  # a keyword term and a token match when the shorter, this long or longer, starts the other


def tokens(text: str) -> list[str]:
    return [t for t in (m.group(0).casefold() for m in _TOKEN.finditer(text)) if t not in STOPWORDS]


def keyword_terms(
    keywords: Iterable[str], vocabulary: Iterable[str] = (), texts: Iterable[str] = ()
) -> set[str]:
    """Lower-case terms of the topic keywords: phrases split into words, CamelCase split ("LibyaWar" →
    libya, war), a run-together word not in `vocabulary` segmented into vocabulary words ("bpoil" →
    bp, oil) when possible, and an upper-case acronym not in `vocabulary` spelled out by the most frequent
    name in `texts` with those initials ("MJ" → michael, jackson)."""
    vocab = set(vocabulary)
    corpus = list(texts)
    terms: set[str] = set()
    for kw in keywords:
        for word in re.split(r"[\s_/,;:-]+", kw.strip()):
            if word:
                terms.update(_word_terms(word, vocab, corpus))
    return {t for t in terms if t not in STOPWORDS}


def _word_terms(word: str, vocab: set[str], corpus: list[str]) -> list[str]:
    whole = word.casefold()
    if vocab and whole not in vocab and word.isupper() and word.isalpha() and len(word) <= 4:
        name = _acronym_name(word, corpus)
        if name:
            return name
    camel = word.isalpha() and whole not in vocab
    parts = ([p.casefold() for p in _CAMEL.findall(word)] if camel else []) or [whole]
    out: list[str] = []
    for part in parts:
        seg = _segment(part, vocab) if vocab and part not in vocab else None
        out.extend(seg or [part])
    return out


def _acronym_name(acronym: str, corpus: list[str], min_count: int = 3) -> list[str] | None:
    """The words of the most frequent capitalised name whose initials spell `acronym`, if frequent enough."""
    pattern = re.compile(r"\b" + r"\s+".join(f"({ch}[a-z]+)" for ch in acronym) + r"\b")
    counts: Counter[tuple[str, ...]] = Counter()
    for text in corpus:
        counts.update(tuple(w.casefold() for w in m.groups()) for m in pattern.finditer(text))
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return list(name) if n >= min_count else None


def _segment(word: str, vocab: set[str]) -> list[str] | None:
    """`word` as the fewest vocabulary words of at least two letters, or None."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for i in range(1, len(word) + 1):
        for k in range(max(0, i - 30), i - 1):
            prev = best[k]
            if prev is not None and word[k:i] in vocab:
                cand = [*prev, word[k:i]]
                cur = best[i]
                if cur is None or len(cand) < len(cur):
                    best[i] = cand
    result = best[len(word)]
    return result if result and len(result) > 1 else None


def matches_keyword(toks: Sequence[str], terms: set[str]) -> bool:
    """A token equals a term, or one starts the other and the shorter has `PREFIX_MIN` letters or more
    ("financ" → "financial", "syrian" → "syria")."""
    for t in toks:
        if t in terms:
            return True
        for term in terms:
            short, long_ = (t, term) if len(t) <= len(term) else (term, t)
            if len(short) >= PREFIX_MIN and long_.startswith(short):
                return True
    return False


@dataclass
class Index:
    """TF-IDF vectors (L2-normalised rows) of the sentences and whether each names a topic keyword."""

    matrix: sparse.csr_matrix
    has_keyword: np.ndarray


def build_index(texts: Sequence[str], keywords: Iterable[str]) -> Index:
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    df: Counter[int] = Counter()
    toks_all = [tokens(t) for t in texts]
    for i, toks in enumerate(toks_all):
        counts = Counter(vocab.setdefault(t, len(vocab)) for t in toks)
        df.update(counts.keys())
        for c, n in counts.items():
            rows.append(i)
            cols.append(c)
            vals.append(1.0 + math.log(n))
    n_docs = max(1, len(texts))
    idf = np.zeros(len(vocab))
    for c, n in df.items():
        idf[c] = math.log((1 + n_docs) / (1 + n)) + 1.0
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float64)
    m = m @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m = sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)
    terms = keyword_terms(keywords, vocab, texts)
    hits = {t for t in vocab if matches_keyword([t], terms)} if terms else set()
    has_kw = np.array([any(t in hits for t in toks) for toks in toks_all], dtype=bool)
    return Index(m, has_kw)
