"""Compact storage and vectorised scoring behind the merge components: same answers as the plain versions."""

from __future__ import annotations

import random

import numpy as np

from saidwhen.merge import lexical_similarity
from saidwhen.merge._columns import Groups, IdIndex, OptionalStrings, StrColumn
from saidwhen.merge._index import KeyIndex, count_unique, pack, ranges, unpack
from saidwhen.merge._similarity import StemSets
from saidwhen.merge._text import content_stems

WORDS = ["ministri", "govern", "quota", "export", "rais", "summer", "year", "not", "talk", "progress", "deal",
         "fair", "farmer", "harvest", "cost",
         "3", "three", "5", "cut", "open", "clos"]  # numbers and antonyms: the conflict check


def _random_stems(rng: random.Random) -> list[str]:
    return [rng.choice(WORDS) for _ in range(rng.randint(0, 9))]


def test_str_column_round_trip_and_unicode() -> None:
    col = StrColumn()
    texts = ["", "plain", "naïve “quotes” — ünïcödé", "x" * 1000, "\udcff lone surrogate"]
    for t in texts:
        col.append(t)
    assert list(col) == texts and len(col) == len(texts)
    meta, arrays = unpack(pack({}, col.arrays("t")))
    assert list(StrColumn.from_arrays(arrays, "t")) == texts


def test_optional_strings_keep_none() -> None:
    col = OptionalStrings()
    for v in ["A", None, "B", "A"]:
        col.append(v)
    again = OptionalStrings(col.meta(), col.codes().tolist())
    assert [again[i] for i in range(4)] == ["A", None, "B", "A"]


def test_id_index_finds_every_id_across_compactions_and_collisions(monkeypatch) -> None:
    ids = StrColumn()
    index = IdIndex(ids, buffer=8)
    keys = [f"s{i:05d}" for i in range(100)]
    for i, k in enumerate(keys):
        ids.append(k)
        index.add(k, i)
    assert all(index.get(k) == i for i, k in enumerate(keys))
    assert index.get("missing") is None and "s00007" in index
    rebuilt = IdIndex(ids)
    assert all(rebuilt.get(k) == i for i, k in enumerate(keys))
    # every id hashing alike: still found by comparing the stored ids
    monkeypatch.setattr("saidwhen.merge._columns.hash", lambda _: 42, raising=False)
    same = StrColumn()
    clash = IdIndex(same, buffer=4)
    for i, k in enumerate(keys[:20]):
        same.append(k)
        clash.add(k, i)
    assert all(clash.get(k) == i for i, k in enumerate(keys[:20]))
    assert clash.get("nope") is None


def test_groups_members_in_order_and_rebuilt_from_the_group_column() -> None:
    groups = Groups()
    assert groups.add(None) == 0
    groups.add_alone()
    assert groups.add(None) == 1
    groups.add(0)
    groups.add(1)
    groups.add(0)
    assert groups.members(0) == [0, 3, 5] and groups.members(1) == [2, 4]
    again = Groups(groups.groups().tolist())
    assert again.members(0) == [0, 3, 5] and list(again.size) == [3, 2] and again.group[1] == -1


def test_key_index_lookup_matches_bucket_semantics() -> None:
    rng = random.Random(3)
    index = KeyIndex(max_bucket=5, buffer=16)
    plain: dict[int, list[int]] = {}
    for v in range(400):
        keys = np.array(sorted({rng.randrange(30) for _ in range(3)}), dtype=np.uint64)
        index.add(keys, v)
        for k in keys.tolist():
            plain.setdefault(k, []).append(v)
        query = np.array([rng.randrange(35) for _ in range(4)], dtype=np.uint64)
        want = sorted(x for k in query.tolist() for x in plain.get(k, [])[-5:])
        assert sorted(index.lookup(query).tolist()) == want
    keys, vals = index.arrays()  # the state: each key's newest values, whatever the merge history
    assert list(zip(keys.tolist(), vals.tolist(), strict=True)) == sorted((k, v) for k, vs in plain.items() for v in vs[-5:])


def test_ranges_and_count_unique() -> None:
    assert ranges(np.array([3, 0, 7]), np.array([5, 0, 9])).tolist() == [3, 4, 7, 8]
    assert ranges(np.array([2]), np.array([1])).tolist() == []
    values = np.array([5, 1, 5, 3, 1, 5], dtype=np.int32)
    u, c = count_unique(values)
    ref_u, ref_c = np.unique(values, return_counts=True)
    assert u.tolist() == ref_u.tolist() and c.tolist() == ref_c.tolist()
    assert count_unique(np.empty(0, dtype=np.int32))[0].tolist() == []


