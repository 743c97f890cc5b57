"""An ingest interrupted by Ctrl-C (SIGINT), a kill (SIGKILL) or a crash inside a transaction loses nothing
and duplicates nothing when re-run: the store ends up equal to one uninterrupted run."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from saidwhen.merge_store import StoreMerger
from saidwhen.problems import ProblemLog
from saidwhen.store import Store
from saidwhen.store_ingest import JOURNAL_PREFIX, StoreIngest
from test_parallel import dump, ingest, write_corpus

N = 120  # big enough that the run cannot finish between the poll and the signal on a loaded machine
_LEXICAL = ["--no-embeddings"]  # as the reference run: no semantic hook, whether or not a model is built


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[tuple[object, ...]]]]:
    """The input, and the store of one uninterrupted run."""
    tmp = tmp_path_factory.mktemp("resume")
    path = write_corpus(tmp / "corpus.jsonl", N, seed=11)
    ingest(tmp / "reference.db", [path], 1, batch_size=4)
    return path, dump(tmp / "reference.db")


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _descendants(pid: int) -> list[int]:
    """Processes started by `pid`, directly or not (workers may be children of a fork server)."""
    parent: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found, frontier = [], [pid]
    while frontier:
        children = [c for c, p in parent.items() if p in frontier]
        found += children
        frontier = children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _run_interrupted(db: Path, corpus: Path, sig: int, workers: int) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "saidwhen", "ingest", str(corpus), "--db", str(db), "--batch-size", "4",
           "--workers", str(workers), *_LEXICAL]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _count(db) < 8 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    workers_pids = _descendants(proc.pid)
    if workers > 1:
        assert len(workers_pids) >= workers
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    stored = _count(db)
    assert 8 <= stored < N, stored
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers_pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    if sig == signal.SIGINT:  # SIGKILL orphans the workers, which exit when their pipe closes
        assert not [p for p in workers_pids if _alive(p)], "worker processes left running"
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


@pytest.mark.parametrize(("sig", "workers"), [(signal.SIGINT, 2), (signal.SIGKILL, 1)])
def test_interrupted_cli_ingest_resumes(corpus: tuple[Path, dict], tmp_path: Path, sig: int, workers: int) -> None:
    path, reference = corpus
    db = tmp_path / "store.db"
    first = _run_interrupted(db, path, sig, workers)
    if sig == signal.SIGINT:
        assert first.returncode == 130, first.stderr
        assert "interrupted" in first.stderr and "re-run" in first.stderr
        assert "Traceback" not in first.stderr
    else:
        assert first.returncode == -signal.SIGKILL
    rerun = subprocess.run(  # resuming does not depend on the number of workers
        [sys.executable, "-m", "saidwhen", "ingest", str(path), "--db", str(db), "--batch-size", "4",
         "--workers", "1", *_LEXICAL],
        capture_output=True, text=True, timeout=300,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "resumed" in rerun.stderr  # committed batches after the last checkpoint were re-merged
    got = dump(db)
    # the CLI notes which similarity merged the store; the reference (StoreIngest) does not
    got["state"] = [row for row in got["state"] if row[0] != "merge_similarity"]
    assert len(got["documents"]) == len(reference["documents"])
    assert len(got["statements"]) == len(reference["statements"])
    for key in reference:
        assert got[key] == reference[key], key


@pytest.mark.parametrize("checkpoint_seconds", [0.0, 3600.0])
def test_crash_inside_a_batch(corpus: tuple[Path, dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              checkpoint_seconds: float) -> None:
    """A failure in the middle of a batch's transaction (here: merging the 7th batch) rolls that batch back;
    a new run with checkpoints after every batch, or none until the end, resumes to the same store."""
    path, reference = corpus
    db = tmp_path / "store.db"
    calls = {"n": 0}
    original = StoreMerger.add

    def failing_add(self: StoreMerger, *args: object, **kwargs: object) -> None:
        calls["n"] += 1
        if calls["n"] == 7:
            raise RuntimeError("simulated crash")
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(StoreMerger, "add", failing_add)
    with Store(db) as store, pytest.raises(RuntimeError, match="simulated crash"):
        StoreIngest(store, batch_size=4, checkpoint_seconds=checkpoint_seconds).run([str(path)], ProblemLog())
    monkeypatch.setattr(StoreMerger, "add", original)
    with Store(db) as store:
        assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 24
        journal = store.conn.execute("SELECT COUNT(*) FROM state WHERE key LIKE ?", (JOURNAL_PREFIX + "%",))
        assert journal.fetchone()[0] == (0 if checkpoint_seconds == 0 else 6)
    runner = ingest(db, [path], 1, batch_size=4, checkpoint_seconds=checkpoint_seconds)
    assert runner.replayed == (0 if checkpoint_seconds == 0 else 24)
    assert runner.report is not None and runner.report.unchanged >= 24
    got = dump(db)
    for key in reference:
        assert got[key] == reference[key], key


def test_rerun_adds_nothing(corpus: tuple[Path, dict], tmp_path: Path) -> None:
    path, reference = corpus
    db = tmp_path / "store.db"
    db.write_bytes((path.parent / "reference.db").read_bytes())
    runner = ingest(db, [path], 2, batch_size=4)
    assert runner.report is not None and runner.report.added == 0 and runner.report.statements == 0
    assert runner.report.unchanged == N
    assert dump(db) == reference
