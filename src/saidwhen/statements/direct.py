"""Direct quotes as attribution candidates: a frame around each quote, split and continuation quotes,
quotes missing their opening mark, headline attribution (`Headline — Speaker`, `Speaker: headline`)."""

from __future__ import annotations

import bisect
import re
import sys

from saidwhen.statements import cues
from saidwhen.statements.base import Candidate, Span
from saidwhen.statements.quotes import Quote, find_quotes, frame_after, frame_before
from saidwhen.statements.speakers import parse_mention

_HEADLINE_STOP = {
    "watch", "video", "breaking", "exclusive", "analysis", "opinion", "update", "live", "poll", "report",
    "review", "photos", "explainer", "factbox", "timeline", "editorial", "interview", "q&a", "read", "more",
    "related", "see", "also", "share", "comments", "trending", "the", "newspaper", "latest",
}
_NOISE_LINE = re.compile(
    r"^(?:read more|related|see also|share|comments?|leave a (?:comment|reply)|sign up|subscribe|photo|image"
    r"|caption|credit|watch|click here|follow us|advertisement|posted in|filed under|tags?)\b",
    re.IGNORECASE,
)



def _words(text: str, s: int, e: int) -> int:
    return len(re.findall(r"\w+", text[s:e]))


def para_of(paras: list[Span], pos: int) -> int:
    """The index of the (first) paragraph holding `pos`; paragraphs are disjoint and in text order."""
    i = bisect.bisect_right(paras, (pos, sys.maxsize)) - 1
    if i > 0 and paras[i - 1][1] >= pos:  # touching paragraphs: the earlier one
        return i - 1
    return i if i >= 0 and paras[i][1] >= pos else -1


def _sentence_start(sents: list[Span], pos: int) -> int:
    for s, e in sents:
        if s <= pos < e:
            return s
    return sents[0][0] if sents else pos


def is_noise(text: str, s: int, e: int) -> bool:
    line = text[s:e].strip()
    return bool(_NOISE_LINE.match(line)) or (line.count("|") >= 2) or line.startswith(("http", "www."))


def direct_candidates(text: str, paras: list[Span], sents: list[list[Span]]) -> tuple[list[Candidate], list[Quote]]:
    quotes = find_quotes(text, paras)
    cands: list[Candidate] = []
    prev: Candidate | None = None
    for q in quotes:
        pi = q.para
        ps, pe = paras[pi]
        end_pi = para_of(paras, q.end)
        end_pe = paras[end_pi][1] if end_pi >= 0 else pe
        if is_noise(text, ps, pe):
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
            if nxt[:1].islower() or re.match(r"[—–―]\s*[A-Z]", nxt):  # `"…." ― Carla Lind`
                frame = frame_after(text, q.end, end_pe)
        sent_s = _sentence_start(sents[pi], q.start)
        if frame is None and prev is not None and prev.para == pi and prev.kind == "direct" \
                and prev.cue_span is not None \
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
            if prev.frame_end <= q.start and not cues.CUE_RE.search(gap) and len(gap.split()) <= 3 \
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
            if frame.cue_span[0] > q.start and lead.strip() and not lead.rstrip().endswith(":") \
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


def headline(text: str, paras: list[Span]) -> Candidate | None:
    if not paras:
        return None
    s, e = paras[0]
    line = text[s:e]
    if "\n" in line or len(line) > 200 or len(paras) < 2:
        return None
    m = re.match(r"^([^:]{2,60}):\s+(\S.{8,})$", line)
    if m and m.group(1).split()[0].lower() not in _HEADLINE_STOP:
        mention = parse_mention(m.group(1))
        if mention.kind in {"person", "role", "org"} and mention.name and mention.name.split()[-1] in text[e:]:
            c_end = s + m.end(2) - (1 if m.group(2).endswith(".") else 0)  # no final period (PolNeAR)
            return Candidate([(s + m.start(2), c_end)], "indirect", ":", (s + m.end(1), s + m.end(1) + 1),
                             (s, s + m.end(1)), 0.6, para=0, frame_end=e)
    if line.rstrip().endswith("."):
        return None  # a body sentence, not a headline
    m = re.match(r"^(\S.{8,}?)\s+([—–]|--)\s+([^—–]{2,80})$", line)
    if m:
        mention = parse_mention(m.group(3))
        single = mention.kind == "person" and len((mention.name or "").split()) < 2 and not mention.role
        if (mention.kind in {"person", "role"} and not single) or (mention.kind == "org" and mention.name):
            return Candidate([(s + m.start(1), s + m.end(1))], "indirect", m.group(2), (s + m.start(2), s + m.end(2)),
                             (s + m.start(3), s + m.end(3)), 0.6, para=0, frame_end=e)
    return None
