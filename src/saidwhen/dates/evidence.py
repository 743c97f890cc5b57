"""The publication day an article's own date mentions point to.

News is written about the last few days: "said on Tuesday" is the publication day or the day before,
"on March 3" mostly the publication day itself (a dateline), and older dates are background. So every
mention votes for the candidate days `D` it would sit shortly before: a mention at `k` days before `D`
adds `log(BACKGROUND + NEAR[k])` (`NEAR`: how far back news mentions sit, 0 and 1 days most often), so the
day most mentions cluster just before wins, and background mentions (a year ago, a plan for next month)
add the same small amount to every candidate. Weekdays ("on Tuesday") carry only a day of the week and
month-days ("November 30") no year: they vote on the calendar once a candidate day gives them one.

The candidates come from a `prior` (days with weights, e.g. the dates of the articles that report the
same happening, see `saidwhen.merge.dating`) or, for an article alone, from the week after its latest full
date (`Evidence.anchor`). Mentions in the future tense and in photo captions do not vote (the caption trap:
a picture's date is not the article's). `NEAR` is the distribution measured on 300 Timeline17 articles
with their known dates; `KIND_WEIGHT` was set on the same data (see `benchmarks/dates_eval.py`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from .lexicon import MONTHS, WEEKDAYS
from .timex import find_timexes, tense_hint

# share of news mentions k days before the publication day (k = -1: the day after, an evening report)
NEAR: dict[int, float] = {-1: 0.03, 0: 0.42, 1: 0.29, 2: 0.08, 3: 0.05, 4: 0.03, 5: 0.02, 6: 0.03}
BACKGROUND = 0.02  # weight of a mention that is not about the last days
AFTER = 0.002  # weight of a (past or tenseless) mention more than a day after the publication day
PRIOR_SCALE = 2.0  # days: how fast a prior day's support falls off
PRIOR_FLOOR = 0.05  # support of a candidate day far from every prior day, relative to the nearest
PRIOR_SPAN = 7  # candidate days reach this far around the prior's days
# a full date says most, a weekday least (which week? "on Saturday" may be the coming one)
KIND_WEIGHT = {"full": 2.0, "monthday": 1.0, "weekday": 0.5}
TIE = math.log(1.5)  # candidates within this score of the best form the range

_WEEKDAY_RX = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_MONTHDAY_RX = re.compile(r"XXXX-(\d{2})-(\d{2})")
_FULL_RX = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR_RX = re.compile(r"\d{4}")
_RELATIVE_OK = re.compile(r"\b(?:last|this|next|coming)\b", re.I)


@dataclass(frozen=True)
class Mention:
    """One date mention as a vote: a full date, a month-day (no year; with the weekday when the text states
    it, "Tuesday, June 1") or a weekday; `weight` 3 for a dateline."""

    kind: str  # "full" | "monthday" | "weekday"
    month: int = 0
    day: int = 0
    year: int = 0
    weekday: int = -1  # 0 = Monday
    weight: float = 1.0

    def before(self, d: date) -> int | None:
        """How many days before `d` this mention sits, when `d` is the publication day (None: no day)."""
        if self.kind == "weekday":
            return (d.weekday() - self.weekday) % 7
        if self.kind == "full":
            return (d - date(self.year, self.month, self.day)).days
        for year in (d.year + 1, d.year, d.year - 1):  # the latest occurrence up to the day after
            try:
                at = date(year, self.month, self.day)
            except ValueError:
                continue
            if (at - d).days <= 1:
                if self.weekday >= 0 and at.weekday() != self.weekday:
                    return None  # "Tuesday, June 1" is not this year's June 1
                return (d - at).days
        return None


@dataclass
class Evidence:
    """An article's date mentions (votes)."""

    mentions: list[Mention] = field(default_factory=list)

    def anchor(self, limit: date) -> date | None:
        """Where an article alone is dated from (the week after it): the latest full date (with a year) it
        writes up to `limit`, or its yearless dateline ("KYIV, Nov 22 (Reuters) -") in the 90 days after it.
        Neither a bare year ("in 2010") nor another month-day is an anchor: on Timeline17, placing month-days
        in the latest year mentioned dated one article wrong (by more than a week) for each one it dated
        right."""
        full = [d for m in self.mentions if m.kind == "full" and (d := date(m.year, m.month, m.day)) <= limit]
        if not full:
            return None
        latest = max(full)
        for m in self.mentions:
            if m.kind == "monthday" and m.weight > 1:  # the dateline
                k = m.before(latest + timedelta(days=366))
                if k is not None:
                    at = latest + timedelta(days=366 - k)
                    if latest <= at <= min(limit, latest + timedelta(days=90)):
                        return at
        return latest


