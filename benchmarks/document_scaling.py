"""Time to process one long article as its size grows (issue 18, defect 7): clean, date, the registry-free
statement analysis and speaker resolution of a single synthetic document, as `saidwhen ingest` runs them.

Synthetic data (no data folder needed): paragraphs of news-like text with a direct quote, reported speech
and an evaluative cue each. Prints one line per size: characters, seconds, statements, and whether the
per-document work bound cut it.

    python benchmarks/document_scaling.py [--sizes 250000,500000,1000000,2000000]
"""

from __future__ import annotations

import argparse
import time

from saidwhen.model import RawDocument
from saidwhen.nlp import load_nlp
from saidwhen.parallel import BatchJob, process_batch, resolve_statements
from saidwhen.statements import NLP_DISABLE, SpeakerRegistry


def text_of(size: int) -> str:
    paras: list[str] = []
    total, i = 0, 0
    while total < size:
        para = (f'"We will build {i} new bridges," said Minister Anna Berg{i % 7}. Officials in Town{i} said the '
                f"plan was approved on Monday, {1 + i % 28} March 2024. He welcomed the remarks.")
        paras.append(para)
        total += len(para) + 2
        i += 1
    return "\n\n".join(paras)[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="250000,500000,1000000,2000000")
    args = parser.parse_args()
    nlp = load_nlp(disable=NLP_DISABLE)
    print(f"{'chars':>10} {'seconds':>8} {'statements':>10}  cut")
    for size in (int(s) for s in args.sizes.split(",")):
        raw = RawDocument("bench.txt", "bench.txt", text_of(size))
        t = time.perf_counter()
        result = process_batch(BatchJob([raw], None, True), nlp)  # type: ignore[arg-type]
        statements = [st for a in (result.analysed or []) for st in resolve_statements(a, SpeakerRegistry())]
        seconds = time.perf_counter() - t
        cut = getattr(result.analysed[0].prepared, "truncated", None) if result.analysed else None
        print(f"{size:>10,} {seconds:>8.1f} {len(statements):>10,}  {cut or '-'}")


if __name__ == "__main__":
    main()
