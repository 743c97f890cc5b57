"""Exports of timelines and of the store: JSON, CSV, Markdown, a standalone HTML report, TimelineJS JSON.

Every renderer takes the dict of `saidwhen.timeline.build_timeline` and returns text; `store_json`
dumps the store in the published schema (docs/schema.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from saidwhen.export.csvout import timeline_csv
from saidwhen.export.htmlreport import timeline_html
from saidwhen.export.jsonout import store_json, timeline_json
from saidwhen.export.markdown import timeline_markdown
from saidwhen.export.timelinejs import timeline_timelinejs, timelinejs_dict

FORMATS: dict[str, Callable[[dict[str, Any]], str]] = {
    "json": timeline_json,
    "csv": timeline_csv,
    "md": timeline_markdown,
    "html": timeline_html,
    "timelinejs": timeline_timelinejs,
}

__all__ = [
    "FORMATS",
    "render",
    "store_json",
    "timeline_csv",
    "timeline_html",
    "timeline_json",
    "timeline_markdown",
    "timeline_timelinejs",
    "timelinejs_dict",
]


def render(timeline: dict[str, Any], fmt: str) -> str:
    """The timeline in format `fmt` (json, csv, md, html, timelinejs)."""
    try:
        return FORMATS[fmt](timeline)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}") from None
