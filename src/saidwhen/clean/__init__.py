"""The clean stage: boilerplate removal, paragraph re-joining and normalisation, with an offset map.

`clean_text(text)` returns a `CleanText` whose `offsets[i]` is the original index of cleaned character `i`
(plus one trailing end entry) and whose `removed` lists the original spans dropped as boilerplate.
Paragraphs in the cleaned text are separated by a blank line; quotes, guillemets and dashes become ASCII,
runs of spaces one space, and mojibake (`â€™`) its character.
"""

from __future__ import annotations

import re

from saidwhen.clean.boilerplate import (
    MAX_LIST_ITEMS,
    headline_like,
    is_bullet,
    line_reason,
    list_header,
)
from saidwhen.clean.paragraphs import Line, hyphen_break, joins, split_lines, wrap_width
from saidwhen.clean.repeated import RepeatedLines
from saidwhen.clean.textmap import TextBuilder
from saidwhen.model import CleanText, Removed

__all__ = ["READ_ALSO", "REPEATED", "RepeatedLines", "clean_text"]

READ_ALSO = "boilerplate:read-also"
REPEATED = "repeated-line"
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _reasons(lines: list[Line], repeated: RepeatedLines | None, outlet: str | None) -> list[str | None]:
    """Per line, why it is removed (None: kept)."""
    reasons: list[str | None] = [None] * len(lines)
    i = 0
    while i < len(lines):
        text = lines[i].text
        rest = list_header(text)
        if rest is not None:
            # The header and the headlines under it, up to the first line that reads as article text.
            reasons[i] = READ_ALSO
            i += 1
            items = 0
            while i < len(lines) and items < MAX_LIST_ITEMS:
                item = lines[i].text
                if not (is_bullet(item) if rest else headline_like(item)) or list_header(item) is not None:
                    break
                reasons[i] = READ_ALSO
                items += 1
                i += 1
            continue
        reason = line_reason(text)
        if reason is None and repeated is not None and repeated.is_repeated(text, outlet):
            reason = REPEATED
        reasons[i] = reason
        i += 1
    return reasons


def _removed_spans(lines: list[Line], reasons: list[str | None]) -> list[Removed]:
    """Removed lines as original spans; consecutive lines removed for one reason form one span."""
    spans: list[Removed] = []
    previous: str | None = None
    for line, reason in zip(lines, reasons, strict=True):
        if reason is not None:
            if reason == previous:
                spans[-1].end = line.end
            else:
                spans.append(Removed(line.start, line.end, reason))
        previous = reason
    return spans


def clean_text(text: str, repeated: RepeatedLines | None = None, outlet: str | None = None) -> CleanText:
    """Clean one article: drop boilerplate, re-join wrapped paragraphs, normalise, keep the offset map."""
    lines = split_lines(text)
    reasons = _reasons(lines, repeated, outlet)
    kept = [line for line, reason in zip(lines, reasons, strict=True) if reason is None]

    # Hard-wrap width of the whole text, else of each block.
    text_width = wrap_width(kept)
    by_block: dict[int, list[Line]] = {}
    for line in kept:
        by_block.setdefault(line.block, []).append(line)
    widths = {block: text_width or wrap_width(block_lines) for block, block_lines in by_block.items()}

    out = TextBuilder(text)
    prev: Line | None = None
    for line in kept:
        if prev is not None:
            if prev.block == line.block and joins(prev.text, line.text, widths[line.block]):
                if not hyphen_break(prev.text, line.text):
                    out.put(" ", prev.end)  # the original line break (or trailing space)
            else:
                # The blank line maps to the first and last line breaks between the two paragraphs.
                m = _LINE_BREAK.search(text, prev.end, line.start)
                first = m.start() if m else prev.end
                last = text.rfind("\n", first, line.start)
                out.put("\n\n", first, max(first, last))
        out.copy(line.start, line.end)
        prev = line
    cleaned, offsets = out.build()
    return CleanText(cleaned, offsets, _removed_spans(lines, reasons))
