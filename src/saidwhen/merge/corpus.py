"""The four merge components driven together, one document (with its statements) at a time.

`CorpusMerger.add` is the incremental path (a store persists `to_state()` and applies the returned
`MergeUpdate`); `merge_corpus` is the stateless path used by `analyze`, built on the same class so that
both give the same result for the same input order.
"""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from saidwhen.dates.corpus import CORPUS_DATED, as_undated, date_from_corpus, own_date
from saidwhen.dates.evidence import Evidence
from saidwhen.merge._similarity import Similarity, prepare
from saidwhen.merge._text import content_stems
from saidwhen.merge.claims import ClaimLinker
from saidwhen.merge.dating import DateLinker
from saidwhen.merge.duplicates import DuplicateIndex
from saidwhen.merge.events import EventGrouper
from saidwhen.merge.features import DocumentFeatures, StatementFeatures
from saidwhen.merge.speaker_identity import full_name_in_text
from saidwhen.merge.statements import StatementMerger, stem_keys
from saidwhen.model import Claim, Document, Event, MergedStatement, Statement

_MAGIC_V1 = b"SWCORP01"  # four components, before corpus dating
_MAGIC = b"SWCORP02"


@dataclass
class MergeResult:
    events: list[Event]
    claims: list[Claim]
    merged: list[MergedStatement]


@dataclass
class MergeUpdate:
    """What adding one document changed: its own links, the (statement id, merged_id, claim_id) links of
    its statements and of the earlier statements whose links it set (a group that reached two reports, a
    claim that became active), and the ids of the event / merged statements / claims it touched with their
    records to upsert (the records only with `CorpusMerger.add(..., records=True)`)."""

    document_id: str
    duplicate_of: str | None
    event_id: str | None
    statement_links: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    merged: list[MergedStatement] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    merged_ids: list[str] = field(default_factory=list)
    claim_ids: list[str] = field(default_factory=list)
    # corpus dating: does this document need a date from the corpus (it has none of its own), and the
    # earlier undated documents it is new evidence for (to date again: `CorpusMerger.date_from_corpus`)
    undated: bool = False
    redate: list[str] = field(default_factory=list)


def document_day(doc: Document, statements: Iterable[Statement]) -> date | None:
    """The date that places an article in time: its publication date, else the most common date of its
    statements (earliest on ties). Never the other dates the text mentions."""
    if doc.published:
        return doc.published
    days = Counter(st.date for st in statements if st.date)
    return min(days, key=lambda d: (-days[d], d)) if days else None


