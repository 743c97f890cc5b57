"""Publication date of an article: from metadata when present, else inferred from the text.

Inference, in order of trust:

1. a "Published: ...", "Posted on ...", "Date: ..." line (then "Updated ..." when nothing else);
2. a wire-style dateline in the first lines ("KYIV, Nov 22 (Reuters) -", "WASHINGTON, March 12 (AP) --");
3. the latest full date (with a year) mentioned in the body that is not in the future tense.

Photo captions and credits ("... speaks in Kyiv on May 3, 2022. REUTERS/Name", "(Photo: ...)",
"| Getty Images") are never a source: a caption's date is the date of the picture, not of the article.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..model import CleanText, PublishedFrom, RawDocument
from .lexicon import MONTH
from .timex import find_timexes, tense_hint

_CAPTION = re.compile(
    r"REUTERS/|\bAP Photo\b|\bAFP Photo\b|\bEPA(?:-EFE)?/|\bANP/|/\s*(?:AFP|AP|EPA|Reuters|Getty Images)\b|"
    r"\|\s*(?:Getty Images|AFP|AP|Reuters|EPA|Shutterstock|Bloomberg|Alamy)\b|"
    r"\b(?:Getty Images|Shutterstock|Alamy Stock Photo)\s*$|"
    r"^\s*\(?\s*(?:photo|image|picture|pic|credit|file photo|caption)\s*(?:by\b|:|-|–)|"
    r"\((?:photo|image|picture|credit|pictured)\b[^)]*\)|\bfile photo\b|\bpicture taken\b|"
    r"\bphoto(?:graph)?\s+(?:by|courtesy|credit)\b|\bphoto:\s|\bpictured\b",
    re.I,
)
_MARKER = re.compile(
    r"^\s*(?:(published|posted|first published|date|dated)|(updated|last updated|last modified|modified))"
    r"\b\s*(?:on|at)?\s*[:\-–—]?\s*",
    re.I,
)
_DATELINE = re.compile(
    rf"^\s*[A-Z][A-Za-z .'’-]{{1,40}}(?:,\s*[A-Z][A-Za-z .'’-]{{1,30}})?,?\s+"
    rf"({MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?)\s*(?:\(|[-–—]|/)",
)
_YEAR_RX = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def is_caption(line: str) -> bool:
    """Is this line a photo caption or credit?"""
    return bool(_CAPTION.search(line))


def _lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, line))
        pos += len(line) + 1
    return out


def _full_dates(line: str, tense_filter: bool = True) -> list[date]:
    """Day-granularity dates with an explicit year in one line; future-tense ones dropped."""
    return _mentions(line, tense_filter)[0]


def _mentions(line: str, tense_filter: bool = True) -> tuple[list[date], list[int]]:
    """Full dates (with a year) and bare years mentioned in a line (future tense dropped)."""
    full: list[date] = []
    years: list[int] = []
    for tx in find_timexes(line, None):
        if tx.kind not in ("date", "time"):
            continue
        if tense_filter and tense_hint(line, tx.start, tx.end) == "future":
            continue
        if re.match(r"\d{4}-\d{2}-\d{2}", tx.value) and re.search(r"\d{4}", tx.text):
            d = tx.as_date()
            if d is not None:
                full.append(d)
        elif re.fullmatch(r"\d{4}", tx.value):
            years.append(int(tx.value))
    return full, years


def infer_published(raw: RawDocument, clean: CleanText) -> tuple[date | None, PublishedFrom]:
    """The article's publication date and how it was obtained."""
    if raw.published is not None:
        src: PublishedFrom = raw.published_from if raw.published_from != "unknown" else "metadata"
        return raw.published, src
    d = infer_from_text(clean.text)
    return (d, "inferred") if d is not None else (None, "unknown")


def infer_from_text(text: str, today: date | None = None) -> date | None:
    """The most plausible publication date of an article from its (cleaned) text, or None."""
    limit = (today or date.today()) + timedelta(days=2)
    lines = [(pos, line) for pos, line in _lines(text) if not is_caption(line)]

    # 1. explicit "Published:" / "Updated:" lines (only near the top or bottom of the article)
    published: list[date] = []
    updated: list[date] = []
    for i, (_, line) in enumerate(lines):
        if 3 < i < len(lines) - 3:
            continue
        m = _MARKER.match(line)
        if not m:
            continue
        dates = [d for d in _full_dates(line[m.end() : m.end() + 60], tense_filter=False) if d <= limit]
        if dates:
            (published if m.group(1) else updated).append(dates[0])
    if published:
        return min(published)

    full: list[date] = []
    years: list[int] = []
    for _, line in lines:
        f, y = _mentions(line)
        full += [d for d in f if d <= limit]
        years += [x for x in y if x <= limit.year]
    ref = max(full) if full else (date(max(years), 7, 1) if years else None)

    # 2. a dateline in the first lines; its year may be missing ("KYIV, Nov 22 (Reuters) -")
    for _, line in lines[:3]:
        m = _DATELINE.match(line)
        if not m:
            continue
        part = m.group(1)
        if re.search(r"\d{4}", part):
            got = _full_dates(part, tense_filter=False)
            if got and got[0] <= limit:
                return got[0]
            continue
        if ref is None:
            break
        # the dateline is on or after every full date the body mentions
        low = max(full) if full else date(ref.year, 1, 1)
        for y in (low.year, low.year + 1):
            got = _full_dates(f"{part} {y}", tense_filter=False)
            if got and low <= got[0] <= limit:
                return got[0]
        break

    if updated:
        return min(updated)

    # 3. the latest full date the body mentions. Yearless dates are not used: tried against the Timeline17
    #    publication dates, resolving them around the latest full date gave more wrong answers than right ones.
    return max(full) if full else None
