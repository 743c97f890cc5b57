"""Which sentences are worth the dependency parse: the prefilter of reported speech.

Parsing is most of the statement stage's cost, and the reported-speech rules (`reported.find_reported`)
look at one sentence at a time, starting from a cue token: a speech or attitude verb form, `according
(to)`, a nominal cue with a possessor and a that-clause, an evaluative verb. A sentence is parsed when it
holds a *live* cue word outside quotes and outside the frames of direct quotes already attributed.

A cue word is not live where its neighbours show that the rules cannot fire on it (they need the word as a
verb with a subject or an agent, or as a nominal cue with "that" right after it):

- after an article or a possessive ("the state", "a report", "his comments"; a nominal cue after a
  possessive stays live: "his claim that ...");
- bare or -s form after "of" ("Secretary of State", "the point of views");
- capitalised (not in capitals) inside a name ("United States", "State Department", "Washington Post"),
  unless the sentence is a headline in title case;
- a participle right after a form of "be" with no "by" after it ("was charged with", "is expected to"):
  a passive cue is only attributed to its agent;
- "thanks to", "so-called";
- a noun-only cue ("statement", "remarks") not followed by "that".

Speaker resolution reads the whole text with its own rules (names, pronouns, roles), never the parse, so
the unparsed sentences lose nothing there. `benchmarks/prefilter_recall.py` measures the recall of these
checks on PolNeAR gold attributions against the cue lexicon alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from saidwhen.statements import cues
from saidwhen.statements.base import Candidate, Span
from saidwhen.statements.direct import is_noise
from saidwhen.statements.quotes import Quote
from saidwhen.statements.spans import Coverage

_ARTICLES = frozenset({"the", "a", "an", "its", "their", "our", "my", "your", "his"})
_POSSESSIVES = frozenset({"its", "their", "our", "my", "your", "his", "her"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_VERB_FORMS = frozenset(cues.ALL_FORMS) | cues.EVALUATIVE_FORMS | cues.INTENTION_FORMS | {"according"}
_NOUN_ONLY = cues.NOMINAL_CUES - _VERB_FORMS
_BROAD_CUE_WORDS = cues.CUE_WORDS | cues.BROAD_WORDS
_PREV = re.compile(r"([\w'’]+)[^\S\n]+$")
_NEXT = re.compile(r"([^\S\n]+)([\w'’]+)")
_BY = re.compile(r"\bby\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’]*")
_LOOK = 40  # characters looked at on each side of a cue word


def _headline(text: str, s: int, e: int) -> bool:
    """Title case or capitals: most words capitalised ("Obama Says He Will Veto the Bill")."""
    words = _WORD.findall(text, s, e)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def live(text: str, start: int, end: int, sent: Span) -> bool:
    """Can the rules fire on the cue word text[start:end] of sentence `sent`?"""
    word = text[start:end]
    low = word.lower()
    m = _PREV.search(text, max(sent[0], start - _LOOK), start)  # the word right before (spaces only between)
    before = m.group(1) if m else ""
    prev = before.lower()
    n = _NEXT.match(text, end, min(sent[1], end + _LOOK))
    after = n.group(2) if n and n.group(1) else ""  # the word right after
    nxt = after.lower()
    if prev in _ARTICLES and not (low in cues.NOMINAL_CUES and prev in _POSSESSIVES):
        return False
    bare = not (low.endswith(("ed", "ing")) or low in cues.IRREGULAR_PAST)
    if bare and low not in cues.NOMINAL_CUES and prev == "of":
        return False
    if prev in _BE and not bare and not low.endswith("ing") and not _BY.search(text, end, sent[1]):
        return False
    in_name = (before[:1].isupper() and before != "I") or (after[:1].isupper() and after != "I")
    if word[:1].isupper() and not word.isupper() and start > sent[0] and in_name and not _headline(text, *sent):
        return False
    if (low == "thanks" and nxt == "to") or (low == "called" and text[max(0, start - 3) : start].lower() == "so-"):
        return False
    return not (low in _NOUN_ONLY and nxt != "that")


def sentences_to_parse(
    text: str, sents: list[list[Span]], quotes: list[Quote], cands: list[Candidate], broad: bool = False,
    *, checks: bool = True,
) -> list[Span]:
    """Sentences worth parsing: a live cue word (`live`; any cue word with `checks=False`) outside quotes and
    outside frames already attributed. `broad` (evaluation) adds PolNeAR's wider cue words."""
    covered = Coverage((q.start, q.end) for q in quotes)
    used = Coverage(c.cue_span for c in cands if c.cue_span is not None)
    out: list[Span] = []
    for para in sents:
        if not para or is_noise(text, para[0][0], para[-1][1]):
            continue
        for sent in para:
            if any(not checks or live(text, s, e, sent) for s, e in cue_words(text, sent, covered, used, broad)):
                out.append(sent)
    return out


def cue_words(text: str, sent: Span, covered: Coverage, used: Coverage, broad: bool = False) -> Iterator[Span]:
    """The cue words of sentence `sent` outside the `covered` quotes and the `used` cues of quote frames."""
    s, e = sent
    if covered.covers(s, e):
        return
    words = _BROAD_CUE_WORDS if broad else cues.CUE_WORDS
    for m in cues.WORD_RE.finditer(text, s, e):
        if m.group(0).lower() not in words:
            continue
        p = m.start()
        if covered.covers_point(p) or used.covers_point(p):
            continue
        yield p, m.end()
