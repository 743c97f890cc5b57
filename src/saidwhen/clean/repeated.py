"""Lines learned as boilerplate because they recur across documents of an outlet (or of the whole corpus).

A line counts as repeated when it is short (`max_chars`), is not a prose sentence of `PROSE_WORDS` words,
holds no quotation mark or speech verb (those are statements), appears in at least `min_docs` documents, AND appears there between at least `min_docs`
different surroundings. The surroundings of a line are the nearest long lines before and after it: boilerplate sits
next to different article paragraphs every time, while reprints of one article carry the same neighbours,
so reprints never erase each other's sentences.

Per outlet a line must also reach `outlet_fraction` of that outlet's documents; across outlets it must
reach `min_fraction` of all documents. Lines are hashed (stable across processes), and singletons are
pruned when a table grows past `max_keys`, so memory stays bounded on any corpus.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from typing import Any

_NON_WORD = re.compile(r"[\W_]+")

_QUOTE_MARK = re.compile(r"[\"“”„«»]")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*$")
PROSE_WORDS = 10  # a finished sentence this long is article text, however often it recurs
_SPEECH_CUE = re.compile(r"\b(?:said|says|told|according\s+to|stated|announced|added|warned|claimed)\b", re.I)
CONTEXT_MIN_CHARS = 60  # lines at least this long serve as a line's surroundings


def line_key(line: str) -> str:
    """A line folded for comparison: lower case, punctuation and spaces as one space."""
    return _NON_WORD.sub(" ", line.lower()).strip()


def _hash(text: str) -> int:
    data = text.encode("utf-8", "surrogatepass")
    return (zlib.crc32(data) << 32) | zlib.adler32(data)


@dataclass
class LineHashes:
    """What `RepeatedLines.observe` counts of one document, computed once (`RepeatedLines.hashes`): its
    folded outlet and, for each distinct learnable line, (outlet-table hash, corpus-table hash, surroundings).
    A parallel ingest counts a document twice (the state sent ahead to the workers, the committed state) and
    selects the entries its lines look up (`parallel.repeated_view`): all from these hashes."""

    outlet: str
    lines: list[tuple[int, int, int]]


class RepeatedLines:
    """Counts, per outlet and corpus-wide, in how many documents and surroundings each short line occurs."""

    def __init__(
        self,
        min_docs: int = 3,
        min_fraction: float = 0.05,
        *,
        outlet_fraction: float = 0.01,
        max_chars: int = 120,
        max_keys: int = 200_000,
    ) -> None:
        self.min_docs = min_docs
        self.min_fraction = min_fraction
        self.outlet_fraction = outlet_fraction
        self.max_chars = max_chars
        self.max_keys = max_keys
        self.total_docs = 0
        self.outlet_docs: dict[str, int] = {}
        # hash -> [documents, distinct surroundings (at most min_docs of them)...]
        self.outlet_lines: dict[int, list[int]] = {}
        self.corpus_lines: dict[int, list[int]] = {}

    def _learnable(self, line: str) -> str | None:
        if len(line) > self.max_chars or _QUOTE_MARK.search(line) or _SPEECH_CUE.search(line):
            return None
        if line.count(" ") + 1 >= PROSE_WORDS and _SENTENCE_END.search(line):
            return None
        return line_key(line) or None

    def observe(self, text: str, outlet: str | None = None) -> None:
        """Count the lines of one document (call once per document, before cleaning)."""
        self.observe_hashes(self.hashes(text, outlet))

    def hashes(self, text: str, outlet: str | None = None) -> LineHashes:
        """The hashes `observe` counts for one document (pure: depends on the text and the parameters)."""
        outlet_name = (outlet or "").strip().lower()
        lines = [s for s in (raw.strip() for raw in text.splitlines()) if s]
        keys = [self._learnable(s) for s in lines]
        # The nearest long line before and after each line, as its surroundings.
        context_hash = [_hash(line_key(s)) & 0xFFFFFFFF if len(s) >= CONTEXT_MIN_CHARS else 0 for s in lines]
        before = [0] * len(lines)
        last = 0
        for i, h in enumerate(context_hash):
            before[i] = last
            if h:
                last = h
        counted: list[tuple[int, int, int]] = []
        seen: set[str] = set()
        nxt = 0
        for i in range(len(lines) - 1, -1, -1):
            key = keys[i]
            if key is not None and key not in seen:
                seen.add(key)
                context = (before[i] * 1_000_003 + nxt) & 0xFFFFFFFF
                counted.append((_hash(outlet_name + "\x1f" + key), _hash(key), context))
            if context_hash[i]:
                nxt = context_hash[i]
        return LineHashes(outlet_name, counted)

    def observe_hashes(self, hashes: LineHashes) -> None:
        """`observe` from the document's `hashes`."""
        outlet_name = hashes.outlet
        self.total_docs += 1
        self.outlet_docs[outlet_name] = self.outlet_docs.get(outlet_name, 0) + 1
        for outlet_hash, corpus_hash, context in hashes.lines:
            self._count(self.outlet_lines, outlet_hash, context)
            self._count(self.corpus_lines, corpus_hash, context)
        for table in (self.outlet_lines, self.corpus_lines):
            if len(table) > self.max_keys:
                self._prune(table)

    def _count(self, table: dict[int, list[int]], h: int, context: int) -> None:
        entry = table.get(h)
        if entry is None:
            table[h] = [1, context]
            return
        entry[0] += 1
        if len(entry) <= self.min_docs and context not in entry[1:]:
            entry.append(context)

    def _prune(self, table: dict[int, list[int]]) -> None:
        """Forget the rarest lines until the table is back to three quarters of `max_keys`."""
        floor = 1
        while len(table) > self.max_keys * 3 // 4:
            for h in [h for h, entry in table.items() if entry[0] <= floor]:
                del table[h]
            floor += 1

    def _hit(self, entry: list[int] | None, docs: int, fraction: float) -> bool:
        if entry is None or len(entry) - 1 < self.min_docs:
            return False
        return entry[0] >= max(self.min_docs, math.ceil(fraction * docs))

    def is_repeated(self, line: str, outlet: str | None = None) -> bool:
        """Whether a line recurs often enough, in enough different surroundings, to be boilerplate."""
        key = self._learnable(line.strip())
        if key is None:
            return False
        outlet_name = (outlet or "").strip().lower()
        outlet_entry = self.outlet_lines.get(_hash(outlet_name + "\x1f" + key))
        if self._hit(outlet_entry, self.outlet_docs.get(outlet_name, 0), self.outlet_fraction):
            return True
        return self._hit(self.corpus_lines.get(_hash(key)), self.total_docs, self.min_fraction)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "min_docs": self.min_docs,
            "min_fraction": self.min_fraction,
            "outlet_fraction": self.outlet_fraction,
            "max_chars": self.max_chars,
            "max_keys": self.max_keys,
            "total_docs": self.total_docs,
            "outlet_docs": dict(self.outlet_docs),
            "outlet_lines": [[h, *entry] for h, entry in self.outlet_lines.items()],
            "corpus_lines": [[h, *entry] for h, entry in self.corpus_lines.items()],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RepeatedLines:
        rep = cls(
            d.get("min_docs", 3),
            d.get("min_fraction", 0.05),
            outlet_fraction=d.get("outlet_fraction", 0.01),
            max_chars=d.get("max_chars", 120),
            max_keys=d.get("max_keys", 200_000),
        )
        rep.total_docs = int(d.get("total_docs", 0))
        rep.outlet_docs = {str(k): int(v) for k, v in d.get("outlet_docs", {}).items()}
        rep.outlet_lines = {int(row[0]): [int(x) for x in row[1:]] for row in d.get("outlet_lines", [])}
        rep.corpus_lines = {int(row[0]): [int(x) for x in row[1:]] for row in d.get("corpus_lines", [])}
        return rep
