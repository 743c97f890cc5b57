"""Rule-based English time expression tagger with TimeML (TempEval-3 style) values.

`find_timexes(text, anchor)` finds absolute dates, partial dates, weekdays, relative expressions,
durations, sets and times of day, and normalises them against `anchor` (the document date). Partial
dates and weekdays resolve to the most recent occurrence on/before the anchor unless the surrounding
words are in the future tense ("will meet on Tuesday"), in which case the next occurrence is used.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..model import TimeExpression
from .lexicon import (
    DAYNUM,
    DECADE_WORDS,
    FEW,
    MONTH,
    MONTH_FULL,
    MONTHS,
    NUMWORD,
    ORDINALS,
    PARTS_OF_DAY,
    SEASONS,
    UNIT,
    UNITS,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
)
from .normalise import (
    Tense,
    day_value,
    granularity_of,
    month_value,
    parse_number,
    quarter_of,
    resolve_month,
    resolve_month_day,
    resolve_season,
    resolve_weekday,
    safe_date,
    shift_date,
    unit_value,
)

Kind = str  # "date" | "time" | "duration" | "set"


@dataclass
class Hit:
    value: str
    kind: Kind = "date"
    start: int | None = None  # optional narrowed span (absolute offsets)
    end: int | None = None


@dataclass
class _Ctx:
    text: str
    anchor: date | None

    def tense(self, start: int, end: int) -> Tense:
        return tense_hint(self.text, start, end)

    @property
    def quarterly(self) -> bool:
        """Does the text talk about quarterly results (then 'a year earlier' means that quarter a year earlier)?"""
        if not hasattr(self, "_quarterly"):
            self._quarterly = bool(re.search(r"\bquarter\b", self.text, re.I))
        return self._quarterly


Handler = Callable[[re.Match[str], _Ctx], Hit | None]

# ---------------------------------------------------------------- tense hints

_FUTURE = re.compile(
    r"\b(?:will(?!\s+(?:remind|recall|note))|won't|shall|'ll|is to|are to|was to|were to|going to|gonna|scheduled|due to|set to|"
    r"plans? to|planning to|planned|expected to|expects? to|intends? to|upcoming|next(?!\s+to\b)|coming|as soon as|as early as|"
    r"until|till|by|starting|beginning|effective|would|to be held|to begin|to start|to take place|"
    r"deadline|will be|tomorrow|payable|expires?|expiring|effective|takes effect|record date|of record)\b",
    re.I,
)
_PAST = re.compile(
    r"\b(?:said|told|was|were|had|did|ago|last|earlier|yesterday|took|came|went|met|made|gave|began|won|"
    r"lost|rose|fell|held|left|spoke|wrote|saw|led|paid|sold|bought|hit|shot|ran|became|"
    r"(?:announc|report|stat|add|not|declar|claim|warn|confirm|deni|insist|argu|explain|urg|call|sign|"
    r"agre|decid|kill|di|attack|arriv|launch|visit|open|clos|gain|earn|post|acquir|complet|expir|occurr|"
    r"happen|releas|publish|resign|elect|appoint|arrest|sentenc|fil|approv|reject|pass|vot|ask|respond|"
    r"repli|accus|vow|pledg|promis|tweet|admitt|acknowledg|suggest|indicat|revea|criticiz|prais|"
    r"welcom|condemn|demand|threaten|order|end|start|terminat|cancel|crash|captur|destroy|invad|"
    r"discover|found|unveil|introduc|caus|reach|drop|plung|climb|jump|slid|tumbl|surg|fail|receiv|"
    r"bomb|detain|injur|wound|fir|rais|cut|shut|hurt|exceed|issu|express|accept|adopt|host|attend|address|"
    r"mark|celebrat|commemorat|rall|march|protest|gather|demonstrat|ratifi|resum|suspend|halt|kidnapp|"
    r"rescu|evacuat|deploy|seiz|storm|rul|sentenc|convict|charg|su|testifi|interview|quot|describ|"
    r"predict|estimat|forecast|told|warn|decid|conclud|finish|return|travel|arriv|land|depart)ed|"
    r"thought|felt|kept|brought|sought|fought|caught|built|sent|spent|chose|drove|flew|threw|grew|knew|"
    r"drew|broke|stole|hid|got|sat|stood|fled|struck|began|overcame|heard|set\s+off)\b",
    re.I,
)
_NOT_PAST = {"scheduled", "expected", "planned", "intended", "proposed", "needed", "united", "indeed", "based"}
_WILL_BEFORE = re.compile(r"\b(?:will|shall|'ll)\s+(?:not\s+)?(?:be\s+|have\s+(?:been\s+)?)?$", re.I)
_BE_BEFORE = re.compile(r"\b(?:be|being|to)\s+$", re.I)
_WAS_BEFORE = re.compile(r"\bhad\s+(?:\w+\s+)?$", re.I)
_SENT_BREAK = re.compile(r"[.!?;]\s+(?=[A-Z\"'“])|\n\s*\n")


def tense_hint(text: str, start: int, end: int) -> Tense:
    """'future' / 'past' from the nearest tense cue in the same sentence (within a short window)."""
    left_lo = max(0, start - 90)
    left = text[left_lo:start]
    br = list(_SENT_BREAK.finditer(left))
    if br:
        left_lo += br[-1].end()
        left = text[left_lo:start]
    right = text[end : end + 70]
    br2 = _SENT_BREAK.search(right)
    if br2:
        right = right[: br2.start()]
    best: tuple[int, Tense] | None = None
    for seg, off, is_left in ((left, left_lo, True), (right, end, False)):
        for rx in (_FUTURE, _PAST):
            for m in rx.finditer(seg):
                t: Tense = "future" if rx is _FUTURE else "past"
                w = m.group(0).lower()
                if t == "past" and w in _NOT_PAST:
                    continue
                if t == "past":
                    before = text[max(0, off + m.start() - 20) : off + m.start()]
                    if _WILL_BEFORE.search(before):
                        t = "future"  # "will be held", "will have left"
                    elif _BE_BEFORE.search(before):
                        continue  # "to be signed": no tense
                if t == "future" and w in ("by", "until", "till", "would") and not is_left:
                    continue
                if t == "future" and w in ("by", "until", "till") and start - (off + m.end()) > 1:
                    continue  # only "by Friday", not "laid down by the Feb. 23 accord"
                if t == "future" and _WAS_BEFORE.search(text[max(0, off + m.start() - 25) : off + m.start()]):
                    t = "past"  # "was scheduled to", "had been due to": future in the past
                dist = start - (off + m.end()) if is_left else (off + m.start()) - end
                dist = max(dist, 0) + (0 if is_left else 15)  # cues before the timex weigh more
                if best is None or dist < best[0]:
                    best = (dist, t)  # type: ignore[assignment]
    return best[1] if best else None


# ---------------------------------------------------------------- rules

_RULES: list[tuple[re.Pattern[str], Handler, tuple[str, ...]]] = []


def rule(pattern: str, flags: int = 0, *, needs: tuple[str, ...] = ()) -> Callable[[Handler], Handler]:
    """Register a rule. `needs`: lower-case words one of which every match of `pattern` contains (its
    mandatory keyword), so the rule is skipped on a text without any of them (no match lost)."""

    def deco(fn: Handler) -> Handler:
        _RULES.append((re.compile(pattern, flags), fn, needs))
        return fn

    return deco


# re.IGNORECASE also matches "İ" and "ı" to "i", "ſ" to "s"; str.lower() does not (or not to one letter)
_GATE_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})


def _gate_text(text: str) -> str:
    """The text as the `needs` gates search it: lower-cased with the case-insensitive equivalents folded."""
    return text.translate(_GATE_FOLD).lower()


def _month(word: str) -> int:
    return MONTHS[word.lower().rstrip(".")]


def _daynum(word: str) -> int:
    return int(re.match(r"\d+", word).group(0))  # type: ignore[union-attr]


I = re.I  # noqa: E741

_APPROX = (r"(?:about|some|nearly|almost|roughly|approximately|around|more\s+than|less\s+than|fewer\s+than|"
           r"at\s+least|at\s+most|up\s+to|no\s+more\s+than|no\s+less\s+than)")
# The first characters of every alternative of a group (case-insensitive rules). A lookahead `(?=[...])` on them
# before an optional group lets the regex engine skip the group's alternatives at most word starts: the same
# matches, about twice as fast for the longest rules (tests/test_timex_gates.py checks the sets).
_APPROX_LEAD = "asnrmlfu"
_NUM_LEAD = "tfsenozam0-9"  # NUMWORD, FEW, "a few"
_UNIT_LEAD = "smhdnwqyc"

# --- absolute and partial calendar dates


@rule(r"\b(\d{4})-(\d{2})-(\d{2})\b")
def _iso(m: re.Match[str], c: _Ctx) -> Hit | None:
    d = safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return Hit(day_value(d)) if d else None


@rule(r"(?<![\d.,/])(\d{1,2})([./])(\d{1,2})\2(\d{4}|\d{2})(?![\d./]\d)")
def _numeric(m: re.Match[str], c: _Ctx) -> Hit | None:
    a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
    if len(m.group(4)) == 2:
        y += 1900 if y > 30 else 2000
    if m.group(2) == ".":  # European day.month.year
        d, mo = a, b
    else:  # US month/day/year unless impossible
        mo, d = (a, b) if a <= 12 else (b, a)
    dd = safe_date(y, mo, d)
    return Hit(day_value(dd)) if dd else None


def _with_weekday(wd_word: str | None, mo: int, d: int, c: _Ctx, start: int, end: int) -> Hit:
    """A day-month without year; a stated weekday ("Saturday, April 25") picks the matching year."""
    if wd_word and c.anchor is not None:
        wd = WEEKDAYS[wd_word.lower()]
        cands = [x for x in (safe_date(c.anchor.year + k, mo, d) for k in (0, -1, 1, -2, 2)) if x and x.weekday() == wd]
        if cands:
            return Hit(day_value(cands[0]))
    return Hit(resolve_month_day(mo, d, c.anchor, c.tense(start, end)))


@rule(rf"\b(?:({WEEKDAY})[ \t]?,?\s+)?({MONTH})\s+({DAYNUM})(?:[ \t]?,?\s+({YEAR}))?(?!\d|:\d)(?!\s*(?:%|percent))")
def _month_day(m: re.Match[str], c: _Ctx) -> Hit | None:
    mo, d = _month(m.group(2)), _daynum(m.group(3))
    if m.group(4):
        dd = safe_date(int(m.group(4)), mo, d)
        return Hit(day_value(dd)) if dd else None
    if not 1 <= d <= 31:
        return None
    return _with_weekday(m.group(1), mo, d, c, m.start(), m.end())


@rule(rf"\b(?:({WEEKDAY})[ \t]?,?\s+)?(?:the\s+)?({DAYNUM})(?:\s+of)?\s+({MONTH})(?:[ \t]?,?\s+({YEAR}))?(?!\d|:\d)")
def _day_month(m: re.Match[str], c: _Ctx) -> Hit | None:
    mo, d = _month(m.group(3)), _daynum(m.group(2))
    if m.group(4):
        dd = safe_date(int(m.group(4)), mo, d)
        return Hit(day_value(dd)) if dd else None
    return _with_weekday(m.group(1), mo, d, c, m.start(), m.end())


@rule(rf"\b({MONTH})(?:\s+of)?,?\s+({YEAR})\b(?!\s*(?:%|percent))")
def _month_year(m: re.Match[str], c: _Ctx) -> Hit | None:
    return Hit(month_value(int(m.group(2)), _month(m.group(1))))


_MONTH_CTX = re.compile(
    r"(?:\b(?:in|since|until|till|by|from|through|to|during|of|before|after|early|late|mid|last|next|"
    r"this|past|coming|each|every|and|or|between)[\s-]+)$",
    re.I,
)


@rule(rf"\b(?:((?i:last|next|this\s+past|this|past|coming))\s+)?({MONTH_FULL}|Sept\.)(?![\w-]|'(?!s\b))"
      r"(?:,?\s+((?i:this|last|next))\s+year\b)?")
def _month_alone(m: re.Match[str], c: _Ctx) -> Hit | None:
    word = m.group(2)
    if m.group(3) and c.anchor is not None:
        step = {"this": 0, "last": -1, "next": 1}[m.group(3).lower()]
        return Hit(month_value(c.anchor.year + step, _month(word)))
    if re.match(r"\s+(?:of\s+the|for)\s+[A-Z]", c.text[m.end() : m.end() + 14]):
        return None  # "the March for Life", "March of the Mothers"
    if word == "May" and not m.group(1) and not _MONTH_CTX.search(c.text[max(0, m.start() - 12) : m.start()]):
        return None
    if word == "March" and re.match(r"\s+(?:on|to|through|in|against|from)\b", c.text[m.end() : m.end() + 10]):
        return None  # "march on", "march to" (the verb)
    rel = m.group(1).split()[-1].lower() if m.group(1) else None
    return Hit(resolve_month(_month(word), c.anchor, c.tense(m.start(), m.end()), rel))


_YEAR_BAD_AFTER = re.compile(
    r"\s*(?:%|percent|per|\$|[.,]\d|(?:-|\s)?(?:people|persons|troops|soldiers|workers|jobs|employees|members|"
    r"shares|points|miles|feet|meters|metres|km|kilometers|tons|tonnes|barrels|yen|dollars|euros|pounds|"
    r"votes|seats|cars|units|students|children|men|women|cases|deaths|refugees|delegates|homes|acres|"
    r"Olympics|model|models|[a-z]+s\b(?<!\bthis)))",
)
_YEAR_GOOD_BEFORE = re.compile(
    r"\b(?i:in|since|by|until|till|from|during|before|after|through|between|of|early|late|mid|end|spring|summer|"
    r"fall|autumn|winter)[\s-]+$"
)
_YEAR_BAD_BEFORE = re.compile(r"(?:[$#£€]\s*|No\.\s*|number\s+|\d[,.]|Room\s+|Flight\s+|Route\s+|Highway\s+)$", re.I)


@rule(rf"(?:(?<![\w$#.,/-])|(?<=\bmid-)|(?<=\bpre-)|(?<=\bpost-))(?:(fiscal(?:\s+year)?|FY|calendar(?:\s+year)?)\s+)?({YEAR})(?!\d|-\d|s\b|'s\s+\w+s\b)")
def _year(m: re.Match[str], c: _Ctx) -> Hit | None:
    after = c.text[m.end() : m.end() + 25]
    before = c.text[max(0, m.start() - 12) : m.start()]
    if not m.group(1) and _YEAR_BAD_BEFORE.search(before):
        return None
    if not m.group(1) and _YEAR_BAD_AFTER.match(after) and not _YEAR_GOOD_BEFORE.search(before):
        return None  # "2000 people", unless "in 2008 prices fell"
    y = int(m.group(2))
    if not m.group(1) and c.anchor is not None and y > c.anchor.year + 30:
        return None
    return Hit(f"{y:04d}")


_SPELLED_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_SPELLED_UNITS = "one|two|three|four|five|six|seven|eight|nine"
_SPELLED_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"


@rule(rf"\b(?:(?:the\s+)?year\s+)?(?:(nineteen)\s+(?:({_SPELLED_TENS})(?:[- ]({_SPELLED_UNITS}))?|({_SPELLED_TEENS})|"
      rf"hundred)|two\s+thousand(?:\s+(?:and\s+)?({_SPELLED_UNITS}|{_SPELLED_TEENS}))?)\b", I,
      needs=("nineteen", "thousand"))
def _spelled_year(m: re.Match[str], c: _Ctx) -> Hit | None:
    if m.group(1):
        n = 1900 + (parse_number(m.group(2) or "zero") or 0) + (parse_number(m.group(3) or "zero") or 0)  # type: ignore[operator]
        if m.group(4):
            n = 1900 + (parse_number(m.group(4)) or 0)  # type: ignore[operator]
        if not m.group(2) and not m.group(4):
            n = 1900
    else:
        n = 2000 + (parse_number(m.group(5)) if m.group(5) else 0)  # type: ignore[operator]
    if not re.match(r"(?:the\s+)?year|nineteen", m.group(0), re.I):
        return None  # "two thousand" people
    after = c.text[m.end() : m.end() + 12]
    if re.match(r"\s+(?:people|dollars|years|of)\b", after):
        return None
    return Hit(f"{n:04d}")


@rule(r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]+)?(?:(1[0-9]|20)([0-9])0s|'([0-9])0s|(twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties))\b", I,
      needs=("0s", "ties"))
def _decade(m: re.Match[str], c: _Ctx) -> Hit | None:
    if m.group(1):
        return Hit(f"{m.group(1)}{m.group(2)}")
    if not m.group(3) and m.group(4).casefold() not in DECADE_WORDS:  # e.g. the long s in "ſeventies"
        return None
    digit = m.group(3) or str(DECADE_WORDS[m.group(4).casefold()])
    century = "19"
    if c.anchor is not None and c.anchor.year >= 2000 and int(digit) <= (c.anchor.year % 100) // 10:
        century = "20"
    return Hit(f"{century}{digit}")


@rule(r"\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty-first|\d{1,2}(?:st|nd|rd|th))[\s-]+century\b", I,
      needs=("century",))
def _century(m: re.Match[str], c: _Ctx) -> Hit | None:
    words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
             "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
             "eighteenth", "nineteenth", "twentieth", "twenty-first"]  # fmt: skip
    w = m.group(1).lower()
    n = words.index(w) + 1 if w in words else int(re.match(r"\d+", w).group(0))  # type: ignore[union-attr]
    return Hit(f"{n - 1:02d}")


# --- quarters, halves, fiscal periods

_Q = r"(first|second|third|fourth|1st|2nd|3rd|4th)"


def _last_quarter(anchor: date | None) -> tuple[int, int] | None:
    if anchor is None:
        return None
    q = quarter_of(anchor) - 1
    return (anchor.year, q) if q >= 1 else (anchor.year - 1, 4)


@rule(
    rf"\b(?:(?:the\s+|its\s+)?(?:(?:this|last|next)\s+year's|({YEAR})(?:'s)?|year-earlier|year-ago|comparable|"
    rf"year-earlier|the|its)\s+)?(?:(fiscal|calendar)[\s-]+)?{_Q}[\s-]+(?:fiscal\s+)?"
    rf"(quarter|half|period)s?\b(?:\s+(?:of\s+)?(?:fiscal\s+)?({YEAR}))?",
    I,
    needs=("quarter", "half", "period"),
)
def _quarter(m: re.Match[str], c: _Ctx) -> Hit | None:
    n = ORDINALS[m.group(3).lower()]
    unit = m.group(4).lower()
    if unit == "period":
        return None
    if unit == "half" and n > 2:
        return None
    y: int | None = None
    if m.group(5):
        y = int(m.group(5))
    elif m.group(1):
        y = int(m.group(1))
    elif c.anchor is not None:
        low = m.group(0).lower()
        y = c.anchor.year + (-1 if re.search(r"last year|year-earlier|year-ago|comparable", low) else 0)
        y += 1 if "next year" in low else 0
    s0 = m.start()
    if re.match(r"(?:the|its)\s+", m.group(0), re.I) and re.match(r"\w+-quarter\b", c.text[m.start(3) : m.end()]):
        s0 = m.start(3) if not m.group(1) else m.start(1)  # "the third-quarter loss": adjective, no determiner
    ys = f"{y:04d}" if y is not None else "XXXX"
    return Hit(f"{ys}-{'Q' if unit == 'quarter' else 'H'}{n}", start=s0)


@rule(r"\b(?:the|this)\s+(?:(latest|last|current|recent|previous|past|same|year-earlier|year-ago|comparable|"
      r"most\s+recent|just-ended|just\s+ended|\d{4})\s+)?(quarter|period)\b(?!\s+(?:of|ending|ends)|-)", I,
      needs=("quarter", "period"))
def _the_quarter(m: re.Match[str], c: _Ctx) -> Hit | None:
    mod = (m.group(1) or "").lower()
    if m.group(2).lower() == "period" and mod not in ("latest", "year-earlier", "year-ago") and not mod.isdigit():
        return None
    if m.group(0)[0] == "T" and m.group(2) == "quarter" and c.text[m.end() : m.end() + 1] == "-":
        return None
    lq = _last_quarter(c.anchor)
    if lq is None:
        return Hit("XXXX-QX")
    y, q = lq
    if mod in ("year-earlier", "year-ago", "comparable", "same"):
        y -= 1
    elif mod.isdigit():
        y = int(mod)
    return Hit(f"{y:04d}-Q{q}")


@rule(r"\b(?:the\s+)?(year-earlier|year-ago)(?!\s+(?:quarter|period))\b", I,
      needs=("year-earlier", "year-ago"))
def _year_earlier(m: re.Match[str], c: _Ctx) -> Hit | None:
    if c.anchor is None:
        return Hit("XXXX")
    if c.quarterly:
        lq = _last_quarter(c.anchor)
        assert lq is not None
        return Hit(f"{lq[0] - 1:04d}-Q{lq[1]}")
    return Hit(f"{c.anchor.year - 1:04d}")


# --- weekdays, holidays, seasons


@rule(rf"\b(?:((?i:last|next|this\s+coming|this\s+past|this|past|coming|the\s+previous|the\s+following|the\s+next|"
      rf"the\s+past))\s+)?({WEEKDAY})"
      r"(?:\s+(morning|afternoon|evening|night))?\b")
def _weekday(m: re.Match[str], c: _Ctx) -> Hit | None:
    rel = m.group(1).split()[-1].lower() if m.group(1) else None
    wd = WEEKDAYS[m.group(2).lower()]
    d = resolve_weekday(wd, c.anchor, c.tense(m.start(), m.end()), rel)
    if d is None:
        return Hit("XXXX-XX-XX")
    if m.group(3):
        return Hit(day_value(d) + "T" + PARTS_OF_DAY[m.group(3).lower()], "time")
    return Hit(day_value(d))


_HOLIDAYS: dict[str, tuple[int, int]] = {
    "christmas eve": (12, 24), "christmas day": (12, 25), "christmas": (12, 25),
    "new year's eve": (12, 31), "new year's day": (1, 1), "independence day": (7, 4),
    "halloween": (10, 31), "valentine's day": (2, 14), "boxing day": (12, 26),
}  # fmt: skip


@rule(r"\b(Christmas Eve|Christmas Day|Christmas|New Year's Eve|New Year's Day|Independence Day|Halloween|"
      r"Valentine's Day|Boxing Day|Thanksgiving(?: Day)?)\b(?!\s+(?:tree|card|present|gift|shopping|season|"
      r"holiday|party|dinner|market|sale)s?)",
      needs=("christmas", "new year", "independence", "halloween", "valentine", "boxing", "thanksgiving"))
def _holiday(m: re.Match[str], c: _Ctx) -> Hit | None:
    name = m.group(1).lower()
    tense = c.tense(m.start(), m.end())
    if name.startswith("thanksgiving"):
        if c.anchor is None:
            return Hit("XXXX-11-XX")
        def tg(y: int) -> date:
            d = date(y, 11, 1)
            return d + timedelta(days=(3 - d.weekday()) % 7 + 21)
        cands = [tg(c.anchor.year + k) for k in (-1, 0, 1)]
        if tense == "future":
            return Hit(day_value(min(x for x in cands if x >= c.anchor)))
        return Hit(day_value(max(x for x in cands if x <= c.anchor)))
    mo, d = _HOLIDAYS[name]
    return Hit(resolve_month_day(mo, d, c.anchor, tense))


@rule(r"\b(?:(last|next|this|past|coming|early|late|mid)[\s-]+)?(?:(the)\s+)?(spring|summer|fall|autumn|winter)\b"
      rf"(?:\s+(?:of\s+)?({YEAR}))?", I)
def _season(m: re.Match[str], c: _Ctx) -> Hit | None:
    code = SEASONS[m.group(3).lower()]
    if m.group(4):
        return Hit(f"{m.group(4)}-{code}")
    rel = m.group(1).lower() if m.group(1) else None
    if rel is None and not m.group(2):
        # bare season word: only with a preposition before ("in spring"), lower-case "fall" is often a verb
        if not re.search(r"\b(?:in|this|last|next|during|by|until|over)\s+$", c.text[max(0, m.start() - 10) : m.start()], re.I):
            return None
        if m.group(3).lower() == "fall":
            return None
    if rel in ("early", "late", "mid"):
        rel = None
    return Hit(resolve_season(code, c.anchor, rel, c.tense(m.start(), m.end())))


# --- deictic words

_REF_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF", "at present": "PRESENT_REF",
    "presently": "PRESENT_REF", "nowadays": "PRESENT_REF", "these days": "PRESENT_REF",
    "the present": "PRESENT_REF", "current": "PRESENT_REF", "at the moment": "PRESENT_REF",
    "recently": "PAST_REF", "lately": "PAST_REF", "the past": "PAST_REF", "previously": "PAST_REF",
    "formerly": "PAST_REF", "once": "PAST_REF", "recent": "PAST_REF",
    "the future": "FUTURE_REF", "soon": "FUTURE_REF", "shortly": "FUTURE_REF", "in the future": "FUTURE_REF",
    "the near future": "FUTURE_REF", "the coming days": "FUTURE_REF", "the coming weeks": "FUTURE_REF",
    "the coming months": "FUTURE_REF", "the coming years": "FUTURE_REF", "coming weeks": "FUTURE_REF",
    "coming months": "FUTURE_REF", "coming years": "FUTURE_REF", "coming days": "FUTURE_REF",
    "recent years": "PAST_REF", "recent months": "PXM", "recent weeks": "PXW",
    "recent days": "PXD", "recent decades": "PAST_REF",
}  # fmt: skip


@rule(r"\b(?:right now|now|currently|at present|presently|nowadays|these days|the present(?!\s+(?:study|case|"
      r"system|situation|government|administration))|at the moment|recently|lately|the past|"
      r"the (?:near )?future|soon|shortly|(?:the )?coming (?:days|weeks|months|years)|"
      r"recent (?:years|months|weeks|days|decades))\b", I)
def _ref(m: re.Match[str], c: _Ctx) -> Hit | None:
    w = m.group(0).lower()
    if w == "now" and re.match(r"\s+that\b", c.text[m.end() : m.end() + 6]):
        return None  # "now that" is a conjunction
    if w in ("soon", "shortly") and re.match(r"\s+(?:after|before|as|thereafter)\b", c.text[m.end() : m.end() + 12]):
        return None
    value = _REF_WORDS.get(w, _REF_WORDS.get(w.removeprefix("the "), "PRESENT_REF"))
    return Hit(value, "duration" if value.startswith("P") and value[1] == "X" else "date")


@rule(r"\b(today|tonight|yesterday|tomorrow|this\s+(?:morning|afternoon|evening)|last\s+night|"
      r"(?:yesterday|tomorrow)\s+(?:morning|afternoon|evening|night))\b", I,
      needs=("today", "tonight", "yesterday", "tomorrow", "morning", "afternoon", "evening", "night"))
def _deictic_day(m: re.Match[str], c: _Ctx) -> Hit | None:
    w = re.sub(r"\s+", " ", m.group(1).lower())
    if c.anchor is None:
        return Hit("XXXX-XX-XX")
    shift = -1 if w.startswith(("yesterday", "last")) else 1 if w.startswith("tomorrow") else 0
    d = c.anchor + timedelta(days=shift)
    part = w.split()[-1] if " " in w else ("night" if w == "tonight" else None)
    if part in PARTS_OF_DAY:
        return Hit(day_value(d) + "T" + PARTS_OF_DAY[part], "time")
    return Hit(day_value(d))


# "last week", "this month", "next year", "earlier this month", "late last year", "the end of the year"
@rule(r"\b(?:(?:(earlier|later|early|late|mid|the\s+(?:end|beginning|start|middle|rest|remainder)\s+of)[\s-]+)"
      r"(?:the\s+)?)?(this|last|next|past|previous|coming|current|the\s+current)\s+"
      r"(week|weekend|month|year|quarter|decade|century)\b(?!\s*-)", I)
def _rel_unit(m: re.Match[str], c: _Ctx) -> Hit | None:
    rel = m.group(2).split()[-1].lower()
    unit = m.group(3).lower()
    if m.group(3)[0].isupper():
        return None  # "This Week" (a TV show)
    if c.anchor is None:
        return Hit({"last": "PAST_REF", "past": "PAST_REF", "previous": "PAST_REF"}.get(rel, "PRESENT_REF"))
    pre = c.text[max(0, m.start() - 5) : m.start()].lower()
    if rel in ("past", "coming") and pre.endswith("the "):
        return None  # "the past year" is a duration
    if rel == "previous" and not m.group(1):
        return None
    step = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}.get(rel, 0)
    # "earlier this week": TimeBank leaves "earlier"/"later" outside the extent
    start = m.start(2) if (m.group(1) or "").lower() in ("earlier", "later") else None
    if unit == "weekend":
        d = c.anchor + timedelta(days=7 * step)
        return Hit(unit_value(d, "weekend"), start=start)
    if unit == "century":
        return Hit(f"{c.anchor.year // 100 + step:02d}", start=start)
    d = shift_date(c.anchor, step, unit) if unit != "week" else c.anchor + timedelta(weeks=step)
    return Hit(unit_value(d, unit), start=start)


@rule(r"\b(?:the|this|that)\s+weekend\b", I, needs=("weekend",))
def _the_weekend(m: re.Match[str], c: _Ctx) -> Hit | None:
    if c.anchor is None:
        return Hit("XXXX-WXX-WE")
    if c.tense(m.start(), m.end()) == "future":
        d = c.anchor + timedelta(days=(5 - c.anchor.weekday()) % 7)
    else:
        d = c.anchor - timedelta(days=(c.anchor.weekday() - 5) % 7)
    return Hit(unit_value(d, "weekend"))


@rule(r"\b(?:the|this)\s+(?:current\s+)?(?:fiscal|full|calendar)\s+year\b(?!\s+(?:ended|ending|ends))", I,
      needs=("fiscal", "full", "calendar"))
def _fiscal_year(m: re.Match[str], c: _Ctx) -> Hit | None:
    return Hit(f"{c.anchor.year:04d}" if c.anchor else "XXXX")


@rule(r"\b(?:the\s+)?(?:(end|beginning|start|middle|close)\s+of\s+the\s+(year|month|week|decade)|"
      r"(year|month|week)(?:-|\s+|'s\s+)end)\b", I)
def _end_of(m: re.Match[str], c: _Ctx) -> Hit | None:
    unit = (m.group(2) or m.group(3)).lower()
    if c.anchor is None:
        return Hit("XXXX")
    if m.group(3) and unit == "year":
        # "by year-end" is this year's; "since year-end" the last one
        since = re.search(r"\bsince\s+(?:the\s+)?$", c.text[max(0, m.start() - 10) : m.start()], re.I)
        return Hit(f"{c.anchor.year - (1 if since else 0):04d}-12-31")
    return Hit(unit_value(c.anchor, unit))


# --- "two days ago", "a year earlier", "three weeks from now"


@rule(rf"\b(?=[{_APPROX_LEAD}{_NUM_LEAD}])(?:{_APPROX}\s+)?({NUMWORD}|{FEW}|a\s+few)(?:\s+or\s+so)?\s+"
      rf"({UNIT})s?(?:\s+or\s+so)?\s+(ago|earlier|later|from\s+now|hence)\b", I,
      needs=("ago", "earlier", "later", "now", "hence"))
def _ago(m: re.Match[str], c: _Ctx) -> Hit | None:
    n_word, unit, dirw = m.group(1).lower(), m.group(2).lower(), m.group(3).lower()
    n = parse_number(n_word)
    back = dirw in ("ago", "earlier", "before")
    if unit == "centurie":
        unit = "century"
    start = m.start()
    if n_word in ("the", "some", "many", "numerous") and n_word == m.group(0).split()[0].lower():
        return None
    if dirw in ("earlier", "later") and unit in ("day", "week", "hour", "minute") and m.group(0)[0].isupper():
        return None  # "A day earlier, ..." relative to the narrative: a duration (handled by _duration)
    if c.anchor is None or n is None or not isinstance(n, int):
        return Hit("PAST_REF" if back else "FUTURE_REF", start=start)
    if unit in ("second", "minute", "hour"):
        return Hit("PAST_REF" if back else "FUTURE_REF", start=start)
    if unit in ("night",):
        unit = "day"
    if unit == "weekend":
        unit = "week"
    sign = -1 if back else 1
    # "a year earlier" in a quarterly earnings sentence means the same quarter a year earlier
    if unit == "year" and n == 1 and c.quarterly:
        lq = _last_quarter(c.anchor)
        assert lq is not None
        return Hit(f"{lq[0] + sign:04d}-Q{lq[1]}", start=start)
    if unit in ("decade", "century"):
        return Hit(unit_value(c.anchor.replace(year=c.anchor.year + sign * n * (10 if unit == "decade" else 100)), unit), start=start)
    d = shift_date(c.anchor, sign * n, unit)
    return Hit(unit_value(d, unit), start=start)


# --- durations



_NUM_DIGITS_OK = re.compile(r"\d{1,3}(?:\.\d+)?$")


@rule(rf"\b(?:(?=[{_APPROX_LEAD}]){_APPROX}\s+)?(?:(?=[thia])(the|these|those|its|their|his|her|a|an)\s+)?"
      rf"(?:(?=[plncfrsewia])(past|last|next|coming|first|previous|following|final|remaining|same|entire|whole|full|"
      rf"initial|latest|recent|additional|further|extra)\s+)?"
      rf"(?:(?=[{_NUM_LEAD}])({NUMWORD}|{FEW}|a\s+few)(?:\s+(?:or|to)\s+({NUMWORD}))?[\s-]+)?"
      rf"(?:(?=[fscmatbw])(?:full|straight|consecutive|more|additional|trading|business|working)\s+)?"
      rf"(?=[{_UNIT_LEAD}])({UNIT})(s?)(?:\s+or\s+so)?\b(?!-old|\s+old\b|-)", I)
def _duration(m: re.Match[str], c: _Ctx) -> Hit | None:
    det, mod, num, num2, unit, plural = (g.lower() if g else "" for g in m.groups())
    unit_word = m.group(5)
    if unit_word[0].isupper() and m.start(5) > 0 and c.text[m.start(5) - 1] == " ":
        return None  # "60 Minutes", "This Week": titles
    if unit == "centurie":
        unit = "century"
    if num and num[0].isdigit() and not _NUM_DIGITS_OK.match(num):
        return None  # "the 1988 quarter" is not 1988 quarters
    start = m.start()
    if det in ("a", "an") and num:
        start, det = m.start(3), ""  # "a two-year term": the extent starts at the number
    elif det in ("a", "an"):
        num, det = det, ""
    if unit == "night" and not num:
        return None
    if not num and not mod:
        # bare unit word: only plural after "for"/"over" ("for years"), else not a timex
        if plural and re.search(r"\b(?:for|over|within|in)\s+(?:the\s+)?$", c.text[max(0, m.start() - 12) : m.start()], re.I):
            code = {"decade": "PXE", "century": "PXC"}.get(unit, f"{UNITS[unit][0]}X{UNITS[unit][1]}")
            return Hit(code, "duration", start=m.start(5))
        return None
    if not num and mod in ("recent", "latest", "same", "full", "entire", "whole", "initial", "additional",
                           "further", "extra"):
        return None
    if not num and not det and mod in ("last", "next", "past", "coming", "previous", "first", "following", "final"):
        return None  # "last year" is a date (other rule); "first year" is not a timex
    if not num and det in ("his", "her", "its", "their", "these", "those"):
        return None
    if not num and det == "the" and mod in ("past", "last", "next", "coming", "previous", "following"):
        # "the past year", "the last decade": the previous calendar unit (TimeBank style)
        if plural or c.anchor is None or unit not in ("year", "month", "week", "decade", "quarter"):
            return None
        step = 1 if mod in ("next", "coming", "following") else -1
        if mod in ("previous", "following"):
            return Hit(f"P1{UNITS[unit][1]}", "duration")
        if unit == "decade":
            return Hit(f"{c.anchor.year // 10 + step:03d}")
        return Hit(unit_value(shift_date(c.anchor, step, unit), unit))
    if num in ("the", "some", "many", "numerous") and not plural:
        return None
    if num == "the":
        return None
    if num in ("a", "an") and not mod:
        if unit in ("second", "quarter"):
            return None  # "a second group", "a quarter of"
        # "$5 a year", "24 hours a day", "four flights a week": a rate, not annotated as a timex
        if re.search(r"(?:\d|\bmillion|\bbillion|\btimes|\bonce|\btwice|%|percent|\w+s|hours|days)\s*$",
                     c.text[max(0, m.start() - 14) : m.start()], re.I):
            return None
    if det in ("its", "their", "his", "her", "these", "those") or (det == "the" and not mod and re.search(r"[\s-]", m.group(0)[4:]) and "-" in m.group(0)):
        start = m.start(3) if num else m.start(5)  # "its two-year", "the 30-day": no determiner
    n = parse_number(num) if num else (1 if not plural else None)
    prefix, letter = UNITS[unit]
    if unit == "weekend":
        return Hit(f"P{2 * n}D" if isinstance(n, int) else "P2D", "duration", start=start)
    if unit == "decade":
        if isinstance(n, int) and n > 1:
            return Hit(f"P{10 * n}Y", "duration", start=start)
        return Hit("P1E" if n == 1 else "PXE", "duration", start=start)
    if unit == "century":
        return Hit("P1C" if n == 1 else "PXC" if n is None else f"P{100 * n}Y", "duration", start=start)
    nv = "X" if n is None else (str(n) if isinstance(n, int) else f"{n:g}")
    return Hit(f"{prefix}{nv}{letter}", "duration", start=start)


# --- sets


@rule(r"\b(?:(every|each|per)\s+(other\s+)?(second|minute|hour|day|night|week|weekend|month|quarter|year|decade|"
      r"morning|afternoon|evening|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|" + MONTH_FULL[3:-1]
      + r")|(hourly|daily|nightly|weekly|monthly|annually|yearly|biannually|biennially))\b", I,
      needs=("every", "each", "per", "hourly", "daily", "nightly", "weekly", "monthly", "annually", "yearly",
             "biennially"))
def _set(m: re.Match[str], c: _Ctx) -> Hit | None:
    adv = (m.group(4) or "").lower()
    if adv:
        code = {"hourly": "PT1H", "daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M",
                "quarterly": "P1Q", "annually": "P1Y", "yearly": "P1Y", "biannually": "P6M",
                "biennially": "P2Y"}[adv]  # fmt: skip
        return Hit(code, "set")
    w = m.group(3).lower()
    n = "2" if m.group(2) else "1"
    if w in WEEKDAYS:
        return Hit(f"XXXX-WXX-{WEEKDAYS[w] + 1}", "set")
    if w in MONTHS:
        return Hit(f"XXXX-{MONTHS[w]:02d}", "set")
    if w in PARTS_OF_DAY:
        return Hit(f"XXXX-XX-XXT{PARTS_OF_DAY[w]}", "set")
    prefix, letter = UNITS[w]
    return Hit(f"{prefix}{n}{letter}", "set")


# --- clock times


@rule(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)|\b(noon|midnight)\b(?:\s+(?:today|yesterday|tomorrow))?", I)
def _clock(m: re.Match[str], c: _Ctx) -> Hit | None:
    if m.group(4):
        if m.group(4)[0].isupper() and m.start() > 0 and text_is_midsentence(c.text, m.start()):
            return None  # "High Noon"
        h, mi = (12, 0) if m.group(4).lower() == "noon" else (24, 0)
    else:
        h, mi = int(m.group(1)), int(m.group(2) or 0)
        if h > 12 or mi > 59:
            return None
        pm = m.group(3).lower().startswith("p")
        h = (h % 12) + (12 if pm else 0)
    base = day_value(c.anchor) if c.anchor else "XXXX-XX-XX"
    return Hit(f"{base}T{h:02d}:{mi:02d}", "time")


def text_is_midsentence(text: str, pos: int) -> bool:
    return not re.search(r"(?:^|[.!?]\s+|\n\s*|[\"'“‘(]\s*)$", text[max(0, pos - 3) : pos])


# ---------------------------------------------------------------- driver


_MODIFIER = re.compile(
    r"(?:\b(?:the\s+)?(?:very\s+)?(?:(?:end|beginning|start|middle|close|first\s+half|second\s+half|last\s+half|"
    r"rest|remainder)\s+of(?:\s+the)?|early|late|mid|middle|sometime|around|post|pre)[\s-]+)$",
    re.I,
)


_DAY_MODIFIER = re.compile(r"(?:\b(?:early|late|earlier|later|around|about|approximately|sometime|mid-afternoon|"
                           r"mid-morning)\s+)$", re.I)


def _attach_modifiers(text: str, start: int, value: str) -> int:
    """Extend a date extent to the left over TimeML-style modifiers: 'late November', 'the end of 1990'."""
    if not re.match(r"\d{3,4}|XXXX", value):
        return start
    rx = _DAY_MODIFIER if re.match(r"\d{4}-\d{2}-\d{2}", value) else _MODIFIER
    m = rx.search(text[max(0, start - 30) : start])
    if m:
        return start - (len(m.group(0)))
    return start


# how far the scan reaches beyond a region: more than any expression (and its look-around) is long, so an
# expression inside a region is found, and wins or loses against its neighbours, as in a scan of the whole text
REGION_MARGIN = 100


def _windows(text: str, regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The regions widened by `REGION_MARGIN`, merged where they touch, in text order."""
    out: list[tuple[int, int]] = []
    for s, e in sorted(regions):
        lo, hi = max(0, s - REGION_MARGIN), min(len(text), e + REGION_MARGIN)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], hi))
        else:
            out.append((lo, hi))
    return out


