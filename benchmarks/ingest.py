"""Ingest benchmark: PolNeAR train+dev texts (dates and outlets from metadata.tsv) into a fresh store.

    python benchmarks/ingest.py ../shared/bench/polnear [--extract] [--repeat 1]

Writes a temporary JSONL (text + metadata) outside the repository, ingests it into a temporary SQLite
file and prints documents/s and peak RSS. `--extract` includes statement extraction and merging (the
full `saidwhen ingest`); without it, the ingest, clean and date stages only. A second pass re-ingests the
same input to measure the idempotent path (everything unchanged).
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from saidwhen.problems import ProblemLog
from saidwhen.store import Store
from saidwhen.store_ingest import StoreIngest


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build_jsonl(data_dir: Path, out: Path) -> int:
    meta: dict[str, dict[str, str]] = {}
    with open(data_dir / "metadata.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            meta[row["filename"]] = row
    n = 0
    with open(out, "w", encoding="utf-8") as sink:
        for split in ("train", "dev"):
            for path in sorted((data_dir / split / "text").glob("*.txt")):
                row = meta.get(path.stem, {})
                record = {
                    "text": path.read_text(encoding="utf-8"),
                    "title": row.get("title"),
                    "date": row.get("publication_date"),
                    "source": row.get("publisher"),
                    "id": path.stem,
                }
                sink.write(json.dumps(record) + "\n")
                n += 1
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path, help="the polnear folder (with train/, dev/, metadata.tsv)")
    parser.add_argument("--extract", action="store_true", help="also extract statements and merge")
    args = parser.parse_args()
    if not (args.data_dir / "metadata.tsv").exists():
        sys.exit(f"no metadata.tsv in {args.data_dir}")
    with tempfile.TemporaryDirectory(prefix="saidwhen-bench-") as tmp:
        jsonl = Path(tmp) / "polnear.jsonl"
        n = build_jsonl(args.data_dir, jsonl)
        db = Path(tmp) / "bench.db"
        stages = "ingest+clean+date+statements+merge" if args.extract else "ingest+clean+date"
        print(f"PolNeAR train+dev: {n} articles; stages: {stages}")
        for label in ("first ingest", "re-ingest (idempotent)"):
            store = Store(db)
            problems = ProblemLog()
            t0 = time.perf_counter()
            report = StoreIngest(store, extract=args.extract).run([str(jsonl)], problems)
            dt = time.perf_counter() - t0
            store.close()
            print(
                f"{label:24s} {report.read:5d} read  {report.added:5d} added  {report.unchanged:5d} unchanged  "
                f"{report.rejected} rejected  {dt:7.1f} s  {report.read / dt:8.1f} docs/s  "
                f"peak RSS {peak_rss_mb():.0f} MB"
            )
        with Store(db, readonly=True) as store:
            stats = store.stats()
        print(f"published_from: {stats['published_from']}  statements: {stats['statements']}")


if __name__ == "__main__":
    main()