class CorpusMerger:
    def __init__(
        self,
        *,
        duplicates: DuplicateIndex | None = None,
        events: EventGrouper | None = None,
        statements: StatementMerger | None = None,
        claims: ClaimLinker | None = None,
        similarity: Similarity | None = None,
        dating: DateLinker | None = None,
    ) -> None:
        """`similarity` (a semantic hook, e.g. `saidwhen.embeddings`) is given to the default statement
        merger and claim linker, and to components passed in that have none."""
        self.duplicates = duplicates if duplicates is not None else DuplicateIndex()
        self.grouper = events if events is not None else EventGrouper()
        self.merger = statements if statements is not None else StatementMerger(similarity=similarity)
        self.linker = claims if claims is not None else ClaimLinker(similarity=similarity)
        self.dater = dating if dating is not None else DateLinker()
        if similarity is not None:
            self.merger.similarity = self.merger.similarity or similarity
            self.linker.similarity = self.linker.similarity or similarity

    def params(self) -> dict[str, dict[str, Any]]:
        """The components' parameters (JSON-able): `from_params` builds an empty merger with the same, e.g.
        in a worker process computing `features`."""
        return {
            "duplicates": dict(self.duplicates.params),
            "events": dict(self.grouper.params),
            "statements": dict(self.merger.params),
            "claims": dict(self.linker.params),
            "dating": dict(self.dater.params),
        }

    @classmethod
    def from_params(cls, params: dict[str, dict[str, Any]], similarity: Similarity | None = None) -> CorpusMerger:
        return cls(
            duplicates=DuplicateIndex(**params["duplicates"]),
            events=EventGrouper(**params["events"]),
            statements=StatementMerger(**params["statements"], similarity=similarity),
            claims=ClaimLinker(**params["claims"], similarity=similarity),
            similarity=similarity,
            dating=DateLinker(**params["dating"]) if "dating" in params else None,
        )

    def features(self, items: Sequence[tuple[Document, Sequence[str]]]) -> list[DocumentFeatures]:
        """The merge features of articles (each with its statements' texts), in order: pure, so a worker
        process can compute them (see `saidwhen.merge.features`); with the embeddings of the texts the
        semantic hook judges, in one batched call, when the hook can compute them (`vectors`)."""
        out: list[DocumentFeatures] = []
        for doc, texts in items:
            found = DocumentFeatures(
                self.duplicates.fingerprint(doc.clean.text), self.grouper.features(doc.clean.text),
                dating=self.dater.features(doc.clean.text),
            )
            for text in texts:
                if text not in found.statements:
                    stems = content_stems(text)
                    found.statements[text] = StatementFeatures(
                        stem_keys(text, stems), self.linker.features(text, stems)
                    )
            out.append(found)
        compute = getattr(self.merger.similarity, "vectors", None)
        if compute is not None:
            texts = list(dict.fromkeys(t for f in out for t in f.statements))
            by_text = dict(zip(texts, compute(texts), strict=True))
            for f in out:
                for text, sf in f.statements.items():
                    sf.vector = by_text[text]
        return out

    def add(
        self, doc: Document, statements: list[Statement], *, records: bool = True,
        features: DocumentFeatures | None = None,
    ) -> MergeUpdate:
        """Merge one document and its statements; sets `doc.duplicate_of`, `doc.event_id` and the
        statements' `merged_id`/`claim_id`, and returns the changes (including earlier statements' links).

        `records=False` leaves the event / merged statement / claim records out of the update (only their
        ids): a caller adding many documents builds each touched record once with `records()`, since a
        large claim's record costs O(its size). `features`: the document's `features()`, computed
        beforehand (the same links; statements whose text they miss are computed here).

        A document the corpus dated in an earlier run (`published_from == "event"`, replayed from a store) is
        merged as it was before that dating, so a replay gives the state of the first run."""
        if doc.published_from in CORPUS_DATED:
            original, originals = doc, statements
            doc, statements = as_undated(doc, statements)
            update = self.add(doc, statements, records=records, features=features)
            original.duplicate_of, original.event_id = doc.duplicate_of, doc.event_id
            for st, copied in zip(originals, statements, strict=True):
                st.merged_id, st.claim_id = copied.merged_id, copied.claim_id
            return update
        self.prepare(statements, [features] if features is not None else ())
        doc.duplicate_of = self.duplicates.add(
            doc.id, doc.clean.text, fingerprint=features.duplicate if features is not None else None
        )
        day = document_day(doc, statements)
        doc.event_id = self.grouper.add(
            doc.id, doc.clean.text, day, title=doc.title, same_as=doc.duplicate_of,
            features=features.event if features is not None else None,
        )
        update = MergeUpdate(doc.id, doc.duplicate_of, doc.event_id)
        own = own_date(doc)
        update.undated = own is None
        update.redate = self.dater.add(
            doc.id, own, text=doc.clean.text, features=features.dating if features is not None else None
        )
        root = doc.duplicate_of or doc.id
        changed: dict[str, None] = {}
        known = features.statements if features is not None else {}
        full_names: dict[str, str | None] = {}
        for st in statements:
            sf = known.get(st.text)
            speaker = st.speaker
            if speaker and " " not in speaker.strip():  # a surname alone: the full name the article gives
                if speaker not in full_names:
                    full_names[speaker] = full_name_in_text(speaker, doc.clean.text)
                speaker = full_names[speaker] or speaker
            st.merged_id = self.merger.add(
                st, date=st.date or day, doc_root=root, features=sf.merge if sf is not None else None,
                speaker=speaker,
            )
            changed.update(dict.fromkeys(self.merger.changed))
            first = self.merger.first_of(st.id)
            st.claim_id = self.linker.add(
                st, date=st.date or day, same_as=first if first != st.id else None,
                features=sf.claim if sf is not None else None, speaker=speaker,
            )
            changed.update(dict.fromkeys(self.linker.changed))
        update.merged_ids = list(dict.fromkeys(st.merged_id for st in statements if st.merged_id))
        update.claim_ids = list(dict.fromkeys(st.claim_id for st in statements if st.claim_id))
        for st in statements:  # a later statement of this document may have completed an earlier one's group
            st.merged_id, st.claim_id = self.links(st.id)
        links = {st.id: (st.merged_id, st.claim_id) for st in statements}
        for sid in changed:
            links.setdefault(sid, self.links(sid))
        update.statement_links = [(sid, m, c) for sid, (m, c) in links.items()]
        if records:
            update.events, update.merged, update.claims = self.records(
                [doc.event_id], update.merged_ids, update.claim_ids
            )
        return update

    def prepare(self, statements: Iterable[Statement], features: Iterable[DocumentFeatures] = ()) -> None:
        """Get the semantic hook ready for these statements (a caller about to add many documents passes
        all their statements at once: one batched embedding call), first handing it the vectors that
        `features` carry (computed elsewhere: no model call for those)."""
        texts = [st.text for st in statements]
        known = {
            text: (sf.vector, sf.claim.stems)
            for f in features
            for text, sf in f.statements.items()
            if sf.vector is not None
        }
        for hook in dict.fromkeys(h for h in (self.merger.similarity, self.linker.similarity) if h is not None):
            remember = getattr(hook, "remember", None)
            if known and remember is not None:
                remember(known)
            prepare(hook, texts)

    def records(
        self,
        event_ids: Iterable[str],
        merged_ids: Iterable[str],
        claim_ids: Iterable[str],
        *,
        members: bool = True,
    ) -> tuple[list[Event], list[MergedStatement], list[Claim]]:
        """The current records of these events, merged statements and claims (unknown ids are skipped).

        `members=False` leaves their member lists empty, so each record costs O(1) whatever its size: a
        store that keeps membership in the members' own rows (`event_id`, `merged_id`, `claim_id`) writes
        these after every batch."""
        return (
            [e for eid in event_ids if (e := self.grouper.event(eid, members=members))],
            [m for mid in merged_ids if (m := self.merger.merged_statement(mid, members=members))],
            [c for cid in claim_ids if (c := self.linker.claim(cid, members=members))],
        )

    def event_day(self, doc: Document) -> date | None:
        """The date of the article's event (when the event has dated articles)."""
        event = self.grouper.event(doc.event_id, members=False) if doc.event_id else None
        return event.date if event is not None else None

    def date_prior(self, doc: Document) -> list[tuple[date, float]]:
        """The corpus-dating evidence for an article without a date of its own: the dates of its TF-IDF
        neighbours (weighted by cosine) and of near-duplicates (by Jaccard). Its event's date is not part of
        it: on Timeline17 adding it (even at a tenth of a neighbour's weight) doubled the dates wrong by more
        than a week, since an event runs for weeks; it only names the source ("event") when it agrees."""
        return self.dater.neighbours(doc.id) + list(self.dater.prior(doc.id))

    def date_from_corpus(self, doc: Document, statements: list[Statement], evidence: Evidence | None = None) -> bool:
        """Corpus dating of one merged article (see `saidwhen.dates.corpus`); whether it changed."""
        if own_date(doc) is not None:
            return False
        return date_from_corpus(
            doc, statements, self.date_prior(doc), evidence=evidence, event_day=self.event_day(doc)
        )

    def links(self, statement_id: str) -> tuple[str | None, str | None]:
        """(merged_id, claim_id) of a statement as of now."""
        return self.merger.merged_id(statement_id), self.linker.claim_id(statement_id)

    def result(self) -> MergeResult:
        return MergeResult(self.grouper.events(), self.linker.claims(), self.merger.merged())

    def to_state(self) -> bytes:
        parts = [
            self.duplicates.to_state(),
            self.grouper.to_state(),
            self.merger.to_state(),
            self.linker.to_state(),
            self.dater.to_state(),
        ]
        return _MAGIC + struct.pack("<5Q", *map(len, parts)) + b"".join(parts)

    @classmethod
    def from_state(cls, data: bytes, similarity: Similarity | None = None) -> CorpusMerger:
        """Restore a merger; a semantic `similarity` hook is not serialised and must be passed again."""
        if data[:8] not in (_MAGIC, _MAGIC_V1):
            raise ValueError("not a saidwhen corpus merge state")
        n = 5 if data[:8] == _MAGIC else 4
        sizes = struct.unpack(f"<{n}Q", data[8 : 8 + 8 * n])
        parts, pos = [], 8 + 8 * n
        for size in sizes:  # (not `n`: the count of parts decides below whether dating is there)
            parts.append(data[pos : pos + size])
            pos += size
        return cls(
            duplicates=DuplicateIndex.from_state(parts[0]),
            events=EventGrouper.from_state(parts[1]),
            statements=StatementMerger.from_state(parts[2], similarity),
            claims=ClaimLinker.from_state(parts[3], similarity),
            dating=DateLinker.from_state(parts[4]) if n == 5 else None,
        )


def merge_corpus(
    docs: list[Document], statements: list[Statement], similarity: Similarity | None = None
) -> MergeResult:
    """Stateless merge of a whole corpus (documents in the given order, each with its statements in the
    given order), then corpus dating. Sets `doc.duplicate_of`, `doc.event_id`, `st.merged_id`, `st.claim_id`,
    and the dates of articles with none of their own that the corpus dates (and of their statements)."""
    by_doc: dict[str, list[Statement]] = {}
    for st in statements:
        by_doc.setdefault(st.document_id, []).append(st)
    merger = CorpusMerger(similarity=similarity)
    for doc in docs:
        merger.add(doc, by_doc.get(doc.id, []))
    known = {doc.id for doc in docs}
    for st in statements:
        if st.document_id in known:
            st.merged_id, st.claim_id = merger.links(st.id)
    for doc in docs:  # corpus dating, after the whole corpus is merged (an incremental ingest gets the same)
        merger.date_from_corpus(doc, by_doc.get(doc.id, []))
    return merger.result()
