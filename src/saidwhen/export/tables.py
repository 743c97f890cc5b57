"""The store as tables: Parquet files for pandas, DuckDB, R and Spark, and the claim histories as CSV.

`store_tables` gives the records of `store_json` (the published schema, the same filters) as `Records`,
plus `claim_history`: one row per statement of each claim, oldest first (claim, statement, speaker, date,
outlet, wording). `write_parquet` writes one `<table>.parquet` per table (pyarrow, the `arrow` extra).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from saidwhen.export.csvout import csv_text
from saidwhen.export.jsonout import DOCUMENT_FIELDS, STATEMENT_FIELDS, store_json
from saidwhen.records import ClaimHistoryRow, Records, require_module
from saidwhen.serialize import day
from saidwhen.store import Store
from saidwhen.store import queries as q

COLUMNS: dict[str, list[str]] = {
    "documents": DOCUMENT_FIELDS,
    "statements": STATEMENT_FIELDS,
    "events": ["id", "date", "title", "place", "document_ids"],
    "claims": ["id", "summary", "statement_ids"],
    "merged_statements": ["id", "speaker", "text", "date", "statement_ids"],
}
TABLES = (*COLUMNS, "claim_history")


def claim_history_rows(store: Store, claims: Iterable[dict[str, Any]]) -> Records[ClaimHistoryRow]:
    """The history of each claim (a record with `id` and `summary`): its statements, oldest first."""
    out: Records[ClaimHistoryRow] = Records(row_type=ClaimHistoryRow)
    for c in claims:
        for pos, r in enumerate(q.claim_history(store, c["id"]), start=1):
            out.append(ClaimHistoryRow(
                claim_id=c["id"], claim=c["summary"], position=pos, statement_id=r["id"], speaker=r["speaker"],
                date=day(r["date"]), outlet=r["outlet"], wording=r["text"], document_id=r["document_id"],
                start=r["start"], end=r["end"], url=r["url"],
            ))  # fmt: skip
    return out


def store_tables(
    store: Store, *, speaker: str | None = None, since: str | None = None, until: str | None = None
) -> dict[str, Records[Any]]:
    """Every table of the store (as `store_json` selects them), plus the claim histories."""
    data = store_json(store, speaker=speaker, since=since, until=until)
    tables: dict[str, Records[Any]] = {
        name: Records(({k: row.get(k) for k in columns} for row in data[name]), dict, columns=columns)
        for name, columns in COLUMNS.items()
    }
    tables["claim_history"] = claim_history_rows(store, data["claims"])
    return tables


def write_parquet(tables: dict[str, Records[Any]], folder: Path) -> list[Path]:
    """One Parquet file per table in `folder` (created); the paths written."""
    pq = require_module("pyarrow.parquet", "arrow")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, records in tables.items():
        path = folder / f"{name}.parquet"
        pq.write_table(records.to_arrow(), path)
        written.append(path)
    return written


def claim_history_csv(rows: Records[ClaimHistoryRow]) -> str:
    """The claim histories as CSV (cells a spreadsheet would run as formulas are quoted with an apostrophe)."""
    return csv_text(rows.to_records(), rows.columns())
