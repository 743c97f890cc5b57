"""The HTTP API against a real uvicorn server on 127.0.0.1 and a real SQLite store."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import HOSTILE_IMG, Corpus, live_server
from saidwhen.api import create_app
from saidwhen.store import Store


@pytest.fixture(scope="module")
def client(corpus: Corpus) -> Iterator[httpx.Client]:
    with live_server(create_app(corpus.path)) as base, httpx.Client(base_url=base, timeout=10) as c:
        yield c


def _ids(page: dict) -> list[str]:
    return [row["id"] for row in page["items"]]


def test_health_stats_and_page(client: httpx.Client) -> None:
    assert client.get("/api/health").json()["ingest"] is False
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 6 and stats["statements"] == 10 and stats["claims"] == 1
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-content-type-options"] == "nosniff"
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/..%2F__init__.py").status_code == 404  # never a file outside static/
    assert client.get("/static/%2e%2e/__init__.py").status_code == 404


def test_documents_filters_paging_and_detail(client: httpx.Client, corpus: Corpus) -> None:
    everything = client.get("/api/documents", params={"limit": 100}).json()
    assert len(everything["items"]) == 6 and everything["next_offset"] is None
    first = client.get("/api/documents", params={"limit": 4}).json()
    assert first["next_offset"] == 4 and len(first["items"]) == 4
    rest = client.get("/api/documents", params={"limit": 4, "offset": 4}).json()
    assert rest["next_offset"] is None and len(rest["items"]) == 2
    assert _ids(first) + _ids(rest) == _ids(everything)
    herald = client.get("/api/documents", params={"outlet": "harbour herald"}).json()
    assert {d["outlet"] for d in herald["items"]} == {"Harbour Herald"} and len(herald["items"]) == 2
    dated = client.get("/api/documents", params={"since": "2024-03-13", "until": "2024-04-30"}).json()
    assert sorted(d["published"] for d in dated["items"]) == ["2024-03-20", "2024-04-02"]
    found = client.get("/api/documents", params={"q": "Tallinn"}).json()
    assert {d["outlet"] for d in found["items"]} == {"Harbour Herald", "Baltic Wire"}
    assert "[Tallinn]" in found["items"][0]["snippet"]
    assert len(client.get("/api/documents", params={"event": "e-summit"}).json()["items"]) == 3

    doc = corpus.docs["herald1"]
    full = client.get(f"/api/documents/{doc.id}").json()
    assert full["text"] == doc.text
    assert full["removed"] == [{"start": 0, "end": doc.text.index("\n"), "reason": "headline"}]
    assert len(full["statements"]) == 3
    for st in full["statements"]:
        assert full["text"][st["start"] : st["end"]] == st["text"]
    assert client.get(f"/api/documents/{doc.id[:9]}").json()["id"] == doc.id  # a unique prefix
    missing = client.get("/api/documents/dnope")
    assert missing.status_code == 404 and "dnope" in missing.json()["detail"]


def test_bad_parameters_are_rejected(client: httpx.Client) -> None:
    assert client.get("/api/documents", params={"since": "March"}).status_code == 422
    assert client.get("/api/statements", params={"limit": 0}).status_code == 422
    assert client.get("/api/statements", params={"limit": 5000}).status_code == 422
    assert client.get("/api/statements", params={"offset": -1}).status_code == 422
    assert client.get("/api/search").status_code == 422  # q is required
    assert client.get("/api/search", params={"q": "x", "type": "tweet"}).status_code == 422
    # FTS syntax is inert
    for hostile in ['"', "doors OR", "NEAR(", "'; DROP TABLE documents; --"]:
        assert client.get("/api/statements", params={"q": hostile}).status_code == 200
        assert client.get("/api/search", params={"q": hostile}).status_code == 200
    assert client.get("/api/stats").json()["documents"] == 6


def test_statements_filters_and_paging(client: httpx.Client, corpus: Corpus) -> None:
    get = lambda **p: client.get("/api/statements", params=p).json()  # noqa: E731
    assert len(get(limit=100)["items"]) == 10
    pages, offset = [], 0
    while offset is not None:
        page = get(limit=3, offset=offset)
        pages += _ids(page)
        offset = page["next_offset"]
    assert pages == _ids(get(limit=100))
    assert {s["speaker"] for s in get(speaker="Anu Rebane")["items"]} == {"Anu Rebane"}
    assert len(get(speaker="rebane")["items"]) == 3  # a mention
    assert [s["date"] for s in get(since="2024-04-01", until="2024-04-01")["items"]] == ["2024-04-01"] * 2
    assert {s["outlet"] for s in get(outlet="Coastal Times")["items"]} == {"Coastal Times"}
    hits = get(q="doors")["items"]
    assert len(hits) == 3 and all("doors" in s["text"] for s in hits)
    claim = get(claim="c-reopen")["items"]
    assert [s["id"] for s in claim] == [corpus.statements["rebane_summer"].id, corpus.statements["rebane_autumn"].id]
    assert len(get(event="e-summit")["items"]) == 6
    assert get(speaker="Nobody")["items"] == []
    row = get(q="fees")["items"][0]
    assert {"document_id", "start", "end", "outlet", "url", "document_title", "speaker_type"} <= row.keys()
    unnamed = get(speaker_type="anonymous")["items"]
    assert unnamed and all(s["speaker"] is None and s["speaker_type"] == "anonymous" for s in unnamed)
    assert len(unnamed) + len(get(speaker_type="person", limit=100)["items"]) == 10
    assert client.get("/api/statements", params={"speaker_type": "alien"}).status_code == 422
    people = client.get("/api/speakers", params={"speaker_type": "person"}).json()
    assert people and all(p["type"] == "person" for p in people)


def test_statement_detail_with_reports_claim_and_event(client: httpx.Client, corpus: Corpus) -> None:
    st = client.get(f"/api/statements/{corpus.statements['lind_wire'].id}").json()
    assert sorted(r["outlet"] for r in st["reports"]) == ["Baltic Wire", "Coastal Times", "Harbour Herald"]
    assert st["merged"]["text"] == "Our doors are open to every ship"
    assert st["event"]["title"] == "Harbour summit"
    assert st["claim"] is None
    later = client.get(f"/api/statements/{corpus.statements['rebane_autumn'].id}").json()
    history = later["claim"]["history"]
    assert [h["date"] for h in history] == ["2024-03-20", "2024-04-01"]
    assert later["reports"][0]["id"] == later["id"]
    assert client.get("/api/statements/snope").status_code == 404


def test_speakers_events_claims(client: httpx.Client, corpus: Corpus) -> None:
    speakers = client.get("/api/speakers").json()
    assert speakers[0]["name"] == "Maria Lindqvist" and speakers[0]["count"] == 4
    assert "the minister" in speakers[0]["aliases"]
    assert [s["name"] for s in client.get("/api/speakers", params={"q": "minis"}).json()] == ["Maria Lindqvist"]
    assert len(client.get("/api/speakers", params={"limit": 2}).json()) == 2

    events = client.get("/api/events").json()
    assert _ids(events) == ["e-summit", "e-reopen"]
    assert _ids(client.get("/api/events", params={"since": "2024-03-15"}).json()) == ["e-reopen"]
    page = client.get("/api/events", params={"limit": 1}).json()
    assert page["next_offset"] == 1
    summit = client.get("/api/events/e-summit").json()
    assert sorted(d["outlet"] for d in summit["documents"]) == ["Baltic Wire", "Coastal Times", "Harbour Herald"]
    assert client.get("/api/events/nope").status_code == 404

    claims = client.get("/api/claims").json()
    assert _ids(claims) == ["c-reopen"]
    history = claims["items"][0]["history"]
    assert [h["text"] for h in history] == ["ports will reopen by summer", "ports will not reopen before autumn"]
    assert client.get("/api/claims/c-reopen").json()["summary"] == "when the ports reopen"
    assert client.get("/api/claims/nope").status_code == 404


def test_timeline_and_search(client: httpx.Client) -> None:
    tl = client.get("/api/timeline", params={"speaker": "Maria Lindqvist"}).json()
    items = [it for d in tl["dates"] for g in d["groups"] for it in g["items"]]
    doors = next(it for it in items if it["merged_id"] == "m-doors")
    assert doors["reported_by"] == 3 and len(doors["sources"]) == 3
    topic = client.get("/api/timeline", params={"topic": "summer"}).json()
    assert [d["date"] for d in topic["dates"]] == ["2024-03-20", "2024-04-01"]
    busy = client.get("/api/timeline", params={"per_date": 1}).json()
    assert busy["dates"][0]["shown"] == 1 and busy["dates"][0]["total"] == 4
    assert client.get("/api/timeline", params={"all": "true"}).json()["dates"][0]["shown"] == 4
    ctx = client.get("/api/timeline", params={"context": "true", "speaker": "Jonas Berg"}).json()
    assert ctx["dates"][0]["groups"][0]["items"][0]["context"]["match"] == "The fees must fall this year"
    assert client.get("/api/timeline", params={"event": "nope"}).status_code == 404

    found = client.get("/api/search", params={"q": "reopen"}).json()["items"]
    assert found[0]["type"] == "statement" and {h["type"] for h in found} == {"statement", "document"}
    scores = [h["score"] for h in found]
    assert scores == sorted(scores, reverse=True)
    doors = client.get("/api/search", params={"q": "doors", "type": "statement"}).json()["items"]
    assert len(doors) == 1 and doors[0]["reports"] == 3
    only = client.get("/api/search", params={"q": "reopen", "speaker": "Anu Rebane", "since": "2024-04-01"}).json()
    assert {h["id"] for h in only["items"] if h["type"] == "statement"} and all(
        (h.get("date") or h.get("published")) >= "2024-04-01" for h in only["items"]
    )
    hostile = client.get("/api/search", params={"q": "onerror"}).json()["items"]
    assert any(HOSTILE_IMG in (h.get("text") or "") for h in hostile)  # returned as data, as is


def test_read_only_by_default(client: httpx.Client, corpus: Corpus) -> None:
    before = corpus.path.stat().st_mtime_ns
    response = client.post("/api/ingest", content=b'{"text": "x"}\n', headers={"content-type": "application/x-ndjson"})
    assert response.status_code in (404, 405)
    assert "/api/ingest" not in client.get("/openapi.json").json()["paths"]
    for path in ("/api/documents", "/api/statements", "/api/stats"):
        assert client.delete(path).status_code == 405
        assert client.put(path, json={}).status_code == 405
    assert corpus.path.stat().st_mtime_ns == before


def test_openapi_and_docs(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/documents", "/api/documents/{doc_id}", "/api/statements", "/api/statements/{st_id}",
                 "/api/speakers", "/api/events", "/api/claims", "/api/claims/{claim_id}", "/api/timeline",
                 "/api/search"):  # fmt: skip
        assert path in paths, path
    params = {p["name"] for p in paths["/api/statements"]["get"]["parameters"]}
    assert {"speaker", "since", "until", "outlet", "q", "claim", "event", "limit", "offset"} <= params
    assert "StatementOut" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
    assert "cdn." not in docs.text  # no CDN: the vendored Swagger UI, or a plain page without it


def _jsonl(*articles: dict) -> bytes:
    return b"".join(json.dumps(a).encode() + b"\n" for a in articles)


def test_ingest_endpoint_with_flag_and_size_limit(tmp_path: Path) -> None:
    db = tmp_path / "ingest.db"
    app = create_app(db, allow_ingest=True, max_upload_bytes=2048)
    with live_server(app) as base, httpx.Client(base_url=base, timeout=60) as c:
        assert c.get("/api/health").json()["ingest"] is True
        assert "/api/ingest" in c.get("/openapi.json").json()["paths"]
        assert c.get("/api/stats").json()["documents"] == 0  # the store exists before the first upload
        ndjson = {"content-type": "application/x-ndjson"}
        too_big = _jsonl({"text": "x" * 4000})
        assert c.post("/api/ingest", content=too_big, headers=ndjson).status_code == 413

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
            for _ in range(10):
                yield b"y" * 500

        assert c.post("/api/ingest", content=chunks(), headers=ndjson).status_code == 413
        small = _jsonl({"text": "Hello"})
        assert c.post("/api/ingest", content=small, headers={"content-type": "text/plain"}).status_code == 415
        assert c.post("/api/ingest", content=b"", headers=ndjson).status_code == 400
        assert c.get("/api/stats").json()["documents"] == 0
        try:
            import saidwhen.store_ingest  # noqa: F401
        except ImportError as exc:
            pytest.skip(f"saidwhen.store_ingest cannot run yet ({exc}); upload limits were checked")
        body = _jsonl(
            {"text": 'Ferries return\n\n"The ferries run again from Monday," Maria Lindqvist said on Friday.',
             "title": "Ferries return", "outlet": "Harbour Herald", "published": "2024-06-07"},
            {"text": "Quay repairs\n\nWork on the northern quay is finished.", "title": "Quay repairs",
             "outlet": "Baltic Wire", "published": "2024-06-08"},
        )  # fmt: skip
        report = c.post("/api/ingest", content=body, headers=ndjson, params={"extract": "false"})
        assert report.status_code == 200, report.text
        assert report.json()["added"] == 2 and report.json()["rejected"] == 0
        docs = c.get("/api/documents").json()["items"]
        assert sorted(d["title"] for d in docs) == ["Ferries return", "Quay repairs"]
        again = c.post("/api/ingest", content=body, headers=ndjson, params={"extract": "false"}).json()
        assert again["added"] == 0 and again["unchanged"] == 2
    with Store(db, readonly=True) as store:
        assert store.stats()["documents"] == 2


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_cli_binds_loopback(corpus: Corpus, tmp_path: Path) -> None:
    port = _free_port()
    exe = Path(sys.executable).with_name("saidwhen")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "saidwhen.cli"]
    missing = subprocess.run([*cmd, "serve", "--db", str(tmp_path / "none.db"), "--port", str(port)],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    assert missing.returncode == 4 and "no saidwhen database" in missing.stderr
    proc = subprocess.Popen(
        [*cmd, "serve", "--db", str(corpus.path), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"server did not start: {proc.stderr.read() if proc.poll() is not None else ''}")
                time.sleep(0.1)
        assert r.json() == {"ok": True, "version": r.json()["version"], "ingest": False, "database": True}
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True)
        if listening.returncode == 0 and listening.stdout.strip():
            assert f"127.0.0.1:{port}" in listening.stdout
    finally:
        proc.terminate()
        proc.wait(10)
