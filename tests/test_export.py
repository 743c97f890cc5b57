"""Exports of a real store's timeline: JSON, CSV, Markdown, standalone HTML, TimelineJS; and the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from conftest import HOSTILE_IMG, Corpus
from saidwhen.cli import app
from saidwhen.export import FORMATS, render, store_json, timelinejs_dict
from saidwhen.export.markdown import md_escape
from saidwhen.store import Store
from saidwhen.timeline import build_timeline, iter_items


@pytest.fixture
def timeline(ro_store: Store) -> dict:
    return build_timeline(ro_store, with_context=True)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_json_round_trips(timeline: dict) -> None:
    data = json.loads(render(timeline, "json"))
    assert data == json.loads(json.dumps(timeline))
    item = iter_items(data)[0]
    assert {"document_id", "start", "end", "sources", "reported_by"} <= item.keys()


def test_store_json_follows_the_schema(ro_store: Store, corpus: Corpus) -> None:
    data = store_json(ro_store)
    assert set(data) >= {"documents", "statements", "events", "claims"}
    assert len(data["documents"]) == len(corpus.docs)
    assert len(data["statements"]) == len(corpus.statements)
    assert set(data["statements"][0]) == {
        "id", "document_id", "speaker", "speaker_mention", "text", "kind", "cue", "start", "end", "confidence",
        "date", "date_from", "claim_id", "merged_id", "speaker_type",
    }  # fmt: skip
    assert set(data["documents"][0]) == {
        "id", "source_path", "source_key", "title", "url", "outlet", "language", "published", "published_from",
        "published_range", "duplicate_of", "event_id",
    }  # fmt: skip
    assert data["claims"][0]["statement_ids"][0] == corpus.statements["rebane_summer"].id
    only = store_json(ro_store, speaker="Anu Rebane")
    assert {s["speaker"] for s in only["statements"]} == {"Anu Rebane"}
    assert {d["outlet"] for d in only["documents"]} == {"Harbour Herald", "Baltic Wire"}
    assert [e["id"] for e in only["events"]] == ["e-reopen"]
    assert "text" in store_json(ro_store, with_text=True)["documents"][0]


def test_csv_has_a_row_per_item_and_no_formulas(timeline: dict) -> None:
    rows = list(csv.DictReader(io.StringIO(render(timeline, "csv"))))
    assert len(rows) == timeline["stats"]["shown"]
    doors = next(r for r in rows if r["merged_id"] == "m-doors")
    assert doors["reported_by"] == "3"
    assert doors["outlets"] == "Baltic Wire; Coastal Times; Harbour Herald"
    assert doors["start"].isdigit() and doors["document_id"].startswith("d")
    hostile = next(r for r in rows if r["speaker"] == "Mallory Hacker")
    assert hostile["text"] == f"Trust me {HOSTILE_IMG} now"  # CSV keeps data verbatim


def test_markdown_lists_dates_sources_and_escapes(timeline: dict) -> None:
    md = render(timeline, "md")
    assert md.startswith("# Timeline\n")
    assert "## 2024-03-12" in md and "### Harbour summit (Tallinn)" in md
    assert "reported by 3 outlets" in md
    assert "[Harbour Herald](https://herald.example/summit)" in md
    assert re.search(r"(?<!\\)[<>]", md) is None and "\\<img" in md  # every < and > escaped
    assert "javascript:" not in md  # a non-web url is not linked
    assert "1 more statement on this date" in md
    assert md_escape("*bold* [x](y) <b>") == "\\*bold\\* \\[x\\]\\(y\\) \\<b\\>"


def test_html_report_is_standalone_and_escaped(timeline: dict) -> None:
    page = render(timeline, "html")
    parser = _Tags()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert "script" not in tags and "img" not in tags
    assert not any(k.startswith("on") for _, attrs in parser.tags for k in attrs)
    # no external assets: the only URLs are the sources' links
    assert not any(t in ("link", "iframe") for t in tags)
    hrefs = [attrs["href"] for t, attrs in parser.tags if t == "a"]
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    text = "".join(parser.text)
    assert HOSTILE_IMG in text  # shown as text
    assert "&lt;img src=x onerror=&quot;window.__pwned=1&quot;&gt;" in page
    # the evidence is highlighted in its paragraph
    marks = page.count("<mark>")
    assert marks == timeline["stats"]["shown"]
    assert "<mark>Our doors are open to every ship</mark>" in page
    assert "Content-Security-Policy" in page


def test_timelinejs_format(timeline: dict) -> None:
    data = json.loads(render(timeline, "timelinejs"))
    assert data == timelinejs_dict(timeline)
    assert data["title"]["text"]["headline"] == "Timeline"
    events = data["events"]
    assert len(events) == timeline["stats"]["shown"]
    first = events[0]
    assert first["start_date"] == {"year": 2024, "month": 3, "day": 12}
    assert first["text"]["headline"].startswith("Maria Lindqvist: ")
    assert "Reported by 3 outlets" in first["text"]["text"]
    # TimelineJS renders headline and text as HTML: data is escaped
    hostile = next(e for e in events if "Mallory" in e["text"]["headline"])
    assert "<img" not in hostile["text"]["headline"] + hostile["text"]["text"]
    assert "&lt;img" in hostile["text"]["text"]
    assert 'href="javascript' not in json.dumps(data)


def test_every_format_renders_an_empty_timeline(ro_store: Store) -> None:
    empty = build_timeline(ro_store, since="2099-01-01")
    for fmt in FORMATS:
        assert render(empty, fmt)
    with pytest.raises(ValueError):
        render(empty, "pdf")


def test_cli_timeline_search_export(corpus: Corpus, tmp_path) -> None:
    runner = CliRunner()
    db = str(corpus.path)
    result = runner.invoke(app, ["timeline", "--db", db, "--speaker", "Anu Rebane", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {it["speaker"] for it in iter_items(data)} == {"Anu Rebane"}

    out = tmp_path / "t.html"
    result = runner.invoke(app, ["timeline", "--db", db, "--topic", "summer", "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "ports will not reopen before autumn" in out.read_text()

    result = runner.invoke(app, ["timeline", "--db", db, "--all", "--format", "csv"])
    assert len(list(csv.DictReader(io.StringIO(result.stdout)))) == 8

    result = runner.invoke(app, ["search", "reopen", "--db", db, "--format", "jsonl"])
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert hits and hits[0]["type"] == "statement" and "reopen" in hits[0]["text"]
    assert {h["type"] for h in hits} == {"statement", "document"}
    result = runner.invoke(app, ["search", "doors", "--db", db, "--format", "jsonl", "--only", "statement"])
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(hits) == 1 and hits[0]["reports"] == 3  # three reports of one statement: one hit
    result = runner.invoke(app, ["search", "doors", "--db", db, "--outlet", "Baltic Wire", "--format", "csv"])
    assert result.exit_code == 0 and "Baltic Wire" in result.stdout and "Harbour Herald" not in result.stdout
    result = runner.invoke(app, ["search", "doors", "--db", db])
    assert result.exit_code == 0 and "Lindqvist" in result.stdout

    result = runner.invoke(app, ["export", "--db", db, "--format", "json"])
    assert set(json.loads(result.stdout)) >= {"documents", "statements", "events", "claims"}
    result = runner.invoke(app, ["export", "--db", db, "--format", "timelinejs"])
    assert len(json.loads(result.stdout)["events"]) == 8

    assert runner.invoke(app, ["timeline", "--db", db, "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["timeline", "--db", db, "--since", "March"]).exit_code == 2
    assert runner.invoke(app, ["timeline", "--db", db, "--event", "nope"]).exit_code == 4
    assert runner.invoke(app, ["timeline", "--db", str(tmp_path / "missing.db")]).exit_code == 4


def test_heading_shows_the_place_once() -> None:
    from saidwhen.timeline import heading_place

    assert heading_place({"title": "Holm: Norvalia will join — Riga, 10 April 2024", "place": "Riga"}) is None
    assert heading_place({"title": "Harbour summit", "place": "Tallinn"}) == "Tallinn"
    assert heading_place({"title": "Harbour summit", "place": None}) is None
