"""SQLite schema and migrations (by PRAGMA user_version)."""

from __future__ import annotations

import sqlite3

# Each entry migrates from version i to i + 1. Never edit a released step: append a new one.
MIGRATIONS: list[str] = [
    # 0 -> 1: documents, statements, merges, state, full-text indexes
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source_key TEXT NOT NULL UNIQUE,
        source_path TEXT NOT NULL,
        line INTEGER,
        title TEXT,
        url TEXT,
        outlet TEXT,
        language TEXT,
        published TEXT,
        published_from TEXT NOT NULL DEFAULT 'unknown',
        text TEXT NOT NULL,
        clean_text TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        duplicate_of TEXT,
        event_id TEXT,
        meta TEXT NOT NULL DEFAULT '{}',
        ingested_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX documents_published ON documents(published);
    CREATE INDEX documents_outlet ON documents(outlet);
    CREATE INDEX documents_event ON documents(event_id);

    CREATE TABLE statements (
        id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        speaker TEXT,
        speaker_mention TEXT,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        cue TEXT,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        confidence REAL NOT NULL,
        date TEXT,
        date_from TEXT NOT NULL DEFAULT 'unknown',
        claim_id TEXT,
        merged_id TEXT
    );
    CREATE INDEX statements_document ON statements(document_id);
    CREATE INDEX statements_speaker ON statements(speaker);
    CREATE INDEX statements_date ON statements(date);
    CREATE INDEX statements_claim ON statements(claim_id);
    CREATE INDEX statements_merged ON statements(merged_id);

    CREATE TABLE events (
        id TEXT PRIMARY KEY,
        date TEXT,
        title TEXT NOT NULL,
        place TEXT,
        document_ids TEXT NOT NULL DEFAULT '[]'
    );
    CREATE TABLE claims (
        id TEXT PRIMARY KEY,
        statement_ids TEXT NOT NULL DEFAULT '[]',
        summary TEXT NOT NULL
    );
    CREATE TABLE merged_statements (
        id TEXT PRIMARY KEY,
        speaker TEXT,
        text TEXT NOT NULL,
        date TEXT,
        statement_ids TEXT NOT NULL DEFAULT '[]'
    );
    -- serialised incremental state of the stages (learned lines, speakers, merge indexes)
    CREATE TABLE state (key TEXT PRIMARY KEY, value BLOB NOT NULL);

    CREATE VIRTUAL TABLE documents_fts USING fts5(
        title, clean_text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, clean_text) VALUES (new.rowid, new.title, new.clean_text);
    END;
    CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, clean_text)
        VALUES ('delete', old.rowid, old.title, old.clean_text);
    END;
    CREATE TRIGGER documents_au AFTER UPDATE OF title, clean_text ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, clean_text)
        VALUES ('delete', old.rowid, old.title, old.clean_text);
        INSERT INTO documents_fts(rowid, title, clean_text) VALUES (new.rowid, new.title, new.clean_text);
    END;

    CREATE VIRTUAL TABLE statements_fts USING fts5(
        text, speaker, speaker_mention, content='statements', content_rowid='rowid',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN
        INSERT INTO statements_fts(rowid, text, speaker, speaker_mention)
        VALUES (new.rowid, new.text, new.speaker, new.speaker_mention);
    END;
    CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, speaker, speaker_mention)
        VALUES ('delete', old.rowid, old.text, old.speaker, old.speaker_mention);
    END;
    CREATE TRIGGER statements_au AFTER UPDATE OF text, speaker, speaker_mention ON statements BEGIN
        INSERT INTO statements_fts(statements_fts, rowid, text, speaker, speaker_mention)
        VALUES ('delete', old.rowid, old.text, old.speaker, old.speaker_mention);
        INSERT INTO statements_fts(rowid, text, speaker, speaker_mention)
        VALUES (new.rowid, new.text, new.speaker, new.speaker_mention);
    END;
    """,
    # 1 -> 2: group membership lives only in the members' rows (documents.event_id, statements.claim_id and
    # merged_id, all indexed): a JSON member list rewritten after every batch made ingest quadratic in the
    # size of the largest claim. Version-1 stores always set both, so nothing is lost.
    """
    ALTER TABLE events DROP COLUMN document_ids;
    ALTER TABLE claims DROP COLUMN statement_ids;
    ALTER TABLE merged_statements DROP COLUMN statement_ids;
    """,
    # documents.language is detected at ingest (saidwhen.language) and filtered on (--language): index it.
    # Documents stored before detection keep the language their input declared (often NULL).
    """
    CREATE INDEX IF NOT EXISTS documents_language ON documents(language);
    """,
    # speaker types (person, organisation, group, document, anonymous, unknown); NULL in rows written before
    """
    ALTER TABLE statements ADD COLUMN speaker_type TEXT;
    CREATE INDEX statements_speaker_type ON statements(speaker_type);
    """,
    # corpus dating: the range of plausible publication days ("2023-11-30/2023-12-01") when the
    # evidence is a range (documents dated from their event, `published_from = 'event'`)
    """
    ALTER TABLE documents ADD COLUMN published_range TEXT;
    """,
    # the statement list's order (date, document, span) as an index, so that a page of it (also a late page,
    # also under load) reads the narrow index rather than sorting every statement row
    """
    CREATE INDEX IF NOT EXISTS statements_order ON statements(date, document_id, start);
    """,
    # the order input files were first read in (`seq`), kept when a document of the file is replaced, so
    # that re-merging the store after an edit (`StoreMerger.rebuild`) takes documents in fresh-ingest order
    """
    CREATE TABLE IF NOT EXISTS source_files (path TEXT PRIMARY KEY, seq INTEGER NOT NULL);
    CREATE INDEX IF NOT EXISTS source_files_seq ON source_files(seq);
    INSERT OR IGNORE INTO source_files (path, seq)
        SELECT COALESCE(source_path, ''), MIN(rowid) FROM documents GROUP BY COALESCE(source_path, '');
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    pass


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version it was at."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"database schema version {version} is newer than this saidwhen ({SCHEMA_VERSION}); upgrade saidwhen"
        )
    for step in range(version, SCHEMA_VERSION):
        try:
            conn.executescript("BEGIN;" + MIGRATIONS[step] + f"PRAGMA user_version = {step + 1};COMMIT;")
        except sqlite3.Error:
            conn.rollback()
            raise
    return version
