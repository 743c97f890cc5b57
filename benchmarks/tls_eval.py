"""Timeline summarisation on Timeline17 (T17), scored with tilse 0.2.1 as in news-tls (ACL 2020).

    python benchmarks/tls_eval.py DATA_DIR [--split all|dev|test] [--topics a,b] [--rouge original|reimpl]
                                  [--cache DIR] [--config JSON] [--grid JSON|FILE [--cv]] [--show]

DATA_DIR holds one folder per collection (`<topic>_<outlet>`): `InputDocs/<publication date>/*.txt`,
`keywords.json`, `timelines/*.txt` (gold). For each folder the articles are read with `saidwhen.ingest`,
cleaned and dated with the folder's publication date (`saidwhen.pipeline.prepare`), and `saidwhen.tls`
builds one timeline per gold timeline in the standard setting of the TLS literature (news-tls
`experiments/evaluate.py`): oracle length — as many dates as the gold timeline and round(mean sentences per
gold date) sentences per date — and the input restricted to the gold timeline's first..last date.

Scores (tilse, ROUGE-1/2 F with the original ROUGE-1.5.5 by default): align-m:1 (AR1-F, AR2-F, news-tls'
main measure), concat, agreement, and date F1. The mean is taken as news-tls does: precision and recall
averaged over all gold timelines, F from the averages. The `--cache` directory keeps each folder's
documents and time expressions (tagging is the slow part) between runs.

Honest tuning. T17 has nine topics (the folder name before "_"; bpoil has five outlets' folders, which
share their topic). `--split dev|test` restricts the run to a fixed topic split (`SPLITS`): the method was
developed and `saidwhen.tls.TLSConfig`'s defaults were chosen on the dev topics only. `--grid` scores
every configuration of a grid (JSON: `{"param": [values, ...]}` for the product, or a list of override
dicts; inline or a file; `default` is `DEFAULT_GRID`) on the selected topics and prints the best; with `--cv`, leave-one-topic-out
cross-validation: each topic is scored with the configuration that is best (mean AR1-F + AR2-F) on the
other topics, and the mean of those held-out scores is printed. Configurations are compared with
`--grid-rouge` (tilse's fast re-implementation by default); the held-out scores use `--rouge`.

Reproducing the README figures (see the README's benchmark table for the numbers):

    # all topics, default configuration
    python benchmarks/tls_eval.py ../shared/bench/timeline17 --cache /tmp/t17
    # the fixed test split, default configuration (chosen on the dev split)
    python benchmarks/tls_eval.py ../shared/bench/timeline17 --cache /tmp/t17 --split test
    # leave-one-topic-out cross-validation over the grid DEFAULT_GRID
    python benchmarks/tls_eval.py ../shared/bench/timeline17 --cache /tmp/t17 --grid default --cv
"""

from __future__ import annotations

import argparse
import itertools
import json
import pickle
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
from saidwhen.tls.text import Index, build_index

ANCHOR = {"AR1-F": 0.120, "AR2-F": 0.035, "Date-F1": 0.544}  # news-tls DATEWISE on T17 (ACL 2020, table)
MEASURES = {
    "AR": "align_date_content_costs_many_to_one",
    "concat": "concat",
    "agree": "agreement",
}
# a fixed topic split: development (method design, defaults) and test (reported, never tuned on)
SPLITS = {
    "dev": {"bpoil", "H1N1", "LibyaWar", "MJ"},
    "test": {"EgyptianProtest", "Finan", "haiti", "IraqWar", "SyrianCrisis"},
}
# the design choices and weights compared by `--grid default` (the defaults of TLSConfig are one point of it)
DEFAULT_GRID: dict[str, list[Any]] = {
    "rank_by": ["sentences", "documents"],
    "mention_mode": ["all", "first"],
    "knee": [False, True],
    "centroid": ["mean", "intersect"],
    "later_bonus": [1, 2],
    "keyword_boost": [0, 0.5],
}
COLUMNS = ["AR1-F", "AR2-F", "Date-F1", "concat1-F", "concat2-F", "agree1-F", "agree2-F"]
PR = dict[str, float]  # precision and recall of every measure for one gold timeline


def topic_of(folder: str) -> str:
    """The T17 topic of a collection folder: "bpoil_bbc" → "bpoil"."""
    return folder.split("_", 1)[0]


# ---- reading ----------------------------------------------------------------------------------------------


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


@dataclass
class Task:
    """One gold timeline to reproduce, with its collection's dated sentences."""

    name: str  # folder/timeline
    topic: str
    n_docs: int
    gold: dict[date, list[str]]
    sentences: list[DatedSentence]
    keywords: list[str]
    index: Index

    @property
    def n_dates(self) -> int:
        return len(self.gold)

    @property
    def per_date(self) -> int:
        return round(sum(len(s) for s in self.gold.values()) / len(self.gold))


