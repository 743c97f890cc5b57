"""Streaming ingest into the store: batches committed one transaction at a time, optionally in parallel.

Interrupting a run (crash, Ctrl-C, kill) loses at most the batches in flight, which the next run redoes:
documents are keyed by content id, so a re-run adds nothing that is already stored, and a changed input
(same `source_key`, new content) replaces its earlier version.

With `workers > 1`, clean, date and the registry-free part of statement extraction run in worker
processes (`saidwhen.parallel`) on up to `2 * workers` batches at a time (reading stops while that many
are in flight, so memory stays bounded on any input), while this process reads, classifies, resolves
speakers against the one `SpeakerRegistry`, writes and merges each batch in input order. Results are the
same for any number of workers.

State persistence. Each committed batch writes its documents, statements, merge links, the speaker
registry, and a journal entry (the batch's document and statement ids, in order). The two states that
grow with the corpus -- learned repeated lines and the merger (MinHash signatures, posting lists) -- are
written only at checkpoints: when a batch replaces documents, when `checkpoint_seconds` have passed and
at least `checkpoint_ratio` times the previous checkpoint's cost, and at the end of a run. A checkpoint
drops the journal. On start, committed batches newer than the checkpoint are replayed from their stored
rows (repeated lines observe the texts, the merger re-merges documents and statements, in commit order),
which restores exactly the state an uninterrupted run would have had.
"""

from __future__ import annotations

import copy
import gc
import itertools
import json
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import Any

from saidwhen.clean import RepeatedLines
from saidwhen.clean.repeated import LineHashes
from saidwhen.guard import describe
from saidwhen.ingest import read_inputs
from saidwhen.language import count_unread
from saidwhen.merge import Similarity
from saidwhen.merge.features import DocumentFeatures
from saidwhen.merge_store import StoreMerger, journal_entry, load_documents
from saidwhen.model import Document, RawDocument, Statement, document_id
from saidwhen.parallel import (
    Analysed,
    BatchJob,
    BatchResult,
    note_truncated,
    process_batch,
    resolve_statements,
)
from saidwhen.pipeline import IngestReport, batched
from saidwhen.problems import ProblemLog
from saidwhen.statements import NLP_DISABLE, SpeakerRegistry
from saidwhen.store import Store
from saidwhen.writer_lock import WriterLock

REPEATED_KEY = "repeated_lines"
SPEAKERS_KEY = "speakers"
SEQ_KEY = "ingest_seq"  # number of the last committed batch
CHECKPOINT_KEY = "ingest_checkpoint"  # batch number the saved repeated-lines and merge states cover
JOURNAL_PREFIX = "ingest_journal:"  # + 12-digit batch number -> journal_entry() of that batch
_JOURNAL_END = "ingest_journal;"  # ':' + 1: the end of the key range
REMERGE_KEY = "merge_rebuild_needed"  # set with a removal, cleared when the merge state was rebuilt without it

ProgressCallback = Callable[[IngestReport], None]


def _apply_user_registry(registry: SpeakerRegistry, user: SpeakerRegistry) -> None:
    """Add the people and role bindings of a user alias registry (they override learned bindings)."""
    update = getattr(registry, "update", None)
    if callable(update):
        update(user)
        return
    data = user.to_dict()
    for p in data.get("people", []):
        registry.add_person(
            p["name"], kind=p.get("kind", "person"), aliases=p.get("aliases", []), gender=p.get("gender")
        )
    for b in data.get("bindings", []):
        since, until = b.get("since"), b.get("until")
        registry.bind(
            b["role"],
            b["person"],
            None,
            since=date.fromisoformat(since) if since else None,
            until=date.fromisoformat(until) if until else None,
            user=bool(b.get("user", True)),
        )


SIMILARITY_KEY = "merge_similarity"


def record_similarity(store: Store, similarity: Similarity | None) -> str | None:
    """Record which statement similarity merges use; a note when it differs from the store's earlier runs."""
    used = str(getattr(similarity, "name", "semantic")) if similarity else "lexical"
    before = store.get_state(SIMILARITY_KEY)
    note = None
    if before is not None and before.decode() != used:
        note = (f"statements in this store were merged with {before.decode()} similarity; new ones are merged "
                f"with {used} (earlier merges are kept)")  # fmt: skip
    if before is None or before.decode() != used:
        with store.transaction():
            store.set_state(SIMILARITY_KEY, used.encode())
    return note


