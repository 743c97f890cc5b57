"""The parameters of the timeline summariser (defaults chosen on the T17 dev topics, see
`benchmarks/tls_eval.py`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

MentionMode = Literal["all", "first"]
CentroidMode = Literal["mean", "intersect"]
RankBy = Literal["sentences", "documents"]


@dataclass
class TLSConfig:
    # dated sentences
    lead_sentences: int = 10  # first sentences of an article dated by its publication date
    max_days_back: int = 3660  # a mention further from the publication date is ignored
    max_days_ahead: int = 366
    mention_mode: MentionMode = "first"  # every day a sentence mentions, or only its first
    # summary-worthy sentences
    min_tokens: int = 6  # shortest/longest sentence allowed in a summary
    max_tokens: int = 60
    # date importance
    rank_by: RankBy = "documents"  # count mentions per sentence, or once per document
    later_bonus: float = 2.0  # extra weight of a mention by an article published after the date
    same_day_penalty: float = 0.25  # factor for dates only mentioned on their own publication day
    published_weight: float = 0.0  # weight of each article published on the date
    keyword_mention_weight: float = 0.0  # extra weight of a mention in a sentence naming a keyword
    date_gap: int = 0  # a date this many days or fewer from a better one comes after all others
    # per-date summaries
    centroid: CentroidMode = "mean"  # mention and lead groups averaged, or only the terms both groups use
    knee: bool = True  # keep only candidates above the knee of their similarity to the centroid
    keyword_boost: float = 0.0  # summary score factor (1 + boost) for sentences naming a keyword
    statement_boost: float = 0.1  # summary score factor (1 + boost) for sentences holding a dated statement
    lead_boost: float = 0.0  # summary score factor (1 + boost) for the first `lead_sentences` of an article
    preview_penalty: float = 0.3  # score factor (1 - penalty) for a sentence published before its date
    max_similarity: float = 0.5  # cosine above which a sentence repeats one already chosen
    require_keyword: bool = False  # only sentences naming a keyword (news-tls' filter), when any do
