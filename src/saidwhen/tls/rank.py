"""Step 2: date importance, from how (and by whom) each day is mentioned."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from saidwhen.tls.config import TLSConfig
from saidwhen.tls.sentences import DatedSentence


def rank_dates(
    sentences: Sequence[DatedSentence],
    config: TLSConfig | None = None,
    has_keyword: Sequence[bool] | None = None,
) -> list[tuple[date, float]]:
    """Dates by importance, best first.

    Each mention of a day weighs `1 + later_bonus` when the article was published after that day (a look
    back at an event is a strong signal), plus `keyword_mention_weight` in a sentence naming a topic
    keyword; with `rank_by="documents"` a document counts once per day (its heaviest mention). A day only
    mentioned by articles published on it (a deictic "today") is multiplied by `same_day_penalty`, and
    each article published on the day adds `published_weight`."""
    cfg = config or TLSConfig()
    weights: dict[tuple[int | str, date], float] = {}
    other_day: set[date] = set()  # mentioned by an article published on another day
    for i, s in enumerate(sentences):
        kw = cfg.keyword_mention_weight if has_keyword is not None and has_keyword[i] else 0.0
        for d in s.days(cfg):
            w = 1.0 + kw + (cfg.later_bonus if s.published > d else 0.0)
            key = (s.document_id, d) if cfg.rank_by == "documents" else (i, d)
            weights[key] = max(weights.get(key, 0.0), w)
            if s.published != d:
                other_day.add(d)
    score: dict[date, float] = defaultdict(float)
    for (_, d), w in weights.items():
        score[d] += w
    if cfg.published_weight:
        for d, n in Counter(s.published for s in sentences if s.position == 0).items():
            score[d] += cfg.published_weight * n
    for d in score:
        if d not in other_day:
            score[d] *= cfg.same_day_penalty
    return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))
