"""Turning a user's free-text query into a safe, bounded FTS5 MATCH expression."""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_PHRASE = re.compile(r'"([^"]+)"')

# The work of a MATCH grows with its terms: a repeated word adds nothing but cost, and a query of hundreds of
# words is not a search. Repeats count once, and only the first terms (and phrase words) are kept.
MAX_TERMS = 12
MAX_PHRASE_WORDS = 8


def query_terms(text: str) -> list[str]:
    """The distinct terms of `text`, in order: quoted phrases (their first words) first, then single words."""
    terms: list[str] = []
    seen: set[str] = set()
    phrases = [" ".join(_WORD.findall(p)[:MAX_PHRASE_WORDS]) for p in _PHRASE.findall(text)]
    for term in [*phrases, *_WORD.findall(_PHRASE.sub(" ", text))]:
        key = term.casefold()
        if term and key not in seen:
            seen.add(key)
            terms.append(term)
        if len(terms) == MAX_TERMS:
            break
    return terms


def fts_query(text: str, *, any_term: bool = False) -> str:
    """Quoted phrases stay phrases; other words are quoted terms, all required (or any, if asked).

    Every term is wrapped in double quotes, so FTS5 operators and syntax in user input are inert. Repeated
    terms count once and at most `MAX_TERMS` are kept (`query_terms`), so the cost of a query is bounded.
    """
    terms = [f'"{t}"' for t in query_terms(text)]
    if not terms:
        return '""'
    return (" OR " if any_term else " AND ").join(terms)
