"""One line for a failure of the store file itself, shared by the CLI and the HTTP API."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def is_store_failure(exc: BaseException) -> bool:
    """A failure of the file or the machine (damaged, foreign, locked, full), not a bug in a statement
    (constraint, misuse), which stays an error with its traceback."""
    return type(exc) in (sqlite3.DatabaseError, sqlite3.OperationalError)


def store_error_message(exc: sqlite3.DatabaseError, db: str | Path | None = None) -> str:
    """What went wrong with the SQLite file, in words: a full disk, a busy store, or a damaged / foreign file."""
    where = f" {db}" if db is not None else ""
    text = str(exc) or type(exc).__name__
    if "disk is full" in text or getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return f"the disk is full: could not write the store{where} ({text}); free some space and run it again"
    if "locked" in text or "busy" in text:
        return f"the store{where} is busy (another process is writing to it): try again when it is done"
    return f"the store{where} cannot be read: {text} (damaged, or not a saidwhen database)"