def load_tasks(folders: Sequence[Path], cache: Path | None, cfg: TLSConfig) -> list[Task]:
    tasks: list[Task] = []
    for folder in folders:
        sentences, n_docs = topic_sentences(folder, cache, cfg)
        keywords_file = folder / "keywords.json"
        keywords = json.loads(keywords_file.read_text()) if keywords_file.exists() else []
        index = build_index([s.text for s in sentences], keywords)
        for gold_path in sorted((folder / "timelines").glob("*.txt")):
            gold = read_gold(gold_path)
            if gold:
                tasks.append(Task(f"{folder.name}/{gold_path.stem}", topic_of(folder.name), n_docs, gold,
                                  sentences, keywords, index))  # fmt: skip
    return tasks


# ---- scoring ----------------------------------------------------------------------------------------------


def predict(task: Task, cfg: TLSConfig, show: bool = False) -> dict[date, list[str]]:
    tl = summarize(task.sentences, task.keywords, max_dates=task.n_dates, per_date=task.per_date,
                   since=min(task.gold), until=max(task.gold), config=cfg, index=task.index)  # fmt: skip
    if show:
        for td in tl:
            print(f"  {td.date} ({td.score:.1f})")
            for s in td.sentences:
                print(f"     [{s.date_from}] {s.text[:160]}")
    return {td.date: [s.text for s in td.sentences] for td in tl}


def score(pred: dict[date, list[str]], gold: dict[date, list[str]], evaluator: Any) -> PR:
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


def f_scores(pr: PR) -> dict[str, float]:
    out = {}
    for col in COLUMNS:
        base = "Date" if col == "Date-F1" else col[:-2]
        out[col] = f1(pr[f"{base}-P"], pr[f"{base}-R"])
    return out


def mean_pr(rows: Iterable[PR]) -> PR:
    rows = list(rows)
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}


def mean_f(rows: Iterable[PR]) -> dict[str, float]:
    """news-tls' mean: precision and recall averaged over the gold timelines, F from the averages."""
    return f_scores(mean_pr(rows))


def objective(rows: Iterable[PR]) -> float:
    fs = mean_f(rows)
    return fs["AR1-F"] + fs["AR2-F"]


def run_config(tasks: Sequence[Task], cfg: TLSConfig, evaluator: Any, show: bool = False) -> dict[str, PR]:
    return {t.name: score(predict(t, cfg, show), t.gold, evaluator) for t in tasks}


# ---- output -----------------------------------------------------------------------------------------------


def _row(label: str, fs: dict[str, float], task: Task | None = None) -> str:
    meta = f"{task.n_docs:>5} {task.n_dates:>4} {task.per_date:>2}" if task else f"{'':>5} {'':>4} {'':>2}"
    return f"{label[:38]:<38} {meta} " + " ".join(f"{fs[c]:>9.3f}" for c in COLUMNS)


def _header() -> str:
    header = f"{'topic / gold timeline':<38} {'docs':>5} {'l':>4} {'k':>2} " + " ".join(
        f"{c:>9}" for c in COLUMNS
    )
    return header + "\n" + "-" * len(header)


def print_results(tasks: Sequence[Task], results: dict[str, PR], label: str = "mean") -> None:
    print(_header())
    for t in tasks:
        print(_row(t.name, f_scores(results[t.name]), t))
    print("-" * 122)
    print(_row(f"{label} ({len(results)} timelines)", mean_f(results.values())))
    print(
        _row("anchor news-tls DATEWISE", {c: ANCHOR.get(c, float("nan")) for c in COLUMNS}).replace(
            "nan", "   "
        )
    )


# ---- grid and cross-validation ----------------------------------------------------------------------------


def grid_configs(spec: str) -> list[dict[str, Any]]:
    """Override dicts from `{"param": [values]}` (their product) or `[{...}, ...]`; inline JSON or a file."""
    if spec == "default":
        return grid_configs(json.dumps(DEFAULT_GRID))
    path = Path(spec)
    data = json.loads(
        path.read_text() if not spec.lstrip().startswith(("{", "[")) and path.exists() else spec
    )
    if isinstance(data, list):
        return [dict(d) for d in data]
    keys = list(data)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*(data[k] for k in keys))]


def run_grid(tasks: Sequence[Task], base: dict[str, Any], grid: list[dict[str, Any]],
             evaluator: Any) -> list[dict[str, PR]]:  # fmt: skip
    out: list[dict[str, PR]] = []
    for i, overrides in enumerate(grid):
        t0 = time.perf_counter()
        results = run_config(tasks, TLSConfig(**{**base, **overrides}), evaluator)
        fs = mean_f(results.values())
        print(f"#{i:<3} AR1-F {fs['AR1-F']:.4f} AR2-F {fs['AR2-F']:.4f} Date-F1 {fs['Date-F1']:.4f} "
              f"({time.perf_counter() - t0:.0f}s) {json.dumps(overrides)}", flush=True)  # fmt: skip
        out.append(results)
    return out


def best_config(results: list[dict[str, PR]], names: set[str]) -> int:
    return max(range(len(results)), key=lambda i: objective(r for n, r in results[i].items() if n in names))


