"""The Spark driver: `saidwhen spark-run INPUT OUTPUT` and `spark-submit -m saidwhen.spark.job INPUT OUTPUT`.

    spark-submit --master yarn ... $(python -c 'import saidwhen.spark.job as j; print(j.__file__)') INPUT OUTPUT
    python -m saidwhen.spark.job INPUT OUTPUT --master 'local[2]'

Passes over the data: (1) read inputs, learn repeated lines (reduceByKey, the frequent ones broadcast);
(2) drop exact re-reads (same document id, first in ingest order kept), sort by ingest order, clean, date
and extract statements per partition; (3) cross-document grouping as joins (`crossdoc`); (4) write Parquet
tables `documents`, `statements`, `events`, `claims`, `merged`, `problems`, `state` under OUTPUT
(overwritten).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from saidwhen.spark.session import build_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

REPEATED_STATE = "repeated_lines"  # the key `store_ingest` keeps learned lines under


@dataclass
class RunReport:
    output: str
    counts: dict[str, int] = field(default_factory=dict)
    problems: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def run(
    spark: SparkSession,
    inputs: list[str],
    output: str,
    *,
    partitions: int | None = None,
    registry: dict[str, Any] | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunReport:
    """The whole pipeline on Spark; returns row counts per table (counted from the written Parquet)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from saidwhen.model import document_id
    from saidwhen.spark import stages
    from saidwhen.spark.crossdoc import cross_document
    from saidwhen.spark.grouping import materialize
    from saidwhen.spark.io import read_raw
    from saidwhen.spark.tables import COLUMNS, SCHEMAS

    say = progress or (lambda message: None)
    started = time.monotonic()
    sc = spark.sparkContext
    n_parts = partitions or sc.defaultParallelism

    say("reading inputs")
    items = read_raw(spark, inputs).persist(StorageLevel.MEMORY_AND_DISK)
    raws = items.filter(lambda kv: kv[0] == "doc").map(lambda kv: kv[1])

    say("learning repeated lines")
    min_docs = stages.RepeatedLines().min_docs
    counts = (
        raws.map(lambda o_raw: o_raw[1])
        .mapPartitions(stages.repeated_counts)
        .reduceByKey(stages.merge_counts(min_docs))
        .filter(lambda kv: kv[0][0] in ("docs", "outlet") or stages.could_repeat(kv[1], min_docs))
    )
    repeated = stages.learned_lines(counts.collect())
    bc_repeated = sc.broadcast(repeated)

    say("cleaning, dating, extracting statements")
    unique = (
        raws.map(lambda o_raw: (document_id(o_raw[1].text, o_raw[1].outlet), o_raw))
        .reduceByKey(lambda a, b: a if a[0] <= b[0] else b)
        .values()
        .sortBy(lambda o_raw: o_raw[0], numPartitions=n_parts)
        .zipWithIndex()
    )
    extracted = unique.mapPartitions(
        lambda rows: stages.process_partition(rows, bc_repeated.value, registry)
    ).persist(StorageLevel.MEMORY_AND_DISK)
    docs = materialize(
        spark.createDataFrame(extracted.map(lambda e: e[0]), f"{SCHEMAS['documents']}, pos bigint, day int")
    )
    statements = materialize(
        spark.createDataFrame(
            extracted.flatMap(lambda e: e[1]), f"{SCHEMAS['statements']}, pos bigint, day int"
        )
    )
    extracted.unpersist()  # both tables hold it now

    say("grouping across documents")
    cross = cross_document(
        docs.select("id", "pos", F.col("clean_text").alias("text"), "title", "day"),
        statements.select("id", "document_id", "pos", "speaker", "text", "day"),
    )
    tables: dict[str, DataFrame] = {
        "documents": docs.drop("duplicate_of", "event_id")
        .join(cross.documents, "id")
        .orderBy("pos")
        .select(*COLUMNS["documents"]),
        "statements": statements.drop("merged_id", "claim_id")
        .join(cross.statements, "id")
        .orderBy("pos")
        .select(*COLUMNS["statements"]),
        "events": cross.events.orderBy("id"),
        "claims": cross.claims.orderBy("id"),
        "merged": cross.merged.orderBy("id"),
        "problems": spark.createDataFrame(
            items.filter(lambda kv: kv[0] == "problem").map(lambda kv: kv[1]), SCHEMAS["problems"]
        ).orderBy("path", "line"),
    }
    report = RunReport(output)
    for name, df in tables.items():
        say(f"writing {name}")
        path = os.path.join(output, name)
        df.write.mode("overwrite").parquet(path)
        report.counts[name] = spark.read.parquet(path).count()
    problems = spark.read.parquet(os.path.join(output, "problems"))
    reasons = problems.select(F.split("reason", ":")[0].alias("r")).groupBy("r").count().collect()
    report.problems = {r.r: r["count"] for r in reasons}
    _write_state(spark, output, {REPEATED_STATE: repeated.to_dict()})
    items.unpersist()
    report.seconds = time.monotonic() - started
    return report


def _write_state(spark: SparkSession, output: str, state: dict[str, Any]) -> None:
    """The learned state for `saidwhen load` (store state key -> JSON), as a small `state` table."""
    rows = [(key, json.dumps(value)) for key, value in state.items()]
    df = spark.createDataFrame(rows, "key string, value string").coalesce(1)
    df.write.mode("overwrite").parquet(os.path.join(output, "state"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m saidwhen.spark.job", description="Run the saidwhen pipeline on Spark."
    )
    parser.add_argument("input", nargs="+", help="input files, folders or globs (any Hadoop-compatible path)")
    parser.add_argument("output", help="output folder for the Parquet tables (overwritten)")
    parser.add_argument("--master", default=None, help="Spark master (default: from spark-submit)")
    parser.add_argument("--partitions", type=int, default=None, help="partitions for the NLP stage")
    parser.add_argument("--aliases", default=None, help="YAML alias file of people and roles")
    args = parser.parse_args(argv)
    registry = aliases_registry(args.aliases)
    spark = build_session(args.master)
    try:
        report = run(
            spark,
            args.input,
            args.output,
            partitions=args.partitions,
            registry=registry,
            progress=lambda m: print(f"saidwhen: {m}", file=sys.stderr),
        )
    finally:
        spark.stop()
    print(json.dumps({"output": report.output, "rows": report.counts, "problems": report.problems}))
    return 0


def aliases_registry(path: str | None) -> dict[str, Any] | None:
    if path is None:
        return None
    from saidwhen.statements import SpeakerRegistry

    return SpeakerRegistry.from_yaml(path).to_dict()


if __name__ == "__main__":
    raise SystemExit(main())
