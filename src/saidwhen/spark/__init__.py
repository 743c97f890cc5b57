"""The saidwhen stages on PySpark: `saidwhen spark-run` and `python -m saidwhen.spark.job`.

Modules: `session` (the SparkSession), `io` (inputs to RawDocuments), `stages` (per-partition
clean/date/statements), `tables` (the Parquet schemas), `grouping` (candidate joins, best parents, pointer
jumping), `group_documents` / `group_statements` / `crossdoc` (duplicates, events, merged statements,
claims), `job` (the driver), `load` (Parquet output into the embedded store).
PySpark is optional (`pip install 'saidwhen[spark]'`) and imported inside the functions that need it.
"""

from __future__ import annotations

INSTALL_HINT = "PySpark is not installed. Install the cluster extra with:\n    pip install 'saidwhen[spark]'"


class SparkMissingError(RuntimeError):
    """pyspark (or pyarrow) is not importable."""


def require_pyspark() -> None:
    """Raise SparkMissingError with the install command when pyspark is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError as exc:
        raise SparkMissingError(INSTALL_HINT) from exc
