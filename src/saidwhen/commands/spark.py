"""`saidwhen spark-run` (the pipeline on PySpark, Parquet out) and `saidwhen load` (Parquet into the store).

PySpark is imported only when `spark-run` runs; `load` needs pyarrow only. See docs/spark.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saidwhen.commands.common import (
    DEFAULT_DB_PATH,
    EXIT_NOT_FOUND,
    EXIT_NOTHING_READ,
    DbOption,
    console,
    fail,
    friendly_errors,
    open_store,
)
from saidwhen.spark import INSTALL_HINT

SPARK_HINT = INSTALL_HINT  # `fail` prints its message literally ("[spark]" is not a style tag)
EXIT_SPARK_MISSING = 3


def spark_run(
    input_path: Annotated[
        str, typer.Argument(metavar="INPUT", help="File, folder or glob; any Hadoop path.")
    ],
    output: Annotated[str, typer.Argument(metavar="OUTPUT", help="Output folder for the Parquet tables.")],
    master: Annotated[str, typer.Option("--master", help="Spark master URL.")] = "local[2]",
    partitions: Annotated[
        int | None, typer.Option("--partitions", min=1, help="Partitions for the NLP stage.")
    ] = None,
    aliases: Annotated[
        Path | None, typer.Option("--aliases", help="YAML file of people, aliases and role bindings.")
    ] = None,
) -> None:
    """Run the pipeline on Spark: JSONL/Parquet/WARC/text/HTML in, Parquet tables out."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise fail(SPARK_HINT, EXIT_SPARK_MISSING) from None
    if aliases is not None and not aliases.exists():
        raise fail(f"alias file not found: {aliases}", 2)
    from saidwhen.spark.job import aliases_registry, run
    from saidwhen.spark.session import build_session

    registry = aliases_registry(str(aliases)) if aliases else None
    try:
        spark = build_session(master)
    except Exception as exc:  # no Java, bad master URL: one clear line, no JVM traceback
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise fail(
            f"could not start Spark ({message}); PySpark needs Java 17 on the PATH", 1
        ) from None
    with friendly_errors():
        try:
            report = run(
                spark,
                [input_path],
                output,
                partitions=partitions,
                registry=registry,
                progress=lambda message: console.print(f"[dim]spark:[/] {message}", highlight=False),
            )
        finally:
            spark.stop()
    counts = " · ".join(f"{name} {n:,}" for name, n in report.counts.items())
    console.print(f"wrote {output} in {report.seconds:.0f}s: {counts}", highlight=False, markup=False)
    if report.problems:
        reasons = ", ".join(f"{reason} ({n})" for reason, n in sorted(report.problems.items()))
        console.print(f"[yellow]rejected:[/] {reasons}", highlight=False)
    if not report.counts.get("documents"):
        raise fail("no documents found in the input", EXIT_NOTHING_READ)


def load(
    output_dir: Annotated[Path, typer.Argument(metavar="OUTPUT_DIR", help="Output folder of `spark-run`.")],
    db: DbOption = DEFAULT_DB_PATH,
    merge_state: Annotated[
        bool,
        typer.Option(
            "--merge-state",
            help="Also rebuild the incremental merge state (a sequential pass), so that a later "
            "`saidwhen ingest` merges new articles with the loaded ones.",
        ),
    ] = False,
) -> None:
    """Load the Parquet output of `spark-run` into the store (documents, statements, events, claims)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise fail(
            "pyarrow is not installed: pip install 'saidwhen[spark]'", EXIT_SPARK_MISSING
        ) from None
    if not (output_dir / "documents").is_dir():
        raise fail(
            f"no spark-run output at {output_dir} (expected {output_dir / 'documents'})", EXIT_NOT_FOUND
        )
    from saidwhen.spark.load import load_output

    with open_store(db, readonly=False) as store, friendly_errors():
        report = load_output(str(output_dir), store, merge_state=merge_state)
    console.print(
        "loaded " + " · ".join(f"{name} {n:,}" for name, n in report.counts.items()) + f" into {db}",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.command("spark-run")(spark_run)
    app.command("load")(load)
