"""Clean, date and statement analysis of ingest batches in worker processes.

The main process reads inputs, decides added/unchanged/updated, observes repeated lines, and sends each
batch of fresh `RawDocument`s to a worker with a *view* of the `RepeatedLines` state (only the entries the
batch's lines can ask for, as of that batch: the same answers the full state would give). A worker (one
spaCy model each, loaded once) cleans and dates the documents and runs everything of the statement stage
that does not depend on the corpus-wide `SpeakerRegistry`: segmentation, quotes, the dependency parse,
reported speech, and the dates of the statements (which depend on offsets, text and cue, not on the
speaker). The main process then resolves speakers against the one registry in input order
(`resolve_statements`), so the registry evolves exactly as in a single process and `--workers N` gives the
same statements, speakers and dates as `--workers 1` for any N. Workers also compute the batch's merge
features (`merge_features`: what each merge component needs of one text alone, embeddings included), so the
main process, which has to merge every article in order, only compares; the links are the same.

The split is the one `saidwhen.statements.extract` makes itself: `analyse` (no registry) in the worker,
`resolve` and `to_attributions` in the main process, as `extract_attributions` runs them;
`tests/test_parallel.py` checks that both paths give identical statements.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import json
import multiprocessing
import os
import resource
import signal
import threading
import time
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saidwhen.clean import RepeatedLines, clean_text
from saidwhen.clean.repeated import LineHashes
from saidwhen.dates import date_statements
from saidwhen.guard import batch_or_each, each
from saidwhen.merge import CorpusMerger
from saidwhen.merge.features import DocumentFeatures
from saidwhen.model import CleanText, Document, RawDocument, Statement
from saidwhen.pipeline import dated_document
from saidwhen.problems import ProblemLog
from saidwhen.statements import SpeakerRegistry

# ---------------------------------------------------------------------------------------------------------
# repeated lines: the part of the state one batch needs


def repeated_view(repeated: RepeatedLines, docs: Iterable[RawDocument | LineHashes]) -> RepeatedLines:
    """A copy of `repeated` holding only the entries that lines of `docs` can look up.

    `clean_text` asks `is_repeated(line, outlet)` for the stripped lines of the text, which looks up the
    outlet table and the corpus table by the line's key: the keys `RepeatedLines.hashes` gives (a document's
    hashes may be passed instead of the document, computed once for observing it too). Every such entry is
    copied (plus the document counts), so the view answers exactly like the full state while being a few
    kilobytes to send.
    """
    view = RepeatedLines(
        repeated.min_docs,
        repeated.min_fraction,
        outlet_fraction=repeated.outlet_fraction,
        max_chars=repeated.max_chars,
        max_keys=repeated.max_keys,
    )
    view.total_docs = repeated.total_docs
    view.outlet_docs = dict(repeated.outlet_docs)
    for doc in docs:
        hashes = doc if isinstance(doc, LineHashes) else repeated.hashes(doc.text, doc.outlet)
        for outlet_hash, corpus_hash, _context in hashes.lines:
            entry = repeated.outlet_lines.get(outlet_hash)
            if entry is not None:
                view.outlet_lines[outlet_hash] = list(entry)
            entry = repeated.corpus_lines.get(corpus_hash)
            if entry is not None:
                view.corpus_lines[corpus_hash] = list(entry)
    return view


# ---------------------------------------------------------------------------------------------------------
# statements: registry-free analysis (worker) + speaker resolution (main)


@dataclass
class Analysed:
    """One document after the registry-free part of the statement stage."""

    prepared: Any  # saidwhen.statements.extract.Prepared (holds the Document)
    candidates: list[Any]  # merged, unresolved Candidates
    statements: list[Statement]  # each candidate's statement, dated, its speaker not resolved yet

    @property
    def doc(self) -> Document:
        return self.prepared.doc  # type: ignore[no-any-return]

    @property
    def texts(self) -> list[str]:
        return [st.text for st in self.statements]


def analyse(docs: list[Document], nlp: Any, *, chunk: int = 32,
            timings: dict[str, float] | None = None) -> list[Analysed]:
    """Everything of `extract_dated` that does not touch the speaker registry, in input order."""
    from saidwhen.statements import extract as ex

    out: list[Analysed] = []
    for lo in range(0, len(docs), max(1, chunk)):
        t0 = time.process_time()
        analysed = ex.analyse(docs[lo : lo + chunk], nlp)
        t1 = time.process_time()
        for p, cands in analysed:
            # statements with their final offsets, text and cue (speakers come later): date them now
            provisional = [a.statement for a in ex.to_attributions(p, cands)]
            if provisional:
                date_statements(_searched_part(p), provisional)
            out.append(Analysed(p, cands, provisional))
        if timings is not None:
            t2 = time.process_time()
            timings["statements"] = timings.get("statements", 0.0) + (t1 - t0)
            timings["date"] = timings.get("date", 0.0) + (t2 - t1)
    return out


def note_truncated(item: Analysed, problems: ProblemLog) -> None:
    """Say so when only the start of a long document was searched for statements (the work bound)."""
    truncated = item.prepared.truncated
    if truncated:
        problems.note(item.doc.source_path, f"too long: statements searched in the first {truncated:,} characters "
                      f"only (truncated at {truncated:,})", item.doc.meta.get("line"))


def _searched_part(p: Any) -> Document:
    """The document as far as statements were searched (all of it unless the work bound cut it)."""
    if not p.truncated:
        return p.doc  # type: ignore[no-any-return]
    short = copy.copy(p.doc)
    short.text = p.doc.text[: p.clean.offsets[min(p.truncated, len(p.clean.offsets) - 1)] + 1]
    return short


def resolve_statements(item: Analysed, registry: SpeakerRegistry) -> list[Statement]:
    """Speakers resolved against the corpus registry (updating it), then the dated statements (the analysed
    ones, given their speakers: what `to_attributions` would make of the resolved candidates)."""
    from saidwhen.statements import extract as ex

    index = {id(c): i for i, c in enumerate(item.candidates)}
    cands = ex.resolve(item.prepared, item.candidates, registry)  # a subset, reordered, same objects
    statements = []
    for c in cands:
        st = item.statements[index[id(c)]]
        ex.set_speaker(st, c)
        statements.append(st)
    return statements


# ---------------------------------------------------------------------------------------------------------
# the worker side


@dataclass
class BatchJob:
    raws: list[RawDocument]
    repeated: RepeatedLines  # a view for these documents
    extract: bool
    merge: dict[str, Any] | None = None  # `StoreMerger.feature_spec()`: compute the merge features


@dataclass
class BatchResult:
    docs: list[Document]
    analysed: list[Analysed] | None  # None without statement extraction
    timings: dict[str, float] = field(default_factory=dict)  # CPU seconds per stage
    max_rss_mb: float = 0.0  # the worker's peak RSS so far
    pid: int = 0
    cpu_s: float = 0.0  # the worker's CPU seconds so far
    features: list[DocumentFeatures] | None = None  # merge features of `docs`, when the job asked
    order: list[int] = field(default_factory=list)  # index in the job's `raws` of each of `docs`
    failed: list[tuple[int, str]] = field(default_factory=list)  # (index in `raws`, reason): left out


_NLP: Any = None
_MERGERS: dict[str, CorpusMerger] = {}  # empty mergers computing features, by their spec


def merge_features(
    spec: dict[str, Any], docs: list[Document], analysed: list[Analysed] | None
) -> list[DocumentFeatures]:
    """The merge features of a batch (`CorpusMerger.features`), with a merger built from `spec` once per
    process; without the embedding model the vectors are left to the main process."""
    key = json.dumps(spec, sort_keys=True)
    merger = _MERGERS.get(key)
    if merger is None:
        similarity = None
        if spec.get("embeddings"):
            from saidwhen.embeddings import EmbeddingsMissingError, load_similarity

            try:
                # the static vectors only: a pair model's transformer runs in the main process, on the
                # pairs it judges
                similarity = load_similarity(Path(spec["embeddings"]), pair=False)
            except EmbeddingsMissingError:
                similarity = None
        merger = _MERGERS[key] = CorpusMerger.from_params(spec["params"], similarity)
    texts = [a.texts for a in analysed] if analysed is not None else [[] for _ in docs]
    return merger.features(list(zip(docs, texts, strict=True)))


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie, killed but not reaped yet, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except OSError:
        return True  # no /proc: kill(0) said it exists


def _watch_parent(pid: int, interval: float) -> None:
    """End this worker when the ingest that started it has died (SIGKILL leaves no time to stop us)."""
    while True:
        time.sleep(interval)
        if not _alive(pid):
            os._exit(1)


def _init_worker(extract: bool, model_env: str | None, parent: int | None = None, interval: float = 1.0) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's business
    if parent is not None:
        threading.Thread(target=_watch_parent, args=(parent, interval), daemon=True, name="parent-watch").start()
    global _NLP
    if model_env:
        os.environ["SAIDWHEN_SPACY_MODEL"] = model_env
    if extract:
        from saidwhen.nlp import load_nlp
        from saidwhen.statements import NLP_DISABLE

        _NLP = load_nlp(disable=NLP_DISABLE)


def process_batch(job: BatchJob, nlp: Any = None) -> BatchResult:
    """clean + date + registry-free statement analysis (+ the merge features) of one batch (in a worker,
    or in-process). A document whose processing raises is left out and listed in `failed`."""
    timings: dict[str, float] = {}
    t0 = time.process_time()
    cleans, failed = each(job.raws, lambda raw: clean_text(raw.text, job.repeated, raw.outlet))
    t1 = time.process_time()
    dated, failures = each(
        [(i, raw, clean) for i, (raw, clean) in enumerate(zip(job.raws, cleans, strict=True)) if clean is not None],
        lambda item: dated_document(item[1], item[2]),
    )
    kept = [i for i, (raw, clean) in enumerate(zip(job.raws, cleans, strict=True)) if clean is not None]
    failed += [(kept[j], reason) for j, reason in failures]
    order = [i for i, doc in zip(kept, dated, strict=True) if doc is not None]
    docs = [doc for doc in dated if doc is not None]
    t2 = time.process_time()
    timings["clean"], timings["date"] = t1 - t0, t2 - t1
    analysed: list[Analysed] | None = None
    if job.extract:
        model = nlp if nlp is not None else _NLP
        found, failures = batch_or_each(docs, lambda ds: analyse(ds, model, timings=timings))
        failed += [(order[j], reason) for j, reason in failures]
        order = [i for i, a in zip(order, found, strict=True) if a is not None]
        docs = [a.doc for a in found if a is not None]
        analysed = [a for a in found if a is not None]
    features = None
    if job.merge is not None:
        t3 = time.process_time()
        spec = job.merge
        computed, failures = batch_or_each(
            list(range(len(docs))),
            lambda idx: merge_features(spec, [docs[k] for k in idx], [analysed[k] for k in idx] if analysed else None),
        )
        if failures:
            bad = {j for j, _ in failures}
            failed += [(order[j], reason) for j, reason in failures]
            keep = [j for j in range(len(docs)) if j not in bad]
            order, docs = [order[j] for j in keep], [docs[j] for j in keep]
            analysed = [analysed[j] for j in keep] if analysed is not None else None
        features = [f for f in computed if f is not None]
        timings["merge"] = time.process_time() - t3
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return BatchResult(
        docs, analysed, timings, usage.ru_maxrss / 1024, os.getpid(), usage.ru_utime + usage.ru_stime, features,
        order, sorted(failed),
    )


def _run(job: BatchJob) -> BatchResult:
    return for_main(process_batch(job))


def for_main(result: BatchResult) -> BatchResult:
    """A worker's result without what the main process never reads, so that sending it (pickling here,
    unpickling in the main process, which competes with the workers for the cores) costs less: the offset
    maps of the cleaned texts (the statements carry their original offsets; the store keeps no map, as
    documents replayed from it have none) and the analysis the speaker resolution does not read (sentences,
    paragraphs, parse targets)."""
    for doc in result.docs:
        doc.clean = CleanText(doc.clean.text, [], doc.clean.removed)
    for item in result.analysed or ():
        p = item.prepared
        item.prepared = dataclasses.replace(
            p, clean=CleanText(p.clean.text, [], []), paras=[], sents=[], cands=[], targets=[]
        )
    return result


class WorkerPool:
    """A process pool whose workers load the model once.

    'forkserver' where available: the server imports this module (and so the stages) once per process,
    and every worker is forked from it, clean of this process's threads and state; else 'spawn'.
    Workers report their CPU time and peak RSS with each batch (forked workers are children of the
    server, so RUSAGE_CHILDREN of this process does not see them). Each worker watches this process and
    exits within a second or so of its death (a SIGKILLed ingest leaves no orphans holding memory)."""

    def __init__(self, workers: int, *, extract: bool) -> None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["saidwhen.parallel"])
        else:
            ctx = multiprocessing.get_context("spawn")
        self.workers = workers
        self.executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(extract, os.environ.get("SAIDWHEN_SPACY_MODEL"), os.getpid()),
        )

    def submit(self, job: BatchJob) -> Future[BatchResult]:
        return self.executor.submit(_run, job)

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def terminate(self) -> None:
        """Stop at once (Ctrl-C, errors): cancel queued batches and end the worker processes."""
        terminate = getattr(self.executor, "terminate_workers", None)  # Python 3.14+
        if terminate is not None:
            terminate()
            return
        processes = dict(getattr(self.executor, "_processes", None) or {})
        results = getattr(self.executor, "_result_queue", None)
        calls = getattr(self.executor, "_call_queue", None)
        if calls is not None:
            calls.cancel_join_thread()  # its feeder may be blocked on a pipe no worker reads any more
        self.executor.shutdown(wait=False, cancel_futures=True)
        for proc in processes.values():
            if proc.is_alive():
                proc.terminate()
        for proc in processes.values():
            proc.join(timeout=5)
        # A worker ended while sending a result leaves half a message in the result pipe, and the pool's
        # manager thread would wait for the rest for ever (and the interpreter for that thread at exit). With
        # the workers gone this process holds the pipe's last writing end: closing it ends that read with EOF.
        writer = getattr(results, "_writer", None)
        if writer is not None and all(not proc.is_alive() for proc in processes.values()):
            with contextlib.suppress(OSError):
                writer.close()
