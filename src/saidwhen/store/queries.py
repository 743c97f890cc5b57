"""Read queries for timelines, search and the HTTP API, as functions over a `Store`.

Like the `Store` reads they return plain dicts and bind every user value as a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from saidwhen.store import ST_COLUMNS, Store, chunked, document_filters, statement_filters
from saidwhen.store import ST_DOCUMENT_COLUMNS as _DOC_EXTRA
from saidwhen.store.search import fts_query


def statements_where(
    store: Store,
    column: str,
    values: Iterable[str],
) -> list[dict[str, Any]]:
    """Statements (with document fields) whose `column` (id, merged_id, claim_id, document_id) is in `values`."""
    if column not in ("id", "merged_id", "claim_id", "document_id"):
        raise ValueError(f"not a statement key column: {column}")
    out: list[dict[str, Any]] = []
    for chunk in chunked(values):
        marks = ",".join("?" * len(chunk))
        sql = (
            f"SELECT {ST_COLUMNS}, {_DOC_EXTRA} FROM statements s JOIN documents d ON d.id = s.document_id "
            f"WHERE s.{column} IN ({marks})"
        )
        out.extend(dict(r) for r in store.conn.execute(sql, chunk))
    out.sort(
        key=lambda r: (r["date"] is None, r["date"] or "", r["published"] or "", r["document_id"], r["start"])
    )
    return out


def filtered_statements(
    store: Store,
    *,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
    event_id: str | None = None,
    outlet: str | None = None,
    query: str | None = None,
    limit: int = 100_000,
) -> list[dict[str, Any]]:
    """Statements with document fields (outlet, published, event_id, ...): `Store.statements` with a large limit."""
    return store.statements(
        speaker=speaker, since=since, until=until, event_id=event_id, outlet=outlet, query=query, limit=limit
    )


def claim_history(store: Store, claim_id: str) -> list[dict[str, Any]]:
    """The statements of a claim, oldest first: those linked by `claim_id` plus those the claim lists."""
    rows = {r["id"]: r for r in statements_where(store, "claim_id", [claim_id])}
    claim = store.claim(claim_id)
    if claim:
        missing = [i for i in claim["statement_ids"] if i not in rows]
        rows.update((r["id"], r) for r in statements_where(store, "id", missing))
    return sorted(
        rows.values(),
        key=lambda r: (
            r["date"] is None,
            r["date"] or "",
            r["published"] or "",
            r["document_id"],
            r["start"],
        ),
    )


def search(
    store: Store,
    query: str,
    *,
    speaker: str | None = None,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 20,
    offset: int = 0,
    kinds: tuple[str, ...] = ("statement", "document"),
    collapse: bool = True,
    language: str | None = None,
) -> list[dict[str, Any]]:
    """Statements and articles matching `query`, ranked together by BM25 (best first).

    Statement hits: their text, speaker or mention match; article hits: title or cleaned text. `speaker`
    keeps statements by that speaker and articles that quote them; dates are when a statement was said
    and when an article was published. With `collapse`, the reports of one statement in several outlets
    (same `merged_id`) are one hit, with `reports` counting them.

    Ranking reads only ids and scores; the hits of the page are then read whole, with their snippets, so a
    query matching most of the store costs little more than one matching a few rows.
    """
    fetch = (limit + offset) * (4 if collapse else 1)  # collapsing drops reports of a statement already hit
    match = fts_query(query)
    ranked: list[dict[str, Any]] = []
    if "statement" in kinds:
        where, args = statement_filters(speaker=speaker, since=since, until=until, outlet=outlet, language=language)
        join = " JOIN documents d ON d.id = s.document_id" if any("d." in w for w in where) else ""
        sql = (
            "SELECT s.rowid AS rowid, s.id AS id, s.merged_id AS merged_id, bm25(statements_fts, 4.0, 1.0, 1.0) AS bm25 "
            f"FROM statements_fts JOIN statements s ON s.rowid = statements_fts.rowid{join} "
            "WHERE statements_fts MATCH ?"
        )
        sql += "".join(f" AND {w}" for w in where) + " ORDER BY bm25 LIMIT ?"
        ranked += [{"type": "statement", "rowid": r["rowid"], "id": r["id"], "merged_id": r["merged_id"],
                    "score": round(-r["bm25"], 4)} for r in store.conn.execute(sql, (match, *args, fetch))]  # fmt: skip
    if "document" in kinds:
        where, args = document_filters(outlet=outlet, since=since, until=until, language=language)
        if speaker:
            where.append(
                "EXISTS (SELECT 1 FROM statements s WHERE s.document_id = d.id "
                "AND (s.speaker = ? COLLATE NOCASE OR s.speaker_mention = ? COLLATE NOCASE))"
            )
            args += [speaker, speaker]
        sql = (
            "SELECT d.rowid AS rowid, d.id AS id, bm25(documents_fts, 2.0, 1.0) AS bm25 "
            "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ?"
        )
        sql += "".join(f" AND {w}" for w in where) + " ORDER BY bm25 LIMIT ?"
        ranked += [{"type": "document", "rowid": r["rowid"], "id": r["id"], "score": round(-r["bm25"], 4)}
                   for r in store.conn.execute(sql, (match, *args, fetch))]  # fmt: skip
    # statements first on ties: they are what the tool is about
    ranked.sort(key=lambda r: (-r["score"], r["type"] != "statement", r["id"]))
    if collapse:  # one hit per statement said: the best-ranked report stands for the others
        seen: dict[str, dict[str, Any]] = {}
        kept = []
        for r in ranked:
            key = r.get("merged_id")
            if r["type"] == "statement" and key:
                if key in seen:
                    seen[key]["reports"] += 1
                    continue
                seen[key] = r
            if r["type"] == "statement":
                r["reports"] = 1
            kept.append(r)
        ranked = kept
    return _hit_rows(store, match, ranked[offset : offset + limit])


_HIT_SQL = {
    "statement": (
        f"SELECT s.rowid AS rowid, {ST_COLUMNS}, {_DOC_EXTRA}, "
        "snippet(statements_fts, 0, '[', ']', '…', 24) AS snippet FROM statements_fts "
        "JOIN statements s ON s.rowid = statements_fts.rowid JOIN documents d ON d.id = s.document_id "
        "WHERE statements_fts MATCH ? AND statements_fts.rowid IN ({})"
    ),
    "document": (
        "SELECT d.rowid AS rowid, d.id, d.title, d.url, d.outlet, d.published, d.published_from, d.duplicate_of, "
        "d.event_id, snippet(documents_fts, 1, '[', ']', '…', 24) AS snippet "
        "FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid "
        "WHERE documents_fts MATCH ? AND documents_fts.rowid IN ({})"
    ),
}


def _hit_rows(store: Store, match: str, hits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ranked `hits` (type, rowid, score, reports) read whole, with their snippets, in the same order."""
    full: dict[tuple[str, int], dict[str, Any]] = {}
    for kind, sql in _HIT_SQL.items():
        rowids = [h["rowid"] for h in hits if h["type"] == kind]
        if rowids:
            for r in store.conn.execute(sql.format(",".join("?" * len(rowids))), (match, *rowids)):
                full[(kind, r["rowid"])] = dict(r)
    out = []
    for h in hits:
        row = full.get((h["type"], h["rowid"]))
        if row is None:  # deleted between the two reads
            continue
        row.pop("rowid")
        extra = {"reports": h["reports"]} if "reports" in h else {}
        out.append({"type": h["type"], "score": h["score"], **row, **extra})
    return out
