"""Timelines from the store: who said what, when, grouped by date and event, with the evidence.

`build_timeline` returns a plain dict (the exporters in `saidwhen.export` render it):

```
{"title": str, "filters": {...}, "stats": {...},
 "dates": [{"date": "YYYY-MM-DD" | null, "total": int, "shown": int,
            "groups": [{"event": {"id", "title", "date", "place"} | null, "items": [item, ...]}]}]}
```

An item is one statement as said once: all the reports of it (statements sharing a `merged_id`, across
outlets and wordings) become one item "reported by N outlets" with every source (outlet, document id,
span, url). `document_id`, `start`, `end` of the item point at its primary evidence, so
`document.text[start:end]` contains what was said.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from saidwhen.store import ST_COLUMNS, ST_DOCUMENT_COLUMNS, Store, statement_filters
from saidwhen.store import queries as q
from saidwhen.store.search import fts_query

MAX_STATEMENTS = 50_000  # a bound on what one timeline (or one page of it) reads
CONTEXT_CHARS = 600  # at most this much source paragraph around the evidence, each side

_WORD = re.compile(r"\w+", re.UNICODE)


def build_timeline(
    store: Store,
    *,
    speaker: str | None = None,
    topic: str | None = None,
    event_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
    show_all: bool = False,
    per_date: int = 3,
    with_context: bool = False,
    include_undated: bool = True,
    limit: int | None = None,
    offset: int = 0,
    days: list[tuple[str | None, int]] | None = None,
) -> dict[str, Any]:
    """A chronological timeline of statements matching the filters.

    `topic` is free text: statements matching it (full-text search) plus the statements sharing a claim
    with a hit. Unless `show_all`, at most `per_date` of the most representative items are kept per date
    (most outlets, named speaker, confidence, length; near-repeats skipped). `with_context` adds the source
    paragraph around each item's evidence (`context`: before, match, after).

    Paging: with `limit`, one page of whole dates, starting at the `offset`-th date, holding about `limit`
    items (dates are added until their items reach `limit`; a date is never split). `page` says where the
    next page starts (`next_offset`, None on the last page) and how many dates there are. Only the page's
    statements are read. Without `limit`, every date. `days` is what `timeline_days` returned for the same
    filters, when the caller keeps it between pages.
    """
    filters = {"speaker": speaker, "topic": topic, "event_id": event_id, "since": since, "until": until}
    if days is None:
        days = timeline_days(store, **filters)
    if not include_undated:
        days = [(d, n) for d, n in days if d is not None]
    page_days, next_offset = _page_of_days(days, limit, offset, None if show_all else per_date)
    rows = {r["id"]: r for r in _rows_on_days(store, page_days, **filters)}
    # every report of a selected statement belongs to its item, even one the filters did not hit (another
    # outlet naming the speaker differently, a wording the search missed); item dates are filtered below.
    # Without filters every report of an item on these dates is selected already.
    merged_ids = {r["merged_id"] for r in rows.values() if r["merged_id"]}
    if any(filters.values()):
        for r in q.statements_where(store, "merged_id", merged_ids):
            rows.setdefault(r["id"], r)

    merged = store.merged_statements(merged_ids)
    wanted = set(page_days)
    items = [
        it
        for it in _items(list(rows.values()), merged)
        if it["date"] in wanted
        and (since is None or (it["date"] is not None and it["date"] >= since))
        and (until is None or (it["date"] is not None and it["date"] <= until))
    ]
    event_ids = {it["event_id"] for it in items if it["event_id"]}
    if event_id:
        event_ids.add(event_id)
    events = store.events_by_id(event_ids)
    claims = store.claims_by_id({it["claim_id"] for it in items if it["claim_id"]})
    for it in items:
        ev = events.get(it["event_id"] or "")
        it["event"] = _event_ref(ev) if ev else None
        cl = claims.get(it["claim_id"] or "")
        it["claim"] = {"id": cl["id"], "summary": cl["summary"], "statements": len(cl["statement_ids"])} if cl else None

    by_date: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
    for it in items:
        by_date[it["date"]].append(it)
    dates: list[dict[str, Any]] = []
    shown_items: list[dict[str, Any]] = []
    for day in sorted(by_date, key=lambda d: (d is None, d or "")):
        day_items = sorted(by_date[day], key=_rank_key)
        chosen = day_items if show_all else _representative(day_items, per_date)
        shown_items.extend(chosen)
        dates.append({"date": day, "total": len(day_items), "shown": len(chosen), "groups": _by_event(chosen)})
    if with_context:
        _add_context(store, shown_items)

    title = _title(speaker=speaker, topic=topic, event=events.get(event_id) if event_id else None,
                   since=since, until=until)  # fmt: skip
    return {
        "title": title,
        "filters": {"speaker": speaker, "topic": topic, "event_id": event_id, "since": since, "until": until,
                    "show_all": show_all, "per_date": per_date},  # fmt: skip
        "stats": {
            "statements": len(rows),
            "items": len(items),
            "shown": len(shown_items),
            "dates": sum(1 for d in dates if d["date"] is not None),
            "first": next((d["date"] for d in dates if d["date"]), None),
            "last": next((d["date"] for d in reversed(dates) if d["date"]), None),
        },
        "page": {"offset": offset, "limit": limit, "next_offset": next_offset, "dates_total": len(days)},
        "dates": dates,
    }


# ---- selecting a page -------------------------------------------------------------------------------

# the date an item stands under: its merged statement's date, else the statement's own (a statement without a
# merged group is an item alone); `_item` gives the same date, so a page's dates select exactly its items
_ITEM_DAY = "COALESCE(m.date, s.date)"


def timeline_days(
    store: Store,
    *,
    speaker: str | None = None,
    topic: str | None = None,
    event_id: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[tuple[str | None, int]]:
    """Every date of the timeline with these filters and its number of statements, in order (undated last)."""
    sql, args = _selection(speaker=speaker, topic=topic, event_id=event_id, since=since, until=until,
                           documents=bool(event_id))  # fmt: skip
    query = f"SELECT {_ITEM_DAY} AS day, COUNT(*) {sql} GROUP BY day ORDER BY day IS NULL, day"
    return [(r[0], r[1]) for r in store.conn.execute(query, args)]


def _selection(
    *,
    speaker: str | None,
    topic: str | None,
    event_id: str | None,
    since: str | None,
    until: str | None,
    documents: bool = True,
) -> tuple[str, list[Any]]:
    """FROM/WHERE (and bound values) of the statements a timeline selects; the documents joined as `d` when
    asked (always when a filter needs them)."""
    where, args = statement_filters(speaker=speaker, since=since, until=until, event_id=event_id)
    if topic and topic.strip():
        match = fts_query(topic)
        hits = "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ?"
        # a hit, or a statement of a claim a hit belongs to
        where.append(
            f"(s.rowid IN ({hits}) OR s.claim_id IN "
            f"(SELECT claim_id FROM statements WHERE claim_id IS NOT NULL AND rowid IN ({hits})))"
        )
        args += [match, match]
    where.append("1")  # so that more conditions can always follow with AND
    join = "JOIN documents d ON d.id = s.document_id " if documents or event_id else ""
    sql = f"FROM statements s {join}LEFT JOIN merged_statements m ON m.id = s.merged_id WHERE "
    return sql + " AND ".join(where), args


def _page_of_days(
    days: list[tuple[str | None, int]], limit: int | None, offset: int, per_date: int | None
) -> tuple[list[str | None], int | None]:
    """The dates of one page (whole dates from `offset` until about `limit` items) and the next offset."""
    if limit is None:
        return [d for d, _n in days[offset:]], None
    chosen: list[str | None] = []
    budget = 0
    end = offset
    for day, n in days[offset:]:
        if chosen and budget >= limit:
            break
        chosen.append(day)
        budget += n if per_date is None else min(n, per_date)
        end += 1
    return chosen, end if end < len(days) else None


def _rows_on_days(store: Store, days: list[str | None], **filters: Any) -> list[dict[str, Any]]:
    """The selected statements (with document fields) standing under `days` (sorted, undated last)."""
    sql, args = _selection(**filters)
    dated = [d for d in days if d is not None]
    parts = []
    if dated:
        # the first two alternatives use the indexes on `date` and `merged_id`; the last is the exact test
        parts.append(
            "((s.date BETWEEN ? AND ? OR s.merged_id IN (SELECT id FROM merged_statements WHERE date BETWEEN ? AND ?))"
            f" AND {_ITEM_DAY} BETWEEN ? AND ?)"
        )
        args += [dated[0], dated[-1]] * 3
    if len(dated) < len(days):
        parts.append(f"{_ITEM_DAY} IS NULL")
    if not parts:
        return []
    query = f"SELECT {ST_COLUMNS}, {ST_DOCUMENT_COLUMNS} {sql} AND ({' OR '.join(parts)}) LIMIT ?"
    return [dict(r) for r in store.conn.execute(query, (*args, MAX_STATEMENTS))]


def iter_items(timeline: dict[str, Any]) -> list[dict[str, Any]]:
    """The shown items of a timeline in order, each with its date block's date."""
    return [it for day in timeline["dates"] for group in day["groups"] for it in group["items"]]