def cross_validate(tasks: Sequence[Task], grid: list[dict[str, Any]], results: list[dict[str, PR]],
                   base: dict[str, Any], evaluator: Any) -> dict[str, PR]:  # fmt: skip
    """Leave one topic out: each topic's timelines scored (with `evaluator`) by the configuration best on
    the other topics."""
    held_out: dict[str, PR] = {}
    print("\nleave-one-topic-out cross-validation (configuration chosen on the other topics):")
    for topic in sorted({t.topic for t in tasks}):
        train = {t.name for t in tasks if t.topic != topic}
        test = [t for t in tasks if t.topic == topic]
        best = best_config(results, train)
        held_out.update(run_config(test, TLSConfig(**{**base, **grid[best]}), evaluator))
        fs = mean_f(held_out[t.name] for t in test)
        print(f"  {topic:<16} #{best:<3} AR1-F {fs['AR1-F']:.3f} AR2-F {fs['AR2-F']:.3f} "
              f"Date-F1 {fs['Date-F1']:.3f}  {json.dumps(grid[best])}", flush=True)  # fmt: skip
    return held_out


# ---- main -------------------------------------------------------------------------------------------------


def select_folders(data_dir: Path, split: str, topics: str | None, ap: argparse.ArgumentParser) -> list[Path]:
    folders = sorted(p for p in data_dir.iterdir() if (p / "timelines").is_dir())
    if split != "all":
        folders = [p for p in folders if topic_of(p.name) in SPLITS[split]]
    if topics:
        wanted = {t.strip() for t in topics.split(",") if t.strip()}
        missing = wanted - {p.name for p in folders}
        if missing:
            ap.error(f"unknown topics: {', '.join(sorted(missing))}")
        folders = [p for p in folders if p.name in wanted]
    return folders


def parse_args(argv: list[str] | None) -> tuple[argparse.Namespace, argparse.ArgumentParser]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data_dir", type=Path)
    ap.add_argument(
        "--split", choices=["all", "dev", "test"], default="all", help="topics of the fixed split"
    )
    ap.add_argument("--topics", help="comma-separated collection folder names (default: all of the split)")
    ap.add_argument("--rouge", choices=["original", "reimpl"], default="original",
                    help="ROUGE-1.5.5 perl (the standard) or tilse's fast approximation")  # fmt: skip
    ap.add_argument("--cache", type=Path, help="directory for the topics' documents and time expressions")
    ap.add_argument("--show", action="store_true", help="print the produced timelines")
    ap.add_argument("--config", default="{}", help="TLSConfig overrides as JSON, e.g. '{\"later_bonus\": 2}'")
    ap.add_argument("--grid", help="configurations to compare (JSON or a file, see above)")
    ap.add_argument("--cv", action="store_true", help="with --grid: leave-one-topic-out cross-validation")
    ap.add_argument("--grid-rouge", choices=["original", "reimpl"], default="reimpl",
                    help="ROUGE used to compare the grid's configurations (held-out scores use --rouge)")  # fmt: skip
    return ap.parse_args(argv), ap


def main(argv: list[str] | None = None) -> int:
    args, ap = parse_args(argv)
    from tilse.evaluation.rouge import TimelineRougeEvaluator

    base = json.loads(args.config)
    cfg = TLSConfig(**base)
    folders = select_folders(args.data_dir, args.split, args.topics, ap)
    evaluator = TimelineRougeEvaluator(measures={"rouge_1", "rouge_2"}, rouge_computation=args.rouge)
    t0 = time.perf_counter()
    tasks = load_tasks(folders, args.cache, cfg)
    if not tasks:
        print("no gold timelines found")
        return 1
    t_load = time.perf_counter() - t0
    if args.grid:
        grid = grid_configs(args.grid)
        grid_evaluator = TimelineRougeEvaluator(
            measures={"rouge_1", "rouge_2"}, rouge_computation=args.grid_rouge
        )
        results = run_grid(tasks, base, grid, grid_evaluator)
        best = best_config(results, {t.name for t in tasks})
        print(f"\nbest on these {len({t.topic for t in tasks})} topics (tuned on them; ROUGE {args.grid_rouge}): "
              f"#{best} {json.dumps(grid[best])}")  # fmt: skip
        print_results(tasks, results[best], "mean, tuned on these topics")
        if args.cv:
            held_out = cross_validate(tasks, grid, results, base, evaluator)
            print(f"\nheld-out scores (ROUGE {args.rouge}):")
            print_results(tasks, held_out, "held-out mean (LOTO CV)")
    else:
        results_one = run_config(tasks, cfg, evaluator, args.show)
        print_results(tasks, results_one)
    print(f"\nsplit: {args.split}; setting: oracle length (l = gold dates, k = round(mean gold sentences per "
          f"date)), input span = gold first..last date; ROUGE: {args.rouge}; mean: F of averaged P/R over gold "
          "timelines (news-tls)")  # fmt: skip
    print(f"runtime: {time.perf_counter() - t0:.1f}s (read+tag {t_load:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
