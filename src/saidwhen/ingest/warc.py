"""Web archives: HTML responses of a WARC file, streamed record by record, extracted like HTML."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from saidwhen.ingest.files import STREAM_ERRORS, InputError, decode_bytes, describe_error, one_line
from saidwhen.ingest.html import declared_charset, parse_html
from saidwhen.model import RawDocument
from saidwhen.problems import ProblemLog

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _content_type(record: ArcWarcRecord) -> str:
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    return (headers.get_header("Content-Type") or "") if headers is not None else ""


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _check_start(stream: BinaryIO) -> None:
    """Refuse a file that does not start like a WARC (or ARC) record, plain or gzipped."""
    peek = getattr(stream, "peek", None)
    head = peek(4096) if peek else b""
    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            raise InputError("corrupt gzip data: not a gzipped WARC file") from None
    if head and not head.lstrip().startswith((b"WARC/", b"filedesc://")):
        raise InputError("not a WARC file: it does not start with a WARC/ record header")


class _QuietIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator without its raw stderr warning for a record whose Content-Length is off (the
    junk it would print reaches the terminal unescaped); `err_count` still counts them, and is reported."""

    INC_RECORD = ""


class _Resumed:
    """A byte stream: `head`, then the rest of `stream` (to restart reading after damage)."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0 or size >= len(self.head):
                out, self.head = self.head, b""
                return out + (self.stream.read(size - len(out)) if size > len(out) else b"" if size >= 0
                              else self.stream.read())
            out, self.head = self.head[:size], self.head[size:]
            return out
        return self.stream.read(size)

    def readline(self, size: int = -1) -> bytes:
        if self.head:
            end = self.head.find(b"\n") + 1 or len(self.head)
            out, self.head = self.head[:end], self.head[end:]
            if out.endswith(b"\n") or self.head:
                return out
            return out + self.stream.readline()
        return self.stream.readline(size)


_NEXT_RECORD = b"WARC/1."


def _next_record(iterator: ArchiveIterator, stream: BinaryIO | _Resumed) -> _Resumed | None:
    """The stream from the next WARC record header after damage (None at the end): what warcio had
    buffered, then the rest, searched for a line starting a record."""
    reader = getattr(iterator, "reader", None)
    buff = getattr(reader, "buff", None)
    pending = buff.read() if buff is not None else b""
    while True:
        at = pending.find(b"\n" + _NEXT_RECORD)
        if at >= 0:
            return _Resumed(pending[at + 1 :], stream)  # type: ignore[arg-type]
        chunk = stream.read(1 << 20)
        if not chunk:
            return None
        pending = pending[-8:] + chunk


def _note_overrun(iterator: _QuietIterator, path: str, number: int, problems: ProblemLog) -> None:
    """warcio counts a record not followed by a blank line when it moves past it: say which."""
    if iterator.err_count > getattr(iterator, "reported", 0):
        iterator.reported = iterator.err_count
        problems.note(path, "damaged WARC record: its Content-Length does not end at a record boundary "
                      "(it may hold part of the next record)", number)


def read_warc(stream: BinaryIO, path: str, problems: ProblemLog, max_bytes: int) -> Iterator[RawDocument]:
    """One document per HTML response (or resource) record, keyed `path#<WARC-Record-ID>`.

    Other records (requests, metadata, images, redirects) are skipped silently; `line` is the
    1-based record number. `stream` may be the raw file or an already decompressed .warc.gz (which
    then reads alike whether it was gzipped per record or as a whole). Damage is reported with the
    record number: a truncated record, a Content-Length that runs into the next record, junk between
    records (reading resumes at the next record header).
    """
    _check_start(stream)
    number = at = 0
    source: BinaryIO | _Resumed = stream
    while True:
        iterator = _QuietIterator(source)
        try:
            for record in iterator:
                _note_overrun(iterator, path, number, problems)
                number += 1
                at = number  # a failure from here on is this record's
                doc = _document(record, path, number, problems, max_bytes)
                if doc is not None:
                    yield doc
                at = number + 1
            _note_overrun(iterator, path, number, problems)
            return
        except ArchiveLoadFailed as e:
            _note_overrun(iterator, path, number, problems)
            number += 1
            problems.add(path, f"damaged WARC record: {one_line(e)}; skipped to the next record header", number)
            resumed = _next_record(iterator, source)  # type: ignore[arg-type]
            if resumed is None:
                return
            source = resumed
        except InputError as e:
            raise InputError(str(e), at) from None
        except STREAM_ERRORS as e:
            raise InputError(describe_error(e), at) from None
        finally:
            if number == 0 and source is stream:
                raise InputError("empty file: no WARC records")


def _document(record: ArcWarcRecord, path: str, number: int, problems: ProblemLog,
              max_bytes: int) -> RawDocument | None:
    """The document of one WARC record, None for other records (or a problem)."""
    if record.rec_type not in ("response", "resource"):
        return None
    content_type = _content_type(record)
    if not content_type.lower().startswith(_HTML_TYPES):
        return None
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
    record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
    key = f"{path}#{record_id or number}"
    data = record.content_stream().read(max_bytes + 1)
    if len(data) > max_bytes:
        problems.add(path, f"too large: WARC record over the {max_bytes:,}-byte limit", number)
        return None
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:
        problems.add(path, f"truncated WARC record: {missing:,} byte(s) of its content are missing", number)
        return None
    try:
        text, _ = decode_bytes(
            data,
            _charset(content_type) or declared_charset(data),
            lambda reason: problems.note(path, reason, number),
        )
        doc = parse_html(
            text,
            path,
            key,
            url=record.rec_headers.get_header("WARC-Target-URI"),
            line=number,
            fmt="warc",
        )
    except InputError as e:
        problems.add(path, str(e), number)
        return None
    crawled = record.rec_headers.get_header("WARC-Date")
    if crawled:
        doc.meta["crawled"] = crawled
    return doc
