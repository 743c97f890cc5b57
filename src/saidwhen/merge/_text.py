"""Cheap, deterministic text features shared by the merge components.

Tokens, a light English stemmer ("doors are open" and "door is open" share `door`, `open`), content stems
(stop words removed, negation kept as the token `not` so "will" and "will not" never look alike),
32-bit token / shingle hashes (crc32 + murmur3 finaliser; Python's `hash` is salted per process), and
capitalised-word entities.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from functools import lru_cache

import numpy as np

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# a number with thousands separators and/or a decimal part ("1,500", "2.5", "1,234.75") is one token; the
# other words as `_WORD`
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+\.\d+|[^\W_]+(?:'[^\W_]+)*")
# "No. 2", "No 10 Downing Street", "nos. 4 and 5": the abbreviation of "number", not a negation (lower-case
# "no" before a number only with its full stop: "no 2 cases are alike" is a negation)
_NUMBER_ABBREV = re.compile(r"\b(?:[Nn]os?\.|NOS?\.?|Nos?)\s*(?=\d)")


def words(text: str) -> list[str]:
    """Whitespace-separated words of a literal (word lists below)."""
    return text.split()


STOPWORDS = frozenset(
    words("""a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just let me more
    most my myself of off on once only or other our ours ourselves out over own same shall she should so
    some such than that the their theirs them themselves then there these they this those through to too
    under until up very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t d ll m re ve said says say told tell tells according mr mrs ms dr
    one us going get got gets make makes made well even much many like now""")
)
_CLITICS = frozenset({"s", "re", "ll", "ve", "d", "m"})
NEGATIONS = frozenset({"not", "no", "never", "nor", "cannot", "n't", "none", "neither", "nobody", "nothing"})
# a negative subject ("nobody", "no one", "no outside power") before one of these within four words asserts
# the thing they would stop: "nobody can prevent X's membership", "no one can stop X", "nobody doubts that
# X" say X (both words are dropped; "we will not stop" keeps its negation)
NEGATIVE_SUBJECTS = frozenset(words("no nobody nothing none"))
PREVENTING = frozenset(words("prevent prevents stop stops block blocks halt veto deny doubt doubts hinder obstruct"))

_IRREGULAR = {
    "is": "be",
    "are": "be",
    "was": "be",
    "were": "be",
    "been": "be",
    "am": "be",
    "being": "be",
    "has": "have",
    "had": "have",
    "having": "have",
    "does": "do",
    "did": "do",
    "done": "do",
    "men": "man",
    "women": "woman",
    "children": "child",
    "won": "win",
    "wo": "will",
    "ca": "can",
    "sha": "shall",
    "became": "becom",
    "went": "go",
    "gone": "go",
    "saw": "see",
    "seen": "see",
}

MONTHS = frozenset(
    words(
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec"
    )
)
WEEKDAYS = frozenset(words("monday tuesday wednesday thursday friday saturday sunday"))
STOP_CAPS = (
    STOPWORDS
    | MONTHS
    | WEEKDAYS
    | frozenset(
        words("""however meanwhile but and the a an he she it they we i you his her their our this that these those
    there here while when where what who why how after before although though if yes no not mr mrs ms dr
    read share also more related photo image video advertisement click subscribe follow copyright
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow""")
    )
)


def normalise(text: str) -> str:
    """NFKC, unified quotes, lower case."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()


def stem(word: str) -> str:
    """A light suffix stripper: plural, possessive, -ing, -ed, -ly, final -e. Deterministic, no data."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("'s"):
        word = word[:-2]
    n = len(word)
    if n <= 3:
        return word
    if word.endswith("ies") and n > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    n = len(word)
    for suffix, minimum in (("ing", 6), ("ed", 5), ("ly", 6)):
        if word.endswith(suffix) and n >= minimum:
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            return word
    if word.endswith("ship") and len(word) >= 9:  # membership, leadership, partnership -> member, leader, ...
        return word[:-4]
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def number_token(tok: str) -> str:
    """A number written with separators or decimals in one canonical form: "1,500" -> "1500", "02.50" ->
    "2.5", "3.0" -> "3" (other tokens unchanged)."""
    if not tok[:1].isdigit():
        return tok
    whole, _, frac = tok.replace(",", "").partition(".")
    whole = whole.lstrip("0") or "0"
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; contractions split so that "won't" gives `will`, `not`; a number with
    thousands separators or decimals is one token in canonical form (`number_token`); "No. 2" is
    `number`, `2`."""
    return list(_tokens(text))