def find_timexes(
    text: str, anchor: date | None, regions: Sequence[tuple[int, int]] | None = None
) -> list[TimeExpression]:
    """Find and normalise the time expressions of `text` against the document date `anchor`.

    `regions`: only the expressions inside these [start, end) spans are wanted. The rules then scan the
    regions alone, each widened by `REGION_MARGIN` characters, and the expressions inside a region are
    the ones a scan of the whole text finds (context rules still see the whole text); expressions
    outside the regions may be missing."""
    ctx = _Ctx(text, anchor)
    cands: list[tuple[int, int, Hit]] = []
    windows = [(0, len(text))] if regions is None else _windows(text, regions)
    gates = [_gate_text(text[lo:hi]) for lo, hi in windows]
    for rx, fn, needs in _RULES:
        for (lo, hi), gate in zip(windows, gates, strict=True):
            if needs and not any(word in gate for word in needs):
                continue
            _apply(rx, fn, text, lo, hi, ctx, cands)
    return _resolve(text, cands)


def _apply(rx: re.Pattern[str], fn: Handler, text: str, lo: int, hi: int, ctx: _Ctx,
           cands: list[tuple[int, int, Hit]]) -> None:
    """The candidates of one rule in text[lo:hi]."""
    for m in rx.finditer(text, lo, hi):
        if m.end() == m.start():
            continue
        try:
            hit = fn(m, ctx)
        except (ValueError, OverflowError):  # "7000 years ago": outside the calendar dates can hold
            continue
        if hit is None:
            continue
        s = hit.start if hit.start is not None else m.start()
        e = hit.end if hit.end is not None else m.end()
        s, e = _trim(text, s, e)
        if e > s:
            cands.append((s, e, hit))