# ---- building items ---------------------------------------------------------------------------------


def _items(rows: list[dict[str, Any]], merged: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r["merged_id"] or f"statement:{r['id']}"].append(r)
    return [_item(reports, merged.get(key)) for key, reports in groups.items()]


def _primary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The report that stands for the item: a named speaker (not an unnamed source), an original (not a
    reprint), confident, early."""
    return min(
        reports,
        key=lambda r: (
            r["speaker"] is None,
            (r["speaker"] or "").endswith(" (unnamed)"),
            r["duplicate_of"] is not None,
            -round(r["confidence"], 2),
            r["published"] or "9999",
            r["document_id"],
            r["start"],
        ),
    )


def _item(reports: list[dict[str, Any]], merged: dict[str, Any] | None) -> dict[str, Any]:
    main = _primary(reports)
    dates = sorted(r["date"] for r in reports if r["date"])
    day = (merged or {}).get("date") or (dates[0] if dates else None)
    speaker = (merged or {}).get("speaker") or main["speaker"]
    speaker_type = main.get("speaker_type") if speaker == main["speaker"] else None
    if speaker is None:
        first = next((r for r in reports if r["speaker"]), None)
        speaker, speaker_type = (first["speaker"], first.get("speaker_type")) if first else (None, None)
    sources = sorted(
        (
            {
                "statement_id": r["id"],
                "outlet": r["outlet"],
                "document_id": r["document_id"],
                "document_title": r["document_title"],
                "url": r["url"],
                "published": r["published"],
                "start": r["start"],
                "end": r["end"],
                "text": r["text"],
                "kind": r["kind"],
                "cue": r["cue"],
                "speaker_mention": r["speaker_mention"],
                "duplicate_of": r["duplicate_of"],
            }
            for r in reports
        ),
        key=lambda s: (s["published"] or "9999", (s["outlet"] or "").casefold(), s["document_id"], s["start"]),
    )
    outlets = sorted({s["outlet"] for s in sources if s["outlet"]}, key=str.casefold)
    reported_by = len(outlets) or len({s["document_id"] for s in sources})
    claim_id = main["claim_id"] or next((r["claim_id"] for r in reports if r["claim_id"]), None)
    event_id = main["event_id"] or next((r["event_id"] for r in reports if r["event_id"]), None)
    return {
        "id": main["merged_id"] or main["id"],
        "merged_id": main["merged_id"],
        "statement_id": main["id"],
        "date": day,
        "date_from": main["date_from"],
        "speaker": speaker,
        "speaker_type": speaker_type,
        "speaker_mention": main["speaker_mention"],
        "text": (merged or {}).get("text") or main["text"],
        "kind": main["kind"],
        "cue": main["cue"],
        "confidence": round(max(r["confidence"] for r in reports), 3),
        "claim_id": claim_id,
        "event_id": event_id,
        "document_id": main["document_id"],
        "start": main["start"],
        "end": main["end"],
        "url": main["url"],
        "outlet": main["outlet"],
        "reported_by": reported_by,
        "outlets": outlets,
        "statement_ids": [s["statement_id"] for s in sources],
        "sources": sources,
    }


def _event_ref(ev: dict[str, Any]) -> dict[str, Any]:
    return {"id": ev["id"], "title": ev["title"], "date": ev["date"], "place": ev["place"]}


def _rank_key(it: dict[str, Any]) -> tuple[Any, ...]:
    """Most representative first: most outlets, a named speaker, confident, substantial, direct."""
    length = len(it["text"] or "")
    substance = min(length, 240) if length >= 20 else length / 4
    return (
        -it["reported_by"],
        it["speaker"] is None,
        -round(it["confidence"], 1),
        it["kind"] != "direct",
        -substance,
        it["id"],
    )


def _tokens(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _representative(items: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """Up to `k` items in rank order, skipping near-repeats of an already chosen one (word Jaccard > 0.6)
    and preferring speakers not yet shown while others are left."""
    if k <= 0:
        return []
    chosen: list[dict[str, Any]] = []
    seen_tokens: list[set[str]] = []
    speakers: set[str | None] = set()
    rest: list[dict[str, Any]] = []
    for it in items:
        toks = _tokens(it["text"] or "")
        if any(_jaccard(toks, other) > 0.6 for other in seen_tokens):
            continue
        if it["speaker"] in speakers:
            rest.append(it)
            continue
        chosen.append(it)
        seen_tokens.append(toks)
        speakers.add(it["speaker"])
        if len(chosen) == k:
            break
    for it in rest:  # then more from the same speakers, still no near-repeats
        if len(chosen) >= k:
            break
        toks = _tokens(it["text"] or "")
        if any(_jaccard(toks, other) > 0.6 for other in seen_tokens):
            continue
        chosen.append(it)
        seen_tokens.append(toks)
    return sorted(chosen, key=_rank_key)


def _jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _by_event(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for it in items:
        groups.setdefault(it["event_id"] if it["event"] else None, []).append(it)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] is None, min(_rank_key(i) for i in kv[1])))
    return [{"event": items_[0]["event"] if key else None, "items": items_} for key, items_ in ordered]


def _title(
    *, speaker: str | None, topic: str | None, event: dict[str, Any] | None, since: str | None, until: str | None
) -> str:
    parts = []
    if speaker:
        parts.append(speaker)
    if topic:
        parts.append(f"“{topic.strip()}”")
    if event:
        parts.append(event["title"])
    if since or until:
        parts.append(f"{since or '…'} – {until or '…'}")
    return "Timeline: " + " · ".join(parts) if parts else "Timeline"


# ---- evidence context -------------------------------------------------------------------------------


def source_context(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> dict[str, str | int]:
    """The paragraph of `text` holding [start, end): {before, match, after, offset}, cut at `limit` chars."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    para_start = max(para_start, start - limit)
    para_end = min(para_end, end + limit)
    return {
        "before": text[para_start:start],
        "match": text[start:end],
        "after": text[end:para_end],
        "offset": para_start,
    }


def _add_context(store: Store, items: list[dict[str, Any]]) -> None:
    texts = store.document_texts({it["document_id"] for it in items})
    for it in items:
        text = texts.get(it["document_id"])
        it["context"] = source_context(text, it["start"], it["end"]) if text is not None else None



def heading_place(ev: dict[str, Any]) -> str | None:
    """The place to show after an event's title in a heading: none when the title already names it
    (titles are headline, place and date: "Holm: Norvalia will join — Riga, 10 April 2024")."""
    place = ev.get("place")
    return place if place and place not in (ev.get("title") or "") else None
