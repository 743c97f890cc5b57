"""Hostile requests to the HTTP API (real uvicorn on 127.0.0.1, real SQLite files): rebound Host names,
impossible dates, search queries of repeated words, a damaged store; and formula-safe CSV from the CLI."""

from __future__ import annotations

import csv
import io
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from conftest import Corpus, live_server, make_doc, make_statement
from saidwhen.api import create_app
from saidwhen.api.hosts import bind_policy, host_name, is_loopback
from saidwhen.cli import app
from saidwhen.export.csvout import safe_cell
from saidwhen.store import Store
from saidwhen.store.search import MAX_TERMS, fts_query, query_terms


@pytest.fixture(scope="module")
def client(corpus: Corpus) -> Iterator[httpx.Client]:
    with live_server(create_app(corpus.path)) as base, httpx.Client(base_url=base, timeout=10) as c:
        yield c


# ---- DNS rebinding: only loopback Host names unless --host says otherwise -----------------------------


def test_rebound_host_names_are_refused(client: httpx.Client) -> None:
    port = client.base_url.port
    for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "10.0.0.5", "", "[::2]:80"):
        r = client.get("/api/statements", headers={"Host": host})
        assert r.status_code == 400, host
        assert "host" in r.json()["detail"]
    assert client.get("/", headers={"Host": "attacker.test"}).status_code == 400  # the page too
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "LOCALHOST", f"[::1]:{port}", "127.8.9.10", "app.localhost"):
        assert client.get("/api/health", headers={"Host": host}).status_code == 200, host


def test_a_rebound_page_cannot_upload(tmp_path: Path) -> None:
    db = tmp_path / "upload.db"
    body = b'{"text": "Rebound text. Mayor Ann Ray said the bridge will open.", "source": "X"}\n'
    with live_server(create_app(db, allow_ingest=True)) as base, httpx.Client(base_url=base, timeout=30) as c:
        r = c.post("/api/ingest", content=body, headers={"Content-Type": "application/x-ndjson",
                                                          "Host": "rebind.attacker.test"})  # fmt: skip
        assert r.status_code == 400
    with Store(db, readonly=True) as store:
        assert store.stats()["documents"] == 0


def test_host_names_given_by_the_bind_address(corpus: Corpus) -> None:
    assert bind_policy("127.0.0.1") == {"hosts": []}
    assert bind_policy("::1") == {"hosts": []}
    assert bind_policy("192.168.1.20") == {"hosts": ["192.168.1.20"]}
    assert bind_policy("0.0.0.0") == {"any_host": True}
    assert host_name("[::1]:8000") == "::1" and host_name("Example.ORG.:80") == "example.org"
    assert is_loopback("127.0.0.2") and not is_loopback("127.0.0.1.nip.io")
    with live_server(create_app(corpus.path, hosts=["saidwhen.lan"])) as base:
        assert httpx.get(base + "/api/health", headers={"Host": "saidwhen.lan:8000"}).status_code == 200
        assert httpx.get(base + "/api/health", headers={"Host": "other.lan"}).status_code == 400
    with live_server(create_app(corpus.path, any_host=True)) as base:
        assert httpx.get(base + "/api/health", headers={"Host": "anything.example"}).status_code == 200


# ---- date filters are calendar days --------------------------------------------------------------------


def test_impossible_dates_are_refused(client: httpx.Client) -> None:
    for path, params in (
        ("/api/statements", {"since": "2024-13-45"}),
        ("/api/statements", {"until": "2024-02-30"}),
        ("/api/search", {"q": "doors", "since": "2023-02-29"}),
        ("/api/documents", {"until": "2024-00-10"}),
        ("/api/timeline", {"since": "2024-04-31"}),
        ("/api/events", {"since": "2024-3-5"}),
    ):
        r = client.get(path, params=params)
        assert r.status_code == 422, (path, params)
        assert "date" in str(r.json()["detail"]), r.json()
    # a real day still filters, compared as a date
    leap = client.get("/api/statements", params={"since": "2024-02-29", "until": "2024-03-12"}).json()
    assert leap["items"] and {s["date"] for s in leap["items"]} == {"2024-03-12"}


def test_cli_refuses_impossible_dates(corpus: Corpus) -> None:
    runner = CliRunner()
    for args in (["statements", "--since", "2024-13-45"], ["search", "doors", "--until", "2024-02-30"],
                 ["docs", "--since", "yesterday"], ["timeline", "--until", "2024-04-31"]):  # fmt: skip
        result = runner.invoke(app, [*args, "--db", str(corpus.path)])
        assert result.exit_code == 2, args
        assert "not a date" in result.output and "Traceback" not in result.output
    ok = runner.invoke(app, ["statements", "--since", "2024-04-01", "--db", str(corpus.path), "--format", "jsonl"])
    assert ok.exit_code == 0 and ok.stdout.count("\n") == 3  # Rebane's two statements of 1 April and Mallory's


# ---- search cost does not grow with repeated terms ------------------------------------------------------


def test_query_terms_are_distinct_and_capped() -> None:
    assert query_terms("the THE the harbour The") == ["the", "harbour"]
    assert fts_query("the " * 125) == '"the"'
    many = " ".join(f"w{i}" for i in range(100))
    assert len(query_terms(many)) == MAX_TERMS
    phrase = '"' + " ".join(["harbour"] * 300) + '"'
    (only,) = query_terms(phrase)
    assert len(only.split()) <= 8
    assert fts_query('"a b" OR c* NEAR(x)') == '"a b" AND "OR" AND "c" AND "NEAR" AND "x"'


