"""Step 3: the summary of each selected date, chosen among the sentences that mention it or lead an
article published on it (news-tls' PM collector and CentroidOpt summariser)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

import numpy as np
from scipy import sparse

from saidwhen.tls.config import TLSConfig
from saidwhen.tls.rank import rank_dates
from saidwhen.tls.sentences import DatedSentence
from saidwhen.tls.text import Index, build_index

DateFrom = Literal["text", "published"]


@dataclass
class TimelineSentence:
    text: str
    document_id: str
    start: int  # offsets into the document's original text
    end: int
    published: date
    date_from: DateFrom  # "text": the sentence mentions the date; "published": published that day
    statement_ids: tuple[str, ...] = ()


@dataclass
class TimelineDate:
    date: date
    sentences: list[TimelineSentence]
    score: float  # date importance


@dataclass
class _Chosen:
    """What the timeline holds so far, so that no sentence is repeated under another date."""

    rows: list[int]
    texts: set[str]


def summarize(
    sentences: Sequence[DatedSentence],
    keywords: Iterable[str] = (),
    *,
    max_dates: int = 10,
    per_date: int = 1,
    since: date | None = None,
    until: date | None = None,
    config: TLSConfig | None = None,
    index: Index | None = None,
) -> list[TimelineDate]:
    """The `max_dates` most important dates in [since, until] with up to `per_date` sentences each,
    in chronological order. `index` (`text.build_index` of the sentences and keywords) may be reused
    across calls on the same sentences."""
    cfg = config or TLSConfig()
    if not sentences or max_dates <= 0 or per_date <= 0:
        return []
    index = index or build_index([s.text for s in sentences], keywords)
    mention_of: dict[date, list[int]] = defaultdict(list)
    lead_of: dict[date, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        for d in s.days(cfg):
            mention_of[d].append(i)
        if s.is_lead(cfg):
            lead_of[s.published].append(i)
    ranked = rank_dates(sentences, cfg, index.has_keyword)
    ranked_days = {d for d, _ in ranked}
    # dates nobody mentions but with articles published on them come last, by number of lead sentences
    ranked += sorted(
        ((d, 0.0) for d in lead_of if d not in ranked_days), key=lambda kv: (-len(lead_of[kv[0]]), kv[0])
    )
    in_span = [(d, sc) for d, sc in ranked if (since is None or d >= since) and (until is None or d <= until)]
    chosen = _Chosen([], set())
    timeline: list[TimelineDate] = []
    for d, score in _spread(in_span, cfg.date_gap):
        if len(timeline) >= max_dates:
            break
        picked = _summarize_date(sentences, index, d, mention_of[d], lead_of[d], per_date, chosen, cfg)
        if picked:
            chosen.rows.extend(picked)
            chosen.texts.update(sentences[i].text.casefold() for i in picked)
            timeline.append(TimelineDate(d, [_timeline_sentence(sentences[i], d) for i in picked], score))
    timeline.sort(key=lambda td: td.date)
    return timeline


def _spread(ranked: list[tuple[date, float]], gap: int) -> list[tuple[date, float]]:
    """The ranked dates with those within `gap` days of a better one moved after the others."""
    if gap <= 0:
        return ranked
    first: list[tuple[date, float]] = []
    later: list[tuple[date, float]] = []
    taken: set[int] = set()
    for d, sc in ranked:
        day = d.toordinal()
        if any(day + k in taken for k in range(-gap, gap + 1)):
            later.append((d, sc))
        else:
            first.append((d, sc))
            taken.add(day)
    return first + later


def _timeline_sentence(s: DatedSentence, d: date) -> TimelineSentence:
    return TimelineSentence(
        text=s.text,
        document_id=s.document_id,
        start=s.start,
        end=s.end,
        published=s.published,
        date_from="text" if d in s.mentions else "published",
        statement_ids=s.statement_ids,
    )


def _centroid(m: sparse.csr_matrix, mentions: list[int], leads: list[int], cfg: TLSConfig) -> np.ndarray:
    """The date's centroid: the mean of the mention group plus the mean of the lead group; with
    `centroid="intersect"` (news-tls' PM-Mean) only the terms both groups use, when both exist."""
    means = [np.asarray(m[g].mean(axis=0)).ravel() for g in (mentions, leads) if g]
    if not means:
        return np.zeros(m.shape[1])
    centroid = np.sum(means, axis=0)
    if cfg.centroid == "intersect" and len(means) == 2:
        shared = (means[0] > 0) & (means[1] > 0)
        if shared.any():
            centroid = np.where(shared, centroid, 0.0)
    return centroid


def _candidates(sentences: Sequence[DatedSentence], index: Index, pool: list[int], chosen: _Chosen,
                cfg: TLSConfig) -> list[int]:  # fmt: skip
    cands = [
        i for i in pool
        if sentences[i].summary_worthy(cfg) and sentences[i].text.casefold() not in chosen.texts
    ]  # fmt: skip
    if cfg.require_keyword and any(index.has_keyword[i] for i in cands):
        cands = [i for i in cands if index.has_keyword[i]]
    if cands and chosen.rows:  # not a repeat of a sentence already shown under another date
        sims = (index.matrix[cands] @ index.matrix[chosen.rows].T).max(axis=1).toarray().ravel()
        cands = [i for i, sim in zip(cands, sims, strict=True) if sim <= cfg.max_similarity]
    return cands


def knee_point(values: Sequence[float]) -> int:
    """Index of the point of a decreasing curve farthest from the line joining its ends."""
    n = len(values)
    if n < 3:
        return n - 1
    y = np.asarray(values, dtype=float)
    x = np.arange(n, dtype=float)
    dx, dy = x[-1] - x[0], y[-1] - y[0]
    dist = np.abs(dy * (x - x[0]) - dx * (y - y[0])) / max(float(np.hypot(dx, dy)), 1e-12)
    return int(np.argmax(dist))


def _above_knee(cands: list[int], sims: np.ndarray) -> list[int]:
    """The candidates more similar to the centroid than the knee of the sorted similarities (all if none)."""
    order = np.sort(sims)[::-1]
    thresh = order[knee_point(order.tolist())]
    kept = [i for i, s in zip(cands, sims, strict=True) if s > thresh and s > 0]
    return kept or cands


def _summarize_date(
    sentences: Sequence[DatedSentence],
    index: Index,
    day: date,
    mentions: list[int],
    leads: list[int],
    k: int,
    chosen: _Chosen,
    cfg: TLSConfig,
) -> list[int]:
    centroid = _centroid(index.matrix, mentions, leads, cfg)
    norm = float(np.linalg.norm(centroid))
    if norm == 0:
        return []
    centroid /= norm
    cands = _candidates(sentences, index, sorted(set(mentions) | set(leads)), chosen, cfg)
    if not cands:
        return []
    if cfg.knee:
        cands = _above_knee(cands, index.matrix[cands] @ centroid)
    picked = centroid_opt(index.matrix[cands], centroid, _boosts(sentences, index, cands, day, cfg), k,
                          cfg.max_similarity)  # fmt: skip
    return [cands[j] for j in picked]


def _boosts(sentences: Sequence[DatedSentence], index: Index, cands: list[int], day: date,
            cfg: TLSConfig) -> np.ndarray:  # fmt: skip
    """Score factors of the candidates: topic keyword, dated statement, lead position, announced ahead."""

    def flags(values: Iterable[bool]) -> np.ndarray:
        return np.fromiter(values, dtype=float, count=len(cands))

    boost = 1.0 + cfg.keyword_boost * index.has_keyword[cands].astype(float)
    boost += cfg.statement_boost * flags(sentences[i].dated_statement for i in cands)
    boost += cfg.lead_boost * flags(sentences[i].position < cfg.lead_sentences for i in cands)
    return boost * (1.0 - cfg.preview_penalty * flags(sentences[i].published < day for i in cands))


def centroid_opt(x: sparse.csr_matrix, centroid: np.ndarray, boost: np.ndarray, k: int,
                 max_similarity: float) -> list[int]:  # fmt: skip
    """Greedily add the row (unit vectors) that keeps the summary's sum vector closest (cosine) to the
    centroid, times its boost; rows more similar than `max_similarity` to a chosen one are skipped."""
    cols = np.unique(x.indices)
    x = sparse.csr_matrix(x[:, cols])
    c = centroid[cols]
    x_dot_c = x @ c
    summary = np.zeros(len(cols))
    available = np.ones(x.shape[0], dtype=bool)
    selected: list[int] = []
    while len(selected) < k and available.any():
        s_dot_x = x @ summary
        norm2 = float(summary @ summary) + 2.0 * s_dot_x + 1.0
        score = (float(summary @ c) + x_dot_c) / np.sqrt(np.maximum(norm2, 1e-12)) * boost
        score[~available] = -np.inf
        best = int(np.argmax(score))
        if not np.isfinite(score[best]) or score[best] <= 0:
            break
        selected.append(best)
        row = x[best].toarray().ravel()
        summary += row
        available &= (x @ row) <= max_similarity
        available[best] = False
    return selected
