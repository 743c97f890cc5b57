"""`saidwhen timeline`, `saidwhen search` and `saidwhen export`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from saidwhen.commands.common import (
    DEFAULT_DB_PATH,
    EXIT_MODEL_MISSING,
    EXIT_NOT_FOUND,
    DbOption,
    LanguageOption,
    SinceOption,
    SpeakerOption,
    UntilOption,
    console,
    fail,
    open_store,
    shorten,
    write_csv,
    write_jsonl,
)
from saidwhen.export import FORMATS, render, store_json
from saidwhen.export.csvout import timeline_csv
from saidwhen.export.tables import claim_history_csv, store_tables, write_parquet
from saidwhen.store import queries
from saidwhen.timeline import build_timeline
from saidwhen.tls import summarize
from saidwhen.tls.report import SUMMARY_FORMATS, render_summary, summary_dict
from saidwhen.tls.sentences import collect_sentences
from saidwhen.tls.store import store_documents

out = Console(highlight=False, soft_wrap=True)

OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
]

TABLE_FORMATS = ("parquet", "claims-csv")  # exports of the store's tables (saidwhen.export.tables)

SEARCH_COLUMNS = ["type", "score", "id", "date", "published", "speaker", "text", "title", "snippet", "outlet",
                  "document_id", "start", "end", "url", "claim_id", "merged_id"]  # fmt: skip


def _day(value: str | None) -> date | None:
    """The calendar day `value` (YYYY-MM-DD) names; None when it names none."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    console.print(f"wrote {output}", highlight=False, markup=False)


def timeline(
    db: DbOption = DEFAULT_DB_PATH,
    speaker: SpeakerOption = None,
    topic: Annotated[
        str | None, typer.Option("--topic", "-t", help="Free text: matching statements and their claims.")
    ] = None,
    event: Annotated[str | None, typer.Option("--event", help="Only this event (id).")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="md, json, html, timelinejs or csv (--summary: md, json, csv)."),
    ] = "md",
    show_all: Annotated[
        bool, typer.Option("--all", help="Every statement, not the few key ones per date.")
    ] = False,
    per_date: Annotated[int, typer.Option("--per-date", help="Key statements kept per date.", min=1)] = 3,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary", help="A summary of the articles instead: key dates, each with its key sentences."
        ),
    ] = False,
    n_dates: Annotated[int, typer.Option("--dates", help="--summary: at most this many dates.", min=1)] = 10,
    n_sentences: Annotated[
        int, typer.Option("--sentences", help="--summary: sentences per date.", min=1)
    ] = 2,
    output: OutputOption = None,
) -> None:
    """A chronological timeline of who said what, with the outlets that reported each statement.

    With --summary, a timeline summary of the articles themselves (news-tls' DATEWISE method): the --dates
    most important dates (those the articles mention most, looking back) with --sentences sentences each, every
    sentence with its article and character span. --topic selects the articles (full-text search) and
    weighs its words; --speaker keeps articles quoting that speaker; --since/--until bound the dates.
    """
    if summary:
        if show_all or fmt not in SUMMARY_FORMATS:
            raise fail(f"--summary writes {', '.join(SUMMARY_FORMATS)} and takes no --all", 2)
        _write(_summary_text(db, speaker, topic, event, since, until, fmt, n_dates, n_sentences), output)
        return
    if fmt not in FORMATS:
        raise fail(f"unknown format {fmt!r}; use {', '.join(FORMATS)}", 2)
    with open_store(db) as store:
        if event and store.event(event) is None:
            raise fail(f"no event {event!r}", EXIT_NOT_FOUND)
        result = build_timeline(
            store, speaker=speaker, topic=topic, event_id=event, since=since, until=until, show_all=show_all,
            per_date=per_date, with_context=fmt in ("html", "json"),
        )  # fmt: skip
    if not result["dates"]:
        console.print("no statements match", highlight=False)
    _write(render(result, fmt), output)


def _summary_text(db: Path, speaker: str | None, topic: str | None, event: str | None, since: str | None,
                  until: str | None, fmt: str, n_dates: int, n_sentences: int) -> str:  # fmt: skip
    """`timeline --summary`: the store's articles summarised by `saidwhen.tls`, rendered in `fmt`."""
    with open_store(db) as store:
        if event and store.event(event) is None:
            raise fail(f"no event {event!r}", EXIT_NOT_FOUND)
        docs, statements = store_documents(store, topic=topic, speaker=speaker, event_id=event, since=since,
                                           until=until)  # fmt: skip
    sentences = collect_sentences(docs, statements)
    keywords = topic.split() if topic else []
    dates = summarize(sentences, keywords, max_dates=n_dates, per_date=n_sentences, since=_day(since),
                      until=_day(until))  # fmt: skip
    if not dates:
        console.print("no dated articles match", highlight=False)
    filters = {"speaker": speaker, "topic": topic, "event_id": event, "since": since, "until": until,
               "dates": n_dates, "sentences": n_sentences}  # fmt: skip
    return render_summary(summary_dict(dates, docs, filters, len(sentences)), fmt)


