"""JSON: a timeline as built, and the store in the published schema (docs/schema.md)."""

from __future__ import annotations

import json
from typing import Any

from saidwhen.store import Store

DOCUMENT_FIELDS = ["id", "source_path", "source_key", "title", "url", "outlet", "language", "published",
                   "published_from", "published_range", "duplicate_of", "event_id"]  # fmt: skip
STATEMENT_FIELDS = ["id", "document_id", "speaker", "speaker_mention", "text", "kind", "cue", "start", "end",
                    "confidence", "date", "date_from", "claim_id", "merged_id", "speaker_type"]  # fmt: skip
PAGE = 5000


def timeline_json(timeline: dict[str, Any]) -> str:
    return json.dumps(timeline, ensure_ascii=False, indent=2) + "\n"


def store_json(
    store: Store,
    *,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
    with_text: bool = False,
) -> dict[str, Any]:
    """`{"documents", "statements", "events", "claims", "merged_statements"}` with the schema's fields.

    With a speaker or dates, only the matching statements and the documents, claims and merged statements
    they belong to are kept; events are kept when one of their documents is.
    """
    statements: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = store.statements(speaker=speaker, since=since, until=until, limit=PAGE, offset=offset)
        statements.extend({k: row[k] for k in STATEMENT_FIELDS} for row in page)
        if len(page) < PAGE:
            break
        offset += PAGE
    filtered = bool(speaker or since or until)
    doc_ids = {s["document_id"] for s in statements}
    documents: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = store.documents(limit=PAGE, offset=offset)
        for row in page:
            if filtered and row["id"] not in doc_ids:
                continue
            record = {k: row.get(k) for k in DOCUMENT_FIELDS}
            if with_text:
                full = store.document(row["id"]) or {}
                record["text"] = full.get("text")
            documents.append(record)
        if len(page) < PAGE:
            break
        offset += PAGE
    kept_docs = {d["id"] for d in documents}
    st_ids = {s["id"] for s in statements}
    events = [e for e in store.events(limit=10**9) if not filtered or kept_docs.intersection(e["document_ids"])]
    claims = [c for c in store.claims(limit=10**9) if not filtered or st_ids.intersection(c["statement_ids"])]
    merged_ids = {s["merged_id"] for s in statements if s["merged_id"]}
    merged = sorted(store.merged_statements(merged_ids).values(), key=lambda m: (m["date"] or "", m["id"]))
    return {
        "documents": documents,
        "statements": statements,
        "events": events,
        "claims": claims,
        "merged_statements": merged,
    }
