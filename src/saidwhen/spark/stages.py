"""Per-partition functions of the Spark job: the local stages, one partition at a time.

- `repeated_counts` / `merge_counts`: the corpus-wide learning of `clean.RepeatedLines` as a first pass
  (per-partition tables in the `to_dict` format, summed with `reduceByKey`); `learned_lines` keeps the
  lines that can be boilerplate, which the driver broadcasts.
- `process_partition`: `pipeline.prepare` (clean + date) and `pipeline.extract_dated` (statements, their
  dates) for documents in ingest order; the spaCy model is loaded once per executor process
  (`nlp.load_nlp` is cached and Spark reuses Python workers).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from saidwhen.clean import RepeatedLines
from saidwhen.merge import document_day
from saidwhen.model import Document, RawDocument, Statement
from saidwhen.pipeline import extract_dated, prepare
from saidwhen.spark.tables import document_row, statement_row
from saidwhen.statements import SpeakerRegistry

CountKey = tuple[
    str, Any
]  # ("docs", None) | ("outlet", name) | ("outlet_line", hash) | ("corpus_line", hash)
STATEMENT_SHIFT = 20  # a statement's position: document position << 20 | index in the document


def repeated_counts(raws: Iterable[RawDocument]) -> Iterator[tuple[CountKey, list[int]]]:
    """`RepeatedLines.observe` over one partition, as (key, [documents, contexts...]) rows."""
    rep = RepeatedLines()
    for raw in raws:
        rep.observe(raw.text, raw.outlet)
    state = rep.to_dict()
    yield ("docs", None), [state["total_docs"]]
    for name, n in state["outlet_docs"].items():
        yield ("outlet", name), [n]
    for table in ("outlet_lines", "corpus_lines"):
        for h, *entry in state[table]:
            yield (table, h), entry


def merge_counts(min_docs: int) -> Any:
    """The reduceByKey function: documents add up, distinct surroundings unite (at most `min_docs` kept,
    all `RepeatedLines` looks at)."""

    def merge(a: list[int], b: list[int]) -> list[int]:
        contexts = list(dict.fromkeys(a[1:] + b[1:]))[:min_docs]
        return [a[0] + b[0], *contexts]

    return merge


def learned_lines(rows: Iterable[tuple[CountKey, list[int]]]) -> RepeatedLines:
    """A RepeatedLines from the summed rows (totals plus the lines that pass the `min_docs` bars)."""
    base = RepeatedLines()
    state = base.to_dict()
    for (kind, key), entry in rows:
        if kind == "docs":
            state["total_docs"] += entry[0]
        elif kind == "outlet":
            state["outlet_docs"][key] = entry[0]
        else:
            state[kind].append([key, *entry])
    return RepeatedLines.from_dict(state)


def could_repeat(entry: list[int], min_docs: int) -> bool:
    """Necessary for `RepeatedLines` to call a line repeated: `min_docs` documents and surroundings."""
    return entry[0] >= min_docs and len(entry) - 1 >= min_docs


def process_partition(
    rows: Iterable[tuple[tuple[Any, RawDocument], int]],
    repeated: RepeatedLines,
    registry: dict[str, Any] | None,
) -> Iterator[tuple[tuple[Any, ...], list[tuple[Any, ...]]]]:
    """((document row + pos, day), [statement rows + pos, day]) for ((order, raw), pos) rows in order.

    Within the partition, speakers are learned from article to article as in the local run; the registry
    starts from `registry` (the user alias file) in every partition.
    """
    reg = SpeakerRegistry.from_dict(json.loads(json.dumps(registry))) if registry else SpeakerRegistry()
    positions: deque[int] = deque()

    def documents() -> Iterator[Document]:
        for (_, raw), pos in rows:
            positions.append(pos)
            yield prepare(raw, repeated)

    for doc, statements in extract_dated(documents(), reg):
        pos = positions.popleft()
        yield document_output(doc, statements, pos)


def _ordinal(d: Any) -> int | None:
    return d.toordinal() if d else None


def document_output(
    doc: Document, statements: list[Statement], pos: int
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """A document's table row and its statements' rows, each with (pos, day) appended for grouping."""
    day = document_day(doc, statements)
    doc_row = (*document_row(doc), pos, _ordinal(day))
    st_rows = [
        (*statement_row(st), (pos << STATEMENT_SHIFT) | i, _ordinal(st.date or day))
        for i, st in enumerate(statements)
    ]
    return doc_row, st_rows
