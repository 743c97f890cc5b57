"""Plain dataclasses passed between the pipeline stages.

ingest -> RawDocument; clean -> CleanText; date -> Document.published;
statements -> Statement; merge -> Event, Claim, MergedStatement.

Every offset (`start`, `end`) points into `Document.text`, the original text as ingested
(decoded, before cleaning), so `document.text[start:end]` is always the evidence.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

PublishedFrom = Literal["metadata", "header", "html", "url", "inferred", "event", "corpus", "unknown"]
StatementKind = Literal["direct", "indirect", "mixed", "belief"]  # belief: --attribution accurate with beliefs
DateFrom = Literal["text", "document", "unknown"]
# what a statement's source is (`Statement.speaker_type`)
SPEAKER_TYPES = ("person", "organisation", "group", "document", "anonymous", "unknown")


@dataclass
class RawDocument:
    """One article as read from an input, before cleaning."""

    source_path: str  # file the article came from ("-" for stdin)
    source_key: str  # stable key of the article inside the input (path, path#line, WARC record URI)
    text: str  # the original text; all offsets point into it
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: date | None = None  # from metadata, header or HTML
    published_from: PublishedFrom = "unknown"
    line: int | None = None  # 1-based line (JSONL/CSV) or record number (WARC) inside source_path
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Removed:
    """A part of the original text the cleaner removed, and why."""

    start: int
    end: int
    reason: str


@dataclass
class CleanText:
    """Cleaned text plus a map from every cleaned character back to the original text.

    `offsets[i]` is the index in the original text of cleaned character `i`; `offsets` has one
    extra trailing entry (the original end) so that spans `[a, b)` map with `to_original(a, b)`.
    """

    text: str
    offsets: list[int]
    removed: list[Removed] = field(default_factory=list)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned span [start, end) to the original span that covers it."""
        if not self.text:
            return (0, 0)
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if end == start:
            pos = self.offsets[start]
            return (pos, pos)
        return (self.offsets[start], self.offsets[end - 1] + 1)


@dataclass
class Document:
    """An ingested, cleaned and dated article."""

    id: str
    source_path: str
    source_key: str
    text: str
    clean: CleanText
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: date | None = None
    published_from: PublishedFrom = "unknown"
    # first and last plausible day when the evidence is a range (corpus dating), else None
    published_range: tuple[date, date] | None = None
    duplicate_of: str | None = None
    event_id: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class TimeExpression:
    """A time expression found in a text, normalised against an anchor date."""

    start: int
    end: int
    text: str
    value: str  # TimeML-like value: "2023-07-12", "2023-07", "2023", "2023-W28", "PRESENT_REF"
    granularity: Literal["day", "week", "month", "year", "other"]
    kind: Literal["date", "time", "duration", "set"] = "date"

    def as_date(self) -> date | None:
        """The first day the value denotes, when it is a calendar date of known granularity."""
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", self.value)
        if not m:
            return None
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            return date(y, mo, d)
        except ValueError:
            return None


@dataclass
class Statement:
    """Who said what: a direct quote or reported speech, with its evidence span."""

    id: str
    document_id: str
    speaker: str | None  # canonical person/organisation, or None when unresolved
    speaker_mention: str | None  # the text that names the speaker in this article
    text: str  # the statement content
    kind: StatementKind
    cue: str | None  # the speech verb or phrase ("said", "according to", ":")
    start: int  # offsets into Document.text: text[start:end] contains the statement
    end: int
    confidence: float
    date: date | None = None
    date_from: DateFrom = "unknown"
    claim_id: str | None = None
    merged_id: str | None = None  # id of the merged statement this report belongs to
    # what the source is: person | organisation | group | document | anonymous | unknown (no source, or unclear);
    # an unnamed source keeps its description as `speaker` ("officials (unnamed)")
    speaker_type: str | None = None


@dataclass
class Event:
    id: str
    date: date | None
    title: str
    place: str | None
    document_ids: list[str]


@dataclass
class Claim:
    id: str
    statement_ids: list[str]
    summary: str


@dataclass
class MergedStatement:
    """One statement reported by several outlets or in several wordings."""

    id: str
    speaker: str | None
    text: str  # the representative wording
    date: date | None
    statement_ids: list[str]


_SPACE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'"})


def normalise_for_hash(text: str) -> str:
    """Text normalised for identity: NFKC, unified quotes, folded whitespace, lower case."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip().lower()


def stable_id(*parts: str, prefix: str = "") -> str:
    """A short stable id from the given parts (sha1, 16 hex digits)."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return f"{prefix}{h}"


def document_id(text: str, source: str | None) -> str:
    """Content hash of the normalised text plus the source (outlet, else nothing)."""
    return stable_id(normalise_for_hash(text), (source or "").lower(), prefix="d")