def search(
    query: Annotated[str, typer.Argument(help='Words (all required) or "a phrase".')],
    db: DbOption = DEFAULT_DB_PATH,
    speaker: SpeakerOption = None,
    outlet: Annotated[str | None, typer.Option(help="Only this outlet.")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    only: Annotated[str | None, typer.Option("--only", help="statement or document.")] = None,
    language: LanguageOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many results.", min=1)] = 20,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, jsonl or csv.")] = "table",
) -> None:
    """Search statements and articles, ranked together (BM25), with speaker, outlet and date filters."""
    if fmt not in ("table", "jsonl", "csv"):
        raise fail(f"unknown format {fmt!r}; use table, jsonl or csv", 2)
    if only not in (None, "statement", "document"):
        raise fail("--only takes statement or document", 2)
    kinds = (only,) if only else ("statement", "document")
    with open_store(db) as store:
        rows = queries.search(store, query, speaker=speaker, outlet=outlet, since=since, until=until, limit=limit,
                              kinds=kinds, language=language)  # fmt: skip
    if fmt == "jsonl":
        write_jsonl(rows)
        return
    if fmt == "csv":
        write_csv(rows, SEARCH_COLUMNS)
        return
    if not rows:
        console.print("nothing matches", highlight=False)
        return
    table = Table(header_style="bold")
    for title in ("score", "date", "who / outlet", "match", "evidence"):
        table.add_column(title, overflow="fold")
    for r in rows:
        if r["type"] == "statement":
            who = r["speaker"] or f"? ({r['speaker_mention'] or 'unknown'})"
            table.add_row(f"{r['score']:.2f}", r["date"] or "", shorten(who, 24), shorten(r["text"], 80),
                          f"{r['document_id']} [{r['start']}:{r['end']}]")  # fmt: skip
        else:
            table.add_row(f"{r['score']:.2f}", r["published"] or "", shorten(r["outlet"] or "article", 24),
                          shorten(f"{r['title'] or ''} — {r['snippet'] or ''}", 80), r["id"])  # fmt: skip
    out.print(table)


def _export_tables(fmt: str, db: Path, speaker: str | None, since: str | None, until: str | None,
                   output: Path | None) -> None:
    """`export --format parquet` (a folder of tables) and `--format claims-csv` (the claim histories)."""
    if fmt == "parquet" and output is None:
        raise fail("--format parquet writes one .parquet file per table: give the folder with --output DIR", 2)
    with open_store(db) as store:
        tables = store_tables(store, speaker=speaker, since=since, until=until)
    if fmt == "claims-csv":
        _write(claim_history_csv(tables["claim_history"]), output)
        return
    assert output is not None
    try:
        written = write_parquet(tables, output)
    except ImportError as exc:
        raise fail(str(exc), EXIT_MODEL_MISSING) from None
    console.print(f"wrote {', '.join(p.name for p in written)} to {output}", highlight=False)


def export(
    fmt: Annotated[
        str,
        typer.Option(
            "--format", "-f",
            help="json, csv, md, html, timelinejs; parquet (a folder of tables: documents, statements, events, "
            "claims, merged_statements, claim_history); claims-csv (claim histories).",
        ),
    ] = "json",
    db: DbOption = DEFAULT_DB_PATH,
    speaker: SpeakerOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    with_text: Annotated[
        bool, typer.Option("--with-text", help="json: include each article's text.")
    ] = False,
    output: OutputOption = None,
) -> None:
    """Export the whole store: json (the documented schema), or every statement as csv, md, html, timelinejs.

    json has documents, statements, events, claims and merged statements with the fields of docs/schema.md;
    parquet writes the same tables (plus claim_history) as .parquet files into the --output folder;
    claims-csv has one row per statement of each claim, oldest first (claim, speaker, date, outlet, wording);
    the other formats render the full timeline (--all), each statement merged across the outlets reporting it.
    """
    if fmt not in FORMATS and fmt not in TABLE_FORMATS:
        raise fail(f"unknown format {fmt!r}; use {', '.join((*FORMATS, *TABLE_FORMATS))}", 2)
    if fmt in TABLE_FORMATS:
        _export_tables(fmt, db, speaker, since, until, output)
        return
    with open_store(db) as store:
        if fmt == "json":
            data: Any = store_json(store, speaker=speaker, since=since, until=until, with_text=with_text)
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            result = build_timeline(store, speaker=speaker, since=since, until=until, show_all=True,
                                    with_context=fmt == "html")  # fmt: skip
            text = timeline_csv(result) if fmt == "csv" else render(result, fmt)
    _write(text, output)


def register(app: typer.Typer) -> None:
    app.command("timeline")(timeline)
    app.command("search")(search)
    app.command("export")(export)
