"""Fuzz: random records, encodings and structures through every reader, a store ingest and `analyze`.

A seeded generator (no extra dependency), bounded in time. Asserts that no exception escapes, that every
input is either read or reported (each JSON line and CSV row: a document or a problem with its line;
each file: documents or a problem), and that the counts add up."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saidwhen.ingest import read_inputs
from saidwhen.model import document_id
from saidwhen.nlp import load_nlp
from saidwhen.pipeline import analyze
from saidwhen.problems import ProblemLog
from saidwhen.statements import NLP_DISABLE
from saidwhen.store import Store
from saidwhen.store_ingest import StoreIngest

# more seeds for a longer local run: SAIDWHEN_FUZZ_SEEDS=1-200
_RANGE = os.environ.get("SAIDWHEN_FUZZ_SEEDS", "1-3").split("-")
SEEDS = tuple(range(int(_RANGE[0]), int(_RANGE[-1]) + 1))
BUDGET_SECONDS = 3.0  # generation and reading per seed; the store ingest and analyze come on top

WORDS = ["the", "minister", "said", "harbour", "budget", "Maria", "Lindqvist", "told", "reporters", "on",
         "Monday", "\u201cWe", "will", "act,\u201d", "caf\u00e9", "\u00fcber", "\u041c\u043e\u0441\u043a\u0432\u0430",
         "\u2028", "\x1b[31m", "\u202e", "\ufffd", "\t", "'", '"', "\\", "<b>", "&amp;", "2024-02-30", "13:45"]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def article(rng: random.Random) -> str:
    name = rng.choice(["Maria Lindqvist", "Tomas Varga", "Ana Costa"])
    return (f"{words(rng, rng.randint(0, 12))} {name} said the {rng.choice(['port', 'bridge', 'tax'])} plan "
            f"{rng.randint(0, 99)} would pass. \u201c{words(rng, rng.randint(1, 8))},\u201d she said. "
            f"{words(rng, rng.randint(0, 20))}")


def value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(10)
    if kind == 0:
        return rng.randint(-10**6, 10**6)
    if kind == 1:
        return None
    if kind == 2 and depth < 3:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if kind == 3 and depth < 3:
        return {words(rng, 1): value(rng, depth + 1)}
    if kind == 4:
        return rng.random() * 1e300
    if kind == 5:
        return True
    return words(rng, rng.randint(0, 6))


def record(rng: random.Random) -> dict[str, Any]:
    rec: dict[str, Any] = {}
    if rng.random() < 0.85:
        rec[rng.choice(["text", "body", "Content", "TEXT"])] = article(rng) if rng.random() < 0.9 else value(rng)
    for name in rng.sample(["title", "url", "date", "source", "id", "lang", "extra", "published"], rng.randint(0, 5)):
        rec[name] = value(rng) if rng.random() < 0.3 else words(rng, rng.randint(1, 4))
    if rng.random() < 0.1:
        rec["id"] = rng.randint(0, 3)  # repeated ids within a file
    return rec


def hostile_line(rng: random.Random) -> str:
    choice = rng.randrange(7)
    if choice == 0:
        return '{"text": "x", "n": ' + "7" * rng.randint(4301, 6000) + "}"
    if choice == 1:
        depth = rng.randint(900, 3000)
        return "[" * depth + "]" * depth
    if choice == 2:
        return '{"text": "lone \\ud800 surrogate", "title": "\\udfff"}'
    if choice == 3:
        return json.dumps(record(rng))[: rng.randint(0, 40)]  # cut
    if choice == 4:
        return "".join(chr(rng.randint(1, 0x2FF)) for _ in range(rng.randint(0, 30)))
    if choice == 5:
        return ""
    return json.dumps(record(rng), ensure_ascii=rng.random() < 0.5)


def encode(rng: random.Random, text: str) -> bytes:
    choice = rng.randrange(8)
    if choice == 0:
        return text.encode("utf-16" if rng.random() < 0.5 else "utf-16-le", errors="replace")
    if choice == 1:
        return text.encode("cp1252", errors="replace")
    data = text.encode("utf-8", errors="replace")
    if choice == 2 and data:
        at = rng.randrange(len(data))
        return data[:at] + bytes([rng.choice([0x80, 0xFF, 0xC3, 0xFE])]) + data[at:]  # a stray byte
    if choice == 3 and data:
        return data[: rng.randrange(len(data))]  # truncated
    return data


def jsonl_file(rng: random.Random) -> tuple[str, str]:
    lines = [json.dumps(record(rng)) if rng.random() < 0.7 else hostile_line(rng) for _ in range(rng.randint(0, 12))]
    return "jsonl", "\n".join(lines) + ("\n" if rng.random() < 0.8 else "")


def json_file(rng: random.Random) -> tuple[str, str]:
    items = [record(rng) for _ in range(rng.randint(0, 5))]
    shape = rng.randrange(4)
    if shape == 0:
        return "json", json.dumps(items, indent=rng.choice([None, 1]))
    if shape == 1:
        return "json", json.dumps({"articles": items})
    if shape == 2:
        return "json", json.dumps(items[0] if items else {})
    return "json", "[" + ",".join([json.dumps(i) for i in items] + [hostile_line(rng)]) + "]"


def csv_file(rng: random.Random) -> tuple[str, str]:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=rng.choice([",", ";", "\t"]))
    header = rng.sample(["text", "title", "date", "source", "id", "url", "x"], rng.randint(1, 5))
    writer.writerow(header)
    for _ in range(rng.randint(0, 8)):
        writer.writerow([article(rng) if h == "text" and rng.random() < 0.9 else words(rng, rng.randint(0, 4))
                         for h in header][: rng.randint(0, len(header))])
    text = out.getvalue()
    if rng.random() < 0.2:
        text = text.replace('"', "", 1)  # an unbalanced quote
    return "csv", text


def txt_file(rng: random.Random) -> tuple[str, str]:
    return "txt", (f"date {rng.choice(['2024-03-05', '5 March 2024', 'soon'])}\n\n" if rng.random() < 0.5 else "") + \
        "\n\n".join(article(rng) for _ in range(rng.randint(0, 3)))


def html_file(rng: random.Random) -> tuple[str, str]:
    body = "".join(f"<p>{article(rng)}</p>" for _ in range(rng.randint(0, 3)))
    return "html", f"<html><head><title>{words(rng, 3)}</title></head><body><article>{body}</article></body>" \
        + ("</html>" if rng.random() < 0.7 else "")


def warc_bytes(rng: random.Random) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for i in range(rng.randint(1, 4)):
        html = f"<html><body><article><p>{article(rng)}</p></article></body></html>".encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"http://ex.org/{i}", "response", payload=io.BytesIO(html),
                                                      http_headers=headers))
    data = buf.getvalue()
    damage = rng.randrange(4)
    if damage == 0:
        data = data[: rng.randrange(len(data))]
    elif damage == 1:
        at = rng.randrange(len(data))
        data = data[:at] + b"\r\njunk \x1b[0m\r\n\r\n" + data[at:]
    return data


GENERATORS: list[Callable[[random.Random], tuple[str, str]]] = [jsonl_file, json_file, csv_file, txt_file, html_file]


def make_corpus(rng: random.Random, folder: Path, deadline: float) -> dict[Path, list[int]]:
    """Random files in `folder`; returns, for each JSON-lines file written as UTF-8, its non-blank lines."""
    lines_of: dict[Path, list[int]] = {}
    for n in range(rng.randint(8, 16)):
        if time.monotonic() > deadline:
            break
        numbers: list[int] | None = None
        if rng.random() < 0.1:
            name, data = f"f{n:02d}.warc", warc_bytes(rng)
        else:
            fmt, text = rng.choice(GENERATORS)(rng)
            name = f"f{n:02d}.{fmt}"
            data = encode(rng, text)
            if fmt == "jsonl" and data == text.encode("utf-8"):
                numbers = [i for i, line in enumerate(text.split("\n"), 1) if line.strip()]
        if rng.random() < 0.2:
            name += ".gz"
            data = gzip.compress(data)
            if rng.random() < 0.3:
                data = data[: rng.randrange(len(data) + 1)]  # truncated gzip
        (folder / name).write_bytes(data)
        if numbers is not None:
            lines_of[folder / name] = numbers
    return lines_of


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp(disable=NLP_DISABLE)


@pytest.mark.parametrize("seed", SEEDS)
def test_fuzzed_inputs_are_read_or_reported(tmp_path: Path, seed: int, nlp: Any) -> None:
    rng = random.Random(seed)
    folder = tmp_path / "in"
    folder.mkdir()
    lines_of = make_corpus(rng, folder, time.monotonic() + BUDGET_SECONDS)

    problems = ProblemLog()
    docs = list(read_inputs([str(folder)], problems))  # no exception escapes
    for path in folder.iterdir():
        mine = [d for d in docs if d.source_path == str(path)]
        reported = [p for p in problems.problems + problems.notes if p.path == str(path)]
        assert mine or reported, f"{path.name}: neither read nor reported"
    for path, numbers in lines_of.items():
        whole_file = any(p.path == str(path) and p.line is None for p in problems.problems)
        if whole_file:
            continue
        read_lines = {d.line for d in docs if d.source_path == str(path)}
        reported = {p.line for p in problems.problems if p.path == str(path)}
        cut = min((p.line for p in problems.problems if p.path == str(path) and p.line is not None
                   and p.reason.startswith(("truncated", "too many"))), default=None)
        for number in numbers:
            if cut is not None and number >= cut:
                break
            assert number in read_lines | reported, f"{path.name}:{number}: neither read nor reported"
    assert all("\n" not in str(p) and "\x1b" not in str(p) for p in problems.problems + problems.notes)

    db = tmp_path / "s.db"
    store = Store(db)
    try:
        runner = StoreIngest(store, nlp=nlp, batch_size=4)
        report = runner.run([str(folder)])
    finally:
        store.close()
    assert report.read == len(docs)
    assert report.read == report.added + report.updated + report.unchanged + report.failed
    stored = sqlite3.connect(db).execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    distinct = len({document_id(d.text, d.outlet) for d in docs})
    assert stored == distinct - report.failed

    result = analyze([str(folder)], ProblemLog(), nlp=nlp)
    failed = [p for p in result.problems.problems if p.reason.startswith("could not process")]
    assert len(result.documents) + len(failed) == distinct
    assert {s.document_id for s in result.statements} <= {d.id for d in result.documents}
