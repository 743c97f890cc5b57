"""Orchestration: quotes and frames (regex), prefiltered sentences parsed in batches for reported
speech, speaker resolution in text order, mapping back to the original text."""

from __future__ import annotations

import bisect
import copy
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from saidwhen.language import reads_statements
from saidwhen.model import CleanText, Document, Statement, stable_id
from saidwhen.statements import accurate, cues
from saidwhen.statements.article_facts import ArticleFacts, article_facts
from saidwhen.statements.article_speakers import ArticleSpeakers
from saidwhen.statements.base import Candidate, Span
from saidwhen.statements.direct import direct_candidates, headline, para_of
from saidwhen.statements.prefilter import sentences_to_parse
from saidwhen.statements.quotes import Quote
from saidwhen.statements.registry import SpeakerRegistry
from saidwhen.statements.reported import _trim, find_reported
from saidwhen.statements.segment import analysis_text, paragraphs, sentences
from saidwhen.statements.spans import CandidateIndex, Coverage
from saidwhen.statements.speakers import NameRun, name_runs

if TYPE_CHECKING:
    from spacy.language import Language

_JUNK = re.compile(r"https?://|www\.|</?\w+>|\bsign up\b|\bsubscribe\b|@\w+\)", re.IGNORECASE)
DISABLE = ("lemmatizer", "ner", "tagger", "attribute_ruler")  # the rules need the parse only
@dataclass
class Attribution:
    """A statement with the spans a benchmark needs, all offsets into `Document.text`."""

    statement: Statement
    content: list[Span]  # content fragments (a split quote has several)
    source: Span | None  # the speaker mention as written ("who" in "X, who said …"); None for inherited speakers
    cue: Span | None


@dataclass
class Prepared:
    """A document ready for speaker resolution: its analysis text, spans, direct candidates and names."""

    doc: Document
    text: str
    clean: CleanText
    paras: list[Span]
    sents: list[list[Span]]
    cands: list[Candidate]
    quotes: list[Quote]
    targets: list[Span]
    names: list[NameRun]  # the full person names of the text (found without the registry)
    truncated: int | None = None  # statements were searched in the first this many characters only
    facts: ArticleFacts | None = None  # what speaker resolution reads of the text alone (`article_facts`)


MAX_ANALYSIS_CHARS = 100_000  # work bound per document: statements are searched in this much text
MAX_PARSE_CHARS = 5_000  # a "sentence" longer than this (no punctuation, a table) is not parsed


