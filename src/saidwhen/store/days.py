"""Date filters: a user's `YYYY-MM-DD` checked as a calendar day and returned in the store's own form.

The store keeps dates as ISO `YYYY-MM-DD` text, so once a filter is a valid day in that exact form, text
order is date order. Anything else (`2024-13-45`, `2024-3-5`, `yesterday`) is refused with one clear message.
"""

from __future__ import annotations

import re
from datetime import date

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_day(value: str) -> str:
    """`value` as the ISO day it names; `ValueError` (a message fit for a user) when it names none."""
    text = value.strip()
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD, a real calendar day)") from None


def optional_day(value: str | None) -> str | None:
    """`iso_day` for an optional filter: None and "" stay None."""
    return iso_day(value) if value else None
