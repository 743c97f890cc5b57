"""Attach-to-best-earlier-candidate grouping as Spark joins, the pattern of every `saidwhen.merge` component.

Rows carry a position (the order the local run adds them in) and posting keys (LSH band keys, stems,
entities). `candidates` self-joins the keys, keeping earlier rows only, with hit counts and the local cap on
candidates; `scored` runs the component's Python check per pair; `best_parents` keeps the best candidate per
row; `resolve_roots` turns parent links into roots (the group's first row) by pointer jumping. Nothing is
collected to the driver: everything is joins and aggregations over the (small) candidate graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

MAX_ROUNDS = 64  # pointer jumping halves path lengths: 64 rounds cover any depth
MAX_BUCKET = 200  # newest entries a key yields, as `merge._index.KeyIndex(max_bucket=200)`


def candidates(
    index: DataFrame, query: DataFrame, max_candidates: int | None = None, bucket: int = MAX_BUCKET
) -> DataFrame:
    """(late, early, late_pos, early_pos, count): earlier rows sharing posting keys, with hit counts.

    `index`: (early, early_pos, key) — what the local index holds; `query`: (late, late_pos, key) — what a
    new row looks up. Like `merge._index.KeyIndex`, a key only yields its `bucket` newest earlier entries,
    so a very common key costs O(bucket) per lookup, never a quadratic join: postings are numbered per key,
    each lookup learns how many postings precede it (a running count over the key's postings and lookups
    in position order) and joins only the (at most two) blocks of `bucket` numbers it can reach. Keeps the
    `max_candidates` best by (count desc, position) like the local `_best`.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    stream = index.select(
        "key",
        F.col("early_pos").alias("pos"),
        F.lit(1).alias("kind"),
        F.lit(None).cast("string").alias("late"),
    ).unionByName(query.select("key", F.col("late_pos").alias("pos"), F.lit(0).alias("kind"), "late"))
    before = Window.partitionBy("key").orderBy("pos", "kind").rowsBetween(Window.unboundedPreceding, 0)
    counted = stream.withColumn("n", F.sum("kind").over(before))  # postings up to here, this one included
    postings = index.join(
        counted.where("kind = 1").select("key", F.col("pos").alias("early_pos"), "n"), ["key", "early_pos"]
    ).select(
        "early", "early_pos", "key", F.col("n").alias("rank"), F.floor((F.col("n") - 1) / bucket).alias("blk")
    )
    lookups = (
        query.join(counted.where("kind = 0").select("key", "late", F.col("n").alias("seen")), ["key", "late"])
        .where(F.col("seen") > 0)
        .withColumn(
            "blk",
            F.explode(
                F.array(F.floor((F.col("seen") - 1) / bucket) - 1, F.floor((F.col("seen") - 1) / bucket))
            ),
        )
    )
    pairs = (
        lookups.join(postings, ["key", "blk"])
        .where((F.col("rank") <= F.col("seen")) & (F.col("rank") > F.col("seen") - bucket))
        .where(F.col("early_pos") < F.col("late_pos"))
        .groupBy("late", "early", "late_pos", "early_pos")
        .count()
    )
    if max_candidates is None:
        return pairs
    order = Window.partitionBy("late").orderBy(F.col("count").desc(), F.col("early_pos"))
    return (
        pairs.withColumn("_rn", F.row_number().over(order)).where(F.col("_rn") <= max_candidates).drop("_rn")
    )


def payload(cands: DataFrame, feats: DataFrame, cols: list[str]) -> DataFrame:
    """Candidates with the feature columns of both sides (`l_*` for the late row, `e_*` for the early one)."""
    from pyspark.sql import functions as F

    late = feats.select(F.col("id").alias("late"), *[F.col(c).alias(f"l_{c}") for c in cols])
    early = feats.select(F.col("id").alias("early"), *[F.col(c).alias(f"e_{c}") for c in cols])
    return cands.join(late, "late").join(early, "early")


