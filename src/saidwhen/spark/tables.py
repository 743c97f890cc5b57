"""The Parquet tables written by `spark-run`: the columns of `saidwhen analyze` JSON (`serialize.py`).

Rows are built from the very `serialize.*_record` functions, so names and values match the JSON
(dates as `YYYY-MM-DD` strings). `documents` adds what `saidwhen load` needs to fill the store:
`line`, `text`, `clean_text`, `removed` and `meta` (JSON). `merged` and `problems` are extra tables.
"""

from __future__ import annotations

import json
from typing import Any

from saidwhen.model import Claim, Document, Event, MergedStatement, Statement
from saidwhen.serialize import claim_record, document_record, event_record, merged_record, statement_record

DOCUMENT_COLUMNS = (
    "id string, source_path string, source_key string, title string, url string, outlet string, "
    "language string, published string, published_from string, published_range string, duplicate_of string, "
    "event_id string"
)
DOCUMENT_EXTRA = "line int, text string, clean_text string, removed array<struct<start:int,end:int,reason:string>>, meta string"
SCHEMAS: dict[str, str] = {
    "documents": f"{DOCUMENT_COLUMNS}, {DOCUMENT_EXTRA}",
    "statements": (
        "id string, document_id string, speaker string, speaker_mention string, text string, kind string, "
        "cue string, start int, `end` int, confidence double, date string, date_from string, claim_id string, "
        "merged_id string, speaker_type string"
    ),
    "events": "id string, date string, title string, place string, document_ids array<string>",
    "claims": "id string, statement_ids array<string>, summary string",
    "merged": "id string, speaker string, text string, date string, statement_ids array<string>",
    "problems": "path string, line int, reason string",
}
TABLES = tuple(SCHEMAS)


def columns(table: str) -> list[str]:
    """Column names of a table, in order."""
    return [part.strip().split(" ", 1)[0].strip("`") for part in _split(SCHEMAS[table])]


def _split(schema: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in schema:
        depth += ch == "<"
        depth -= ch == ">"
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    return [*parts, current]


COLUMNS: dict[str, list[str]] = {table: columns(table) for table in SCHEMAS}


def _ordered(table: str, record: dict[str, Any], extra: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    names = COLUMNS[table][: len(COLUMNS[table]) - len(extra)]
    if set(record) != set(names):  # serialize.py changed: the schema above must follow
        raise KeyError(f"{table}: record fields {sorted(record)} != table columns {sorted(names)}")
    return (*(record[n] for n in names), *extra)


def document_row(doc: Document) -> tuple[Any, ...]:
    removed = [(r.start, r.end, r.reason) for r in doc.clean.removed]
    line = doc.meta.get("line")
    extra = (
        line if isinstance(line, int) else None,
        doc.text,
        doc.clean.text,
        removed,
        json.dumps(doc.meta, default=str),
    )
    return _ordered("documents", document_record(doc), extra)


def statement_row(st: Statement) -> tuple[Any, ...]:
    return _ordered("statements", statement_record(st))


def event_row(ev: Event) -> tuple[Any, ...]:
    return _ordered("events", event_record(ev))


def claim_row(cl: Claim) -> tuple[Any, ...]:
    return _ordered("claims", claim_record(cl))


def merged_row(ms: MergedStatement) -> tuple[Any, ...]:
    return _ordered("merged", merged_record(ms))