@lru_cache(maxsize=64)  # the components of a merge tokenise the same text one after the other
def _tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for tok in _TOKEN.findall(normalise(_NUMBER_ABBREV.sub("number ", text))):
        if "," in tok or "." in tok:  # only a number has them
            out.append(number_token(tok))
        elif tok.endswith("n't"):
            base = tok[:-3]
            out.append(_IRREGULAR.get(base, base) if base else "not")
            out.append("not")
        elif tok == "cannot":
            out.extend(("can", "not"))
        elif "'" in tok:  # NATO's, we're, there's, they'll: keep the word, drop the clitic
            base, _, clitic = tok.rpartition("'")
            out.append(base if clitic in _CLITICS else tok)
        else:
            out.append(tok)
    return tuple(out)


_STEM_CACHE: dict[str, str] = {}


def content_stems(text: str) -> list[str]:
    """Stems of the non-stop-word tokens, in order; every negation becomes `not`."""
    return list(_content_stems(text))


@lru_cache(maxsize=64)
def _content_stems(text: str) -> tuple[str, ...]:
    cache = _STEM_CACHE
    if len(cache) > 400_000:
        cache.clear()
    out: list[str] = []
    toks = _tokens(text)
    skip = -1  # the position of a preventing verb whose negation was dropped
    for k, tok in enumerate(toks):
        if k == skip:
            continue
        s = cache.get(tok)
        if s is None:
            if tok in NEGATIONS:
                s = "not"
            elif tok in STOPWORDS:
                s = ""
            else:
                s = stem(tok)
                s = "" if s in STOPWORDS else s
            cache[tok] = s
        if tok in NEGATIVE_SUBJECTS:
            ahead = next((j for j in range(k + 1, min(k + 5, len(toks))) if toks[j] in PREVENTING), -1)
            if ahead >= 0:
                skip = ahead
                continue
        if s:
            out.append(s)
    return tuple(out)


# --- hashing -------------------------------------------------------------------------------------------

_HASH_CACHE: dict[str, int] = {}
_MAX_CACHE = 400_000
M32 = np.uint32(0xFFFFFFFF)


def fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3 32-bit finaliser on a uint32 array (the pre-mix datasketch's affine32 scheme applies)."""
    h = h.astype(np.uint32, copy=True)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h


def token_hashes(words: list[str]) -> np.ndarray:
    """crc32 of each word (cached), as uint32."""
    cache = _HASH_CACHE
    if len(cache) > _MAX_CACHE:
        cache.clear()
    out = []
    for w in words:
        h = cache.get(w)
        if h is None:
            h = cache[w] = zlib.crc32(w.encode("utf-8", "surrogatepass"))
        out.append(h)
    return np.fromiter(out, dtype=np.uint32, count=len(out))


def shingle_hashes(words: list[str], k: int) -> np.ndarray:
    """Distinct 32-bit hashes of the word k-shingles (all words when there are fewer than k)."""
    if not words:
        return np.empty(0, dtype=np.uint32)
    h = token_hashes(words)
    if len(words) < k or k <= 1:
        return np.unique(fmix32(h))
    n = len(words) - k + 1
    acc = h[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            acc = fmix32(acc * np.uint32(0x9E3779B1) + h[j : j + n])
    return np.unique(acc)


def string_hash64(*parts: str | int) -> int:
    """A deterministic 64-bit hash of some parts (crc32 of two differently-salted encodings)."""
    data = "\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")
    return (zlib.crc32(data) << 32) | zlib.crc32(b"\x9e" + data)


# --- entities --------------------------------------------------------------------------------------------

_CAP = re.compile(r"\b(?:[A-Z][a-z]+(?:['’-][A-Za-z]+)*\b|[A-Z]{2,}[a-z]?\b|[A-Z]\.(?:[A-Z]\.)+)")


def entities(text: str, limit: int = 12) -> list[str]:
    """The most frequent capitalised words (names, places, organisations), lower-cased (`entity_counts`)."""
    return [w for w, _ in entity_counts(text, limit)]


def entity_counts(text: str, limit: int = 12) -> list[tuple[str, int]]:
    """The most frequent capitalised words (names, places, organisations), lower-cased, with their counts.

    Words that also occur in lower case in the text (sentence-initial "Officials") and stop words are
    dropped; words in the first third of the text count double (the lead names the event, background
    paragraphs come later). Ties break alphabetically, so the result only depends on the text.
    """
    lower = set(_WORD.findall(text))
    counts: Counter[str] = Counter()
    third = len(text) // 3
    for m in _CAP.finditer(text):
        word = m.group(0)
        word = word[:-2] if word.endswith(("'s", "’s")) else word
        key = word.lower()
        if len(key) < 2 or key in STOP_CAPS or (word[0].isupper() and word[1:].islower() and key in lower):
            continue
        counts[key] += 2 if m.start() < third else 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
