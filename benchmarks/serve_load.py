"""Load benchmark of `saidwhen serve`: concurrent clients over search, statements and timeline, on loopback.

    python benchmarks/serve_load.py [--db STORE] [--articles 3200] [--clients 20] [--seconds 30] [--seed 7]
                                    [--workers 1]

With `--db` naming an existing store, that store is served as it is (e.g. one built by `saidwhen ingest`).
Otherwise a synthetic store of `--articles` articles is written straight through the store layer (no NLP:
fictional outlets and people, ~9 statements an article, statements reported by several outlets merged,
events, claims; dates over two years) into `--db` or a temporary file: synthetic data, fit for measuring
load, not quality. The real CLI (`python -m saidwhen serve --workers N`, 127.0.0.1 on a free port; one
process by default, as `serve`) serves it in its own processes; `--clients` threads (one keep-alive connection each) send requests for `--seconds` seconds, an equal
mix of `/api/search` (words, phrases, and the 500-character worst case of one word repeated),
`/api/statements` (speaker, date, outlet filters, later pages) and `/api/timeline` (speaker, topic, dates,
`all=true`, later pages). Prints p50/p99/max latency, requests and errors per endpoint and overall, and the
machine's load average before and after (the run shares the CPU with whatever else runs).

Everything stays on 127.0.0.1 and is bounded: `--workers` server processes, `--clients` threads, `--seconds`
seconds, a 10 s timeout per request.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from saidwhen.model import Claim, CleanText, Document, Event, MergedStatement, Statement, document_id
from saidwhen.store import Store

OUTLETS = ("Harbour Herald", "Baltic Wire", "Coastal Times", "North Ledger", "Daily Quay", "Fjord Post",
           "Capital Courier", "Morning Tide", "Island Voice", "Bay Bulletin")  # fmt: skip
FIRST = ("Ana", "Boris", "Carla", "Dmitri", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Katya", "Lars",
         "Mira", "Nikolai", "Olga", "Pavel", "Rosa", "Stefan", "Tomas", "Ursula")  # fmt: skip
LAST = ("Lindqvist", "Berg", "Rebane", "Tamm", "Kask", "Ozols", "Novak", "Horvat", "Kowal", "Varga", "Sousa",
        "Moreau")  # fmt: skip
_PROSE = ("the harbour will reopen after repairs to the northern quay and the ferry fees must fall this year "
         "because shipping queues grow while the ministry reviews the budget for ports bridges rail and roads "
         "negotiators said talks on fishing quotas went well but the opposition wants an inquiry into tenders "
         "prices rose again as fuel costs climbed and unions threatened a strike at the container terminal")
WORDS = _PROSE.split()
START = date(2023, 1, 1)
DAYS = 730


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def build_store(path: Path, articles: int, seed: int) -> dict[str, int]:
    """A synthetic store of `articles` articles; returns its counts."""
    rng = random.Random(seed)
    people = [f"{f} {last}" for f in FIRST for last in LAST]  # 240 speakers, a few of them much quoted
    weights = [1 / (i + 1) ** 0.8 for i in range(len(people))]
    store = Store(path)
    merged: list[MergedStatement] = []
    events: list[Event] = []
    claims: list[Claim] = []
    try:
        with store.transaction():
            for event_no in range(-(-articles // 6)):  # stories: 6 articles in 6 outlets on one event
                day = START + timedelta(days=rng.randrange(DAYS))
                event = Event(f"e{event_no:05d}", day, _sentence(rng, 5).capitalize(), rng.choice(LAST) + "ville", [])
                speakers = rng.choices(people, weights, k=4)
                lines = [f"“{_sentence(rng, rng.randint(8, 20))}”, {speaker} said." for speaker in speakers]
                shared: dict[int, list[str]] = defaultdict(list)
                for k in range(6):
                    outlet = OUTLETS[(event_no + k) % len(OUTLETS)]
                    published = day + timedelta(days=k // 3)
                    paras = [event.title or ""] + [_sentence(rng, 30) + "." for _ in range(6)]
                    own = [f"“{_sentence(rng, rng.randint(6, 18))}”, {s} said." for s in rng.choices(people, weights, k=5)]
                    quoted = lines[: 2 + k % 3] + own
                    text = "\n\n".join(paras[:3] + quoted + paras[3:])
                    doc = Document(
                        id=document_id(text, outlet), source_path=f"synthetic/{event_no}-{k}.txt",
                        source_key=f"synthetic/{event_no}-{k}.txt", text=text,
                        clean=CleanText(text, [], []), title=event.title, url=f"https://{k}.example/{event_no}",
                        outlet=outlet, published=published, published_from="metadata", event_id=event.id,
                    )  # fmt: skip
                    statements = []
                    for i, line in enumerate(quoted):
                        quote = line[1 : line.index("”")]
                        start = text.index(quote)
                        speaker = line[line.index("”, ") + 3 : -len(" said.")]
                        st = Statement(
                            id=f"s{doc.id[1:12]}{i:03d}", document_id=doc.id, speaker=speaker,
                            speaker_mention=speaker.split()[-1], text=quote, kind="direct", cue="said", start=start,
                            end=start + len(quote), confidence=round(rng.uniform(0.5, 0.99), 2),
                            date=published if rng.random() < 0.8 else published - timedelta(days=1),
                            date_from="document",
                        )  # fmt: skip
                        if i < len(lines):
                            shared[i].append(st.id)
                        statements.append(st)
                    store.save_document(doc)
                    store.save_statements(statements)
                    event.document_ids.append(doc.id)
                for i, ids in shared.items():
                    merged.append(MergedStatement(f"m{event_no:05d}{i}", speakers[i], lines[i][1 : lines[i].index("”")],
                                                  day, ids))  # fmt: skip
                if event_no % 4 == 0:
                    claims.append(Claim(f"c{event_no:05d}", shared[0][:2] + shared[1][:1], lines[0][1:40]))
                events.append(event)
            store.save_events(events)
            store.save_merged(merged)
            store.save_claims(claims)
        return {k: v for k, v in store.stats().items() if isinstance(v, int)}
    finally:
        store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _requests(rng: random.Random, speakers: list[str]) -> dict[str, Any]:
    """One request of each kind, with random filters (the path and its query parameters)."""

    def day() -> str:
        return (START + timedelta(days=rng.randrange(DAYS))).isoformat()

    words = rng.sample(WORDS, rng.randint(1, 3))
    search_q = rng.choice([" ".join(words), f'"{" ".join(words[:2])}"', ("the " * 125)[:500], "harbour " * 62])
    search: dict[str, Any] = {"q": search_q}
    if rng.random() < 0.3:
        search["speaker"] = rng.choice(speakers)
    if rng.random() < 0.3:
        search["since"] = day()
    statements: dict[str, Any] = rng.choice(
        [{"speaker": rng.choice(speakers)}, {"since": day()}, {"outlet": rng.choice(OUTLETS)}, {"q": rng.choice(WORDS)},
         {"offset": rng.randrange(0, 20_000)}, {}]  # fmt: skip
    )
    timeline: dict[str, Any] = rng.choice(
        [{"speaker": rng.choice(speakers)}, {"speaker": rng.choice(speakers), "all": "true"}, {"topic": rng.choice(WORDS)},
         {"since": day()}, {}, {"all": "true"}, {"offset": rng.randrange(0, 400)}]  # fmt: skip
    )
    return {"search": ("/api/search", search), "statements": ("/api/statements", statements),
            "timeline": ("/api/timeline", timeline)}  # fmt: skip


def run_load(base: str, clients: int, seconds: float, seed: int) -> dict[str, list[tuple[float, bool]]]:
    with httpx.Client(base_url=base, timeout=10) as c:
        speakers = [s["name"] for s in c.get("/api/speakers", params={"limit": 300}).json()]
    results: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        mine: list[tuple[str, float, bool]] = []
        kinds = ["search", "statements", "timeline"]
        with httpx.Client(base_url=base, timeout=10) as c:
            i = n
            while time.monotonic() < deadline:
                kind = kinds[i % 3]
                i += 1
                path, params = _requests(rng, speakers)[kind]
                started = time.perf_counter()
                try:
                    ok = c.get(path, params=params).status_code == 200
                except httpx.HTTPError:
                    ok = False
                mine.append((kind, time.perf_counter() - started, ok))
        with lock:
            for kind, seconds_, ok in mine:
                results[kind].append((seconds_, ok))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def report(results: dict[str, list[tuple[float, bool]]], seconds: float) -> None:
    print(f"{'endpoint':<12} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'req/s':>7}")
    everything: list[tuple[float, bool]] = []
    for kind in ("search", "statements", "timeline"):
        rows = results.get(kind, [])
        everything += rows
        _line(kind, rows, seconds)
    _line("all", everything, seconds)


def _line(name: str, rows: list[tuple[float, bool]], seconds: float) -> None:
    times = [t * 1000 for t, _ok in rows]
    errors = sum(1 for _t, ok in rows if not ok)
    print(f"{name:<12} {len(rows):>8} {errors:>6} {_quantile(times, 0.5):>8.0f} {_quantile(times, 0.99):>8.0f} "
          f"{max(times, default=0):>8.0f} {len(rows) / seconds:>7.1f}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="store to serve; built (synthetic) when it does not exist")
    parser.add_argument("--articles", type=int, default=3200, help="articles of the synthetic store")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=1, help="server processes (serve --workers)")
    args = parser.parse_args()
    if not 1 <= args.clients <= 100 or not 1 <= args.seconds <= 600 or not 1 <= args.workers <= 8:
        parser.error("--clients 1..100, --seconds 1..600, --workers 1..8")
    with tempfile.TemporaryDirectory(prefix="saidwhen-load-") as tmp:
        db = args.db or Path(tmp) / "load.db"
        if db.exists():
            print(f"store: {db} (as it is)")
        else:
            started = time.monotonic()
            counts = build_store(db, args.articles, args.seed)
            print(f"store: {db}, SYNTHETIC, built in {time.monotonic() - started:.0f} s: "
                  + ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "schema_version"))  # fmt: skip
        port = _free_port()
        env = {**os.environ, "NO_COLOR": "1"}
        server = subprocess.Popen([sys.executable, "-m", "saidwhen", "serve", "--db", str(db), "--host", "127.0.0.1",
                                   "--port", str(port), "--workers", str(args.workers)], env=env,
                                  stdout=subprocess.DEVNULL)  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(base + "/api/health", timeout=1).raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs); "
                  f"{args.clients} clients for {args.seconds:.0f} s; server: {args.workers} process(es)")  # fmt: skip
            results = run_load(base, args.clients, args.seconds, args.seed)
            print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
            report(results, args.seconds)
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
