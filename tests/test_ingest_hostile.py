"""Issue 18, ingest side: decompression bombs, FIFOs, stray bytes, UTF-16 without BOM, nonexistent
inputs, and file names with control characters."""

from __future__ import annotations

import gzip
import json
import os
import threading
from pathlib import Path

import pytest

from saidwhen.ingest import files, read_inputs
from saidwhen.model import RawDocument
from saidwhen.problems import ProblemLog


def read(*paths: str | Path) -> tuple[list[RawDocument], ProblemLog]:
    problems = ProblemLog()
    return list(read_inputs([str(p) for p in paths], problems)), problems


def test_gzip_of_blank_lines_stops_with_a_problem_and_keeps_what_came_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MAX_EMPTY_LINES", 1_000)
    f = tmp_path / "bomb.csv.gz"
    f.write_bytes(gzip.compress(b"text\nfirst\nsecond\n" + b"\n" * 200_000 + b"late\n"))
    docs, problems = read(f)
    assert [d.text for d in docs] == ["first", "second"]
    assert [(p.line, p.reason.split(":")[0]) for p in problems.problems] == [(1_004, "too many empty lines")]


def test_gzip_beyond_the_decompression_ratio_is_cut_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "MIN_DECOMPRESSED_CAP", 50_000)
    f = tmp_path / "bomb.jsonl.gz"
    record = json.dumps({"text": "A " * 50 + "record."}) + "\n"
    f.write_bytes(gzip.compress(record.encode() * 20_000))  # ~2 MB from a few kilobytes
    docs, problems = read(f)
    assert 100 < len(docs) < 20_000
    assert len(problems.problems) == 1 and problems.problems[0].reason.startswith("too large: over")
    assert problems.problems[0].line == len(docs) + 1


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    (tmp_path / "good.txt").write_text("A good article.\n")
    result: list[tuple[list[RawDocument], ProblemLog]] = []
    thread = threading.Thread(target=lambda: result.append(read(fifo, tmp_path)), daemon=True)
    thread.start()
    thread.join(10)
    assert result, "reading a FIFO blocked"
    docs, problems = result[0]
    assert [d.text for d in docs] == ["A good article.\n"]
    assert [p.reason.split(":")[0] for p in problems.problems] == ["not a regular file"] * 2  # given, and in the folder


def test_one_stray_byte_in_utf8_is_replaced_and_noted(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes("Zürich’s mayor said the café would reopen.\n".encode() + b"Stray \xff byte.\n")
    g = tmp_path / "b.jsonl"
    g.write_bytes(b'{"text": "M\xc3\xbcnchen and a stray \xfe byte"}\n')
    docs, problems = read(f, g)
    assert docs[0].text.startswith("Zürich’s mayor") and "Stray \ufffd byte." in docs[0].text
    assert docs[1].text == "München and a stray \ufffd byte"
    assert not problems.problems
    assert [(Path(p.path).name, p.line, p.reason.split(":")[0]) for p in problems.notes] == [
        ("a.txt", None, "invalid UTF-8"), ("b.jsonl", 1, "invalid UTF-8")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, codec: str) -> None:
    (tmp_path / "a.txt").write_bytes("The mayor said the bridge will open in May.\n".encode(codec))
    (tmp_path / "b.jsonl").write_bytes(('{"text": "Één record"}\n{"text": "two"}\n').encode(codec))
    docs, problems = read(tmp_path)
    assert not problems.problems
    assert [d.text for d in docs] == ["The mayor said the bridge will open in May.\n", "Één record", "two"]


def test_control_characters_in_names_are_escaped(tmp_path: Path) -> None:
    name = tmp_path / "evil\x1b[31m\nsaidwhen: fake line.pdf"
    name.write_bytes(b"x")
    _, problems = read(tmp_path)
    line = str(problems.problems[0])
    assert "\x1b" not in line and "\n" not in line and "\\x1b[31m\\x0a" in line


def test_a_nonexistent_input_creates_no_store(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    from typer.testing import CliRunner

    from saidwhen.cli import app

    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "missing\x1b.jsonl"), "--db", str(db)])
    assert result.exit_code == 1
    assert not db.exists() and not Path(str(db) + ".lock").exists()
    err = capfd.readouterr().err + result.output
    assert "not found" in err and "\x1b" not in err


# --- defect 11: WARC damage is reported with the record number -------------------------------------


def _warc(n: int, gz: bool = False) -> bytes:
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for i in range(n):
        html = (f"<html><head><title>T{i}</title></head><body><article><p>Article number {i}. The mayor said the "
                f"bridge {i} opens in May, and the council agreed on the budget for the harbour.</p></article>"
                "</body></html>").encode()
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.0")
        writer.write_record(writer.create_warc_record(f"http://ex.org/{i}", "response", payload=io.BytesIO(html),
                                                      http_headers=headers))
    return buf.getvalue()


def test_warc_damage_is_reported_by_record(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    import re

    data = _warc(4)
    parts = data.split(b"WARC/1.0\r\n")  # ['', record 1, ..., record 4]
    (tmp_path / "a-truncated.warc").write_bytes(data[:-200])
    gz = _warc(4, gz=True)
    (tmp_path / "b-truncated.warc.gz").write_bytes(gz[:-100])
    length = re.search(rb"Content-Length: (\d+)", parts[2])
    assert length is not None
    inflated = parts[2].replace(length.group(0), b"Content-Length: %d" % (int(length.group(1)) + 300))
    (tmp_path / "c-inflated.warc").write_bytes(b"WARC/1.0\r\n".join([*parts[:2], inflated, *parts[3:]]))
    junk = b"WARC/1.0\r\n".join(parts[:3]) + b"\x1b[31mJUNK\r\n\r\nWARC/1.0\r\n" + b"WARC/1.0\r\n".join(parts[3:])
    (tmp_path / "d-junk.warc").write_bytes(junk)
    docs, problems = read(tmp_path)
    got: dict[str, list[int | None]] = {}
    for d in docs:
        got.setdefault(Path(d.source_path).name, []).append(d.line)
    assert got == {"a-truncated.warc": [1, 2, 3], "b-truncated.warc.gz": [1, 2, 3], "c-inflated.warc": [1, 2, 4],
                   "d-junk.warc": [1, 2, 4, 5]}
    assert [(Path(p.path).name, p.line, p.reason.split(":")[0]) for p in problems.problems] == [
        ("a-truncated.warc", 4, "truncated WARC record"),
        ("b-truncated.warc.gz", 4, "truncated file"),
        ("c-inflated.warc", 3, "damaged WARC record"),
        ("d-junk.warc", 3, "damaged WARC record"),
    ]
    assert [(Path(p.path).name, p.line) for p in problems.notes] == [("c-inflated.warc", 2)]  # it swallowed 3
    assert "\x1b" not in str(problems.problems[-1])
    assert capfd.readouterr().err == ""  # nothing raw on the terminal
