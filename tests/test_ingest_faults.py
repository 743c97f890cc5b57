"""Issue 18, ingest side: one document's failure is its own problem, records keep their identity when
their file is edited, removed documents leave no trace, JSON cannot end a file early, one writer per
store, and the work per document is bounded."""

from __future__ import annotations

import io
import json
import random
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from saidwhen.ingest import read_inputs
from saidwhen.nlp import load_nlp
from saidwhen.pipeline import prepare
from saidwhen.problems import ProblemLog
from saidwhen.statements import NLP_DISABLE
from saidwhen.statements import extract as ex
from saidwhen.statements.base import Candidate
from saidwhen.statements.spans import CandidateIndex, Coverage
from saidwhen.store import Store
from saidwhen.store_ingest import StoreIngest
from saidwhen.writer_lock import WriterLock


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp(disable=NLP_DISABLE)


def article(i: int, topic: str = "harbour") -> str:
    return (
        f"Minister Lena Okafor{i} of Norland spoke in Port{i} on Monday about the {topic} plan number {i}. "
        f'"We will open the new {topic} terminal {i} next spring," Okafor{i} said. '
        f"Mayor Piet Janssen{i} said the city council had approved {i} new berths."
    )


def record(i: int, **extra: Any) -> str:
    return json.dumps({"text": article(i), "source": f"Outlet{i % 3}", "date": "2024-03-0" + str(1 + i % 8)} | extra)


def ingest(db: Path, paths: list[Path], nlp: Any, workers: int = 1) -> StoreIngest:
    store = Store(db)
    try:
        runner = StoreIngest(store, nlp=nlp, workers=workers, batch_size=2)
        runner.run([str(p) for p in paths])
        return runner
    finally:
        store.close()


def dump(db: Path) -> dict[str, Any]:
    """What an ingest leaves in the store that a re-ingest must reproduce (documents, statements, groups)."""
    conn = sqlite3.connect(db)
    try:
        return {
            "documents": sorted(conn.execute(
                "SELECT id, source_key, line, title, outlet, published, duplicate_of, event_id FROM documents")),
            "statements": sorted(conn.execute(
                'SELECT id, document_id, speaker, text, start, "end", date, merged_id, claim_id FROM statements')),
            "events": sorted(conn.execute("SELECT id, date, title, place FROM events")),
            "claims": sorted(conn.execute("SELECT id, summary FROM claims")),
            "merged": sorted(conn.execute("SELECT id, speaker, text, date FROM merged_statements")),
        }
    finally:
        conn.close()


def counts_add_up(runner: StoreIngest) -> bool:
    r = runner.report
    assert r is not None
    return r.read == r.added + r.updated + r.unchanged + r.failed


# --- defect 3: identity of records -----------------------------------------------------------------


def test_prepending_a_line_keeps_every_document_and_reruns_settle(tmp_path: Path, nlp: Any) -> None:
    f, db = tmp_path / "a.jsonl", tmp_path / "s.db"
    f.write_text("\n".join(record(i) for i in range(1, 4)) + "\n")
    ingest(db, [f], nlp)
    f.write_text("\n".join(record(i) for i in range(0, 4)) + "\n")
    runner = ingest(db, [f], nlp)
    assert runner.report is not None
    assert (runner.report.added, runner.report.updated, runner.report.unchanged) == (1, 0, 3)
    assert len(dump(db)["documents"]) == 4
    assert sorted(line for _, _, line, *_ in dump(db)["documents"]) == [1, 2, 3, 4]  # locators follow
    for _ in range(2):
        runner = ingest(db, [f], nlp)
        assert runner.report is not None
        assert (runner.report.added, runner.report.unchanged, runner.report.removed) == (0, 4, 0)
    fresh = tmp_path / "fresh.db"
    ingest(fresh, [f], nlp)
    assert dump(db) == dump(fresh)


def test_delete_one_line_and_append_one(tmp_path: Path, nlp: Any) -> None:
    f, db = tmp_path / "a.jsonl", tmp_path / "s.db"
    f.write_text("\n".join(record(i) for i in range(4)) + "\n")
    ingest(db, [f], nlp)
    f.write_text("\n".join(record(i) for i in (0, 2, 3, 4)) + "\n")
    runner = ingest(db, [f], nlp)
    assert runner.report is not None and runner.report.removed == 1 and runner.report.added == 1
    fresh = tmp_path / "fresh.db"
    ingest(fresh, [f], nlp)
    assert dump(db) == dump(fresh)


def test_an_id_field_makes_an_edit_an_update(tmp_path: Path, nlp: Any) -> None:
    f, db = tmp_path / "a.csv", tmp_path / "s.db"
    f.write_text("id,text\n7,Mayor Ann Lee said the bridge opens in May.\n8,Other news today.\n")
    ingest(db, [f], nlp)
    f.write_text("id,text\n8,Other news today.\n7,Mayor Ann Lee said the bridge opens in June.\n")
    runner = ingest(db, [f], nlp)
    assert runner.report is not None
    assert (runner.report.updated, runner.report.unchanged, runner.report.removed) == (1, 1, 0)
    texts = [t for (t,) in sqlite3.connect(db).execute("SELECT text FROM documents ORDER BY line")]
    assert texts == ["Other news today.", "Mayor Ann Lee said the bridge opens in June."]


