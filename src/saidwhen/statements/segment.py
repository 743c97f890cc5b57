"""Cheap paragraph and sentence segmentation (regex), used to prefilter text before parsing."""

from __future__ import annotations

import re

_PARA_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_ABBREV = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "st", "jr", "sr", "lt", "col", "sgt", "capt", "prof",
    "rev", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "vs",
    "inc", "co", "corp", "ltd", "u.s", "u.k", "u.n", "d.c", "a.m", "p.m", "e.g", "i.e", "etc", "ft", "mt",
    "maj", "adm", "pres", "supt", "atty", "ave", "blvd", "dept", "est", "fig", "gov't", "calif", "fla", "ill",
    "mass", "mich", "minn", "penn", "tenn", "tex", "va", "wash", "wis", "ariz", "colo", "conn", "del", "ga",
    "ind", "kan", "ky", "la", "md", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "vt", "wyo",
}
_SENT_END_RE = re.compile(r"[.!?…]+[\"”’»)\]]*(?=\s+[\"“‘'«(\[]?[A-Z0-9])")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """[start, end) of each non-empty paragraph (blank-line separated), whitespace-trimmed."""
    out: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_RE.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    result = []
    for s, e in out:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s, e))
    return result


def _is_abbrev(text: str, end: int) -> bool:
    """Is the '.' ending at `end` (exclusive) the end of an abbreviation or an initial?"""
    m = re.search(r"([\w.'’]+)\.$", text[max(0, end - 12) : end])
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREV or (len(word) == 1 and word.isalpha()):
        return True
    return bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside [start, end) of `text`."""
    out: list[tuple[int, int]] = []
    pos = start
    for m in _SENT_END_RE.finditer(text, start, end):
        dot = m.group(0).rstrip("\"”’»)]")
        if dot.endswith(".") and _is_abbrev(text, m.start() + len(dot)):
            continue
        out.append((pos, m.end()))
        pos = m.end()
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        out.append((pos, end))
    return [(s, e) for s, e in out if e > s]
