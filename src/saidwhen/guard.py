"""One document's failure is a problem for that document, never the end of a run.

`each` applies a function to every item on its own; `batch_or_each` tries a whole batch at once (the fast
path: one `nlp.pipe`, one embedding call) and only when that raises runs the items one by one, so the
failing items are found and the others still go through. Failures are (index, reason) pairs for the
caller to report with the item's file and line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from saidwhen.ingest.files import one_line

T = TypeVar("T")
R = TypeVar("R")

Failure = tuple[int, str]  # (index of the item, one-line reason)


def describe(error: BaseException) -> str:
    """The problem reason for an error raised while processing one document."""
    return f"could not process: {type(error).__name__}: {one_line(error)}"


def each(items: Sequence[T], fn: Callable[[T], R]) -> tuple[list[R | None], list[Failure]]:
    """`fn` of every item; a raising item gives None and a failure."""
    out: list[R | None] = []
    failures: list[Failure] = []
    for i, item in enumerate(items):
        try:
            out.append(fn(item))
        except Exception as e:  # one bad document must not end the run
            out.append(None)
            failures.append((i, describe(e)))
    return out, failures


def batch_or_each(items: Sequence[T], fn: Callable[[list[T]], list[R]]) -> tuple[list[R | None], list[Failure]]:
    """`fn` (one result per item, in order) of the whole batch; if it raises, of each item alone."""
    try:
        return list(fn(list(items))), []
    except Exception:
        pass
    results, failures = each(items, lambda item: fn([item]))
    return [r[0] if r is not None else None for r in results], failures
