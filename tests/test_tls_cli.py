"""`saidwhen timeline --summary` end to end on the bundled demo corpus: real processes, a real store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from saidwhen.store import Store
from saidwhen.tls.store import document_of, store_documents

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "saidwhen", *args], capture_output=True, text=True,
                          env=dict(os.environ), timeout=300)  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("tls_cli")
    shutil.copytree(DEMO, tmp / "corpus")
    db = tmp / "demo.db"
    done = run("ingest", str(tmp / "corpus"), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


def _summary(db: Path, *args: str) -> dict:
    done = run("timeline", "--summary", "--db", str(db), "--format", "json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _fold(text: str) -> str:
    return " ".join(text.split())


def test_summary_json_points_to_its_evidence(demo_db: Path) -> None:
    result = _summary(demo_db)
    assert result["kind"] == "summary" and result["stats"]["documents"] == 11  # 12 articles, one a duplicate
    days = [d["date"] for d in result["dates"]]
    assert days == sorted(days) and 3 <= len(days) <= 10 and "2024-03-12" in days
    with Store(demo_db, readonly=True) as store:
        for day in result["dates"]:
            assert 1 <= len(day["sentences"]) <= 2
            for s in day["sentences"]:
                doc = store.document(s["document_id"])
                assert doc is not None and _fold(doc["text"][s["start"] : s["end"]]) == s["text"]
                assert s["date_from"] == "text" or s["published"] == day["date"]
    summit = next(d for d in result["dates"] if d["date"] == "2024-03-12")
    assert any(
        "Maria Lindqvist" in s["text"] and "doors remain open" in s["text"] for s in summit["sentences"]
    )
    assert any(s["statement_ids"] for d in result["dates"] for s in d["sentences"])


def test_summary_filters_and_lengths(demo_db: Path) -> None:
    short = _summary(demo_db, "--dates", "2", "--sentences", "1")
    assert len(short["dates"]) == 2 and all(len(d["sentences"]) == 1 for d in short["dates"])
    later = _summary(demo_db, "--since", "2025-01-01", "--until", "2025-06-10")
    assert later["dates"] and all("2025-01-01" <= d["date"] <= "2025-06-10" for d in later["dates"])
    aalto = _summary(demo_db, "--topic", "Aalto")
    sources = {s["document_id"] for d in aalto["dates"] for s in d["sentences"]}
    with Store(demo_db, readonly=True) as store:  # only the articles about him
        assert sources and all("Aalto" in (store.document(i) or {})["text"] for i in sources)
    assert aalto["stats"]["documents"] < 7
    varga = _summary(demo_db, "--speaker", "Tomas Varga")
    assert 0 < varga["stats"]["documents"] < 7 and varga["filters"]["speaker"] == "Tomas Varga"
    assert aalto["title"] == "Summary timeline: “Aalto”"


def test_summary_markdown_and_csv(demo_db: Path) -> None:
    md = run("timeline", "--summary", "--db", str(demo_db), "--dates", "3")
    assert md.returncode == 0, md.stderr
    assert md.stdout.startswith("# Summary timeline\n") and "\n## 2024-03-12\n" in md.stdout
    evidence = [line for line in md.stdout.splitlines() if line.startswith("  ") and "published" in line]
    assert evidence and all("`d" in line and "–" in line for line in evidence)  # document id and span
    csv_out = run("timeline", "--summary", "--db", str(demo_db), "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("date,text,document_id,start,end,date_from") and len(csv_out) > 3
    bad = run("timeline", "--summary", "--db", str(demo_db), "--format", "html")
    assert bad.returncode == 2 and "--summary writes md, json, csv" in bad.stderr
    bad_day = run("timeline", "--summary", "--db", str(demo_db), "--since", "2024-02-30")
    assert bad_day.returncode == 2 and "not a date" in bad_day.stderr


def test_store_documents_rebuild_the_cleaned_text(demo_db: Path) -> None:
    with Store(demo_db, readonly=True) as store:
        docs, statements = store_documents(store)
        assert len(docs) == 11 and statements
        for doc in docs:
            record = store.document(doc.id)
            assert record is not None and doc.clean.text == record["clean_text"]
            assert document_of(record).published == doc.published
