"""Direct quotes: pairing quote marks of every style, multi-paragraph quotes, missing opening marks,
and the attribution frame around a quote (`"…," X said` / `X said: "…"` / `"…" – X`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from saidwhen.statements import cues
from saidwhen.statements.segment import _is_abbrev

DOUBLE_OPEN = {"“", "„", "«", "‹"}
DOUBLE_CLOSE = {"”", "»", "›"}
CLOSER_FOR = {"“": "”", "„": "“", "«": "»", "‹": "›"}
QUOTE_CHARS = "\"“”„«»‹›‘’'"
_OPEN_PUNCT = "([{–—-/:"
_FW = r"[\w'’-]+(?:\.[\w'’-]+)*"
_WORD = re.compile(r"[\w][\w.'’&-]*|,|:|;|\(|\)")


@dataclass
class Quote:
    start: int  # the opening mark (or the paragraph start when it is missing)
    end: int  # after the closing mark
    para: int
    missing_open: bool = False
    unclosed: bool = False

    @property
    def inner(self) -> tuple[int, int]:
        return self.start + (0 if self.missing_open else 1), self.end - (0 if self.unclosed else 1)


def _ctx(text: str, i: int, ps: int, pe: int) -> tuple[str, str]:
    prev = text[i - 1] if i > ps else " "
    nxt = text[i + 1] if i + 1 < pe else " "
    return prev, nxt


def _classify(text: str, i: int, ps: int, pe: int) -> tuple[bool, bool]:
    """(can_open, can_close) of the mark at i."""
    c = text[i]
    prev, nxt = _ctx(text, i, ps, pe)
    if c in DOUBLE_OPEN:
        return True, c == "“"  # “ closes „…“
    if c in DOUBLE_CLOSE:
        return c in "»›" and nxt.isalnum() and not prev.isalnum(), True
    if c in "\"'‘’":
        opener = (prev.isspace() or prev in _OPEN_PUNCT or prev in "\"“‘") and not nxt.isspace()
        closer = (not prev.isspace()) and (nxt.isspace() or not nxt.isalnum())
        if c in "'’" and prev.isalnum() and nxt.isalnum():
            return False, False  # apostrophe (it's, don't)
        if c == "‘":
            return opener or not prev.isalnum(), False
        if c == "’":
            return False, closer
        if not opener and not closer:
            return not prev.isalnum(), not nxt.isalnum()
        return opener, closer
    return False, False


def find_quotes(text: str, paras: list[tuple[int, int]]) -> list[Quote]:
    """Top-level quotes of the text. Unbalanced marks are confined to their paragraph (and to a
    paragraph chain for multi-paragraph quotes)."""
    per_para: list[tuple[list[Quote], int | None, int | None]] = []  # quotes, unclosed open, orphan close
    for pi, (ps, pe) in enumerate(paras):
        quotes: list[Quote] = []
        open_at: int | None = None
        open_char = ""
        orphan: int | None = None
        for i in range(ps, pe):
            c = text[i]
            if c not in QUOTE_CHARS:
                continue
            can_open, can_close = _classify(text, i, ps, pe)
            single = c in "'‘’"
            if open_at is None:
                if single and c == "'" and not can_open:
                    continue
                if can_open:
                    open_at, open_char = i, c
                elif can_close and not single and not quotes and orphan is None:
                    orphan = i
                continue
            open_single = open_char in "'‘"
            if open_single:
                if single and can_close and text[i - 1 : i] == "s" and text[i + 1 : i + 3].strip()[:1].islower() \
                        and any(ch in "'’" for ch in text[i + 1 : pe]):
                    continue  # "the voters’ mood": a possessive, the quote closes later
                if single and can_close and (c == "'" or open_char == "‘"):
                    quotes.append(Quote(open_at, i + 1, pi))
                    open_at = None
                elif not single:  # the single mark was an apostrophe; restart at this double mark
                    open_at = None
                    if can_open:
                        open_at, open_char = i, c
                continue
            if single:
                continue  # nested single quotes
            expected = CLOSER_FOR.get(open_char)
            if can_close and (c == expected or c == '"' or open_char == '"' or c in DOUBLE_CLOSE):
                quotes.append(Quote(open_at, i + 1, pi))
                open_at = None
            elif can_open:  # a second opener: the first one was unbalanced
                open_at, open_char = i, c
        if open_at is not None and open_char in "'‘":
            open_at = None
        per_para.append((quotes, open_at, orphan))

    out: list[Quote] = []
    skip_orphan: set[int] = set()
    for pi, (quotes, open_at, orphan) in enumerate(per_para):
        out.extend(quotes)
        if orphan is not None and pi not in skip_orphan:
            ps, _pe = paras[pi]
            out.append(Quote(ps, orphan + 1, pi, missing_open=True))
        if open_at is None:
            continue
        # multi-paragraph quote: continue while the next paragraph re-opens at its start,
        # or ends at the next paragraph's orphan closing mark
        end_pi = pi
        closed_at: int | None = None
        ps0 = paras[pi][0]
        lead = text[ps0:open_at].rstrip()
        can_continue = open_at == ps0 or lead.endswith((":", ","))
        while can_continue and end_pi + 1 < len(paras):
            nq, nopen, norphan = per_para[end_pi + 1]
            ns, _ne = paras[end_pi + 1]
            if norphan is not None and not any(q.start < norphan for q in nq):
                closed_at = norphan + 1
                skip_orphan.add(end_pi + 1)
                end_pi += 1
                break
            if not _same_style(text[open_at], text[ns]):  # a stray straight mark in a curly-quoted text
                break
            if text[ns] in "\"“„«" and nopen == ns and not nq:
                end_pi += 1
                continue
            if text[ns] in "\"“„«" and nq and nq[0].start == ns:  # re-opened and closed in this paragraph
                closed_at = nq.pop(0).end
                end_pi += 1
                break
            break
        if closed_at is not None:
            out.append(Quote(open_at, closed_at, pi))
        else:
            out.append(Quote(open_at, paras[end_pi][1], pi, unclosed=True))
    out.sort(key=lambda q: q.start)
    # drop quotes nested in a multi-paragraph quote
    result: list[Quote] = []
    for q in out:
        if result and q.start < result[-1].end:
            continue
        result.append(q)
    return result


def _same_style(a: str, b: str) -> bool:
    """Straight and typographic quote marks do not pair across paragraphs."""
    return (a == '"') == (b == '"')


# ---------------------------------------------------------------------------------------------- frames

@dataclass
class Frame:
    cue: str
    cue_span: tuple[int, int]
    mention_span: tuple[int, int] | None  # None: speaker unknown (continuation)
    end: int  # end of the frame (to find split quotes after it)
    content_start: int | None = None  # `X said that "…"`: the content starts at "that"


_LINK_VERBS = r"(?:also|then|later|once|again|previously|earlier|recently|has|have|had|would|will|had\s+earlier|quickly|simply|repeatedly|firmly|publicly|privately|told\s+\w+\s+and)"
_ADV = re.compile(rf"^(?:{_LINK_VERBS}|\w+ly)$", re.IGNORECASE)
_STOP_AFTER = {
    "in", "at", "on", "during", "after", "before", "while", "when", "who", "which", "told", "to", "from",
    "about", "as", "with", "referring", "adding", "noting", "speaking", "according", "and", "but",
    "in.", "that", "this", "last", "earlier", "later", "yesterday", "today", "tonight", "tuesday",
    "monday", "wednesday", "thursday", "friday", "saturday", "sunday", "via",
}
_NP_INNER = {"the", "of", "for", "at", "'s", "’s", "and", "a", "an", "his", "her", "their", "its", "de", "von", "van", "al"}


def _is_np_word(w: str) -> bool:
    lw = w.lower().rstrip(".")
    return (
        w[:1].isupper()
        or lw in cues.ROLE_WORDS
        or lw in cues.GROUP_HEADS
        or lw in _NP_INNER
        or lw.endswith("'s")
        or lw.endswith("’s")
    )


def np_before(text: str, end: int, start: int) -> tuple[int, int] | None:
    """The speaker noun phrase ending at `end` (exclusive), searching back no further than `start`."""
    words = [(m.start() + start, m.end() + start, m.group(0)) for m in _WORD.finditer(text[start:end])]
    if not words:
        return None
    last = words[-1]
    if last[2].lower() in cues.PERSON_PRONOUNS or last[2].lower() in cues.GROUP_PRONOUNS:
        # pronoun subject must start the clause
        if len(words) == 1 or words[-2][2] in {",", ":", ";"} or words[-2][2].lower() in {"and", "but", "so"}:
            return last[0], last[1]
        return None
    i = len(words) - 1
    if last[2] == ",":  # appositive: "Jens Stoltenberg, NATO's secretary general, said"
        j = i - 1
        while j >= 0 and words[j][2] != "," and i - j <= 12:
            j -= 1
        if j > 0 and words[j][2] == "," and _is_np_word(words[j - 1][2]) and words[j - 1][2][:1].isupper():
            inner = np_before(text, words[j][0], start)
            if inner:
                return inner[0], words[i][1]
        return None
    if last[2] == ")":  # "Sen. Ted Cruz (R-Texas) said"
        j = i - 1
        while j >= 0 and words[j][2] != "(" and i - j <= 6:
            j -= 1
        if j > 0 and words[j][2] == "(":
            inner = np_before(text, words[j][0], start)
            return (inner[0], last[1]) if inner else None
        return None
    first = i
    while first >= 0 and words[first][2] not in {",", ":", ";", "(", ")"} and _is_np_word(words[first][2]):
        first -= 1
        if i - first > 10:
            return None
    first += 1
    while first <= i and words[first][2].lower() in {"of", "for", "at", "and", "'s", "’s"}:
        first += 1
    if first > i:
        return None
    np = [w[2] for w in words[first : i + 1]]
    head = np[-1].lower().rstrip(".")
    if not (np[-1][:1].isupper() or head in cues.ROLE_WORDS or head in cues.GROUP_HEADS):
        return None
    if len(np) == 1 and np[0].lower() in {"the", "a", "an", "this", "that", "it", "there"}:
        return None
    # a lowercase word before the NP must not be a verb/preposition continuing another clause
    return words[first][0], words[i][1]


def _occupation_before_name(words: list[tuple[int, int, str]], k: int) -> bool:
    """"says Cambridge cartoonist Andre Campbell": a lower-case occupation between a place or organisation and
    a two-word name belongs to the speaker phrase (the name is the speaker, not the place)."""
    w = words[k][2]
    nxt = [x[2] for x in words[k + 1 : k + 3]]
    return (k > 0 and w.isalpha() and w.islower() and w not in _STOP_AFTER and words[k - 1][2][:1].isupper()
            and len(nxt) == 2 and all(x[:1].isupper() and x.lower() not in _STOP_AFTER for x in nxt))


def np_after(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The speaker noun phrase starting at `start` (after a cue: `said Jens Stoltenberg, …`)."""
    words = [(m.start() + start, m.end() + start, m.group(0)) for m in _WORD.finditer(text[start:end])]
    if not words:
        return None
    w0 = words[0][2].lower()
    if w0 in cues.PERSON_PRONOUNS or w0 in cues.GROUP_PRONOUNS:
        return words[0][0], words[0][1]
    out_end = None
    for k, (_s, e, w) in enumerate(words):
        if w in {",", ":", ";", "(", ")"} or (k > 0 and w.lower() in _STOP_AFTER and not w[:1].isupper()):
            break
        if not _is_np_word(w) and not _occupation_before_name(words, k):
            break
        if k > 10:
            return None
        out_end = e
    if out_end is None:
        return None
    span_words = [w for s, e, w in words if e <= out_end]
    while span_words and span_words[-1].lower() in _NP_INNER:
        span_words.pop()
        out_end = [e for s, e, w in words if e <= out_end][-2] if len(span_words) else None
        if out_end is None:
            return None
    if not span_words:
        return None
    head = span_words[-1].lower().rstrip(".")
    if not (span_words[-1][:1].isupper() or head in cues.ROLE_WORDS or head in cues.GROUP_HEADS):
        return None
    # strip a trailing sentence period from the mention ("said Smith.")
    if text[out_end - 1] == "." and not re.search(r"\b(?:[A-Z]\.|Jr\.|Sr\.|Inc\.)$", text[words[0][0] : out_end]):
        out_end -= 1
    # party/state tag: "said Sen. Claire McCaskill (D-Mo.)"
    m = re.match(r"\s*\([^()\n]{1,25}\)", text[out_end:end])
    if m and span_words[-1][:1].isupper():
        out_end += m.end()
    # appositive: "said Sara Fagen, a Republican strategist."
    m = _APPOS.match(text, out_end, end)
    if m and span_words[-1][:1].isupper():
        stop = _clause_stop(text, m.end(), end, r"[.;!?](?=\s|$)|[\"“”]|,")
        if text[stop - 1] in ".;!?\"“”":
            stop -= 1
        if stop - out_end < 150:
            out_end = stop
    return words[0][0], out_end


