"""Read-only commands over the store: docs, show, stats, statements, speakers."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from saidwhen.commands.common import (
    DEFAULT_DB_PATH,
    EXIT_NOT_FOUND,
    DbOption,
    LanguageOption,
    SinceOption,
    SpeakerOption,
    SpeakerTypeOption,
    UntilOption,
    console,
    fail,
    open_store,
    shorten,
    write_csv,
    write_json,
    write_jsonl,
)
from saidwhen.model import SPEAKER_TYPES

# piped output gets wide tables instead of Rich's 80-column default
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 220)

LimitOption = Annotated[int, typer.Option("--limit", "-n", help="At most this many rows.", min=1)]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")]

STATEMENT_COLUMNS = [
    "id", "date", "date_from", "speaker", "speaker_mention", "kind", "cue", "text",
    "document_id", "start", "end", "confidence", "outlet", "merged_id", "claim_id", "speaker_type",
]  # fmt: skip
DOCUMENT_COLUMNS = ["id", "published", "published_from", "outlet", "language", "title", "source_path", "duplicate_of",
                    "event_id"]


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "jsonl", "csv"):
        raise fail(f"unknown format {fmt!r}; use table, jsonl or csv", 2)


def _check_speaker_type(speaker_type: str | None) -> None:
    if speaker_type is not None and speaker_type not in SPEAKER_TYPES:
        raise fail(f"unknown speaker type {speaker_type!r}; use one of {', '.join(SPEAKER_TYPES)}", 2)


def _table(rows: list[dict[str, Any]], columns: list[tuple[str, str, int]]) -> None:
    table = Table(show_lines=False, header_style="bold")
    for _key, title, _width in columns:
        table.add_column(title, overflow="fold")
    for row in rows:
        table.add_row(*(shorten(str(row.get(k) or ""), w) for k, _t, w in columns))
    out.print(table)


def _emit(rows: list[dict[str, Any]], fmt: str, all_columns: list[str], table_columns: list[tuple[str, str, int]]) -> None:
    if fmt == "jsonl":
        write_jsonl(rows)
    elif fmt == "csv":
        write_csv(rows, all_columns)
    else:
        _table(rows, table_columns)


def docs(
    db: DbOption = DEFAULT_DB_PATH,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Full-text search in title and text.")] = None,
    language: LanguageOption = None,
    limit: LimitOption = 50,
    fmt: FormatOption = "table",
) -> None:
    """List documents, filtered by outlet, publication date, language or text."""
    _check_format(fmt)
    with open_store(db) as store:
        rows = store.documents(outlet=outlet, since=since, until=until, query=query, language=language, limit=limit)
    table_cols = [("id", "id", 17), ("published", "published", 10), ("published_from", "from", 8),
                  ("outlet", "outlet", 16), ("title", "title", 60), ("duplicate_of", "dup of", 17)]  # fmt: skip
    _emit(rows, fmt, DOCUMENT_COLUMNS, table_cols)


def show(
    doc_id: Annotated[str, typer.Argument(help="Document id (a unique prefix is enough).")],
    db: DbOption = DEFAULT_DB_PATH,
    clean: Annotated[bool, typer.Option("--clean", help="Print only the cleaned text.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the document as JSON.")] = False,
) -> None:
    """Show one document: metadata, the text with removed lines marked, and its statements."""
    with open_store(db) as store:
        doc = store.document(doc_id)
        if doc is None:
            raise fail(f"no document {doc_id!r}", EXIT_NOT_FOUND)
        statements = store.statements(document_id=doc["id"], limit=10_000)
    if as_json:
        write_json({**doc, "statements": statements})
        return
    if clean:
        out.print(doc["clean_text"], markup=False)
        return
    out.print(Text(doc["title"] or "(untitled)", style="bold"))
    out.print(
        f"{doc['id']} · published {doc['published'] or 'unknown'} ({doc['published_from']}) · "
        f"{doc['outlet'] or 'no outlet'} · {doc['source_key']}",
        markup=False,
    )
    if doc["duplicate_of"]:
        out.print(f"duplicate of {doc['duplicate_of']}", markup=False)
    out.print()
    out.print(_marked_text(doc["text"], doc["removed"]))
    if statements:
        out.print(Text(f"\n{len(statements)} statement(s)", style="bold"))
        for st in statements:
            who = st["speaker"] or f"? ({st['speaker_mention'] or 'unknown'})"
            out.print(Text(f"[{st['start']}:{st['end']}] {st['date'] or '????-??-??'} {who} ({st['kind']}, {st['cue']}): ")
                      + Text(shorten(st["text"], 200), style="italic"))  # fmt: skip


def _marked_text(text: str, removed: list[dict[str, Any]]) -> Text:
    """The original text line by line; removed lines are prefixed `- [reason]` and dimmed."""
    result = Text()
    spans = sorted((r["start"], r["end"], r["reason"]) for r in removed)
    pos = 0
    for line in text.splitlines(keepends=True):
        start, end = pos, pos + len(line.rstrip("\n"))
        pos += len(line)
        reason = next((r for s, e, r in spans if s <= start and end <= e and end > start), None)
        if reason:
            result.append(f"- [{reason}] {line}", style="dim strike")
        else:
            result.append(f"  {line}")
    return result


def stats(db: DbOption = DEFAULT_DB_PATH, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts of documents, statements, speakers, events and claims in the store."""
    with open_store(db) as store:
        numbers = store.stats()
    if as_json:
        write_json(numbers)
        return
    table = Table(show_header=False, box=None)
    for key, value in numbers.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        table.add_row(key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value))
    out.print(table)


