"""The trained attribution span model (`--attribution accurate`): a CRF over `span_features`, trained on
PolNeAR train by `scripts/train-attribution.py`, shipped as `models/attribution.crfsuite` (read offline).

`SpanModel.candidates` tags every paragraph and pairs each content run with the nearest cue run and the
source run nearest that cue; `extract.analyse` combines them with the rules (see `combine`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from saidwhen.statements.base import Candidate, Span
from saidwhen.statements.span_features import cue_class, runs, to_crfsuite, token_features

if TYPE_CHECKING:
    from spacy.tokens import Doc

MODEL_PATH = Path(__file__).parent / "models" / "attribution.crfsuite"
MIN_CONFIDENCE = 0.5  # mean marginal probability of a content run's labels
_QUOTE_CHARS = "\"“”„«»"
_TRAILING = {",", ".", ";", ":", "—", "–", "-"}


class SpanModelMissingError(RuntimeError):
    """The model file or python-crfsuite is missing (a broken install)."""


@dataclass
class TaggedRun:
    label: str  # CUE | SRC | CON
    start: int  # character offsets into the analysis text
    end: int
    first: int  # token indices in the paragraph doc
    last: int
    prob: float


class SpanModel:
    """A loaded CRF tagger; `tag` is not thread-safe (one per process, see `load_span_model`)."""

    def __init__(self, path: Path = MODEL_PATH) -> None:
        try:
            import pycrfsuite
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise SpanModelMissingError("python-crfsuite is not installed: pip install python-crfsuite") from exc
        if not path.is_file():
            raise SpanModelMissingError(f"attribution model missing: {path} (scripts/train-attribution.py)")
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))

    def tag(self, doc: Doc, base: int) -> list[TaggedRun]:
        """The labelled runs of one parsed paragraph whose text starts at `base`."""
        if not len(doc):
            return []
        labels = self._tagger.tag(to_crfsuite(token_features(doc)))
        return tagged_runs(doc, base, labels, [self._tagger.marginal(lab, i) for i, lab in enumerate(labels)])


def tagged_runs(doc: Doc, base: int, labels: list[str], probs: list[float]) -> list[TaggedRun]:
    """The B/I runs of a paragraph's token labels as character spans (text starting at `base`), each with
    the mean probability of its labels; a content run ends before a trailing comma or full stop."""
    out = []
    for label, first, last in runs(labels):
        while label == "CON" and last - first > 1 and doc[last - 1].text in _TRAILING:
            last -= 1  # PolNeAR's contents end before a trailing comma or full stop outside quotes
        start = base + doc[first].idx
        end = base + doc[last - 1].idx + len(doc[last - 1].text)
        out.append(TaggedRun(label, start, end, first, last, sum(probs[first:last]) / (last - first)))
    return out


@lru_cache(maxsize=1)
def load_span_model() -> SpanModel:
    return SpanModel()


def _kind(text: str, content: list[Span], cue: str | None) -> str:
    if cue and cue_class(cue.split()[-1].lower()) == "attitude":
        return "belief"
    frags = [text[s:e].strip() for s, e in content]
    if any(ch in f for f in frags for ch in _QUOTE_CHARS):
        first, last = frags[0], frags[-1].rstrip(".,;:!? ")
        if first[:1] in _QUOTE_CHARS and (last[-1:] in _QUOTE_CHARS or frags[-1][-1:] in _QUOTE_CHARS):
            return "direct"
        return "mixed"
    return "indirect"


def _sentence_of(doc: Doc, token: int) -> tuple[int, int]:
    sent = doc[token].sent
    return sent.start, sent.end


def pair(text: str, doc: Doc, tagged: list[TaggedRun], min_confidence: float = MIN_CONFIDENCE
         ) -> list[Candidate]:
    """Candidates of one paragraph: content runs (split quotes joined across their frame) with the nearest
    cue run and the source run nearest that cue; content without a cue in the paragraph is dropped."""
    cons = [r for r in tagged if r.label == "CON"]
    cue_runs = [r for r in tagged if r.label == "CUE"]
    srcs = [r for r in tagged if r.label == "SRC"]
    groups: list[list[TaggedRun]] = []
    for c in cons:
        if groups:
            prev = groups[-1][-1]
            between = [r for r in tagged if prev.last <= r.first and r.last <= c.first]
            gap = text[prev.end:c.start]
            frame_only = between and all(r.label in ("CUE", "SRC") for r in between)
            quoted = text[prev.end - 1] in _QUOTE_CHARS and text[c.start] in _QUOTE_CHARS  # "…," X said. "…"
            if frame_only and (quoted or not any(ch in gap for ch in ".?!")) and len(gap.split()) <= 8:
                groups[-1].append(c)
                continue
        groups.append([c])
    out: list[Candidate] = []
    for g in groups:
        prob = sum(r.prob for r in g) / len(g)
        if prob < min_confidence or not cue_runs:
            continue
        first, last = g[0].first, g[-1].last
        s_start, s_end = _sentence_of(doc, first)

        def dist(r: TaggedRun, first: int = first, last: int = last, s_start: int = s_start,
                 s_end: int = s_end) -> tuple[int, int]:
            gap = first - r.last if r.last <= first else r.first - last if r.first >= last else 0
            return (0 if s_start <= r.first < s_end else 1, max(gap, 0))

        cue = min(cue_runs, key=dist)
        if dist(cue)[1] > 40:
            continue
        c_start, c_end = _sentence_of(doc, cue.first)
        near = [r for r in srcs if c_start <= r.first < c_end and not (first <= r.first < last)]
        src = min(near, key=lambda r: abs(r.first - cue.first), default=None)
        content = [(r.start, r.end) for r in g]
        cue_text = text[cue.start:cue.end]
        out.append(Candidate(
            content=content,
            kind=_kind(text, content, cue_text),
            cue=cue_text,
            cue_span=(cue.start, cue.end),
            source=(src.start, src.end) if src else None,
            confidence=round(0.5 + 0.4 * prob, 3),
            flags={"model"},
        ))
    return out
