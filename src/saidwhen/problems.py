"""Bad input is reported, counted and skipped; it never aborts a run."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Problem:
    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass
class ProblemLog:
    """Collects rejected inputs with file and line, and reports them as they happen."""

    problems: list[Problem] = field(default_factory=list)
    on_problem: Callable[[Problem], None] | None = None
    max_kept: int = 10_000  # keep memory bounded on huge broken inputs; counting goes on
    counts: Counter[str] = field(default_factory=Counter)
    total: int = 0

    def add(self, path: str, reason: str, line: int | None = None) -> None:
        problem = Problem(path, line, reason)
        self.total += 1
        self.counts[reason.split(":")[0]] += 1
        if len(self.problems) < self.max_kept:
            self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    def __len__(self) -> int:
        return self.total


def print_to_stderr(stream: TextIO = sys.stderr) -> Callable[[Problem], None]:
    def report(problem: Problem) -> None:
        print(f"saidwhen: skipped {problem}", file=stream)

    return report