def statements(
    db: DbOption = DEFAULT_DB_PATH,
    speaker: SpeakerOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    query: Annotated[str | None, typer.Option("--query", "-q", help="Full-text search in statements.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only statements reported by this outlet.")] = None,
    language: LanguageOption = None,
    speaker_type: SpeakerTypeOption = None,
    limit: LimitOption = 100,
    fmt: FormatOption = "table",
) -> None:
    """List statements: who said what, when, with document id and character span."""
    _check_format(fmt)
    _check_speaker_type(speaker_type)
    with open_store(db) as store:
        rows = store.statements(speaker=speaker, since=since, until=until, query=query, outlet=outlet,
                                language=language, speaker_type=speaker_type, limit=limit)
    table_cols = [("date", "date", 10), ("speaker", "speaker", 24), ("kind", "kind", 8), ("cue", "cue", 12),
                  ("text", "statement", 80), ("document_id", "document", 17)]  # fmt: skip
    if not rows and fmt == "table":
        console.print("no statements match", highlight=False)
        return
    _emit(rows, fmt, STATEMENT_COLUMNS, table_cols)


def speakers(
    db: DbOption = DEFAULT_DB_PATH, speaker_type: SpeakerTypeOption = None, limit: LimitOption = 100,
    fmt: FormatOption = "table",
) -> None:
    """People, organisations and unnamed sources with their type, aliases and statement counts."""
    _check_format(fmt)
    _check_speaker_type(speaker_type)
    with open_store(db) as store:
        rows = store.speakers(limit=limit, speaker_type=speaker_type)
    for row in rows:
        row["aliases"] = "; ".join(row["aliases"]) if fmt != "jsonl" else row["aliases"]
    table_cols = [("name", "speaker", 30), ("type", "type", 12), ("count", "statements", 10), ("first", "first", 10),
                  ("last", "last", 10), ("aliases", "aliases", 60)]  # fmt: skip
    _emit(rows, fmt, ["name", "type", "count", "first", "last", "aliases"], table_cols)


def register(app: typer.Typer) -> None:
    for fn in (docs, show, stats, statements, speakers):
        app.command(fn.__name__)(fn)
