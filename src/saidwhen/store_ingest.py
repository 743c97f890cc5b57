"""Streaming ingest into the store: batches committed one transaction at a time.

Interrupting a run (crash, Ctrl-C) loses at most the batch in flight, which the next run redoes: documents
are keyed by content id, so a re-run adds nothing that is already stored, and a changed input (same
`source_key`, new content) replaces its earlier version.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from saidwhen.clean import RepeatedLines
from saidwhen.ingest import read_inputs
from saidwhen.merge_store import StoreMerger
from saidwhen.model import Document, RawDocument, Statement, document_id
from saidwhen.pipeline import IngestReport, batched, extract_dated, prepare
from saidwhen.problems import ProblemLog
from saidwhen.statements import SpeakerRegistry
from saidwhen.store import Store

REPEATED_KEY = "repeated_lines"
SPEAKERS_KEY = "speakers"


class StoreIngest:
    def __init__(
        self,
        store: Store,
        *,
        registry: SpeakerRegistry | None = None,
        batch_size: int = 64,
        extract: bool = True,
        nlp: Any = None,
    ) -> None:
        self.store = store
        self.batch_size = batch_size
        self.extract = extract
        self.nlp = nlp
        saved = store.get_state(REPEATED_KEY)
        self.repeated = RepeatedLines.from_dict(json.loads(saved)) if saved else RepeatedLines()
        saved = store.get_state(SPEAKERS_KEY)
        self.registry = SpeakerRegistry.from_dict(json.loads(saved)) if saved else SpeakerRegistry()
        if registry is not None:  # a user alias file overrides what was learned
            self.registry.update(registry)
        self.merger = StoreMerger(store)

    def run(
        self,
        paths: Iterable[str],
        problems: ProblemLog | None = None,
        on_document: Callable[[IngestReport], None] | None = None,
    ) -> IngestReport:
        report = IngestReport(problems=problems if problems is not None else ProblemLog())
        for batch in batched(read_inputs(paths, report.problems), self.batch_size):
            self._ingest_batch(batch, report, on_document)
        return report

    def _ingest_batch(
        self, batch: list[RawDocument], report: IngestReport, on_document: Callable[[IngestReport], None] | None
    ) -> None:
        fresh: list[RawDocument] = []
        replaced: list[str] = []
        seen: set[str] = set()
        for raw in batch:
            report.read += 1
            doc_id = document_id(raw.text, raw.outlet)
            if doc_id in seen or self.store.has_document(doc_id):
                report.unchanged += 1
                if on_document:
                    on_document(report)
                continue
            seen.add(doc_id)
            previous = self.store.id_for_source(raw.source_key)
            if previous is not None:
                replaced.append(previous)
                report.updated += 1
            else:
                report.added += 1
            fresh.append(raw)
        if not fresh:
            self._save([], [], replaced)
            return
        for raw in fresh:
            self.repeated.observe(raw.text, raw.outlet)
        docs = [prepare(raw, self.repeated) for raw in fresh]
        statements: list[Statement] = []
        if self.extract:
            for _doc, sts in extract_dated(docs, self.registry, self.nlp):
                statements.extend(sts)
                report.statements += len(sts)
                if on_document:
                    on_document(report)
        elif on_document:
            on_document(report)
        self._save(docs, statements, replaced)

    def _save(self, docs: list[Document], statements: list[Statement], replaced: list[str]) -> None:
        with self.store.transaction():
            for old in replaced:
                self.store.delete_document(old)
            for doc in docs:
                self.store.save_document(doc)
            self.store.save_statements(statements)
            self.merger.add(docs, statements, removed=replaced)
            self.store.set_state(REPEATED_KEY, json.dumps(self.repeated.to_dict()).encode())
            self.store.set_state(SPEAKERS_KEY, json.dumps(self.registry.to_dict()).encode())
