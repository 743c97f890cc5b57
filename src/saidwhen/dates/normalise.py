"""Calendar arithmetic and TimeML value formatting for the tagger."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Literal

from .lexicon import NUMBERS

Granularity = Literal["day", "week", "month", "year", "other"]
Tense = Literal["past", "future"] | None

# a day-month without year and without tense cue that falls this close after the anchor is read as upcoming
NEAR_FUTURE_DAYS = 60
NEAR_FUTURE_MONTHS = 3


def day_value(d: date) -> str:
    return d.isoformat()


def week_value(d: date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def month_value(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def quarter_of(d: date) -> int:
    return (d.month - 1) // 3 + 1


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def shift_date(d: date, n: int, unit: str) -> date:
    """Shift a date by n units (day, week, month, year); months clamp the day."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(weeks=n)
    if unit in ("month", "year", "quarter", "decade"):
        months = n * {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit]
        y, m = add_months(d.year, d.month, months)
        return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))
    raise ValueError(unit)


def unit_value(d: date, unit: str) -> str:
    """The value of the calendar unit (day, week, month, quarter, year, decade) containing d."""
    if unit == "day":
        return day_value(d)
    if unit == "week":
        return week_value(d)
    if unit == "weekend":
        return week_value(d) + "-WE"
    if unit == "month":
        return month_value(d.year, d.month)
    if unit == "quarter":
        return f"{d.year:04d}-Q{quarter_of(d)}"
    if unit == "year":
        return f"{d.year:04d}"
    if unit == "decade":
        return f"{d.year // 10:03d}"
    if unit == "century":
        return f"{d.year // 100:02d}"
    raise ValueError(unit)


def granularity_of(value: str) -> Granularity:
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T.*)?", value):
        return "day"
    if re.fullmatch(r"\d{4}-W\d{2}(-WE)?", value):
        return "week"
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return "month"
    if re.fullmatch(r"\d{4}", value):
        return "year"
    return "other"


def parse_number(word: str) -> int | float | None:
    """'two' -> 2, 'twenty-four' -> 24, '3' -> 3, 'a' -> 1; vague words -> None."""
    w = word.lower().strip()
    if w in NUMBERS:
        return NUMBERS[w]
    try:
        f = float(w)
        return int(f) if f.is_integer() else f
    except ValueError:
        pass
    parts = re.split(r"[- ]", w)
    if len(parts) == 2 and parts[0] in NUMBERS and parts[1] in NUMBERS:
        return NUMBERS[parts[0]] + NUMBERS[parts[1]]
    return None


def safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def resolve_month_day(m: int, d: int, anchor: date | None, tense: Tense) -> str:
    """A day without year: the most recent on/before the anchor, or the next one for future tense."""
    if anchor is None:
        return f"XXXX-{m:02d}-{d:02d}"
    cands = [c for c in (safe_date(anchor.year + k, m, d) for k in (-1, 0, 1)) if c is not None]
    if not cands:
        return f"XXXX-{m:02d}-{d:02d}"
    fut = [c for c in cands if c >= anchor]
    if fut and (tense == "future" or (tense is None and (min(fut) - anchor).days <= NEAR_FUTURE_DAYS)):
        return day_value(min(fut))
    past = [c for c in cands if c <= anchor]
    return day_value(max(past) if past else min(cands))


def resolve_month(m: int, anchor: date | None, tense: Tense, rel: str | None = None) -> str:
    """A month name without year ('in March', 'last March', 'next March')."""
    if anchor is None:
        return f"XXXX-{m:02d}"
    y = anchor.year
    if rel == "last" or rel == "past":
        return month_value(y if m < anchor.month else y - 1, m)
    if rel in ("next", "coming"):
        return month_value(y if m > anchor.month else y + 1, m)
    if rel == "this":
        return month_value(y, m)
    ahead = (m - anchor.month) % 12
    if tense == "future" or (tense is None and 0 < ahead <= NEAR_FUTURE_MONTHS):
        return month_value(y if m >= anchor.month else y + 1, m)
    return month_value(y if m <= anchor.month else y - 1, m)


def resolve_weekday(wd: int, anchor: date | None, tense: Tense, rel: str | None = None) -> date | None:
    """Nearest such weekday on/before the anchor; on/after for future tense; strict for last/next."""
    if anchor is None:
        return None
    back = (anchor.weekday() - wd) % 7
    fwd = (wd - anchor.weekday()) % 7
    if rel in ("last", "previous", "past"):
        return anchor - timedelta(days=back or 7)
    if rel in ("next", "coming", "following"):
        return anchor + timedelta(days=fwd or 7)
    if rel == "this":
        return anchor + timedelta(days=fwd) if tense == "future" else anchor - timedelta(days=back)
    if tense == "future":
        return anchor + timedelta(days=fwd)
    return anchor - timedelta(days=back)


def resolve_season(code: str, anchor: date | None, rel: str | None, tense: Tense) -> str:
    if anchor is None:
        return f"XXXX-{code}"
    y = anchor.year
    # the year of the season that contains the anchor (winter spans the year boundary: Dec counts next year)
    cur = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(anchor.month, "FA")
    order = ["WI", "SP", "SU", "FA"]
    cur_idx = order.index(cur)
    idx = order.index(code)
    cur_y = y + 1 if anchor.month == 12 else y
    if rel in ("last", "past", "previous"):
        yy = cur_y if idx < cur_idx else cur_y - 1
    elif rel in ("next", "coming"):
        yy = cur_y if idx > cur_idx else cur_y + 1
    elif rel == "this":
        yy = cur_y
    elif tense == "future":
        yy = cur_y if idx >= cur_idx else cur_y + 1
    else:
        yy = cur_y if idx <= cur_idx else cur_y - 1
    return f"{yy:04d}-{code}"
