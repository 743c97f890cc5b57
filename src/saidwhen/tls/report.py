"""A summary timeline as a plain dict (with the source of every sentence) and as Markdown, JSON or CSV.

```
{"title": str, "kind": "summary", "filters": {...}, "stats": {"documents", "sentences", "dates", "first", "last"},
 "dates": [{"date": "YYYY-MM-DD", "score": float,
            "sentences": [{"text", "document_id", "start", "end", "date_from", "published", "outlet",
                           "document_title", "url", "statement_ids"}]}]}
```
`document.text[start:end]` is the sentence as it appears in the article (the evidence; `text` is that span with
its whitespace folded); `date_from` says
why it stands under its date: "text" (it mentions the date) or "published" (its article appeared that day).
"""

from __future__ import annotations

import json
from typing import Any

from saidwhen.export.csvout import csv_text
from saidwhen.export.markdown import md_escape
from saidwhen.model import Document
from saidwhen.tls.summary import TimelineDate, TimelineSentence

SUMMARY_FORMATS = ("md", "json", "csv")
CSV_COLUMNS = ["date", "text", "document_id", "start", "end", "date_from", "published", "outlet", "document_title",
               "url", "statement_ids"]  # fmt: skip


def _sentence(s: TimelineSentence, doc: Document | None) -> dict[str, Any]:
    return {
        "text": " ".join(doc.text[s.start : s.end].split()) if doc else s.text,  # as the source has it
        "document_id": s.document_id,
        "start": s.start,
        "end": s.end,
        "date_from": s.date_from,
        "published": s.published.isoformat(),
        "outlet": doc.outlet if doc else None,
        "document_title": doc.title if doc else None,
        "url": doc.url if doc else None,
        "statement_ids": list(s.statement_ids),
    }


def summary_dict(dates: list[TimelineDate], docs: list[Document], filters: dict[str, Any],
                 n_sentences: int) -> dict[str, Any]:  # fmt: skip
    by_id = {d.id: d for d in docs}
    title = "Summary timeline" + (f": “{filters['topic'].strip()}”" if filters.get("topic") else "")
    return {
        "title": title,
        "kind": "summary",
        "filters": filters,
        "stats": {
            "documents": len(docs),
            "sentences": n_sentences,
            "dates": len(dates),
            "first": dates[0].date.isoformat() if dates else None,
            "last": dates[-1].date.isoformat() if dates else None,
        },
        "dates": [
            {
                "date": td.date.isoformat(),
                "score": round(td.score, 3),
                "sentences": [_sentence(s, by_id.get(s.document_id)) for s in td.sentences],
            }
            for td in dates
        ],
    }


def summary_markdown(result: dict[str, Any]) -> str:
    stats = result["stats"]
    lines = [f"# {md_escape(result['title'])}", ""]
    lines.append(
        f"{stats['dates']} dates summarised from {stats['documents']} articles"
        + (f", {stats['first']} to {stats['last']}" if stats["first"] else "")
        + "."
    )
    for day in result["dates"]:
        lines += ["", f"## {day['date']}", ""]
        for s in day["sentences"]:
            why = "mentions the date" if s["date_from"] == "text" else "published that day"
            source = md_escape(s["outlet"] or s["document_title"] or "article")
            lines.append(f"- {md_escape(s['text'])}  ")
            lines.append(
                f"  {source}, published {s['published']} ({why}): `{s['document_id']}` {s['start']}–{s['end']}"
            )
    return "\n".join(lines) + "\n"


def summary_json(result: dict[str, Any]) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def summary_csv(result: dict[str, Any]) -> str:
    rows = (
        {**s, "date": day["date"], "statement_ids": " ".join(s["statement_ids"])}
        for day in result["dates"]
        for s in day["sentences"]
    )
    return csv_text(rows, CSV_COLUMNS)


def render_summary(result: dict[str, Any], fmt: str) -> str:
    renderers = {"md": summary_markdown, "json": summary_json, "csv": summary_csv}
    if fmt not in renderers:
        raise ValueError(f"unknown summary format {fmt!r}; use {', '.join(SUMMARY_FORMATS)}")
    return renderers[fmt](result)
