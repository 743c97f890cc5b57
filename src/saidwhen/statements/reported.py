"""Reported speech from the dependency parse of prefiltered sentences:
`X said (that) …`, `…, X said`, `according to X, …`, `X called for …`, `X urged Y to …`,
passive `… was stated by X` (`This was stated by X` points back to the previous sentence)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from saidwhen.statements import cues
from saidwhen.statements.base import Candidate, Span
from saidwhen.statements.segment import _is_abbrev

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_SUBJ = {"nsubj", "nsubjpass", "csubj"}
_ANAPHORIC = {"this", "that", "these", "those", "it", "which"}
_TRIM = set(",.;:!?-–— \n")
_VERB_DEPS = {"ROOT", "ccomp", "conj", "advcl", "relcl", "parataxis", "xcomp", "acl", "pcomp", "dep", "csubj"}
_SAY_LIKE = {"say", "tell", "add", "note", "argue", "claim", "insist", "warn", "explain", "write", "believe",
             "think", "suggest", "predict", "acknowledge", "admit", "stress", "emphasize", "recall", "announce"}
_NOT_CONTENT_START = {"in", "on", "at", "to", "for", "with", "by", "from", "during", "after", "before", "about",
                      "of", "as", "so", "nothing", "something", "anything", "this", "it", "yes", "no"}
_STATEMENT_NOUNS = {"statement", "statements", "release", "letter", "tweet", "tweets", "post", "message", "memo",
                    "email", "note", "op-ed", "column", "speech", "interview", "report", "ad", "video"}
_PARTICIPLE_HEADS = {"advcl", "xcomp", "conj", "acl", "ccomp", "parataxis"}


def _subtree_span(tok: Token) -> tuple[int, int]:
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)


def _open_quote(frag: str) -> bool:
    straight = frag.count('"') % 2 == 1 and frag.rfind('"') >= 0
    curly = frag.count("“") > frag.count("”")
    return straight or curly


_LEAD_CONJ = re.compile(r"(?:And|But|So|Yet|Still|Meanwhile|However|Instead|Moreover|In addition|Indeed)\b,?\s+")
_TAIL_CONJ = re.compile(r"[\s,;]+(?:and|but|or)$")


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    frag = text[s:e]
    if _open_quote(frag) and frag[:1] not in '"“' or (frag[:1] in '"“' and _open_quote(frag)):
        m = re.match(r"[.,!?]?[\"”]", text[e : e + 3])
        if m:
            return s, e + m.end()
    # balance a dangling closing quote mark at the end / opening at the start
    frag = text[s:e]
    if frag.count('"') % 2 == 1 or (frag.count("“") != frag.count("”")):
        if frag[-1:] in '"”' and frag[:1] not in '"“':
            e -= 1
        elif frag[:1] in '"“' and frag[-1:] not in '"”':
            s += 1
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    m = _LEAD_CONJ.match(text, s, e)
    if m and m.end() < e:  # "But the goal is …, she said": the content starts after the conjunction
        s = m.end()
    m = _TAIL_CONJ.search(text, s, e)
    if m and m.start() > s:  # a clause cut after ", but"
        e = m.start()
    return s, e


def _clause_end(doc: Doc, head: Token) -> int:
    """End of a content clause, cut before a trailing `, adding …` / `, and urged …` / `while …`."""
    end = head.right_edge.idx + len(head.right_edge.text)
    for c in head.children:
        if c.i <= head.i or c.dep_ not in {"advcl", "conj", "parataxis"}:
            continue
        first = c.left_edge
        prev = doc[first.i - 1] if first.i > 0 else None
        cut = None
        if cues.lemma_of(c.lower_) or first.lower_ in {"while", "although", "though"}:
            if prev is not None and prev.text == ",":
                cut = prev.idx
            elif first.lower_ in {"while", "although", "though"}:
                cut = first.idx
        if cut is None and c.dep_ == "conj" and cues.lemma_of(c.lower_) and prev is not None \
                and prev.lower_ == "and" and first.i > 1 and doc[first.i - 2].text == ",":
            cut = doc[first.i - 2].idx  # ", and urged …": a second attribution by the same speaker
        if cut is not None:
            return min(end, cut)
    return end


def _cut_trailing_modifier(doc: Doc, s: int, e: int) -> int:
    """Drop a trailing non-restrictive modifier (`, which …` / `, a former nominee …`) from the content."""
    for tok in doc:
        if not (s <= tok.idx < e):
            continue
        for c in tok.children:
            if c.dep_ not in {"relcl", "appos", "acl"} or c.i < tok.i:
                continue
            first = c.left_edge
            end_tok = c.right_edge
            if first.i > 0 and doc[first.i - 1].text == "," and end_tok.idx + len(end_tok.text) >= e - 1:
                if c.dep_ == "relcl" and first.lower_ not in {"which", "who", "whose"}:
                    continue
                return doc[first.i - 1].idx
    return e


def _subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in {"nsubj", "csubj"}:
            return c
    head = tok
    if tok.dep_ == "acl" and tok.head.lower_ in _STATEMENT_NOUNS and tok.head.dep_ in {"dobj", "pobj"}:
        # "released a statement saying …" / "in a statement saying …": the subject of the governing verb
        verb = tok.head.head if tok.head.dep_ == "dobj" else tok.head.head.head
        return next((c for c in verb.children if c.dep_ == "nsubj"), None)
    # "…, adding that" / "smiled and said" / "went on to say": borrow the governing verb's subject
    for _ in range(2):
        if head.dep_ in _PARTICIPLE_HEADS and head.head is not head:
            head = head.head
            for c in head.children:
                if c.dep_ in {"nsubj"}:
                    return c
        else:
            break
    return None


def _agent(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    return None


def find_reported(doc: Doc, base: int, text: str, broad: bool = False) -> list[Candidate]:
    """Reported-speech candidates in one parsed sentence (`doc` text = text[base:base+len]).
    `broad` also accepts evaluative speech acts and intentions (PolNeAR's wider notion)."""
    out: list[Candidate] = []
    for tok in doc:
        low = tok.lower_
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            c = _according(doc, tok, base, text)
            if c:
                out.append(c)
            continue
        if low in cues.NOMINAL_CUES:
            c = _nominal_cue(doc, tok, base, text)
            if c:
                out.append(c)
                continue
        lemma = cues.lemma_of(low)
        if tok.dep_ not in _VERB_DEPS:
            continue
        if lemma is None:
            if (broad and low in cues.BROAD_FORMS) or low in cues.EVALUATIVE_FORMS:
                c = _broad_cue(doc, tok, base, text)
                if c:
                    out.append(c)
            continue
        c = _verb_cue(doc, tok, lemma, base, text)
        if c is None and (broad or low in cues.EVALUATIVE_FORMS):
            c = _broad_cue(doc, tok, base, text)
        if c:
            out.append(c)
    # a source phrase that swallowed the cue or the content is a misparse
    return [c for c in out if c.source is None or c.cue_span is None
            or not (c.source[0] <= c.cue_span[0] < c.source[1] or any(c.source[0] < e and s < c.source[1]
                                                                     for s, e in c.content))]


def _verb_cue(doc: Doc, tok: Token, lemma: str, base: int, text: str) -> Candidate | None:
    speech = cues.is_speech(tok.text)
    attitude = cues.is_attitude(tok.text)
    low_form = tok.lower_
    children = list(tok.children)
    passive = any(c.dep_ in {"auxpass", "nsubjpass"} for c in children)
    source_tok = _agent(tok) if passive else _subject(tok)
    if source_tok is None:
        return None
    relative = source_tok.lower_ in {"who", "which"} and tok.dep_ == "relcl" and not passive
    if source_tok.lower_ in {"it", "there", "which", "that", "what"} and not passive and not relative:
        return None
    # who-relative: "Smith, who said ..." / "the union, which said ..." -> the relative clause's head noun
    relcl_src: Span | None = None
    written: Span | None = None
    if relative:
        written = (base + source_tok.idx, base + source_tok.idx + len(source_tok.text))
        source_tok = tok.head
        relcl_src = _trim(text, base + source_tok.left_edge.idx, base + tok.left_edge.idx)
    content: Span | None = None
    kind = "indirect"
    conf = 0.8 if speech else 0.6
    cue_end = tok.idx + len(tok.text)
    ccomp = [c for c in children if c.dep_ == "ccomp"]
    if passive:
        subj = [c for c in children if c.dep_ == "nsubjpass"]
        if ccomp:
            content = _subtree_span(ccomp[0])
        elif subj and subj[0].lower_ in _ANAPHORIC and speech:
            cand = Candidate([], "indirect", tok.text, (base + tok.idx, base + cue_end),
                             _src(source_tok, base, text), 0.75)
            cand.flags.add("anaphoric")
            return cand
        elif subj and speech and len(list(subj[0].subtree)) >= 3:
            content = _subtree_span(subj[0])
        else:
            return None
    elif ccomp and (speech or attitude or lemma in cues.VERB_XCOMP_CUES):
        content = (ccomp[0].left_edge.idx, _clause_end(doc, ccomp[0]))
        if ccomp[0].i < tok.i:  # "CONTENT, X said"
            s, e = content
            if e > source_tok.left_edge.idx:
                e = source_tok.left_edge.idx
            content = (s, e)
    elif speech and (that_cl := _that_clause_in_prep(tok)) is not None:
        # "said in a statement that …" / "wrote on Twitter that …": the clause hangs on the pobj
        content = (that_cl.left_edge.idx, _clause_end(doc, that_cl))
    elif lemma == "ask" and not passive and (q_cl := _if_clause(tok)) is not None:
        # "asked (the mayor) if/whether …": parsed as an adverbial clause
        content = (q_cl.left_edge.idx, _clause_end(doc, q_cl))
    elif lemma in {"call", "push", "press", "argue"} and (for_cl := _for_clause(tok)) is not None:
        # "called for Smith to resign": parsed as an advcl with the mark "for"
        content = (doc[for_cl.left_edge.i + 1].idx, _subtree_span(for_cl)[1])
        conf = 0.7
    elif speech and tok.dep_ == "parataxis" and (par := _parenthetical(doc, tok, text, base)) is not None:
        # "The two towns, Berg said, now have …": the content around the frame, as two fragments
        kind = "mixed" if any(q in text[f[0] : f[1]] for f in par for q in '"“”«»„') else "indirect"
        src = _src(source_tok, base, text)
        if src is None:
            return None
        return Candidate(par, kind, _cue_text(doc, tok), (base + tok.idx, base + cue_end), src, conf)
    elif speech and tok.dep_ == "parataxis" and tok.head.i < tok.i:
        # "CONTENT, X said" parsed with the cue as parataxis of the content's root
        s = tok.head.left_edge.idx
        e = source_tok.left_edge.idx if source_tok.i < tok.i else tok.idx
        content = (s, e)
    else:
        for c in children:
            if c.dep_ == "prep" and (lemma, c.lower_) in cues.PHRASAL:
                pobj = [g for g in c.children if g.dep_ in {"pobj", "pcomp"}]
                if pobj:
                    s, e = _subtree_span(pobj[0])
                    xc = [x for x in children if x.dep_ in {"xcomp", "advcl"} and x.i > c.i]
                    if xc:
                        e = _subtree_span(xc[0])[1]
                    content = (s, e)
                    conf = 0.7
                break
        intention = lemma in cues.INTENTION_VERBS and low_form in cues.INTENTION_FORMS
        if content is None and lemma in cues.VERB_XCOMP_CUES and (speech or intention
                                                                  or lemma in {"promise", "pledge", "vow"}):
            xc = [x for x in children if x.dep_ == "xcomp" and x.i > tok.i]
            if xc:
                dobj = [d for d in children if d.dep_ in {"dobj"} and d.i < xc[0].i]
                s = _subtree_span(dobj[0])[0] if dobj and lemma in {"urge", "call", "ask", "tell", "warn", "advise"} else xc[0].left_edge.idx
                content = (s, _subtree_span(xc[0])[1])
                conf = 0.65
        if content is None and lemma in _SAY_LIKE and tok.i + 1 < len(doc):
            # parser fallback: "He said legalizing it could …" mis-attached as xcomp/dobj
            nxt = doc[tok.i + 1]
            if lemma == "tell" and nxt.dep_ in {"dobj", "dative"}:
                nxt = doc[nxt.right_edge.i + 1] if nxt.right_edge.i + 1 < len(doc) else nxt
            right = [c for c in children if c.i > tok.i and c.dep_ in {"xcomp", "dobj", "ccomp", "advcl", "conj"}]
            if right and nxt.i > tok.i and nxt.lower_ not in _NOT_CONTENT_START and not nxt.is_punct:
                e = max(_subtree_span(c)[1] for c in right)
                if len(doc[nxt.i :].text.split()) >= 4 and e > nxt.idx:
                    content = (nxt.idx, e)
                    conf = 0.6
        if content is None and lemma == "call" and speech is False:
            dobj = [d for d in children if d.dep_ == "dobj" and d.i > tok.i]
            oprd = [d for d in children if d.dep_ in {"oprd", "xcomp", "ccomp"} and dobj and d.i > dobj[0].i]
            if dobj and oprd:  # "called Cruz the ultimate hypocrite"
                content = (dobj[0].left_edge.idx, _subtree_span(oprd[0])[1])
                conf = 0.5
        if content is None and lemma in cues.VERB_OBJECT_CUES:
            dobj = [d for d in children if d.dep_ == "dobj" and d.i > tok.i]
            if dobj and len(list(dobj[0].subtree)) >= 2:
                content = _subtree_span(dobj[0])
                conf = 0.5
    if content is None:
        return None
    content = (content[0], _cut_trailing_modifier(doc, content[0], content[1]))
    s, e = _trim(text, base + content[0], base + content[1])
    if e - s < 3 or (s <= base + tok.idx < e):
        return None
    frag = text[s:e]
    if any(q in frag for q in '"“”«»„'):
        kind = "mixed"
    src = relcl_src if relcl_src and relcl_src[1] > relcl_src[0] else _src(source_tok, base, text)
    if src is None:
        return None
    cand = Candidate([(s, e)], kind, _cue_text(doc, tok), (base + tok.idx, base + cue_end), src, conf)
    cand.written = written if src == relcl_src else None
    return cand


_NOT_AFTER_FRAME = {"and", "but", "or", "who", "which", "adding", "noting", "saying", "according"}


def _parenthetical(doc: Doc, tok: Token, text: str, base: int) -> list[Span] | None:
    """`A, X said, B` with the frame in the middle of its sentence: [A, B] (None when it does not fit)."""
    if any(c.dep_ in {"ccomp", "dobj", "xcomp", "advcl", "conj"} for c in tok.children):
        return None
    frame = [t for t in tok.subtree if not t.is_punct]
    a, b = frame[0].i, frame[-1].i
    sent = tok.sent
    if a - 1 <= sent.start or doc[a - 1].text not in {",", "—", "–"} or b + 2 >= sent.end:
        return None
    if doc[b + 1].text not in {",", "—", "–"}:
        return None
    nxt = doc[b + 2]
    if nxt.lower_ in _NOT_AFTER_FRAME or nxt.is_punct and nxt.text not in '"“' or cues.lemma_of(nxt.lower_):
        return None
    last = sent[-1]
    first = _trim(text, base + sent.start_char, base + doc[a - 1].idx)
    second = _trim(text, base + nxt.idx, base + last.idx + len(last.text))
    if first[1] - first[0] < 3 or second[1] - second[0] < 3:
        return None
    return [first, second]


def _nominal_cue(doc: Doc, tok: Token, base: int, text: str) -> Candidate | None:
    """`Trump's claim that …` / `her warning that …`: the possessor is the source, the that-clause the content."""
    poss = [c for c in tok.children if c.dep_ == "poss" and c.i < tok.i]
    clause = [c for c in tok.children if c.dep_ in {"acl", "ccomp", "relcl"} and c.i > tok.i
              and c.left_edge.i == tok.i + 1 and c.left_edge.lower_ == "that" and c.left_edge.dep_ == "mark"]
    if not poss or not clause or poss[0].lower_ in {"its", "their", "your", "my", "our"}:
        return None
    s, e = _trim(text, base + clause[0].left_edge.idx, base + _clause_end(doc, clause[0]))
    src = _src(poss[0], base, text)
    if src is None or e - s < 8:
        return None
    kind = "mixed" if any(q in text[s:e] for q in '"“”«»„') else "indirect"
    return Candidate([(s, e)], kind, tok.text, (base + tok.idx, base + tok.idx + len(tok.text)), src, 0.6)


def _that_clause_in_prep(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ != "prep" or c.i < tok.i or c.i > tok.i + 2:
            continue
        for pobj in c.children:
            if pobj.dep_ != "pobj":
                continue
            for cl in pobj.children:
                if cl.dep_ in {"acl", "relcl", "ccomp"} and cl.i > pobj.i and cl.left_edge.lower_ == "that" \
                        and cl.left_edge.dep_ == "mark":
                    return cl
    return None


def _if_clause(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "advcl" and c.i > tok.i and c.left_edge.lower_ in {"if", "whether"} and c.left_edge.dep_ == "mark":
            return c
    return None


def _for_clause(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in {"advcl", "ccomp"} and c.i > tok.i and c.left_edge.lower_ == "for" and c.left_edge.i == tok.i + 1:
            return c
    return None


def _cue_text(doc: Doc, tok: Token) -> str:
    parts = [tok.text]
    for c in tok.children:
        if c.dep_ == "prep" and c.i == tok.i + 1 and (cues.lemma_of(tok.lower_), c.lower_) in cues.PHRASAL:
            parts.append(c.text)
    return " ".join(parts)


_SRC_TIME = re.compile(r"\s+(?:on|late|early|last|this)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
                       r"week|night|morning|evening|afternoon)\b.*$", re.DOTALL)
_SRC_LEAD = re.compile(r"(?:Both|Even|But|And|Also|Still|Yet|So)\s+")
_SRC_ASIDE = re.compile(r",\s+(?:speaking|writing|talking|appearing|addressing|responding|at|during|in\s+an?|"
                        r"in\s+(?:his|her|their)|on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))\b")
_DATELINE = re.compile(r"^.*?(?:\)\s*[-–—]+|\s[-–—]+)\s+", re.DOTALL)


def _src(tok: Token, base: int, text: str) -> Span | None:
    """The whole subject phrase (appositives and relative clauses included, as PolNeAR marks it)."""
    s, e = _subtree_span(tok)
    s, e = base + s, base + e
    while s < e and (text[s] in _TRIM or text[s] in "\"“”"):
        s += 1
    m = _SRC_LEAD.match(text, s, e)
    if m and m.end() < e:  # "Both Mr. King and Mr. Schultz" / "But he"
        s = m.end()
    while e > s and (text[e - 1] in " \n;:-–—" or text[e - 1] == "." and not _is_abbrev(text, e)):
        e -= 1
    frag = text[s:e]
    m = _SRC_TIME.search(frag)
    if m and m.start() > 0:
        e = s + m.start()
    m = _SRC_ASIDE.search(text, s, e)
    if m and m.start() > s:  # "Trump, speaking to veterans in Virginia," -> "Trump"
        e = m.start()
    m = _DATELINE.match(text[s:e])
    if m and m.end() < e - s and text[s : s + m.end()].upper() == text[s : s + m.end()] or (m and "(" in m.group(0)):
        s += m.end()
    if e <= s or e - s > 200:
        return None
    return s, e


def _according(doc: Doc, tok: Token, base: int, text: str) -> Candidate | None:
    to = doc[tok.i + 1]
    pobj = [g for g in to.children if g.dep_ == "pobj"]
    if not pobj:
        # the parser sometimes hangs the object on "according"
        pobj = [g for g in tok.children if g.dep_ == "pobj"]
    if not pobj:
        return None
    src = _src(pobj[0], base, text)
    if src is None:
        return None
    phrase_s = tok.idx
    phrase_e = max(pobj[0].right_edge.idx + len(pobj[0].right_edge.text), to.idx + 2)
    sent_s, sent_e = 0, len(doc.text)
    frags = []
    if phrase_s - sent_s > 3:
        frags.append(_trim(text, base + sent_s, base + phrase_s))
    if sent_e - phrase_e > 3:
        frags.append(_trim(text, base + phrase_e, base + sent_e))
    frags = [f for f in frags if f[1] - f[0] >= 3]
    if not frags:
        return None
    kind = "mixed" if any(q in text[f[0]:f[1]] for f in frags for q in '"“”') else "indirect"
    return Candidate(frags, kind, "according to", (base + tok.idx, base + to.idx + 2), src, 0.75)


def _broad_cue(doc: Doc, tok: Token, base: int, text: str) -> Candidate | None:
    """`X criticized Y`, `X described Y as Z`, `X accused Y of Z` (evaluative cues, also in the default mode);
    broad mode also `X wants to …`, `X referred to Y`."""
    children = list(tok.children)
    if any(c.dep_ in {"auxpass", "nsubjpass"} for c in children):
        return None
    source_tok = _subject(tok)
    if source_tok is None or source_tok.lower_ in {"it", "there", "which", "that", "what"}:
        return None
    content = None
    for dep in ("ccomp", "xcomp", "dobj"):
        cs = [c for c in children if c.dep_ == dep and c.i > tok.i]
        if cs:
            content = (cs[0].left_edge.idx, _clause_end(doc, cs[0]))
            if dep == "dobj":
                as_ = [c for c in children if c.dep_ in {"prep", "oprd", "xcomp"} and c.i > cs[0].i]
                if as_ and as_[0].lower_ in {"as", "for", "of"} or as_ and as_[0].dep_ != "prep":
                    content = (content[0], _subtree_span(as_[0])[1])
            break
    if content is None:
        preps = [c for c in children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in {"to", "on", "about", "for"}]
        if preps:
            pobj = [g for g in preps[0].children if g.dep_ in {"pobj", "pcomp"}]
            if pobj:
                content = _subtree_span(pobj[0])
    if content is None:
        return None
    content = (content[0], _cut_trailing_modifier(doc, content[0], content[1]))
    s, e = _trim(text, base + content[0], base + content[1])
    if e - s < 2 or s <= base + tok.idx < e:
        return None
    written: Span | None = None
    if source_tok.lower_ == "who" and tok.dep_ == "relcl":  # "Smith, who criticized …": speaker = the antecedent
        written = (base + source_tok.idx, base + source_tok.idx + len(source_tok.text))
        src: Span | None = _trim(text, base + tok.head.left_edge.idx, base + tok.left_edge.idx)
        if src[1] <= src[0]:
            return None
    else:
        src = _src(source_tok, base, text)
    if src is None:
        return None
    kind = "mixed" if any(q in text[s:e] for q in '"“”') else "indirect"
    cand = Candidate([(s, e)], kind, tok.text, (base + tok.idx, base + tok.idx + len(tok.text)), src, 0.4)
    cand.written = written
    return cand