_APPOS = re.compile(r",\s*(?:a|an|the|who|whose|his|her|their|its|[a-z]+\s+(?:of|for|at)|executive|senior|former|chief|"
                    r"president|director|spokesman|spokeswoman|chairman|head)\b")


_AFTER_CUE_RE = re.compile(r"\s*[,]?\s*(?:[—–―-]\s*)?")


def frame_after(text: str, pos: int, limit: int) -> Frame | None:
    """`, X said` / `, said X` / ` – X` right after a quote ending at `pos`."""
    seg_end = _clause_stop(text, pos, limit, r"[.!?;](?=\s|$)|[\"“”«»]")
    lead = _AFTER_CUE_RE.match(text, pos, seg_end)
    p = lead.end() if lead else pos
    dash = any(d in text[pos:p] for d in "—–―") or re.match(r"\s*-\s", text[pos:p + 1]) is not None
    words = list(re.finditer(_FW, text[p:seg_end]))
    if not words:
        return None
    w0 = words[0]
    # said X
    if cues.FRAME_CUE_RE.fullmatch(w0.group(0)):
        cue_s, cue_e = p + w0.start(), p + w0.end()
        np = np_after(text, cue_e + 1, seg_end) if cue_e < seg_end else None
        if np:
            return Frame(text[cue_s:cue_e], (cue_s, cue_e), np, _frame_end(text, np[1], limit))
        return None
    # X said
    for k, w in enumerate(words[:12]):
        if cues.FRAME_CUE_RE.fullmatch(w.group(0)):
            cue_s, cue_e = p + w.start(), p + w.end()
            # skip adverbs/auxiliaries between subject and cue
            j = k - 1
            while j >= 0 and _ADV.match(words[j].group(0)) and words[j].group(0)[:1].islower():
                j -= 1
            if j < 0:
                return None
            np_end = p + words[j].end()
            while np_end < cue_s and text[np_end] in ".)":  # "Rep. Gwen Moore (D-Wis.) said"
                np_end += 1
            if text[np_end:cue_s].strip() == ",":
                np_end = np_end + text[np_end:cue_s].index(",") + 1
            np = np_before(text, np_end, p)
            if np and (np[0] == p or (k <= 8 and "," not in text[p : np[0]])):
                # everything between the quote and the cue is the subject ("farmer Ingrid Solberg")
                return Frame(text[cue_s:cue_e], (cue_s, cue_e), (p, np[1]), _frame_end(text, cue_e, limit))
            return None
    if dash:
        np = np_after(text, p, seg_end)
        if np and text[np[0]].isupper():
            return Frame(text[pos:p].strip(" ,") or "—", (pos, p), np, _frame_end(text, np[1], limit))
    return None


