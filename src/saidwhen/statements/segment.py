"""Cheap paragraph and sentence segmentation (regex), used to prefilter text before parsing."""

from __future__ import annotations

import re

from saidwhen.model import CleanText, Document

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


_DOUBLE_APOS = re.compile(r"''|``")


def analysis_text(doc: Document) -> CleanText:
    """The cleaned text (identity map when absent), with two-apostrophe quote marks ('' and ``) folded to
    '"' so that every later offset still maps back to the original."""
    clean = getattr(doc, "clean", None)
    if clean is None or not clean.text or len(clean.offsets) != len(clean.text) + 1:
        clean = CleanText(doc.text, list(range(len(doc.text) + 1)))
    if "''" not in clean.text and "``" not in clean.text:
        return clean
    parts: list[str] = []
    offsets: list[int] = []
    wide: set[int] = set()
    pos = 0
    n = 0
    for m in _DOUBLE_APOS.finditer(clean.text):
        parts.append(clean.text[pos : m.start()])
        offsets.extend(clean.offsets[pos : m.start()])
        n += m.start() - pos
        parts.append('"')
        offsets.append(clean.offsets[m.start()])
        wide.add(n)
        n += 1
        pos = m.end()
    parts.append(clean.text[pos:])
    offsets.extend(clean.offsets[pos:])
    folded = _Folded("".join(parts), offsets, clean.removed)
    folded.wide = wide
    return folded


class _Folded(CleanText):
    """A CleanText whose folded two-character quote marks map back to both characters."""

    wide: set[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        s, e = super().to_original(start, end)
        if end > start and (end - 1) in self.wide:
            e += 1
        return s, e