@dataclass(frozen=True)
class Estimate:
    """The most plausible publication day and the range of days about as plausible."""

    day: date
    low: date
    high: date
    # how much better the day scores than the best day more than a day away from it (log odds; infinite when
    # there is no such candidate): a small margin means the evidence does not single out one day
    margin: float = math.inf

    @property
    def range(self) -> tuple[date, date] | None:
        return (self.low, self.high) if self.low != self.high else None


def collect_evidence(
    text: str, skip: Sequence[tuple[int, int]] = (), dateline: tuple[int, int] | None = None
) -> Evidence:
    """The votes of a (cleaned) text: past or tenseless date mentions outside the `skip` spans (captions);
    a mention inside `dateline` weighs 3."""
    ev = Evidence()
    for tx in find_timexes(text, None):
        if tx.kind not in ("date", "time") or any(s <= tx.start < e for s, e in skip):
            continue
        if tense_hint(text, tx.start, tx.end) == "future":
            continue
        weight = 3.0 if dateline is not None and dateline[0] <= tx.start < dateline[1] else 1.0
        if m := _FULL_RX.fullmatch(tx.value):
            if _YEAR_RX.search(tx.text):
                ev.mentions.append(Mention("full", int(m.group(2)), int(m.group(3)), int(m.group(1)), weight=weight))
        elif m := _MONTHDAY_RX.fullmatch(tx.value):
            month, day = int(m.group(1)), int(m.group(2))
            if any(w.rstrip(".").lower() in MONTHS for w in tx.text.split()):
                w = _WEEKDAY_RX.search(tx.text)
                wd = WEEKDAYS[w.group(0).lower()] if w else -1
                ev.mentions.append(Mention("monthday", month, day, weekday=wd, weight=weight))
        elif (w := _WEEKDAY_RX.search(tx.text)) and not re.search(r"\d", tx.text):
            if _RELATIVE_OK.search(tx.text) and not re.search(r"\blast\b", tx.text, re.I):
                continue  # "next Tuesday", "this Friday": not a report of the last days
            ev.mentions.append(Mention("weekday", weekday=WEEKDAYS[w.group(0).lower()], weight=weight))
    return ev


def _vote(k: int | None) -> float:
    if k is None:
        return math.log(BACKGROUND)
    if k < -1:
        return math.log(AFTER)  # reported as past, yet after the publication day
    return math.log(BACKGROUND + NEAR.get(k, 0.0))


def estimate(
    ev: Evidence, prior: Sequence[tuple[date, float]] = (), *, limit: date | None = None,
    span: int = PRIOR_SPAN, scale: float = PRIOR_SCALE, floor: float = PRIOR_FLOOR,
) -> Estimate | None:
    """The publication day the evidence and the `prior` (days with weights) point to; None when there are
    no candidates (no prior and no day the article places in the calendar) or no mention votes and no prior.
    Candidate days reach `span` days around the prior's; a prior day's support falls off with `scale` days,
    to `floor` (relative) far from every prior day.
    """
    limit = limit or (date.today() + timedelta(days=2))
    if prior:
        lo = min(d for d, _ in prior) - timedelta(days=span)
        hi = min(max(d for d, _ in prior) + timedelta(days=span), limit)
        candidates = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    else:
        latest = ev.anchor(limit)
        if latest is None:
            return None
        candidates = [d for i in range(-1, 7) if (d := latest + timedelta(days=i)) <= limit]
    if not candidates:
        return None
    total = sum(w for _, w in prior)
    scored: list[tuple[float, date]] = []
    for d in candidates:
        score = sum(m.weight * KIND_WEIGHT[m.kind] * _vote(m.before(d)) for m in ev.mentions)
        if prior:
            support = sum(w * math.exp(-abs((d - p).days) / scale) for p, w in prior) / total
            score += math.log(floor + support)
        scored.append((score, d))
    best = max(s for s, _ in scored)
    near = [d for s, d in scored if s >= best - TIE]
    top = min(d for s, d in scored if s == best)
    rival = max((s for s, d in scored if abs((d - top).days) > 1), default=-math.inf)
    return Estimate(top, min(near), max(near), best - rival)
