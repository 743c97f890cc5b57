"""Building the SparkSession for `spark-run` and for tests."""

from __future__ import annotations

import os
import re
import sys
import warnings
from typing import TYPE_CHECKING

from saidwhen.spark import require_pyspark

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def build_session(
    master: str | None = None, *, app_name: str = "saidwhen", conf: dict[str, str] | None = None
) -> SparkSession:
    """A SparkSession; with a `local[...]` master the executors use this very Python interpreter.

    `master=None` leaves the master to `spark-submit` (`--master yarn`, `k8s://...`).
    """
    require_pyspark()
    # pyspark 4.3 warns about pandas 3 on import; saidwhen does not use pyspark's pandas API
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
    )
    from pyspark.sql import SparkSession

    settings = {
        "spark.sql.session.timeZone": "UTC",
        "spark.python.worker.reuse": "true",  # the spaCy model is loaded once per Python worker
        "spark.ui.showConsoleProgress": "false",  # the CLI prints its own progress
    }
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        settings["spark.sql.shuffle.partitions"] = str(2 * local_cores(master))  # not 200 on one machine
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    settings.update(conf or {})
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def local_cores(master: str) -> int:
    """The number of cores of a `local`, `local[N]` or `local[*]` master."""
    m = re.fullmatch(r"local(?:\[(\d+|\*)(?:,\s*\d+)?\])?", master.strip())
    if not m or not m.group(1):
        return 1
    return (os.cpu_count() or 1) if m.group(1) == "*" else int(m.group(1))
