"""Timeline summarisation: a dated summary of a news collection, with the evidence of every sentence.

The method is DATEWISE from news-tls (Gholipour Ghalandari & Ifrim, "Examining the State-of-the-Art in News
Timeline Summarization", ACL 2020), adapted and without its supervised date ranker:

1. Dated sentences (`sentences.collect_sentences`). Every sentence of every dated document, with the
   calendar days its time expressions refer to (`saidwhen.dates.find_timexes` anchored on the publication
   date, day granularity only). The first `lead_sentences` sentences of an article that mention no day
   are dated by the publication date.
2. Date selection (`rank.rank_dates`). A date is important when many sentences mention it: each mention
   counts `1 + later_bonus` when the article was published after that date (a look back at an event is a
   strong signal), more in a sentence naming a topic keyword, and a date mentioned only by articles
   published on that same day (deictic "today") is penalised.
3. Per-date summaries (`summary.summarize`). The candidates of a date are the sentences mentioning it plus
   the lead sentences published on it; a TF-IDF centroid of the two groups (news-tls' PM-Mean collector)
   ranks them, and sentences are added greedily so that the summary's vector stays closest to the centroid
   (news-tls' CentroidOpt). Sentences naming a topic keyword (`text.keyword_terms`: "bpoil" → bp, oil;
   "MJ" → the name with those initials in the collection) get a boost; short sentences, page furniture
   and near-duplicates (cosine above `max_similarity`, also across dates) are skipped.

Every reported date is supported by its sources: a sentence is only shown under a date it mentions or the
date its article was published. The number of dates and of sentences per date are parameters; the standard
TLS evaluation sets them from the gold timeline ("oracle length"), see `benchmarks/tls_eval.py`, which also
holds the cross-validation that chose the defaults of `TLSConfig`.

`build_summary_timeline(docs, keywords, ...)` runs the three steps; `collect_sentences` is the expensive
part (time expression tagging) and its result can be reused across summaries of the same collection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from saidwhen.model import Document, Statement
from saidwhen.tls.config import TLSConfig
from saidwhen.tls.rank import rank_dates
from saidwhen.tls.sentences import DatedSentence, collect_sentences
from saidwhen.tls.summary import TimelineDate, TimelineSentence, summarize
from saidwhen.tls.text import keyword_terms


@dataclass
class SummaryTimeline:
    dates: list[TimelineDate]
    keywords: list[str] = field(default_factory=list)

    def as_pairs(self) -> list[tuple[date, list[str]]]:
        """`[(date, [sentence, ...]), ...]` in chronological order."""
        return [(td.date, [s.text for s in td.sentences]) for td in self.dates]


def build_summary_timeline(
    docs: Iterable[Document],
    keywords: Iterable[str] = (),
    *,
    statements: Iterable[Statement] = (),
    max_dates: int = 10,
    per_date: int = 1,
    since: date | None = None,
    until: date | None = None,
    config: TLSConfig | None = None,
) -> SummaryTimeline:
    """Dated sentences of `docs`, then the summary timeline (see the module docstring)."""
    kws = list(keywords)
    sentences = collect_sentences(docs, statements, config)
    dates = summarize(sentences, kws, max_dates=max_dates, per_date=per_date, since=since, until=until,
                      config=config)  # fmt: skip
    return SummaryTimeline(dates, kws)


__all__ = [
    "DatedSentence",
    "SummaryTimeline",
    "TLSConfig",
    "TimelineDate",
    "TimelineSentence",
    "build_summary_timeline",
    "collect_sentences",
    "keyword_terms",
    "rank_dates",
    "summarize",
]
