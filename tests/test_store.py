import sqlite3
from datetime import date

import pytest

from saidwhen.model import CleanText, Document, Event, Removed, Statement, document_id
from saidwhen.store import SCHEMA_VERSION, SchemaTooNewError, Store
from saidwhen.store.search import fts_query


def make_doc(text: str, key: str, outlet: str = "Harbour Herald", published: date | None = date(2024, 3, 12)) -> Document:
    return Document(
        id=document_id(text, outlet),
        source_path=key,
        source_key=key,
        text=text,
        clean=CleanText(text, list(range(len(text) + 1)), [Removed(0, 5, "caption")]),
        title=text.split("\n")[0],
        outlet=outlet,
        published=published,
        published_from="header",
    )


def make_statement(doc: Document, speaker: str, quote: str) -> Statement:
    start = doc.text.index(quote)
    return Statement(
        id=f"s-{doc.id}-{start}", document_id=doc.id, speaker=speaker, speaker_mention=speaker.split()[-1],
        text=quote, kind="direct", cue="said", start=start, end=start + len(quote), confidence=0.9,
        date=doc.published, date_from="document",
    )  # fmt: skip


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "t.db")
    yield s
    s.close()


def test_roundtrip_and_full_text_search(store):
    doc = make_doc('Doors open\n\n"Our doors are open," Lindqvist said in Tallinn.', "a.txt")
    with store.transaction():
        store.save_document(doc)
        store.save_statements([make_statement(doc, "Maria Lindqvist", "Our doors are open")])
    got = store.document(doc.id)
    assert got["title"] == "Doors open"
    assert got["published"] == "2024-03-12"
    assert got["removed"] == [{"start": 0, "end": 5, "reason": "caption"}]
    assert store.document(doc.id[:8])["id"] == doc.id  # unique prefix
    rows = store.statements(query="doors")
    assert [r["speaker"] for r in rows] == ["Maria Lindqvist"]
    assert rows[0]["outlet"] == "Harbour Herald"
    assert store.documents(query="Tallinn")[0]["id"] == doc.id
    assert store.statements(speaker="maria lindqvist")[0]["text"] == "Our doors are open"
    assert store.speakers()[0] == {
        "name": "Maria Lindqvist", "aliases": ["Lindqvist"], "count": 1, "first": "2024-03-12", "last": "2024-03-12",
        "type": None,
    }  # fmt: skip


def test_speaker_types_are_stored_and_filter_statements_and_speakers(store):
    doc = make_doc('Harbour\n\n"The quay opens," Lindqvist said. "Fees rise," officials said.', "b.txt")
    named = make_statement(doc, "Maria Lindqvist", "The quay opens")
    named.speaker_type = "person"
    unnamed = make_statement(doc, "officials (unnamed)", "Fees rise")
    unnamed.speaker_type = "anonymous"
    with store.transaction():
        store.save_document(doc)
        store.save_statements([named, unnamed])
    assert [r["speaker"] for r in store.statements(speaker_type="anonymous")] == ["officials (unnamed)"]
    assert [r["speaker_type"] for r in store.statements(speaker_type="person")] == ["person"]
    assert [p["name"] for p in store.speakers(speaker_type="anonymous")] == ["officials (unnamed)"]
    assert {p["name"]: p["type"] for p in store.speakers()} == {
        "Maria Lindqvist": "person", "officials (unnamed)": "anonymous"}


def test_delete_cascades_and_keeps_fts_in_sync(store):
    doc = make_doc('Doors\n\n"Ports reopen," Rebane said.', "b.txt")
    with store.transaction():
        store.save_document(doc)
        store.save_statements([make_statement(doc, "Anu Rebane", "Ports reopen")])
        store.save_document(doc)  # replacing must not leave stale index rows
    assert len(store.documents(query="Rebane")) == 1
    with store.transaction():
        store.delete_document(doc.id)
    assert store.statements() == []
    assert store.statements(query="reopen") == []
    assert store.documents(query="Rebane") == []


