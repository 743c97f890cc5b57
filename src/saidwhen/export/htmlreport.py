"""A standalone HTML report: one file, inline CSS, no scripts, no external assets; every value escaped."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from saidwhen.timeline import heading_place

_CSS = """
:root { color-scheme: light; --ink:#1d232b; --muted:#5b6673; --line:#d9dee4; --accent:#0b5cad; --mark:#ffe58a; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.meta { color: var(--muted); margin: 0 0 1.5rem; }
section.day { border-left: 3px solid var(--accent); padding-left: 1rem; margin: 0 0 1.5rem; }
h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
h3 { font-size: 1rem; margin: .75rem 0 .25rem; color: var(--muted); }
article { border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; margin: .5rem 0; }
.who { font-weight: 600; }
.quote { margin: .25rem 0; font-size: 1.05rem; }
.evidence { background: #f6f8fa; border-radius: 4px; padding: .4rem .6rem; color: var(--muted);
            white-space: pre-wrap; font-size: .9rem; }
mark { background: var(--mark); color: var(--ink); }
.sources { font-size: .88rem; color: var(--muted); margin: .35rem 0 0; padding-left: 1.1rem; }
.sources code, .claim code { font-size: .82rem; }
.claim { font-size: .88rem; margin: .25rem 0 0; }
.more { color: var(--muted); font-style: italic; }
a { color: var(--accent); }
"""


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _safe_url(url: str | None) -> str | None:
    return url if url and re.match(r"https?://", url, re.IGNORECASE) else None


def _item(it: dict[str, Any]) -> str:
    who = it["speaker"] or f"Unattributed ({it['speaker_mention'] or 'unknown'})"
    quote = f"“{it['text']}”" if it["kind"] == "direct" else it["text"]
    parts = [
        f'<article id="{_e(it["id"])}">',
        f'<div><span class="who">{_e(who)}</span> <span class="meta">· {_e(it["kind"])} · '
        f"confidence {it['confidence']:.2f}</span></div>",
        f'<p class="quote">{_e(quote)}</p>',
    ]
    ctx = it.get("context")
    if ctx:
        parts.append(
            f'<div class="evidence">{_e(ctx["before"])}<mark>{_e(ctx["match"])}</mark>{_e(ctx["after"])}</div>'
        )
    n = it["reported_by"]
    parts.append(f'<ul class="sources" aria-label="reported by {n} outlets">')
    for s in it["sources"]:
        label = _e(s["outlet"] or "unknown outlet")
        url = _safe_url(s["url"])
        name = f'<a href="{_e(url)}" rel="noopener noreferrer">{label}</a>' if url else label
        title = f" — {_e(s['document_title'])}" if s.get("document_title") else ""
        parts.append(
            f"<li>{name}{title} <code>{_e(s['document_id'])}</code> [{int(s['start'])}:{int(s['end'])}]</li>"
        )
    parts.append("</ul>")
    if it.get("claim"):
        cl = it["claim"]
        parts.append(f'<p class="claim">Claim: {_e(cl["summary"])} <code>{_e(cl["id"])}</code></p>')
    parts.append("</article>")
    return "\n".join(parts)


def timeline_html(timeline: dict[str, Any]) -> str:
    stats = timeline["stats"]
    span = f", {stats['first']} to {stats['last']}" if stats["first"] else ""
    body = [
        f"<h1>{_e(timeline['title'])}</h1>",
        f'<p class="meta">{stats["shown"]} of {stats["items"]} statements on {stats["dates"]} dates{_e(span)}. '
        "Each statement links to its evidence: document id and character span.</p>",
    ]
    for day in timeline["dates"]:
        body.append(f'<section class="day"><h2>{_e(day["date"] or "Undated")}</h2>')
        for group in day["groups"]:
            ev = group["event"]
            if ev:
                place = heading_place(ev)
                body.append(f"<h3>{_e(ev['title'])}" + (f" ({_e(place)})" if place else "") + "</h3>")
            body.extend(_item(it) for it in group["items"])
        hidden = day["total"] - day["shown"]
        if hidden > 0:
            body.append(f'<p class="more">{hidden} more statement{"s" if hidden != 1 else ""} on this date.</p>')
        body.append("</section>")
    if not timeline["dates"]:
        body.append('<p class="more">No statements match.</p>')
    return (
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{_e(timeline['title'])}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
