"""HTML pages: main text and metadata (title, date, site name) extracted with trafilatura."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Any

import trafilatura

from saidwhen.ingest.files import InputError, one_line
from saidwhen.model import RawDocument

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_HTML_LANG = re.compile(r"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)

# trafilatura logs every page it cannot parse; saidwhen reports those as problems instead
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in a <meta> tag within its first bytes, if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def _declared_language(markup: str) -> str | None:
    """The primary language subtag of `<html lang="...">` ("en" for "en-GB"), if the page states one."""
    m = _HTML_LANG.search(markup, 0, 20_000)
    return m.group(1).lower() if m else None


def _date_params() -> dict[str, Any]:
    # only dates the page states in its markup or URL: inferring from the text is the date stage's job
    return {"original_date": True, "extensive_search": False, "max_date": datetime.now().strftime("%Y-%m-%d")}


def _iso(value: str | None) -> date | None:
    m = _ISO_DATE.match(value or "")
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


def parse_html(
    markup: str, path: str, key: str, *, url: str | None = None, line: int | None = None, fmt: str = "html"
) -> RawDocument:
    """One document from a page; raises InputError when no article text can be extracted."""
    try:
        doc = trafilatura.bare_extraction(
            markup, url=url, with_metadata=True, date_extraction_params=_date_params()
        )
    except Exception as e:  # lxml and trafilatura raise many kinds of errors on broken markup
        raise InputError(f"broken HTML: {type(e).__name__}: {one_line(e)}", line) from None
    text = getattr(doc, "text", None)
    if not text or not text.strip():
        raise InputError("broken HTML: no article text found", line)
    published = _iso(doc.date)
    meta: dict[str, Any] = {"format": fmt}
    for name in ("author", "description", "hostname"):
        value = getattr(doc, name, None)
        if value:
            meta[name] = value
    return RawDocument(
        source_path=path,
        source_key=key,
        text=text,
        title=doc.title or None,
        url=url or doc.url or None,
        outlet=doc.sitename or None,
        language=doc.language or _declared_language(markup),
        published=published,
        published_from="html" if published else "unknown",
        line=line,
        meta=meta,
    )
