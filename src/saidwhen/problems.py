"""Bad input is reported, counted and skipped; it never aborts a run.

A *problem* rejects an input (a file, a record, a document whose processing failed); a *note* reports
something repaired or cut short in an input that was still used (bytes replaced, text truncated)."""

from __future__ import annotations

import sys
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO


def escape_control(text: str) -> str:
    """`text` safe for a terminal or a log line: control, format and unassigned characters (escape
    sequences, newlines, bidi overrides, lone surrogates) written as `\\xNN`/`\\uNNNN` escapes."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable() or unicodedata.category(ch) == "Zs":
            out.append(ch)
        else:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


@dataclass
class Problem:
    path: str
    line: int | None
    reason: str
    rejected: bool = True  # False: a note about an input that was still used

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return escape_control(f"{where}: {self.reason}")


@dataclass
class ProblemLog:
    """Collects rejected inputs with file and line, and reports them as they happen."""

    problems: list[Problem] = field(default_factory=list)
    on_problem: Callable[[Problem], None] | None = None
    max_kept: int = 10_000  # keep memory bounded on huge broken inputs; counting goes on
    counts: Counter[str] = field(default_factory=Counter)
    total: int = 0
    notes: list[Problem] = field(default_factory=list)
    noted: int = 0

    def add(self, path: str, reason: str, line: int | None = None) -> None:
        problem = Problem(path, line, reason)
        self.total += 1
        self.counts[reason.split(":")[0]] += 1
        if len(self.problems) < self.max_kept:
            self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def note(self, path: str, reason: str, line: int | None = None) -> None:
        """Report a repair or a cut in an input that is still used (not counted as rejected)."""
        problem = Problem(path, line, reason, rejected=False)
        self.noted += 1
        if len(self.notes) < self.max_kept:
            self.notes.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def __len__(self) -> int:
        return self.total


def print_to_stderr(stream: TextIO | None = None) -> Callable[[Problem], None]:
    def report(problem: Problem) -> None:
        print(f"saidwhen: {'skipped' if problem.rejected else 'note:'} {problem}", file=stream or sys.stderr)

    return report