def best_parents(scored: DataFrame) -> DataFrame:
    """(id, parent): per late row the verified candidate with the highest score; ties go to the first in
    the local candidate order (more hits, then earlier)."""
    from pyspark.sql import functions as F

    best = scored.groupBy("late").agg(
        F.min(
            F.struct(
                (-F.col("score")).alias("s"),
                (-F.col("count")).alias("c"),
                F.col("early_pos").alias("p"),
                F.col("early").alias("e"),
            )
        ).alias("b")
    )
    return best.select(F.col("late").alias("id"), F.col("b.e").alias("parent"))


def scored(cands: DataFrame, fn: Callable[[Any], float | None]) -> DataFrame:
    """Run the Python score `fn(row)` per candidate; keep rows whose score is not None."""

    def score(rows: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
        for r in rows:
            s = fn(r)
            if s is not None:
                yield r.late, r.early, r.early_pos, r["count"], float(s)

    schema = "late string, early string, early_pos bigint, count bigint, score double"
    return cands.sparkSession.createDataFrame(cands.rdd.mapPartitions(score), schema).cache()


def roots(ids: DataFrame, parents: DataFrame) -> DataFrame:
    """(id, root) for every id: the first row of its tree (itself when it has no parent)."""
    from pyspark.sql import functions as F

    roots = resolve_roots(parents)
    return ids.select("id").join(roots, "id", "left").select("id", F.coalesce("root", "id").alias("root"))


def resolve_roots(parents: DataFrame, id_col: str = "id", parent_col: str = "parent") -> DataFrame:
    """(id, root) for every id of a forest given as (id, parent) edges: pointer jumping, log(depth) rounds.

    Parents must form a forest (e.g. each row points at an *earlier* row); roots have no row of their own.
    The rounds run on RDDs: each joins the previous round with itself, which as SQL would double the plan
    (and its size estimate) every round.
    """
    from pyspark import StorageLevel

    spark = parents.sparkSession
    current = parents.select(id_col, parent_col).rdd.map(lambda r: (r[0], r[1]))
    current = current.persist(StorageLevel.MEMORY_AND_DISK)
    for _ in range(MAX_ROUNDS):
        # (root, id) joined with (id, root): (root, (id, grand-root or None))
        hop = current.map(lambda kv: (kv[1], kv[0])).leftOuterJoin(current)
        jumped = hop.map(lambda kv: (kv[1][0], kv[1][1] or kv[0], kv[1][1] is not None))
        jumped.persist(StorageLevel.MEMORY_AND_DISK)
        jumped.localCheckpoint()  # cuts the lineage at the next job
        moved = jumped.filter(lambda t: t[2]).count()  # one job per round; it also fills the checkpoint
        current.unpersist()
        current = jumped.map(lambda t: (t[0], t[1]))
        if not moved:
            break
    return spark.createDataFrame(current, f"{id_col} string, root string")


def materialize(df: DataFrame) -> DataFrame:
    """`df` cached and computed once (one job).

    Besides sparing recomputation, this keeps query planning cheap: a DataFrame built from a Python RDD has
    no size estimate (Spark assumes 8 EB), and the size estimate of a join is the product of its inputs', so
    deep plans over such inputs make the planner multiply numbers with thousands of digits. A materialized
    cache reports its real size.
    """
    df = df.cache()
    df.count()
    return df


def signed(keys: Any) -> list[int]:
    """uint64 keys (numpy) as Spark bigints."""
    import numpy as np

    return np.asarray(keys, dtype=np.uint64).view(np.int64).tolist()


def u64(value: int) -> int:
    """One unsigned 64-bit key as a Spark bigint."""
    return value - (1 << 64) if value >= 1 << 63 else value


def stable_col(col: Any, prefix: str) -> Any:
    """`model.stable_id(value, prefix=...)` as a Spark column (sha1 of the one part, 16 hex digits)."""
    from pyspark.sql import functions as F

    return F.concat(F.lit(prefix), F.substring(F.sha1(col), 1, 16))
