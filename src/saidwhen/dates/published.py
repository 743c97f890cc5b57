"""Publication date of an article: from metadata when present, else inferred from the text.

In order of trust (`published_from` says which):

1. metadata (a record field, an HTML meta tag, a `date` header line of a text file);
2. `header`: a `date 2023-06-01` header at the top, also with leading whitespace and run into the first
   paragraph (" date 2023-06-01 NATO Secretary General ..."), a "Published: ..." / "Posted on ..." line
   (then "Updated ..." when nothing else);
3. `url`: a full date in the article's URL (`/2023/06/01/`, `/2023-06-01/`, `/20230601/`, `/2023/jun/01/`);
4. `inferred`: a wire-style dateline with a year, else the day the article's own date mentions point to
   (`evidence.estimate`; a dateline's "Nov 22" votes three times).

The corpus stage (`saidwhen.merge.dating`) later dates what is still undated from the articles that report
the same happening (`event`).

Photo captions and credits ("... speaks in Kyiv on May 3, 2022. REUTERS/Name", "(Photo: ...)",
"| Getty Images") are never a source: a caption's date is the date of the picture, not of the article.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..model import CleanText, PublishedFrom, RawDocument
from .evidence import Evidence, collect_evidence, estimate
from .lexicon import MONTH, MONTHS
from .timex import find_timexes

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
# `date 2023-06-01` (or `Published: 2023-06-01`) at the very top, maybe run into the first paragraph
_HEADER_DATE = re.compile(r"\A\s*(?:date|dated|published|posted)\s*:?[ \t]+(\d{4}-\d{2}-\d{2})\b", re.I)
_URL_DATE = re.compile(
    r"(?<![\d])(20\d\d|19\d\d)(?:([/_-])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"
    r"|/([a-z]{3})/(0[1-9]|[12]\d|3[01]))(?![\d])",
    re.I,
)


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


def _full_dates(line: str) -> list[date]:
    """Day-granularity dates with an explicit year in one line."""
    full: list[date] = []
    for tx in find_timexes(line, None):
        if tx.kind in ("date", "time") and re.match(r"\d{4}-\d{2}-\d{2}", tx.value) and re.search(r"\d{4}", tx.text):
            d = tx.as_date()
            if d is not None:
                full.append(d)
    return full


def infer_published(raw: RawDocument, clean: CleanText) -> tuple[date | None, PublishedFrom]:
    """The article's publication date and how it was obtained."""
    if raw.published is not None:
        src: PublishedFrom = raw.published_from if raw.published_from != "unknown" else "metadata"
        return raw.published, src
    limit = date.today() + timedelta(days=2)
    found = header_date(clean.text, limit)
    if found is not None:
        return found, "header"
    found = url_date(raw.url, limit)
    if found is not None:
        return found, "url"
    d = infer_from_text(clean.text)
    return (d, "inferred") if d is not None else (None, "unknown")


def url_date(url: str | None, limit: date | None = None) -> date | None:
    """A full date in a URL's path (`/2023/06/01/`, `/2023-06-01`, `/20230601/`, `/2023/jun/01/`)."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url.strip(), flags=re.I)
    for m in _URL_DATE.finditer(path):
        year = int(m.group(1))
        if m.group(3):
            month, day = int(m.group(3)), int(m.group(4))
        elif m.group(5):
            if not re.search(rf"(?:^|[/_-]){m.group(0)}(?:$|[/_.-])", path):
                continue  # eight digits inside a longer id
            month, day = int(m.group(5)), int(m.group(6))
        else:
            month, day = MONTHS.get(m.group(7).lower(), 0), int(m.group(8))
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found <= (limit or date.today() + timedelta(days=2)):
            return found
    return None


def header_date(text: str, limit: date | None = None) -> date | None:
    """A publication date the page states: a `date YYYY-MM-DD` header at the top (leading whitespace and
    the first paragraph on the same line allowed), else a "Published ..." line near the top or bottom,
    else an "Updated ..." line. Captions never count."""
    limit = limit or date.today() + timedelta(days=2)
    m = _HEADER_DATE.match(text)
    if m:
        try:
            found = date.fromisoformat(m.group(1))
        except ValueError:
            found = None
        if found is not None and found <= limit:
            return found
    lines = [(pos, line) for pos, line in _lines(text) if not is_caption(line)]
    published: list[date] = []
    updated: list[date] = []
    for i, (_, line) in enumerate(lines):
        if 3 < i < len(lines) - 3:
            continue
        mk = _MARKER.match(line)
        if not mk:
            continue
        dates = [d for d in _full_dates(line[mk.end() : mk.end() + 60]) if d <= limit]
        if dates:
            (published if mk.group(1) else updated).append(dates[0])
    if published:
        return min(published)
    return min(updated) if updated else None


def text_evidence(text: str) -> Evidence:
    """The votes of an article's own date mentions (`evidence.collect_evidence`): captions left out, a
    dateline in the first lines weighing three."""
    lines = _lines(text)
    skip = [(pos, pos + len(line)) for pos, line in lines if is_caption(line)]
    dateline = None
    for pos, line in [pl for pl in lines if not is_caption(pl[1])][:3]:
        m = _DATELINE.match(line)
        if m:
            dateline = (pos + m.start(1), pos + m.end(1))
            break
    return collect_evidence(text, skip, dateline)


def dateline_date(text: str, limit: date) -> date | None:
    """The date of a dateline with a year in the first lines ("PARIS, March 3, 2015 (AFP) -")."""
    for _, line in [pl for pl in _lines(text) if not is_caption(pl[1])][:3]:
        m = _DATELINE.match(line)
        if m and re.search(r"\d{4}", m.group(1)):
            got = _full_dates(m.group(1))
            if got and got[0] <= limit:
                return got[0]
    return None


def infer_from_text(text: str, today: date | None = None, *, evidence: Evidence | None = None) -> date | None:
    """The most plausible publication date of an article from its (cleaned) text, or None: a stated date
    (`header_date`), a dateline with a year, else the day its date mentions point to (`evidence`: the
    text's `text_evidence`, when computed already)."""
    limit = (today or date.today()) + timedelta(days=2)
    found = header_date(text, limit) or dateline_date(text, limit)
    if found is not None:
        return found
    est = estimate(evidence if evidence is not None else text_evidence(text), limit=limit)
    return est.day if est is not None else None
