"""Corpus dating: an article with no date of its own takes one from the articles that report the same
happening, and its statements are dated again.

The stage runs after merging (`ingest → clean → date → statements → merge → corpus dating`): the merge stage
says which dated articles report what an undated one reports (its event's date, near-duplicates, strongly
similar articles: `saidwhen.merge.dating`), as a `prior` of days with weights. `date_from_corpus` weighs that
prior together with the article's own partial mentions ("On November 30", "on Tuesday", which it could not
place alone; `evidence.estimate`), sets `published` with `published_from = "event"` and `published_range`
when several days are about as plausible, and re-dates the statements against the new date.

An article dated by its own metadata, header, URL or text is never changed; one dated by the corpus may be
dated again when more evidence arrives (an incremental ingest).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

from ..model import Document, Statement
from .evidence import Evidence, estimate
from .published import text_evidence
from .statement_dates import date_statements


def own_date(doc: Document) -> date | None:
    """The date an article has of its own (None when it has none or only one the corpus gave it)."""
    return None if doc.published_from == "event" else doc.published


def date_from_corpus(
    doc: Document, statements: list[Statement], prior: Sequence[tuple[date, float]], *, limit: date | None = None,
    evidence: Evidence | None = None,
) -> bool:
    """Date an article that has no date of its own from `prior` (days with weights) and its own mentions
    (`evidence`: its `text_evidence`, when computed already); re-date its statements. Returns whether
    anything changed."""
    if own_date(doc) is not None or not prior:
        return False
    if evidence is None:
        evidence = text_evidence(doc.clean.text or doc.text)
    est = estimate(evidence, prior, limit=limit)
    if est is None:
        return False
    new = (est.day, "event", est.range)
    if (doc.published, doc.published_from, doc.published_range) == new:
        return False
    doc.published, doc.published_from, doc.published_range = new
    date_statements(doc, statements)
    return True


def as_undated(doc: Document, statements: list[Statement]) -> tuple[Document, list[Statement]]:
    """Copies of a corpus-dated article and its statements as they were before corpus dating (the merge
    stage replays an article as it first saw it)."""
    if doc.published_from != "event":
        return doc, statements
    before = copy.copy(doc)
    before.published, before.published_from, before.published_range = None, "unknown", None
    again = [copy.copy(st) for st in statements]
    date_statements(before, again)
    return before, again