def _truncate(clean: CleanText, limit: int) -> CleanText:
    """The first `limit` characters of an analysis text (cut at a paragraph or sentence end when one is
    near), offsets and folded quote marks kept."""
    cut = max(clean.text.rfind("\n", limit // 2, limit), clean.text.rfind(". ", limit // 2, limit) + 1)
    cut = cut if cut > 0 else limit
    short = copy.copy(clean)
    short.text, short.offsets = clean.text[:cut], clean.offsets[: cut + 1]
    return short


def _prepare(
    doc: Document, broad: bool = False, max_chars: int = MAX_ANALYSIS_CHARS, checks: bool = True
) -> Prepared:
    clean = analysis_text(doc)
    truncated = None
    if len(clean.text) > max_chars:
        clean = _truncate(clean, max_chars)
        truncated = len(clean.text)
    text = clean.text
    paras = paragraphs(text)
    sents = [sentences(text, s, e) for s, e in paras]
    cands, quotes = direct_candidates(text, paras, sents)
    head = headline(text, paras)
    if head and not any(c.overlaps(head.content[0]) for c in cands):
        cands.append(head)
    targets = [(s, e) for s, e in sentences_to_parse(text, sents, quotes, cands, broad, checks=checks)
               if e - s <= MAX_PARSE_CHARS]
    names = name_runs(text)
    facts = article_facts(text, [(q.start, q.end) for q in quotes], names)  # here: in the worker, if any
    return Prepared(doc, text, clean, paras, sents, cands, quotes, targets, names, truncated, facts)


_REMINDER_SOURCES = {"we", "let us", "us", "let's"}


def _unread(doc: Document) -> Prepared:
    """A document in a language without statement rules: nothing to parse, no candidates."""
    return Prepared(doc, "", doc.clean, [], [], [], [], [], [], None)


def _reminder_frame(text: str, r: Candidate) -> bool:
    if not (r.source and r.cue):
        return False
    source = text[r.source[0] : r.source[1]].strip().lower()
    return source in _REMINDER_SOURCES and r.cue.lower().startswith(("remind", "recall"))


def _merge_reported(p: Prepared, reported: list[Candidate]) -> list[Candidate]:
    cands = [c for c in p.cands]
    orphans = [c for c in cands if "orphan" in c.flags]
    index, orphan_index = CandidateIndex(cands), CandidateIndex(orphans)
    flat_sents = [s for para in p.sents for s in para]
    sent_ends = [e for _, e in flat_sents]
    # outer attributions first: speech before attitude/object cues, longer content first
    reported = sorted(reported, key=lambda r: (-r.confidence, -sum(e - s for s, e in r.content)))
    # "We will remind that on May 3, X stated …": the outlet's reminder frames an attribution, it is none
    reported = [r for r in reported if not _reminder_frame(p.text, r)]
    for r in reported:
        if "anaphoric" in r.flags:
            # "This was stated by X": the previous sentence (or the orphan quote just before)
            before = bisect.bisect_right(sent_ends, r.cue_span[0])  # sentences ending before the cue
            if not before:
                continue
            target = flat_sents[before - 1]
            o = [c for c in orphan_index.near(target[0] - 1, r.cue_span[0])
                 if c.end <= r.cue_span[0] and c.end >= target[0] - 1]
            if o:
                o[-1].flags.discard("orphan")
                o[-1].source, o[-1].cue, o[-1].cue_span, o[-1].confidence = r.source, r.cue, r.cue_span, 0.75
                continue
            if any(c.overlaps(target) and "orphan" not in c.flags for c in index.near(*target)):
                continue
            s, e = _trim(p.text, *target)
            r.content = [(s, e)]
            r.flags.discard("anaphoric")
        if not r.content:
            continue
        host = [o for o in orphan_index.near(r.start, r.end) if "orphan" in o.flags and o.overlaps((r.start, r.end))]
        if host:
            o = host[0]
            inside = sum(max(0, min(e, o.end) - max(s, o.start)) for s, e in r.content)
            total = sum(e - s for s, e in r.content)
            lead = p.text[r.start : o.start]
            if inside >= 0.7 * total and r.source and not (o.start <= r.source[0] < o.end) \
                    and not (r.start < o.start and r.end >= o.end - 2 and re.search(r"\w", lead)):
                o.flags.discard("orphan")
                o.source, o.cue, o.cue_span, o.confidence = r.source, r.cue, r.cue_span, 0.8
                continue
        clash = [c for c in index.near(r.start, r.end) if c.overlaps((r.start, r.end)) and "orphan" not in c.flags]
        if clash:
            continue
        inner_orphans = [c for c in orphan_index.near(r.start, r.end + 1) if r.start <= c.start and c.end <= r.end + 1]
        for o in inner_orphans:
            o.flags.add("consumed")
        if inner_orphans:
            r.kind = "mixed"
        if any(x.overlaps((r.start, r.end)) for x in index.near(r.start, r.end) if x.cue_span == r.cue_span):
            continue
        # the source must not be inside another candidate's content (nested attribution)
        if r.source and any(c.start <= r.source[0] and r.source[1] <= c.end and "orphan" not in c.flags
                            for c in index.near(*r.source)):
            continue
        cands.append(r)
        index.add(r)
    # quotes left without a frame right after an attributed quote of the same paragraph continue it
    cands.sort(key=lambda c: c.start)
    prev: Candidate | None = None  # the last candidate before `c` that is no orphan
    for c in cands:
        if "orphan" not in c.flags:
            prev = c
            continue
        if "consumed" in c.flags:
            continue
        if prev is None or prev.kind != "direct" or para_of(p.paras, prev.end) != para_of(p.paras, c.start):
            continue
        gap = p.text[max(prev.end, prev.frame_end) : c.start]
        if not cues.CUE_RE.search(gap) and len(gap.split()) <= 3 and not any(ch in gap for ch in "\"“”"):
            prev.content.append(c.content[0])
            prev.frame_end = c.end
            c.flags.add("consumed")
    # overlapping reported candidates: keep the first in text order with the larger content
    cands = [c for c in cands if "orphan" not in c.flags and not _JUNK.search(p.text[c.start : c.end])]
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    result: list[Candidate] = []
    for c in cands:
        if result and c.kind == "indirect" and any(r.overlaps((c.start, c.end)) for r in result[-3:]):
            continue
        result.append(c)
    return result


def resolve(p: Prepared, cands: list[Candidate], registry: SpeakerRegistry) -> list[Candidate]:
    """The candidates whose speaker could be set (names, pronouns, roles against `registry`, which counts
    them), in text order; inherited speakers follow the previous quote or are dropped."""
    speakers = ArticleSpeakers(registry, p.doc.published)
    speakers.scan_names(p.text, [(q.start, q.end) for q in p.quotes], p.names, p.facts)
    out: list[Candidate] = []
    prev: Candidate | None = None
    for c in sorted(cands, key=lambda c: c.source[0] if c.source and c.source[0] < c.start else c.start):
        if c.inherit:
            if prev is None or prev.kind != "direct" or prev.para < c.para - 1:
                continue
            c.speaker, c.mention, c.speaker_type = prev.speaker, prev.mention, prev.speaker_type
        elif c.source:
            c.mention = _mention_text(p.text[c.source[0] : c.source[1]])
            said = " ".join(p.text[s:e] for s, e in c.content)
            c.speaker, c.speaker_type = speakers.resolve_source(c.mention, c.source[0], said)
        if c.speaker:
            registry.count(c.speaker)
        out.append(c)
        prev = c
    out.sort(key=lambda c: c.start)
    return out


def _mention_text(source: str) -> str:
    """The source phrase without a trailing relative clause ("Barkley, who said …," -> "Barkley")."""
    source = re.split(r",?\s+(?:who|whose|which)\s", source, maxsplit=1)[0]
    source = re.sub(r"(?<=\w)['’]s$", "", source.strip())  # "Berg's claim that …" -> "Berg"
    return " ".join(source.split()).strip(" ,;:")


def _statement_text(text: str, c: Candidate) -> str:
    parts = []
    for s, e in c.content:
        frag = text[s:e].strip()
        if c.kind == "direct" or (c.kind == "mixed" and len(c.content) == 1 and frag[:1] in "\"“„«‘'"):
            frag = frag.strip("\"“”„«»‹›‘’' ")
            frag = frag.rstrip(",")
        if parts and frag[:1].isupper() and parts[-1][-1:] not in ".?!…:;":
            parts[-1] += "."  # `"…families," he said. "Frankly, …"` -> "…families. Frankly, …"
        if frag:
            parts.append(frag)
    return " ".join(" ".join(parts).split())


_MIN_EVALUATIVE_WORDS = 4


def _empty_evaluative(text: str, c: Candidate) -> bool:
    """"X welcomed the remarks": an attitude to an object, no statement to report."""
    return bool(c.cue and c.cue.lower() in cues.EVALUATIVE_FORMS
                and len(_statement_text(text, c).split()) < _MIN_EVALUATIVE_WORDS)


def to_attributions(p: Prepared, cands: list[Candidate]) -> list[Attribution]:
    """The candidates as statements with offsets into the original text, one per candidate, in order
    (`analyse` has already dropped the candidates that are no statement)."""
    out: list[Attribution] = []
    clean = p.clean
    for c in cands:
        content = [clean.to_original(s, e) for s, e in c.content]
        start, end = content[0][0], content[-1][1]
        written = c.written or c.source  # the mention span as written ("who"); resolution used its antecedent
        source = clean.to_original(*written) if written else None
        cue = clean.to_original(*c.cue_span) if c.cue_span else None
        text = _statement_text(p.text, c)
        st = Statement(
            id=stable_id(p.doc.id, f"{start}:{end}", prefix="s"),
            document_id=p.doc.id,
            speaker=c.speaker,
            speaker_mention=c.mention,
            text=text,
            kind=c.kind,  # type: ignore[arg-type]
            cue=c.cue,
            start=start,
            end=end,
            confidence=_confidence(c),
            speaker_type=c.speaker_type,
        )
        out.append(Attribution(st, content, source, cue))
    return out


def _confidence(c: Candidate) -> float:
    return round(c.confidence if c.speaker else c.confidence * 0.8, 3)


def set_speaker(st: Statement, c: Candidate) -> None:
    """Give `st`, the statement `to_attributions` made of `c` before its speaker was resolved, the fields
    that depend on the speaker, as `to_attributions` gives them after `resolve`."""
    st.speaker, st.speaker_mention, st.speaker_type, st.confidence = c.speaker, c.mention, c.speaker_type, _confidence(c)


def extract_attributions(
    docs: Iterable[Document],
    nlp: Language | None = None,
    *,
    registry: SpeakerRegistry | None = None,
    batch_size: int = 32,
    broad: bool = False,
    attribution: str | None = None,
    beliefs: bool = False,
) -> Iterator[tuple[Document, list[Attribution]]]:
    """Like `extract_statements`, but also yields content fragments, source and cue spans.

    `broad=True` (evaluation only) adds PolNeAR-style attributions that are not statements in saidwhen's
    sense: evaluative speech acts with an object ("X criticized Y") and intentions ("X wants to …")."""
    if nlp is None:
        from saidwhen.nlp import load_nlp

        nlp = load_nlp(disable=DISABLE)
    registry = registry if registry is not None else SpeakerRegistry()
    it = iter(docs)
    while True:
        chunk = list(itertools.islice(it, max(1, batch_size)))
        if not chunk:
            return
        for p, cands in analyse(chunk, nlp, broad=broad, attribution=attribution, beliefs=beliefs):
            yield p.doc, to_attributions(p, resolve(p, cands, registry))


def analyse(
    docs: list[Document], nlp: Language, *, broad: bool = False, max_chars: int = MAX_ANALYSIS_CHARS,
    checks: bool = True, attribution: str | None = None, beliefs: bool = False,
) -> list[tuple[Prepared, list[Candidate]]]:
    """The part of extraction that needs no speaker registry (so worker processes can run it): each
    document prepared, with its candidates (quotes, frames and parsed reported speech, merged), speakers
    unresolved. `resolve` then resolves them in text order and `to_attributions` maps them back.

    The work per document is bounded: only its first `max_chars` characters are searched (the caller
    reports `Prepared.truncated`), and sentences over MAX_PARSE_CHARS are not parsed. `checks=False`
    (evaluation only) parses every sentence with a cue word (`prefilter.sentences_to_parse`).
    `attribution` 'fast' (rules) or 'accurate' (span model + rules, `statements.accurate`); None reads
    $SAIDWHEN_ATTRIBUTION. `beliefs=True` keeps the model's thinking-verb attributions (kind 'belief')."""
    chunk = [_prepare(d, broad, max_chars, checks) if reads_statements(d.language) else _unread(d) for d in docs]
    jobs = [(p.text[s:e], (i, s)) for i, p in enumerate(chunk) for s, e in p.targets]
    reported: list[list[Candidate]] = [[] for _ in chunk]
    quoted = [Coverage((q.start, q.end) for q in p.quotes) for p in chunk]
    for sdoc, (i, base) in nlp.pipe(jobs, as_tuples=True, batch_size=64):
        reported[i].extend(c for c in find_reported(sdoc, base, chunk[i].text, broad)
                           if c.cue_span is None or not quoted[i].covers_point(c.cue_span[0]))
    model: list[list[Candidate]] | None = None
    if (attribution or accurate.attribution_mode()) == "accurate":
        model = accurate.model_candidates([p.text for p in chunk], [p.paras for p in chunk], nlp)
    out = []
    for i, (p, rep) in enumerate(zip(chunk, reported, strict=True)):
        cands = [c for c in _merge_reported(p, rep) if not _empty_evaluative(p.text, c)]
        out.append((p, accurate.combine(cands, model[i], beliefs) if model is not None else cands))
    return out


def extract_statements(
    docs: Iterable[Document],
    nlp: Language | None = None,
    *,
    registry: SpeakerRegistry | None = None,
    batch_size: int = 32,
) -> Iterator[tuple[Document, list[Statement]]]:
    """Statements (direct quotes, reported speech) of each document, streamed in input order."""
    for doc, attrs in extract_attributions(docs, nlp, registry=registry, batch_size=batch_size):
        yield doc, [a.statement for a in attrs]
