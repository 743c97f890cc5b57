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


def candidates(index: DataFrame, query: DataFrame, max_candidates: int | None = None) -> DataFrame:
    """(late, early, late_pos, early_pos, count): earlier rows sharing posting keys, with hit counts.

    `index`: (early, early_pos, key) — what the local index holds; `query`: (late, late_pos, key) — what a
    new row looks up. Keeps the `max_candidates` best by (count desc, position) like the local `_best`.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    pairs = (
        query.join(index, "key")
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
    return cands.sparkSession.createDataFrame(cands.rdd.mapPartitions(score), schema)


def roots(ids: DataFrame, parents: DataFrame) -> DataFrame:
    """(id, root) for every id: the first row of its tree (itself when it has no parent)."""
    from pyspark.sql import functions as F

    roots = resolve_roots(parents)
    return ids.select("id").join(roots, "id", "left").select("id", F.coalesce("root", "id").alias("root"))


def resolve_roots(parents: DataFrame, id_col: str = "id", parent_col: str = "parent") -> DataFrame:
    """(id, root) for every id of a forest given as (id, parent) edges: pointer jumping, log(depth) rounds.

    Parents must form a forest (e.g. each row points at an *earlier* row); roots have no row of their own.
    """
    from pyspark.sql import functions as F

    current = parents.select(F.col(id_col).alias("id"), F.col(parent_col).alias("root"))
    for _ in range(MAX_ROUNDS):
        hop = current.alias("c").join(current.alias("p"), F.col("c.root") == F.col("p.id"), "left")
        current = hop.select(
            F.col("c.id").alias("id"),
            F.coalesce(F.col("p.root"), F.col("c.root")).alias("root"),
            F.col("p.root").isNotNull().alias("_moved"),
        ).cache()
        if not current.where("_moved").count():  # one job per round; it also fills the cache
            break
        current = current.drop("_moved")
    return current.drop("_moved").withColumnRenamed("id", id_col)


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
