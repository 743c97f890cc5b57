"""The Python API behind `saidwhen.analyze` and `saidwhen.open` (re-exported by `saidwhen/__init__.py`).

    import saidwhen
    result = saidwhen.analyze(["articles/", "Maria Lindqvist said on Monday: \\"We will stay.\\""])
    result.statements.to_pandas()

    corpus = saidwhen.open("news.db")          # created on first ingest
    corpus.ingest(["articles/"])
    corpus.statements(speaker="Maria Lindqvist", since="2024-01-01").to_pandas()
    corpus.timeline(topic="membership").to_arrow()

Every result is a `Records` list of dataclasses with `to_pandas()` / `to_arrow()` (saidwhen.records). The
CLI and the HTTP API read the store through the same `Store`/`queries` functions these methods call;
`export --format parquet` writes these methods' tables.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from saidwhen import embeddings as embeddings_module
from saidwhen.export.csvout import timeline_rows
from saidwhen.export.tables import claim_history_rows
from saidwhen.ingest import read_inputs
from saidwhen.ingest.files import InputError
from saidwhen.ingest.text import parse_text
from saidwhen.language import unread_summary
from saidwhen.model import SPEAKER_TYPES, Claim, Document, Event, RawDocument, Statement
from saidwhen.pipeline import IngestReport, analyze_raw
from saidwhen.problems import ProblemLog
from saidwhen.records import ClaimHistoryRow, Records, Speaker
from saidwhen.serialize import day, document_from_record, statement_from_record
from saidwhen.statements import SpeakerRegistry
from saidwhen.store import Store
from saidwhen.timeline import build_timeline

PAGE = 5000
DateLike = date | str | None
Kind = Literal["direct", "indirect", "mixed", "belief"]
SpeakerType = Literal["person", "organisation", "group", "document", "anonymous", "unknown"]


def _iso(value: DateLike) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else date.fromisoformat(value).isoformat()


def _speaker_type(value: str | None) -> str | None:
    if value is not None and value not in SPEAKER_TYPES:
        raise ValueError(f"unknown speaker type {value!r}; use one of {', '.join(SPEAKER_TYPES)}")
    return value


def _registry(aliases: str | Path | None) -> SpeakerRegistry | None:
    return SpeakerRegistry.from_yaml(Path(aliases)) if aliases is not None else None


# ---- analyze: everything in memory -------------------------------------------------------------------


@dataclass
class Analysis:
    """What `saidwhen.analyze` found: the pipeline's dataclasses, as tables on demand."""

    documents: Records[Document]
    statements: Records[Statement]
    events: Records[Event]
    claims: Records[Claim]
    problems: ProblemLog = field(default_factory=ProblemLog)
    unread: Counter[str] = field(default_factory=Counter)  # articles without statement extraction, by language

    def unread_summary(self) -> list[str]:
        """'no statement model for uk: 12 articles', one line per language."""
        return unread_summary(self.unread)

    def __repr__(self) -> str:
        return (f"<Analysis: {len(self.documents)} documents, {len(self.statements)} statements, "
                f"{len(self.events)} events, {len(self.claims)} claims>")  # fmt: skip


def _raw_inputs(items: Iterable[str | Path], problems: ProblemLog) -> Iterator[RawDocument]:
    """Paths (files, folders) are read like the CLI reads them; any other string is an article's text
    (a `date`/`source` header is understood, as in a .txt file)."""
    for i, item in enumerate(items):
        if isinstance(item, Path) or ("\n" not in item and len(item) < 4096 and os.path.exists(item)):
            yield from read_inputs([str(item)], problems)
            continue
        key = f"<text {i + 1}>"
        try:
            yield parse_text(item, key)
        except InputError as exc:
            problems.add(key, str(exc))


def analyze(
    texts_or_paths: str | Path | Iterable[str | Path],
    *,
    aliases: str | Path | None = None,
    embeddings: bool | None = False,
) -> Analysis:
    """Run the whole pipeline in memory over article texts and/or files and folders.

    `embeddings`: merge paraphrases with the sentence-embedding model (None: when it is built; default off,
    so a notebook gets the same result everywhere)."""
    items = [texts_or_paths] if isinstance(texts_or_paths, str | Path) else list(texts_or_paths)
    problems = ProblemLog()
    similarity = embeddings_module.resolve(embeddings)
    result = analyze_raw(_raw_inputs(items, problems), problems, registry=_registry(aliases), similarity=similarity)
    return Analysis(
        documents=Records(result.documents, Document),
        statements=Records(result.statements, Statement),
        events=Records(result.events, Event),
        claims=Records(result.claims, Claim),
        problems=problems,
        unread=result.unread,
    )


# ---- a store --------------------------------------------------------------------------------------


@dataclass
class Timeline:
    """A timeline as `saidwhen timeline` builds it: `data` (the JSON export's dict) and its items as rows."""

    data: dict[str, Any]
    items: Records[dict[str, Any]]

    def to_records(self) -> list[dict[str, Any]]:
        return self.items.to_records()

    def to_pandas(self) -> Any:
        return self.items.to_pandas()

    def to_arrow(self) -> Any:
        return self.items.to_arrow()


