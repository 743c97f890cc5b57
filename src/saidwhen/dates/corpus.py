"""Corpus dating: an article with no date of its own takes one from the articles that report the same
days' news, and its statements are dated again.

The stage runs after merging (`ingest → clean → date → statements → merge → corpus dating`): the merge stage
says which dated articles resemble an undated one (its TF-IDF neighbours, near-duplicates and its event's
date: `saidwhen.merge.dating`), as a `prior` of days with weights. `date_from_corpus` weighs that prior (a
window of weeks: a neighbour's date says which weeks) together with the article's own partial mentions ("On
November 30", "on Tuesday", which it could not place alone; `evidence.estimate`), and takes the best day
only when it clearly beats every other day (`MIN_MARGIN`). It sets `published` with `published_from`
"event" (its event's day) or "corpus", `published_range` when several days are about as plausible, and
re-dates the statements against the new date.

An article dated by its own metadata, header or URL is never changed. One whose date was only inferred from
its text is weighed again with the corpus: confirmed, corrected, or (when the corpus does not single out a
day) withdrawn. One dated by the corpus may be dated again when more evidence arrives (an incremental ingest).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date

from ..model import Document, Statement
from .evidence import Evidence, estimate
from .published import infer_from_text, text_evidence
from .statement_dates import date_statements

# `published_from` values corpus dating sets: "event" (the day of the article's event, within a day) or
# "corpus" (its neighbours and its own mentions; "corpus" without a date: its own inferred date withdrawn)
CORPUS_DATED = ("event", "corpus")
# the prior is a window: candidate days reach SPAN days around the neighbours' days, whose support falls off
# with SCALE days to FLOOR; a neighbour's date says which weeks, the article's own mentions which day
SPAN, SCALE, FLOOR = 45, 5.0, 0.02
# the chosen day must beat every day more than a day away from it by this much (log odds), else the corpus
# abstains: set on 11 Timeline17 collections (bpoil, H1N1, EgyptianProtest, LibyaWar_reuters, IraqWar; see
# `benchmarks/dates_eval.py`), precision first
MIN_MARGIN = 2.5


def own_date(doc: Document) -> date | None:
    """The date an article has of its own: from its metadata, header or URL (None when it has none, only an
    inferred one, or one the corpus gave it)."""
    return None if doc.published_from in ("inferred", *CORPUS_DATED) else doc.published


def inferred_date(doc: Document, evidence: Evidence | None = None) -> date | None:
    """The date the article's text alone gave it (before corpus dating)."""
    if doc.published_from in CORPUS_DATED:
        return infer_from_text(doc.clean.text or doc.text, evidence=evidence)
    return doc.published if doc.published_from == "inferred" else None


def date_from_corpus(
    doc: Document, statements: list[Statement], prior: Sequence[tuple[date, float]], *, limit: date | None = None,
    evidence: Evidence | None = None, event_day: date | None = None,
) -> bool:
    """Date an article that has no date of its own from `prior` (days with weights: its neighbours' and its
    event's dates) and its own mentions (`evidence`: its `text_evidence`, when computed already); re-date its
    statements. Precision first: when the evidence does not single out a day (`MIN_MARGIN`) the corpus
    abstains, and an inferred date the corpus does not confirm is withdrawn (`published_from = "corpus"`,
    no date): an undated article beats a wrong date. Returns whether anything changed."""
    if own_date(doc) is not None or not prior:
        return False
    if evidence is None:
        evidence = text_evidence(doc.clean.text or doc.text)
    est = estimate(evidence, prior, limit=limit, span=SPAN, scale=SCALE, floor=FLOOR)
    new: tuple[date | None, str, tuple[date, date] | None]
    if est is not None and est.margin >= MIN_MARGIN:
        how = "event" if event_day is not None and abs((est.day - event_day).days) <= 1 else "corpus"
        new = (est.day, how, est.range)
    elif inferred_date(doc, evidence) is not None:
        new = (None, "corpus", None)
    else:
        new = (None, "unknown", None)
    if (doc.published, doc.published_from, doc.published_range) == new:
        return False
    doc.published, doc.published_from, doc.published_range = new  # type: ignore[assignment]
    date_statements(doc, statements)
    return True


def as_undated(doc: Document, statements: list[Statement]) -> tuple[Document, list[Statement]]:
    """Copies of a corpus-dated article and its statements as they were before corpus dating (the merge
    stage replays an article as it first saw it)."""
    if doc.published_from not in CORPUS_DATED:
        return doc, statements
    before = copy.copy(doc)
    day = inferred_date(doc)
    before.published, before.published_from, before.published_range = day, ("inferred" if day else "unknown"), None
    again = [copy.copy(st) for st in statements]
    date_statements(before, again)
    return before, again