def test_duplicate_ids_in_one_file_do_not_replace_each_other(tmp_path: Path) -> None:
    f = tmp_path / "a.jsonl"
    f.write_text('{"id": 1, "text": "first"}\n{"id": 1, "text": "second"}\n{"id": 1, "text": "first"}\n')
    problems = ProblemLog()
    docs = list(read_inputs([str(f)], problems))
    assert len({d.source_key for d in docs}) == 3 and [d.line for d in docs] == [1, 2, 3]


# --- defect 5: a replaced document leaves no trace ----------------------------------------------------


def test_edited_document_is_no_duplicate_of_its_old_version(tmp_path: Path, nlp: Any) -> None:
    folder, db = tmp_path / "in", tmp_path / "s.db"
    folder.mkdir()
    (folder / "a.txt").write_text(article(1) + " It was a calm day in the harbour district.\n")
    (folder / "b.txt").write_text(article(2, "railway") + "\n")
    ingest(db, [folder], nlp)
    (folder / "a.txt").write_text(article(1) + " It was a windy day in the harbour district.\n")
    runner = ingest(db, [folder], nlp)
    assert runner.report is not None and runner.report.updated == 1 and runner.report.remerged == 2
    state = dump(db)
    assert all(dup is None for *_, dup, _event in state["documents"])
    fresh = tmp_path / "fresh.db"
    ingest(fresh, [folder], nlp)
    assert state == dump(fresh)


# --- defect 2: one document's failure is a problem for that document ------------------------------


def test_a_document_that_raises_is_reported_and_the_rest_go_in(tmp_path: Path) -> None:
    small = load_nlp(disable=NLP_DISABLE)
    small.max_length = 400  # a real model refusing long texts (spaCy E088), as at 1,000,000 characters
    f, db = tmp_path / "a.jsonl", tmp_path / "s.db"
    long_sentence = "The minister said that " + "the plan is good and " * 40 + "it will pass."
    f.write_text("\n".join([record(1), json.dumps({"text": long_sentence}), record(2)]) + "\n")
    runner = ingest(db, [f], small)
    report = runner.report
    assert report is not None and counts_add_up(runner)
    assert (report.added, report.failed) == (2, 1)
    assert [(p.line, p.reason.split(":")[0]) for p in report.problems.problems] == [(2, "could not process")]
    assert "E088" in report.problems.problems[0].reason
    assert len(dump(db)["documents"]) == 2


def test_lone_surrogates_are_replaced_and_noted(tmp_path: Path, nlp: Any) -> None:
    f, db = tmp_path / "a.jsonl", tmp_path / "s.db"
    f.write_text('{"text": "Mayor Ann Lee said \\ud800 yes.", "title": "T\\udfff", "source": "S\\ud800"}\n'
                 + record(1) + "\n")
    runner = ingest(db, [f], nlp)
    report = runner.report
    assert report is not None and report.added == 2 and report.rejected == 0
    assert [p.line for p in report.problems.notes] == [1]
    title, text = sqlite3.connect(db).execute("SELECT title, text FROM documents WHERE line = 1").fetchone()
    assert title == "T\ufffd" and "\ufffd" in text


# --- defect 4: one JSON record cannot end its file -------------------------------------------------


@pytest.mark.parametrize("bad", ["{\"text\": \"x\", \"n\": " + "9" * 5000 + "}", "[" * 5000 + "]" * 5000])
def test_huge_integer_or_deep_nesting_is_one_bad_record(tmp_path: Path, bad: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"text": "before"}), bad, json.dumps({"text": "after"})]
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    array = tmp_path / "b.json"
    array.write_text("[\n" + ",\n".join(lines) + "\n]\n")
    problems = ProblemLog()
    docs = list(read_inputs([str(jsonl), str(array)], problems))
    nested = bad.startswith("[")
    assert [d.text for d in docs] == ["before"] + (["after"] if nested else ["x", "after"]) + ["before"] + (
        ["after"] if nested else ["x", "after"])
    assert [(Path(p.path).name, p.line) for p in problems.problems] == (
        [("a.jsonl", 2), ("b.json", 3)] if nested else [])
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("\n".join(lines) + "\n").encode())))
    stdin_problems = ProblemLog()
    assert [d.text for d in read_inputs(["-"], stdin_problems)][-1] == "after"


# --- defect 6: one writer per store ------------------------------------------------------------------


def test_a_second_writer_waits_for_the_first(tmp_path: Path, nlp: Any) -> None:
    db = tmp_path / "s.db"
    f = tmp_path / "a.jsonl"
    f.write_text(record(1) + "\n")
    first = StoreIngest(Store(db), nlp=nlp)  # holds the writer lock until it has run
    said: list[str] = []
    finished = threading.Event()

    def second() -> None:
        lock = WriterLock(str(db), on_wait=said.append)
        lock.acquire()
        finished.set()
        lock.release()

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.3)
    assert said == [str(db)] and not finished.is_set()  # told that the store is busy, and waiting
    first.run([str(f)])  # releases the lock at its end
    thread.join(5)
    assert finished.is_set()
    first.store.close()