class Corpus:
    """A saidwhen store (one SQLite file) opened from Python; `saidwhen.open(path)`."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.store = Store(self.path, readonly=readonly)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Corpus {self.path}: {self.store.stats()['documents']} documents>"

    # ---- writing

    def ingest(
        self,
        paths: str | Path | Iterable[str | Path],
        *,
        aliases: str | Path | None = None,
        workers: int = 1,
        embeddings: bool | None = None,
        extract: bool = True,
    ) -> IngestReport:
        """Read files/folders into the store, as `saidwhen ingest` does (safe to re-run; resumes).

        The report counts read/added/updated/unchanged documents, statements, problems (file, line, reason)
        and `unread` (articles read without statement extraction, by language)."""
        from saidwhen.store_ingest import StoreIngest, record_similarity

        items = [paths] if isinstance(paths, str | Path) else list(paths)
        similarity = embeddings_module.resolve(embeddings)
        record_similarity(self.store, similarity)
        runner = StoreIngest(self.store, registry=_registry(aliases), workers=workers, extract=extract,
                             similarity=similarity)  # fmt: skip
        return runner.run([str(p) for p in items], ProblemLog())

    # ---- reading

    def documents(
        self,
        *,
        outlet: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        query: str | None = None,
        language: str | None = None,
        event: str | None = None,
        limit: int | None = None,
    ) -> Records[Document]:
        """Documents (without their text: `document(id)` has it) by publication date, or by relevance."""
        rows = self._paged(self.store.documents, limit, outlet=outlet, since=_iso(since), until=_iso(until),
                           query=query, language=language, event_id=event)  # fmt: skip
        return Records((document_from_record(r) for r in rows), Document)

    def document(self, doc_id: str) -> Document | None:
        """One document with its original text (a unique id prefix is enough)."""
        row = self.store.document(doc_id)
        return document_from_record(row) if row else None

    def statements(
        self,
        *,
        speaker: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        kind: Kind | None = None,
        query: str | None = None,
        outlet: str | None = None,
        language: str | None = None,
        event: str | None = None,
        claim: str | None = None,
        speaker_type: SpeakerType | None = None,
        limit: int | None = None,
    ) -> Records[Statement]:
        """Who said what, when: by date, or by relevance with `query` (full-text); `speaker_type` keeps the
        statements whose source is of that type (`person`, `organisation`, `group`, `document`, `anonymous`,
        `unknown`), as the CLI's `--speaker-type` and the API's `speaker_type=`."""
        rows = self._paged(self.store.statements, limit, speaker=speaker, since=_iso(since), until=_iso(until),
                           query=query, outlet=outlet, language=language, event_id=event, claim_id=claim,
                           kind=kind, speaker_type=_speaker_type(speaker_type))  # fmt: skip
        return Records((statement_from_record(r) for r in rows), Statement)

    def speakers(self, *, speaker_type: SpeakerType | None = None, limit: int | None = None) -> Records[Speaker]:
        """People, organisations and unnamed sources with their counts and aliases (`speaker_type` as above)."""
        rows = self.store.speakers(limit=limit or 10**9, speaker_type=_speaker_type(speaker_type))
        return Records((Speaker(r["name"], r["count"], day(r["first"]), day(r["last"]), list(r["aliases"]))
                        for r in rows), Speaker)  # fmt: skip

    def events(self, *, since: DateLike = None, until: DateLike = None, limit: int | None = None) -> Records[Event]:
        rows = self._paged(self.store.events, limit, since=_iso(since), until=_iso(until))
        return Records((Event(r["id"], day(r["date"]), r["title"], r["place"], list(r["document_ids"]))
                        for r in rows), Event)  # fmt: skip

    def claims(self, *, limit: int | None = None) -> Records[Claim]:
        rows = self._paged(self.store.claims, limit)
        return Records((Claim(r["id"], list(r["statement_ids"]), r["summary"]) for r in rows), Claim)

    def claim_history(self, claim: str | None = None) -> Records[ClaimHistoryRow]:
        """Each claim's statements, oldest first: claim, statement, speaker, date, outlet, wording."""
        claims = self.store.claims_by_id([claim]).values() if claim else self._paged(self.store.claims, None)
        return claim_history_rows(self.store, claims)

    def timeline(
        self,
        *,
        speaker: str | None = None,
        topic: str | None = None,
        event: str | None = None,
        since: DateLike = None,
        until: DateLike = None,
        all: bool = False,  # noqa: A002 - the CLI's --all
        per_date: int = 3,
    ) -> Timeline:
        """The timeline `saidwhen timeline` shows: one row per statement as said, with its outlets."""
        data = build_timeline(self.store, speaker=speaker, topic=topic, event_id=event, since=_iso(since),
                              until=_iso(until), show_all=all, per_date=per_date)  # fmt: skip
        return Timeline(data, Records(timeline_rows(data), dict))

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def _paged(self, read: Any, limit: int | None, **filters: Any) -> Iterator[dict[str, Any]]:
        """All rows of a paged store read (or the first `limit`)."""
        offset = 0
        while True:
            size = PAGE if limit is None else min(PAGE, limit - offset)
            if size <= 0:
                return
            page = read(limit=size, offset=offset, **filters)
            yield from page
            if len(page) < size:
                return
            offset += size


def open(path: str | Path, *, readonly: bool = False) -> Corpus:  # noqa: A001 - saidwhen.open, like sqlite3's
    """Open (or, unless `readonly`, create) the saidwhen store at `path`."""
    return Corpus(path, readonly=readonly)
