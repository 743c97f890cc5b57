"""Throughput benchmark: articles/s, statements/s and peak RSS per stage and end to end, for growing N.

    python benchmarks/throughput.py [--sizes 1000,10000,100000] [--workers 2] [--stages ...] [--input FILE]
                                    [--batch-size 64] [--embeddings] [--dense]
    python benchmarks/throughput.py --real ../shared/bench/timeline17 [--limit 1000] [--worker-counts 1,2]
                                    [--floor-limit N] [--profile N] [--embeddings]

Real articles (`--real DIR`): the first `--limit` Timeline17 articles (sorted path order, dated by their
folders as a `date YYYY-MM-DD` first line; `real_articles.py`) are ingested with 1 and 2 workers, and in the
same run the spaCy parse floor (the full small English pipeline over every article's text, 1 and 2
processes) is measured on the same texts (`--floor-limit N`: on the first N of them only; rates are per
word). Printed: words/s and articles/s (wall clock), the multiple of the floor with as many processes,
CPU seconds, peak RSS, the main process's share of the CPU and of the wall clock, the scaling from 1 to 2
workers, the machine's load, and each run's stage table (below). Each measurement is its own child
process, so its peak RSS is its own. `--profile N` also runs the 1-worker ingest under cProfile and prints
its top N functions by own time and the cumulative time of the stages' entry points.

Synthetic articles (the default) measure the size dimension:

For each N, a child process generates N synthetic articles (fictional outlets and people; quotes, reported
speech, roles, pronouns, relative and absolute dates, outlet boilerplate, reprints across outlets) into a
temporary JSONL, or takes the first N lines of `--input`, and runs the real `saidwhen ingest` path
(`StoreIngest`, with `--workers` processes) into a fresh temporary SQLite store, timing every stage:

- read: reading and decoding the input (main process)
- clean, date, statements: measured inside the workers (CPU seconds summed over workers)
- merge: the merge stage (main process), including the periodic merge-state persistence
- store: SQLite writes and commits (main process)
- end to end: wall clock of the whole ingest

Each stage's rate is N / seconds spent in it; `ms/article` is its cost per article, which should stay flat
as N grows. Peak RSS is reported for the main process (RUSAGE_SELF) and the largest worker
(RUSAGE_CHILDREN, once the pool is shut down). `--stages read,clean,date` skips statement extraction
(and so the statement-based parts of the merge), to measure the cheap stages alone.

The synthetic corpus has 8 fictional countries, each with its own holders of 10 roles (two per role over
time), plus Zipf-popular spokespeople. It grows in time at a constant density, `--per-day` articles a day
(default 100: 1,000 days at N = 100k), as a news archive does, so a flat cost per article means the cost
does not depend on the corpus size; `--per-day 0` spreads any N over 1,000 days instead, so the corpus also
gets denser as N grows. `--dense` gives every country the same role holders (20 people say most
statements): a worst case for per-speaker blocking, where candidate buckets fill up to their caps. `--embeddings` merges with the
embedding hook, as `ingest` does when the model is built.

`--generate N --out FILE` only writes a corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

STAGES = ("read", "clean", "date", "statements", "merge", "store")
PER_DAY = 100  # default density of the synthetic corpus: 100 articles a day (1,000 days at N = 100k)

# ---------------------------------------------------------------------------------------------------------
# synthetic corpus

_FIRST = (
    "Ana", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Katya", "Lars",
    "Mira", "Nikolai", "Olga", "Pavel", "Rosa", "Stefan", "Tomas", "Ursula", "Viktor", "Wanda", "Yara", "Zoran",
    "Amelie", "Bruno", "Celine", "Dario", "Edda", "Fabian", "Gisela", "Henrik", "Ilona", "Jakob", "Lena", "Marek",
)
_LAST = (
    "Velk", "Orlan", "Brisco", "Tamm", "Kovalenko", "Rask", "Mendel", "Ostrava", "Lindqvist", "Haldane",
    "Petrescu", "Navarro", "Quist", "Sorel", "Varga", "Whitlow", "Albers", "Dunmore", "Ferrin", "Galloway",
    "Hollis", "Ingram", "Jovanic", "Kessler", "Lorne", "Marchetti", "Nystrom", "Okafor", "Pellegrin", "Rudan",
    "Szabo", "Talvik", "Ulrich", "Vesna", "Wendel", "Yusuf", "Zeller", "Ambrose", "Castell", "Draxler",
)
_COUNTRIES = ("Korvala", "Estmark", "Valdonia", "Lurisca", "Brenmoor", "Ostria", "Kelvaran", "Sunderhal")
_CITIES = ("Port Alder", "Velmira", "Grastow", "Norhaven", "Tirsk", "Oldbridge", "Marisol", "Kettering Bay")
_ROLES = (
    "prime minister", "foreign minister", "finance minister", "defence minister", "central bank governor",
    "health minister", "opposition leader", "interior minister", "trade commissioner", "mayor",
)
_ORGS = (
    "the Northern Trade Union", "the Velmira Energy Board", "the Council of Ports", "the Grain Exporters Guild",
    "the National Audit Office", "the Coastal Alliance", "the Kelvaran Transit Authority",
)
_OUTLETS = (
    ("Harbour Herald", "harbourherald.example"), ("Northwire", "northwire.example"),
    ("The Velmira Times", "velmiratimes.example"), ("Estmark Daily", "estmarkdaily.example"),
    ("Grastow Gazette", "grastowgazette.example"), ("Coastal Post", "coastalpost.example"),
    ("Tirsk Observer", "tirskobserver.example"), ("Valdonia Today", "valdoniatoday.example"),
)
_TOPICS = (
    ("grain exports", "the export quota", "farmers", "the harvest"),
    ("the port strike", "dock workers", "shipping lines", "the wage offer"),
    ("energy prices", "the gas contract", "households", "the winter reserve"),
    ("the budget", "the deficit", "public investment", "the tax package"),
    ("the rail tunnel", "the construction consortium", "commuters", "the cost overrun"),
    ("hospital waiting lists", "nurses", "the health fund", "the new clinics"),
    ("the border agreement", "customs officers", "the trade corridor", "the inspection regime"),
    ("interest rates", "inflation", "mortgage holders", "the currency"),
    ("the fishing dispute", "the fleet", "the quota talks", "coastal towns"),
    ("the election reform", "the electoral commission", "voters", "the new districts"),
)
_CLAIMS = (
    "{obj} will be settled before the end of the month",
    "the government has no intention of raising {obj}",
    "{grp} deserve a fair deal and they will get one",
    "we are not going to accept {obj} in its current form",
    "the figures on {obj} are better than anyone expected",
    "{grp} have been ignored for far too long",
    "nobody should be surprised by what happened with {obj}",
    "the talks on {obj} are making real progress",
    "this is a crisis for {grp} and it demands an answer now",
    "we will publish the full report on {obj} next week",
    "there was never a secret deal on {obj}",
    "the cost of {obj} has been grossly exaggerated",
)
_SUBJECTS = (
    "the government", "we", "our ministry", "the coalition", "this administration", "the regional council",
    "nobody in this building", "the opposition", "our party", "the commission", "my office", "the cabinet",
)
_MODALS = ("will", "will not", "must", "cannot", "should", "has decided to", "is ready to", "refuses to")
_ACTIONS = (
    "raise", "review", "freeze", "publish the figures on", "renegotiate", "defend", "cut", "extend",
    "investigate", "approve", "block", "fund",
)
_QUALIFIERS = (
    "before the summer", "this year", "under any circumstances", "in the coming weeks",
    "without a vote in parliament", "as promised", "", "at the earliest opportunity", "despite the pressure",
    "for the sake of {grp}",
)
_VERBS = ("said", "told reporters", "said in a statement", "added", "warned", "insisted", "said on {day}")
_REPORTED = ("said", "told parliament", "announced", "warned", "stressed", "argued", "claimed")
_FILLER = (
    "The issue has dominated the debate in {country} for several weeks.",
    "Officials in {city} have been meeting behind closed doors since the start of the month.",
    "{topic_cap} has become one of the most contested questions of the year.",
    "Analysts expect the dispute over {obj} to continue into the next quarter.",
    "Several regional councils have already passed resolutions on {obj}.",
    "The previous agreement on {obj} expired at the end of last year.",
    "Critics say {grp} were not consulted before the decision was taken.",
    "Figures published by the statistics office showed a sharp change in {topic}.",
    "The proposal must still be approved by parliament in {city}.",
    "Markets reacted calmly to the news, with little movement in early trading.",
    "A vote on {obj} is scheduled for {date_phrase}.",
    "Talks resumed on {date_phrase} after a pause of almost two weeks.",
    "Protesters gathered outside the ministry in {city} on {day}.",
    "The last time {country} faced a similar situation was in {year}.",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _boilerplate(outlet: str, site: str) -> tuple[list[str], list[str]]:
    head = [f"{outlet} | News", "Skip to main content"]
    tail = [
        f"Sign up for the {outlet} morning briefing",
        "Read more:",
        f"Follow {outlet} on social media",
        f"© {outlet} {random.Random(outlet).randint(2019, 2024)}. All rights reserved.",
        f"https://{site}/subscribe",
    ]
    return head, tail


class ArticleGenerator:
    """Deterministic stream of varied synthetic articles (as JSONL records)."""

    def __init__(self, seed: int = 7, reprint_rate: float = 0.12, *, dense: bool = False, days: int = 1000) -> None:
        """`dense`: one set of role holders for every country (20 people say most statements), a worst
        case for per-speaker blocking; by default each country has its own (160 people), as in real news.
        `days`: the span publication dates are drawn from."""
        self.rng = random.Random(seed)
        self.reprint_rate = reprint_rate
        names = sorted({f"{self.rng.choice(_FIRST)} {self.rng.choice(_LAST)}" for _ in range(400)})
        self.people = [(name, self.rng.choice("mf")) for name in names]
        # popularity: a few people are quoted everywhere, most rarely (Zipf-like)
        self.weights = [1 / (rank + 1) for rank in range(len(self.people))]
        # roles held by people over periods (so role -> person bindings change over time), per country
        shared = {role: self.rng.sample(range(len(self.people)), 2) for role in _ROLES}
        self.role_holders = {
            (country, role): shared[role] if dense else self.rng.sample(range(len(self.people)), 2)
            for country in _COUNTRIES
            for role in _ROLES
        }
        self.start = date(2021, 1, 1)
        self.days = days
        self.handover = self.start + timedelta(days=round(days * 0.516))  # role holders change over
        self.recent: list[dict[str, Any]] = []

    def _date_phrase(self, published: date) -> str:
        r = self.rng.random()
        if r < 0.3:
            return self.rng.choice(_DAYS)
        if r < 0.6:
            d = published + timedelta(days=self.rng.randint(-20, 20))
            return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"
        if r < 0.8:
            return self.rng.choice(("next week", "last week", "next month", "the end of the month"))
        d = published - timedelta(days=self.rng.randint(1, 300))
        return f"{_MONTHS[d.month - 1]} {d.day}"

    def _fill(self, template: str, topic: tuple[str, ...], published: date) -> str:
        rng = self.rng
        return template.format(
            country=rng.choice(_COUNTRIES), city=rng.choice(_CITIES), topic=topic[0],
            topic_cap=topic[0][0].upper() + topic[0][1:], obj=rng.choice(topic[1:]), grp=topic[2],
            date_phrase=self._date_phrase(published), day=rng.choice(_DAYS), year=rng.randint(1990, 2015),
        )

    def _claim(self, topic: tuple[str, ...], published: date) -> str:
        """A claim: mostly composed (hundreds of thousands of variants), sometimes a stock phrase."""
        rng = self.rng
        if rng.random() < 0.2:
            return self._fill(rng.choice(_CLAIMS), topic, published)
        qual = rng.choice(_QUALIFIERS).format(grp=topic[2])
        words = [rng.choice(_SUBJECTS), rng.choice(_MODALS), rng.choice(_ACTIONS), rng.choice(topic[1:]), qual]
        return " ".join(w for w in words if w)

    def _holder(self, country: str, role: str, published: date) -> tuple[str, str]:
        first, second = self.role_holders[(country, role)]
        idx = first if published < self.handover else second
        return self.people[idx]

    def _paragraphs(self, published: date) -> tuple[str, list[str]]:
        rng = self.rng
        topic = rng.choice(_TOPICS)
        city = rng.choice(_CITIES)
        roles = rng.sample(_ROLES, 3)
        paras: list[str] = []
        lead_role = roles[0]
        country = rng.choice(_COUNTRIES)
        name, gender = self._holder(country, lead_role, published)
        pron = "he" if gender == "m" else "she"
        claim = self._claim(topic, published)
        paras.append(
            f"{city.upper()}, {_MONTHS[published.month - 1]} {published.day} - {name}, {country}'s "
            f"{lead_role}, {rng.choice(_REPORTED)} on {rng.choice(_DAYS)} that {claim}."
        )
        for _ in range(rng.randint(7, 14)):
            kind = rng.random()
            claim = self._claim(topic, published)
            claim_cap = claim[0].upper() + claim[1:]
            if kind < 0.25:
                speaker, g = self._holder(country, rng.choice(roles), published)
                verb = rng.choice(_VERBS).format(day=rng.choice(_DAYS))
                surname = speaker.split()[-1]
                paras.append(f'"{claim_cap}," {surname if rng.random() < 0.5 else speaker} {verb}.')
            elif kind < 0.4:
                role = rng.choice(roles)
                paras.append(f'"{claim_cap}," the {role} {rng.choice(_REPORTED)}. '
                              f'"{self._claim(topic, published).capitalize()}."')
            elif kind < 0.55:
                paras.append(f"{pron.capitalize()} {rng.choice(_REPORTED)} that {claim}.")
            elif kind < 0.65:
                org = rng.choice(_ORGS)
                paras.append(f"According to {org}, {claim}.")
            elif kind < 0.75:
                speaker, g = rng.choices(self.people, self.weights)[0]
                paras.append(f"{speaker}, a spokesperson for {rng.choice(_ORGS)}, said: \"{claim_cap}.\"")
            else:
                paras.append(" ".join(self._fill(rng.choice(_FILLER), topic, published)
                                      for _ in range(rng.randint(3, 5))))
        title = f"{name.split()[-1]}: {claim[:60].rstrip()}"
        return title, paras

    def records(self, n: int) -> Iterator[dict[str, Any]]:
        rng = self.rng
        for i in range(n):
            outlet, site = rng.choice(_OUTLETS)
            head, tail = _boilerplate(outlet, site)
            if self.recent and rng.random() < self.reprint_rate:
                src = rng.choice(self.recent)  # a reprint in another outlet, with its own boilerplate
                paras, title = src["paras"], src["title"]
                published = src["published"] + timedelta(days=rng.randint(0, 2))
                if rng.random() < 0.3:
                    paras = paras[: max(2, len(paras) - 2)]  # truncated copy
            else:
                published = self.start + timedelta(days=rng.randint(0, self.days))
                title, paras = self._paragraphs(published)
                self.recent.append({"paras": paras, "title": title, "published": published})
                if len(self.recent) > 200:
                    self.recent.pop(0)
            body = [title, *head[rng.randint(0, 1):], *paras, *tail[: rng.randint(2, 5)]]
            yield {
                "id": f"a{i:07d}",
                "title": title,
                "text": "\n\n".join(body),
                "source": outlet,
                "url": f"https://{site}/{published.isoformat()}/{i}",
                "date": published.isoformat(),
            }


def generate(n: int, out: Path, seed: int = 7, *, dense: bool = False, per_day: int = PER_DAY) -> Path:
    """N articles at `per_day` articles per day on average (the span grows with N, as a news archive grows
    in time), or over a fixed 1,000 days when `per_day` is 0 (density grows with N)."""
    days = max(1, round(n / per_day)) if per_day else 1000
    with open(out, "w", encoding="utf-8") as sink:
        for record in ArticleGenerator(seed, dense=dense, days=days).records(n):
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def head_lines(src: Path, n: int, out: Path) -> int:
    count = 0
    with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8") as sink:
        for line in f:
            if count >= n:
                break
            if line.strip():
                sink.write(line)
                count += 1
    return count


# ---------------------------------------------------------------------------------------------------------
# one measurement (child process)


def _rss_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _cpu_s(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measure(
    n: int,
    workers: int,
    stages: tuple[str, ...],
    batch_size: int,
    source: Path | None,
    embeddings: bool = False,
    dense: bool = False,
    per_day: int = PER_DAY,
    corpus_dir: Path | None = None,
) -> dict[str, Any]:
    """One ingest into a fresh store: `corpus_dir` (a folder of articles, all of it), else the first `n` lines
    of `source`, else `n` generated articles."""
    from saidwhen.embeddings import load_similarity
    from saidwhen.problems import ProblemLog
    from saidwhen.store import Store
    from saidwhen.store_ingest import StoreIngest

    with tempfile.TemporaryDirectory(prefix="saidwhen-throughput-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        t0 = time.perf_counter()
        inputs = [str(corpus)]
        if corpus_dir is not None:
            inputs = [str(corpus_dir)]
            n = sum(1 for _ in corpus_dir.iterdir())
        elif source is not None:
            n = head_lines(source, n, corpus)
        else:
            generate(n, corpus, dense=dense, per_day=per_day)
        gen_s = time.perf_counter() - t0
        store = Store(Path(tmp) / "bench.db")
        similarity = load_similarity() if embeddings else None
        runner = StoreIngest(
            store, batch_size=batch_size, extract="statements" in stages, workers=workers, similarity=similarity
        )
        t0 = time.perf_counter()
        every = max(500, n // 20)
        last = {"read": 0, "wall": 0.0, "stages": {}}

        def progress(report: Any) -> None:
            # an interval line per `every` articles (stderr), so a long run shows whether cost stays flat
            if report.read - last["read"] < every:
                return
            wall = time.perf_counter() - t0
            stages = dict(runner.timings)
            done = report.read - last["read"]
            per = {k: 1000 * (v - last["stages"].get(k, 0.0)) / done for k, v in stages.items() if k != "wait"}
            cost = " ".join(f"{k} {per[k]:.1f}" for k in STAGES + ("checkpoint",) if k in per)
            print(f"  .. {report.read:,} read, {report.statements:,} statements, {report.read / wall:.1f} articles/s "
                  f"(last {done:,}: {done / (wall - last['wall']):.1f}/s; ms/article: {cost}); RSS main "
                  f"{_rss_mb(resource.RUSAGE_SELF):,.0f} MB, worker {runner.worker_rss_mb:,.0f} MB",
                  file=sys.stderr, flush=True)
            last.update(read=report.read, wall=wall, stages=stages)

        problems = ProblemLog()
        cpu0 = _cpu_s(resource.RUSAGE_SELF)
        report = runner.run(inputs, problems, progress)
        wall = time.perf_counter() - t0
        cpu_run = _cpu_s(resource.RUSAGE_SELF) - cpu0
        counts = store.stats()
        store.close()
        db_mb = (Path(tmp) / "bench.db").stat().st_size / 2**20
    return {
        "n": n,
        "workers": workers,
        "batch_size": batch_size, "dense": dense, "embeddings": embeddings, "per_day": per_day,
        "generate_s": gen_s,
        "wall_s": wall,
        "read": report.read,
        "rejected": len(problems),
        "added": report.added,
        "statements": report.statements,
        "duplicates": counts["duplicates"],
        "events": counts["events"],
        "stage_s": dict(runner.timings),
        "rss_main_mb": _rss_mb(resource.RUSAGE_SELF),
        "rss_worker_mb": max(runner.worker_rss_mb, _rss_mb(resource.RUSAGE_CHILDREN)),
        "cpu_main_s": _cpu_s(resource.RUSAGE_SELF),
        "cpu_main_run_s": cpu_run,
        "cpu_workers_s": max(sum(runner.worker_cpu.values()), _cpu_s(resource.RUSAGE_CHILDREN)),
        "checkpoints": runner.checkpoints,
        "checkpoint_mb": runner.checkpoint_bytes / 2**20,
        "db_mb": db_mb,
    }


# ---------------------------------------------------------------------------------------------------------
# report


def _row(name: str, seconds: float, n: int, statements: int, rss: str) -> str:
    rate = n / seconds if seconds > 0 else float("inf")
    st_rate = statements / seconds if seconds > 0 else float("inf")
    return f"  {name:<11} {seconds:>9.1f} {rate:>11,.1f} {st_rate:>12,.1f} {1000 * seconds / max(n, 1):>11.2f}  {rss}"


def print_result(r: dict[str, Any], stages: tuple[str, ...]) -> None:
    n, st = r["n"], r["statements"]
    corpus = ("dense corpus" if r.get("dense") else "corpus") + (
        f", {r['per_day']} articles/day" if r.get("per_day") else ", fixed 1,000 days"
    )
    merge = "embeddings" if r.get("embeddings") else "lexical"
    print(f"\nN = {n:,}  ({corpus}, {merge} merge, workers {r['workers']}, batch {r['batch_size']}; added {r['added']:,}, "
          f"statements {st:,}, duplicates {r['duplicates']:,}, events {r['events']:,}, db {r['db_mb']:.0f} MB)")
    print(f"  {'stage':<11} {'seconds':>9} {'articles/s':>11} {'statements/s':>12} {'ms/article':>11}  peak RSS")
    where = {"read": "main", "merge": "main", "store": "main", "clean": "worker", "date": "worker",
             "statements": "worker"}
    if r["workers"] <= 1:
        where = dict.fromkeys(where, "main")
    for stage in STAGES:
        if stage not in stages and stage not in ("merge", "store"):
            continue
        secs = r["stage_s"].get(stage, 0.0)
        rss = r["rss_main_mb"] if where[stage] == "main" else r["rss_worker_mb"]
        print(_row(stage, secs, n, st, f"{rss:,.0f} MB ({where[stage]})"))
    if r["stage_s"].get("checkpoint"):
        print(_row("checkpoint", r["stage_s"]["checkpoint"], n, st,
                   f"{r['checkpoints']} written, last {r['checkpoint_mb']:.0f} MB (main)"))
    print(_row("end to end", r["wall_s"], n, st,
               f"{r['rss_main_mb']:,.0f} MB main + {r['rss_worker_mb']:,.0f} MB per worker"))
    print(f"  CPU: main {r['cpu_main_s']:.1f} s ({1000 * r['cpu_main_s'] / max(n, 1):.1f} ms/article), workers "
          f"{r['cpu_workers_s']:.1f} s; waiting for workers {r['stage_s'].get('wait', 0.0):.1f} s; "
          f"stage seconds are CPU seconds summed over processes, end to end is wall clock")


# ---------------------------------------------------------------------------------------------------------
# real articles: saidwhen against the spaCy parse floor, 1 and 2 processes, in one run


def _child(args: list[str]) -> dict[str, Any]:
    """Run this script in a child process (its peak RSS its own) and read the JSON it prints last."""
    out = subprocess.run([sys.executable, __file__, *args], check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def profile_run(corpus: Path, top: int, batch_size: int, embeddings: bool) -> None:
    """The 1-worker ingest of `corpus` under cProfile: the functions with the most own time, and the
    cumulative time of the stages' entry points."""
    import cProfile
    import pstats

    from saidwhen.embeddings import load_similarity
    from saidwhen.problems import ProblemLog
    from saidwhen.store import Store
    from saidwhen.store_ingest import StoreIngest

    with tempfile.TemporaryDirectory(prefix="saidwhen-profile-") as tmp:
        store = Store(Path(tmp) / "profile.db")
        runner = StoreIngest(store, batch_size=batch_size, workers=1,
                             similarity=load_similarity() if embeddings else None)
        profile = cProfile.Profile()
        profile.runcall(runner.run, [str(corpus)], ProblemLog())
        store.close()
    stats = pstats.Stats(profile)
    print(f"\nProfile of the 1-worker ingest (cProfile; its overhead inflates Python-heavy functions), top {top} by "
          "own time (Cython/C calls count in their Python caller: spaCy's parser in `util._pipe`, regex scans in the "
          "function that runs them):")
    stats.sort_stats("tottime").print_stats(top)
    print("Cumulative time of the stages' entry points:")
    stats.sort_stats("cumulative").print_stats(
        r"(extract.py.*\((analyse|resolve|_prepare)\))|(language.py.*\(pipe\))|(reported.py.*\(find_reported\))|"
        r"(statement_dates.py.*\(date_statements\))|(timex.py.*\(find_timexes\))|(clean/__init__.py.*\(clean_text\))|"
        r"(merge_store.py.*\(add\))|(store_ingest.py.*\(_commit\))|(pipeline.py.*\(dated_document\))"
    )


