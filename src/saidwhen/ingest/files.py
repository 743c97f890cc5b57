"""Finding input files, opening them (gzip by stream), reading within limits and decoding bytes."""

from __future__ import annotations

import codecs
import gzip
import os
import re
import zlib
from collections.abc import Iterator
from typing import BinaryIO, cast

import charset_normalizer

from saidwhen.problems import ProblemLog

SAMPLE_BYTES = 65_536  # bytes looked at to guess an encoding or spot a binary file
_COPY_CHUNK = 1 << 20

# extension (without .gz) -> format name understood by saidwhen.ingest
FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
}

STREAM_ERRORS = (OSError, EOFError, zlib.error)  # what reading a (gzipped) file may raise


class InputError(Exception):
    """A whole input (or one record of it) cannot be used; the message is the problem reason."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.line = line


def format_of(path: str) -> tuple[str | None, bool]:
    """(format, gzipped) from the file name; format is None for an unknown extension."""
    name = os.path.basename(path).lower()
    gzipped = name.endswith(".gz")
    if gzipped:
        name = name[:-3]
    return FORMATS.get(os.path.splitext(name)[1]), gzipped


def walk(path: str, problems: ProblemLog) -> Iterator[str]:
    """The files named by `path`: the file itself, or every non-hidden file below a folder: a folder's
    files sorted by name, then its subfolders in name order (like a sorted `os.walk`)."""
    if not os.path.isdir(path):
        if os.path.exists(path):
            yield path
        else:
            problems.add(path, "not found: no such file or directory")
        return
    try:
        with os.scandir(path) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as e:
        problems.add(path, _os_reason(e))
        return
    yield from (e.path for e in entries if e.is_file())  # symlinked files too, not symlinked folders
    for folder in (e for e in entries if e.is_dir(follow_symlinks=False)):
        yield from walk(folder.path, problems)


def _os_reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "unreadable: permission denied"
    if isinstance(error, IsADirectoryError):
        return "unreadable: is a directory"
    if isinstance(error, FileNotFoundError):
        return "not found: no such file or directory"
    return f"unreadable: {one_line(error.strerror or error)}"


def one_line(message: object, limit: int = 200) -> str:
    """An error message folded to one line of at most `limit` characters."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_error(error: BaseException) -> str:
    """A one-line problem reason for an error raised while reading a file."""
    if isinstance(error, InputError):
        return one_line(error, 300)
    if isinstance(error, (gzip.BadGzipFile, zlib.error)):
        return f"corrupt gzip data: {one_line(error)}"
    if isinstance(error, EOFError):
        return "truncated file: compressed data ended early"
    if isinstance(error, OSError):
        return _os_reason(error)
    return f"could not read: {type(error).__name__}: {one_line(error)}"


def open_binary(path: str, gzipped: bool) -> BinaryIO:
    """The file's bytes as a buffered stream, decompressed on the fly when gzipped."""
    if gzipped:
        return cast(BinaryIO, gzip.open(path, "rb"))
    return open(path, "rb", buffering=SAMPLE_BYTES)  # noqa: SIM115 - the caller closes it


def read_limited(path: str, gzipped: bool, max_bytes: int) -> bytes:
    """The whole (decompressed) file, refusing anything over `max_bytes` without reading it all."""
    if not gzipped:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise InputError(f"too large: {size:,} bytes, over the {max_bytes:,}-byte limit for one document")
    with open_binary(path, gzipped) as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"too large: over the {max_bytes:,}-byte limit for one document (decompressed)")
    return data


# --- decoding ------------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
_WESTERN = {"cp1252", "latin_1", "iso8859_15"}


def bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def guess_encoding(sample: bytes) -> str | None:
    """Best guess for non-UTF-8 bytes; prefers cp1252 among equally plausible single-byte guesses."""
    results = charset_normalizer.from_bytes(sample)
    best = results.best()
    if best is None:
        return None
    for match in results:
        if match.chaos <= best.chaos + 0.01 and _WESTERN & set(match.could_be_from_charset):
            return "cp1252"
    return best.encoding


