"""The merge stage kept in the store: `CorpusMerger` state persisted at checkpoints, replayed on resume.

New documents update duplicates, merged statements, events and claims incrementally; the corpus is never
reprocessed. The links each document produces are written in the same transaction as the document. The
merger's own state grows with the corpus (MinHash signatures, posting lists), so serialising it after
every batch would make ingest quadratic; it is written only at checkpoints chosen by `StoreIngest`
(`save_state`), and the documents committed after the last checkpoint are re-merged on resume
(`replay`), in their commit order, from their stored rows: merging is deterministic, so the replayed
state and links equal those of an uninterrupted run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from saidwhen.merge import (
    ClaimLinker,
    CorpusMerger,
    DuplicateIndex,
    EventGrouper,
    Similarity,
    StatementMerger,
)
from saidwhen.merge._index import chunked_parts
from saidwhen.merge.dating import DateLinker
from saidwhen.merge.features import DocumentFeatures
from saidwhen.model import Document, Statement
from saidwhen.serialize import document_from_record, statement_from_record
from saidwhen.store import Store

MERGE_KEY = "corpus_merger"
_PARTS = b"SWPARTS1"  # MERGE_KEY value when the state is stored by component, in chunks: magic + JSON
CHUNK_BYTES = 32 * 2**20  # sqlite3 copies a bound blob: chunks keep that copy small for a large state
# the components of a CorpusMerger: (name, attribute, class)
_COMPONENTS = (
    ("duplicates", "duplicates", DuplicateIndex),
    ("events", "grouper", EventGrouper),
    ("statements", "merger", StatementMerger),
    ("claims", "linker", ClaimLinker),
    ("dating", "dater", DateLinker),
)


def load_documents(
    store: Store, entries: Iterable[tuple[str, list[str]]]
) -> list[tuple[Document, list[Statement]]]:
    """Stored documents with their statements (in the given order), as the merge stage saw them.

    Only what merging reads is restored: ids, texts, outlet, title, publication date, and every statement
    field; the clean text has no offset map. A document no longer stored is skipped.
    """
    out: list[tuple[Document, list[Statement]]] = []
    conn = store.conn
    for doc_id, statement_ids in entries:
        row = conn.execute(
            "SELECT id, source_key, source_path, text, clean_text, title, url, outlet, language, published, "
            "published_from FROM documents WHERE id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            continue
        doc = document_from_record(dict(row))
        rows = {
            r["id"]: r
            for r in conn.execute(
                'SELECT id, document_id, speaker, speaker_mention, text, kind, cue, start, "end", confidence, date, '
                "date_from FROM statements WHERE document_id = ?",
                (doc_id,),
            )
        }
        statements = [
            statement_from_record(dict(r)) for sid in statement_ids if (r := rows.get(sid)) is not None
        ]
        out.append((doc, statements))
    return out


def load_for_dating(store: Store, doc_id: str) -> list[tuple[Document, list[Statement]]]:
    """A stored document (with its event link and date fields) and all its statements, for corpus dating;
    empty when it is no longer stored."""
    row = store.conn.execute(
        "SELECT id, source_key, source_path, text, clean_text, title, url, outlet, language, published, "
        "published_from, published_range, duplicate_of, event_id FROM documents WHERE id = ?",
        (doc_id,),
    ).fetchone()
    if row is None:
        return []
    statements = [
        statement_from_record(dict(r))
        for r in store.conn.execute(
            'SELECT id, document_id, speaker, speaker_mention, text, kind, cue, start, "end", confidence, date, '
            "date_from, claim_id, merged_id FROM statements WHERE document_id = ? ORDER BY start, id",
            (doc_id,),
        )
    ]
    return [(document_from_record(dict(row)), statements)]


class StoreMerger:
    def __init__(self, store: Store, similarity: Similarity | None = None) -> None:
        self.store = store
        self.similarity = similarity
        self.merger = self._load()

    def _load(self) -> CorpusMerger:
        saved = self.store.get_state(MERGE_KEY)
        if saved is None:
            return CorpusMerger(similarity=self.similarity)
        if not saved.startswith(_PARTS):
            return CorpusMerger.from_state(
                saved, self.similarity
            )  # one blob, as stores written before checkpoints
        counts = json.loads(saved[len(_PARTS) :])
        components = {}
        for name, _attr, cls in _COMPONENTS:
            if name not in counts:
                continue  # a component added since the state was saved starts empty
            chunks = []
            for i in range(counts[name]):
                chunk = self.store.get_state(f"{MERGE_KEY}:{name}:{i:06d}")
                if chunk is None:
                    raise ValueError(f"corpus merge state: chunk {i} of {name} is missing")
                chunks.append(chunk)
            components[name] = cls.from_state(b"".join(chunks))  # type: ignore[attr-defined]
        return CorpusMerger(**components, similarity=self.similarity)  # type: ignore[arg-type]

    def feature_spec(self) -> dict[str, Any]:
        """What a worker process needs to compute this merger's `features` (JSON-able): the components'
        parameters and the embedding model's folder, if the semantic hook has one."""
        path = getattr(self.similarity, "path", None)
        return {"params": self.merger.params(), "embeddings": str(path) if path is not None else None}

    def add(
        self, docs: list[Document], statements: list[Statement], *, removed: Iterable[str] = (),
        features: list[DocumentFeatures] | None = None,
    ) -> None:
        """Merge a batch about to be saved in the current transaction: sets the documents' and statements'
        links (`duplicate_of`, `event_id`, `merged_id`, `claim_id`, as they are after the whole batch), so
        that the caller saves the rows with them; writes the links the batch changed in earlier statements
        and the records it touched (not the state).

        Replaced (`removed`) documents stay in the similarity indexes; nothing links to them any more once
        their rows are gone, and their newer version is merged like any new document. `features`: the
        documents' merge features, computed beforehand (`CorpusMerger.features`), in the order of `docs`.
        """
        if not docs:
            return
        by_doc: dict[str, list[Statement]] = {}
        for st in statements:
            by_doc.setdefault(st.document_id, []).append(st)
        self._merge([(doc, by_doc.get(doc.id, [])) for doc in docs], saved=False, features=features)

    def _merge(
        self, documents: list[tuple[Document, list[Statement]]], *, saved: bool,
        features: list[DocumentFeatures] | None = None,
    ) -> None:
        # An event, merged statement or claim touched by several documents of the batch is written once,
        # as it is after the last of them, and without its member list: the store keeps membership in the
        # members' rows (documents.event_id, statements.merged_id / claim_id), so a batch costs O(its size)
        # however large the groups it touches have grown. Rows not `saved` yet get their links in memory
        # (saved with them); only earlier statements' rows are updated, in one statement per batch.
        events: dict[str, None] = {}
        merged: dict[str, None] = {}
        claims: dict[str, None] = {}
        undated: dict[str, None] = {}  # documents to date from the corpus once the batch is merged
        links: dict[str, tuple[str | None, str | None]] = {}
        found: list[DocumentFeatures | None] = list(features) if features is not None else [None] * len(documents)
        self.merger.prepare(
            (st for _doc, statements in documents for st in statements), [f for f in found if f is not None]
        )
        for (doc, statements), doc_features in zip(documents, found, strict=True):
            update = self.merger.add(doc, statements, records=False, features=doc_features)
            if saved:
                self.store.set_document_links(doc.id, update.duplicate_of, update.event_id)
            links.update((sid, (m, c)) for sid, m, c in update.statement_links)
            if update.event_id:
                events[update.event_id] = None
            merged.update(dict.fromkeys(update.merged_ids))
            claims.update(dict.fromkeys(update.claim_ids))
            if update.undated:
                undated[doc.id] = None
            undated.update(dict.fromkeys(update.redate))
        if not saved:
            for _doc, statements in documents:
                for st in statements:  # a later document may have completed this one's group
                    st.merged_id, st.claim_id = links.pop(st.id, (st.merged_id, st.claim_id))
        self.store.set_statement_links((sid, m, c) for sid, (m, c) in links.items())
        self._date_from_corpus(undated, [] if saved else documents)
        event_records, merged_records, claim_records = self.merger.records(events, merged, claims, members=False)
        self.store.save_events(event_records)
        self.store.save_merged(merged_records)
        self.store.save_claims(claim_records)

    def _date_from_corpus(self, doc_ids: dict[str, None], unsaved: list[tuple[Document, list[Statement]]]) -> None:
        """Corpus dating after a batch is merged: the batch's documents without a date of their own (in
        memory when not saved yet: they are saved with it) and the earlier stored ones the batch is new
        evidence for (their rows and their statements' dates updated)."""
        if not doc_ids:
            return
        in_batch = {doc.id: (doc, statements) for doc, statements in unsaved}
        for doc_id in doc_ids:
            if doc_id in in_batch:
                self.merger.date_from_corpus(*in_batch[doc_id])
                continue
            for doc, statements in load_for_dating(self.store, doc_id):
                if self.merger.date_from_corpus(doc, statements):
                    self.store.set_document_date(doc, statements)

    def rebuild(self, chunk: int = 500) -> int:
        """Merge every stored document again from an empty merger (inside a transaction), so that removed
        documents leave no trace: no copy is a duplicate of its deleted old version, no group keeps them.
        Documents go in file order (files in the order they were first read, `source_files`, then line), as
        a fresh ingest would take them; returns how many were merged."""
        self.merger = CorpusMerger.from_params(self.merger.params(), self.similarity)
        conn = self.store.conn
        conn.execute("UPDATE documents SET duplicate_of = NULL, event_id = NULL")
        conn.execute("UPDATE statements SET merged_id = NULL, claim_id = NULL")
        for table in ("events", "claims", "merged_statements"):
            conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed table names
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT d.id FROM documents d LEFT JOIN source_files f ON f.path = COALESCE(d.source_path, '') "
                "ORDER BY f.seq, d.line, d.rowid"
            )
        ]
        for lo in range(0, len(ids), chunk):
            entries = [
                (doc_id, [r[0] for r in conn.execute(
                    'SELECT id FROM statements WHERE document_id = ? ORDER BY start, "end", id', (doc_id,)
                )])
                for doc_id in ids[lo : lo + chunk]
            ]
            self._merge(load_documents(self.store, entries), saved=True)
        return len(ids)

    def replay(self, documents: list[tuple[Document, list[Statement]]]) -> None:
        """Re-merge committed documents the saved state does not cover (inside a transaction)."""
        self._merge(documents, saved=True)

    def save_state(self) -> int:
        """Write the merger state (inside a transaction); returns its size in bytes.

        Component by component and in chunks cut from views of the components' arrays: the state is
        never assembled in memory (at 100k articles one component's state is hundreds of MB)."""
        counts: dict[str, int] = {}
        size = 0
        for name, attr, _cls in _COMPONENTS:
            parts = getattr(self.merger, attr).state_parts()
            counts[name] = 0
            for i, chunk in enumerate(chunked_parts(parts, CHUNK_BYTES)):
                self.store.set_state(f"{MERGE_KEY}:{name}:{i:06d}", chunk)  # type: ignore[arg-type]
                counts[name] = i + 1
                size += len(chunk)
            self.store.conn.execute(  # chunks left over from a larger earlier state
                "DELETE FROM state WHERE key > ? AND key < ?",
                (f"{MERGE_KEY}:{name}:{counts[name] - 1:06d}", f"{MERGE_KEY}:{name};"),
            )
            del parts
        self.store.set_state(MERGE_KEY, _PARTS + json.dumps(counts).encode())
        return size


def journal_entry(docs: list[Document], statements: list[Statement]) -> bytes:
    """What a batch added, in merge order: [[document id, [statement ids]], ...]."""
    by_doc: dict[str, list[str]] = {doc.id: [] for doc in docs}
    for st in statements:
        if st.document_id in by_doc:
            by_doc[st.document_id].append(st.id)
    return json.dumps([[doc.id, by_doc[doc.id]] for doc in docs]).encode()
