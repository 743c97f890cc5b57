"""The merge stage kept in the store: `CorpusMerger` state persisted with each committed batch.

New documents update duplicates, merged statements, events and claims incrementally; the corpus is never
reprocessed. The state is written in the same transaction as the documents it describes, so an
interrupted ingest resumes with a state that matches what was committed.
"""

from __future__ import annotations

from saidwhen.merge import CorpusMerger
from saidwhen.model import Document, Statement
from saidwhen.store import Store

MERGE_KEY = "corpus_merger"


class StoreMerger:
    def __init__(self, store: Store) -> None:
        self.store = store
        saved = store.get_state(MERGE_KEY)
        self.merger = CorpusMerger.from_state(saved) if saved else CorpusMerger()

    def add(self, docs: list[Document], statements: list[Statement], *, removed: list[str] = ()) -> None:
        """Merge a batch already saved in the current transaction, and write links and state.

        Replaced (`removed`) documents stay in the similarity indexes; nothing links to them any more once
        their rows are gone, and their newer version is merged like any new document.
        """
        if not docs:
            return
        by_doc: dict[str, list[Statement]] = {}
        for st in statements:
            by_doc.setdefault(st.document_id, []).append(st)
        for doc in docs:
            update = self.merger.add(doc, by_doc.get(doc.id, []))
            self.store.set_document_links(doc.id, update.duplicate_of, update.event_id)
            self.store.set_statement_links(update.statement_links)
            self.store.save_events(update.events)
            self.store.save_merged(update.merged)
            self.store.save_claims(update.claims)
        self.store.set_state(MERGE_KEY, self.merger.to_state())
