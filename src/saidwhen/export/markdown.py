"""Markdown: a heading per date, the key statements as bullets with their sources."""

from __future__ import annotations

import re
from typing import Any

from saidwhen.timeline import heading_place

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_SPACE = re.compile(r"\s+")


def md_escape(text: str | None) -> str:
    """Inline text made inert: whitespace folded, Markdown and HTML syntax backslash-escaped."""
    text = _SPACE.sub(" ", text or "").strip()
    return _SPECIAL.sub(r"\\\1", text).replace("&", "&amp;")


def _link(label: str, url: str | None) -> str:
    if url and re.match(r"https?://", url, re.IGNORECASE) and not re.search(r"[\s()<>]", url):
        return f"[{label}]({url})"
    return label


def timeline_markdown(timeline: dict[str, Any]) -> str:
    lines = [f"# {md_escape(timeline['title'])}", ""]
    stats = timeline["stats"]
    lines.append(
        f"{stats['shown']} of {stats['items']} statements, {stats['dates']} dates"
        + (f", {stats['first']} to {stats['last']}" if stats["first"] else "")
        + "."
    )
    for day in timeline["dates"]:
        lines += ["", f"## {day['date'] or 'Undated'}", ""]
        for group in day["groups"]:
            if group["event"]:
                ev = group["event"]
                place = heading_place(ev)
                lines += [f"### {md_escape(ev['title'])}" + (f" ({md_escape(place)})" if place else ""), ""]
            for it in group["items"]:
                who = md_escape(it["speaker"] or f"unattributed ({it['speaker_mention'] or 'unknown'})")
                quote = md_escape(it["text"])
                said = f"“{quote}”" if it["kind"] == "direct" else quote
                n = it["reported_by"]
                lines.append(f"- **{who}**: {said}  ")
                lines.append(f"  reported by {n} outlet{'s' if n != 1 else ''}: " + "; ".join(
                    _link(md_escape(s["outlet"] or "unknown outlet"), s["url"])
                    + f" (`{s['document_id']}` {s['start']}–{s['end']})"
                    for s in it["sources"]
                ))  # fmt: skip
                if it.get("claim"):
                    lines.append(f"  claim: {md_escape(it['claim']['summary'])} (`{it['claim']['id']}`)")
        hidden = day["total"] - day["shown"]
        if hidden > 0:
            lines += ["", f"_{hidden} more statement{'s' if hidden != 1 else ''} on this date (use --all)._"]
    return "\n".join(lines) + "\n"
