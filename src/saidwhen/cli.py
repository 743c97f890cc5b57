"""The `saidwhen` command line entry point.

The Typer app (`saidwhen.commands.app`) and the libraries behind it are imported inside `main`, so that an
interrupt (Ctrl-C) while they load ends the run like one at any other moment: one line, exit 130, no
traceback. Failures of the machine rather than of the input (a full disk, a damaged store file) that escape a
command are one line too. `saidwhen.cli.app` is the app itself, for tests and embedding.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import sys
from typing import Any

EXIT_INTERRUPTED = 130
EXIT_FAILED = 1


def _error(message: str, code: int) -> SystemExit:
    sys.stderr.write(f"error: {message}\n" if code != EXIT_INTERRUPTED else f"{message}\n")
    return SystemExit(code)


def _drop_stdout() -> None:
    """Send what is left of standard output nowhere, so that closing it at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main() -> None:
    try:
        from saidwhen.commands.app import app

        try:
            app()
        finally:
            sys.stdout.flush()  # data still buffered meets a full disk here, not at interpreter exit
    except KeyboardInterrupt:
        raise _error("interrupted", EXIT_INTERRUPTED) from None
    except sqlite3.DatabaseError as exc:
        from saidwhen.store.errors import is_store_failure, store_error_message

        if not is_store_failure(exc):
            raise
        raise _error(store_error_message(exc), EXIT_FAILED) from None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        _drop_stdout()
        where = f" ({exc.filename})" if exc.filename else ""
        raise _error(f"the disk is full: {exc.strerror}{where}; free some space and run it again", EXIT_FAILED) from None


def __getattr__(name: str) -> Any:
    if name == "app":
        from saidwhen.commands.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()