@pytest.mark.parametrize(
    "hostile", ['"', "doors OR", "NEAR(", "a AND (b", "'; DROP TABLE documents; --", "*", "title:x", "^", ""]
)
def test_hostile_queries_are_inert(store, hostile):
    doc = make_doc('Doors\n\n"Doors are open," Lindqvist said.', "c.txt")
    with store.transaction():
        store.save_document(doc)
    store.documents(query=hostile)
    store.statements(query=hostile)
    assert store.stats()["documents"] == 1


def test_fts_query_quotes_every_term():
    assert fts_query('doors "stay open" NOT x') == '"stay open" AND "doors" AND "NOT" AND "x"'


def test_rollback_keeps_nothing(store):
    doc = make_doc("Something\n\nText.", "d.txt")
    with pytest.raises(RuntimeError), store.transaction():
        store.save_document(doc)
        raise RuntimeError("crash mid-batch")
    assert store.stats()["documents"] == 0


def test_concurrent_reader_and_migration_version(tmp_path):
    path = tmp_path / "c.db"
    writer = Store(path)
    doc = make_doc("Title\n\nBody text here.", "e.txt")
    with writer.transaction():
        writer.save_document(doc)
        writer.save_events([Event("e1", date(2024, 3, 12), "Summit", "Tallinn", [doc.id])])
    reader = Store(path, readonly=True)
    assert reader.stats()["documents"] == 1
    assert reader.events()[0]["document_ids"] == [doc.id]
    with pytest.raises(sqlite3.OperationalError):
        reader.conn.execute("DELETE FROM documents")
    writer.conn.execute("BEGIN IMMEDIATE")  # a writer holding the lock does not block readers (WAL)
    assert reader.stats()["schema_version"] == SCHEMA_VERSION
    writer.conn.execute("COMMIT")
    reader.close()
    writer.close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(SchemaTooNewError):
        Store(path)


def test_readonly_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        Store(tmp_path / "missing.db", readonly=True)


def test_version_1_store_migrates_membership_to_member_rows(tmp_path):
    """A store written by schema 1 (JSON member lists in the group tables) opens with its groups intact."""
    from saidwhen.store.schema import MIGRATIONS

    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path)
    raw.executescript("BEGIN;" + MIGRATIONS[0] + "PRAGMA user_version = 1;COMMIT;")
    for i in (1, 2):
        raw.execute(
            "INSERT INTO documents (id, source_key, source_path, text, clean_text, event_id, published) "
            "VALUES (?, ?, 'x', 't', 't', 'e1', '2024-03-12')",
            (f"d{i}", f"k{i}"),
        )
        raw.execute(
            "INSERT INTO statements (id, document_id, text, kind, start, \"end\", confidence, date, claim_id, "
            "merged_id) VALUES (?, ?, 'We stay', 'direct', 0, 7, 1.0, ?, 'c1', 'm1')",
            (f"s{i}", f"d{i}", f"2024-03-1{3 - i}"),
        )
    raw.execute("INSERT INTO events VALUES ('e1', '2024-03-12', 'Summit', 'Tallinn', '[\"d1\", \"d2\"]')")
    raw.execute("INSERT INTO claims VALUES ('c1', '[\"s2\", \"s1\"]', 'We stay')")
    raw.execute("INSERT INTO merged_statements VALUES ('m1', 'A', 'We stay', '2024-03-11', '[\"s1\", \"s2\"]')")
    raw.commit()
    raw.close()
    store = Store(path)
    assert store.stats()["schema_version"] == SCHEMA_VERSION
    assert store.event("e1") == {
        "id": "e1", "date": "2024-03-12", "title": "Summit", "place": "Tallinn", "document_ids": ["d1", "d2"]
    }
    assert store.claim("c1") == {"id": "c1", "summary": "We stay", "statement_ids": ["s2", "s1"]}  # oldest first
    assert store.merged_statements(["m1"])["m1"]["statement_ids"] == ["s1", "s2"]
    store.close()
