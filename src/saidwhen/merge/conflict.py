"""Two wordings that cannot be the same statement, whatever their overlap: a precision guard for merging.

Both lexical overlap and averaged embeddings score "Gas will become cheaper this winter" and "Gas will
become more expensive this winter" as near-identical. `conflicting` vetoes a merge when, on content stems
(`content_stems`):
- one side is negated and the other is not;
- both state numbers and neither set of numbers contains the other ("below three percent" vs "below five
  percent"; "three" and "3" are the same number; a fragment quoting one of two numbers still matches);
- one side uses a word and the other its antonym, neither using both ("join" / "leave", "success" /
  "failure", "raise" / "cut").
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable

from saidwhen.merge._text import number_token, stem

# "one" is left out (a pronoun as often as a number); "hundred" too ("two hundred" is 200, not {2, 100})
_NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
NUMBERS: dict[str, str] = {stem(w): str(v) for w, v in _NUMBER_WORDS.items()}

_ANTONYM_WORDS = (
    ("rise", "fall"), ("rise", "drop"), ("increase", "decrease"), ("increase", "cut"), ("raise", "cut"),
    ("raise", "lower"), ("higher", "lower"), ("grow", "shrink"), ("growth", "decline"), ("growth", "recession"),
    ("open", "close"), ("open", "closed"), ("reopen", "close"), ("join", "leave"), ("enter", "leave"),
    ("win", "lose"), ("won", "lost"), ("victory", "defeat"), ("success", "failure"), ("succeed", "fail"),
    ("successful", "failed"), ("accept", "reject"), ("approve", "reject"), ("support", "oppose"),
    ("agree", "disagree"), ("allow", "ban"), ("allow", "forbid"), ("legal", "illegal"), ("guilty", "innocent"),
    ("true", "false"), ("safe", "dangerous"), ("peace", "war"), ("ally", "enemy"), ("include", "exclude"),
    ("cheap", "expensive"), ("cheaper", "expensive"), ("strong", "weak"), ("stronger", "weaker"),
    ("resume", "suspend"), ("continue", "stop"), ("continue", "halt"), ("start", "stop"), ("begin", "end"),
    ("best", "worst"), ("better", "worse"), ("good", "bad"), ("possible", "impossible"), ("right", "wrong"),
    ("arrest", "release"), ("import", "export"), ("buy", "sell"), ("more", "less"), ("more", "fewer"),
    ("withdraw", "send"), ("withdraw", "deploy"), ("spend", "save"), ("love", "hate"), ("friend", "enemy"),
)


def _antonyms(pairs: Iterable[tuple[str, str]]) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a, b in pairs:
        sa, sb = stem(a), stem(b)
        out.setdefault(sa, set()).add(sb)
        out.setdefault(sb, set()).add(sa)
    return {k: frozenset(v) for k, v in out.items()}


ANTONYMS = _antonyms(_ANTONYM_WORDS)


def _digits(stem_: str) -> bool:
    """Digits, or digits with one decimal point ("2.5": `tokens` keeps a decimal number whole)."""
    whole, _, frac = stem_.partition(".")
    return whole.isdigit() and (not frac or frac.isdigit())


def is_number(stem_: str) -> bool:
    """Whether a content stem states a number (digits, a decimal or a number word)."""
    return stem_ in NUMBERS or _digits(stem_)


def numbers(stems: Iterable[str]) -> frozenset[str]:
    """The numbers a stem list states, digits and number words alike ("three", "3" -> "3"; "1,500" and
    "1500" are one number, "2.5" another: `tokens` writes numbers in one canonical form)."""
    return frozenset(NUMBERS[s] if s in NUMBERS else number_token(s) for s in stems if is_number(s))


def may_conflict(stems: Iterable[str]) -> bool:
    """Whether a stem list could conflict with another beyond negation: it states a number or uses a word
    that has an antonym (a cheap pre-check before `conflicting` on many candidates)."""
    return any(is_number(s) or s in ANTONYMS for s in stems)


def opposites(a: Collection[str]) -> set[str]:
    """The antonyms of `a`'s words that `a` does not use itself: another side can conflict with `a` by
    antonym only if it uses one of them."""
    sa = set(a)
    return {o for word in sa for o in ANTONYMS.get(word, ()) if o not in sa}


def conflict_check(a: Collection[str]) -> Callable[[Collection[str]], bool]:
    """`conflicting(a, ·)` with `a`'s side worked out once, to test one statement against many."""
    sa = set(a)
    negated = "not" in sa
    na = numbers(sa)
    opposites = [(word, opp) for word in sa if (opp := ANTONYMS.get(word))]

    def check(b: Collection[str]) -> bool:
        sb = b if isinstance(b, (set, frozenset)) else set(b)
        if negated != ("not" in sb):
            return True
        if na:
            nb = numbers(sb)
            if nb and not (na <= nb or nb <= na):
                return True
        return any(
            word not in sb and any(o in sb and o not in sa for o in opposite) for word, opposite in opposites
        )

    return check


def conflicting(a: Collection[str], b: Collection[str]) -> bool:
    """True when content-stem lists `a` and `b` cannot report the same statement (see the module doc)."""
    return conflict_check(a)(b)