def test_repeated_terms_search_is_quick(client: httpx.Client) -> None:
    once = client.get("/api/search", params={"q": "doors"}).json()
    started = time.monotonic()
    for q in ("doors " * 83, "Doors dOORS " * 41):
        r = client.get("/api/search", params={"q": q[:500]})
        assert r.status_code == 200
        assert [h["id"] for h in r.json()["items"]] == [h["id"] for h in once["items"]]
    assert client.get("/api/search", params={"q": '"' + "doors " * 80 + '"'}).status_code == 200
    assert time.monotonic() - started < 3


def test_cli_search_of_repeated_terms_is_quick(corpus: Corpus) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(app, ["search", "harbour " * 1500, "--db", str(corpus.path), "--format", "jsonl"])
    assert result.exit_code == 0
    assert time.monotonic() - started < 5
    single = CliRunner().invoke(app, ["search", "harbour", "--db", str(corpus.path), "--format", "jsonl"])
    assert result.stdout == single.stdout and result.stdout


# ---- a damaged store: /api/health says so, every endpoint answers one clear line ------------------------


def _damaged_copy(corpus: Corpus, tmp_path: Path, how: str) -> Path:
    db = tmp_path / f"{how}.db"
    if how == "junk":
        db.write_bytes(b"not a database at all " * 400)
        return db
    shutil.copy(corpus.path, db)
    with db.open("r+b") as f:  # overwrite the pages after the schema with noise
        f.seek(4096)
        f.write(bytes(range(256)) * 64)
    return db


@pytest.mark.parametrize("how", ["junk", "pages"])
def test_health_and_endpoints_on_a_damaged_store(corpus: Corpus, tmp_path: Path, how: str) -> None:
    db = _damaged_copy(corpus, tmp_path, how)
    with live_server(create_app(db)) as base, httpx.Client(base_url=base, timeout=10) as c:
        health = c.get("/api/health")
        assert health.status_code == 503
        assert health.json()["ok"] is False and "cannot be read" in health.json()["error"]
        for path in ("/api/stats", "/api/statements", "/api/search?q=doors", "/api/timeline"):
            r = c.get(path)
            assert r.status_code == 503, path
            assert "cannot be read" in r.json()["detail"] and "\n" not in r.json()["detail"]


# ---- CSV formula injection: one writer for every export -------------------------------------------------


def test_statements_and_search_csv_neutralise_formulas(tmp_path: Path) -> None:
    text = 'Formula day\n\n"=HYPERLINK(\\"http://evil.example\\",\\"click\\")" said @SUM(1+1).\n\n"+1 harbour" said Cell.'
    doc = make_doc(text, "f.txt", "=cmd|' /C calc'!A0", date(2024, 6, 1))
    quote = '=HYPERLINK(\\"http://evil.example\\",\\"click\\")'
    sts = [make_statement(doc, "@SUM(1+1)", quote), make_statement(doc, "Cell", "+1 harbour", mention="-2+3")]
    db = tmp_path / "formula.db"
    with Store(db) as store, store.transaction():
        store.save_document(doc)
        store.save_statements(sts)
    runner = CliRunner()
    outputs = [
        runner.invoke(app, ["statements", "--db", str(db), "--format", "csv"]).stdout,
        runner.invoke(app, ["search", "harbour", "--db", str(db), "--format", "csv"]).stdout,
        runner.invoke(app, ["search", "HYPERLINK", "--db", str(db), "--format", "csv"]).stdout,
        runner.invoke(app, ["docs", "--db", str(db), "--format", "csv"]).stdout,
        runner.invoke(app, ["speakers", "--db", str(db), "--format", "csv"]).stdout,
        runner.invoke(app, ["timeline", "--db", str(db), "--all", "--format", "csv"]).stdout,
    ]
    cells = 0
    for out in outputs:
        rows = list(csv.reader(io.StringIO(out)))
        assert len(rows) >= 2, out
        for row in rows[1:]:
            for cell in row:
                cells += 1
                assert not cell.lstrip().startswith(("=", "+", "-", "@")), (cell, out)
    assert cells > 20
    assert "'=HYPERLINK" in outputs[0] and "'@SUM(1+1)" in outputs[0] and "'=cmd|" in outputs[3]
    assert safe_cell(-3) == -3 and safe_cell(None) == "" and safe_cell("  =1") == "'  =1" and safe_cell("＝1") == "'＝1"


# ---- serve --workers: several processes, the same guards ------------------------------------------------


def test_workers_serve_reads_only(corpus: Corpus) -> None:
    refused = CliRunner().invoke(app, ["serve", "--db", str(corpus.path), "--workers", "2", "--allow-ingest"])
    assert refused.exit_code == 2 and "reads only" in refused.output


@pytest.mark.slow
def test_workers_processes_answer_with_the_same_guards(corpus: Corpus) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "saidwhen", "serve", "--db", str(corpus.path), "--port", str(port),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(base + "/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                time.sleep(0.2)
        assert health.json()["ok"] is True
        for _ in range(6):  # whichever process answers
            assert httpx.get(base + "/api/stats").json()["documents"] == 6
            assert httpx.get(base + "/api/stats", headers={"Host": "rebound.example"}).status_code == 400
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
