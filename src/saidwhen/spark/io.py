"""Inputs on Spark: any Hadoop-compatible path (file:, hdfs:, s3a:, gs:, abfs:) to RawDocuments.

The file listing (metadata only) is taken on the driver, like Spark's own file index; contents are read
on the executors, with the local readers of `saidwhen.ingest`:

- JSON lines (`.jsonl`, `.ndjson`, optionally `.gz`) are read line by line with Spark's splittable text
  source; 1-based line numbers are rebuilt from the file blocks (`_metadata.file_block_start`), so keys
  are the local ones (`path#L<line>`) and each line goes through `ingest.records.read_jsonl`.
- Parquet rows go through `ingest.records.record_to_document` (the local field mapping), keyed
  `path#/<row index>`.
- Every other file (`.txt`, `.html`, `.warc(.gz)`, `.json`, `.csv`, ...) is read whole (`binaryFile`, under
  2 GB each) and handed to `ingest.read_inputs` exactly as the local run would read it.

Each item of the resulting RDD is `("doc", (order, RawDocument))` or `("problem", (path, line, reason))`;
`order` is (file number in local walk order, position in the file), so "first seen" means what it means
locally.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from saidwhen.ingest import read_inputs
from saidwhen.ingest.files import InputError, fix_mojibake, format_of
from saidwhen.ingest.records import read_jsonl, record_to_document
from saidwhen.model import RawDocument
from saidwhen.problems import ProblemLog

if TYPE_CHECKING:
    from pyspark import RDD
    from pyspark.sql import SparkSession

MAX_BYTES = 50_000_000  # the local default of `read_inputs`
Order = tuple[int, int]
Item = tuple[str, Any]


@dataclass(frozen=True)
class InputFile:
    uri: str  # as Spark names it (file:/..., hdfs://...)
    path: str  # a plain absolute path for local files, else the URI (the lookup key on executors)
    name: str  # as the local run reports it: joined onto the input as given (`data/a.txt`), like os.walk
    fmt: str | None  # saidwhen.ingest format, "parquet", or None when unsupported
    size: int
    number: int  # position in local walk order


def display_path(uri: str) -> str:
    """A local file's plain path (what `saidwhen analyze` reports); other URIs unchanged."""
    if uri.startswith("file:"):
        return unquote(urlparse(uri).path)
    return uri


def _root(path: str) -> str:
    return (
        path.rstrip("/") if urlparse(path).scheme not in ("", "file") else os.path.abspath(display_path(path))
    )


def walk_key(path: str, root: str) -> tuple[tuple[int, str], ...]:
    """Sort key reproducing `ingest.files.walk`: sorted files of a folder before its sorted subfolders."""
    rel = path[len(root) + 1 :] if path.startswith(root + "/") else path
    parts = rel.split("/")
    return tuple((1, d) for d in parts[:-1]) + ((0, parts[-1]),)


def file_format(path: str) -> str | None:
    name = os.path.basename(path).lower()
    if name.endswith(".parquet"):
        return "parquet"
    return format_of(path)[0]


def _hadoop_files(spark: SparkSession, pattern: str) -> Iterator[tuple[str, int]]:
    """(uri, size) of every file named by `pattern` (file, folder or glob), via Hadoop's FileSystem.

    Spark's file sources skip empty files; the local run reports them, so the listing comes from Hadoop.
    """
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(pattern)
    fs = path.getFileSystem(conf)
    for status in fs.globStatus(path) or []:
        if not status.isDirectory():
            yield status.getPath().toString(), status.getLen()
            continue
        files = fs.listFiles(status.getPath(), True)
        while files.hasNext():
            f = files.next()
            yield f.getPath().toString(), f.getLen()


def list_inputs(spark: SparkSession, inputs: list[str], missing: list[str] | None = None) -> list[InputFile]:
    """Every non-hidden file below `inputs` (files, folders, globs), in local walk order; inputs that
    name nothing are appended to `missing`."""
    keyed: list[tuple[Any, str, int, str]] = []
    for i, inp in enumerate(inputs):
        root = _root(inp)
        local = urlparse(inp).scheme == ""
        found = False
        # a relative path is the Python process's, not the JVM's working directory
        for uri, size in _hadoop_files(spark, root if local else inp):
            found = True
            path = display_path(uri)
            key = walk_key(path, root)
            if any(name.startswith(".") for _, name in key):
                continue
            name = path
            if local and path == root:
                name = inp
            elif local and path.startswith(root + "/"):
                name = os.path.join(inp, *path[len(root) + 1 :].split("/"))
            keyed.append(((i, key), uri, size, name))
        if not found and missing is not None and not (local and os.path.isdir(root)):
            missing.append(inp)
    keyed.sort()
    return [
        InputFile(uri, display_path(uri), name, file_format(name), size, n)
        for n, (_, uri, size, name) in enumerate(keyed)
    ]


# --- readers (executor side) ---------------------------------------------------------------------


def _drain(log: ProblemLog) -> Iterator[Item]:
    for p in log.problems:
        yield "problem", (p.path, p.line, p.reason)
    log.problems.clear()


def _docs_and_problems(docs: Iterator[tuple[Order, RawDocument]], log: ProblemLog) -> Iterator[Item]:
    for order, raw in docs:
        yield from _drain(log)
        yield "doc", (order, raw)
    yield from _drain(log)


def _relocate(raw: RawDocument, tmp: str, path: str) -> RawDocument:
    raw.source_path = path
    if raw.source_key.startswith(tmp):
        raw.source_key = path + raw.source_key[len(tmp) :]
    return raw


