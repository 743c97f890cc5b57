"""Orchestration: quotes and frames (regex), prefiltered sentences parsed in batches for reported
speech, speaker resolution in text order, mapping back to the original text."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from saidwhen.model import CleanText, Document, Statement, stable_id
from saidwhen.statements import cues
from saidwhen.statements.base import Candidate, Span
from saidwhen.statements.quotes import Quote, find_quotes, frame_after, frame_before
from saidwhen.statements.registry import SpeakerRegistry
from saidwhen.statements.reported import find_reported
from saidwhen.statements.segment import paragraphs, sentences
from saidwhen.statements.speakers import ArticleSpeakers, parse_mention

if TYPE_CHECKING:
    from spacy.language import Language

DISABLE = ("lemmatizer", "ner", "tagger", "attribute_ruler")  # the rules need the parse only
_HEADLINE_STOP = {
    "watch", "video", "breaking", "exclusive", "analysis", "opinion", "update", "live", "poll", "report",
    "review", "photos", "explainer", "factbox", "timeline", "editorial", "interview", "q&a", "read", "more",
    "related", "see", "also", "share", "comments", "trending",
}
_NOISE_LINE = re.compile(
    r"^(?:read more|related|see also|share|comments?|leave a (?:comment|reply)|sign up|subscribe|photo|image"
    r"|caption|credit|watch|click here|follow us|advertisement|posted in|filed under|tags?)\b",
    re.IGNORECASE,
)


@dataclass
class Attribution:
    """A statement with the spans a benchmark needs, all offsets into `Document.text`."""

    statement: Statement
    content: list[Span]  # content fragments (a split quote has several)
    source: Span | None  # the speaker mention (None for inherited/unknown speakers)
    cue: Span | None


@dataclass
class _Prepared:
    doc: Document
    text: str
    clean: CleanText
    paras: list[Span]
    sents: list[list[Span]]
    cands: list[Candidate]
    quotes: list[Quote]
    targets: list[Span]


_DOUBLE_APOS = re.compile(r"''|``")


def _clean_of(doc: Document) -> CleanText:
    """The cleaned text (identity map when absent), with two-apostrophe quote marks ('' and ``) folded to
    '"' so that every later offset still maps back to the original."""
    clean = getattr(doc, "clean", None)
    if clean is None or not clean.text or len(clean.offsets) != len(clean.text) + 1:
        clean = CleanText(doc.text, list(range(len(doc.text) + 1)))
    if "''" not in clean.text and "``" not in clean.text:
        return clean
    parts: list[str] = []
    offsets: list[int] = []
    wide: set[int] = set()
    pos = 0
    n = 0
    for m in _DOUBLE_APOS.finditer(clean.text):
        parts.append(clean.text[pos : m.start()])
        offsets.extend(clean.offsets[pos : m.start()])
        n += m.start() - pos
        parts.append('"')
        offsets.append(clean.offsets[m.start()])
        wide.add(n)
        n += 1
        pos = m.end()
    parts.append(clean.text[pos:])
    offsets.extend(clean.offsets[pos:])
    folded = _Folded("".join(parts), offsets, clean.removed)
    folded.wide = wide
    return folded


class _Folded(CleanText):
    """A CleanText whose folded two-character quote marks map back to both characters."""

    wide: set[int]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        s, e = super().to_original(start, end)
        if end > start and (end - 1) in self.wide:
            e += 1
        return s, e


def _words(text: str, s: int, e: int) -> int:
    return len(re.findall(r"\w+", text[s:e]))


def _para_of(paras: list[Span], pos: int) -> int:
    for i, (s, e) in enumerate(paras):
        if s <= pos <= e:
            return i
    return -1


def _sentence_start(sents: list[Span], pos: int) -> int:
    for s, e in sents:
        if s <= pos < e:
            return s
    return sents[0][0] if sents else pos


def _is_noise(text: str, s: int, e: int) -> bool:
    line = text[s:e].strip()
    return bool(_NOISE_LINE.match(line)) or (line.count("|") >= 2) or line.startswith(("http", "www."))


def _direct(text: str, paras: list[Span], sents: list[list[Span]]) -> tuple[list[Candidate], list[Quote]]:
    quotes = find_quotes(text, paras)
    cands: list[Candidate] = []
    prev: Candidate | None = None
    for q in quotes:
        pi = q.para
        ps, pe = paras[pi]
        end_pi = _para_of(paras, q.end)
        end_pe = paras[end_pi][1] if end_pi >= 0 else pe
        if _is_noise(text, ps, pe):
            continue
        inner_s, inner_e = q.inner
        n = _words(text, inner_s, inner_e)
        inner_text = text[inner_s:inner_e].rstrip()
        frame = None
        if not q.unclosed and not inner_text.endswith(".") and not q.missing_open:
            frame = frame_after(text, q.end, end_pe)
        elif q.missing_open:
            frame = frame_after(text, q.end, end_pe)
            if frame is None or n < 4:
                continue
        elif not q.unclosed and inner_text.endswith(".") and q.end < end_pe:
            # `"….," he said` with the comma lost, or `"…." said X` — only a lowercase cue/pronoun
            nxt = text[q.end : q.end + 12].lstrip()
            if nxt[:1].islower():
                frame = frame_after(text, q.end, end_pe)
        sent_s = _sentence_start(sents[pi], q.start)
        if prev is not None and prev.para == pi and prev.kind == "direct" and prev.cue_span is not None \
                and prev.cue_span[0] > prev.start and not text[prev.frame_end : q.start].strip(" ,"):
            prev.content.append((q.start, q.end))  # split quote: `"…," he said, "…"`
            prev.frame_end = q.end
            continue
        if frame is None and not q.missing_open:
            frame = frame_before(text, q.start, sent_s)
            if frame is None and q.start == ps and pi > 0 and text[paras[pi - 1][1] - 1] == ":":
                pps, ppe = paras[pi - 1]
                frame = frame_before(text, ppe, _sentence_start(sents[pi - 1], ppe - 1))
        # split quote / continuation in the same paragraph (`"…," he said, "…"` / `"…," he said. "…"`)
        if frame is None and prev is not None and prev.para == pi and prev.kind == "direct":
            gap = text[max(prev.frame_end, prev.end) : q.start]
            if prev.frame_end <= q.start and not cues.CUE_RE.search(gap) and len(gap) < 200 \
                    and '"' not in gap and n >= 2:
                prev.content.append((q.start, q.end))
                prev.frame_end = q.end
                continue
        kind = "direct" if n >= 3 else "mixed"
        if frame is not None:
            if n < 3 and frame.mention_span is None:
                continue
            cstart = q.start
            if frame.content_start is not None and frame.content_start < q.start:
                cstart, kind = frame.content_start, "mixed"
            lead = text[sent_s : q.start]
            if frame.cue_span[0] > q.start and lead.strip() and not lead.rstrip().endswith((":", ",")) \
                    and not any(ch in lead for ch in "\"“”«»") and len(lead.split()) <= 25 \
                    and not cues.CUE_RE.search(lead) and "according to" not in lead:
                cstart, kind = sent_s, "mixed"  # `The program "can continue …," she said`
            c = Candidate([(cstart, q.end)], kind, frame.cue, frame.cue_span, frame.mention_span,
                          0.9 if not (q.unclosed or q.missing_open) else 0.6, para=end_pi,
                          frame_end=max(frame.end, q.end))
            if frame.cue_span[0] < q.start:  # speaker first: the frame precedes the quote
                c.frame_end = q.end
            cands.append(c)
            prev = c
            continue
        # continuation in a following paragraph: inherits the previous direct speaker
        if prev is not None and prev.kind == "direct" and q.start == ps and n >= 3 and 0 < pi - prev.para <= 1:
            c = Candidate([(q.start, q.end)], "direct", None, None, None, 0.7, inherit=True, para=end_pi,
                          frame_end=q.end)
            cands.append(c)
            prev = c
            continue
        if n >= 3:
            c = Candidate([(q.start, q.end)], "direct", None, None, None, 0.0, para=end_pi, frame_end=q.end)
            c.flags.add("orphan")
            cands.append(c)
        prev = None
    return cands, quotes


def _headline(text: str, paras: list[Span]) -> Candidate | None:
    if not paras:
        return None
    s, e = paras[0]
    line = text[s:e]
    if "\n" in line or len(line) > 200 or line.rstrip().endswith("."):
        return None
    m = re.match(r"^([^:]{2,60}):\s+(\S.{8,})$", line)
    if m and m.group(1).split()[0].lower() not in _HEADLINE_STOP:
        mention = parse_mention(m.group(1))
        if mention.kind in {"person", "role", "org"} and mention.name and mention.name.split()[-1] in text[e:]:
            return Candidate([(s + m.start(2), s + m.end(2))], "indirect", ":", (s + m.end(1), s + m.end(1) + 1),
                             (s, s + m.end(1)), 0.6, para=0, frame_end=e)
    m = re.match(r"^(\S.{8,}?)\s+([—–]|--)\s+([^—–]{2,80})$", line)
    if m:
        mention = parse_mention(m.group(3))
        if mention.kind in {"person", "role"} or (mention.kind == "org" and mention.name):
            return Candidate([(s + m.start(1), s + m.end(1))], "indirect", m.group(2), (s + m.start(2), s + m.end(2)),
                             (s + m.start(3), s + m.end(3)), 0.6, para=0, frame_end=e)
    return None


def _targets(text: str, sents: list[list[Span]], quotes: list[Quote], cands: list[Candidate],
             broad: bool = False) -> list[Span]:
    """Sentences worth parsing: a cue word outside quotes and outside frames already attributed."""
    covered = [(q.start, q.end) for q in quotes]
    used = [c.cue_span for c in cands if c.cue_span is not None]
    out: list[Span] = []
    for para in sents:
        for s, e in para:
            if any(qs <= s and e <= qe for qs, qe in covered):
                continue
            hits = list(cues.CUE_RE.finditer(text, s, e))
            if broad:
                hits += list(cues.BROAD_CUE_RE.finditer(text, s, e))
            for m in hits:
                p = m.start()
                if any(qs <= p < qe for qs, qe in covered) or any(us <= p < ue for us, ue in used):
                    continue
                out.append((s, e))
                break
    return out


def _prepare(doc: Document, broad: bool = False) -> _Prepared:
    clean = _clean_of(doc)
    text = clean.text
    paras = paragraphs(text)
    sents = [sentences(text, s, e) for s, e in paras]
    cands, quotes = _direct(text, paras, sents)
    head = _headline(text, paras)
    if head and not any(c.overlaps(head.content[0]) for c in cands):
        cands.append(head)
    targets = _targets(text, sents, quotes, cands, broad)
    return _Prepared(doc, text, clean, paras, sents, cands, quotes, targets)


def _merge_reported(p: _Prepared, reported: list[Candidate]) -> list[Candidate]:
    cands = [c for c in p.cands]
    orphans = [c for c in cands if "orphan" in c.flags]
    flat_sents = [s for para in p.sents for s in para]
    for r in reported:
        if "anaphoric" in r.flags:
            # "This was stated by X": the previous sentence (or the orphan quote just before)
            prev_sents = [s for s in flat_sents if s[1] <= r.cue_span[0]]
            if not prev_sents:
                continue
            target = prev_sents[-1]
            o = [c for c in orphans if c.end <= r.cue_span[0] and c.end >= target[0] - 1]
            if o:
                o[-1].flags.discard("orphan")
                o[-1].source, o[-1].cue, o[-1].cue_span, o[-1].confidence = r.source, r.cue, r.cue_span, 0.75
                continue
            if any(c.overlaps(target) and "orphan" not in c.flags for c in cands):
                continue
            from saidwhen.statements.reported import _trim

            s, e = _trim(p.text, *target)
            r.content = [(s, e)]
            r.flags.discard("anaphoric")
        if not r.content:
            continue
        host = [o for o in orphans if "orphan" in o.flags and o.overlaps((r.start, r.end))]
        if host:
            o = host[0]
            inside = sum(max(0, min(e, o.end) - max(s, o.start)) for s, e in r.content)
            total = sum(e - s for s, e in r.content)
            if inside >= 0.7 * total and r.source and not (o.start <= r.source[0] < o.end):
                o.flags.discard("orphan")
                o.source, o.cue, o.cue_span, o.confidence = r.source, r.cue, r.cue_span, 0.8
                continue
        clash = [c for c in cands if c.overlaps((r.start, r.end)) and "orphan" not in c.flags]
        if clash:
            continue
        inner_orphans = [c for c in orphans if r.start <= c.start and c.end <= r.end + 1]
        for o in inner_orphans:
            o.flags.add("consumed")
        if inner_orphans:
            r.kind = "mixed"
        if any(x.overlaps((r.start, r.end)) for x in cands if x.cue_span == r.cue_span):
            continue
        # the source must not be inside another candidate's content (nested attribution)
        if r.source and any(c.overlaps(r.source) and "orphan" not in c.flags for c in cands):
            continue
        cands.append(r)
    # quotes left without a frame right after an attributed quote of the same paragraph continue it
    cands.sort(key=lambda c: c.start)
    for i, c in enumerate(cands):
        if "orphan" not in c.flags or "consumed" in c.flags:
            continue
        prev = next((x for x in reversed(cands[:i]) if "orphan" not in x.flags), None)
        if prev is None or prev.kind != "direct" or _para_of(p.paras, prev.end) != _para_of(p.paras, c.start):
            continue
        gap = p.text[max(prev.end, prev.frame_end) : c.start]
        if not cues.CUE_RE.search(gap) and len(gap) < 200 and not any(ch in gap for ch in "\"“”"):
            prev.content.append(c.content[0])
            prev.frame_end = c.end
            c.flags.add("consumed")
    # overlapping reported candidates: keep the first in text order with the larger content
    cands = [c for c in cands if "orphan" not in c.flags]
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    result: list[Candidate] = []
    for c in cands:
        if result and c.kind == "indirect" and any(r.overlaps((c.start, c.end)) for r in result[-3:]):
            continue
        result.append(c)
    return result


def _resolve(p: _Prepared, cands: list[Candidate], registry: SpeakerRegistry) -> list[Candidate]:
    speakers = ArticleSpeakers(registry, p.doc.published)
    speakers.scan_names(p.text)
    out: list[Candidate] = []
    prev: Candidate | None = None
    for c in sorted(cands, key=lambda c: c.source[0] if c.source and c.source[0] < c.start else c.start):
        if c.inherit:
            if prev is None or prev.kind != "direct" or prev.para < c.para - 1:
                continue
            c.speaker, c.mention = prev.speaker, prev.mention
        elif c.source:
            c.mention = p.text[c.source[0] : c.source[1]]
            c.speaker = speakers.resolve(c.mention, c.source[0])
        if c.speaker:
            registry.count(c.speaker)
        out.append(c)
        prev = c
    out.sort(key=lambda c: c.start)
    return out


def _statement_text(text: str, c: Candidate) -> str:
    parts = []
    for s, e in c.content:
        frag = text[s:e].strip()
        if c.kind == "direct" or (c.kind == "mixed" and len(c.content) == 1 and frag[:1] in "\"“„«‘'"):
            frag = frag.strip("\"“”„«»‹›‘’' ")
            frag = frag.rstrip(",")
        parts.append(frag)
    return " ".join(" ".join(parts).split())


def _to_attributions(p: _Prepared, cands: list[Candidate]) -> list[Attribution]:
    out: list[Attribution] = []
    clean = p.clean
    for c in cands:
        content = [clean.to_original(s, e) for s, e in c.content]
        start, end = content[0][0], content[-1][1]
        source = clean.to_original(*c.source) if c.source else None
        cue = clean.to_original(*c.cue_span) if c.cue_span else None
        conf = c.confidence if c.speaker else c.confidence * 0.8
        st = Statement(
            id=stable_id(p.doc.id, f"{start}:{end}", prefix="s"),
            document_id=p.doc.id,
            speaker=c.speaker,
            speaker_mention=c.mention,
            text=_statement_text(p.text, c),
            kind=c.kind,  # type: ignore[arg-type]
            cue=c.cue,
            start=start,
            end=end,
            confidence=round(conf, 3),
        )
        out.append(Attribution(st, content, source, cue))
    return out


def extract_attributions(
    docs: Iterable[Document],
    nlp: Language | None = None,
    *,
    registry: SpeakerRegistry | None = None,
    batch_size: int = 32,
    broad: bool = False,
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
        chunk = [_prepare(d, broad) for d in itertools.islice(it, max(1, batch_size))]
        if not chunk:
            return
        jobs = [(p.text[s:e], (i, s)) for i, p in enumerate(chunk) for s, e in p.targets]
        reported: list[list[Candidate]] = [[] for _ in chunk]
        for sdoc, (i, base) in nlp.pipe(jobs, as_tuples=True, batch_size=64):
            quoted = [(q.start, q.end) for q in chunk[i].quotes]
            reported[i].extend(c for c in find_reported(sdoc, base, chunk[i].text, broad)
                               if c.cue_span is None or not any(s <= c.cue_span[0] < e for s, e in quoted))
        for p, rep in zip(chunk, reported, strict=True):
            cands = _merge_reported(p, rep)
            cands = _resolve(p, cands, registry)
            yield p.doc, _to_attributions(p, cands)


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
