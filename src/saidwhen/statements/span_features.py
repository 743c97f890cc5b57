"""Token features and BIO labels for the trained attribution span model (cue, source, content).

One sequence is one paragraph parsed by spaCy (tagger + parser). The features are what the rules look
at, given to a CRF so it learns the boundaries: the word, its tag and dependency, whether it sits under a
cue word in the parse (and through which relation), where the nearest cue word is, quote marks around it.
Pure functions of a spaCy `Doc`, shared by `scripts/train-attribution.py` and `span_model`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from saidwhen.statements import cues

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LABELS = ("CUE", "SRC", "CON")  # BIO over these: B-CUE, I-CUE, ..., O
_OPEN_QUOTES = {'"', "“", "„", "«", "‘"}
_QUOTES = _OPEN_QUOTES | {"”", "»", "’", "'", "``", "''"}
_EXTRA_CUES = frozenset({"according", "told", "tells", "telling", "statement", "interview", "asked"})


def cue_class(word: str) -> str:
    """'speech', 'attitude', 'cue' (other lexicon cue words) or '' for a lower-cased word."""
    if cues.is_speech(word):
        return "speech"
    if cues.is_attitude(word):
        return "attitude"
    if word in cues.CUE_WORDS or word in _EXTRA_CUES:
        return "cue"
    return ""


def _shape(text: str) -> str:
    if text.isdigit():
        return "d"
    if text[:1].isupper():
        return "X" if text.isupper() and len(text) > 1 else "Xx"
    if text.isalpha():
        return "x"
    return "p" if not any(ch.isalnum() for ch in text) else "m"


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3-5" if n < 6 else "6-10" if n < 11 else "11+"


def _cue_ancestor(tok: Token, classes: list[str]) -> tuple[str, str, int]:
    """(class of the nearest cue ancestor, relation of the child on the path below it, depth) or ('', '', 0)."""
    child, depth = tok, 0
    node = tok
    while node.head.i != node.i and depth < 12:
        child, node = node, node.head
        depth += 1
        if classes[node.i]:
            return classes[node.i], child.dep_, depth
    return "", "", 0


def _quote_state(doc: Doc) -> list[int]:
    """1 for tokens inside a pair of quote marks of the paragraph, else 0 (quote marks themselves: 2)."""
    state, inside = [], False
    for t in doc:
        text = t.text
        if text in _QUOTES and not (text in {"’", "'"} and t.i > 0 and doc[t.i - 1].whitespace_ == ""):
            opening = text in _OPEN_QUOTES if text not in {'"', "'", "``", "''"} else not inside
            inside = opening
            state.append(2)
            continue
        state.append(1 if inside else 0)
    return state


def token_features(doc: Doc) -> list[dict[str, str | float]]:
    """One feature dict per token of a parsed paragraph."""
    words = [t.lower_ for t in doc]
    classes = [cue_class(w) for w in words]
    quotes = _quote_state(doc)
    cue_pos = [i for i, c in enumerate(classes) if c]
    base: list[dict[str, str | float]] = []
    for t in doc:
        i = t.i
        anc_class, anc_rel, depth = _cue_ancestor(t, classes)
        sent = t.sent
        left = [j for j in cue_pos if sent.start <= j < i]
        right = [j for j in cue_pos if i < j < sent.end]
        f: dict[str, str | float] = {
            "bias": 1.0,
            "w": words[i],
            "suf": words[i][-3:],
            "shape": _shape(t.text),
            "tag": t.tag_,
            "dep": t.dep_,
            "hw": words[t.head.i] if t.head.i != i else "<root>",
            "hdep": t.head.dep_,
            "htag": t.head.tag_,
            "cls": classes[i],
            "hcls": classes[t.head.i],
            "q": str(quotes[i]),
            "anc": anc_class,
            "anc_rel": anc_rel,
            "anc_cls_rel": f"{anc_class}|{anc_rel}",
            "anc_d": _bucket(depth),
            "sstart": str(i == sent.start),
            "send": str(i == sent.end - 1),
            "lcue": _bucket(i - left[-1]) if left else "-",
            "rcue": _bucket(right[0] - i) if right else "-",
            "lcls": classes[left[-1]] if left else "-",
            "rcls": classes[right[0]] if right else "-",
            "nsubj_of_cue": str(t.dep_ in {"nsubj", "nsubjpass"} and bool(classes[t.head.i])),
            "in_subj": str(any(a.dep_ in {"nsubj", "nsubjpass"} and classes[a.head.i] for a in t.ancestors)),
        }
        base.append(f)
    out: list[dict[str, str | float]] = []
    n = len(base)
    for i, f in enumerate(base):
        g = dict(f)
        for off in (-2, -1, 1, 2):
            j = i + off
            if 0 <= j < n:
                o = base[j]
                g[f"{off}:w"] = o["w"]
                g[f"{off}:tag"] = o["tag"]
                g[f"{off}:dep"] = o["dep"]
                g[f"{off}:q"] = o["q"]
                g[f"{off}:cls"] = o["cls"]
            else:
                g[f"{off}:w"] = "<pad>"
        g["w-1|w"] = f"{g['-1:w']}|{f['w']}"
        g["w|w+1"] = f"{f['w']}|{g['1:w']}"
        out.append(g)
    return out


def to_crfsuite(feats: list[dict[str, str | float]]) -> list[dict[str, float]]:
    """crfsuite's item format: string features become 'name=value' with weight 1."""
    return [{(k if isinstance(v, float) else f"{k}={v}"): (v if isinstance(v, float) else 1.0)
             for k, v in f.items()} for f in feats]


def bio_labels(doc: Doc, spans: list[tuple[str, int, int]]) -> list[str]:
    """BIO labels of the tokens of `doc` for (label, start, end) character spans relative to the doc;
    earlier spans win (callers pass outer attributions first)."""
    labels = ["O"] * len(doc)
    for label, s, e in spans:
        idx = [t.i for t in doc if t.idx < e and t.idx + len(t.text) > s and labels[t.i] == "O"]
        for k, i in enumerate(idx):
            labels[i] = ("B-" if k == 0 or idx[k - 1] != i - 1 else "I-") + label
    return labels


def runs(labels: list[str]) -> list[tuple[str, int, int]]:
    """(label, first token, last token + 1) of each B/I run."""
    out: list[tuple[str, int, int]] = []
    for i, lab in enumerate(labels):
        if lab == "O":
            continue
        kind = lab[2:]
        if lab.startswith("I-") and out and out[-1][0] == kind and out[-1][2] == i:
            out[-1] = (kind, out[-1][1], i + 1)
        else:
            out.append((kind, i, i + 1))
    return out
