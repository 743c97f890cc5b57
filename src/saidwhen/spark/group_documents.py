"""Documents across the corpus on Spark: near-duplicates (`merge.DuplicateIndex`) and events
(`merge.EventGrouper`), reproduced with joins (see `saidwhen.spark.crossdoc`)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from saidwhen.merge import DuplicateIndex, EventGrouper, find_place
from saidwhen.merge._index import MinHasher, band_keys
from saidwhen.merge._text import content_stems, shingle_hashes, string_hash64, token_hashes, tokens
from saidwhen.merge._text import entities as find_entities
from saidwhen.merge.duplicates import _containment
from saidwhen.merge.events import _display
from saidwhen.model import stable_id
from saidwhen.spark import grouping

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


# --- near-duplicate documents ------------------------------------------------------------------------


def _dup_features(rows: Iterable[Any], params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    hasher = MinHasher(params["num_perm"], params["seed"])
    for r in rows:
        hashes = shingle_hashes(tokens(r.text or ""), params["shingle"])
        sig = hasher.signature(hashes)
        keys = grouping.signed(band_keys(sig, params["bands"], params["rows"])) if len(hashes) else []
        yield r.id, r.pos, sig.tobytes(), len(hashes), keys


def _dup_score(params: dict[str, Any]) -> Callable[[Any], float | None]:
    def score(r: Any) -> float | None:
        jac = float(np.mean(np.frombuffer(r.l_sig, np.uint32) == np.frombuffer(r.e_sig, np.uint32)))
        cont = float(_containment(jac, r.l_size, np.array([r.e_size]))[0])
        ok = jac >= params["threshold"] or (
            cont >= params["containment"] and min(r.l_size, r.e_size) >= params["min_containment_shingles"]
        )
        return max(jac, cont) if ok else None

    return score


def duplicate_links(docs: DataFrame, params: dict[str, Any] | None = None) -> DataFrame:
    """(id, duplicate_of) for every document (id, pos, text = cleaned text), as `DuplicateIndex.add`."""
    from pyspark.sql import functions as F

    params = {**DuplicateIndex().params, **(params or {})}
    spark = docs.sparkSession
    feats = (
        spark.createDataFrame(
            docs.select("id", "pos", "text").rdd.mapPartitions(lambda rows: _dup_features(rows, params)),
            "id string, pos bigint, sig binary, size int, keys array<bigint>",
        )
    ).cache()
    postings = feats.select("id", "pos", F.explode("keys").alias("key"))
    index = postings.toDF("early", "early_pos", "key")
    query = postings.toDF("late", "late_pos", "key")
    # no hit counts here: `DuplicateIndex` breaks score ties by position only
    cands = grouping.payload(
        grouping.candidates(index, query).withColumn("count", F.lit(0)), feats, ["sig", "size"]
    )
    parents = grouping.best_parents(grouping.scored(cands, _dup_score(params)))
    roots = grouping.roots(docs, parents)
    return roots.select("id", F.when(F.col("root") != F.col("id"), F.col("root")).alias("duplicate_of"))


# --- events -------------------------------------------------------------------------------------------


def _event_features(rows: Iterable[Any], params: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    hasher = MinHasher(params["num_perm"], params["seed"])
    for r in rows:
        text = r.text or ""
        ents = list(dict.fromkeys(find_entities(text, params["max_entities"])))
        sig = hasher.signature(token_hashes(sorted(set(content_stems(text)))))
        place, weight = find_place(text)
        keys = [grouping.u64(string_hash64("e", e)) for e in ents] + grouping.signed(
            band_keys(sig, params["bands"], params["rows"], salt=1)
        )
        title = r.title.strip() if r.title and r.title.strip() else None
        yield r.id, r.pos, r.day, r.duplicate_of, ents, sig.tobytes(), place, weight, title, keys


def _event_score(params: dict[str, Any]) -> Callable[[Any], float | None]:
    ew = params["entity_weight"]

    def score(r: Any) -> float | None:
        jac = float(np.mean(np.frombuffer(r.l_sig, np.uint32) == np.frombuffer(r.e_sig, np.uint32)))
        n = r.late_pos + 1
        mine, theirs = set(r.l_ents), set(r.e_ents)
        df = r.df or {}
        if mine or theirs:
            w = {k: math.log(1.0 + n / (df.get(k, 0) + 1.0)) for k in mine | theirs}
            ent = sum(w[k] for k in mine & theirs) / sum(w.values())
        else:
            ent = 0.0
        s = ew * ent + (1.0 - ew) * min(1.0, 2.0 * jac)
        return s if s >= params["threshold"] else None

    return score


def _event_record(
    root: str, members: list[Any], words_display: Callable[[str], str] = _display
) -> tuple[Any, ...]:
    """The events table row for one group, as `EventGrouper._record` builds it (members in add order)."""
    members = sorted(members, key=lambda m: m.pos)
    days = Counter(m.day for m in members if m.day is not None)
    day = min(days, key=lambda d: (-days[d], d)) if days else None
    places: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for i, m in enumerate(members):
        if m.place:
            places[m.place] += int(m.weight)
            first_seen.setdefault(m.place, i)
    place = min(places, key=lambda p: (-places[p], first_seen[p])) if places else None
    title = next((m.title for m in members if m.title), None)
    if title is None:
        counts: Counter[str] = Counter(e for m in members for e in m.ents)
        top = sorted(counts, key=lambda k: (-counts[k], k))[:3]
        title = ", ".join(words_display(w) for w in top) or "(untitled)"
    return (
        stable_id(root, prefix="e"),
        date.fromordinal(day).isoformat() if day is not None else None,
        title,
        place,
        [m.id for m in members],
    )


def event_groups(
    docs: DataFrame, duplicates: DataFrame, params: dict[str, Any] | None = None
) -> tuple[DataFrame, DataFrame]:
    """((id, event_id), events table) for documents (id, pos, text, title, day) and their duplicate links."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    params = {**EventGrouper().params, **(params or {})}
    spark = docs.sparkSession
    source = docs.select("id", "pos", "text", "title", "day").join(duplicates, "id")
    feats = (
        spark.createDataFrame(
            source.rdd.mapPartitions(lambda rows: _event_features(rows, params)),
            "id string, pos bigint, day int, duplicate_of string, ents array<string>, sig binary, place string, "
            "weight int, title string, keys array<bigint>",
        )
    ).cache()

    dated = feats.where(F.col("day").isNotNull())
    index = dated.select(
        F.col("id").alias("early"),
        F.col("pos").alias("early_pos"),
        F.explode("keys").alias("k"),
        F.col("day"),
    ).select("early", "early_pos", F.struct("k", "day").alias("key"))
    window = params["window_days"]
    query = (
        dated.where(F.col("duplicate_of").isNull())
        .select(
            F.col("id").alias("late"),
            F.col("pos").alias("late_pos"),
            F.explode("keys").alias("k"),
            F.explode(F.sequence(F.col("day") - window, F.col("day") + window)).alias("day"),
        )
        .select("late", "late_pos", F.struct("k", "day").alias("key"))
    )
    cands = grouping.candidates(index, query, params["max_candidates"])

    # document frequency of each entity as of the late document's turn: postings before it, by position
    pair_ents = grouping.payload(cands, feats, ["ents"]).select(
        "late", "early", "late_pos", F.explode(F.array_union("l_ents", "e_ents")).alias("ent")
    )
    postings = feats.select(F.explode("ents").alias("ent"), "pos")
    stream = postings.select(
        "ent",
        "pos",
        F.lit(1).alias("kind"),
        F.lit(None).cast("string").alias("late"),
        F.lit(None).cast("string").alias("early"),
    ).unionByName(
        pair_ents.select("ent", F.col("late_pos").alias("pos"), F.lit(0).alias("kind"), "late", "early")
    )
    before = Window.partitionBy("ent").orderBy("pos", "kind").rowsBetween(Window.unboundedPreceding, 0)
    dfs = (
        stream.withColumn("df", F.sum("kind").over(before))
        .where(F.col("kind") == 0)
        .groupBy("late", "early")
        .agg(F.map_from_entries(F.collect_list(F.struct("ent", "df"))).alias("df"))
    )
    scored = grouping.scored(
        grouping.payload(cands, feats, ["sig", "ents"]).join(dfs, ["late", "early"], "left"),
        _event_score(params),
    )
    best = grouping.best_parents(scored)
    same_as = feats.where(F.col("duplicate_of").isNotNull()).select(
        "id", F.col("duplicate_of").alias("parent")
    )
    roots = grouping.roots(feats, best.unionByName(same_as))

    members = feats.join(roots, "id").select(
        "root", F.struct("id", "pos", "day", "title", "place", "weight", "ents").alias("m")
    )
    events = spark.createDataFrame(
        members.rdd.map(lambda r: (r.root, r.m))
        .groupByKey()
        .map(lambda kv: _event_record(kv[0], list(kv[1]))),
        "id string, date string, title string, place string, document_ids array<string>",
    )
    links = roots.select("id", grouping.stable_col(F.col("root"), "e").alias("event_id"))
    return links, events
