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


def read_warc(stream: BinaryIO, path: str, problems: ProblemLog, max_bytes: int) -> Iterator[RawDocument]:
    """One document per HTML response (or resource) record, keyed `path#<WARC-Record-ID>`.

    Other records (requests, metadata, images, redirects) are skipped silently; `line` is the
    1-based record number. `stream` may be the raw file or an already decompressed .warc.gz (which
    then reads alike whether it was gzipped per record or as a whole).
    """
    _check_start(stream)
    number = 0
    try:
        for number, record in enumerate(ArchiveIterator(stream), 1):
            if record.rec_type not in ("response", "resource"):
                continue
            content_type = _content_type(record)
            if not content_type.lower().startswith(_HTML_TYPES):
                continue
            if record.rec_type == "response" and record.http_headers is not None:
                status = record.http_headers.get_statuscode() or ""
                if not status.startswith("2"):
                    continue
            record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
            key = f"{path}#{record_id or number}"
            data = record.content_stream().read(max_bytes + 1)
            if len(data) > max_bytes:
                problems.add(path, f"too large: WARC record over the {max_bytes:,}-byte limit", number)
                continue
            try:
                text, _ = decode_bytes(
                    data,
                    _charset(content_type) or declared_charset(data),
                    lambda reason, n=number: problems.note(path, reason, n),
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
                continue
            crawled = record.rec_headers.get_header("WARC-Date")
            if crawled:
                doc.meta["crawled"] = crawled
            yield doc
    except ArchiveLoadFailed as e:
        raise InputError(f"not a WARC file: {one_line(e)}", number + 1 if number else None) from None
    except STREAM_ERRORS as e:
        raise InputError(describe_error(e), number + 1) from None
    if number == 0:
        raise InputError("empty file: no WARC records")
