"""CPU cost of the ingest's main process with worker processes: what competes with the workers for the cores.

    python benchmarks/main_profile.py ../shared/bench/timeline17 [--limit 200] [--workers 2] [--top 25]
                                      [--embeddings] [--batch-size 64] [--no-profile]

With `--workers 2` the workers clean, date, extract and compute merge features, and the main process reads,
classifies, resolves speakers, merges and writes, in input order. Its CPU seconds (not wall clock: they do
not depend on what else runs on the machine, only on the work) are what stops two workers from giving twice
one worker's speed. This runs the ingest of the first `--limit` Timeline17 articles (dated by their folders,
`real_articles.py`) twice into fresh stores: once plain, printing the main process's CPU seconds per article
(`time.process_time`, the workers excluded) and the workers' CPU seconds; once under cProfile with a CPU-time
clock (`time.process_time`: the process's CPU, so time spent descheduled on a loaded machine does not count;
its overhead inflates Python-heavy functions; the CPU of the pool's result thread, which unpickles the
workers' batches, is counted in the main thread's function running at that moment, mostly the wait for a
batch), printing the top `--top` functions by own time and the cumulative time of the main process's entry
points.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_ENTRY_POINTS = (
    r"(store_ingest.py.*\((_classify|_complete_batch|_commit|_checkpoint|_finish|_relocate)\))|"
    r"(parallel.py.*\((resolve_statements|repeated_view)\))|(repeated.py.*\((observe|hashes|observe_hashes)\))|"
    r"(merge_store.py.*\((add|_merge|_date_from_corpus)\))|(corpus.py.*\((add|prepare|records)\))|"
    r"(store/__init__.py.*\((save_document|save_statements|save_events|save_merged|save_claims|"
    r"set_statement_links|set_state)\))|(registry.py.*\(to_dict\))|(pipeline.py.*\(batched\))|"
    r"(ingest/__init__.py.*\(read_inputs\))"
)


def ingest(corpus: Path, workers: int, batch_size: int, embeddings: bool,
           profile: cProfile.Profile | None = None) -> dict[str, Any]:
    from saidwhen.embeddings import load_similarity
    from saidwhen.problems import ProblemLog
    from saidwhen.store import Store
    from saidwhen.store_ingest import StoreIngest

    with tempfile.TemporaryDirectory(prefix="saidwhen-main-profile-") as tmp:
        store = Store(Path(tmp) / "profile.db")
        runner = StoreIngest(store, batch_size=batch_size, workers=workers,
                             similarity=load_similarity() if embeddings else None)
        cpu0 = time.process_time()
        if profile is not None:
            report = profile.runcall(runner.run, [str(corpus)], ProblemLog())
        else:
            report = runner.run([str(corpus)], ProblemLog())
        cpu = time.process_time() - cpu0
        store.close()
    return {"read": report.read, "statements": report.statements, "main_cpu_s": cpu,
            "workers_cpu_s": sum(runner.worker_cpu.values()), "timings": dict(runner.timings)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=Path, help="the Timeline17 folder")
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--embeddings", action="store_true", help="merge with the embedding hook")
    parser.add_argument("--no-profile", action="store_true", help="only the plain run")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from real_articles import write_corpus

    with tempfile.TemporaryDirectory(prefix="saidwhen-main-corpus-") as tmp:
        corpus = Path(tmp) / "articles"
        n, words = write_corpus(args.data, args.limit, corpus)
        print(f"{n:,} Timeline17 articles ({words:,} words), {args.workers} workers, batch {args.batch_size}, "
              f"{'embeddings' if args.embeddings else 'lexical'} merge")
        r = ingest(corpus, args.workers, args.batch_size, args.embeddings)
        print(f"main process: {r['main_cpu_s']:.2f} CPU s = {1000 * r['main_cpu_s'] / max(n, 1):.1f} ms/article; "
              f"workers {r['workers_cpu_s']:.2f} CPU s = {1000 * r['workers_cpu_s'] / max(n, 1):.1f} ms/article; "
              f"main share {100 * r['main_cpu_s'] / max(r['main_cpu_s'] + r['workers_cpu_s'], 1e-9):.0f}% of all CPU; "
              f"{r['statements']:,} statements; peak RSS main "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        if args.no_profile:
            return
        profile = cProfile.Profile(time.process_time)
        p = ingest(corpus, args.workers, args.batch_size, args.embeddings, profile)
    print(f"\nProfiled run (cProfile with a CPU clock, main process only): {p['main_cpu_s']:.2f} CPU s. Top {args.top} "
          "by own time:")
    stats = pstats.Stats(profile)
    stats.sort_stats("tottime").print_stats(args.top)
    print("Cumulative time of the main process's entry points:")
    stats.sort_stats("cumulative").print_stats(_ENTRY_POINTS)


if __name__ == "__main__":
    main()
