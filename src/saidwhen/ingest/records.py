"""Article records: JSON lines, JSON (array, object, concatenated objects) and CSV/TSV, streamed.

Field names are matched case-insensitively; see FIELDS. Unmapped scalar fields go to `meta["fields"]`.

A record's identity (`source_key`) does not depend on where it stands in the file: `path#id:<id>` from an
id field, else `path#url:<url>`, else `path#h:<content hash>`; the line (or array index) is only its
locator (`line`). A key repeated inside one file falls back to the content hash, then to the line.
JSON is parsed without raising on huge integers (kept as text) or deep nesting (a problem for that record).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from itertools import chain
from typing import Any

from saidwhen.ingest.files import InputError
from saidwhen.model import RawDocument, normalise_for_hash, stable_id
from saidwhen.problems import ProblemLog

Lines = Iterator[tuple[int, str]]  # (1-based line number, decoded line)

FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "date": ("date", "published", "publication_date"),
    "outlet": ("source", "outlet", "publisher"),
    "language": ("language", "lang"),
}
ID_FIELDS = ("id", "guid", "uuid", "uid", "_id", "article_id", "doc_id")
_MAPPED = {name for names in FIELDS.values() for name in names}
_TEXT_FIELDS = ", ".join(FIELDS["text"][:-1]) + " or " + FIELDS["text"][-1]

# --- dates ---------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d.%m.%Y", "%d-%b-%Y")


def parse_date(value: Any) -> date | None:
    """A calendar date from a metadata value: ISO (with or without time), RFC 2822, "12 July 2023",
    "July 12, 2023", "12.07.2023", 20230712, or a Unix timestamp (seconds or milliseconds).
    Ambiguous forms such as 07/12/2023 give None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).date()
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in (_ISO, _COMPACT):
        m = pattern.match(text + " ") if pattern is _ISO else pattern.fullmatch(text)
        if m:
            try:
                return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    text = _WEEKDAY.sub("", text)
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# --- records -> documents ------------------------------------------------------------------------


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "\n\n".join(value)  # a list of paragraphs
    return None


def _as_str(value: Any) -> str | None:
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    return None


def record_to_document(record: Any, path: str, key: str, line: int | None, fmt: str) -> RawDocument:
    """A RawDocument from one parsed record; raises InputError when it is not an article."""
    if not isinstance(record, dict):
        raise InputError(f"not a record: expected a JSON object, got {type(record).__name__}")
    fields = {str(k).strip().lower(): v for k, v in record.items()}
    fields, replaced = _fix_surrogates(fields)

    def first(name: str) -> Any:
        for candidate in FIELDS[name]:
            value = fields.get(candidate)
            if value not in (None, ""):
                return value
        return None

    text = _as_text(first("text"))
    if text is None:
        raise InputError(f"no text: record has no (non-empty) {_TEXT_FIELDS} field")
    if not text.strip():
        raise InputError("no text: the text field is empty")
    raw_date = first("date")
    published = parse_date(raw_date)
    meta: dict[str, Any] = {"format": fmt}
    if raw_date is not None and published is None:
        meta["date_raw"] = raw_date
    extra = {
        k: v
        for k, v in fields.items()
        if k not in _MAPPED and (v is None or isinstance(v, (str, int, float)))
    }
    if extra:
        meta["fields"] = extra
    if replaced:
        meta["surrogates_replaced"] = replaced
    doc = RawDocument(
        source_path=path,
        source_key=key,
        text=text,
        title=_as_str(first("title")),
        url=_as_str(first("url")),
        outlet=_as_str(first("outlet")),
        language=_as_str(first("language")),
        published=published,
        published_from="metadata" if published else "unknown",
        line=line,
        meta=meta,
    )
    if key != path:  # one record of many: keyed by its identity, not its place
        doc.source_key = f"{path}#{record_identity(doc, fields)}"
    return doc


