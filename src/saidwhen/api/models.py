"""Response models: they document the API in its OpenAPI spec (fields as in docs/schema.md)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    limit: int
    offset: int
    next_offset: int | None  # offset of the next page, or null on the last one


class DocumentOut(BaseModel):
    id: str
    source_path: str
    source_key: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    language: str | None = None
    published: str | None = None
    published_from: str
    published_range: str | None = None  # "2023-11-30/2023-12-01" when the evidence is a range
    duplicate_of: str | None = None
    event_id: str | None = None
    line: int | None = None
    snippet: str | None = None  # with a text query: the matching passage, hits in [brackets]


class RemovedSpan(BaseModel):
    start: int
    end: int
    reason: str


class StatementOut(BaseModel):
    id: str
    document_id: str
    speaker: str | None = None
    speaker_mention: str | None = None
    text: str
    kind: str
    cue: str | None = None
    start: int
    end: int
    confidence: float
    date: str | None = None
    date_from: str
    claim_id: str | None = None
    merged_id: str | None = None
    speaker_type: str | None = None
    outlet: str | None = None
    document_title: str | None = None
    url: str | None = None


class DocumentFull(DocumentOut):
    text: str  # the original text: statement spans index it
    clean_text: str
    removed: list[RemovedSpan]  # parts of `text` the cleaner removed, and why
    meta: dict[str, Any]
    statements: list[StatementOut]


class SpeakerOut(BaseModel):
    name: str
    aliases: list[str]
    count: int
    first: str | None = None
    last: str | None = None
    type: str | None = None  # person | organisation | group | document | anonymous | unknown


class EventOut(BaseModel):
    id: str
    date: str | None = None
    title: str
    place: str | None = None
    document_ids: list[str]


class EventFull(EventOut):
    documents: list[DocumentOut]


class ClaimOut(BaseModel):
    id: str
    summary: str
    statement_ids: list[str]
    history: list[StatementOut]  # its statements, oldest first


class MergedOut(BaseModel):
    id: str
    speaker: str | None = None
    text: str
    date: str | None = None
    statement_ids: list[str]


class StatementFull(StatementOut):
    reports: list[StatementOut]  # every report of the same statement (same merged_id), this one included
    merged: MergedOut | None = None
    claim: ClaimOut | None = None
    event: EventOut | None = None


class SearchHit(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["statement", "document"]
    score: float  # BM25, higher is better
    id: str
    snippet: str | None = None  # the matching passage, hits in [brackets]
    # statements
    document_id: str | None = None
    speaker: str | None = None
    speaker_mention: str | None = None
    text: str | None = None
    kind: str | None = None
    start: int | None = None
    end: int | None = None
    date: str | None = None
    claim_id: str | None = None
    merged_id: str | None = None
    reports: int | None = None  # how many reports (outlets, wordings) of the statement matched
    # both
    title: str | None = None
    document_title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: str | None = None


class IngestReportOut(BaseModel):
    read: int
    added: int
    updated: int
    unchanged: int
    statements: int
    rejected: int
    problems: list[str]  # the first rejected inputs, with line and reason
    unread: dict[str, int] = {}  # articles read without statement extraction (no statement model), by language