@dataclass
class _InFlight:
    fresh: list[RawDocument]
    previous: list[str | None]  # the stored document each of `fresh` replaces
    future: Future[Any]
    ids: list[str]  # the document id of each of `fresh`
    lines: list[LineHashes]  # what the repeated lines count of each of `fresh`


class StoreIngest:
    def __init__(
        self,
        store: Store,
        *,
        registry: SpeakerRegistry | None = None,
        batch_size: int = 64,
        extract: bool = True,
        nlp: Any = None,
        workers: int = 1,
        checkpoint_seconds: float = 60.0,
        checkpoint_ratio: float = 10.0,
        similarity: Similarity | None = None,
    ) -> None:
        self.store = store
        self.lock = WriterLock(store.path)
        self.lock.acquire()
        self.batch_size = batch_size
        self.extract = extract
        self.nlp = nlp
        self.workers = max(1, workers)
        self.checkpoint_seconds = checkpoint_seconds
        self.checkpoint_ratio = checkpoint_ratio
        self.timings: dict[str, float] = {}  # CPU seconds per stage (summed over processes)
        self.checkpoints = 0  # checkpoints written by this object (for the benchmark)
        self.checkpoint_bytes = 0
        self.worker_rss_mb = 0.0  # peak RSS reported by the worker processes
        self.worker_cpu: dict[int, float] = {}  # worker pid -> its CPU seconds at its last batch
        saved = store.get_state(REPEATED_KEY)
        self.repeated = RepeatedLines.from_dict(json.loads(saved)) if saved else RepeatedLines()
        saved = store.get_state(SPEAKERS_KEY)
        self.registry = SpeakerRegistry.from_dict(json.loads(saved)) if saved else SpeakerRegistry()
        if registry is not None:  # a user alias file overrides what was learned
            _apply_user_registry(self.registry, registry)
        self.merger = StoreMerger(store, similarity)
        self.seq = int(store.get_state(SEQ_KEY) or 0)
        self.checkpointed = int(store.get_state(CHECKPOINT_KEY) or 0)
        self._last_checkpoint = time.monotonic()
        self._checkpoint_cost = 0.0
        self.report: IngestReport | None = None
        self._seen: dict[str, set[str]] = {}  # file -> ids of the documents read from it in this run
        self._complete: list[str] = []  # files read to their end (their other stored documents are gone)
        self._relocated: list[tuple[str, str, int | None]] = []  # (id, source_key, line) of moved records
        try:
            self.replayed = self._recover()
        except BaseException:
            self.lock.release()
            raise

    def close(self) -> None:
        """Let other writers in (`run` does at its end)."""
        self.lock.release()

    # ------------------------------------------------------------------------------------------ running

    def run(
        self,
        paths: Iterable[str],
        problems: ProblemLog | None = None,
        on_document: ProgressCallback | None = None,
    ) -> IngestReport:
        report = IngestReport(problems=problems if problems is not None else ProblemLog())
        self.report = report
        self.lock.acquire()
        try:
            return self._run(paths, report, on_document)
        finally:
            gc.unfreeze()  # what the checkpoints froze goes back to the collector
            self.lock.release()

    def _run(self, paths: Iterable[str], report: IngestReport, on_document: ProgressCallback | None) -> IngestReport:
        reader = read_inputs(paths, report.problems, on_complete=self._complete.append)
        batches = batched(self._timed_reader(reader), self.batch_size)
        if self.workers > 1:
            # an input of one batch is not worth starting workers for (same results either way)
            first = next(batches, None)
            second = next(batches, None) if first is not None else None
            if second is None:
                batches = iter([first] if first is not None else [])
            else:
                self._run_parallel(itertools.chain([first, second], batches), report, on_document)
        for batch in batches:  # workers=1 (or what is left after the parallel run: nothing)
            self._ingest_batch(batch, report, on_document)
        self._remove_stale(report)
        if self.store.get_state(REMERGE_KEY) is not None:
            with self.store.transaction():
                report.remerged = self.merger.rebuild()
                self.store.conn.execute("DELETE FROM state WHERE key = ?", (REMERGE_KEY,))
                self._checkpoint()
        if self.seq > self.checkpointed:
            with self.store.transaction():
                self._checkpoint()
        return report

    def _timed_reader(self, raws: Iterator[RawDocument]) -> Iterator[RawDocument]:
        while True:
            t0 = time.process_time()
            raw = next(raws, None)
            self._time("read", t0)
            if raw is None:
                return
            yield raw

    def _time(self, stage: str, since: float) -> float:
        """Add the CPU seconds of this process since `since` (a `time.process_time()`) to `stage`."""
        now = time.process_time()
        self.timings[stage] = self.timings.get(stage, 0.0) + (now - since)
        return now

    def _classify(
        self,
        batch: list[RawDocument],
        report: IngestReport,
        on_document: ProgressCallback | None,
        pending_ids: set[str] | None = None,
        pending_sources: dict[str, str] | None = None,
    ) -> tuple[list[RawDocument], list[str | None], list[str]]:
        """The batch's new documents, the id of the stored document each replaces (or None), and their ids.

        `pending_*`: documents of earlier batches not committed yet (parallel ingest), which a
        sequential run would already find in the store."""
        t0 = time.process_time()
        fresh: list[RawDocument] = []
        previous_ids: list[str | None] = []
        fresh_ids: list[str] = []
        seen: set[str] = set()
        ids = [document_id(raw.text, raw.outlet) for raw in batch]
        # what the store holds of the batch, in one query each (nothing is written while classifying)
        stored_rows = self.store.documents_by_id(ids)
        stored_sources = self.store.ids_for_sources([raw.source_key for raw in batch])
        for raw, doc_id in zip(batch, ids, strict=True):
            report.read += 1
            in_file = self._seen.setdefault(raw.source_path, set())
            copy = doc_id in in_file  # a copy of an earlier record of the same file
            in_file.add(doc_id)
            if doc_id in seen or (pending_ids and doc_id in pending_ids):
                report.unchanged += 1
                if on_document:
                    on_document(report)
                continue
            stored = stored_rows.get(doc_id)
            if stored is not None:
                report.unchanged += 1
                if not copy and stored["source_path"] == raw.source_path and (
                    stored["source_key"] != raw.source_key or stored["line"] != raw.line
                ):
                    self._relocated.append((doc_id, raw.source_key, raw.line))  # the record moved in its file
                if on_document:
                    on_document(report)
                continue
            seen.add(doc_id)
            previous = pending_sources.get(raw.source_key) if pending_sources else None
            if previous is None:
                previous = stored_sources.get(raw.source_key)
            if previous is not None:
                report.updated += 1
            else:
                report.added += 1
            fresh.append(raw)
            previous_ids.append(previous)
            fresh_ids.append(doc_id)
        self._time("store", t0)
        return fresh, previous_ids, fresh_ids

    def _nlp(self) -> Any:
        if self.nlp is None and self.extract:
            from saidwhen.nlp import load_nlp

            self.nlp = load_nlp(disable=NLP_DISABLE)
        return self.nlp

    def _ingest_batch(
        self, batch: list[RawDocument], report: IngestReport, on_document: ProgressCallback | None
    ) -> None:
        """One batch in this process (`workers=1`): the workers' code, run here on the full state."""
        fresh, previous, _ids = self._classify(batch, report, on_document)
        if not fresh:
            return
        t = time.process_time()
        for raw in fresh:
            self.repeated.observe(raw.text, raw.outlet)
        self._time("clean", t)
        nlp = self._nlp()
        t = time.process_time()
        result = process_batch(BatchJob(fresh, self.repeated, self.extract), nlp)
        elapsed = time.process_time() - t
        self.timings["wait"] = self.timings.get("wait", 0.0) + max(0.0, elapsed - sum(result.timings.values()))
        self._complete_batch(fresh, previous, result, report, on_document)

    def _complete_batch(
        self,
        fresh: list[RawDocument],
        previous: list[str | None],
        result: BatchResult,
        report: IngestReport,
        on_document: ProgressCallback | None,
    ) -> None:
        """Report the batch's failed documents, resolve speakers (main process, input order), commit."""
        for stage, seconds in result.timings.items():
            self.timings[stage] = self.timings.get(stage, 0.0) + seconds
        failed = dict(result.failed)
        docs, features = list(result.docs), result.features
        analysed: list[Analysed | None] = list(result.analysed) if result.analysed is not None else []
        statements: list[Statement] = []
        t = time.process_time()
        keep: list[int] = []
        for j in range(len(docs)):
            if result.analysed is None:
                keep.append(j)
                continue
            item = analysed[j]
            assert item is not None
            try:
                sts = resolve_statements(item, self.registry)
            except Exception as e:  # one document's failure is its own problem
                failed[result.order[j]] = describe(e)
                continue
            keep.append(j)
            note_truncated(item, report.problems)
            statements.extend(sts)
            report.statements += len(sts)
            if on_document:
                on_document(report)
        self._time("statements", t)
        if result.analysed is None and on_document:
            on_document(report)
        if len(keep) < len(docs):
            docs = [docs[j] for j in keep]
            features = [features[j] for j in keep] if features is not None else None
        replaced: list[str] = []
        for i, (raw, old) in enumerate(zip(fresh, previous, strict=True)):
            if i in failed:
                report.problems.add(raw.source_path, failed[i], raw.line)
                report.failed += 1
                if old is not None:
                    report.updated -= 1
                    self._seen.setdefault(raw.source_path, set()).add(old)  # the stored version stays
                else:
                    report.added -= 1
            elif old is not None:
                replaced.append(old)
        self._commit(docs, statements, replaced, features)

    def _run_parallel(
        self, batches: Iterator[list[RawDocument]], report: IngestReport, on_document: ProgressCallback | None
    ) -> None:
        from saidwhen.parallel import WorkerPool, repeated_view

        pool = WorkerPool(self.workers, extract=self.extract)
        merge_spec = self.merger.feature_spec()  # workers compute the merge features too
        ahead = copy.deepcopy(self.repeated)  # observed up to the last dispatched batch
        pending_ids: set[str] = set()
        pending_sources: dict[str, str] = {}
        inflight: deque[_InFlight] = deque()
        max_inflight = 2 * self.workers
        try:
            for batch in batches:
                fresh, previous, ids = self._classify(batch, report, on_document, pending_ids, pending_sources)
                if not fresh:
                    continue
                t = time.process_time()
                lines = [ahead.hashes(raw.text, raw.outlet) for raw in fresh]  # once: observed twice, viewed
                for hashes in lines:
                    ahead.observe_hashes(hashes)
                view = repeated_view(ahead, lines)
                self._time("clean", t)
                for raw, doc_id in zip(fresh, ids, strict=True):
                    pending_ids.add(doc_id)
                    pending_sources[raw.source_key] = doc_id
                job = BatchJob(fresh, view, self.extract, merge_spec)
                inflight.append(_InFlight(fresh, previous, pool.submit(job), ids, lines))
                while len(inflight) >= max_inflight:
                    self._finish(inflight.popleft(), report, on_document, pending_ids, pending_sources)
            while inflight:
                self._finish(inflight.popleft(), report, on_document, pending_ids, pending_sources)
            pool.close()
        except BaseException:
            pool.terminate()
            raise

    def _finish(
        self,
        item: _InFlight,
        report: IngestReport,
        on_document: ProgressCallback | None,
        pending_ids: set[str],
        pending_sources: dict[str, str],
    ) -> None:
        t = time.perf_counter()
        result = item.future.result()
        self.timings["wait"] = self.timings.get("wait", 0.0) + time.perf_counter() - t  # wall seconds
        self.worker_rss_mb = max(self.worker_rss_mb, result.max_rss_mb)
        self.worker_cpu[result.pid] = result.cpu_s
        t = time.process_time()
        for hashes in item.lines:  # the committed state follows the batches as they are committed
            self.repeated.observe_hashes(hashes)
        self._time("clean", t)
        self._complete_batch(item.fresh, item.previous, result, report, on_document)
        for raw, doc_id in zip(item.fresh, item.ids, strict=True):
            pending_ids.discard(doc_id)
            if pending_sources.get(raw.source_key) == doc_id:
                del pending_sources[raw.source_key]

    # ------------------------------------------------------------------------------------------ writing

    def _commit(
        self, docs: list[Document], statements: list[Statement], replaced: list[str],
        features: list[DocumentFeatures] | None = None,
    ) -> None:
        # replaced documents may be in the journal: checkpoint so that a replay never needs them
        checkpoint = bool(replaced) or self._checkpoint_due()
        if self.extract and self.report is not None:
            count_unread(docs, self.report.unread)
        with self.store.transaction():
            t = time.process_time()
            for old in replaced:
                self.store.delete_document(old)
            if replaced:  # the merge state still knows them: rebuild it at the end of the run
                self.store.set_state(REMERGE_KEY, b"1")
            self._relocate()
            t = self._time("store", t)
            # sets the links the rows are saved with
            self.merger.add(docs, statements, removed=replaced, features=features)
            t = self._time("merge", t)
            self.store.save_documents(docs)
            self.store.save_statements(statements)
            self.seq += 1
            self.store.set_state(SEQ_KEY, str(self.seq).encode())
            self.store.set_state(f"{JOURNAL_PREFIX}{self.seq:012d}", journal_entry(docs, statements))
            self.store.set_state(SPEAKERS_KEY, json.dumps(self.registry.to_dict()).encode())
            self._time("store", t)
            if checkpoint:
                self._checkpoint()

    def _relocate(self) -> None:
        """Records that moved inside their file keep their document: their key and line follow them, and
        the merge state is rebuilt at the end of the run in the new file order (as a fresh ingest merges)."""
        if self._relocated:
            self.store.set_state(REMERGE_KEY, b"1")
        for doc_id, key, line in self._relocated:
            self.store.conn.execute(
                "UPDATE OR IGNORE documents SET source_key = ?, line = ?, meta = json_set(meta, '$.line', ?) "
                "WHERE id = ?",
                (key, line, line, doc_id),
            )
        self._relocated.clear()

    def _remove_stale(self, report: IngestReport) -> None:
        """Delete the stored documents of each completely read file that the file no longer holds."""
        stale: list[str] = []
        for path in dict.fromkeys(self._complete):
            if path == "-":
                continue
            seen = self._seen.get(path, set())
            rows = self.store.conn.execute("SELECT id FROM documents WHERE source_path = ?", (path,))
            stale.extend(row["id"] for row in rows if row["id"] not in seen)
        self._complete.clear()
        if stale or self._relocated:
            report.removed += len(stale)
            self._commit([], [], stale)

    def _checkpoint_due(self) -> bool:
        waited = time.monotonic() - self._last_checkpoint
        return waited >= max(self.checkpoint_seconds, self.checkpoint_ratio * self._checkpoint_cost)

    def _checkpoint(self) -> None:
        """Write the repeated-lines and merge states, covering batch `self.seq`; drop the journal."""
        t0, wall = time.process_time(), time.perf_counter()
        repeated = json.dumps(self.repeated.to_dict()).encode()
        self.store.set_state(REPEATED_KEY, repeated)
        size = len(repeated) + self.merger.save_state()
        self.store.set_state(CHECKPOINT_KEY, str(self.seq).encode())
        self.store.conn.execute(
            "DELETE FROM state WHERE key >= ? AND key < ?", (JOURNAL_PREFIX, _JOURNAL_END)
        )
        self.checkpointed = self.seq
        self.checkpoints += 1
        self.checkpoint_bytes = size
        self._checkpoint_cost = time.perf_counter() - wall  # the writing: what the next interval scales with
        # The merge state is millions of long-lived Python objects (ids, dicts, cached vectors): each full
        # collection would walk them all again. Collect the garbage once, then freeze the survivors out of
        # later collections (reference counting still frees them); `run` unfreezes them at the end.
        gc.collect()
        gc.freeze()
        self._time("checkpoint", t0)
        self._last_checkpoint = time.monotonic()

    def _recover(self) -> int:
        """Replay the batches committed after the last checkpoint; the number of documents replayed."""
        rows = self.store.conn.execute(
            "SELECT key, value FROM state WHERE key >= ? AND key < ? ORDER BY key",
            (JOURNAL_PREFIX, _JOURNAL_END),
        ).fetchall()
        entries: list[tuple[str, list[str]]] = []
        for row in rows:
            if int(row["key"][len(JOURNAL_PREFIX) :]) > self.checkpointed:
                entries.extend((doc_id, st_ids) for doc_id, st_ids in json.loads(bytes(row["value"])))
        if not rows:
            return 0
        with self.store.transaction():
            documents = load_documents(self.store, entries)
            for doc, _ in documents:
                self.repeated.observe(doc.text, doc.outlet)
            self.merger.replay(documents)
            self._checkpoint()
        return len(documents)
