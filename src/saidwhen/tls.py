"""Timeline summarisation: a dated summary of a news collection, with the evidence of every sentence.

The method is DATEWISE from news-tls (Gholipour Ghalandari & Ifrim, "Examining the State-of-the-Art in News
Timeline Summarization", ACL 2020), adapted and without its supervised date ranker:

1. Dated sentences (`collect_sentences`). Every sentence of every dated document, with the calendar days
   its time expressions refer to (`saidwhen.dates.find_timexes` anchored on the publication date, day
   granularity only). The first `lead_sentences` sentences of an article that mention no day are dated by
   the publication date.
2. Date selection (`rank_dates`). A date is important when many sentences mention it: each mention counts
   `1 + later_bonus` when the article was published after that date (a look back at an event is a strong
   signal), and a date mentioned only by articles published on that same day (deictic "today") is
   penalised. Articles published on the day add `published_weight` each.
3. Per-date summaries (`summarize`). The candidates of a date are the sentences mentioning it plus the lead
   sentences published on it; a TF-IDF centroid (mention and lead groups weighted equally, as news-tls'
   PM-Mean collector) ranks them, and sentences are added greedily so that the summary's vector stays
   closest to the centroid (news-tls' CentroidOpt). Topic keywords and sentences holding a dated statement
   get a boost; near-duplicates (cosine above `max_similarity`, also across dates) are skipped.

Every reported date is supported by its sources: a sentence is only shown under a date it mentions or the
date its article was published. The number of dates and of sentences per date are parameters; the standard
TLS evaluation sets them from the gold timeline ("oracle length"), see `benchmarks/tls_eval.py`.

`build_summary_timeline(docs, keywords, ...)` runs the three steps; `collect_sentences` is the expensive
part (time expression tagging) and its result can be reused across summaries of the same collection.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

import numpy as np
from scipy import sparse

from saidwhen.dates import find_timexes, sentence_spans
from saidwhen.model import Document, Statement, TimeExpression

DateFrom = Literal["text", "published"]

_TOKEN = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+")
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

_STOPWORDS = """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says say told s t n't nt mr mrs ms one two new also lrb rrb lsb rsb
    would could may might must shall us"""
STOPWORDS = frozenset(_STOPWORDS.split())


@dataclass
class DatedSentence:
    """One sentence of a document with the days it refers to and its evidence span."""

    document_id: str
    published: date
    position: int  # index of the sentence in its document
    text: str  # the sentence as cleaned, whitespace folded
    start: int  # evidence: document.text[start:end] holds the sentence
    end: int
    mentions: tuple[date, ...] = ()  # days referred to by its time expressions, in order of appearance
    statement_ids: tuple[str, ...] = ()
    dated_statement: bool = False  # holds a statement dated from the text (not only by publication)

    @property
    def n_tokens(self) -> int:
        return len(self.text.split())

    def summary_worthy(self, cfg: TLSConfig) -> bool:
        """Prose of a reasonable length, not page furniture (bylines, comments, credits, links)."""
        return (
            cfg.min_tokens <= self.n_tokens <= cfg.max_tokens
            and not _JUNK.search(self.text)
            and not _TIMESTAMP.search(self.text)
            and self.text[-1:] in ".!?\"'"
        )


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
class TLSConfig:
    lead_sentences: int = 5  # first sentences of an article dated by its publication date
    min_tokens: int = 6  # shortest/longest sentence allowed in a summary
    max_tokens: int = 60
    max_days_back: int = 3660  # a mention further from the publication date is ignored
    max_days_ahead: int = 366
    later_bonus: float = 1.0  # extra weight of a mention by an article published after the date
    same_day_penalty: float = 0.5  # factor for dates only mentioned on their own publication day
    published_weight: float = 0.0  # weight of each article published on the date
    keyword_mention_weight: float = 1.0  # extra weight of a mention in a sentence naming a keyword
    keyword_boost: float = 0.5  # summary score factor (1 + boost) for sentences naming a keyword
    statement_boost: float = 0.1  # summary score factor (1 + boost) for sentences holding a dated statement
    max_similarity: float = 0.5  # cosine above which a sentence repeats one already chosen
    require_keyword: bool = False  # only sentences naming a keyword (news-tls' filter), when any do


@dataclass
class _Index:
    """TF-IDF vectors (L2-normalised rows) of the candidate sentences and keyword flags."""

    matrix: sparse.csr_matrix
    has_keyword: np.ndarray


# ---- step 1: dated sentences ----------------------------------------------------------------------------


Tagger = Callable[[str, date | None], list[TimeExpression]]


def collect_sentences(
    docs: Iterable[Document],
    statements: Iterable[Statement] = (),
    config: TLSConfig | None = None,
    *,
    tagger: Tagger = find_timexes,
) -> list[DatedSentence]:
    """The sentences of the dated documents with the days they mention (see the module docstring).
    `tagger` is `saidwhen.dates.find_timexes` unless the caller has the time expressions already."""
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


def _document_sentences(
    doc: Document, statements: list[Statement], cfg: TLSConfig, tagger: Tagger
) -> list[DatedSentence]:
    text = doc.clean.text
    pub = doc.published
    assert pub is not None
    lo, hi = pub - timedelta(days=cfg.max_days_back), pub + timedelta(days=cfg.max_days_ahead)
    spans = sentence_spans(text)
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
    days.sort(key=lambda x: x[0])
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


# ---- keywords and TF-IDF --------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return [t for t in (m.group(0).casefold() for m in _TOKEN.finditer(text)) if t not in STOPWORDS]


def keyword_terms(keywords: Iterable[str], vocabulary: Iterable[str] = ()) -> set[str]:
    """Lower-case terms of the topic keywords: phrases split into words, CamelCase split ("LibyaWar" →
    libya, war), and a run-together word not in `vocabulary` segmented into vocabulary words ("bpoil" →
    bp, oil) when possible."""
    vocab = set(vocabulary)
    terms: set[str] = set()
    for kw in keywords:
        for word in re.split(r"[\s_/,;:-]+", kw.strip()):
            if not word:
                continue
            whole = word.casefold()
            camel = word.isalpha() and whole not in vocab
            parts = ([p.casefold() for p in _CAMEL.findall(word)] if camel else []) or [whole]
            for part in parts:
                if vocab and part not in vocab:
                    seg = _segment(part, vocab)
                    if seg:
                        terms.update(seg)
                        continue
                terms.add(part)
    return {t for t in terms if t not in STOPWORDS}


def _segment(word: str, vocab: set[str]) -> list[str] | None:
    """`word` as the fewest vocabulary words of at least two letters, or None."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for i in range(1, len(word) + 1):
        for k in range(max(0, i - 30), i - 1):
            prev = best[k]
            if prev is not None and word[k:i] in vocab:
                cand = [*prev, word[k:i]]
                cur = best[i]
                if cur is None or len(cand) < len(cur):
                    best[i] = cand
    result = best[len(word)]
    return result if result and len(result) > 1 else None


