"""The documents and statements of a store as input to the summariser (`saidwhen timeline --summary`).

The store keeps each article's original text, its cleaned text and the spans the cleaner removed, but not
the map from cleaned to original characters; the text is cleaned again, the lines learned as repeated at
ingest removed again, so that every summary sentence points into the original text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from saidwhen.clean import REPEATED, RepeatedLines, clean_text
from saidwhen.clean.repeated import line_key
from saidwhen.model import Document, Statement
from saidwhen.serialize import document_from_record, statement_from_record
from saidwhen.store import Store
from saidwhen.store import queries as q
from saidwhen.tls.config import TLSConfig

MAX_DOCUMENTS = 20_000  # a bound on what one summary reads


class ReplayedLines(RepeatedLines):
    """The lines removed from one document as repeated at ingest, removed again when it is re-cleaned."""

    def __init__(self, text: str, removed: Iterable[dict[str, Any]]) -> None:
        super().__init__()
        self.keys = {
            line_key(line)
            for r in removed
            if r["reason"] == REPEATED
            for line in text[r["start"] : r["end"]].splitlines()
        }

    def is_repeated(self, line: str, outlet: str | None = None) -> bool:
        return line_key(line) in self.keys


def document_of(record: dict[str, Any]) -> Document:
    """A stored document (`Store.document`) with its cleaned text and offset map rebuilt."""
    text = record.get("text") or ""
    clean = clean_text(text, ReplayedLines(text, record.get("removed") or []), record.get("outlet"))
    return document_from_record(record, clean)


def _shift(day: str | None, days: int) -> str | None:
    return None if day is None else (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def store_documents(
    store: Store,
    *,
    topic: str | None = None,
    speaker: str | None = None,
    event_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
    config: TLSConfig | None = None,
) -> tuple[list[Document], list[Statement]]:
    """The documents that may speak about [since, until] (published up to `max_days_ahead` before and
    `max_days_back` after it), matching `topic` (full text), quoting `speaker`, of `event_id`; and their
    statements."""
    cfg = config or TLSConfig()
    rows = store.documents(query=topic or None, event_id=event_id, since=_shift(since, -cfg.max_days_ahead),
                           until=_shift(until, cfg.max_days_back), limit=MAX_DOCUMENTS)  # fmt: skip
    ids = [r["id"] for r in rows if r["published"] and not r["duplicate_of"]]
    if speaker:
        quoting = {r["document_id"] for r in q.filtered_statements(store, speaker=speaker)}
        ids = [i for i in ids if i in quoting]
    docs = [document_of(rec) for i in ids if (rec := store.document(i)) is not None]
    statements = [statement_from_record(r) for r in q.statements_where(store, "document_id", ids)]
    return docs, statements