def test_stem_sets_score_exactly_like_lexical_similarity() -> None:
    rng = random.Random(7)
    items = [_random_stems(rng) for _ in range(300)] + [[], ["not"], content_stems("We will not raise taxes")]
    sets = StemSets()
    for stems in items:
        sets.add(stems)
    restored = StemSets.from_state(*sets.state())
    for _ in range(300):
        query = _random_stems(rng)
        cands = np.array(rng.sample(range(len(items)), 25), dtype=np.int64)
        for partial in (True, False):
            ref = [lexical_similarity(query, items[c], partial=partial) for c in cands.tolist()]
            assert sets.scores(query, cands, partial=partial).tolist() == ref
            for floor in (0.5, 0.75):
                got = restored.scores(query, cands, partial=partial, floor=floor)
                kept = [g for g, r in zip(got, ref, strict=True) if r >= floor]
                assert kept == [r for r in ref if r >= floor]
                assert all(g < floor for g, r in zip(got, ref, strict=True) if r < floor)
                # exact only from `exact` up; below it each score is known to be on its side of `floor`
                got = restored.scores(query, cands, partial=partial, floor=0.2, exact=floor)
                for g, r in zip(got, ref, strict=True):
                    assert g == r if r >= floor else (g < 0.2) == (r < 0.2) and g < floor and g <= r
            threshold = 0.6
            best = max(range(len(ref)), key=lambda j: (ref[j], -j))
            want = best if ref[best] >= threshold else None
            assert sets.best(query, cands, threshold, partial=partial) == want


def test_states_written_before_the_compact_columns_still_load() -> None:
    from datetime import date

    from saidwhen.merge import ClaimLinker, StatementMerger
    from saidwhen.model import Statement

    def st(sid: str, speaker: str | None, text: str, day: int) -> Statement:
        return Statement(sid, "d" + sid, speaker, speaker, text, "direct", "said", 0, len(text), 0.9,
                         date(2023, 3, day))

    reports = [st("s1", "Ana Velk", "We will not raise the export quota this year", 1),
               st("s2", "Ana Velk", "we will not raise the export quota this year, she said", 2),
               st("s3", None, "Nobody expected the harvest figures to be this good", 2),
               st("s4", "Boris Tamm", "We will not raise the export quota this year", 20)]
    merger, linker = StatementMerger(), ClaimLinker()
    for r in reports[:3]:
        merger.add(r)
        linker.add(r)
    # the old layout: per-statement lists in the JSON header
    old_meta = {"params": merger.params, "ids": ["s1", "s2", "s3"], "texts": [r.text for r in reports[:3]],
                "speakers": [r.speaker for r in reports[:3]],
                "stems": [merger._stems.joined(i) for i in range(3)]}
    _, arrays = unpack(merger.to_state())
    old = pack(old_meta, {k: arrays[k] for k in ("day", "block", "group", "keys", "vals")})
    restored = StatementMerger.from_state(old)
    assert restored.merged() == merger.merged()
    assert restored.add(reports[3]) == merger.add(reports[3])
    _, arrays = unpack(linker.to_state())
    old_meta = {**old_meta, "params": linker.params, "stems": [linker._stems.joined(i) for i in range(3)],
                "active": list(linker._active)}
    old = pack(old_meta, {k: arrays[k] for k in ("day", "group", "keys", "vals")})
    restored_linker = ClaimLinker.from_state(old)
    assert restored_linker.add(reports[3]) == linker.add(reports[3])
    assert restored_linker.claims() == linker.claims()


def test_key_index_keeps_32_bits_and_loads_64_bit_states() -> None:
    rng = random.Random(5)
    entries = [(rng.getrandbits(64), v) for v in range(300) for _ in range(2)]
    index = KeyIndex(max_bucket=3, buffer=8)
    for k, v in entries:
        index.add(np.array([k], dtype=np.uint64), v)
    keys, vals = index.arrays()
    assert keys.dtype == np.uint32 and keys.nbytes == 4 * len(vals)
    # a state saved with 64-bit keys (as before): shortened on load, the same answers
    old_keys = np.array([k for k, _ in entries], dtype=np.uint64)
    order = np.lexsort((np.array([v for _, v in entries]), old_keys))
    loaded = KeyIndex.from_arrays(old_keys[order], np.array([v for _, v in entries], dtype=np.int32)[order],
                                  max_bucket=3)
    for k, _ in entries[:50]:
        query = np.array([k], dtype=np.uint64)
        assert sorted(loaded.lookup(query).tolist()) == sorted(index.lookup(query).tolist())
