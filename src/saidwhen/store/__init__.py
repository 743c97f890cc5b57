"""The embedded store: one SQLite file (WAL: one writer, concurrent readers) with FTS5 search.

Writes take dataclasses; reads return the plain dicts of the published schema (docs/schema.md).
All SQL is parameterised; user text only ever reaches SQLite as a bound value.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from saidwhen.model import Claim, Document, Event, MergedStatement, Statement
from saidwhen.serialize import interval, iso
from saidwhen.store.days import optional_day
from saidwhen.store.schema import SCHEMA_VERSION, SchemaTooNewError, migrate
from saidwhen.store.search import fts_query

__all__ = ["Store", "SchemaTooNewError", "SCHEMA_VERSION", "DEFAULT_DB"]

DEFAULT_DB = "saidwhen.db"

_DOC_COLUMNS = (
    "id, source_key, source_path, line, title, url, outlet, language, published, published_from, "
    "published_range, duplicate_of, event_id"
)
ST_COLUMNS = (
    's.id, s.document_id, s.speaker, s.speaker_mention, s.text, s.kind, s.cue, s.start, s."end", '
    "s.confidence, s.date, s.date_from, s.claim_id, s.merged_id, s.speaker_type"
)
# what a statement row carries about its document, beyond the schema fields
ST_DOCUMENT_COLUMNS = (
    "d.outlet AS outlet, d.title AS document_title, d.url AS url, d.published AS published, "
    "d.event_id AS event_id, d.duplicate_of AS duplicate_of"
)


def statement_filters(
    *,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    document_id: str | None = None,
    event_id: str | None = None,
    claim_id: str | None = None,
    language: str | None = None,
    kind: str | None = None,
    speaker_type: str | None = None,
) -> tuple[list[str], list[Any]]:
    """WHERE clauses (over `statements s JOIN documents d`) and their bound values."""
    where: list[str] = []
    args: list[Any] = []
    if speaker:
        where.append("(s.speaker = ? COLLATE NOCASE OR s.speaker_mention = ? COLLATE NOCASE)")
        args += [speaker, speaker]
    for clause, value in (
        ("s.date >= ?", optional_day(since)),
        ("s.date <= ?", optional_day(until)),
        ("d.outlet = ? COLLATE NOCASE", outlet),
        ("s.document_id = ?", document_id),
        ("d.event_id = ?", event_id),
        ("s.claim_id = ?", claim_id),
        ("d.language = ? COLLATE NOCASE", language),
        ("s.kind = ?", kind),
        ("s.speaker_type = ?", speaker_type),
    ):
        if value:
            where.append(clause)
            args.append(value)
    return where, args


_EVENT_COLUMNS = "id, date, title, place"
_CLAIM_COLUMNS = "id, summary"
_MERGED_COLUMNS = "id, speaker, text, date"
# Members of a group, as (group id, member id) rows in the published order. Membership is stored once, in
# the members' own rows, so that adding a member never rewrites its group's record.
_MEMBERS: dict[str, tuple[str, str]] = {
    # an event's articles, in order of ingest
    "events": ("document_ids", "SELECT event_id, id FROM documents WHERE event_id IN ({}) ORDER BY rowid"),
    # a claim's statements, oldest first (undated last), then in order of ingest
    "claims": (
        "statement_ids",
        "SELECT s.claim_id, s.id FROM statements s JOIN documents d ON d.id = s.document_id "
        "WHERE s.claim_id IN ({}) ORDER BY COALESCE(s.date, d.published) IS NULL, COALESCE(s.date, d.published), "
        "s.rowid",
    ),
    # a merged statement's reports, in order of ingest
    "merged_statements": (
        "statement_ids", "SELECT merged_id, id FROM statements WHERE merged_id IN ({}) ORDER BY rowid"
    ),
}


def chunked(values: Iterable[str], size: int = 500) -> Iterator[list[str]]:
    """Distinct values in sorted chunks small enough to bind as SQL parameters."""
    items = sorted(set(values))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def document_filters(
    *,
    outlet: str | None = None,
    since: str | None = None,
    until: str | None = None,
    event_id: str | None = None,
    language: str | None = None,
) -> tuple[list[str], list[Any]]:
    """WHERE clauses (over `documents d`) and their bound values; dates are publication dates."""
    where: list[str] = []
    args: list[Any] = []
    for clause, value in (
        ("d.outlet = ? COLLATE NOCASE", outlet),
        ("d.published >= ?", optional_day(since)),
        ("d.published <= ?", optional_day(until)),
        ("d.event_id = ?", event_id),
        ("d.language = ? COLLATE NOCASE", language),
    ):
        if value:
            where.append(clause)
            args.append(value)
    return where, args


class Store:
    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        if readonly:
            if not Path(self.path).exists():
                raise FileNotFoundError(f"no saidwhen database at {self.path} (run `saidwhen ingest` first)")
            uri = Path(self.path).resolve().as_uri() + "?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA recursive_triggers=ON")  # REPLACE fires the FTS delete triggers
        self.conn.execute("PRAGMA busy_timeout=10000")
        if not readonly:
            migrate(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # ---- writes -------------------------------------------------------------------------------

    def id_for_source(self, source_key: str) -> str | None:
        row = self.conn.execute("SELECT id FROM documents WHERE source_key = ?", (source_key,)).fetchone()
        return row["id"] if row else None

    def has_document(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def delete_document(self, doc_id: str) -> None:
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def documents_by_id(self, ids: Iterable[str]) -> dict[str, sqlite3.Row]:
        """The stored documents among `ids` (their id, source_path, source_key and line), by id."""
        return {row["id"]: row for row in self._rows_in(
            "SELECT id, source_path, source_key, line FROM documents WHERE id IN ({})", ids)}

    def ids_for_sources(self, source_keys: Iterable[str]) -> dict[str, str]:
        """The id of the stored document of each of `source_keys` that has one (`id_for_source`)."""
        return {row["source_key"]: row["id"] for row in self._rows_in(
            "SELECT source_key, id FROM documents WHERE source_key IN ({})", source_keys)}

    def _rows_in(self, sql: str, values: Iterable[str], chunk: int = 500) -> list[sqlite3.Row]:
        """The rows of `sql` (its `IN ({})` filled with one parameter per value), in chunks of values."""
        values = list(dict.fromkeys(values))
        rows: list[sqlite3.Row] = []
        for lo in range(0, len(values), chunk):
            part = values[lo : lo + chunk]
            rows.extend(self.conn.execute(sql.format(",".join("?" * len(part))), part))
        return rows

    def save_document(self, doc: Document) -> None:
        self.save_documents([doc])

    def save_documents(self, docs: Iterable[Document]) -> None:
        """Insert or replace documents, in order (one statement for all of them)."""
        docs = list(docs)
        self.conn.executemany(  # each file's place in the reading order, once (see `source_files` in the schema)
            "INSERT OR IGNORE INTO source_files (path, seq) "
            "VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM source_files))",
            [(doc.source_path or "",) for doc in docs],
        )
        self.conn.executemany(
            "INSERT OR REPLACE INTO documents (id, source_key, source_path, line, title, url, outlet, language, "
            "published, published_from, published_range, text, clean_text, removed, duplicate_of, event_id, meta) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    doc.id,
                    doc.source_key,
                    doc.source_path,
                    doc.meta.get("line"),
                    doc.title,
                    doc.url,
                    doc.outlet,
                    doc.language,
                    iso(doc.published),
                    doc.published_from,
                    interval(doc.published_range),
                    doc.text,
                    doc.clean.text,
                    json.dumps([{"start": r.start, "end": r.end, "reason": r.reason} for r in doc.clean.removed]),
                    doc.duplicate_of,
                    doc.event_id,
                    json.dumps(doc.meta, default=str),
                )
                for doc in docs
            ],
        )

    def save_statements(self, statements: Iterable[Statement]) -> None:
        self.conn.executemany(
            'INSERT OR REPLACE INTO statements (id, document_id, speaker, speaker_mention, text, kind, cue, start, "end", '
            "confidence, date, date_from, claim_id, merged_id, speaker_type) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    st.id,
                    st.document_id,
                    st.speaker,
                    st.speaker_mention,
                    st.text,
                    st.kind,
                    st.cue,
                    st.start,
                    st.end,
                    st.confidence,
                    iso(st.date),
                    st.date_from,
                    st.claim_id,
                    st.merged_id,
                    st.speaker_type,
                )
                for st in statements
            ],
        )

    def set_document_date(self, doc: Document, statements: Iterable[Statement]) -> None:
        """Write a re-dated document's date and its statements' dates (corpus dating)."""
        self.conn.execute(
            "UPDATE documents SET published = ?, published_from = ?, published_range = ? WHERE id = ?",
            (iso(doc.published), doc.published_from, interval(doc.published_range), doc.id),
        )
        self.conn.executemany(
            "UPDATE statements SET date = ?, date_from = ? WHERE id = ?",
            [(iso(st.date), st.date_from, st.id) for st in statements],
        )

    def set_document_links(self, doc_id: str, duplicate_of: str | None, event_id: str | None) -> None:
        self.conn.execute(
            "UPDATE documents SET duplicate_of = ?, event_id = ? WHERE id = ?", (duplicate_of, event_id, doc_id)
        )

    def set_statement_links(self, links: Iterable[tuple[str, str | None, str | None]]) -> None:
        """(statement id, merged_id, claim_id) triples."""
        self.conn.executemany(
            "UPDATE statements SET merged_id = ?, claim_id = ? WHERE id = ?",
            [(merged_id, claim_id, st_id) for st_id, merged_id, claim_id in links],
        )

    def save_events(self, events: Iterable[Event]) -> None:
        """Upsert events; their `document_ids` (when given) set those documents' `event_id`."""
        events = list(events)
        self.conn.executemany(
            "INSERT OR REPLACE INTO events (id, date, title, place) VALUES (?, ?, ?, ?)",
            [(e.id, iso(e.date), e.title, e.place) for e in events],
        )
        self.conn.executemany(
            "UPDATE documents SET event_id = ? WHERE id = ?", [(e.id, d) for e in events for d in e.document_ids]
        )

    def save_claims(self, claims: Iterable[Claim]) -> None:
        """Upsert claims; their `statement_ids` (when given) set those statements' `claim_id`."""
        claims = list(claims)
        self.conn.executemany(
            "INSERT OR REPLACE INTO claims (id, summary) VALUES (?, ?)", [(c.id, c.summary) for c in claims]
        )
        self.conn.executemany(
            "UPDATE statements SET claim_id = ? WHERE id = ?", [(c.id, s) for c in claims for s in c.statement_ids]
        )

    def save_merged(self, merged: Iterable[MergedStatement]) -> None:
        """Upsert merged statements; their `statement_ids` (when given) set those statements' `merged_id`."""
        merged = list(merged)
        self.conn.executemany(
            "INSERT OR REPLACE INTO merged_statements (id, speaker, text, date) VALUES (?, ?, ?, ?)",
            [(m.id, m.speaker, m.text, iso(m.date)) for m in merged],
        )
        self.conn.executemany(
            "UPDATE statements SET merged_id = ? WHERE id = ?", [(m.id, s) for m in merged for s in m.statement_ids]
        )

    def replace_merges(self, events: list[Event], claims: list[Claim], merged: list[MergedStatement]) -> None:
        """Replace the cross-document tables with a fresh result of the merge stage."""
        self.conn.execute("DELETE FROM events")
        self.conn.execute("DELETE FROM claims")
        self.conn.execute("DELETE FROM merged_statements")
        self.save_events(events)
        self.save_claims(claims)
        self.save_merged(merged)

    def get_state(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return bytes(row["value"]) if row else None

    def set_state(self, key: str, value: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", (key, value))

    # ---- reads --------------------------------------------------------------------------------

    def document(self, doc_id: str, *, with_text: bool = True) -> dict[str, Any] | None:
        cols = _DOC_COLUMNS + (", text, clean_text, removed, meta" if with_text else "")
        row = self.conn.execute(f"SELECT {cols} FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            # allow unique id prefixes, like git
            rows = self.conn.execute(
                f"SELECT {cols} FROM documents WHERE id LIKE ? LIMIT 2", (doc_id.replace("%", "") + "%",)
            ).fetchall()
            if len(rows) != 1:
                return None
            row = rows[0]
        record = dict(row)
        for key in ("removed", "meta"):
            if key in record:
                record[key] = json.loads(record[key])
        return record

    def documents(
        self,
        *,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        query: str | None = None,
        event_id: str | None = None,
        limit: int = 50,
        offset: int = 0,
        language: str | None = None,
    ) -> list[dict[str, Any]]:
        where, args = document_filters(outlet=outlet, since=since, until=until, event_id=event_id, language=language)
        cols = ", ".join(f"d.{c.strip()}" for c in _DOC_COLUMNS.split(","))
        if query:
            sql = (
                f"SELECT {cols}, snippet(documents_fts, 1, '[', ']', '…', 16) AS snippet FROM documents_fts "
                "JOIN documents d ON d.rowid = documents_fts.rowid WHERE documents_fts MATCH ?"
            )
            args.insert(0, fts_query(query))
            sql += "".join(f" AND {w}" for w in where) + " ORDER BY bm25(documents_fts) LIMIT ? OFFSET ?"
        else:
            sql = f"SELECT {cols} FROM documents d"
            sql += (" WHERE " + " AND ".join(where)) if where else ""
            sql += " ORDER BY d.published IS NULL, d.published, d.id LIMIT ? OFFSET ?"
        return [dict(r) for r in self.conn.execute(sql, (*args, limit, offset))]

    def statements(
        self,
        *,
        speaker: str | None = None,
        since: str | None = None,
        until: str | None = None,
        query: str | None = None,
        outlet: str | None = None,
        document_id: str | None = None,
        event_id: str | None = None,
        claim_id: str | None = None,
        speaker_type: str | None = None,
        limit: int = 100,
        offset: int = 0,
        language: str | None = None,
        kind: str | None = None,
    ) -> list[dict[str, Any]]:
        where, args = statement_filters(
            speaker=speaker, since=since, until=until, outlet=outlet, document_id=document_id,
            event_id=event_id, claim_id=claim_id, language=language, kind=kind, speaker_type=speaker_type,
        )
        base = f"SELECT {ST_COLUMNS}, {ST_DOCUMENT_COLUMNS}"
        if query:
            sql = (
                f"{base}, bm25(statements_fts) AS rank FROM statements_fts "
                "JOIN statements s ON s.rowid = statements_fts.rowid JOIN documents d ON d.id = s.document_id "
                "WHERE statements_fts MATCH ?"
            )
            args.insert(0, fts_query(query))
            sql += "".join(f" AND {w}" for w in where) + " ORDER BY rank LIMIT ? OFFSET ?"
        else:
            # the page's rows are chosen on narrow columns first (the `statements_order` index; documents joined
            # only when a filter needs them), then only they are read whole
            order = "ORDER BY s.date IS NULL, s.date, s.document_id, s.start"
            join = " JOIN documents d ON d.id = s.document_id" if any("d." in w for w in where) else ""
            page = f"SELECT s.rowid FROM statements s{join}"
            page += (" WHERE " + " AND ".join(where)) if where else ""
            page += f" {order} LIMIT ? OFFSET ?"
            sql = f"{base} FROM statements s JOIN documents d ON d.id = s.document_id WHERE s.rowid IN ({page}) {order}"
        return [dict(r) for r in self.conn.execute(sql, (*args, limit, offset))]

    def statement(self, st_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            f"SELECT {ST_COLUMNS}, {ST_DOCUMENT_COLUMNS} "
            "FROM statements s JOIN documents d ON d.id = s.document_id WHERE s.id = ?",
            (st_id,),
        ).fetchone()
        return dict(row) if row else None

    def speakers(self, *, limit: int = 1000, speaker_type: str | None = None) -> list[dict[str, Any]]:
        """Speakers with the mentions that named them (aliases), counts, first/last date and their type (the
        most frequent `speaker_type` of their statements)."""
        rows = self.conn.execute(
            "SELECT speaker, speaker_mention, speaker_type, COUNT(*) AS n, MIN(date) AS first, MAX(date) AS last "
            "FROM statements WHERE speaker IS NOT NULL GROUP BY speaker, speaker_mention, speaker_type"
        ).fetchall()
        people: dict[str, dict[str, Any]] = {}
        types: dict[str, dict[str, int]] = {}
        for r in rows:
            p = people.setdefault(
                r["speaker"], {"name": r["speaker"], "aliases": [], "count": 0, "first": None, "last": None}
            )
            p["count"] += r["n"]
            tally = types.setdefault(r["speaker"], {})
            tally[r["speaker_type"] or ""] = tally.get(r["speaker_type"] or "", 0) + r["n"]
            if r["speaker_mention"] and r["speaker_mention"] not in p["aliases"]:
                p["aliases"].append(r["speaker_mention"])
            if r["first"] and (p["first"] is None or r["first"] < p["first"]):
                p["first"] = r["first"]
            if r["last"] and (p["last"] is None or r["last"] > p["last"]):
                p["last"] = r["last"]
        for name, p in people.items():
            p["type"] = max(types[name].items(), key=lambda kv: (kv[1], kv[0]))[0] or None
        found = [p for p in people.values() if speaker_type is None or p["type"] == speaker_type]
        return sorted(found, key=lambda p: (-p["count"], p["name"]))[:limit]

    def events(
        self, *, since: str | None = None, until: str | None = None, limit: int = 1000, offset: int = 0
    ) -> list[dict[str, Any]]:
        where, args = [], []
        if since:
            where.append("date >= ?")
            args.append(optional_day(since))
        if until:
            where.append("date <= ?")
            args.append(optional_day(until))
        sql = f"SELECT {_EVENT_COLUMNS} FROM events"
        sql += (" WHERE " + " AND ".join(where)) if where else ""
        sql += " ORDER BY date IS NULL, date, id LIMIT ? OFFSET ?"
        return self._with_members("events", [dict(r) for r in self.conn.execute(sql, (*args, limit, offset))])

    def event(self, event_id: str) -> dict[str, Any] | None:
        return self.events_by_id([event_id]).get(event_id)

    def claims(self, *, limit: int = 1000, offset: int = 0) -> list[dict[str, Any]]:
        rows = self.conn.execute(
            f"SELECT {_CLAIM_COLUMNS} FROM claims ORDER BY id LIMIT ? OFFSET ?", (limit, offset)
        )
        return self._with_members("claims", [dict(r) for r in rows])

    def claim(self, claim_id: str) -> dict[str, Any] | None:
        return self.claims_by_id([claim_id]).get(claim_id)

    def merged_statements(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return self._by_id("merged_statements", _MERGED_COLUMNS, ids)

    def events_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return self._by_id("events", _EVENT_COLUMNS, ids)

    def claims_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return self._by_id("claims", _CLAIM_COLUMNS, ids)

    def _by_id(self, table: str, columns: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Rows of `table` with the given ids (groups with their member list)."""
        rows: list[dict[str, Any]] = []
        for chunk in chunked(ids):
            marks = ",".join("?" * len(chunk))
            rows += [dict(r) for r in self.conn.execute(f"SELECT {columns} FROM {table} WHERE id IN ({marks})", chunk)]
        if table in _MEMBERS:
            rows = self._with_members(table, rows)
        return {r["id"]: r for r in rows}

    def _with_members(self, table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """`rows` of a group table (events, claims, merged statements), each given its member id list."""
        column, sql = _MEMBERS[table]
        members: dict[str, list[str]] = {r["id"]: [] for r in rows}
        for chunk in chunked(members):
            for group_id, member_id in self.conn.execute(sql.format(",".join("?" * len(chunk))), chunk):
                members[group_id].append(member_id)
        return [{**r, column: members[r["id"]]} for r in rows]

    def document_texts(self, ids: Iterable[str]) -> dict[str, str]:
        """The original text of the given documents, by id."""
        return {i: r["text"] for i, r in self._by_id("documents", "id, text", ids).items()}

    def stats(self) -> dict[str, Any]:
        one = self.conn.execute
        counts = {
            table: one(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("documents", "statements", "events", "claims", "merged_statements")
        }
        counts["duplicates"] = one("SELECT COUNT(*) FROM documents WHERE duplicate_of IS NOT NULL").fetchone()[0]
        counts["speakers"] = one("SELECT COUNT(DISTINCT speaker) FROM statements").fetchone()[0]
        span = one("SELECT MIN(published), MAX(published) FROM documents").fetchone()
        counts["published_first"], counts["published_last"] = span[0], span[1]
        counts["published_from"] = dict(
            one("SELECT published_from, COUNT(*) FROM documents GROUP BY published_from").fetchall()
        )
        counts["outlets"] = dict(
            one("SELECT COALESCE(outlet, '(none)'), COUNT(*) FROM documents GROUP BY outlet ORDER BY 2 DESC LIMIT 20")
        )
        counts["languages"] = dict(
            one("SELECT COALESCE(language, '(unknown)'), COUNT(*) FROM documents GROUP BY language ORDER BY 2 DESC")
        )
        counts["schema_version"] = one("PRAGMA user_version").fetchone()[0]
        return counts

