"""The published JSON schema (docs/schema.md): dataclasses to plain dicts, one function per record."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from saidwhen.model import Claim, CleanText, Document, Event, MergedStatement, Statement


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
        "published_range": interval(doc.published_range),
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
        "speaker_type": st.speaker_type,
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


# ---- records back to dataclasses (store rows, Spark output) -----------------------------------------------


def interval(span: tuple[date, date] | None) -> str | None:
    """An ISO 8601 interval of days, "2023-11-30/2023-12-01" (None for no range)."""
    return f"{span[0].isoformat()}/{span[1].isoformat()}" if span else None


def date_range(value: str | None) -> tuple[date, date] | None:
    """The days of an `interval` string (None for none or a malformed one)."""
    if not value or "/" not in value:
        return None
    lo, _, hi = value.partition("/")
    try:
        return date.fromisoformat(lo), date.fromisoformat(hi)
    except ValueError:
        return None


def day(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(value)


def statement_from_record(r: Mapping[str, Any]) -> Statement:
    return Statement(
        id=r["id"],
        document_id=r["document_id"],
        speaker=r["speaker"],
        speaker_mention=r["speaker_mention"],
        text=r["text"],
        kind=r["kind"],
        cue=r["cue"],
        start=r["start"],
        end=r["end"],
        confidence=r["confidence"],
        date=day(r.get("date")),
        date_from=r.get("date_from") or "unknown",
        claim_id=r.get("claim_id"),
        merged_id=r.get("merged_id"),
        speaker_type=r.get("speaker_type"),
    )


def document_from_record(r: Mapping[str, Any], clean: CleanText | None = None) -> Document:
    """A document from its record; without `clean`, the stored clean text with no offset map."""
    return Document(
        id=r["id"],
        source_path=r["source_path"],
        source_key=r["source_key"],
        text=r.get("text") or "",
        clean=clean if clean is not None else CleanText(r.get("clean_text") or "", []),
        title=r.get("title"),
        url=r.get("url"),
        outlet=r.get("outlet"),
        language=r.get("language"),
        published=day(r.get("published")),
        published_from=r.get("published_from") or "unknown",
        published_range=date_range(r.get("published_range")),
        duplicate_of=r.get("duplicate_of"),
        event_id=r.get("event_id"),
    )
