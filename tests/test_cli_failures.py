"""Failures of the machine, not of the input, as a shell user meets them (real processes, real SQLite files):
each is one clear line and an exit code, never a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import Corpus
from saidwhen.store.errors import store_error_message

ENV = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}


def run(*args: str, stdout: int | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "saidwhen", *args], text=True, env=ENV, timeout=120,
                          stdout=stdout if stdout is not None else subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _one_line_error(result: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr and len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("damage", ["junk", "pages"])
def test_damaged_store_is_one_line(corpus: Corpus, tmp_path: Path, damage: str) -> None:
    db = tmp_path / "damaged.db"
    if damage == "junk":
        db.write_bytes(os.urandom(6000))
    else:
        shutil.copy(corpus.path, db)
        with db.open("r+b") as f:
            f.seek(4096)
            f.write(b"\xa5" * 16384)
    for args in (["statements"], ["search", "harbour"], ["stats"], ["timeline"], ["serve", "--port", str(_free_port())]):
        _one_line_error(run(*args, "--db", str(db)), 1, "cannot be read", str(db))


def test_store_path_with_markup_is_printed_literally(corpus: Corpus, tmp_path: Path) -> None:
    odd = tmp_path / "in[/]side [bold]x[/bold]"
    odd.mkdir(parents=True)  # "[/]" is two folders, "in[" and "]side ..."
    _one_line_error(run("stats", "--db", str(odd / "none.db")), 4, f"no saidwhen database at {odd / 'none.db'}")
    shutil.copy(corpus.path, odd / "s.db")
    assert run("stats", "--db", str(odd / "s.db")).returncode == 0
    wrote = run("timeline", "--db", str(odd / "s.db"), "-o", str(odd / "t[/].md"))
    assert wrote.returncode == 0 and f"wrote {odd / 't[/].md'}" in wrote.stderr, wrote.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_disk_full_is_one_line(corpus: Corpus) -> None:
    _one_line_error(run("timeline", "--db", str(corpus.path), "-o", "/dev/full"), 1, "disk is full")
    with open("/dev/full", "w") as full:
        _one_line_error(run("statements", "--db", str(corpus.path), "--format", "jsonl", stdout=full.fileno()), 1,
                        "disk is full")  # fmt: skip


def test_sqlite_disk_full_message(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "small.db")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("PRAGMA max_page_count = 3")  # SQLite's own "database or disk is full"
    with pytest.raises(sqlite3.DatabaseError) as caught:
        conn.executemany("INSERT INTO t VALUES (?)", [("x" * 4000,)] * 50)
    conn.close()
    message = store_error_message(caught.value, tmp_path / "small.db")
    assert message.startswith("the disk is full") and "small.db" in message


@pytest.mark.slow
def test_interrupt_at_start_up_is_clean(corpus: Corpus) -> None:
    """Ctrl-C while the command loads its libraries, while it opens the store, or once it serves."""
    for delay in (0.3, 1.0, 1.8, 6.0):
        proc = subprocess.Popen([sys.executable, "-m", "saidwhen", "serve", "--db", str(corpus.path), "--port",
                                 str(_free_port())], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=ENV)  # fmt: skip
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        try:
            _out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            pytest.fail(f"still running 30 s after SIGINT (sent at {delay} s)")
        # 130, or death by SIGINT (which a shell shows as 130 too: CPython ends that way when the interrupt
        # passed through code a C extension ran while loading)
        assert proc.returncode in (0, 130, -signal.SIGINT), (delay, proc.returncode, err)
        assert "Traceback" not in err and "KeyboardInterrupt" not in err, (delay, err)
        assert len([line for line in err.splitlines() if line.strip()]) <= 2, err
