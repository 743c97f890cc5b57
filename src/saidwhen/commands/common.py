"""Options, output helpers and error handling shared by the CLI commands."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from saidwhen.embeddings import EmbeddingsMissingError
from saidwhen.model import SPEAKER_TYPES
from saidwhen.nlp import ModelMissingError
from saidwhen.store import DEFAULT_DB, SchemaTooNewError, Store

console = Console(stderr=True)  # messages and progress go to stderr; data goes to stdout

DbOption = Annotated[
    Path, typer.Option("--db", help="SQLite database file (created on first ingest).", envvar="SAIDWHEN_DB")
]
DEFAULT_DB_PATH = Path(DEFAULT_DB)
SinceOption = Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD), inclusive.")]
UntilOption = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY-MM-DD), inclusive.")]
SpeakerOption = Annotated[str | None, typer.Option("--speaker", "-s", help="Canonical speaker or mention.")]
LanguageOption = Annotated[
    str | None, typer.Option("--language", help="Only articles in this language (ISO 639 code: en, fr, uk).")
]
SpeakerTypeOption = Annotated[str | None, typer.Option(
    "--speaker-type", help="Only sources of this type: " + ", ".join(SPEAKER_TYPES) + ".")]

EXIT_NOTHING_READ = 1
EXIT_NOT_FOUND = 4
EXIT_MODEL_MISSING = 3


def fail(message: str, code: int = 1) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Known failures become one clear line and an exit code, never a traceback."""
    try:
        yield
    except (ModelMissingError, EmbeddingsMissingError) as exc:
        raise fail(str(exc), EXIT_MODEL_MISSING) from None
    except SchemaTooNewError as exc:
        raise fail(str(exc), 1) from None
    except FileNotFoundError as exc:
        raise fail(str(exc), EXIT_NOT_FOUND) from None
    except BrokenPipeError:  # `saidwhen ... | head`
        sys.stderr.close()
        raise typer.Exit(0) from None


@contextmanager
def open_store(db: Path, *, readonly: bool = True) -> Iterator[Store]:
    with friendly_errors():
        if readonly and not db.exists():
            raise FileNotFoundError(f"no saidwhen database at {db} (create one with `saidwhen ingest PATH --db {db}`)")
        store = Store(db, readonly=readonly)
    try:
        yield store
    finally:
        store.close()


def write_json(obj: Any) -> None:
    json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def write_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_csv(rows: list[dict[str, Any]], columns: list[str]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})


def shorten(text: str | None, width: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"
