"""The published JSON schema (docs/schema.md): dataclasses to plain dicts, one function per record."""

from __future__ import annotations

from datetime import date
from typing import Any

from saidwhen.model import Claim, Document, Event, MergedStatement, Statement


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def document_record(doc: Document, *, with_text: bool = False) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": doc.id,
        "source_path": doc.source_path,
        "source_key": doc.source_key,
        "title": doc.title,
        "url": doc.url,
        "outlet": doc.outlet,
        "language": doc.language,
        "published": iso(doc.published),
        "published_from": doc.published_from,
        "duplicate_of": doc.duplicate_of,
        "event_id": doc.event_id,
    }
    if with_text:
        record["text"] = doc.text
    return record


def statement_record(st: Statement) -> dict[str, Any]:
    return {
        "id": st.id,
        "document_id": st.document_id,
        "speaker": st.speaker,
        "speaker_mention": st.speaker_mention,
        "text": st.text,
        "kind": st.kind,
        "cue": st.cue,
        "start": st.start,
        "end": st.end,
        "confidence": round(st.confidence, 3),
        "date": iso(st.date),
        "date_from": st.date_from,
        "claim_id": st.claim_id,
        "merged_id": st.merged_id,
    }


def event_record(ev: Event) -> dict[str, Any]:
    return {"id": ev.id, "date": iso(ev.date), "title": ev.title, "place": ev.place, "document_ids": ev.document_ids}


def claim_record(cl: Claim) -> dict[str, Any]:
    return {"id": cl.id, "statement_ids": cl.statement_ids, "summary": cl.summary}


def merged_record(ms: MergedStatement) -> dict[str, Any]:
    return {
        "id": ms.id,
        "speaker": ms.speaker,
        "text": ms.text,
        "date": iso(ms.date),
        "statement_ids": ms.statement_ids,
    }
