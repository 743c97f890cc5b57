"""Documents across the corpus on Spark: near-duplicates (`merge.DuplicateIndex`) and events
(`merge.EventGrouper`), reproduced with joins (see `saidwhen.spark.crossdoc`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np

from saidwhen.merge import DuplicateIndex, EventGrouper
from saidwhen.merge._index import MinHasher, band_keys
from saidwhen.merge._text import shingle_hashes, string_hash64, tokens
from saidwhen.merge.duplicates import _containment
from saidwhen.merge.events import NODATE, entity_similarity, salts
from saidwhen.merge.headline import event_title
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
    grouper = EventGrouper(**params)
    for r in rows:
        f = grouper.features(r.text or "")
        keys = [grouping.u64(string_hash64("e", e)) for e in f.entities] + grouping.signed(f.bands)
        post, look = salts(r.day if r.day is not None else NODATE, params["window_days"])
        title = r.title.strip() if r.title and r.title.strip() else f.lead
        yield (
            r.id, r.pos, r.day, r.duplicate_of, f.entities, f.weights, f.signature.tobytes(), f.place, f.weight,
            title, keys, post, look,
        )


def _event_score(params: dict[str, Any]) -> Callable[[Any], float | None]:
    ew = params["entity_weight"]

    def score(r: Any) -> float | None:
        jac = float(np.mean(np.frombuffer(r.l_sig, np.uint32) == np.frombuffer(r.e_sig, np.uint32)))
        mine = dict(zip(r.l_ents, r.l_weights, strict=True))
        theirs = dict(zip(r.e_ents, r.e_weights, strict=True))
        ent = entity_similarity(mine, theirs, r.df or {}, r.late_pos + 1)
        s = ew * ent + (1.0 - ew) * min(1.0, 2.0 * jac)
        ok = s >= params["threshold"] and s > 0.0 and len(mine.keys() & theirs.keys()) >= params["min_shared"]
        return s if ok else None

    return score


def _event_record(root: str, members: list[Any]) -> tuple[Any, ...]:
    """The events table row for one group, as `EventGrouper._record` builds it (members in add order; `links`:
    how many articles joined through it, plus one when it joined through another)."""
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
    titled = [m for m in members if m.title]
    central = min(titled, key=lambda m: (-m.links, m.pos)) if titled else None
    when = date.fromordinal(day) if day is not None else None
    return (
        stable_id(root, prefix="e"),
        when.isoformat() if when is not None else None,
        event_title(central.title if central else None, place, when),
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
            "id string, pos bigint, day int, duplicate_of string, ents array<string>, weights array<double>, "
            "sig binary, place string, weight int, title string, keys array<bigint>, post array<int>, "
            "look array<int>",
        )
    ).cache()

    # postings per (key, day salt) as `EventGrouper`: dated articles under their day and "any day", undated
    # ones under "undated"; lookups of the days in the window and "undated", or of "any day" and "undated"
    index = (
        feats.select(F.col("id").alias("early"), F.col("pos").alias("early_pos"), F.explode("keys").alias("k"), "post")
        .select("early", "early_pos", "k", F.explode("post").alias("day"))
        .select("early", "early_pos", F.struct("k", "day").alias("key"))
    )
    query = (
        feats.where(F.col("duplicate_of").isNull())
        .select(F.col("id").alias("late"), F.col("pos").alias("late_pos"), F.explode("keys").alias("k"), "look")
        .select("late", "late_pos", "k", F.explode("look").alias("day"))
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
        grouping.payload(cands, feats, ["sig", "ents", "weights"]).join(dfs, ["late", "early"], "left"),
        _event_score(params),
    )
    best = grouping.best_parents(scored)
    same_as = feats.where(F.col("duplicate_of").isNotNull()).select(
        "id", F.col("duplicate_of").alias("parent")
    )
    parents = best.unionByName(same_as)
    roots = grouping.roots(feats, parents)
    children = parents.groupBy(F.col("parent").alias("id")).agg(F.count("*").alias("children"))
    degree = (
        feats.select("id")
        .join(children, "id", "left")
        .join(parents.select("id", F.lit(1).alias("joined")), "id", "left")
        .select("id", (F.coalesce("children", F.lit(0)) + F.coalesce("joined", F.lit(0))).alias("links"))
    )
    members = feats.join(roots, "id").join(degree, "id").select(
        "root", F.struct("id", "pos", "day", "title", "place", "weight", "links").alias("m")
    )
    events = spark.createDataFrame(
        members.rdd.map(lambda r: (r.root, r.m))
        .groupByKey()
        .map(lambda kv: _event_record(kv[0], list(kv[1]))),
        "id string, date string, title string, place string, document_ids array<string>",
    )
    links = roots.select("id", grouping.stable_col(F.col("root"), "e").alias("event_id"))
    return links, events
