"""When was each statement made?

A statement is dated by a day- or month-granularity time expression that governs it: one in the sentence
of its speech cue or in the sentence where the statement starts ("On September 30, Zelensky announced
...", "We will remind that on November 15, X stated ...", "X said on Tuesday"), but never one inside
the reported content ("we will meet on Friday") and never a date after the publication date. Otherwise
the statement takes the document's publication date.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import Document, Statement, TimeExpression
from .timex import find_timexes

_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Sgt|Capt|Gov|Sen|Rep|Rev|St|Jr|Sr|Inc|Corp|Co|Ltd|No|vs|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|U\.S|U\.N|U\.K|E\.U)|\b[A-Z])\.$"
)
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z\"'“‘(\[])")
_QUOTE_CHARS = "\"'“”‘’«»„"


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence [start, end) spans: split on . ! ? before a capital, on blank lines, and on single line
    breaks after a short line (a title, a dateline); a line wrapped mid-sentence stays one sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if m.group(0)[0] == "." and _ABBREV.search(text[max(0, m.start() - 6) : m.start() + 1]):
            continue
        if m.group(0) == "\n":
            line_start = text.rfind("\n", 0, m.start()) + 1
            if m.start() - line_start >= 60:
                continue  # a wrapped line
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def _sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int] | None:
    i = bisect.bisect_right(spans, pos, key=lambda span: span[0]) - 1  # spans are in text order, disjoint
    if i >= 0 and spans[i][0] <= pos < spans[i][1]:
        return spans[i]
    return None


def _loose_pattern(fragment: str) -> str:
    """A regex matching `fragment` up to whitespace, quote and dash normalisation."""
    out: list[str] = []
    for ch in fragment:
        if ch.isspace():
            if not out or out[-1] != r"\s+":
                out.append(r"\s+")
        elif ch in _QUOTE_CHARS:
            out.append(f"[{re.escape(_QUOTE_CHARS)}]")
        elif ch in "-–—":
            out.append("[-–—]")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _content_span(text: str, st: Statement) -> tuple[int, int] | None:
    """Where the reported content sits in the original text (None when it cannot be found)."""
    content = st.text.strip().strip(_QUOTE_CHARS).strip()
    if not content:
        return None
    lo, hi = max(0, st.start - 5), min(len(text), max(st.end, st.start + len(content)) + 5)
    i = text.find(content, lo, hi)
    if i >= 0:
        return (i, i + len(content))
    # a quote split by its cue ("A," she said. "B.") or normalised by the cleaner (whitespace, quotes,
    # dashes): find a prefix and a suffix, verbatim first (no regex to compile for each statement)
    head_text, tail_text = content[:50].strip(), content[-50:].strip()
    start = text.find(head_text, lo, hi)
    if start >= 0:
        head_end = start + len(head_text)
    else:
        mh = re.compile(_loose_pattern(head_text)).search(text, lo, hi)
        if mh is None:
            return None
        start, head_end = mh.start(), mh.end()
    end = text.rfind(tail_text, start, hi)
    if end >= 0:
        return (start, end + len(tail_text))
    ends = [mt.end() for mt in re.compile(_loose_pattern(tail_text)).finditer(text, start, hi)]
    return (start, ends[-1] if ends else head_end)


Span = tuple[int, int]
_QUOTED = re.compile(r"[\"“„«][^\"“”„«»]*[\"”»]|(?<!\w)[‘'][^‘’']*[’'](?!\w)")


def _inside(pos: int, regions: list[Span]) -> bool:
    return any(s <= pos < e for s, e in regions)


def _cue_pos(text: str, st: Statement, excluded: list[Span], spans: list[Span]) -> int | None:
    """Offset of the speech cue near the statement, outside what was said; a cue in the sentence where the
    statement starts or ends wins over a nearer one in a neighbouring sentence."""
    if not st.cue or not st.cue.strip() or st.cue.strip() == ":":
        return None
    rx = re.compile(r"\b" + re.escape(st.cue.strip()) + r"\b", re.I)
    lo, hi = max(0, st.start - 200), min(len(text), st.end + 200)
    hits = [m.start() for m in rx.finditer(text, lo, hi) if not _inside(m.start(), excluded)]
    if not hits:
        return None
    inside = [h for h in hits if st.start <= h < st.end]
    if inside:
        return inside[0]
    own = [s for s in (_sentence_of(spans, st.start), _sentence_of(spans, max(st.start, st.end - 1))) if s]
    return min(hits, key=lambda h: (not _inside(h, own), min(abs(h - st.start), abs(h - st.end))))


_WEEKDAY_WORD = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day", re.I)
_MONTH_WORD = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s|$)|^\d{1,2}[./]\d{1,2}$", re.I
)


def _pastify(tx: TimeExpression, anchor: date) -> date | None:
    """A statement was made in the past: resolve a yearless date or weekday to its past occurrence."""
    d = tx.as_date()
    if d is None or d <= anchor:
        return d
    if re.search(r"\d{4}", tx.text) or re.search(r"\b(?:next|coming|tomorrow)\b", tx.text, re.I):
        return None  # an explicit future date: not when something was said
    if _WEEKDAY_WORD.search(tx.text) and not re.search(r"\d", tx.text):
        back = d - timedelta(days=7 * ((d - anchor).days // 7 + 1))
        return back if back <= anchor else None
    if _MONTH_WORD.search(tx.text):
        try:
            back = d.replace(year=d.year - 1)
        except ValueError:
            return None
        return back if back <= anchor else None
    return None


@dataclass
class _Frame:
    """Where to look for a statement's date: the sentences of its cue and of its start, minus what was said."""

    content: Span | None
    excluded: list[Span]
    cue: int | None
    sentences: list[Span]
    ref: int  # the cue (or the statement's start): the nearest date to it wins