def _matches_keyword(toks: Sequence[str], terms: set[str]) -> bool:
    """A token equals a term, or starts with a term of five or more letters ("financ" → "financial")."""
    for t in toks:
        if t in terms:
            return True
        if any(len(term) >= 5 and t.startswith(term) for term in terms):
            return True
    return False


def _index(sentences: Sequence[DatedSentence], keywords: Iterable[str]) -> _Index:
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    df: Counter[int] = Counter()
    toks_all = [tokens(s.text) for s in sentences]
    for i, toks in enumerate(toks_all):
        counts = Counter(vocab.setdefault(t, len(vocab)) for t in toks)
        df.update(counts.keys())
        for c, n in counts.items():
            rows.append(i)
            cols.append(c)
            vals.append(1.0 + math.log(n))
    n_docs = max(1, len(sentences))
    idf = np.zeros(len(vocab))
    for c, n in df.items():
        idf[c] = math.log((1 + n_docs) / (1 + n)) + 1.0
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(len(sentences), len(vocab)), dtype=np.float64)
    m = m @ sparse.diags(idf)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    m = sparse.csr_matrix(sparse.diags(1.0 / norms) @ m)
    terms = keyword_terms(keywords, vocab)
    has_kw = np.array([bool(terms) and _matches_keyword(t, terms) for t in toks_all], dtype=bool)
    return _Index(m, has_kw)


# ---- step 2: date selection -----------------------------------------------------------------------------


def rank_dates(
    sentences: Sequence[DatedSentence],
    config: TLSConfig | None = None,
    has_keyword: Sequence[bool] | None = None,
) -> list[tuple[date, float]]:
    """Dates by importance, best first (see the module docstring)."""
    cfg = config or TLSConfig()
    score: dict[date, float] = defaultdict(float)
    other_day: set[date] = set()  # mentioned by an article published on another day
    for i, s in enumerate(sentences):
        kw = cfg.keyword_mention_weight if has_keyword is not None and has_keyword[i] else 0.0
        for d in s.mentions:
            score[d] += 1.0 + kw + (cfg.later_bonus if s.published > d else 0.0)
            if s.published != d:
                other_day.add(d)
    if cfg.published_weight:
        for d, n in Counter(s.published for s in sentences if s.position == 0).items():
            score[d] += cfg.published_weight * n
    for d in score:
        if d not in other_day:
            score[d] *= cfg.same_day_penalty
    return sorted(score.items(), key=lambda kv: (-kv[1], kv[0]))


# ---- step 3: per-date summaries -------------------------------------------------------------------------


