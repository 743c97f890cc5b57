"""Lines with their original positions, and the decision whether two lines belong to one paragraph.

Blank lines always separate paragraphs. Inside a block of lines, a line is joined to the next when the
break is a hard wrap: the line stops mid-sentence and the next one continues it (lower case, a digit,
after a comma or a function word, a quote after a colon), or the text is hard-wrapped (narrow lines that
mostly end mid-sentence) and the next line's first word would not have fitted on this one. Titles, list
items and lines that end a sentence stay separate.
"""

from __future__ import annotations

from dataclasses import dataclass

from saidwhen.clean.boilerplate import ends_sentence, is_bullet

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\xad"
MAX_WRAP_WIDTH = 120  # hard-wrapped text is narrower than this
_JOINING_END = ",(/&-–—"
_OPENING_QUOTES = "\"'“‘„«‹"
_FUNCTION_WORDS = (
    "a an the of to in on at by for with from and or but nor as than that which who whom whose said says "
    "told according about into over after before under between his her their its our your my this these "
    "those when while if because not be been is was were are has have had will would could should may "
    "might must can did does do mr mrs ms dr"
)
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())


@dataclass(slots=True)
class Line:
    start: int  # original index of the first non-space character
    end: int  # original index just past the last non-space character
    text: str  # the stripped line
    block: int  # lines of one block have no blank line between them


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of a text, stripped, with original positions and block numbers."""
    lines: list[Line] = []
    pos = 0
    block = 0
    for raw in text.splitlines(keepends=True):
        content = raw.strip()
        if content and content.strip(_ZERO_WIDTH):
            start = pos + len(raw) - len(raw.lstrip())
            lines.append(Line(start, start + len(content), content, block))
        else:
            block += 1
        pos += len(raw)
    return lines


def wrap_width(lines: list[Line]) -> int:
    """The wrap width of hard-wrapped lines (a block or a whole text), or 0 when they do not look wrapped.

    Hard-wrapped text is narrow, and most of its lines that are followed by another line of the same
    block stop mid-sentence.
    """
    if len(lines) < 2:
        return 0
    width = max(len(line.text) for line in lines)
    if width > MAX_WRAP_WIDTH or width < 30:
        return 0
    followed = [a for a, b in zip(lines, lines[1:], strict=False) if a.block == b.block and not is_bullet(b.text)]
    if len(followed) < 2:
        return 0
    open_ends = sum(1 for line in followed if not ends_sentence(line.text))
    return width if 2 * open_ends >= len(followed) else 0


def joins(a: str, b: str, width: int = 0) -> bool:
    """Whether line `b` continues the paragraph of line `a` (both in the same block)."""
    if is_bullet(b):
        return False
    if width and len(a) + 1 + len(b.split(None, 1)[0]) > width:
        return True  # b's first word did not fit on a: a hard wrap
    if ends_sentence(a):
        return False
    first = b[0]
    if first.islower() or first.isdigit() or a[-1] in _JOINING_END:
        return True
    if a[-1] == ":" and first in _OPENING_QUOTES:
        return True  # `He said:` / `"We will..."`
    last = a.rsplit(None, 1)[-1]
    return last.islower() and last in FUNCTION_WORDS  # "In" ending a Title Case headline does not count


def hyphen_break(a: str, b: str) -> bool:
    """A word hyphenated across the break ("inter-" / "national"): join without a space."""
    return len(a) > 1 and a[-1] == "-" and a[-2].isalpha() and b[0].islower()
