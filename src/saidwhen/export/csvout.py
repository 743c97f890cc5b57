"""CSV: one row per timeline item, with its evidence and the outlets that reported it."""

from __future__ import annotations

import csv
import io
from typing import Any

from saidwhen.timeline import iter_items

COLUMNS = ["date", "event_id", "event_title", "speaker", "speaker_type", "text", "kind", "reported_by", "outlets", "document_id",
           "start", "end", "url", "confidence", "claim_id", "merged_id", "statement_ids"]  # fmt: skip


def _cell(value: Any) -> Any:
    """Values that a spreadsheet would run as a formula are prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def timeline_rows(timeline: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for it in iter_items(timeline):
        event = it.get("event") or {}
        rows.append(
            {
                "date": it["date"],
                "event_id": event.get("id"),
                "event_title": event.get("title"),
                "speaker": it["speaker"],
                "speaker_type": it.get("speaker_type"),
                "text": it["text"],
                "kind": it["kind"],
                "reported_by": it["reported_by"],
                "outlets": "; ".join(it["outlets"]),
                "document_id": it["document_id"],
                "start": it["start"],
                "end": it["end"],
                "url": it["url"],
                "confidence": it["confidence"],
                "claim_id": it["claim_id"],
                "merged_id": it["merged_id"],
                "statement_ids": " ".join(it["statement_ids"]),
            }
        )
    return rows


def timeline_csv(timeline: dict[str, Any]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in timeline_rows(timeline):
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buf.getvalue()