def run_real(args: argparse.Namespace) -> None:
    from real_articles import write_corpus

    counts = sorted({int(w) for w in args.worker_counts.split(",") if w.strip()})
    with tempfile.TemporaryDirectory(prefix="saidwhen-real-") as tmp:
        corpus = Path(tmp) / "articles"
        n, words = write_corpus(args.real, args.limit, corpus)
        floor_dir = corpus
        if args.floor_limit and args.floor_limit < n:
            floor_dir = Path(tmp) / "floor"
            floor_dir.mkdir()
            for path in sorted(corpus.iterdir())[: args.floor_limit]:
                (floor_dir / path.name).write_bytes(path.read_bytes())
        load_before = _load()
        print(f"Real articles: {n:,} Timeline17 articles (the first in sorted path order, dated by their folders), "
              f"{words:,} words ({words / max(n, 1):,.0f} an article); load average before: {load_before} "
              f"({os.cpu_count()} cores)", flush=True)
        floors = {k: _child(["--floor", str(k), "--corpus", str(floor_dir)]) for k in counts}
        extra = ["--embeddings"] if args.embeddings else []
        runs = {k: _child(["--one", "0", "--corpus", str(corpus), "--workers", str(k),
                           "--batch-size", str(args.batch_size), *extra]) for k in counts}
        profile = ""
        if args.profile:
            profile = subprocess.run(
                [sys.executable, __file__, "--profile-run", str(args.profile), "--corpus", str(corpus),
                 "--batch-size", str(args.batch_size), *extra], check=True, stdout=subprocess.PIPE, text=True,
            ).stdout
        load_after = _load()
    print(f"\n  {'':<27} {'wall s':>8} {'words/s':>9} {'articles/s':>10} {'x floor':>8} {'CPU s':>8} "
          f"{'words/CPU s':>11} {'x floor CPU':>11}  peak RSS")
    for k in counts:
        f = floors[k]
        print(f"  {f'spaCy floor, {k} process' + ('es' if k > 1 else ''):<27} {f['wall_s']:>8.1f} "
              f"{f['words'] / f['wall_s']:>9,.0f} {f['articles'] / f['wall_s']:>10.1f} {'1.0':>8} {f['cpu_s']:>8.1f} "
              f"{f['words'] / f['cpu_s']:>11,.0f} {'1.0':>11}  {f['rss_mb']:,.0f} MB")
    for k in counts:
        r, f = runs[k], floors[k]
        cpu = r["cpu_main_run_s"] + (r["cpu_workers_s"] if k > 1 else 0.0)
        rate, floor_rate = words / r["wall_s"], f["words"] / f["wall_s"]
        cpu_rate, floor_cpu_rate = words / cpu, f["words"] / f["cpu_s"]
        rss = f"{r['rss_main_mb']:,.0f} MB" + (f" main + {r['rss_worker_mb']:,.0f} MB per worker" if k > 1 else "")
        print(f"  {f'saidwhen ingest, {k} worker' + ('s' if k > 1 else ''):<27} {r['wall_s']:>8.1f} {rate:>9,.0f} "
              f"{r['read'] / r['wall_s']:>10.1f} {rate / floor_rate:>8.1f} {cpu:>8.1f} {cpu_rate:>11,.0f} "
              f"{cpu_rate / floor_cpu_rate:>11.1f}  {rss}")
    for k in counts:
        r = runs[k]
        if k > 1:
            share = r["cpu_main_run_s"] / max(r["cpu_main_run_s"] + r["cpu_workers_s"], 1e-9)
            print(f"  {k} workers: main process {r['cpu_main_run_s']:.1f} CPU s = {100 * share:.0f}% of all CPU, "
                  f"busy {100 * r['cpu_main_run_s'] / r['wall_s']:.0f}% of the wall clock; waited for workers "
                  f"{r['stage_s'].get('wait', 0.0):.1f} s")
    if 1 in runs and len(counts) > 1:
        one = runs[1]["wall_s"]
        print("  scaling (wall clock, 1 worker / k workers): " + ", ".join(
            f"{k} workers {one / runs[k]['wall_s']:.2f}x" for k in counts if k > 1))
        cpu_one = runs[1]["cpu_main_run_s"]
        print("  scaling bound from CPU seconds (k cores all ours: k x CPU with 1 worker / CPU with k): " + ", ".join(
            f"{k} workers {k * cpu_one / (runs[k]['cpu_main_run_s'] + runs[k]['cpu_workers_s']):.2f}x"
            for k in counts if k > 1))
    print(f"  load average before {load_before}, after {load_after} (other processes share these cores: compare "
          f"within one run)")
    for k in counts:
        print_result(runs[k], STAGES)
        if args.json:
            print(json.dumps({"floor": floors[k], "run": runs[k]}))
    print(profile, end="")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated N (default 1000,10000,100000)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--stages", default=",".join(STAGES),
                        help="stages to run (without 'statements': ingest, clean and date only)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--input", type=Path, help="read the first N articles of this JSONL instead of generating")
    parser.add_argument("--json", action="store_true", help="also print each result as one JSON line")
    parser.add_argument("--embeddings", action="store_true", help="merge with the embedding hook (as `ingest` does)")
    parser.add_argument("--dense", action="store_true",
                        help="one set of role holders for all countries: 20 people say most statements (worst case)")
    parser.add_argument("--per-day", type=int, default=PER_DAY,
                        help=f"synthetic articles per day (default {PER_DAY}: the span grows with N); 0: a fixed "
                             "1,000-day span, so the corpus gets denser as N grows")
    parser.add_argument("--real", type=Path, metavar="DIR",
                        help="Timeline17 folder: ingest real articles against the spaCy parse floor")
    parser.add_argument("--limit", type=int, default=1000, help="--real: number of articles (default 1000)")
    parser.add_argument("--worker-counts", default="1,2", help="--real: worker counts to compare (default 1,2)")
    parser.add_argument("--floor-limit", type=int, default=0,
                        help="--real: measure the parse floor on the first N articles only (default: all)")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="--real: also profile the 1-worker ingest (cProfile) and print its top N functions")
    parser.add_argument("--profile-run", type=int, help=argparse.SUPPRESS)  # child mode: the profile
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child mode: measure one N, print JSON
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)  # child mode: a folder of articles
    parser.add_argument("--floor", type=int, help=argparse.SUPPRESS)  # child mode: the parse floor
    parser.add_argument("--generate", type=int, metavar="N", help="only write N synthetic articles to --out")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    stages = tuple(s.strip() for s in args.stages.split(",") if s.strip())
    unknown = set(stages) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages: {', '.join(sorted(unknown))} (known: {', '.join(STAGES)})")
    if args.generate is not None:
        if args.out is None:
            parser.error("--generate needs --out")
        generate(args.generate, args.out, dense=args.dense, per_day=args.per_day)
        return
    if args.floor is not None:
        from real_articles import parse_floor

        print(json.dumps(parse_floor(args.corpus, args.floor)))
        return
    if args.profile_run is not None:
        profile_run(args.corpus, args.profile_run, args.batch_size, args.embeddings)
        return
    if args.real is not None:
        run_real(args)
        return
    if args.one is not None:
        result = measure(args.one, args.workers, stages, args.batch_size, args.input, args.embeddings, args.dense,
                         args.per_day, args.corpus)
        print(json.dumps(result))
        return
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        cmd = [sys.executable, __file__, "--one", str(n), "--workers", str(args.workers), "--stages",
               ",".join(stages), "--batch-size", str(args.batch_size)]
        if args.input:
            cmd += ["--input", str(args.input)]
        if args.embeddings:
            cmd.append("--embeddings")
        if args.dense:
            cmd.append("--dense")
        cmd += ["--per-day", str(args.per_day)]
        # one child per N, so peak RSS (own and children's) belongs to that N alone
        out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print_result(result, stages)
        if args.json:
            print(json.dumps(result))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