def summarize(
    sentences: Sequence[DatedSentence],
    keywords: Iterable[str] = (),
    *,
    max_dates: int = 10,
    per_date: int = 1,
    since: date | None = None,
    until: date | None = None,
    config: TLSConfig | None = None,
) -> list[TimelineDate]:
    """The `max_dates` most important dates in [since, until] with up to `per_date` sentences each,
    in chronological order."""
    cfg = config or TLSConfig()
    if not sentences or max_dates <= 0 or per_date <= 0:
        return []
    index = _index(sentences, keywords)
    mention_of: dict[date, list[int]] = defaultdict(list)
    lead_of: dict[date, list[int]] = defaultdict(list)
    for i, s in enumerate(sentences):
        for d in s.mentions:
            mention_of[d].append(i)
        if not s.mentions and s.position < cfg.lead_sentences:
            lead_of[s.published].append(i)
    ranked = rank_dates(sentences, cfg, index.has_keyword)
    ranked_days = {d for d, _ in ranked}
    # dates nobody mentions but with articles published on them come last, by number of lead sentences
    ranked += sorted(
        ((d, 0.0) for d in lead_of if d not in ranked_days), key=lambda kv: (-len(lead_of[kv[0]]), kv[0])
    )
    chosen_rows: list[int] = []
    chosen_texts: set[str] = set()
    timeline: list[TimelineDate] = []
    for d, score in ranked:
        if len(timeline) >= max_dates:
            break
        if (since is not None and d < since) or (until is not None and d > until):
            continue
        picked = _summarize_date(sentences, index, mention_of[d], lead_of[d], per_date, chosen_rows,
                                 chosen_texts, cfg)  # fmt: skip
        if not picked:
            continue
        items = []
        for i in picked:
            s = sentences[i]
            chosen_rows.append(i)
            chosen_texts.add(s.text.casefold())
            items.append(
                TimelineSentence(
                    text=s.text,
                    document_id=s.document_id,
                    start=s.start,
                    end=s.end,
                    published=s.published,
                    date_from="text" if d in s.mentions else "published",
                    statement_ids=s.statement_ids,
                )
            )
        timeline.append(TimelineDate(d, items, score))
    timeline.sort(key=lambda td: td.date)
    return timeline


def _summarize_date(
    sentences: Sequence[DatedSentence],
    index: _Index,
    mentions: list[int],
    leads: list[int],
    k: int,
    chosen_rows: list[int],
    chosen_texts: set[str],
    cfg: TLSConfig,
) -> list[int]:
    m = index.matrix
    # the centroid: mention and lead sentences weigh as two equal groups
    groups = [g for g in (mentions, leads) if g]
    if not groups:
        return []
    centroid = sum((np.asarray(m[g].mean(axis=0)).ravel() for g in groups), np.zeros(m.shape[1]))
    norm = float(np.linalg.norm(centroid))
    if norm == 0:
        return []
    centroid /= norm
    cands = sorted(set(mentions) | set(leads))
    cands = [
        i for i in cands
        if sentences[i].summary_worthy(cfg) and sentences[i].text.casefold() not in chosen_texts
    ]  # fmt: skip
    if cfg.require_keyword and any(index.has_keyword[i] for i in cands):
        cands = [i for i in cands if index.has_keyword[i]]
    if not cands:
        return []
    x = m[cands]
    boost = 1.0 + cfg.keyword_boost * index.has_keyword[cands].astype(float)
    boost += cfg.statement_boost * np.array([sentences[i].dated_statement for i in cands], dtype=float)
    x_dot_c = x @ centroid
    prev = m[chosen_rows] if chosen_rows else None
    selected: list[int] = []
    summary = np.zeros(m.shape[1])
    available = np.ones(len(cands), dtype=bool)
    if prev is not None:  # a repeat of a sentence already shown under another date
        sims = (x @ prev.T).toarray().max(axis=1) if prev.shape[0] else np.zeros(len(cands))
        available &= sims <= cfg.max_similarity
    while len(selected) < k and available.any():
        # cosine(summary + x_i, centroid) for every candidate, summary = sum of the chosen unit vectors
        s_dot_x = x @ summary
        norm2 = float(summary @ summary) + 2.0 * s_dot_x + 1.0
        score = (float(summary @ centroid) + x_dot_c) / np.sqrt(np.maximum(norm2, 1e-12)) * boost
        score[~available] = -np.inf
        best = int(np.argmax(score))
        if not np.isfinite(score[best]) or score[best] <= 0:
            break
        selected.append(cands[best])
        row = np.asarray(x[best].todense()).ravel()
        summary += row
        available &= (x @ row) <= cfg.max_similarity
        available[best] = False
    return selected


# ---- all steps ----------------------------------------------------------------------------------------


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
