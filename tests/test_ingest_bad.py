"""Ingest: bad input is reported with file and line and never aborts the run."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from saidwhen.ingest import read_inputs
from saidwhen.model import RawDocument
from saidwhen.problems import ProblemLog


def read(*paths: str | Path, max_bytes: int = 50_000_000) -> tuple[list[RawDocument], ProblemLog]:
    problems = ProblemLog()
    docs = list(read_inputs([str(p) for p in paths], problems, max_bytes=max_bytes))
    return docs, problems


def reasons(problems: ProblemLog) -> list[tuple[str, int | None, str]]:
    """(file name, line, reason category) for each problem."""
    return [(Path(p.path).name, p.line, p.reason.split(":")[0]) for p in problems.problems]


def test_bad_files_are_problems_and_good_ones_still_come_through(tmp_path: Path) -> None:
    (tmp_path / "01-empty.txt").write_bytes(b"")
    (tmp_path / "02-blank.txt").write_bytes(b"  \n\n\t\n")
    (tmp_path / "03-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "04-noise.txt").write_bytes(bytes(range(0x80, 0x100)) * 20)
    (tmp_path / "05-controls.txt").write_bytes(bytes(range(1, 9)) * 50)
    (tmp_path / "06-header-only.txt").write_text("date 2023-01-01\n\n")
    (tmp_path / "07-binary.jsonl").write_bytes(b'{"text": "x"}\n\x00\x01\x02\n')
    (tmp_path / "08-empty.jsonl").write_text("\n\n")
    (tmp_path / "09-empty.csv").write_bytes(b"")
    (tmp_path / "10-doc.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "11-good.txt").write_text("The one good article.\n")
    docs, problems = read(tmp_path, tmp_path / "missing.txt")
    assert [d.text for d in docs] == ["The one good article.\n"]
    assert reasons(problems) == [
        ("01-empty.txt", None, "empty file"),
        ("02-blank.txt", None, "empty file"),
        ("03-binary.txt", None, "binary file"),
        ("04-noise.txt", None, "undecodable bytes"),
        ("05-controls.txt", None, "binary file"),
        ("06-header-only.txt", None, "no text"),
        ("07-binary.jsonl", None, "binary file"),
        ("08-empty.jsonl", None, "empty file"),
        ("09-empty.csv", None, "empty file"),
        ("10-doc.pdf", None, "unsupported format"),
        ("missing.txt", None, "not found"),
    ]
    assert all(len(str(p).splitlines()) == 1 for p in problems.problems)  # one-line messages


def test_too_large_single_documents(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 400)
    big_gz = tmp_path / "big.html.gz"
    big_gz.write_bytes(gzip.compress(b"<p>" + b"word " * 400 + b"</p>"))  # small on disk, large inflated
    ok = tmp_path / "ok.txt"
    ok.write_text("Small enough.\n")
    docs, problems = read(big, big_gz, ok, max_bytes=1000)
    assert [d.text for d in docs] == ["Small enough.\n"]
    assert reasons(problems) == [("big.txt", None, "too large"), ("big.html.gz", None, "too large")]
    assert "2,000 bytes" in problems.problems[0].reason


def test_streamed_formats_have_no_file_size_limit_but_bounded_lines(tmp_path: Path) -> None:
    f = tmp_path / "many.jsonl"
    f.write_text(
        "".join(f'{{"text": "record {i}"}}\n' for i in range(100)) + '{"text": "' + "x" * 5000 + '"}\n'
    )
    docs, problems = read(f, max_bytes=1000)  # the file is far larger than max_bytes
    assert len(docs) == 100 and docs[-1].text == "record 99"
    assert reasons(problems) == [("many.jsonl", 101, "too large")]


def test_csv_oversized_field_is_a_problem(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text('text\nshort\n"' + ("y" * 99 + "\n") * 1500 + '"\n')  # an unclosed quote: 150 kB
    docs, problems = read(f, max_bytes=1000)
    assert docs[0].text == "short"
    assert reasons(problems)[0][:2] == ("a.csv", 3)
    assert problems.problems[0].reason.startswith("malformed CSV: field larger than field limit")


def test_undecodable_jsonl_lines_are_decoded_by_guess(tmp_path: Path) -> None:
    f = tmp_path / "latin.jsonl"
    f.write_bytes('{"text": "déclaré"}\n'.encode("latin-1") + '{"text": "ünïcode"}\n'.encode())
    docs, problems = read(f)
    assert [d.text for d in docs] == ["déclaré", "ünïcode"]
    assert len(problems) == 0


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs file permissions")
def test_unreadable_file(tmp_path: Path) -> None:
    f = tmp_path / "secret.txt"
    f.write_text("Private.\n")
    f.chmod(0)
    try:
        docs, problems = read(f)
    finally:
        f.chmod(0o600)
    assert docs == []
    assert reasons(problems) == [("secret.txt", None, "unreadable")]


def test_truncated_gzip(tmp_path: Path) -> None:
    f = tmp_path / "cut.jsonl.gz"
    data = gzip.compress(b"".join(b'{"text": "line %d"}\n' % i for i in range(2000)))
    f.write_bytes(data[: len(data) // 2])
    docs, problems = read(f)
    assert 0 < len(docs) < 2000
    assert reasons(problems) == [("cut.jsonl.gz", len(docs) + 1, "truncated file")]  # the cut line


def test_problem_log_counts_by_reason(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text('{\n{\n{"text": "fine"}\n')
    _, problems = read(f)
    assert problems.counts["malformed JSON"] == 2
