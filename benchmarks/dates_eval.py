"""Document dating on Timeline17: each article alone, and with the corpus (corpus dating).

    python benchmarks/dates_eval.py DATA_DIR [--seed 0] [--collections a,b] [--limit N] [--cache DIR]

DATA_DIR holds one folder per collection (`<topic>_<outlet>/InputDocs/<publication date>/*.txt`); the
publication dates are known from the folder names. Every article is read with `saidwhen.ingest` and
cleaned (`saidwhen.pipeline.prepare`); exact duplicates (same text and outlet) are kept once.

Two settings:
- half hidden: a seeded half of the articles keep their date as metadata (as in a real scrape where some
  pages have one and some don't), the other half are hidden and scored;
- all hidden: no article has a date of its own; all are scored.

For the scored articles it prints the share dated within ±1 day of the true date, the share left undated,
and the share wrong by more than 7 days, for:
- baseline: the latest full date (with a year) the text writes (outside captions, not in the future tense);
- alone: the article by itself (`saidwhen.dates.infer_from_text`: header lines, a dateline with a year,
  else the day its date mentions point to);
- corpus: after the merge stage and corpus dating (`CorpusMerger.add` for every article in folder order,
  then `CorpusMerger.date_from_corpus` for those without a date of their own).

The statement stage is not run: document dating does not use it (an article's statements are re-dated
from its date afterwards). Tagging the time expressions of ~4,600 long articles is the slow part (a few
minutes on one core); `--collections` or `--limit` (articles per collection, a seeded sample) make a quick
run, and `--cache DIR` keeps each collection's cleaned articles and their date mentions between runs.
"""

from __future__ import annotations

import argparse
import copy
import pickle
import random
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from saidwhen.clean import RepeatedLines
from saidwhen.dates import infer_from_text
from saidwhen.dates.evidence import Evidence
from saidwhen.dates.published import text_evidence
from saidwhen.ingest import read_inputs
from saidwhen.merge import CorpusMerger
from saidwhen.model import Document
from saidwhen.pipeline import prepare
from saidwhen.problems import ProblemLog


@dataclass
class Article:
    doc: Document  # cleaned; `published` is the true date
    truth: date
    evidence: Evidence
    alone: date | None
    baseline: date | None


def read_collection(
    folder: Path, limit: int | None, seed: int, problems: ProblemLog, cache: Path | None = None
) -> list[Article]:
    """The collection's articles; with `cache`, the cleaned documents and their evidence are kept there (the
    dates are computed again from them, so a change to the dating itself needs no new cache)."""
    path = cache / f"{folder.name}-{limit}-{seed}.pickle" if cache is not None else None
    if path is not None and path.exists():
        kept = pickle.loads(path.read_bytes())
    else:
        rng = random.Random(f"{seed}:{folder.name}")
        kept = [(doc, day, text_evidence(doc.clean.text)) for doc, day in _documents(folder, limit, rng, problems)]
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pickle.dumps(kept))
    out = []
    for doc, day, ev in kept:
        full = [date(m.year, m.month, m.day) for m in ev.mentions if m.kind == "full"]
        out.append(Article(doc, day, ev, infer_from_text(doc.clean.text, evidence=ev), max(full) if full else None))
    return out


def _documents(
    folder: Path, limit: int | None, rng: random.Random, problems: ProblemLog
) -> list[tuple[Document, date]]:
    files: list[tuple[date, Path]] = []
    for day_dir in sorted(p for p in (folder / "InputDocs").iterdir() if p.is_dir()):
        try:
            day = date.fromisoformat(day_dir.name)
        except ValueError:
            problems.add(str(day_dir), "folder name is not a date")
            continue
        files += [(day, f) for f in sorted(day_dir.glob("*.txt"))]
    if limit is not None and len(files) > limit:
        files = sorted(rng.sample(files, limit))
    raws = []
    for day, f in files:
        for raw in read_inputs([str(f)], problems):
            raw.outlet = folder.name
            raw.published, raw.published_from = day, "metadata"
            raws.append(raw)
    repeated = RepeatedLines()
    for raw in raws:
        repeated.observe(raw.text, raw.outlet)
    out: dict[str, tuple[Document, date]] = {}
    for raw in raws:
        doc = prepare(raw, repeated)
        out.setdefault(doc.id, (doc, raw.published))  # type: ignore[arg-type]
    return list(out.values())


