"""Merge stage: duplicates, merged statements, events, claims; incremental state round trips."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
from datasketch import MinHash

from saidwhen.merge import (
    ClaimLinker,
    CorpusMerger,
    DuplicateIndex,
    EventGrouper,
    StatementMerger,
    find_place,
    lexical_similarity,
    merge_corpus,
)
from saidwhen.merge._index import KeyIndex, MinHasher
from saidwhen.merge._text import content_stems, shingle_hashes, tokens
from saidwhen.model import CleanText, Document, Statement, document_id

VILNIUS_BODY = (
    "NATO leaders on Tuesday offered Ukraine a path to membership but no timeline, as allies gathered in "
    "Vilnius for a two-day summit overshadowed by the war. Secretary General Jens Stoltenberg told reporters "
    "that the alliance would extend an invitation to Kyiv when allies agree and conditions are met. "
    "Ukrainian President Volodymyr Zelensky called the absence of a timeline absurd and said uncertainty "
    "was weakness. Allies also agreed to drop the requirement for a membership action plan, a step that "
    "Stoltenberg said would shorten Ukraine's path. Lithuanian officials deployed air defence systems "
    "around the capital for the meeting, which was attended by leaders of 31 member states. "
    "Stoltenberg said NATO's doors are open and that Ukraine's future is in the alliance."
)

WIRE_A = "VILNIUS, July 11 (Reuters) — " + VILNIUS_BODY + "\n\nRead also: Ten things to know about NATO"
WIRE_B = (
    "Breaking news from our partners\n\nVILNIUS, July 11 — "
    + VILNIUS_BODY.replace(". ", ".\n\n")
    + "\n\nShare this article on Facebook and Twitter. Subscribe to our newsletter for more."
)

UNRELATED = (
    "The city council voted on Monday to extend the opening hours of public libraries through the winter, "
    "after a petition signed by more than four thousand residents. The mayor said the extra hours would be "
    "paid for from the culture budget and that staff would be hired on temporary contracts. Librarians "
    "welcomed the decision but warned that several branches still needed new heating systems before the "
    "cold season, and the opposition asked for a detailed cost estimate at the next session."
)

BUCHAREST_2008 = (
    "BUCHAREST, April 3 — NATO leaders meeting in Bucharest agreed that Ukraine and Georgia will become "
    "members of the alliance, but declined to grant them a membership action plan. German and French "
    "leaders opposed a faster path, while President George W. Bush argued for it. The summit also "
    "invited Albania and Croatia to join."
)

VILNIUS_OTHER_OUTLET = (
    "Allies meeting in Vilnius stopped short of giving Ukraine a date for joining NATO. Zelensky, who "
    "arrived in the Lithuanian capital on Tuesday, said the lack of a timeline was absurd, while "
    "Stoltenberg insisted that the summit sent a strong message and that the membership action plan "
    "requirement had been dropped.\n\n"
    "Background: In April 2008 in Bucharest, NATO leaders agreed that Ukraine and Georgia will become "
    "members of the alliance, a promise Bush pushed for and German and French leaders resisted."
)


def make_doc(text: str, outlet: str, published: date | None, title: str | None = None) -> Document:
    return Document(
        id=document_id(text, outlet),
        source_path=f"{outlet}.txt",
        source_key=f"{outlet}.txt",
        text=text,
        clean=CleanText(text, list(range(len(text) + 1))),
        title=title,
        outlet=outlet,
        published=published,
        published_from="metadata" if published else "unknown",
    )


def make_statement(doc: Document, speaker: str | None, quote: str, when: date | None = None) -> Statement:
    start = doc.text.index(quote) if quote in doc.text else 0
    return Statement(
        id=f"s-{doc.id}-{start}-{len(quote)}",
        document_id=doc.id,
        speaker=speaker,
        speaker_mention=speaker,
        text=quote,
        kind="direct",
        cue="said",
        start=start,
        end=start + len(quote),
        confidence=0.9,
        date=when or doc.published,
        date_from="document",
    )


def st(sid: str, speaker: str | None, text: str, when: date | None, doc: str = "d1") -> Statement:
    return Statement(sid, doc, speaker, speaker, text, "direct", "said", 0, len(text), 0.9, when)


# --- building blocks ------------------------------------------------------------------------------------


def test_minhash_matches_datasketch_affine32() -> None:
    h = shingle_hashes(tokens("the quick brown fox jumps over the lazy dog and runs away"), 3)
    ref = MinHash(num_perm=64, seed=5, hashfunc=int, scheme="affine32")
    ref.update_batch(h.tolist())
    assert np.array_equal(MinHasher(64, 5).signature(h), ref.hashvalues)


def test_key_index_compacts_and_caps() -> None:
    index = KeyIndex(max_bucket=3, buffer=4)
    for v in range(10):
        index.add(np.array([7, 100 + v], dtype=np.uint64), v)
    assert sorted(index.lookup(np.array([7], dtype=np.uint64)).tolist()) == [7, 8, 9]  # newest kept
    assert index.lookup(np.array([105], dtype=np.uint64)).tolist() == [5]
    assert index.lookup(np.array([1], dtype=np.uint64)).tolist() == []
    index.add(np.array([7], dtype=np.uint64), 10)  # buffered; the cap spans buffer and sorted arrays
    assert sorted(index.lookup(np.array([7], dtype=np.uint64)).tolist()) == [8, 9, 10]
    index.compact()  # values no lookup can return any more are dropped, the answers stay the same
    assert len(index) == 3 + 10
    assert sorted(index.lookup(np.array([7], dtype=np.uint64)).tolist()) == [8, 9, 10]
    assert index.lookup(np.array([105], dtype=np.uint64)).tolist() == [5]


def test_stems_and_negation() -> None:
    a, b = content_stems("NATO's doors are open"), content_stems("NATO’s door is open for new members")
    assert set(a) <= set(b)
    assert lexical_similarity(a, b) >= 0.9
    assert (
        lexical_similarity(
            content_stems("Ukraine will become a member"), content_stems("Ukraine won't become a member")
        )
        == 0.0
    )


def test_place_from_dateline_and_lead() -> None:
    assert find_place("VILNIUS, July 11 (Reuters) — NATO leaders")[0] == "Vilnius"
    assert find_place("DALLAS (AP) — Democratic candidate")[0] == "Dallas"
    assert find_place("Leaders met in Brussels on Tuesday, in March.")[0] == "Brussels"
    assert find_place("He said in March that it was over.")[0] is None


# --- duplicates -----------------------------------------------------------------------------------------


def test_reprint_with_other_boilerplate_is_duplicate() -> None:
    index = DuplicateIndex()
    assert index.add("a", WIRE_A) is None
    assert index.add("u", UNRELATED) is None
    assert index.add("b", WIRE_B) == "a"
    truncated = WIRE_A[: len(WIRE_A) * 2 // 3]
    assert index.add("t", truncated) == "a"
    assert index.add("v", VILNIUS_OTHER_OUTLET) is None  # same event, other wording: not a duplicate
    assert index.duplicate_of("b") == "a" and index.duplicate_of("u") is None


def test_duplicate_index_state_round_trip() -> None:
    index = DuplicateIndex()
    index.add("a", WIRE_A)
    index.add("u", UNRELATED)
    restored = DuplicateIndex.from_state(index.to_state())
    assert restored.add("b", WIRE_B) == "a"
    assert restored.add("u2", UNRELATED + " The session ends at noon.") == "u"
    assert restored.duplicate_of("b") == "a"


# --- statements -----------------------------------------------------------------------------------------


def test_paraphrased_statement_same_speaker_same_week_merged() -> None:
    merger = StatementMerger()
    assert merger.add(st("s1", "Jens Stoltenberg", "NATO's doors are open", date(2023, 7, 11))) is None
    mid = merger.add(
        st("s2", "Jens Stoltenberg", "NATO's door is open for new members", date(2023, 7, 13), "d2")
    )
    assert mid is not None and merger.merged_id("s1") == mid
    (ms,) = merger.merged()
    assert (
        ms.statement_ids == ["s1", "s2"] and ms.date == date(2023, 7, 11) and ms.speaker == "Jens Stoltenberg"
    )


def test_other_speaker_far_date_or_other_sentence_not_merged() -> None:
    merger = StatementMerger()
    merger.add(st("s1", "Jens Stoltenberg", "NATO's doors are open", date(2023, 7, 11)))
    assert merger.add(st("s2", "Viktor Orban", "NATO's doors are open", date(2023, 7, 11), "d2")) is None
    assert merger.add(st("s3", "Jens Stoltenberg", "NATO's doors are open", date(2023, 9, 1), "d3")) is None
    text = "Ukraine will receive more air defence systems before winter"
    assert merger.add(st("s4", "Jens Stoltenberg", text, date(2023, 7, 11), "d4")) is None
    assert merger.merged() == []


def test_similarity_hook_merges_paraphrase_without_shared_words() -> None:
    a = "We will defend every inch of allied territory"
    b = "Each centimetre of NATO land shall be protected"
    calls: list[tuple[str, str]] = []

    def fake_embedding_similarity(x: str, y: str) -> float:
        calls.append((x, y))
        return 0.9 if {x, y} == {a, b} else 0.0

    plain = StatementMerger()
    plain.add(st("s1", "Joe Biden", a, date(2023, 7, 12)))
    assert plain.add(st("s2", "Joe Biden", b, date(2023, 7, 12), "d2")) is None
    default = StatementMerger(similarity=fake_embedding_similarity)  # grey 0.2: some shared content needed
    default.add(st("s1", "Joe Biden", a, date(2023, 7, 12)))
    assert default.add(st("s2", "Joe Biden", b, date(2023, 7, 12), "d2")) is None and calls == []
    hooked = StatementMerger(similarity=fake_embedding_similarity, grey=0.0)  # judge every pair of the block
    hooked.add(st("s1", "Joe Biden", a, date(2023, 7, 12)))
    assert hooked.add(st("s3", "Jens Stoltenberg", b, date(2023, 7, 12), "d3")) is None  # other speaker
    assert hooked.add(st("s2", "Joe Biden", b, date(2023, 7, 12), "d2")) is not None
    assert calls == [(b, a)]
    restored = StatementMerger.from_state(hooked.to_state(), similarity=fake_embedding_similarity)
    assert restored.merged() == hooked.merged()


def test_unresolved_speaker_merges_only_within_duplicate_group() -> None:
    merger = StatementMerger()
    quote = "We will not accept a frozen conflict on our territory"
    merger.add(st("s1", None, quote, date(2023, 7, 11), "d1"), doc_root="d1")
    assert merger.add(st("s2", None, quote, date(2023, 7, 11), "d9"), doc_root="d9") is None
    assert merger.add(st("s3", None, quote, date(2023, 7, 11), "d2"), doc_root="d1") is not None


# --- claims ---------------------------------------------------------------------------------------------


def test_claim_across_years_linked_not_merged() -> None:
    d1 = make_doc(BUCHAREST_2008, "wire", date(2008, 4, 3))
    d2 = make_doc(VILNIUS_OTHER_OUTLET, "daily", date(2023, 7, 11))
    s1 = make_statement(d1, "NATO", "Ukraine and Georgia will become members of the alliance")
    s2 = make_statement(d2, "Jens Stoltenberg", "Ukraine will become a member of the alliance")
    s2.speaker = "NATO"
    result = merge_corpus([d1, d2], [s1, s2])
    assert s1.merged_id is None and s2.merged_id is None
    assert s1.claim_id is not None and s1.claim_id == s2.claim_id
    (claim,) = result.claims
    assert claim.statement_ids == [s1.id, s2.id] and "Ukraine" in claim.summary


def test_claim_needs_two_utterances_and_respects_negation() -> None:
    linker = ClaimLinker()
    assert linker.add(st("a", "X", "Ukraine will become a member of NATO", date(2022, 6, 1))) is None
    # the same quote reprinted the next day is one utterance, not yet a claim
    assert linker.add(st("b", "X", "Ukraine will become a member of NATO", date(2022, 6, 2), "d2")) is None
    assert (
        linker.add(st("c", "Y", "Ukraine will not become a member of NATO", date(2023, 1, 1), "d3")) is None
    )
    cid = linker.add(st("d", "X", "Ukraine will become a NATO member", date(2023, 7, 11), "d4"))
    assert cid is not None and linker.claim_id("a") == cid and linker.claim_id("c") is None
    assert linker.claim(cid).statement_ids == ["a", "b", "d"]  # type: ignore[union-attr]
    restored = ClaimLinker.from_state(linker.to_state())
    assert restored.claim_id("b") == cid and restored.claims() == linker.claims()


def test_claim_reprints_join_the_first_report_and_are_indexed_once() -> None:
    linker = ClaimLinker()
    text = "The grain export tax will rise next spring in every port"
    for k in range(300):  # one quote reprinted by 300 outlets
        assert linker.add(st(f"s{k}", "X", text, date(2020, 1, 1), f"d{k}")) is None
    # only the first report is a candidate for later statements: its band keys, its whole stem set's key and
    # its (speaker, stem) postings
    keys = linker.bands + 1 + len(set(content_stems(text)))
    assert len(linker._index) == keys
    said_again = "The grain export tax will rise in every port next spring, the ministry said"
    cid = linker.add(st("y", "Y", said_again, date(2021, 5, 1), "dy"))
    assert cid is not None and linker.claim_id("s299") == cid
    assert linker.claim(cid).statement_ids == [f"s{k}" for k in range(300)] + ["y"]  # type: ignore[union-attr]
    restored = ClaimLinker.from_state(linker.to_state())
    assert restored.add(st("z", "Z", text, date(2022, 1, 1), "dz")) == cid
    assert len(restored._index) == keys + linker.bands + 1 + len(set(content_stems(said_again)))  # "y": indexed


# --- events ---------------------------------------------------------------------------------------------


def test_events_by_date_entities_and_background_paragraph() -> None:
    bucharest = make_doc(BUCHAREST_2008, "wire", date(2008, 4, 3), "NATO promises Ukraine membership")
    vilnius = make_doc(WIRE_A, "wire", date(2023, 7, 11), "NATO offers Ukraine path but no timeline")
    other = make_doc(VILNIUS_OTHER_OUTLET, "daily", date(2023, 7, 12))
    library = make_doc(UNRELATED, "local", date(2023, 7, 11), "Libraries open longer")
    # a statement in the background paragraph dated 2008 must not move the article to 2008
    background = make_statement(other, "NATO", "Ukraine and Georgia will become members", date(2008, 4, 3))
    background.date_from = "text"
    result = merge_corpus([bucharest, vilnius, other, library], [background])
    assert vilnius.event_id == other.event_id
    assert len({bucharest.event_id, vilnius.event_id, library.event_id}) == 3
    events = {e.id: e for e in result.events}
    ev = events[vilnius.event_id]  # type: ignore[index]
    assert ev.document_ids == [vilnius.id, other.id]
    assert ev.date == date(2023, 7, 11) and ev.place == "Vilnius" and ev.title.startswith("NATO offers")
    assert events[bucharest.event_id].place == "Bucharest"  # type: ignore[index]


def test_event_window_is_a_week_and_undated_reports_join() -> None:
    grouper = EventGrouper()
    e1 = grouper.add("a", WIRE_A, date(2023, 7, 11))
    assert grouper.add("b", VILNIUS_OTHER_OUTLET, date(2023, 7, 25)) != e1
    assert grouper.add("c", VILNIUS_OTHER_OUTLET + " More later.", date(2023, 7, 16)) == e1
    assert grouper.add("undated", WIRE_A + " Updated.", None) == e1


# --- whole corpus, incremental ----------------------------------------------------------------------------


def _corpus() -> tuple[list[Document], list[Statement]]:
    docs = [
        make_doc(WIRE_A, "reuters", date(2023, 7, 11), "NATO offers Ukraine path"),
        make_doc(UNRELATED, "local", date(2023, 7, 11), "Libraries"),
        make_doc(WIRE_B, "partner", date(2023, 7, 12)),
        make_doc(BUCHAREST_2008, "wire", date(2008, 4, 3)),
        make_doc(VILNIUS_OTHER_OUTLET, "daily", date(2023, 7, 12)),
    ]
    sts = [
        make_statement(docs[0], "Jens Stoltenberg", "NATO's doors are open"),
        make_statement(docs[2], "Jens Stoltenberg", "NATO's doors are open"),
        make_statement(docs[0], "Volodymyr Zelensky", "uncertainty was weakness"),
        make_statement(docs[3], "NATO", "Ukraine and Georgia will become members of the alliance"),
        make_statement(
            docs[4],
            "NATO",
            "NATO leaders agreed that Ukraine and Georgia will become members",
            date(2008, 4, 3),
        ),
        make_statement(
            docs[4], "Jens Stoltenberg", "the membership action plan requirement had been dropped"
        ),
        make_statement(docs[1], "the mayor", "the extra hours would be paid for from the culture budget"),
        make_statement(docs[4], "Jens Stoltenberg", "Ukraine will become a member of the alliance"),
    ]
    return docs, sts


def _links(docs: list[Document], sts: list[Statement]) -> list[tuple[str | None, ...]]:
    return [(d.id, d.duplicate_of, d.event_id) for d in docs] + [(s.id, s.merged_id, s.claim_id) for s in sts]


def test_incremental_after_state_round_trip_equals_single_pass() -> None:
    docs, sts = _corpus()
    single = merge_corpus(docs, sts)
    expected = _links(docs, sts)
    assert docs[2].duplicate_of == docs[0].id and docs[1].duplicate_of is None
    assert docs[2].event_id == docs[0].event_id == docs[4].event_id
    assert sts[0].merged_id is not None and sts[0].merged_id == sts[1].merged_id
    # the background paragraph reports the 2008 statement again: same utterance, merged
    assert sts[3].merged_id is not None and sts[3].merged_id == sts[4].merged_id
    # restated in 2023 by someone else: one claim across time
    assert sts[7].claim_id is not None and sts[3].claim_id == sts[4].claim_id == sts[7].claim_id
    assert sts[7].merged_id is None and sts[2].claim_id is None

    docs2, sts2 = _corpus()
    by_doc: dict[str, list[Statement]] = {}
    for s in sts2:
        by_doc.setdefault(s.document_id, []).append(s)
    merger = CorpusMerger()
    links: dict[str, tuple[str | None, str | None]] = {}
    for k, doc in enumerate(docs2):
        if k in (2, 4):  # persist and restore between batches, as a store does
            merger = CorpusMerger.from_state(merger.to_state())
        update = merger.add(doc, by_doc.get(doc.id, []))
        assert (update.duplicate_of, update.event_id) == (doc.duplicate_of, doc.event_id)
        # records without member lists (as a store writes them) come from running tallies: same fields
        lean = merger.records([doc.event_id or ""], update.merged_ids, update.claim_ids, members=False)
        assert [e.document_ids for e in lean[0]] == [[]] and all(not c.statement_ids for c in lean[2])
        assert [(e.id, e.date, e.title, e.place) for e in lean[0]] == [
            (e.id, e.date, e.title, e.place) for e in update.events
        ]
        assert [(m.id, m.speaker, m.text, m.date) for m in lean[1]] == [
            (m.id, m.speaker, m.text, m.date) for m in update.merged
        ]
        assert [(c.id, c.summary) for c in lean[2]] == [(c.id, c.summary) for c in update.claims]
        for sid, mid, cid in update.statement_links:
            links[sid] = (mid, cid)
    for s in sts2:  # earlier statements get their links through the updates
        s.merged_id, s.claim_id = links.get(s.id, (None, None))
    assert _links(docs2, sts2) == expected
    assert merger.result() == single


def test_features_computed_elsewhere_give_the_same_links() -> None:
    """Features from a merger rebuilt from `params()` (as a worker process does) change nothing: the same
    links, the same state; a statement whose text they miss is computed in place."""
    docs2, sts2 = _corpus()
    by_doc: dict[str, list[Statement]] = {}
    for s in sts2:
        by_doc.setdefault(s.document_id, []).append(s)
    merger = CorpusMerger(statements=StatementMerger(window_days=4), claims=ClaimLinker(threshold=0.7))
    worker = CorpusMerger.from_params(json.loads(json.dumps(merger.params())))
    assert worker.params() == merger.params() and worker.merger.window_days == 4
    features = worker.features([(d, [s.text for s in by_doc.get(d.id, [])[1:]]) for d in docs2])
    assert features[0].duplicate.size > 0 and features[0].event.entities
    reference = CorpusMerger(statements=StatementMerger(window_days=4), claims=ClaimLinker(threshold=0.7))
    for doc, found in zip(docs2, features, strict=True):
        merger.add(doc, by_doc.get(doc.id, []), features=found)
    docs3, sts3 = _corpus()
    for doc in docs3:
        reference.add(doc, [s for s in sts3 if s.document_id == doc.id])
    for s in sts2:
        s.merged_id, s.claim_id = merger.links(s.id)
    for s in sts3:
        s.merged_id, s.claim_id = reference.links(s.id)
    assert _links(docs2, sts2) == _links(docs3, sts3)
    assert any(s.merged_id for s in sts2) and any(s.claim_id for s in sts2)
    assert merger.to_state() == reference.to_state()


def test_results_depend_only_on_input_order() -> None:
    a_docs, a_sts = _corpus()
    b_docs, b_sts = _corpus()
    assert merge_corpus(a_docs, a_sts) == merge_corpus(b_docs, b_sts)
    assert _links(a_docs, a_sts) == _links(b_docs, b_sts)


def test_store_keeps_membership_in_member_rows_and_equals_single_pass(tmp_path) -> None:
    """Batches merged into a real SQLite store (state saved and reloaded between them) read back as the
    single-pass result: group records are written without member lists, which come from the members' rows."""
    from saidwhen.merge_store import StoreMerger
    from saidwhen.serialize import claim_record, event_record, merged_record
    from saidwhen.store import Store

    docs, sts = _corpus()
    single = merge_corpus(docs, sts)
    docs2, sts2 = _corpus()
    store = Store(tmp_path / "m.db")
    merger = StoreMerger(store)
    for batch in (docs2[:2], docs2[2:4], docs2[4:]):
        ids = {d.id for d in batch}
        batch_sts = [s for s in sts2 if s.document_id in ids]
        with store.transaction():
            merger.add(batch, batch_sts)  # sets the links the rows are then saved with, as `ingest` does
            for doc in batch:
                store.save_document(doc)
            store.save_statements(batch_sts)
            merger.save_state()
        merger = StoreMerger(store)  # reload the saved state, as the next `ingest` does
    by_id = {e["id"]: e for e in store.events(limit=100)}
    assert by_id == {e.id: event_record(e) for e in single.events}
    assert {c["id"]: c for c in store.claims(limit=100)} == {c.id: claim_record(c) for c in single.claims}
    merged = store.merged_statements(m.id for m in single.merged)
    assert [merged[m.id] for m in single.merged] == [merged_record(m) for m in single.merged]
    columns = [r["name"] for r in store.conn.execute("PRAGMA table_info(claims)")]
    assert columns == ["id", "summary"]  # no member list to rewrite when a claim grows
    store.close()


def test_state_written_in_chunks_without_assembling_it() -> None:
    from saidwhen.merge._index import chunked_parts

    rng = np.random.default_rng(1)
    parts = [b"SW", np.arange(50, dtype=np.int32).tobytes(), b"", memoryview(rng.bytes(23)), b"x" * 9]
    whole = b"".join(bytes(p) for p in parts)
    for size in (1, 7, 64, 1000):
        chunks = [bytes(c) for c in chunked_parts(parts, size)]
        assert b"".join(chunks) == whole
        assert all(len(c) == size for c in chunks[:-1]) and 0 < len(chunks[-1]) <= size
