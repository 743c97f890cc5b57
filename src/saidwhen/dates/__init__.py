"""Dates: time expressions, publication dates, when each statement was made.

- `find_timexes(text, anchor)`: rule-based time expression tagger with TimeML values (`timex`).
- `infer_published(raw, clean)`: publication date and how it was obtained (`published`).
- `date_statements(doc, statements)`: sets `Statement.date` / `date_from` in place (`statement_dates`).
"""

from __future__ import annotations

from .published import infer_from_text, infer_published, is_caption
from .statement_dates import date_statements, sentence_spans
from .timex import find_timexes, tense_hint

__all__ = [
    "date_statements",
    "find_timexes",
    "infer_from_text",
    "infer_published",
    "is_caption",
    "sentence_spans",
    "tense_hint",
]
