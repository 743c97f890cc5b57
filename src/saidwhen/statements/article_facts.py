"""What speaker resolution reads of one article's own text, computed without the speaker registry.

`ArticleSpeakers.scan_names` needs, besides the registry, facts that depend on the article's text only: its
photo-credit lines, the acronyms and organisations it names, for each full name (`NameRun`) whether it sits
on a credit line, in a quote or in apposition and the title written before it, and where its surnames recur
("Falk said" after "Rune Falk"). `article_facts` computes them where the text is analysed (a worker process
in a parallel ingest, `extract._prepare`), so the main process, which resolves speakers in input order
against the one registry, only looks them up. The resolution is the same as computing them in place.

The surname recurrences: the main process looks for the surnames of the article's names that are
unambiguous after the registry has canonicalised them, a subset of all the names' surnames. For one-word
surnames (letters, digits) a match of the alternation `\\b(A|B|...)\\b` is exactly a whole word equal to one
of them, so the matches of every candidate surname, kept when the word is one of the subset, are the subset's
matches. When a candidate is not one such word ("O'Brien", "al-Assad"), `surnames` is None and the main
process matches the subset itself (`surname_matches`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from saidwhen.statements import article
from saidwhen.statements.base import Span
from saidwhen.statements.registry import name_key
from saidwhen.statements.speakers import NameRun, _subject_position

_WORD = re.compile(r"\w+")
_HONORIFIC = re.compile(r"(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.? $")


@dataclass(slots=True)
class RunFacts:
    """One full name of the article (a `NameRun`, same order)."""

    credit: bool  # on a photo-credit line (skipped)
    quoted: bool  # inside a quote (no subject)
    appositive: bool  # in apposition to a noun phrase before it
    head: str | None  # the head of the title written right before it (`article.title_head`)
    title: str  # the title words before it (`article.title_before`), when it has a head


@dataclass(slots=True)
class SurnameMatch:
    """A word of the article that is one of its names' surnames."""

    pos: int  # where the word starts
    text: str  # the word as matched
    kept: bool  # outside quotes and credit lines
    subject: bool  # opens a sentence or paragraph and is no possessor (`_subject_position`; False when not kept)
    gender: str | None  # "f"/"m" when the text says so right there ("Mr. Dahl", `article.gender_at`)


@dataclass
class ArticleFacts:
    credits: list[Span]
    acronyms: dict[str, str]
    orgs: list[tuple[int, str]]
    runs: list[RunFacts]
    surnames: list[SurnameMatch] | None  # None: a candidate surname is not one word, matched in place


def _inside(spans: Iterable[Span], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def surname_matches(text: str, keys: Iterable[str], quoted: list[Span], credits: list[Span]) -> list[SurnameMatch]:
    """The recurrences in `text` of the surname `keys` (`name_key`s), in text order; a title before the
    name ("Sen. Cole") counts in the position tested for quotes, credits and subject."""
    keys = list(keys)
    if not keys:
        return []
    pat = re.compile(r"\b(" + "|".join(re.escape(k.title()) for k in keys) + r")\b")
    out: list[SurnameMatch] = []
    for m in pat.finditer(text):
        start = m.start()
        hon = _HONORIFIC.search(text[max(0, start - 5) : start])
        if hon:
            start -= len(hon.group(0))
        kept = not _inside(quoted, start) and not _inside(credits, start)
        subject = kept and _subject_position(text, start) and not possessive(text, m.end())
        out.append(SurnameMatch(m.start(), m.group(1), kept, subject, article.gender_at(text, m.start())))
    return out


def possessive(text: str, end: int) -> bool:
    """Is the name ending at `end` a possessor ("Lund's campaign"), so not the subject of its sentence?"""
    return text.startswith(("'s", "’s", "' ", "’ "), end)


def article_facts(text: str, quoted: list[Span], runs: list[NameRun]) -> ArticleFacts:
    """The registry-free facts `ArticleSpeakers.scan_names` reads (`quoted`: the quotes' spans)."""
    credits = article.credit_spans(text)
    facts: list[RunFacts] = []
    candidates: dict[str, None] = {}
    for run in runs:
        pos = run.pos
        if _inside(credits, pos):
            facts.append(RunFacts(True, False, False, None, ""))
            continue
        key = name_key(run.name)
        if " " not in key:
            candidates[key] = None
        candidates[name_key(run.last)] = None
        head = article.title_head(text, pos)
        facts.append(RunFacts(False, _inside(quoted, pos), _in_apposition(text, pos), head,
                              article.title_before(text, pos) if head else ""))
    one_word = all(_WORD.fullmatch(k.title()) for k in candidates)
    return ArticleFacts(credits, article.acronyms(text), article.org_names(text), facts,
                        surname_matches(text, candidates, quoted, credits) if one_word else None)


def _in_apposition(text: str, pos: int) -> bool:
    """Is the name at `pos` an appositive of a noun phrase before it ("her husband, former President Bill
    Clinton")? Not after a short opening phrase ("Later, Maria Lund said")."""
    m = re.search(r"([^.!?\n]*),\s*(?:(?:[A-Z][\w.’'-]*|former|then|the|a)\s+){0,4}$", text[max(0, pos - 120) : pos])
    return bool(m) and len(m.group(1).split()) > 3