def date_statements(doc: Document, statements: list[Statement]) -> None:
    """Set `date` and `date_from` of each statement in place.

    Only the time expressions of the sentences that can govern a statement count, so the rules scan those
    sentences alone (`find_timexes(..., regions=)`)."""
    text = doc.text
    anchor = doc.published
    spans = sentence_spans(text) if statements else []
    frames = [_frame(text, st, spans) for st in statements]
    regions = sorted({sent for f in frames for sent in f.sentences})
    timexes = [
        t for t in find_timexes(text, anchor, regions)
        if t.kind in ("date", "time") and t.granularity in ("day", "month") and t.as_date() is not None
    ] if regions else []  # fmt: skip
    for st, frame in zip(statements, frames, strict=True):
        found = _governing_date(frame, timexes, anchor) if timexes else None
        if found is not None:
            st.date, st.date_from = found, "text"
        elif anchor is not None:
            st.date, st.date_from = anchor, "document"
        else:
            st.date, st.date_from = None, "unknown"


def _frame(text: str, st: Statement, spans: list[Span]) -> _Frame:
    content = _content_span(text, st)
    excluded: list[Span] = [content] if content else []
    cue = _cue_pos(text, st, excluded, spans)
    if cue is None and content is not None:
        # a split quote ('"We will win," he said on Tuesday, "and soon."'): the cue sits between quoted parts
        lo, hi = content
        if lo > 0 and text[lo - 1] in _QUOTE_CHARS:
            lo -= 1  # take in the quotation marks around the content
        if hi < len(text) and text[hi] in _QUOTE_CHARS:
            hi += 1
        quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text, lo, hi)]
        if quoted:
            excluded = quoted
            cue = _cue_pos(text, st, excluded, spans)
    if content is None and cue is not None and not (st.start <= cue < st.end):
        excluded = [(st.start, st.end)]  # the statement span is the content itself
        content = (st.start, st.end)
    sentences: list[Span] = []
    for pos in (cue, st.start):
        if pos is None:
            continue
        sent = _sentence_of(spans, pos)
        if sent and sent not in sentences:
            sentences.append(sent)
    return _Frame(content, excluded, cue, sentences, cue if cue is not None else st.start)


def _governing_date(f: _Frame, timexes: list[TimeExpression], anchor: date | None) -> date | None:
    best: tuple[tuple[int, int], date] | None = None
    for tx in timexes:
        if not any(s <= tx.start and tx.end <= e for s, e in f.sentences):
            continue
        if any(tx.start < e and s < tx.end for s, e in f.excluded):
            continue  # inside what was said
        if f.content is None and f.cue is not None and tx.start > f.cue + 40:
            continue  # without a located content span, only a date right after the cue may govern
        d = _pastify(tx, anchor) if anchor is not None else tx.as_date()
        if d is None:
            continue
        rank = (0 if tx.granularity == "day" else 1, abs(tx.start - f.ref))
        if best is None or rank < best[0]:
            best = (rank, d)
    return best[1] if best else None
