"""Overlap and containment queries over spans in O(log n) each, for the statement merge of one document
(which used to compare every candidate with every other: quadratic in the length of an article)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator

from saidwhen.statements.base import Candidate, Span


class Coverage:
    """A fixed set of spans (quotes): does one of them contain a point, or a whole span?"""

    def __init__(self, spans: Iterable[Span]) -> None:
        ordered = sorted(spans)
        self.starts = [s for s, _ in ordered]
        self.reach: list[int] = []  # the largest end among the spans starting at or before each start
        best = -1
        for _, e in ordered:
            best = max(best, e)
            self.reach.append(best)

    def _reach(self, pos: int) -> int:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.reach[i] if i >= 0 else -1

    def covers_point(self, pos: int) -> bool:
        """Some span has start <= pos < end."""
        return self._reach(pos) > pos

    def covers(self, start: int, end: int) -> bool:
        """Some span has start' <= start and end <= end'."""
        return self._reach(start) >= end


class CandidateIndex:
    """Candidates by the hull of their content, in insertion order, for overlap queries.

    Candidates are bucketed by start; a query looks back only as far as the longest hull seen, and the
    few very long hulls are kept apart, so a query costs O(log n + nearby candidates)."""

    LONG = 4096  # hulls longer than this are scanned apart (a document holds few such)

    def __init__(self, cands: Iterable[Candidate] = ()) -> None:
        self.starts: list[tuple[int, int]] = []  # (start, seq), sorted
        self.items: list[Candidate] = []  # by seq
        self.long: list[int] = []  # seqs of long hulls
        self.longest = 0  # longest short hull
        for c in cands:
            self.add(c)

    def add(self, c: Candidate) -> None:
        seq = len(self.items)
        self.items.append(c)
        length = c.end - c.start
        if length > self.LONG:
            self.long.append(seq)
        else:
            self.longest = max(self.longest, length)
            bisect.insort(self.starts, (c.start, seq))

    def near(self, start: int, end: int) -> Iterator[Candidate]:
        """Candidates whose hull overlaps or touches [start, end], in insertion order (a superset of the
        overlapping ones: callers test `overlaps` or containment themselves)."""
        lo = bisect.bisect_left(self.starts, (start - self.longest, -1))
        hi = bisect.bisect_right(self.starts, (end, len(self.items)))
        seqs = [seq for s, seq in self.starts[lo:hi]]
        seqs += [seq for seq in self.long if self.items[seq].start <= end and start <= self.items[seq].end]
        for seq in sorted(seqs):
            yield self.items[seq]
