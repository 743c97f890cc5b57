"""CSV: the one writer behind every CSV the tool prints (formula-safe), and the timeline as CSV (one row per
timeline item, with its evidence and the outlets that reported it)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any, TextIO

from saidwhen.timeline import iter_items

COLUMNS = ["date", "event_id", "event_title", "speaker", "speaker_type", "text", "kind", "reported_by", "outlets", "document_id",
           "start", "end", "url", "confidence", "claim_id", "merged_id", "statement_ids"]  # fmt: skip


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value: Any) -> Any:
    """A value as a CSV cell: None is empty; text a spreadsheet would run as a formula (`=HYPERLINK(...)`,
    `@SUM(...)`, also after leading spaces or in full-width forms) gets an apostrophe in front."""
    if value is None:
        return ""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv_rows(out: TextIO, rows: Iterable[dict[str, Any]], columns: list[str]) -> None:
    """`rows` as CSV with a header of `columns` (other keys ignored), every cell through `safe_cell`."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe_cell(row.get(k)) for k in columns])


def csv_text(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """`write_csv_rows` into a string."""
    buf = io.StringIO()
    write_csv_rows(buf, rows, columns)
    return buf.getvalue()


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
    return csv_text(timeline_rows(timeline), COLUMNS)
