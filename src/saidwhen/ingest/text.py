"""Plain-text articles: optional header lines (`date YYYY-MM-DD`, `source NAME`, ...) and a title line."""

from __future__ import annotations

import re
from datetime import date

from saidwhen.ingest.files import InputError
from saidwhen.model import RawDocument

# A header line at the top: `date 2023-07-12`, `date: 2023-07-12`, `source: Daily Bugle`, ...
_HEADER = re.compile(
    r"(date|published|source|outlet|url|title|language|lang)(\s*:\s*|[ \t]+)(\S.*?)\s*", re.I
)
# The first line may also just start with the date: `date 2023-07-12 The mayor said ...` (leading
# whitespace and blank lines allowed: ` date 2023-06-01 NATO Secretary General ...`)
_DATE_PREFIX = re.compile(
    r"\s*date\s*:?[ \t]+(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?\S*)?[ \t]+(?=\S)", re.I
)
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")
_BLANK_LINES = re.compile(r"(?:[ \t]*\r?\n)+")
_FINAL_PUNCTUATION = ".!?,;:…"
_CLOSERS = "\"'”’»)]"
MAX_TITLE_CHARS = 150
MAX_TITLE_WORDS = 25
_KEYS = {"published": "date", "outlet": "source", "lang": "language"}


def _iso_date(value: str) -> date | None:
    m = _ISO_DATE.fullmatch(value.strip())
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


def _line_at(text: str, pos: int) -> tuple[str, int]:
    """The line starting at `pos` (without its line break) and the position after the break."""
    end = text.find("\n", pos)
    if end < 0:
        return text[pos:], len(text)
    return text[pos:end].rstrip("\r"), end + 1


def _read_header(text: str) -> tuple[dict[str, str], date | None, int]:
    """Header fields, the header date and the position where the article text starts."""
    fields: dict[str, str] = {}
    published: date | None = None
    pos = 0
    while pos < len(text):
        line, after = _line_at(text, pos)
        m = _HEADER.fullmatch(line.strip())
        if m:
            key = _KEYS.get(m.group(1).lower(), m.group(1).lower())
            has_colon = ":" in m.group(2)
            value = m.group(3)
            if key == "date":
                day = _iso_date(value)
                if day is None:
                    m = None
                else:
                    published = day
            elif not (has_colon or published is not None) or len(value) > 200:
                m = None  # "Source close to ..." is text; without a colon only after a date header
            if m is not None:
                fields[key] = value
                pos = after
                continue
        if not fields and published is None:
            prefix = _DATE_PREFIX.match(text)
            day = _iso_date(prefix.group(1)) if prefix else None
            if prefix and day:
                return fields, day, prefix.end()
            if not line.strip() and after < len(text):
                pos = after  # blank lines before a header
                continue
        break
    if not fields and published is None:
        return fields, None, 0
    if pos:
        blank = _BLANK_LINES.match(text, pos)
        if blank:
            pos = blank.end()
    return fields, published, pos


def find_title(text: str) -> str | None:
    """The first line when it reads as a title: short, no final punctuation, more text follows."""
    first, after = _line_at(text, 0)
    line = first.strip()
    if not line or len(line) > MAX_TITLE_CHARS or len(line.split()) > MAX_TITLE_WORDS:
        return None
    if line.rstrip(_CLOSERS)[-1:] in tuple(_FINAL_PUNCTUATION) or not any(c.isalpha() for c in line):
        return None
    rest = text[after:]
    if not rest.strip():
        return None  # a one-line document is text, not a title
    following = rest.lstrip(" \t")
    if following[:1].islower():
        return None  # a paragraph wrapped mid-sentence, not a title
    return line


def parse_text(text: str, path: str) -> RawDocument:
    """One document from a decoded .txt file; raises InputError when there is no article text."""
    fields, published, start = _read_header(text)
    body = text[start:]
    if not body.strip():
        raise InputError("no text: only header lines" if start else "empty file: no text")
    title = fields.get("title") or find_title(body)
    meta: dict[str, object] = {"format": "txt"}
    if start:
        meta["header"] = text[:start].strip()
    return RawDocument(
        source_path=path,
        source_key=path,
        text=body,
        title=title,
        url=fields.get("url"),
        outlet=fields.get("source"),
        language=fields.get("language"),
        published=published,
        published_from="header" if published else "unknown",
        meta=meta,
    )
