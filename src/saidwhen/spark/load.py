"""`saidwhen load`: the Parquet tables of `spark-run` into the embedded store, for serving.

Needs pyarrow only (no Spark, no Java). Tables are streamed in record batches, each batch one
transaction: documents first (statements reference them), then statements; events, claims and merged
statements replace the store's cross-document tables in one transaction, since they describe the whole
corpus the Spark run saw. The learned repeated lines are restored; with `merge_state` the incremental
merge state is rebuilt too, so a later local `saidwhen ingest` into the same store merges new articles
with the loaded ones.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from saidwhen.model import Claim, CleanText, Document, Event, MergedStatement, Removed
from saidwhen.serialize import day, document_from_record, statement_from_record
from saidwhen.store import Store

BATCH_ROWS = 1000
STATE_TABLE = "state"  # rows (store state key, JSON value)


@dataclass
class LoadReport:
    counts: dict[str, int] = field(default_factory=dict)


def local_output(output: str) -> str:
    """`file:/x` -> `/x`; other URIs (s3://, hdfs://) are left to pyarrow's filesystems."""
    return (
        output[len("file:") :]
        if output.startswith("file:") and not output.startswith("file://")
        else (output[len("file://") :] if output.startswith("file://") else output)
    )


def table_exists(output: str, table: str) -> bool:
    return "://" in output or os.path.isdir(os.path.join(output, table))


def read_batches(output: str, table: str, batch_rows: int = BATCH_ROWS) -> Iterator[list[dict[str, Any]]]:
    """Rows of one table as lists of dicts, `batch_rows` at a time (bounded memory), in part-file order
    (the order `spark-run` wrote: ingest order for documents and statements)."""
    import pyarrow.dataset as ds

    if not table_exists(output, table):
        return
    folder = os.path.join(output, table)
    source: Any = folder
    if "://" not in folder:
        source = sorted(
            os.path.join(folder, name)
            for name in os.listdir(folder)
            if name.endswith(".parquet") and not name.startswith((".", "_"))
        )
        if not source:
            return
    dataset = ds.dataset(source, format="parquet")
    for batch in dataset.to_batches(batch_size=batch_rows):
        if batch.num_rows:
            yield batch.to_pylist()


def row_to_document(r: dict[str, Any]) -> Document:
    removed = [Removed(x["start"], x["end"], x["reason"]) for x in r.get("removed") or []]
    meta = json.loads(r["meta"]) if r.get("meta") else {}
    if r.get("line") is not None:
        meta.setdefault("line", r["line"])
    doc = document_from_record(r, CleanText(r.get("clean_text") or "", [], removed))
    doc.meta = meta
    return doc


def row_to_event(r: dict[str, Any]) -> Event:
    return Event(r["id"], day(r["date"]), r["title"], r["place"], list(r["document_ids"] or []))


def row_to_claim(r: dict[str, Any]) -> Claim:
    return Claim(r["id"], list(r["statement_ids"] or []), r["summary"])


def row_to_merged(r: dict[str, Any]) -> MergedStatement:
    return MergedStatement(r["id"], r["speaker"], r["text"], day(r["date"]), list(r["statement_ids"] or []))


def load_output(
    output: str,
    store: Store,
    *,
    on_batch: Callable[[str, int], None] | None = None,
    batch_rows: int = BATCH_ROWS,
    merge_state: bool = False,
) -> LoadReport:
    """Load every table of a `spark-run` OUTPUT directory into `store`; with `merge_state`, also rebuild
    the incremental merge state (`rebuild_merge_state`)."""
    report = LoadReport()
    output = local_output(output)

    def tick(table: str, n: int) -> None:
        report.counts[table] = report.counts.get(table, 0) + n
        if on_batch:
            on_batch(table, report.counts[table])

    for rows in read_batches(output, "documents", batch_rows):
        with store.transaction():
            for r in rows:
                store.save_document(row_to_document(r))
        tick("documents", len(rows))
    for rows in read_batches(output, "statements", batch_rows):
        with store.transaction():
            store.save_statements(statement_from_record(r) for r in rows)
        tick("statements", len(rows))
    with store.transaction():
        store.replace_merges([], [], [])
        for table, convert, save in (
            ("events", row_to_event, store.save_events),
            ("claims", row_to_claim, store.save_claims),
            ("merged", row_to_merged, store.save_merged),
        ):
            report.counts.setdefault(table, 0)
            for rows in read_batches(output, table, batch_rows):
                save(convert(r) for r in rows)
                tick(table, len(rows))
        _load_state(output, store)
    if merge_state:
        rebuild_merge_state(output, store, batch_rows=batch_rows)
    return report


def rebuild_merge_state(output: str, store: Store, *, batch_rows: int = BATCH_ROWS) -> None:
    """Re-merge the loaded corpus in ingest order with the store's incremental merger (`StoreMerger`) and
    save its state, so that a later `saidwhen ingest` merges new articles with the loaded ones.

    A sequential pass (the local merge stage); the links it writes equal the ones Spark computed.
    """
    from saidwhen.merge_store import MERGE_KEY, StoreMerger

    with store.transaction():
        store.conn.execute("DELETE FROM state WHERE key = ? OR key LIKE ?", (MERGE_KEY, MERGE_KEY + ":%"))
        merger = StoreMerger(store)
        statements = (row for rows in read_batches(output, "statements", batch_rows) for row in rows)
        pending = next(statements, None)
        for rows in read_batches(output, "documents", batch_rows):
            batch = []
            for r in rows:
                doc = row_to_document(r)
                own = []
                while pending is not None and pending["document_id"] == doc.id:
                    own.append(statement_from_record(pending))
                    pending = next(statements, None)
                batch.append((doc, own))
            merger.replay(batch)
        merger.save_state()


def _load_state(output: str, store: Store) -> None:
    for rows in read_batches(output, STATE_TABLE):
        for r in rows:
            store.set_state(r["key"], r["value"].encode("utf-8"))
