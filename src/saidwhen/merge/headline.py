"""Readable event titles: an article's headline-like lead clause, and an event's title from its most central
article's headline, its place and its date ("Quake kills 12 in Tolmezzo — Tolmezzo, 3 March 2024")."""

from __future__ import annotations

import re
from datetime import date

MAX_CHARS = 90
_LINE_DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Za-z.'’\-]+(?: [A-Z][A-Za-z.'’\-]+){0,3}"  # WASHINGTON / St. Louis
    r"(?:,[ \t]*[A-Z][A-Za-z.]+(?: [A-Z][a-z.]+)?)?"  # , Ill.
    r"(?:,?[ \t]+[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"  # , March 3
    r"[ \t]*(?:\([^)\n]{1,30}\))?[ \t]*[—–-]{1,2}[ \t]+"  # (Reuters) -
)
_SENTENCE_END = re.compile(r"(?<=[a-z0-9\"'’”)])[.!?](?=\s+[A-Z\"“‘'])")
_CLAUSE_BREAKS = (" — ", " – ", " - ", "; ", ": ", ", ")
_WORD = re.compile(r"[A-Za-z]{2,}")


def lead_clause(text: str, max_chars: int = MAX_CHARS) -> str | None:
    """The article's headline-like first clause: the first line of at least four words (a headline, or
    the first sentence of the lead) without its dateline, cut at a clause break (else a word) to at most
    `max_chars` characters. None when the text has no such line."""
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(_WORD.findall(line)) < 4 or line.lower().startswith(("http", "www.")):
            continue
        m = _LINE_DATELINE.match(line)
        if m and len(_WORD.findall(line[m.end() :])) >= 4:
            line = line[m.end() :]
        end = _SENTENCE_END.search(line)
        if end:
            line = line[: end.start()]
        return _shorten(line.strip(" .;:,"), max_chars)
    return None


def _shorten(line: str, max_chars: int) -> str:
    if len(line) <= max_chars:
        return line
    head = line[: max_chars + 1]
    for brk in _CLAUSE_BREAKS:
        cut = head.rfind(brk)
        if cut >= max_chars // 2:
            return head[:cut].rstrip(" ,;:")
    cut = head.rfind(" ")
    return (head[:cut] if cut > 0 else head[:max_chars]).rstrip(" ,;:") + "…"


def event_title(headline: str | None, place: str | None, day: date | None) -> str:
    """The headline, then the place (unless the headline names it) and the date: "Headline — Place, 3 March
    2024"; "(untitled)" without a headline."""
    title = headline or "(untitled)"
    where = [place] if place and place.lower() not in title.lower() else []
    if day is not None:
        where.append(f"{day.day} {day:%B %Y}")
    return f"{title} — {', '.join(where)}" if where else title
