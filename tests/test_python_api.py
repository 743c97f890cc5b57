"""The Python API as a notebook uses it: analyze texts and folders, open a store, query, tables."""

import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import saidwhen
from saidwhen.model import Claim, Document, Event, Statement

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"

ARTICLE = (
    "date 2025-06-02\nsource Fjord Daily\nFerries resume\n\n"
    '"The northern route will reopen on Friday," Jonas Kask, the harbour master, said on Monday.\n'
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("api")
    shutil.copytree(DEMO, folder / "corpus")
    with saidwhen.open(folder / "notebook.db") as corpus:
        report = corpus.ingest(folder / "corpus", embeddings=False)
        assert report.added == 12 and report.rejected == 1 and not report.unread
        yield corpus


def test_analyze_texts_and_paths():
    result = saidwhen.analyze([ARTICLE, DEMO])
    assert isinstance(result, saidwhen.Analysis)
    assert len(result.documents) == 13 and all(isinstance(d, Document) for d in result.documents)
    assert all(isinstance(s, Statement) for s in result.statements)
    assert all(isinstance(e, Event) for e in result.events) and all(isinstance(c, Claim) for c in result.claims)
    kask = [s for s in result.statements if s.speaker == "Jonas Kask"]
    assert kask and kask[0].date == date(2025, 6, 2)
    doc = next(d for d in result.documents if d.id == kask[0].document_id)
    assert "northern route will reopen" in doc.text[kask[0].start : kask[0].end]  # the evidence span
    assert len(result.problems) == 1  # the demo's malformed JSONL line, reported, not raised


def test_analysis_tables():
    result = saidwhen.analyze(ARTICLE)
    frame = result.statements.to_pandas()
    assert list(frame.columns[:3]) == ["id", "document_id", "speaker"]
    assert frame.loc[0, "speaker"] == "Jonas Kask" and str(frame["date"].dtype).startswith("datetime64")
    table = result.documents.to_arrow()
    assert table.num_rows == 1 and str(table.schema.field("published").type) == "date32[day]"
    assert table.column("outlet").to_pylist() == ["Fjord Daily"]


def test_corpus_queries(corpus):
    everything = corpus.statements()
    assert len(everything) == corpus.stats()["statements"] > 10
    lindqvist = corpus.statements(speaker="Maria Lindqvist", since="2024-01-01", until=date(2026, 1, 1))
    assert lindqvist and all(s.speaker == "Maria Lindqvist" for s in lindqvist)
    assert all(date(2024, 1, 1) <= s.date <= date(2026, 1, 1) for s in lindqvist if s.date)
    direct = corpus.statements(kind="direct")
    assert direct and all(s.kind == "direct" for s in direct) and len(direct) < len(everything)
    member = corpus.statements(query="member")
    assert member and all("member" in s.text.lower() for s in member)
    assert len(corpus.statements(limit=3)) == 3
    speakers = corpus.speakers()
    assert speakers[0].count >= speakers[-1].count and "Maria Lindqvist" in {p.name for p in speakers}
    events, claims = corpus.events(), corpus.claims()
    assert events and all(e.document_ids for e in events)
    assert claims and all(c.statement_ids for c in claims)
    doc = corpus.document(everything[0].document_id)
    assert doc is not None and doc.text[everything[0].start : everything[0].end]


def test_corpus_tables(corpus):
    frame = corpus.statements().to_pandas()
    assert {"speaker", "date", "text", "document_id", "start", "end"} <= set(frame.columns)
    assert len(corpus.speakers().to_pandas()) == len(corpus.speakers())
    events = corpus.events().to_arrow()
    assert str(events.schema.field("document_ids").type) == "list<item: string>"
    history = corpus.claim_history().to_pandas()
    assert {"claim_id", "claim", "position", "speaker", "date", "outlet", "wording"} <= set(history.columns)
    first = history[history["position"] == 1]
    assert len(first) == len(corpus.claims())
    timeline = corpus.timeline(speaker="Maria Lindqvist", all=True)
    rows = timeline.to_pandas()
    assert len(rows) > 0 and set(rows["speaker"]) == {"Maria Lindqvist"}
    assert timeline.data["dates"]  # the same dict `saidwhen timeline --format json` prints


def test_empty_results_keep_their_columns(corpus):
    none = corpus.statements(speaker="Nobody At All")
    assert len(none) == 0
    assert "speaker" in none.to_pandas().columns
    assert none.to_arrow().num_rows == 0 and "date" in none.to_arrow().schema.names


def test_cli_and_api_agree(corpus):
    env = {k: v for k, v in os.environ.items()}
    out = subprocess.run(
        [sys.executable, "-m", "saidwhen", "statements", "--db", str(corpus.path), "-s", "Maria Lindqvist",
         "-f", "jsonl", "-n", "1000"], capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    cli_ids = [json.loads(line)["id"] for line in out.stdout.splitlines()]
    assert cli_ids == [s.id for s in corpus.statements(speaker="Maria Lindqvist")]


def test_the_documented_example_runs(tmp_path, monkeypatch):
    """docs/python.md's code blocks, run in order (from the checkout, with the store in tmp_path)."""
    import re

    text = (ROOT / "docs" / "python.md").read_text()
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, re.S))
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(code.replace('"news.db"', repr(str(tmp_path / "news.db"))), "docs/python.md", "exec"), namespace)
    assert len(namespace["result"].documents) == 13 and namespace["report"].added == 12


def test_statements_and_speakers_by_speaker_type(corpus):
    everything = corpus.statements()
    types = {s.speaker_type for s in everything}
    assert "person" in types and len(types) > 1  # the demo has people and other sources
    people = corpus.statements(speaker_type="person")
    assert people and all(s.speaker_type == "person" for s in people)
    assert len(people) == sum(s.speaker_type == "person" for s in everything)
    assert {p.name for p in corpus.speakers(speaker_type="person")} <= {s.speaker for s in people}
    assert "Maria Lindqvist" in {p.name for p in corpus.speakers(speaker_type="person")}
    with pytest.raises(ValueError, match="unknown speaker type"):
        corpus.statements(speaker_type="martian")  # type: ignore[arg-type]