# --- defect 7: bounded, sub-quadratic work per document ------------------------------------------------


def test_span_indexes_answer_like_a_scan() -> None:
    rng = random.Random(3)
    spans = [(s, s + rng.randint(0, 60)) for s in (rng.randint(0, 2000) for _ in range(300))]
    spans.append((5, 6000))  # one long hull
    cov = Coverage(spans)
    index = CandidateIndex(Candidate([sp], "direct", None, None, None, 1.0) for sp in spans)
    for _ in range(500):
        a = rng.randint(0, 2100)
        b = a + rng.randint(0, 80)
        assert cov.covers_point(a) == any(s <= a < e for s, e in spans)
        assert cov.covers(a, b) == any(s <= a and b <= e for s, e in spans)
        near = list(index.near(a, b))
        assert [c for c in near if c.overlaps((a, b))] == [c for c in index.items if c.overlaps((a, b))]


def test_a_long_document_is_cut_and_said_so(tmp_path: Path, nlp: Any) -> None:
    sentence = '"We will build new bridges," said Minister Anna Berg. '
    doc = prepare_text(sentence * 400)
    out = ex.analyse([doc], nlp, max_chars=2_000)
    p, cands = out[0]
    assert p.truncated is not None and p.truncated <= 2_000 and cands
    assert max(c.end for c in cands) <= 2_000
    # a one-sentence text beyond spaCy's limit: not parsed, no E088
    huge = prepare_text("The minister said that " + "the plan is good and " * 60_000 + "it will pass.")
    p, _ = ex.analyse([huge], nlp)[0]
    assert p.truncated == ex.MAX_ANALYSIS_CHARS


def test_statement_time_grows_about_linearly(nlp: Any) -> None:
    def seconds(n: int) -> float:
        doc = prepare_text("\n\n".join(
            f'"We will build {i} bridges," said Minister Anna Berg. Officials in Town{i} said it was approved. '
            "He welcomed the remarks." for i in range(n)))
        t = time.process_time()
        ex.analyse([doc], nlp)
        return time.process_time() - t

    seconds(20)  # warm up
    small, large = seconds(100), seconds(400)
    assert large < 8 * small + 0.5  # quadratic would be 16x


def prepare_text(text: str) -> Any:
    from saidwhen.model import RawDocument

    return prepare(RawDocument("t.txt", "t.txt", text))


# --- defect 12: no orphaned workers after SIGKILL ---------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [c for c, parent in parents.items() if parent == p]
        out += kids
        todo += kids
    return out


def _running(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_workers_exit_when_the_ingest_is_killed(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess

    f = tmp_path / "a.jsonl"
    f.write_text("\n".join(record(i) for i in range(400)) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "saidwhen", "ingest", str(f), "--db", str(tmp_path / "s.db"), "--workers", "2",
         "--batch-size", "4"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while len(_descendants(proc.pid)) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        time.sleep(0.5)
        family = _descendants(proc.pid)
        assert len(family) >= 3, "the workers did not start"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 15
    while any(_running(p) for p in family) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [p for p in family if _running(p)]
    for p in left:
        os.kill(p, signal.SIGKILL)
    assert not left, "worker processes outlived the ingest"


def test_api_upload_with_bad_records_answers_200_and_keeps_the_good_ones(tmp_path: Path) -> None:
    import httpx

    from conftest import live_server
    from saidwhen.api import create_app

    app = create_app(tmp_path / "api.db", allow_ingest=True)
    body = "\n".join([
        record(1),
        '{"text": "Mayor Ann Lee said \\ud800 the quay reopens.", "title": "\\udfff"}',
        "[" * 5000 + "]" * 5000,
        '{"text": "x", "n": ' + "9" * 5000 + "}",
        record(2),
    ]).encode() + b"\n"
    with live_server(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        response = client.post("/api/ingest", content=body, headers={"content-type": "application/x-ndjson"})
        assert response.status_code == 200, response.text
        report = response.json()
        assert (report["read"], report["added"], report["rejected"]) == (4, 4, 1)
        assert client.get("/api/stats").json()["documents"] == 4


def test_analyze_reports_a_failing_document_and_keeps_the_rest(tmp_path: Path) -> None:
    from saidwhen.pipeline import analyze

    small = load_nlp(disable=NLP_DISABLE)
    small.max_length = 400  # spaCy's E088, as for a sentence over 1,000,000 characters
    f = tmp_path / "a.jsonl"
    long_sentence = "The minister said that " + "the plan is good and " * 40 + "it will pass."
    f.write_text("\n".join([record(1), json.dumps({"text": long_sentence}), record(2)]) + "\n")
    problems = ProblemLog()
    result = analyze([str(f)], problems, nlp=small)
    assert len(result.documents) == 2 and result.statements
    assert [(p.line, p.reason.split(":")[0]) for p in problems.problems] == [(2, "could not process")]
