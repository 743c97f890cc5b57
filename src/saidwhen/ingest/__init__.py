"""Ingest: read article collections (files, folders, stdin) into RawDocuments.

Formats by extension, each optionally gzipped (`.gz`): `.txt`, `.jsonl`, `.json`, `.csv`/`.tsv`,
`.html`/`.htm`, `.warc`. Bad input never raises: it is reported to the ProblemLog (file, line, reason)
and reading goes on with the next record or file. Record formats and WARC are streamed; single-document
formats (`.txt`, `.html`, one JSON object) are refused beyond `max_bytes`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator

from saidwhen.ingest.files import (
    InputError,
    decode_bytes,
    describe_error,
    format_of,
    iter_lines,
    open_binary,
    read_limited,
    walk,
)
from saidwhen.ingest.html import declared_charset, parse_html
from saidwhen.ingest.records import read_csv, read_json, read_jsonl
from saidwhen.ingest.text import parse_text
from saidwhen.ingest.warc import read_warc
from saidwhen.model import RawDocument
from saidwhen.problems import ProblemLog

__all__ = ["read_inputs"]

_SUPPORTED = ".txt, .jsonl, .json, .csv, .tsv, .html, .htm, .warc (optionally .gz)"


def read_inputs(
    paths: Iterable[str],
    problems: ProblemLog,
    *,
    max_bytes: int = 50_000_000,
    on_complete: Callable[[str], None] | None = None,
) -> Iterator[RawDocument]:
    """Every article in `paths` (files, folders read recursively and sorted, `-` for JSON lines on
    stdin), in order. Problems go to `problems`; nothing here raises for bad input. `on_complete(path)`
    is called for each input read to its end (bad records skipped, but not cut short), after its last
    document."""
    for path in map(os.fspath, paths):
        if path == "-":
            yield from _guarded("-", _read_stdin(problems, max_bytes), problems, on_complete)
            continue
        for file in walk(path, problems):
            yield from _guarded(file, _read_file(file, problems, max_bytes), problems, on_complete)


def _guarded(
    path: str, documents: Iterator[RawDocument], problems: ProblemLog, on_complete: Callable[[str], None] | None
) -> Iterator[RawDocument]:
    """Documents of one input until it fails; the failure becomes a problem, never an exception. An input
    that gives nothing and says nothing (`[]`, `{"articles": []}`) is reported too."""
    said, read = problems.total + problems.noted, 0
    try:
        for doc in documents:
            read += 1
            yield doc
        if not read and problems.total + problems.noted == said:
            problems.add(path, "empty file: no records")
    except InputError as e:
        problems.add(path, str(e), e.line)
        return
    except Exception as e:  # a broken input must not abort the run
        problems.add(path, describe_error(e))
        return
    if on_complete is not None:
        on_complete(path)


def _read_stdin(problems: ProblemLog, max_bytes: int) -> Iterator[RawDocument]:
    stream = getattr(sys.stdin, "buffer", None)
    # a text stream without bytes underneath (tests, embedding) is read as it is
    lines = iter_lines(stream, "-", problems, max_bytes) if stream is not None else enumerate(sys.stdin, 1)
    yield from read_jsonl(lines, "-", problems, max_bytes)


def _read_file(path: str, problems: ProblemLog, max_bytes: int) -> Iterator[RawDocument]:
    fmt, gzipped = format_of(path)
    if fmt is None:
        ext = os.path.splitext(path)[1] or "no extension"
        problems.add(path, f"unsupported format: {ext} (expected {_SUPPORTED})")
        return
    if os.path.isfile(path) and os.path.getsize(path) == 0:
        raise InputError("empty file")
    if fmt in ("txt", "html"):
        data = read_limited(path, gzipped, max_bytes)
        if not data.strip():
            raise InputError("empty file: only whitespace")
        text, encoding = decode_bytes(
            data, declared_charset(data) if fmt == "html" else None, lambda reason: problems.note(path, reason)
        )
        doc = parse_text(text, path) if fmt == "txt" else parse_html(text, path, path)
        if encoding not in ("utf-8", "utf-8-sig"):
            doc.meta["encoding"] = encoding
        yield doc
        return
    if fmt == "warc":
        # decompressing here also reads a .warc.gz gzipped as a whole, which warcio refuses
        with open_binary(path, gzipped) as stream:
            yield from read_warc(stream, path, problems, max_bytes)
        return
    with open_binary(path, gzipped) as stream:
        lines = iter_lines(stream, path, problems, max_bytes)
        if fmt == "jsonl":
            yield from read_jsonl(lines, path, problems, max_bytes)
        elif fmt == "json":
            yield from read_json(lines, path, problems, max_bytes)
        else:
            yield from read_csv(lines, path, problems, max_bytes, "\t" if fmt == "tsv" else None)