def _resolve(text: str, cands: list[tuple[int, int, Hit]]) -> list[TimeExpression]:
    """The longest candidates that do not overlap (ties: the earlier rule), as time expressions."""
    cands.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
    starts: list[int] = []  # chosen spans never overlap, so sorted starts also sort their ends
    ends: list[int] = []
    hits: list[Hit] = []
    for s, e, h in cands:
        i = bisect.bisect_left(starts, e)
        if i > 0 and ends[i - 1] > s:
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        hits.insert(i, h)
    chosen = list(zip(starts, ends, hits, strict=True))
    chosen = _merge_clock_day(text, chosen)
    out: list[TimeExpression] = []
    prev_end = 0
    for s, e, h in chosen:
        if h.kind == "date":
            ns = _attach_modifiers(text, s, h.value)
            s = max(ns, prev_end)
        out.append(
            TimeExpression(start=s, end=e, text=text[s:e], value=h.value, granularity=granularity_of(h.value),
                           kind=h.kind)  # type: ignore[arg-type]
        )
        prev_end = e
    return out


_CLOCK_GAP = re.compile(r"\s*(?:[A-Z]{2,4}\s*)?,?\s*(?:on\s+)?")


def _merge_clock_day(text: str, chosen: list[tuple[int, int, Hit]]) -> list[tuple[int, int, Hit]]:
    """'10 p.m. Wednesday', 'noon Thursday', '5 p.m. EST, Nov. 6': one time expression with the day's date."""
    out: list[tuple[int, int, Hit]] = []
    i = 0
    while i < len(chosen):
        s, e, h = chosen[i]
        if h.kind == "time" and "T" in h.value and i + 1 < len(chosen):
            s2, e2, h2 = chosen[i + 1]
            gap = _CLOCK_GAP.fullmatch(text, e, s2)
            if gap and re.fullmatch(r"\d{4}-\d{2}-\d{2}", h2.value) and re.search(r"T\d", h.value):
                hhmm = h.value.split("T", 1)[1]
                out.append((s, e2, Hit(f"{h2.value}T{hhmm}", "time")))
                i += 2
                continue
        if h.kind == "time" and text[e - 1] == "." and re.match(r"\s+[A-Z]|\s*$", text[e : e + 2]):
            e -= 1  # "at 6 a.m. The ...": the sentence's full stop, not the abbreviation's
        out.append((s, e, h))
        i += 1
    return out


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;"):
        e -= 1
    return s, e


__all__ = ["find_timexes", "tense_hint"]
