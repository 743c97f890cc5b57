"""Build a cleaned text piece by piece while keeping a map from every cleaned character to the original.

Normalisation that keeps one character per character (curly quotes, guillemets, dashes, odd spaces) runs
over the finished text, so it cannot disturb the map. Normalisation that changes length
(runs of spaces, zero-width characters, mojibake such as `â€™`) happens while copying: each replacement
character maps to the first original character it replaces.
"""

from __future__ import annotations

import re

# One character in, one character out.
CHAR_MAP: dict[str, str] = {
    **dict.fromkeys("“”„‟«»〝〞＂", '"'),
    **dict.fromkeys("‘’‚‛‹›′＇", "'"),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    **dict.fromkeys("\t\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a", " "),
    **dict.fromkeys("\u202f\u205f\u3000", " "),
}
_MAPPED = re.compile("[" + re.escape("".join(CHAR_MAP)) + "]")


def normalise_chars(text: str) -> str:
    """Quotes, guillemets, dashes and odd spaces to ASCII, one character for one (so offsets hold)."""
    for ch in set(_MAPPED.findall(text)):
        text = text.replace(ch, CHAR_MAP[ch])
    return text


_SPACE_CHARS = " \t\xa0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\xad"
# Characters a UTF-8 continuation byte (0x80-0xBF) turns into when mis-decoded as cp1252 or latin-1.
_CONT = "\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_MOJIBAKE = f"[Â-ß][{_CONT}]|[à-ï][{_CONT}]{{2}}|[ð-ô][{_CONT}]{{3}}"
# Anything that changes length: a whitespace run, zero-width characters, a mojibake sequence.
_SPECIAL = re.compile(f"(?P<space>[{_SPACE_CHARS}]{{2,}})|(?P<zero>[{_ZERO_WIDTH}]+)|(?P<moji>{_MOJIBAKE})")
_SPECIAL_CHARS = re.compile(f"[{_SPACE_CHARS}]{{2}}|[{_ZERO_WIDTH}Â-ô]")
_CP1252_EXTRA = {c: bytes([b]) for b in range(0x80, 0xA0) if (c := bytes([b]).decode("cp1252", "ignore"))}


def _plausible(ch: str) -> bool:
    """Whether a decoded character is something a news text plausibly contains (not, say, NKo)."""
    o = ord(ch)
    return 0xA0 <= o < 0x250 or 0x370 <= o < 0x530 or 0x2000 <= o < 0x2070 or o in (0x20AC, 0x2122)


def fix_mojibake(seq: str) -> str | None:
    """The character a mojibake sequence (UTF-8 bytes read as cp1252/latin-1) stands for, else None."""
    try:
        raw = b"".join(_CP1252_EXTRA.get(c) or c.encode("latin-1") for c in seq)
        fixed = raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if len(fixed) == 1 and _plausible(fixed) else None


class TextBuilder:
    """Accumulates cleaned text and, per cleaned character, its index in the original text."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.parts: list[str] = []
        self.offsets: list[int] = []
        self.end = 0  # original index just past the last copied character

    def copy(self, start: int, end: int) -> None:
        """Append original[start:end], folding space runs, dropping zero-width chars, fixing mojibake."""
        segment = self.original[start:end]
        if not segment:
            return
        if not _SPECIAL_CHARS.search(segment):
            self.parts.append(segment)
            self.offsets.extend(range(start, end))
            self.end = end
            return
        pos = 0
        for m in _SPECIAL.finditer(segment):
            a, b = m.span()
            kind = m.lastgroup
            if kind == "moji":
                fixed = fix_mojibake(m.group())
                if fixed is None:
                    continue  # not mojibake after all: copied verbatim with the next plain run
                replacement = " " if fixed.isspace() else fixed
            else:
                replacement = " " if kind == "space" else ""
            if a > pos:
                self.parts.append(segment[pos:a])
                self.offsets.extend(range(start + pos, start + a))
            if replacement:
                self.parts.append(replacement)
                self.offsets.append(start + a)
            pos = b
        if pos < len(segment):
            self.parts.append(segment[pos:])
            self.offsets.extend(range(start + pos, end))
        self.end = end

    def put(self, chars: str, *positions: int) -> None:
        """Append separator characters; each maps to the matching original position (the last repeats)."""
        for i, ch in enumerate(chars):
            self.parts.append(ch)
            self.offsets.append(positions[min(i, len(positions) - 1)])
        self.end = max(self.end, positions[-1] + 1)

    def build(self) -> tuple[str, list[int]]:
        """The cleaned, normalised text and its offsets (with the trailing end entry)."""
        text = normalise_chars("".join(self.parts))
        end = self.end if self.offsets else len(self.original)
        return text, [*self.offsets, end]
