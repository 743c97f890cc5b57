"""TimelineJS (Knight Lab) JSON: `{"title": slide, "events": [slide, ...]}`.

TimelineJS renders `headline` and `text` as HTML, so every value from the data is escaped here.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from saidwhen.timeline import iter_items


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _date(day: str) -> dict[str, int]:
    y, m, d = (int(x) for x in day.split("-"))
    return {"year": y, "month": m, "day": d}


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def timelinejs_dict(timeline: dict[str, Any]) -> dict[str, Any]:
    stats = timeline["stats"]
    events = []
    for it in iter_items(timeline):
        if not it["date"]:
            continue  # TimelineJS needs a start date
        who = it["speaker"] or "Unattributed"
        quote = f"“{it['text']}”" if it["kind"] == "direct" else it["text"]
        sources = []
        for s in it["sources"]:
            label = _e(s["outlet"] or "unknown outlet")
            url = s["url"] if s["url"] and re.match(r"https?://", s["url"], re.IGNORECASE) else None
            link = f'<a href="{_e(url)}">{label}</a>' if url else label
            sources.append(f"<li>{link} <code>{_e(s['document_id'])}</code> [{int(s['start'])}:{int(s['end'])}]</li>")
        n = it["reported_by"]
        text = (
            f"<blockquote>{_e(quote)}</blockquote>"
            f"<p>Reported by {n} outlet{'s' if n != 1 else ''}:</p><ul>{''.join(sources)}</ul>"
        )
        event: dict[str, Any] = {
            "start_date": _date(it["date"]),
            "text": {"headline": _e(f"{who}: {_short(it['text'], 70)}"), "text": text},
            "group": _e(who),
            "unique_id": re.sub(r"[^A-Za-z0-9_-]", "-", str(it["id"])),
        }
        if it.get("event"):
            event["text"]["text"] = f"<p><em>{_e(it['event']['title'])}</em></p>" + text
        events.append(event)
    span = f"{stats['first']} to {stats['last']}" if stats["first"] else "no dated statements"
    return {
        "title": {"text": {"headline": _e(timeline["title"]),
                           "text": f"<p>{stats['shown']} statements, {_e(span)}</p>"}},  # fmt: skip
        "events": events,
    }


def timeline_timelinejs(timeline: dict[str, Any]) -> str:
    return json.dumps(timelinejs_dict(timeline), ensure_ascii=False, indent=2) + "\n"