def corpus_dates(articles: list[Article], hidden: set[str]) -> dict[str, date | None]:
    """The dates after corpus dating: hidden articles start with their own inferred date (if any)."""
    merger = CorpusMerger()
    docs = []
    for a in articles:
        doc = copy.copy(a.doc)
        if doc.id in hidden:
            doc.published, doc.published_from = a.alone, ("inferred" if a.alone else "unknown")
        merger.add(doc, [])
        docs.append((doc, a))
    for doc, a in docs:
        merger.date_from_corpus(doc, [], a.evidence)
    return {doc.id: doc.published for doc, _ in docs}


def score(pred: dict[str, date | None], articles: list[Article], ids: set[str]) -> tuple[float, float, float]:
    ok = undated = wrong = 0
    for a in articles:
        if a.doc.id not in ids:
            continue
        d = pred.get(a.doc.id)
        if d is None:
            undated += 1
        elif abs((d - a.truth).days) <= 1:
            ok += 1
        elif abs((d - a.truth).days) > 7:
            wrong += 1
    n = max(1, len(ids))
    return ok / n, undated / n, wrong / n


def row(label: str, figures: tuple[float, float, float]) -> str:
    ok, undated, wrong = figures
    return f"  {label:<10} {100 * ok:>12.1f}% {100 * undated:>9.1f}% {100 * wrong:>12.1f}%"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--seed", type=int, default=0, help="seed of the hidden half and of --limit samples")
    ap.add_argument("--collections", help="comma-separated collection folders (default: all)")
    ap.add_argument("--limit", type=int, help="at most this many articles per collection (seeded sample)")
    ap.add_argument("--cache", type=Path, help="keep the cleaned articles and their date mentions here")
    args = ap.parse_args(argv)
    folders = sorted(p for p in args.data_dir.iterdir() if (p / "InputDocs").is_dir())
    if args.collections:
        wanted = set(args.collections.split(","))
        folders = [p for p in folders if p.name in wanted]
    if not folders:
        print(f"no Timeline17 collections in {args.data_dir}", file=sys.stderr)
        return 2
    problems = ProblemLog()
    t0 = time.perf_counter()
    articles = [a for folder in folders for a in read_collection(folder, args.limit, args.seed, problems, args.cache)]
    t_read = time.perf_counter() - t0
    ids = [a.doc.id for a in articles]
    split = random.Random(args.seed)
    hidden = {i for i in ids if split.random() < 0.5}
    everything = set(ids)
    alone = {a.doc.id: a.alone for a in articles}
    baseline = {a.doc.id: a.baseline for a in articles}
    t1 = time.perf_counter()
    with_half = corpus_dates(articles, hidden)
    with_none = corpus_dates(articles, everything)
    t_corpus = time.perf_counter() - t1

    print(f"Timeline17: {len(articles)} articles in {len(folders)} collections (seed {args.seed})")
    header = f"  {'':<10} {'within ±1 day':>13} {'undated':>10} {'wrong >7 days':>13}"
    print(f"\nhalf hidden: {len(hidden)} articles without their date scored, the others keep it as metadata")
    print(header)
    print(row("baseline", score(baseline, articles, hidden)))
    print(row("alone", score(alone, articles, hidden)))
    print(row("corpus", score(with_half, articles, hidden)))
    print(f"\nall hidden: {len(everything)} articles, none with a date of its own")
    print(header)
    print(row("baseline", score(baseline, articles, everything)))
    print(row("alone", score(alone, articles, everything)))
    print(row("corpus", score(with_none, articles, everything)))
    print(f"\nread, clean, tag and date alone {t_read:.0f} s (less with --cache); merge + corpus dating (both "
          f"settings) {t_corpus:.0f} s")
    if problems.problems:
        print(f"{len(problems.problems)} input problems", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
