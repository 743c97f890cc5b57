"""Timeline summarisation on Timeline17 (T17), scored with tilse 0.2.1 as in news-tls (ACL 2020).

    python benchmarks/tls_eval.py DATA_DIR [--topics a,b] [--rouge original|reimpl] [--cache DIR]

DATA_DIR holds one folder per topic: `InputDocs/<publication date>/*.txt`, `keywords.json`,
`timelines/*.txt` (gold). For each topic the articles are read with `saidwhen.ingest`, cleaned and dated
with the folder's publication date (`saidwhen.pipeline.prepare`), and `saidwhen.tls` builds one timeline
per gold timeline in the standard setting of the TLS literature (news-tls `experiments/evaluate.py`):
oracle length — as many dates as the gold timeline and round(mean sentences per gold date) sentences per
date — and the input restricted to the gold timeline's first..last date.

Scores (tilse, ROUGE-1/2 F with the original ROUGE-1.5.5 by default): align-m:1 (AR1-F, AR2-F, news-tls'
main measure), concat, agreement, and date F1. The mean is taken as news-tls does: precision and recall
averaged over all gold timelines, F from the averages. The `--cache` directory keeps each topic's dated
sentences (time expression tagging is the slow part) between runs.
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from saidwhen.clean import RepeatedLines
from saidwhen.dates import find_timexes
from saidwhen.ingest import read_inputs
from saidwhen.model import Document, TimeExpression
from saidwhen.pipeline import prepare
from saidwhen.problems import ProblemLog
from saidwhen.tls import DatedSentence, TLSConfig, collect_sentences, summarize

ANCHOR = {"AR1-F": 0.120, "AR2-F": 0.035, "Date-F1": 0.544}  # news-tls DATEWISE on T17 (ACL 2020, table)
MEASURES = {
    "AR": "align_date_content_costs_many_to_one",
    "concat": "concat",
    "agree": "agreement",
}


def read_topic(topic_dir: Path, problems: ProblemLog) -> list[Document]:
    """The topic's articles, cleaned, dated by their folder's name, exact duplicates dropped."""
    raws = []
    for day_dir in sorted(p for p in (topic_dir / "InputDocs").iterdir() if p.is_dir()):
        try:
            published = date.fromisoformat(day_dir.name)
        except ValueError:
            problems.add(str(day_dir), "folder name is not a date")
            continue
        for raw in read_inputs([str(f) for f in sorted(day_dir.glob("*.txt"))], problems):
            raw.published, raw.published_from = published, "metadata"
            raws.append(raw)
    repeated = RepeatedLines()
    for raw in raws:
        repeated.observe(raw.text, raw.outlet)
    docs: dict[str, Document] = {}
    for raw in raws:
        doc = prepare(raw, repeated)
        docs.setdefault(doc.id, doc)
    return list(docs.values())


def read_gold(path: Path) -> dict[date, list[str]]:
    """A T17 timeline file read by tilse's own reader (`Timeline.from_file`; a date listed twice keeps its
    last block, as in tilse and news-tls)."""
    from tilse.data.timelines import Timeline

    with path.open(encoding="utf-8", errors="replace") as fh:
        tl = Timeline.from_file(fh)
    return {d: [x for x in s if x.strip()] for d, s in tl.dates_to_summaries.items() if d is not None}


class RecordingTagger:
    """`find_timexes` remembering each answer (or failure), so that a cached topic replays it."""

    def __init__(self, answers: dict[tuple[str, date | None], Any] | None = None) -> None:
        self.answers = answers if answers is not None else {}

    def __call__(self, text: str, anchor: date | None) -> list[TimeExpression]:
        key = (text, anchor)
        if key not in self.answers:
            try:
                self.answers[key] = find_timexes(text, anchor)
            except (ValueError, OverflowError) as e:
                self.answers[key] = e
        answer = self.answers[key]
        if isinstance(answer, Exception):
            raise answer
        return answer


def topic_sentences(topic_dir: Path, cache: Path | None, cfg: TLSConfig) -> tuple[list[DatedSentence], int]:
    """The topic's dated sentences; with `cache`, the documents and their time expressions are kept in
    `cache/<topic>.pkl` so that a re-run only redoes the (cheap) sentence dating."""
    key = cache / f"{topic_dir.name}.pkl" if cache else None
    if key is not None and key.exists():
        with key.open("rb") as fh:
            docs, answers = pickle.load(fh)
        return collect_sentences(docs, config=cfg, tagger=RecordingTagger(answers)), len(docs)
    problems = ProblemLog()
    docs = read_topic(topic_dir, problems)
    if len(problems):
        print(
            f"  {topic_dir.name}: {len(problems)} unreadable inputs, e.g. {problems.problems[0]}",
            file=sys.stderr,
        )
    tagger = RecordingTagger()
    sents = collect_sentences(docs, config=cfg, tagger=tagger)
    if key is not None:
        key.parent.mkdir(parents=True, exist_ok=True)
        with key.open("wb") as fh:
            pickle.dump((docs, tagger.answers), fh)
    return sents, len(docs)


def score(pred: dict[date, list[str]], gold: dict[date, list[str]], evaluator: Any) -> dict[str, float]:
    from tilse.data.timelines import GroundTruth, Timeline
    from tilse.evaluation.dates import evaluate_dates

    pred_tl = Timeline(pred)
    truth = GroundTruth([Timeline(gold)])
    out: dict[str, float] = {}
    for short, measure in MEASURES.items():
        res = getattr(evaluator, f"evaluate_{measure}")(pred_tl, truth)
        for n in ("1", "2"):
            out[f"{short}{n}-P"] = res[f"rouge_{n}"]["precision"]
            out[f"{short}{n}-R"] = res[f"rouge_{n}"]["recall"]
    if pred:
        ds = evaluate_dates(pred_tl, truth)
        out["Date-P"], out["Date-R"] = ds["precision"], ds["recall"]
    else:
        out["Date-P"] = out["Date-R"] = 0.0
    return out


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


COLUMNS = ["AR1-F", "AR2-F", "Date-F1", "concat1-F", "concat2-F", "agree1-F", "agree2-F"]


def f_scores(pr: dict[str, float]) -> dict[str, float]:
    out = {}
    for col in COLUMNS:
        base = "Date" if col == "Date-F1" else col[:-2]
        out[col] = f1(pr[f"{base}-P"], pr[f"{base}-R"])
    return out


def mean_pr(rows: Iterable[dict[str, float]]) -> dict[str, float]:
    rows = list(rows)
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("--topics", help="comma-separated topic folder names (default: all)")
    ap.add_argument("--rouge", choices=["original", "reimpl"], default="original",
                    help="ROUGE-1.5.5 perl (the standard) or tilse's fast approximation")  # fmt: skip
    ap.add_argument("--cache", type=Path, help="directory for the topics' dated sentences (outside the repo)")
    ap.add_argument("--show", action="store_true", help="print the produced timelines")
    ap.add_argument("--config", default="{}", help="TLSConfig overrides as JSON, e.g. '{\"later_bonus\": 2}'")
    args = ap.parse_args(argv)
    from tilse.evaluation.rouge import TimelineRougeEvaluator

    cfg = TLSConfig(**json.loads(args.config))
    topics = sorted(p for p in args.data_dir.iterdir() if (p / "timelines").is_dir())
    if args.topics:
        wanted = {t.strip() for t in args.topics.split(",") if t.strip()}
        missing = wanted - {p.name for p in topics}
        if missing:
            ap.error(f"unknown topics: {', '.join(sorted(missing))}")
        topics = [p for p in topics if p.name in wanted]
    evaluator = TimelineRougeEvaluator(measures={"rouge_1", "rouge_2"}, rouge_computation=args.rouge)
    t0 = time.perf_counter()
    t_build = t_score = 0.0
    results: list[tuple[str, dict[str, float]]] = []
    header = f"{'topic / gold timeline':<38} {'docs':>5} {'l':>4} {'k':>2} " + " ".join(
        f"{c:>9}" for c in COLUMNS
    )
    print(header)
    print("-" * len(header))
    for topic in topics:
        tb = time.perf_counter()
        sentences, n_docs = topic_sentences(topic, args.cache, cfg)
        keywords_file = topic / "keywords.json"
        keywords = json.loads(keywords_file.read_text()) if keywords_file.exists() else []
        t_build += time.perf_counter() - tb
        for gold_path in sorted((topic / "timelines").glob("*.txt")):
            gold = read_gold(gold_path)
            if not gold:
                continue
            n_dates = len(gold)
            k = round(sum(len(s) for s in gold.values()) / n_dates)
            tb = time.perf_counter()
            tl = summarize(
                sentences,
                keywords,
                max_dates=n_dates,
                per_date=k,
                since=min(gold),
                until=max(gold),
                config=cfg,
            )
            t_build += time.perf_counter() - tb
            pred = {td.date: [s.text for s in td.sentences] for td in tl}
            if args.show:
                for td in tl:
                    print(f"  {td.date} ({td.score:.1f})")
                    for s in td.sentences:
                        print(f"     [{s.date_from}] {s.text[:160]}")
            ts = time.perf_counter()
            pr = score(pred, gold, evaluator)
            t_score += time.perf_counter() - ts
            name = f"{topic.name}/{gold_path.stem}"
            results.append((name, pr))
            fs = f_scores(pr)
            print(
                f"{name[:38]:<38} {n_docs:>5} {n_dates:>4} {k:>2} "
                + " ".join(f"{fs[c]:>9.3f}" for c in COLUMNS),
                flush=True,
            )
    if not results:
        print("no gold timelines found")
        return 1
    print("-" * len(header))
    mean = f_scores(mean_pr(pr for _, pr in results))
    print(f"{'mean (' + str(len(results)) + ' timelines)':<38} {'':>5} {'':>4} {'':>2} "
          + " ".join(f"{mean[c]:>9.3f}" for c in COLUMNS))  # fmt: skip
    print(f"{'anchor news-tls DATEWISE':<38} {'':>5} {'':>4} {'':>2} "
          + " ".join(f"{ANCHOR[c]:>9.3f}" if c in ANCHOR else f"{'':>9}" for c in COLUMNS))  # fmt: skip
    print(f"\nsetting: oracle length (l = gold dates, k = round(mean gold sentences per date)), input span = gold "
          f"first..last date; ROUGE: {args.rouge}; mean: F of averaged P/R over gold timelines (news-tls)")  # fmt: skip
    print(
        f"runtime: {time.perf_counter() - t0:.1f}s (read+tag+summarise {t_build:.1f}s, scoring {t_score:.1f}s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
