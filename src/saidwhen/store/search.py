"""Turning a user's free-text query into a safe FTS5 MATCH expression."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]+)"')


def fts_query(text: str, *, any_term: bool = False) -> str:
    """Quoted phrases stay phrases; other words are quoted terms, all required (or any, if asked).

    Every term is wrapped in double quotes, so FTS5 operators and syntax in user input are inert.
    """
    phrases = [" ".join(_WORD.findall(p)) for p in _PHRASE.findall(text)]
    rest = _PHRASE.sub(" ", text)
    terms = [f'"{p}"' for p in phrases if p] + [f'"{w}"' for w in _WORD.findall(rest)]
    if not terms:
        return '""'
    return (" OR " if any_term else " AND ").join(terms)
