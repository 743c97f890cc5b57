"""`saidwhen ingest` (into the store) and `saidwhen analyze` (stateless, JSON out)."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from saidwhen import embeddings as embeddings_module
from saidwhen.commands.common import (
    DEFAULT_DB_PATH,
    EXIT_NOTHING_READ,
    DbOption,
    console,
    fail,
    friendly_errors,
    open_store,
    write_json,
)
from saidwhen.embeddings import EmbeddingSimilarity
from saidwhen.language import unread_summary
from saidwhen.pipeline import IngestReport, analyze
from saidwhen.problems import ProblemLog, escape_control, print_to_stderr
from saidwhen.statements import SpeakerRegistry
from saidwhen.store import Store
from saidwhen.store_ingest import StoreIngest, record_similarity

PathsArg = Annotated[list[str], typer.Argument(help="Files or folders to read ('-' reads JSONL from stdin).")]
EmbeddingsOption = Annotated[
    bool | None,
    typer.Option(
        "--embeddings/--no-embeddings",
        help="Merge paraphrased statements with sentence embeddings (default: when the model is built; "
        "see scripts/build-embeddings.sh).",
    ),
]
AliasOption = Annotated[
    Path | None, typer.Option("--aliases", help="YAML file of people, aliases and role bindings to add or override.")
]


class RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} docs/s" if speed else "… docs/s", style="progress.data.speed")


def _load_aliases(aliases: Path | None) -> SpeakerRegistry | None:
    if aliases is None:
        return None
    if not aliases.exists():
        raise fail(f"alias file not found: {aliases}", 2)
    return SpeakerRegistry.from_yaml(aliases)


def _note_similarity(store: Store, similarity: EmbeddingSimilarity | None) -> None:
    """Record which statement similarity merges use; say so when it differs from the store's earlier runs."""
    note = record_similarity(store, similarity)
    if note:
        console.print(f"[yellow]note:[/] {note}", highlight=False)


def _summary(report: IngestReport) -> None:
    extra = f" · removed {report.removed:,}" if report.removed else ""
    extra += f" · failed {report.failed:,}" if report.failed else ""
    console.print(
        f"read {report.read:,} · added {report.added:,} · updated {report.updated:,} · "
        f"unchanged {report.unchanged:,}{extra} · rejected {report.rejected:,} · statements {report.statements:,}",
        highlight=False,
    )
    if report.remerged:
        console.print(f"re-merged {report.remerged:,} document(s): removed or moved records leave no trace",
                      highlight=False)
    if report.rejected:
        reasons = ", ".join(f"{reason} ({n})" for reason, n in report.problems.counts.most_common())
        console.print(f"[yellow]rejected:[/] {escape(escape_control(reasons))}", highlight=False)
    if report.problems.noted:
        console.print(f"[yellow]notes:[/] {report.problems.noted:,} input(s) repaired or cut (see above)",
                      highlight=False)
    _unread_note(report.unread)


def _unread_note(unread: Counter[str]) -> None:
    """Which articles were stored without statement extraction, per language, and why."""
    for line in unread_summary(unread):
        console.print(f"[yellow]read without statement extraction:[/] {line}", highlight=False)


def _nothing_to_read(paths: list[str], problems: ProblemLog) -> bool:
    """True (each path reported) when no path names anything: then no store is created."""
    if any(p == "-" or os.path.lexists(p) for p in paths):
        return False
    for p in paths:
        problems.add(p, "not found: no such file or directory")
    return True


def ingest(
    paths: PathsArg,
    db: DbOption = DEFAULT_DB_PATH,
    aliases: AliasOption = None,
    no_extract: Annotated[bool, typer.Option("--no-extract", help="Only ingest, clean and date; skip statements.")] = False,
    batch_size: Annotated[int, typer.Option(help="Documents per committed batch.", min=1)] = 64,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Worker processes for clean, date and statement extraction (default: number of CPUs; "
            "1 = in this process).",
            min=1,
        ),
    ] = None,
    embeddings: EmbeddingsOption = None,
) -> None:
    """Read articles into the store: clean, date, extract statements, merge. Safe to re-run."""

    registry = _load_aliases(aliases)
    problems = ProblemLog(on_problem=print_to_stderr())
    workers = workers if workers is not None else (os.cpu_count() or 1)
    with friendly_errors():
        similarity = embeddings_module.resolve(embeddings)
    if _nothing_to_read(paths, problems):
        raise fail("no documents found in the given paths (nothing was written)", EXIT_NOTHING_READ)
    with open_store(db, readonly=False) as store, friendly_errors():
        _note_similarity(store, similarity)
        try:
            runner = StoreIngest(
                store,
                registry=registry,
                batch_size=batch_size,
                extract=not no_extract,
                workers=workers,
                similarity=similarity,
            )
        except KeyboardInterrupt:
            raise fail("interrupted while resuming; nothing was lost, re-run to resume", 130) from None
        if runner.replayed:
            console.print(f"resumed: re-merged {runner.replayed:,} document(s) committed by an interrupted run",
                          highlight=False)
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=None), RateColumn())
        with Progress(*columns, TimeElapsedColumn(), console=console, transient=False) as progress:
            task = progress.add_task("ingesting", total=None)

            def on_document(report: IngestReport) -> None:
                progress.update(
                    task,
                    completed=report.read,
                    description=f"{report.read:,} read, {report.added + report.updated:,} new",
                )

            try:
                report = runner.run(paths, problems, on_document)
            except KeyboardInterrupt:
                progress.stop()
                done = runner.report.added + runner.report.updated if runner.report else 0
                raise fail(
                    f"interrupted: the documents of committed batches are kept (up to {done:,} new in this run); "
                    "re-run the same command to resume",
                    130,
                ) from None
            progress.update(task, total=report.read or 1, completed=report.read or 1)
    _summary(report)
    if report.read == 0 and report.rejected:
        raise typer.Exit(EXIT_NOTHING_READ)
    if report.read == 0:
        raise fail("no documents found in the given paths", EXIT_NOTHING_READ)


def analyze_command(
    paths: PathsArg,
    output_format: Annotated[str, typer.Option("--format", help="Output format (json).")] = "json",
    aliases: AliasOption = None,
    embeddings: EmbeddingsOption = None,
) -> None:
    """Run the whole pipeline without a store and print one JSON object to stdout."""
    if output_format != "json":
        raise fail(f"unknown format {output_format!r}: analyze prints json", 2)
    registry = _load_aliases(aliases)
    problems = ProblemLog(on_problem=print_to_stderr())
    with friendly_errors():
        similarity = embeddings_module.resolve(embeddings)
        result = analyze(paths, problems, registry=registry, similarity=similarity)
    write_json(result.to_json())
    _unread_note(result.unread)
    if problems.total:
        console.print(f"[yellow]rejected {problems.total} input(s)[/]", highlight=False)
    if not result.documents and problems.total:
        raise typer.Exit(EXIT_NOTHING_READ)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("analyze")(analyze_command)