class _Keys:
    """Makes the keys of one file's records unique: a repeated id or URL falls back to the content hash,
    a repeated content (a copy of a record) to the line."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.seen: set[str] = set()

    def unique(self, doc: RawDocument, locator: str) -> RawDocument:
        if doc.source_key in self.seen and doc.source_key != self.path:
            doc.source_key = f"{self.path}#h:{content_hash(doc)}"
            if doc.source_key in self.seen:
                doc.source_key = f"{self.path}#{locator}"
        self.seen.add(doc.source_key)
        return doc


def _note_repairs(doc: RawDocument, problems: ProblemLog) -> RawDocument:
    replaced = doc.meta.get("surrogates_replaced")
    if replaced:
        problems.note(doc.source_path, f"invalid text: {replaced} lone surrogate(s) replaced by U+FFFD", doc.line)
    return doc


def _documents(
    items: Iterable[tuple[str, int | None, Any]], path: str, problems: ProblemLog, fmt: str
) -> Iterator[RawDocument]:
    """Documents for (locator key, line, record) items; bad records become problems."""
    keys = _Keys(path)
    for key, line, record in items:
        try:
            doc = record_to_document(record, path, key, line, fmt)
        except InputError as e:
            problems.add(path, str(e), line)
            continue
        yield _note_repairs(keys.unique(doc, key.removeprefix(f"{path}#") if key != path else "0"), problems)


# --- identity ------------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def record_identity(doc: RawDocument, fields: dict[str, Any]) -> str:
    """The part of a record's key that survives edits elsewhere in its file: id field, URL or content."""
    for name in ID_FIELDS:
        value = _as_str(fields.get(name))
        if value is not None:
            return f"id:{value}"
    if doc.url:
        return f"url:{doc.url}"
    return "h:" + content_hash(doc)


def content_hash(doc: RawDocument) -> str:
    return stable_id(normalise_for_hash(doc.text), (doc.title or ""), (doc.outlet or "").lower())