def decode_bytes(data: bytes, hint: str | None = None) -> tuple[str, str]:
    """(text, encoding) for a document's bytes; raises InputError for binary or undecodable data.

    Order: BOM, strict UTF-8 (then mojibake repair), the declared `hint` charset, charset detection.
    """
    encoding = bom_encoding(data)
    if encoding is None and b"\x00" in data:
        raise InputError("binary file: contains NUL bytes")
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise InputError(f"undecodable bytes: invalid {encoding} at byte {e.start}") from None
    else:
        text, encoding = _decode_unmarked(data, hint)
    if len(_CONTROL.findall(text, 0, SAMPLE_BYTES)) > max(8, min(len(text), SAMPLE_BYTES) // 20):
        raise InputError("binary file: mostly control characters, not text")
    return text, encoding


def _decode_unmarked(data: bytes, hint: str | None) -> tuple[str, str]:
    try:
        return fix_mojibake(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    if hint:
        try:
            return data.decode(hint), codecs.lookup(hint).name
        except (LookupError, UnicodeDecodeError):
            pass
    encoding = guess_encoding(data[: SAMPLE_BYTES * 4])
    if encoding is None:
        raise InputError("undecodable bytes: not UTF-8 and no plausible text encoding")
    return data.decode(encoding, errors="replace"), encoding


def _char_for_byte(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        return chr(b)  # bytes cp1252 leaves undefined come through as latin-1 control characters


_TO_BYTE = {_char_for_byte(b): b for b in range(0x80, 0x100)} | {chr(b): b for b in range(0x80, 0xA0)}
_CONT = "".join(re.escape(c) for c, b in _TO_BYTE.items() if b < 0xC0)
_MOJIBAKE = re.compile(
    f"[\u00c2-\u00df][{_CONT}]|[\u00e0-\u00ef][{_CONT}]{{2}}|[\u00f0-\u00f4][{_CONT}]{{3}}"
)


def _unmojibake(match: re.Match[str]) -> str:
    try:
        return bytes(_TO_BYTE[c] for c in match.group()).decode("utf-8")
    except UnicodeDecodeError:
        return match.group()


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as cp1252/latin-1 once ("cafÃ©" -> "café", "â€œ" -> "“")."""
    return _MOJIBAKE.sub(_unmojibake, text)


class LineDecoder:
    """Decodes the byte lines of one streamed file: UTF-8, else the encoding guessed from a sample."""

    def __init__(self, sample: bytes) -> None:
        self.sample = sample
        self.fallback: str | None = None

    def decode(self, line: bytes) -> str:
        try:
            return fix_mojibake(line.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        if self.fallback is None:
            self.fallback = guess_encoding(self.sample) or "cp1252"
            if self.fallback.startswith("utf"):
                self.fallback = "cp1252"
        return line.decode(self.fallback, errors="replace")


def iter_lines(stream: BinaryIO, path: str, problems: ProblemLog, max_line: int) -> Iterator[tuple[int, str]]:
    """(1-based line number, decoded line) for a byte stream, bounded in memory.

    A line longer than `max_line` bytes is skipped with a problem. Raises InputError for a binary
    stream or one in UTF-16/32 (detected from the first bytes).
    """
    peek = getattr(stream, "peek", None)
    sample = peek(SAMPLE_BYTES)[:SAMPLE_BYTES] if peek else b""
    encoding = bom_encoding(sample)
    if encoding in ("utf-16", "utf-32"):
        raise InputError(f"unsupported encoding: {encoding} records (convert the file to UTF-8)")
    if b"\x00" in sample:
        raise InputError("binary file: contains NUL bytes")
    decoder = LineDecoder(sample)
    number = 0
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        number += 1
        if len(line) > max_line and not line.endswith(b"\n"):
            problems.add(path, f"too large: line longer than {max_line:,} bytes", number)
            while line and not line.endswith(b"\n"):
                line = stream.readline(_COPY_CHUNK)
            continue
        text = decoder.decode(line)
        if number == 1:
            text = text.removeprefix("\ufeff")
        yield number, text
