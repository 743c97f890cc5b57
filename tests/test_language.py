"""Languages: offline detection (lite model only), stored, reported when not read for statements, filtered."""

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from saidwhen import language
from saidwhen.cli import app
from saidwhen.language import detect_language, document_language, normalise_code, unread_summary

FRENCH = (
    "Le ministre des Transports a annoncé mardi la réouverture progressive des ports du nord. "
    "Selon lui, les travaux de dragage seront terminés avant la fin du mois et les navires pourront "
    "de nouveau accoster sans restriction. Les syndicats de dockers restent prudents."
)
UKRAINIAN = (
    "Міністр інфраструктури заявив у вівторок, що порти на півночі країни поступово відновлять роботу. "
    "За його словами, днопоглиблювальні роботи завершать до кінця місяця, і судна знову зможуть заходити "
    "без обмежень. Профспілки докерів залишаються обережними."
)
ENGLISH = (
    "The transport minister announced on Tuesday that the northern ports would gradually reopen. "
    '"The dredging will be finished before the end of the month," Anna Berg said at a press conference. '
    "Dock workers' unions remained cautious."
)


def test_detects_languages_offline_with_the_lite_model_only():
    assert detect_language(FRENCH) == "fr"
    assert detect_language(UKRAINIAN) == "uk"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("12 34 56") is None  # too few letters: no guess
    detector = language._detector()
    assert detector.config.model == "lite"
    assert set(detector._models) == {"low_memory"}  # only the bundled model was ever loaded (no download)


def test_declared_language_wins_and_is_normalised():
    assert normalise_code("en-GB") == "en" and normalise_code("FR") == "fr" and normalise_code("??") is None
    assert document_language("de-AT", ENGLISH) == "de"
    assert document_language(None, FRENCH) == "fr"


def test_unread_summary_lines():
    from collections import Counter

    assert unread_summary(Counter({"uk": 12, "fr": 1})) == [
        "no statement model for uk: 12 articles",
        "no statement model for fr: 1 article",
    ]


runner = CliRunner()


def _run(*args: str) -> Result:
    """The CLI in this process (Typer's runner): stdout and stderr apart, as a shell user sees them."""
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> tuple[Path, Result]:
    folder = tmp_path_factory.mktemp("mixed")
    corpus = folder / "corpus"
    corpus.mkdir()
    header = "date 2025-03-04\nsource {}\n"
    (corpus / "en.txt").write_text(header.format("Harbour Herald") + "Ports to reopen\n\n" + ENGLISH + "\n")
    (corpus / "fr.txt").write_text(header.format("Le Quotidien") + "Les ports rouvrent\n\n" + FRENCH + "\n")
    # the same French article reprinted by another outlet: a duplicate, whatever the language
    (corpus / "fr-reprint.txt").write_text(header.format("La Gazette") + "Les ports rouvrent\n\n" + FRENCH + "\n")
    (corpus / "uk.txt").write_text(header.format("Kyiv Daily") + "Порти відновлять роботу\n\n" + UKRAINIAN + "\n")
    db = folder / "mixed.db"
    result = _run("ingest", str(corpus), "--db", str(db), "--workers", "1", "--no-embeddings")
    assert result.exit_code == 0, result.output
    return db, result


def test_ingest_reports_unread_languages(mixed):
    _db, result = mixed
    assert "no statement model for fr: 2 articles" in result.stderr
    assert "no statement model for uk: 1 article" in result.stderr
    assert "no statement model for en" not in result.stderr


def test_languages_are_stored_filtered_and_non_english_takes_part_in_duplicates(mixed):
    db, _ = mixed
    docs = [json.loads(line) for line in _run("docs", "--db", str(db), "--format", "jsonl").stdout.splitlines()]
    assert sorted(d["language"] for d in docs) == ["en", "fr", "fr", "uk"]
    french = [json.loads(x) for x in _run("docs", "--db", str(db), "--language", "fr", "-f", "jsonl").stdout.splitlines()]
    assert {d["outlet"] for d in french} == {"Le Quotidien", "La Gazette"}
    assert sum(1 for d in french if d["duplicate_of"]) == 1  # the reprint is found without statement rules
    english = _run("statements", "--db", str(db), "--language", "en", "-f", "jsonl").stdout.splitlines()
    assert english and all(json.loads(x)["outlet"] == "Harbour Herald" for x in english)
    assert _run("statements", "--db", str(db), "--language", "uk", "-f", "jsonl").stdout.strip() == ""
    hits = _run("search", "ports", "--db", str(db), "--language", "en", "-f", "jsonl").stdout.splitlines()
    assert hits and all(json.loads(h).get("outlet") == "Harbour Herald" for h in hits)
    stats = json.loads(_run("stats", "--db", str(db), "--json").stdout)
    assert stats["languages"] == {"fr": 2, "en": 1, "uk": 1}


def test_analyze_reports_unread_languages(mixed, tmp_path):
    article = tmp_path / "uk.txt"
    article.write_text("date 2025-03-04\nsource Kyiv Daily\nПорти\n\n" + UKRAINIAN + "\n")
    result = _run("analyze", str(article), "--no-embeddings")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"][0]["language"] == "uk"
    assert "no statement model for uk: 1 article" in result.stderr


def test_http_api_filters_and_reports_languages(tmp_path):
    import httpx

    from conftest import live_server
    from saidwhen.api import create_app

    body = "\n".join(json.dumps(r, ensure_ascii=False) for r in (
        {"text": "Ports to reopen\n\n" + ENGLISH, "outlet": "Harbour Herald", "published": "2025-03-04"},
        {"text": "Les ports rouvrent\n\n" + FRENCH, "outlet": "Le Quotidien", "published": "2025-03-04"},
    ))  # fmt: skip
    db = tmp_path / "api.db"
    with live_server(create_app(db, allow_ingest=True)) as base, httpx.Client(base_url=base, timeout=60) as client:
        report = client.post("/api/ingest", content=body.encode(), headers={"content-type": "application/x-ndjson"})
        assert report.status_code == 200, report.text
        assert report.json()["unread"] == {"fr": 1}
        french = client.get("/api/documents", params={"language": "fr"}).json()["items"]
        assert [d["outlet"] for d in french] == ["Le Quotidien"] and french[0]["language"] == "fr"
        statements = client.get("/api/statements", params={"language": "en"}).json()["items"]
        assert statements and {s["outlet"] for s in statements} == {"Harbour Herald"}
        hits = client.get("/api/search", params={"q": "ports", "language": "fr"}).json()["items"]
        assert hits and {h["outlet"] for h in hits} == {"Le Quotidien"}
        assert client.get("/api/statements", params={"language": "<script>"}).status_code == 422