def _fix_surrogates(value: Any) -> tuple[Any, int]:
    """Strings of a record with lone surrogates ("\\ud800", legal JSON, unencodable) replaced by U+FFFD."""
    if isinstance(value, str):
        fixed, n = _SURROGATE.subn("\ufffd", value)
        return fixed, n
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        total = 0
        for k, v in value.items():
            k2, n1 = _fix_surrogates(k)
            v2, n2 = _fix_surrogates(v)
            out[k2] = v2
            total += n1 + n2
        return out, total
    if isinstance(value, list):
        items = [_fix_surrogates(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    return value, 0


# --- JSON parsing ---------------------------------------------------------------------------------


def _parse_int(text: str) -> int | str:
    """JSON integers beyond Python's int conversion limit stay text instead of raising ValueError."""
    return int(text) if len(text) <= 4000 else text


_DECODER = json.JSONDecoder(parse_int=_parse_int)


class JSONError(ValueError):
    """A JSON value that cannot be used; the message is the problem reason."""


def loads(text: str) -> Any:
    """`json.loads` that raises only JSONError (malformed JSON, nesting too deep)."""
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as e:
        raise JSONError(f"malformed JSON: {e.msg} (column {e.colno})") from None
    except RecursionError:
        raise JSONError("malformed JSON: nested too deeply") from None
    except ValueError as e:
        raise JSONError(f"malformed JSON: {e}") from None


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def value_end(text: str, pos: int) -> int | None:
    """The end of the JSON array or object starting at `pos`, found by bracket counting (for skipping a
    value the parser cannot take); None when it is not complete in `text`."""
    depth = 0
    for m in _JSON_TOKEN.finditer(text, pos):
        token = m.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth -= 1
            if depth == 0:
                return m.end()
    return None


# --- JSON lines ----------------------------------------------------------------------------------


def _json_lines(lines: Lines, path: str, problems: ProblemLog) -> Iterator[tuple[str, int | None, Any]]:
    empty = True
    for number, line in lines:
        if not line.strip():
            continue
        empty = False
        try:
            record = loads(line)
        except JSONError as e:
            problems.add(path, str(e), number)
            continue
        yield f"{path}#L{number}", number, record
    if empty:
        raise InputError("empty file: no records")


def read_jsonl(lines: Lines, path: str, problems: ProblemLog, max_bytes: int) -> Iterator[RawDocument]:
    """One document per JSON line; a malformed line is a problem and reading goes on."""
    return _documents(_json_lines(lines, path, problems), path, problems, "jsonl")


# --- JSON ----------------------------------------------------------------------------------------

_SKIP = re.compile(r"[\s,]*")
_WS = re.compile(r"\s*")


def _skip(pattern: re.Pattern[str], text: str, pos: int) -> int:
    m = pattern.match(text, pos)
    return m.end() if m else pos


def _json_array(lines: Lines, path: str, problems: ProblemLog, max_bytes: int) -> Iterator[tuple[str, int, Any]]:
    """(index, line, element) of a top-level JSON array, parsed while it streams in.

    Memory holds about one element: an incomplete element is retried only after the buffer doubled,
    so parsing stays linear. An element larger than `max_bytes` is refused.
    """
    decoder = _DECODER
    buf, pos, need, eof = "", 0, 0, False
    line_base, line_pos = 1, 0  # line number at buf[line_pos]
    first_line: int | None = None
    opened, index = False, 0
    while True:
        pos = _skip(_SKIP if opened else _WS, buf, pos)
        if not eof and (pos >= len(buf) or len(buf) - pos < need):
            if pos > 65_536:  # drop what is parsed
                line_base += buf.count("\n", line_pos, pos)
                buf, pos, line_pos = buf[pos:], 0, 0
            try:
                number, text = next(lines)
                if first_line is None:
                    first_line = line_base = number
                buf += text
            except StopIteration:
                eof = True
            continue
        if pos >= len(buf):
            raise InputError("malformed JSON: the array is not closed (file ends early)")
        line_base += buf.count("\n", line_pos, pos)
        line_pos = pos
        if not opened:
            if buf[pos] != "[":
                raise InputError("malformed JSON: expected an array", line_base)
            opened, pos = True, pos + 1
            continue
        if buf[pos] == "]":
            return
        try:
            value, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError as e:
            if eof:
                raise InputError(
                    f"malformed JSON: {e.msg}", line_base + buf.count("\n", pos, e.pos)
                ) from None
            if len(buf) - pos > max_bytes:
                raise InputError(f"too large: JSON element over {max_bytes:,} bytes", line_base) from None
            need = 2 * (len(buf) - pos) + 1
            continue
        except RecursionError:
            end = value_end(buf, pos)
            if end is None:  # not all in the buffer yet
                if eof:
                    raise InputError("malformed JSON: nested too deeply", line_base) from None
                if len(buf) - pos > max_bytes:
                    raise InputError(f"too large: JSON element over {max_bytes:,} bytes", line_base) from None
                need = 2 * (len(buf) - pos) + 1
                continue
            need = 0
            problems.add(path, "malformed JSON: nested too deeply", line_base)
            index, pos = index + 1, end
            continue
        need = 0
        yield str(index), line_base, value
        index, pos = index + 1, end


def _whole_json(lines: Lines, path: str, max_bytes: int) -> Iterator[tuple[str, int | None, Any]]:
    """Records of a JSON file read whole (bounded by max_bytes): one object, several, or a wrapper
    object holding a list of articles (`{"articles": [...]}`)."""
    parts: list[str] = []
    size = 0
    for number, text in lines:
        if not parts and number > 1:
            parts.append("\n" * (number - 1))  # keep line numbers right
        parts.append(text)
        size += len(text)
        if size > max_bytes:
            raise InputError(f"too large: JSON object over the {max_bytes:,}-byte limit")
    data = "".join(parts)
    del parts
    decoder = _DECODER
    values: list[tuple[int, Any]] = []
    pos = _skip(_WS, data, 0)
    while pos < len(data):
        try:
            value, end = decoder.raw_decode(data, pos)
        except json.JSONDecodeError as e:
            raise InputError(f"malformed JSON: {e.msg} (column {e.colno})", e.lineno) from None
        except RecursionError:
            raise InputError("malformed JSON: nested too deeply", data.count("\n", 0, pos) + 1) from None
        values.append((data.count("\n", 0, pos) + 1, value))
        pos = _skip(_WS, data, end)
    if len(values) > 1:
        for line, value in values:
            yield f"{path}#L{line}", line, value
        return
    yield from _single(path, values[0][1])


def _single(path: str, value: Any) -> Iterator[tuple[str, int | None, Any]]:
    """A lone JSON value: one article keyed by the path, or a wrapper of articles (`path#/<key>/<i>`)."""
    if isinstance(value, dict) and not any(k.lower() in FIELDS["text"] for k in value):
        wrapped = [
            (k, v) for k, v in value.items() if isinstance(v, list) and any(isinstance(x, dict) for x in v)
        ]
        if len(wrapped) == 1:
            name, items = wrapped[0]
            for i, item in enumerate(items):
                yield f"{path}#/{name}/{i}", None, item
            return
    yield path, None, value


def read_json(lines: Lines, path: str, problems: ProblemLog, max_bytes: int) -> Iterator[RawDocument]:
    """A .json file: a streamed array (`path#/<index>`), JSON lines (`path#L<line>`), or one object
    (`path`)."""
    first = next(((n, t) for n, t in lines if t.strip()), None)
    if first is None:
        raise InputError("empty file: no JSON")
    lines = chain([first], lines)
    head = first[1].lstrip()
    if head.startswith("["):
        items = ((f"{path}#/{i}", line, v) for i, line, v in _json_array(lines, path, problems, max_bytes))
        yield from _documents(items, path, problems, "json")
        return
    try:
        loads(first[1])
        one_line = True
    except JSONError:
        one_line = False
    if not one_line:
        yield from _documents(_whole_json(lines, path, max_bytes), path, problems, "json")
        return
    # JSON lines; a file with a single object on one line is one document keyed by the path
    records = _json_lines(lines, path, problems)
    head_item = next(records)
    second = next(records, None)
    if second is None:
        yield from _documents(_single(path, head_item[2]), path, problems, "json")
        return
    yield from _documents(chain([head_item, second], records), path, problems, "json")


# --- CSV -----------------------------------------------------------------------------------------


_CSV_DEFAULT_FIELD_LIMIT = 131_072


def _sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(
    lines: Lines, path: str, problems: ProblemLog, max_bytes: int, delimiter: str | None = None
) -> Iterator[RawDocument]:
    """One document per CSV row after a header row; `path#L<line>` with the row's first line."""
    # article bodies exceed csv's default field limit; one field is bounded like one document
    csv.field_size_limit(max(max_bytes, _CSV_DEFAULT_FIELD_LIMIT))
    first = next(((n, t) for n, t in lines if t.strip()), None)
    if first is None:
        raise InputError("empty file: no CSV header")
    consumed: list[int] = []

    def feed() -> Iterator[str]:
        for number, text in chain([first], lines):
            consumed.append(number)
            yield text

    reader = csv.reader(feed(), delimiter=delimiter or _sniff_delimiter(first[1]))
    header = [h.strip().lstrip("\ufeff").lower() for h in next(reader)]
    if not any(h in FIELDS["text"] for h in header):
        raise InputError(f"no text column: the CSV header has none of {_TEXT_FIELDS}", first[0])
    while True:
        consumed.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            problems.add(path, f"malformed CSV: {e}", consumed[0] if consumed else None)
            continue
        if not any(cell.strip() for cell in row):
            continue
        line = consumed[0]
        try:
            yield record_to_document(
                dict(zip(header, row, strict=False)), path, f"{path}#L{line}", line, "csv"
            )
        except InputError as e:
            problems.add(path, str(e), line)
