"""Finding input files, opening them (gzip by stream), reading within limits and decoding bytes."""

from __future__ import annotations

import codecs
import contextlib
import gzip
import io
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterator
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

# Decompression bombs: a gzipped stream may grow to MAX_RATIO times its compressed size (at least
# MIN_DECOMPRESSED_CAP, at most MAX_DECOMPRESSED bytes); a streamed file may hold MAX_EMPTY_LINES blank
# lines. Beyond that the rest of the file is skipped, and reported.
MAX_RATIO = 100
MIN_DECOMPRESSED_CAP = 16_000_000
MAX_DECOMPRESSED = 2_000_000_000
MAX_EMPTY_LINES = 100_000


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
        try:
            mode = os.stat(path).st_mode
        except OSError as e:
            problems.add(path, _os_reason(e))
            return
        if stat.S_ISREG(mode):
            yield path
        else:  # a FIFO would block the run forever, a device never end
            problems.add(path, "not a regular file: a FIFO, device or socket is not read")
        return
    try:
        with os.scandir(path) as scan:
            entries = sorted((e for e in scan if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as e:
        problems.add(path, _os_reason(e))
        return
    for entry in entries:  # symlinked files too, not symlinked folders
        if entry.is_file():
            yield entry.path
        elif not entry.is_dir():
            yield from walk(entry.path, problems)  # reports what it is (broken link, FIFO, ...)
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


class _Capped(io.RawIOBase):
    """A decompressing stream that raises InputError once it has given `limit` bytes."""

    def __init__(self, inner: BinaryIO, limit: int, compressed: int) -> None:
        self.inner, self.limit, self.compressed, self.given = inner, limit, compressed, 0
        self.error: str | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.error is not None:
            raise InputError(self.error)
        if self.given >= self.limit:
            raise InputError(
                f"too large: over {self.limit:,} bytes decompressed from {self.compressed:,} (a ratio over "
                f"{MAX_RATIO} or over {MAX_DECOMPRESSED:,} bytes); the rest of the file is skipped"
            )
        # read1: what one decompression step gives, so a truncated file yields its lines up to the cut
        try:
            data = self.inner.read1(min(len(buffer), self.limit - self.given + 1, _COPY_CHUNK))  # type: ignore[attr-defined]
        except STREAM_ERRORS as e:
            # an end for this read, so the buffered data before the damage is used; the next read raises
            self.error = describe_error(e)
            return 0
        n = len(data)
        memoryview(buffer)[:n] = data
        self.given += n
        return n

    def close(self) -> None:
        self.inner.close()
        super().close()


def decompressed_cap(compressed: int) -> int:
    return min(MAX_DECOMPRESSED, max(MIN_DECOMPRESSED_CAP, MAX_RATIO * compressed))


def open_binary(path: str, gzipped: bool) -> BinaryIO:
    """The file's bytes as a buffered stream, decompressed on the fly (and capped) when gzipped."""
    if gzipped:
        compressed = os.path.getsize(path)
        inner = cast(BinaryIO, gzip.open(path, "rb"))  # noqa: SIM115 - closed with the returned stream
        return cast(BinaryIO, io.BufferedReader(_Capped(inner, decompressed_cap(compressed), compressed),
                                                SAMPLE_BYTES))
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


def utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the bytes look like UTF-16 text without a BOM (mostly Latin script:
    every other byte NUL), else None."""
    half = len(sample) // 2
    if half < 8:
        return None
    even, odd = sample[0 : 2 * half : 2].count(0), sample[1 : 2 * half : 2].count(0)
    if odd >= 0.4 * half and even <= 0.02 * half:
        return "utf-16-le"
    if even >= 0.4 * half and odd <= 0.02 * half:
        return "utf-16-be"
    return None


def mostly_utf8(data: bytes) -> tuple[str, int, int] | None:
    """(text, invalid sequences replaced, offset of the first) for UTF-8 with a few stray bytes: more valid
    non-ASCII characters than invalid sequences. None when the bytes are more likely another encoding."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as e:
        first = e.start
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad - data.count(b"\xef\xbf\xbd")
    if bad <= 0 or good < bad:
        return None
    return text, bad, first


def decode_bytes(
    data: bytes, hint: str | None = None, on_repair: Callable[[str], None] | None = None
) -> tuple[str, str]:
    """(text, encoding) for a document's bytes; raises InputError for binary or undecodable data.

    Order: BOM, UTF-16 without BOM, strict UTF-8 (then mojibake repair), UTF-8 with a few stray bytes
    (replaced by U+FFFD, said to `on_repair`), the declared `hint` charset, charset detection.
    """
    encoding = bom_encoding(data) or utf16_without_bom(data[:SAMPLE_BYTES])
    if encoding is None and b"\x00" in data:
        raise InputError("binary file: contains NUL bytes")
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise InputError(f"undecodable bytes: invalid {encoding} at byte {e.start}") from None
    else:
        text, encoding = _decode_unmarked(data, hint, on_repair)
    if len(_CONTROL.findall(text, 0, SAMPLE_BYTES)) > max(8, min(len(text), SAMPLE_BYTES) // 20):
        raise InputError("binary file: mostly control characters, not text")
    return text, encoding


def _decode_unmarked(data: bytes, hint: str | None, on_repair: Callable[[str], None] | None) -> tuple[str, str]:
    try:
        return fix_mojibake(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    repaired = mostly_utf8(data)
    if repaired is not None:
        text, count, first = repaired
        if on_repair is not None:
            on_repair(f"invalid UTF-8: {count:,} invalid byte sequence(s) replaced by U+FFFD (the first at byte {first:,})")
        return fix_mojibake(text), "utf-8"
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

    def __init__(self, sample: bytes, on_repair: Callable[[str], None] | None = None) -> None:
        self.sample = sample
        self.fallback: str | None = None
        self.on_repair = on_repair

    def decode(self, line: bytes) -> str:
        try:
            return fix_mojibake(line.decode("utf-8"))
        except UnicodeDecodeError:
            pass
        repaired = mostly_utf8(line)
        if repaired is not None:
            text, count, first = repaired
            if self.on_repair is not None:
                self.on_repair(f"invalid UTF-8: {count:,} invalid byte sequence(s) replaced by U+FFFD (the first at byte {first:,})")
            return fix_mojibake(text)
        if self.fallback is None:
            self.fallback = guess_encoding(self.sample) or "cp1252"
            if self.fallback.startswith("utf"):
                self.fallback = "cp1252"
        return line.decode(self.fallback, errors="replace")


def iter_lines(stream: BinaryIO, path: str, problems: ProblemLog, max_line: int) -> Iterator[tuple[int, str]]:
    """(1-based line number, decoded line) for a byte stream, bounded in memory.

    A line longer than `max_line` bytes is skipped with a problem. UTF-16/32 (with a BOM, or UTF-16
    without) is transcoded. Raises InputError for a binary stream, and after MAX_EMPTY_LINES blank lines
    or past the decompression cap (the lines before are kept).
    """
    peek = getattr(stream, "peek", None)
    sample = peek(SAMPLE_BYTES)[:SAMPLE_BYTES] if peek else b""
    encoding = bom_encoding(sample) or utf16_without_bom(sample)
    if encoding is not None and encoding.startswith(("utf-16", "utf-32")):
        yield from _wide_lines(stream, encoding, path, problems, max_line)
        return
    if b"\x00" in sample:
        raise InputError("binary file: contains NUL bytes")
    number = 0
    decoder = LineDecoder(sample, lambda reason: problems.note(path, reason, number))
    empty = 0
    while True:
        try:
            line = stream.readline(max_line + 1)
        except InputError as e:
            raise InputError(str(e), number + 1) from None
        if not line:
            return
        number += 1
        if not line.endswith(b"\n") and len(line) <= max_line and peek is not None:
            try:  # the last line, or one cut by damage (a truncated gzip): then that is the problem
                peek(1)
            except InputError as e:
                raise InputError(str(e), number) from None
        if not line.strip():
            empty += 1
            if empty > MAX_EMPTY_LINES:
                raise InputError(f"too many empty lines: over {MAX_EMPTY_LINES:,}; the rest of the file is skipped",
                                 number)
        if len(line) > max_line and not line.endswith(b"\n"):
            problems.add(path, f"too large: line longer than {max_line:,} bytes", number)
            while line and not line.endswith(b"\n"):
                line = stream.readline(_COPY_CHUNK)
            continue
        text = decoder.decode(line)
        if number == 1:
            text = text.removeprefix("\ufeff")
        yield number, text


def _wide_lines(
    stream: BinaryIO, encoding: str, path: str, problems: ProblemLog, max_line: int
) -> Iterator[tuple[int, str]]:
    """Lines of a UTF-16/32 stream, decoded (bad sequences replaced), bounded like byte lines."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    number = 0
    empty = 0
    try:
        while True:
            line = text.readline(max_line + 1)
            if not line:
                return
            number += 1
            if not line.strip():
                empty += 1
                if empty > MAX_EMPTY_LINES:
                    raise InputError(f"too many empty lines: over {MAX_EMPTY_LINES:,}; the rest of the file is skipped",
                                     number)
            if len(line) > max_line and not line.endswith("\n"):
                problems.add(path, f"too large: line longer than {max_line:,} characters", number)
                while line and not line.endswith("\n"):
                    line = text.readline(_COPY_CHUNK)
                continue
            yield number, line.removeprefix("\ufeff") if number == 1 else line
    finally:
        with contextlib.suppress(ValueError):  # the stream may be closed already
            text.detach()  # leave the byte stream to its owner
