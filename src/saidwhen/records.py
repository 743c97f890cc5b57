"""Result lists of the Python API: a `list` of dataclasses that also turns into a table.

`Records` is a plain list (index it, loop over it, `len` it) of the pipeline's dataclasses
(`saidwhen.model`) or of the API's own rows (`Speaker`, `ClaimHistoryRow`, timeline items). Each row type
has one flat record (the published schema of docs/schema.md for documents, statements, events, claims), so
`to_records()`, `to_pandas()` and `to_arrow()` give the same columns as the JSON and CSV exports.
pandas and pyarrow are optional extras (`pip install '.[notebook]'`); the error says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from saidwhen.model import Claim, Document, Event, MergedStatement, Statement
from saidwhen.serialize import claim_record, document_record, event_record, merged_record, statement_record

if TYPE_CHECKING:
    import pandas
    import pyarrow

T = TypeVar("T")


@dataclass
class Speaker:
    """A person or organisation with the statements attributed to them."""

    name: str
    count: int
    first: date | None = None  # date of the earliest dated statement
    last: date | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class ClaimHistoryRow:
    """One statement in the history of a claim: who said it, when, where, in which words."""

    claim_id: str
    claim: str  # the claim's representative wording
    position: int  # 1 = the earliest statement of the claim
    statement_id: str
    speaker: str | None
    date: date | None
    outlet: str | None
    wording: str  # the statement's own text
    document_id: str
    start: int
    end: int
    url: str | None = None


def _iso(d: Any) -> Any:
    return d.isoformat() if isinstance(d, date) else d


def _plain(row: Any) -> dict[str, Any]:
    return {k: _iso(v) for k, v in dataclasses.asdict(row).items()}


# the flat record of each row type; the schema records are the exports' (docs/schema.md)
_RECORD: dict[type, Callable[[Any], dict[str, Any]]] = {
    Document: document_record,
    Statement: statement_record,
    Event: event_record,
    Claim: claim_record,
    MergedStatement: merged_record,
    Speaker: _plain,
    ClaimHistoryRow: _plain,
}

# Arrow column types by record field (anything else is a string); dates stay ISO strings in records and
# become date32 columns in Arrow
_DATE_FIELDS = {"date", "published", "first", "last"}
_INT_FIELDS = {"start", "end", "count", "position", "line"}
_FLOAT_FIELDS = {"confidence", "score"}
_LIST_FIELDS = {"document_ids", "statement_ids", "aliases"}


def to_record(row: Any) -> dict[str, Any]:
    """The flat record of one row (a dict is taken as it is)."""
    if isinstance(row, dict):
        return row
    convert = _RECORD.get(type(row))
    if convert is None:
        if dataclasses.is_dataclass(row) and not isinstance(row, type):
            return _plain(row)
        raise TypeError(f"no record for {type(row).__name__}")
    return convert(row)


def _columns(row_type: type | None) -> list[str] | None:
    """Column names of an empty result of `row_type` (so an empty table still has its columns)."""
    if row_type is None:
        return None
    probe = {
        Document: lambda: Document("", "", "", "", None),  # type: ignore[arg-type]
        Statement: lambda: Statement("", "", None, None, "", "direct", None, 0, 0, 0.0),
        Event: lambda: Event("", None, "", None, []),
        Claim: lambda: Claim("", [], ""),
    }.get(row_type)
    if probe is not None:
        return list(to_record(probe()))
    if dataclasses.is_dataclass(row_type):
        return [f.name for f in dataclasses.fields(row_type)]
    return None


def require_module(module: str, extra: str) -> Any:
    """Import an optional dependency, or say which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"{module} is not installed: install saidwhen with the [{extra}] extra "
                          f"(pip install '.[{extra}]' in a checkout) or pip install {module}") from None


def arrow_type(column: str) -> Any:
    pa = require_module("pyarrow", "arrow")
    if column in _DATE_FIELDS:
        return pa.date32()
    if column in _INT_FIELDS:
        return pa.int64()
    if column in _FLOAT_FIELDS:
        return pa.float64()
    if column in _LIST_FIELDS:
        return pa.list_(pa.string())
    return pa.string()


class Records(list[T]):
    """A list of results that also converts to tables: `to_records()`, `to_pandas()`, `to_arrow()`."""

    def __init__(
        self, rows: Iterable[T] = (), row_type: type | None = None, *, columns: list[str] | None = None
    ) -> None:
        super().__init__(rows)
        self.row_type = row_type if row_type is not None else (type(self[0]) if self else None)
        self._columns = columns  # the columns of rows that are dicts (and of an empty result)

    def to_records(self) -> list[dict[str, Any]]:
        """One flat dict per row (dates as ISO strings): the JSON export's records."""
        return [to_record(row) for row in self]

    def columns(self) -> list[str]:
        if self._columns is not None:
            return list(self._columns)
        records = self.to_records()
        return list(records[0]) if records else (_columns(self.row_type) or [])

    def to_arrow(self) -> pyarrow.Table:
        """A pyarrow Table (dates as date32, id lists as list<string>); needs the `arrow` extra."""
        pa = require_module("pyarrow", "arrow")
        records = self.to_records()
        names = self.columns()
        schema = pa.schema([(name, arrow_type(name)) for name in names])
        rows = [{k: (date.fromisoformat(v) if k in _DATE_FIELDS and isinstance(v, str) else v)
                 for k, v in r.items()} for r in records]  # fmt: skip
        return pa.Table.from_pylist(rows, schema=schema)

    def to_pandas(self) -> pandas.DataFrame:
        """A pandas DataFrame with the records' columns (dates as datetime64); needs the `pandas` extra."""
        pd = require_module("pandas", "pandas")
        frame = pd.DataFrame.from_records(self.to_records(), columns=self.columns())
        for name in frame.columns:
            if name in _DATE_FIELDS:
                frame[name] = pd.to_datetime(frame[name], format="ISO8601")
        return frame

    def __repr__(self) -> str:
        kind = self.row_type.__name__ if self.row_type else "row"
        return f"<Records: {len(self)} {kind}{'s' if len(self) != 1 else ''}>"