def _clause_stop(text: str, pos: int, limit: int, pattern: str) -> int:
    """End of the first match of `pattern` after pos that is not an abbreviation's period."""
    for m in re.finditer(pattern, text[pos:limit]):
        if m.group(0) == "." and _is_abbrev(text, pos + m.start() + 1):
            continue
        return pos + m.end()
    return limit


def _frame_end(text: str, pos: int, limit: int) -> int:
    return _clause_stop(text, pos, limit,
                        r"[.!?;:](?=\s|$)|[,]\s*(?=[\"“„«]|(?:adding|saying|noting|continuing)\b)|[\"“„«]")


def frame_before(text: str, qstart: int, sent_start: int) -> Frame | None:
    """`X said: "…"` / `X said, "…"` / `X: "…"` before a quote starting at `qstart`."""
    seg = text[sent_start:qstart]
    m = re.search(r"[:,]?\s*$", seg)
    tail = m.start() if m else len(seg)
    words = list(re.finditer(_FW, seg[:tail]))
    if seg[tail:].strip() == ":" and words:  # X: "…"
        np = np_before(text, sent_start + tail, sent_start)
        if np and np[0] == _first_word_start(text, sent_start, np[0]):
            return Frame(":", (sent_start + tail, sent_start + tail + 1), np, qstart)
    # find the last cue verb within the last 8 words
    for k in range(len(words) - 1, max(-1, len(words) - 9), -1):
        w = words[k]
        if cues.FRAME_CUE_RE.fullmatch(w.group(0)) or w.group(0).lower() in {"told", "tells", "asked"}:
            cue_s, cue_e = sent_start + w.start(), sent_start + w.end()
            between = re.match(r"\s*(?:that|if|whether)\b", seg[w.end() : tail])
            content_start = sent_start + w.end() + between.end() - len(between.group(0).lstrip()) if between else None
            if k < len(words) - 1 and not seg[tail:].strip() and content_start is None:
                return None  # `X said the plan was "…"`: a quote inside reported speech (mixed)
            j = k - 1
            while j >= 0 and _ADV.match(words[j].group(0)) and words[j].group(0)[:1].islower():
                j -= 1
            if j > 0 and w.group(0).endswith("ing") and cues.FRAME_CUE_RE.fullmatch(words[j].group(0)):
                j -= 1  # `X said, adding later, "…"`: the subject of the first cue
                while j >= 0 and _ADV.match(words[j].group(0)) and words[j].group(0)[:1].islower():
                    j -= 1
            if j < 0:
                return None
            if words[j].group(0).lower() in {"and", "but"}:  # `X said …, and added: "…"`: X is the subject
                first = next((x for x in words[:j] if cues.FRAME_CUE_RE.fullmatch(x.group(0))), None)
                if first is None:
                    return None
                np = np_before(text, sent_start + first.start() - 1, sent_start)
                if np is None or text[sent_start : np[0]].strip():
                    return None
                return Frame(w.group(0), (cue_s, cue_e), np, qstart, content_start)
            np_end = sent_start + words[j].end()
            if text[np_end:cue_s].strip() == ",":
                np_end = np_end + text[np_end:cue_s].index(",") + 1
            np = np_before(text, np_end, sent_start)
            if np is None:
                return None
            return Frame(w.group(0), (cue_s, cue_e), np, qstart, content_start)
    return None


def _first_word_start(text: str, start: int, np_start: int) -> int:
    """Start of the clause the NP begins: allow only adverbials like 'On Tuesday,' before it."""
    before = text[start:np_start]
    if not before.strip() or before.rstrip().endswith(","):
        return np_start
    return -1
