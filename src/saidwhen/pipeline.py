"""Composes the stages: ingest -> clean -> date -> statements -> merge.

`analyze` is the stateless path (everything in memory, one JSON result). `Ingestor` streams inputs into a
store in committed batches, so an interrupted run resumes where it stopped and a re-run adds nothing.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from saidwhen.clean import RepeatedLines, clean_text
from saidwhen.dates import date_statements, infer_published
from saidwhen.ingest import read_inputs
from saidwhen.language import count_unread, document_language
from saidwhen.model import CleanText, Document, RawDocument, Statement, document_id
from saidwhen.problems import ProblemLog
from saidwhen.serialize import claim_record, document_record, event_record, statement_record
from saidwhen.statements import SpeakerRegistry, extract_statements

if TYPE_CHECKING:
    from saidwhen.merge import Similarity


MAX_DATE_CHARS = 100_000


def prepare(raw: RawDocument, repeated: RepeatedLines | None = None) -> Document:
    """clean + date one raw document."""
    return dated_document(raw, clean_text(raw.text, repeated, raw.outlet))


def dated_document(raw: RawDocument, clean: CleanText) -> Document:
    """The date half of `prepare`: the Document of a raw document and its cleaned text. The publication
    date is looked for in the first MAX_DATE_CHARS characters (the work per document stays bounded)."""
    head = clean if len(clean.text) <= MAX_DATE_CHARS else CleanText(
        clean.text[:MAX_DATE_CHARS], clean.offsets[: MAX_DATE_CHARS + 1])
    published, published_from = infer_published(raw, head)
    meta = dict(raw.meta)
    if raw.line is not None:
        meta["line"] = raw.line
    return Document(
        id=document_id(raw.text, raw.outlet),
        source_path=raw.source_path,
        source_key=raw.source_key,
        text=raw.text,
        clean=clean,
        title=raw.title,
        url=raw.url,
        outlet=raw.outlet,
        language=document_language(raw.language, clean.text),
        published=published,
        published_from=published_from,
        meta=meta,
    )


def extract_dated(
    docs: Iterable[Document], registry: SpeakerRegistry, nlp: Any = None
) -> Iterator[tuple[Document, list[Statement]]]:
    """statements + their dates, streamed document by document."""
    for doc, statements in extract_statements(docs, nlp, registry=registry):
        date_statements(doc, statements)
        yield doc, statements


@dataclass
class AnalysisResult:
    documents: list[Document]
    statements: list[Statement]
    events: list[Any]
    claims: list[Any]
    problems: ProblemLog

    @property
    def unread(self) -> Counter[str]:
        """Articles read without statement extraction, by language (`saidwhen.language`)."""
        return count_unread(self.documents)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents": [document_record(d) for d in self.documents],
            "statements": [statement_record(s) for s in self.statements],
            "events": [event_record(e) for e in self.events],
            "claims": [claim_record(c) for c in self.claims],
        }


def analyze(
    paths: Iterable[str],
    problems: ProblemLog | None = None,
    *,
    registry: SpeakerRegistry | None = None,
    nlp: Any = None,
    similarity: Similarity | None = None,
) -> AnalysisResult:
    """The whole pipeline in memory, no store: the `analyze` command and the Spark reference.

    `similarity` is the merge stage's semantic hook (`saidwhen.embeddings`); the Spark reference has none."""
    problems = problems if problems is not None else ProblemLog()
    return analyze_raw(read_inputs(paths, problems), problems, registry=registry, nlp=nlp, similarity=similarity)


def analyze_raw(
    raws: Iterable[RawDocument],
    problems: ProblemLog | None = None,
    *,
    registry: SpeakerRegistry | None = None,
    nlp: Any = None,
    similarity: Similarity | None = None,
) -> AnalysisResult:
    """`analyze` over documents already read (the Python API passes texts as well as paths)."""
    from saidwhen.guard import batch_or_each, describe
    from saidwhen.merge import merge_corpus  # here: workers import this module and never merge
    from saidwhen.parallel import analyse as analyse_batch
    from saidwhen.parallel import note_truncated, resolve_statements

    problems = problems if problems is not None else ProblemLog()
    raws = list(raws)
    repeated = RepeatedLines()
    for raw in raws:
        repeated.observe(raw.text, raw.outlet)
    prepared: list[Document] = []
    seen: set[str] = set()
    for raw in raws:
        try:  # one document's failure is a problem for that document
            doc = prepare(raw, repeated)
        except Exception as e:
            problems.add(raw.source_path, describe(e), raw.line)
            continue
        if doc.id not in seen:
            seen.add(doc.id)
            prepared.append(doc)
    registry = registry if registry is not None else SpeakerRegistry()
    if nlp is None:
        from saidwhen.nlp import load_nlp
        from saidwhen.statements import NLP_DISABLE

        nlp = load_nlp(disable=NLP_DISABLE)
    docs: list[Document] = []
    statements: list[Statement] = []
    for lo in range(0, len(prepared), 32):
        chunk = prepared[lo : lo + 32]
        found, failures = batch_or_each(chunk, lambda ds: analyse_batch(ds, nlp))
        for j, reason in failures:
            problems.add(chunk[j].source_path, reason, chunk[j].meta.get("line"))
        for item in found:
            if item is None:
                continue
            try:
                sts = resolve_statements(item, registry)
            except Exception as e:
                problems.add(item.doc.source_path, describe(e), item.doc.meta.get("line"))
                continue
            note_truncated(item, problems)
            docs.append(item.doc)
            statements.extend(sts)
    merged = merge_corpus(docs, statements, similarity)
    return AnalysisResult(docs, statements, merged.events, merged.claims, problems)


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0  # read, but their processing raised (each is a problem): read = added+updated+unchanged+failed
    removed: int = 0  # stored documents no longer in their (completely read) file
    remerged: int = 0  # documents merged again from scratch after removals (no trace of the removed ones)
    statements: int = 0
    problems: ProblemLog = field(default_factory=ProblemLog)
    unread: Counter[str] = field(default_factory=Counter)  # articles without statement extraction, by language

    @property
    def rejected(self) -> int:
        return len(self.problems)


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while batch := list(itertools.islice(it, size)):
        yield batch


ProgressCallback = Callable[[IngestReport], None]
