"""Step 1: the sentences of the dated documents, with the calendar days they mention and their evidence."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from saidwhen.dates import find_timexes, sentence_spans
from saidwhen.model import Document, Statement, TimeExpression
from saidwhen.tls.config import TLSConfig

_SPACE = re.compile(r"\s+")
# "May 27, 2010 4:38 PM", "Thursday, May 27, 2010; 4:21 PM": a timestamp (page, comment), not an event date
_TIMESTAMP = re.compile(
    r"(?:19|20)\d\d\s*[;,|-]*\s*(?:at\s+)?\d{1,2}:\d\d(?::\d\d)?\s*(?:[AaPp]\.?\s?[Mm]\.?)?"
)
# page furniture that never belongs in a summary
_JUNK = re.compile(
    r"\||\bposted by\b|\breport abuse\b|\bclick here\b|\bphoto(?:s|graph)?\s*[:/]|\bAP Photo\b|\bGetty Images\b|"
    r"\bcopyright\b|\ball rights reserved\b|\bsign up\b|\bsubscribe\b|\bemail this\b|https?://|www\.",
    re.I,
)

Tagger = Callable[[str, date | None], list[TimeExpression]]


@dataclass
class DatedSentence:
    """One sentence of a document with the days it refers to and its evidence span."""

    document_id: str
    published: date
    position: int  # index of the sentence in its document
    text: str  # the sentence as cleaned, whitespace folded
    start: int  # evidence: document.text[start:end] holds the sentence
    end: int
    # days referred to by its time expressions, in order of appearance; for a sentence holding statements
    # dated from the text, their days first and no day after publication
    mentions: tuple[date, ...] = ()
    statement_ids: tuple[str, ...] = ()
    dated_statement: bool = False  # holds a statement dated from the text (not only by publication)

    @property
    def n_tokens(self) -> int:
        return len(self.text.split())

    def days(self, cfg: TLSConfig) -> tuple[date, ...]:
        """The days the sentence stands for: all it mentions, or the first (`cfg.mention_mode`)."""
        return self.mentions[:1] if cfg.mention_mode == "first" else self.mentions

    def is_lead(self, cfg: TLSConfig) -> bool:
        """One of the first sentences of its article, dated by the article's publication date."""
        return not self.mentions and self.position < cfg.lead_sentences

    def summary_worthy(self, cfg: TLSConfig) -> bool:
        """Prose of a reasonable length, not page furniture (bylines, comments, credits, links)."""
        return (
            cfg.min_tokens <= self.n_tokens <= cfg.max_tokens
            and not _JUNK.search(self.text)
            and not _TIMESTAMP.search(self.text)
            and self.text[-1:] in ".!?\"'"
        )


def collect_sentences(
    docs: Iterable[Document],
    statements: Iterable[Statement] = (),
    config: TLSConfig | None = None,
    *,
    tagger: Tagger = find_timexes,
) -> list[DatedSentence]:
    """The sentences of the dated, non-duplicate documents with the days they mention. `tagger` is
    `saidwhen.dates.find_timexes` unless the caller has the time expressions already."""
    cfg = config or TLSConfig()
    by_doc: dict[str, list[Statement]] = defaultdict(list)
    for st in statements:
        by_doc[st.document_id].append(st)
    out: list[DatedSentence] = []
    for doc in docs:
        if doc.published is None or doc.duplicate_of is not None:
            continue
        out.extend(_document_sentences(doc, by_doc.get(doc.id, []), cfg, tagger))
    return out


def _mentioned_days(text: str, pub: date, spans: list[tuple[int, int]], cfg: TLSConfig,
                    tagger: Tagger) -> list[tuple[int, date]]:  # fmt: skip
    """(offset, day) of the day-granularity dates in `text` near `pub`, timestamps left out, in order."""
    lo, hi = pub - timedelta(days=cfg.max_days_back), pub + timedelta(days=cfg.max_days_ahead)
    days: list[tuple[int, date]] = []
    for tx in _timexes(text, pub, spans, tagger):
        if tx.kind not in ("date", "time") or tx.granularity != "day":
            continue
        d = tx.as_date()
        if d is not None and lo <= d <= hi:
            days.append((tx.start, d))
    stamps = [(m.start(), m.end()) for m in _TIMESTAMP.finditer(text)]
    if stamps:  # a date right before a clock time is a timestamp
        days = [(p, d) for p, d in days if not any(a - 40 <= p < b for a, b in stamps)]
    return sorted(days, key=lambda x: x[0])


def _document_sentences(
    doc: Document, statements: list[Statement], cfg: TLSConfig, tagger: Tagger
) -> list[DatedSentence]:
    text = doc.clean.text
    pub = doc.published
    assert pub is not None
    spans = sentence_spans(text)
    days = _mentioned_days(text, pub, spans, cfg, tagger)
    out: list[DatedSentence] = []
    j = 0
    for pos, (s, e) in enumerate(spans):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        mentioned: list[date] = []
        while j < len(days) and days[j][0] < e:
            if days[j][0] >= s and days[j][1] not in mentioned:
                mentioned.append(days[j][1])
            j += 1
        start, end = doc.clean.to_original(s, e)
        sts = [st for st in statements if st.start < end and start < st.end]
        said = [st.date for st in sts if st.date_from == "text" and st.date is not None]
        if said:  # when it was said (`saidwhen.dates.date_statements`) beats a later day the tagger read
            mentioned = list(dict.fromkeys([*said, *(d for d in mentioned if d <= pub)]))
        out.append(
            DatedSentence(
                document_id=doc.id,
                published=pub,
                position=pos,
                text=_SPACE.sub(" ", text[s:e]),
                start=start,
                end=end,
                mentions=tuple(mentioned),
                statement_ids=tuple(st.id for st in sts),
                dated_statement=any(st.date_from == "text" and st.date is not None for st in sts),
            )
        )
    return out


def _timexes(text: str, anchor: date, spans: list[tuple[int, int]], tagger: Tagger) -> list[TimeExpression]:
    """`find_timexes` over the text; should it fail on some expression (a date out of range), sentence by
    sentence so that only the failing sentence goes undated."""
    try:
        return tagger(text, anchor)
    except (ValueError, OverflowError):
        pass
    out: list[TimeExpression] = []
    for s, e in spans:
        try:
            found = tagger(text[s:e], anchor)
        except (ValueError, OverflowError):
            continue
        out.extend(replace(tx, start=tx.start + s, end=tx.end + s) for tx in found)
    return out