def read_whole_files(rows: Iterable[Any], files: dict[str, InputFile], max_bytes: int) -> Iterator[Item]:
    """binaryFile rows (path, content) -> items, via `ingest.read_inputs` on a local copy of each file."""
    for row in rows:
        f = files[display_path(row.path)]
        log = ProblemLog()
        with tempfile.TemporaryDirectory(prefix="saidwhen-") as tmpdir:
            tmp = os.path.join(tmpdir, os.path.basename(f.path))
            with open(tmp, "wb") as out:
                out.write(row.content)
            docs = (
                ((f.number, i), _relocate(raw, tmp, f.name))
                for i, raw in enumerate(read_inputs([tmp], log, max_bytes=max_bytes))
            )
            for kind, value in _docs_and_problems(docs, log):
                if kind == "problem" and value[0] == tmp:
                    value = (f.name, *value[1:])
                yield kind, value


def read_jsonl_blocks(
    rows: Iterable[Any], files: dict[str, InputFile], offsets: dict[tuple[str, int], int], max_bytes: int
) -> Iterator[Item]:
    """Text-source rows (value, file, block) -> items; each block's lines numbered from `offsets`."""
    log = ProblemLog()
    for (uri, start), block in groupby(rows, key=lambda r: (r.file, r.block)):
        f = files[display_path(uri)]
        base = offsets[(f.path, start)]

        def lines(block: Iterable[Any] = block, base: int = base) -> Iterator[tuple[int, str]]:
            for i, r in enumerate(block):
                number = base + i + 1
                text = fix_mojibake(r.value)
                yield number, text.removeprefix("\ufeff") if number == 1 else text

        try:
            docs = (((f.number, raw.line or 0), raw) for raw in read_jsonl(lines(), f.name, log, max_bytes))
            yield from _docs_and_problems(docs, log)
        except InputError as e:  # "empty file: no records" is only a problem for the whole file
            if start == 0 and base == 0:
                log.add(f.name, str(e), e.line)
            yield from _drain(log)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def read_parquet_rows(rows: Iterable[Any], files: dict[str, InputFile]) -> Iterator[Item]:
    """Parquet rows -> items through the local record mapping (`record_to_document`)."""
    for row in rows:
        record = row.asDict(recursive=True)
        uri, index = record.pop("__file"), record.pop("__row")
        f = files[display_path(uri)]
        try:
            raw = record_to_document(_plain(record), f.name, f"{f.name}#/{index}", index + 1, "parquet")
        except InputError as e:
            yield "problem", (f.name, index + 1, str(e))
            continue
        yield "doc", ((f.number, index), raw)


# --- the driver side ---------------------------------------------------------------------------


def read_raw(spark: SparkSession, inputs: list[str], *, max_bytes: int = MAX_BYTES) -> RDD[Item]:
    """All inputs as one RDD of items (see the module docstring)."""
    from pyspark.sql import functions as F

    sc = spark.sparkContext
    missing: list[str] = []
    listed = list_inputs(spark, inputs, missing)
    problems: list[Item] = [
        ("problem", (inp, None, "not found: no such file or directory")) for inp in missing
    ]
    by_format: dict[str, list[InputFile]] = {"jsonl": [], "parquet": [], "whole": []}
    for f in listed:
        if f.fmt is None:
            ext = os.path.splitext(f.path)[1] or "no extension"
            problems.append(("problem", (f.name, None, f"unsupported format: {ext}")))
        elif f.size == 0:
            problems.append(("problem", (f.name, None, "empty file")))
        else:
            by_format[f.fmt if f.fmt in ("jsonl", "parquet") else "whole"].append(f)
    parts: list[RDD[Item]] = [sc.parallelize(problems, 1)] if problems else []

    if by_format["whole"]:
        whole = sc.broadcast(_by_path(by_format["whole"]))
        df = (
            spark.read.format("binaryFile")
            .load([f.uri for f in by_format["whole"]])
            .select("path", "content")
        )
        parts.append(df.rdd.mapPartitions(lambda rows: read_whole_files(rows, whole.value, max_bytes)))

    if by_format["jsonl"]:
        jsonl = sc.broadcast(_by_path(by_format["jsonl"]))
        text = spark.read.text([f.uri for f in by_format["jsonl"]]).select(
            "value",
            F.col("_metadata.file_path").alias("file"),
            F.col("_metadata.file_block_start").alias("block"),
        )
        # lines per block, then each block's first line number: metadata, one row per file split
        counts = text.groupBy("file", "block").count().collect()
        offsets: dict[tuple[str, int], int] = {}
        running: dict[str, int] = {}
        for (uri, block), n in sorted(((r.file, r.block), r["count"]) for r in counts):
            path = display_path(uri)
            offsets[(path, block)] = running.get(path, 0)
            running[path] = offsets[(path, block)] + n
        bc_offsets = sc.broadcast(offsets)
        parts.append(
            text.rdd.mapPartitions(
                lambda rows: read_jsonl_blocks(rows, jsonl.value, bc_offsets.value, max_bytes)
            )
        )

    if by_format["parquet"]:
        parquet = sc.broadcast(_by_path(by_format["parquet"]))
        df = spark.read.option("mergeSchema", "true").parquet(*[f.uri for f in by_format["parquet"]])
        df = df.select(
            "*", F.col("_metadata.file_path").alias("__file"), F.col("_metadata.row_index").alias("__row")
        )
        parts.append(df.rdd.mapPartitions(lambda rows: read_parquet_rows(rows, parquet.value)))

    if not parts:
        return sc.emptyRDD()
    return sc.union(parts) if len(parts) > 1 else parts[0]


def _by_path(files: list[InputFile]) -> dict[str, InputFile]:
    """Keyed by display path: Spark sources differ in how they escape file URIs."""
    return {f.path: f for f in files}
