"""The keyword gates of the time expression rules never skip a rule that could match."""

from __future__ import annotations

import re
from datetime import date

from saidwhen.dates import timex
from saidwhen.dates.lexicon import FEW, NUMWORD, UNIT

SAMPLES = [
    "Nineteen eighty-four, the year two thousand and five, in nineteen ninety",
    "in the 1990s, the '80s, the early twenties, the late nineties, mid-1970s",
    "the 19th century, the twenty-first century, the first-century church",
    "the third quarter, its first half, 2009's second fiscal quarter, the fourth period, first-half profit",
    "the latest quarter, this period, the year-ago period, the year-earlier results, a year-ago figure",
    "on Christmas Eve, New Year's Day, Independence Day, Halloween, Valentine's Day, Boxing Day, "
    "Thanksgiving",
    "today, tonight, yesterday morning, tomorrow evening, this afternoon, last night",
    "this weekend, the weekend, that weekend",
    "the current fiscal year, this full year, the calendar year",
    "three days ago, two years earlier, a few weeks later, five months from now, ten years hence",
    "every Monday, each week, per year, every other month, hourly, daily, nightly, weekly, monthly, "
    "annually, "
    "yearly, biannually, biennially",
    "NINETEEN NINETY, THE 1990S, EVERY WEEK, TWO DAYS AGO, Nıneteen nınety, nİneteen sixty",
]


def test_every_match_of_a_gated_rule_contains_one_of_its_words() -> None:
    gated = [(rx, needs) for rx, _fn, needs in timex._RULES if needs]
    assert len(gated) >= 10
    seen = 0
    for rx, needs in gated:
        for text in SAMPLES:
            for m in rx.finditer(text):
                seen += 1
                assert any(w in timex._gate_text(m.group(0)) for w in needs), (rx.pattern[:60], m.group(0))
    assert seen > 40


def test_gates_do_not_change_the_tagging() -> None:
    anchor = date(2021, 5, 4)
    text = " ".join(SAMPLES)
    ungated = list(timex._RULES)
    try:
        timex._RULES[:] = [(rx, fn, ()) for rx, fn, _needs in ungated]
        want = timex.find_timexes(text, anchor)
    finally:
        timex._RULES[:] = ungated
    assert want and timex.find_timexes(text, anchor) == want


def test_regions_give_the_expressions_inside_them_as_the_whole_text_does() -> None:
    anchor = date(2021, 5, 4)
    filler = "Nothing happened here at all, the officials said. " * 6
    text = filler.join(SAMPLES) + " On Friday, May 7, the talks resumed at 10 p.m. Wednesday."
    whole = timex.find_timexes(text, anchor)
    starts = [text.index(sample) for sample in SAMPLES[1::3]] + [text.index("On Friday")]
    regions = [(s, text.index(".", s + 30) + 1) for s in starts]
    found = timex.find_timexes(text, anchor, regions)
    inside = [t for t in whole if any(s <= t.start and t.end <= e for s, e in regions)]
    assert len(inside) >= 10
    assert [t for t in found if any(s <= t.start and t.end <= e for s, e in regions)] == inside
    assert len(found) < len(whole)  # the text between the regions is not scanned


def _starts(group: str) -> set[str]:
    """The first letters of the words of a regex alternation that the group can match from."""
    rx = re.compile(group, re.I)
    words = re.findall(r"[a-z]+", re.sub(r"\\[a-zA-Z.]", " ", group))
    return {w[0] for w in words if rx.match(w + " than to few")}


def test_lead_characters_cover_every_alternative() -> None:
    assert _starts(timex._APPROX) <= set(timex._APPROX_LEAD)
    assert _starts(NUMWORD) | _starts(FEW) <= set(timex._NUM_LEAD)
    assert _starts(UNIT) <= set(timex._UNIT_LEAD)
    assert len(_starts(NUMWORD)) >= 6 and re.match(NUMWORD, "42") and "0-9" in timex._NUM_LEAD


def test_lead_lookaheads_do_not_change_the_matches() -> None:
    text = " ".join(SAMPLES) + (" about two years ago, some three full months, the past decade, more than a week "
                                "later, no less than twenty-five straight days, its first 100 days, a few hours")
    led = [(rx, fn) for rx, fn, _needs in timex._RULES if "(?=[" in rx.pattern]
    assert len(led) >= 2
    for rx, _fn in led:
        plain = re.compile(re.sub(r"\(\?=\[[^\]]*\]\)", "", rx.pattern), rx.flags)
        assert [m.span() for m in rx.finditer(text)] == [m.span() for m in plain.finditer(text)]
        assert any(True for _ in rx.finditer(text))
