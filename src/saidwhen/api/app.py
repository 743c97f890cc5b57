"""`create_app(db_path)`: the FastAPI application.

Every request opens its own read-only connection to the SQLite store (cheap; WAL lets readers run while an
ingest writes). `POST /api/ingest` exists only with `allow_ingest=True`: a JSONL body up to
`max_upload_bytes`, ingested by `saidwhen.store_ingest.StoreIngest`, one upload at a time.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool

from saidwhen import __version__
from saidwhen.api.hosts import HostFilter
from saidwhen.api.models import (
    ClaimOut,
    DocumentFull,
    DocumentOut,
    EventFull,
    EventOut,
    IngestReportOut,
    Page,
    SearchHit,
    SpeakerOut,
    StatementFull,
    StatementOut,
)
from saidwhen.model import SPEAKER_TYPES
from saidwhen.store import Store
from saidwhen.store import queries as q
from saidwhen.store.days import optional_day
from saidwhen.store.errors import is_store_failure, store_error_message
from saidwhen.timeline import build_timeline
from saidwhen.web import STATIC_DIR, has_vendor

DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
INGEST_TYPES = ("application/x-ndjson", "application/jsonl", "application/json", "application/x-jsonlines")

# a real calendar day (2024-13-45 is refused with 422 "not a date"), passed on in the store's ISO form
Since = Annotated[
    str | None,
    Query(max_length=10, description="From this date (YYYY-MM-DD), inclusive."),
    AfterValidator(optional_day),
]
Until = Annotated[
    str | None,
    Query(max_length=10, description="Up to this date (YYYY-MM-DD), inclusive."),
    AfterValidator(optional_day),
]
Limit = Annotated[int, Query(ge=1, le=1000, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
Text = Annotated[str | None, Query(max_length=500)]
Language = Annotated[
    str | None, Query(pattern=r"^[A-Za-z]{2,3}$", description="Only articles in this language (ISO 639: en, fr, uk).")
]
SpeakerType = Annotated[str | None, Query(pattern="^(" + "|".join(SPEAKER_TYPES) + ")$",
                                          description="Only sources of this type.")]

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def get_store(request: Request) -> Iterator[Store]:
    """A read-only connection for one request."""
    try:
        store = Store(request.app.state.db_path, readonly=True)
    except FileNotFoundError:
        raise HTTPException(status_code=503, detail="no saidwhen database yet") from None
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(get_store)]


def _page(rows: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """A page from `limit + 1` fetched rows: the extra row only tells that there is a next page."""
    return {
        "items": rows[:limit],
        "limit": limit,
        "offset": offset,
        "next_offset": offset + limit if len(rows) > limit else None,
    }


def _not_found(what: str, key: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} {key!r}")


def create_app(
    db_path: str | Path,
    *,
    allow_ingest: bool = False,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    hosts: Iterable[str] = (),
    any_host: bool = False,
) -> FastAPI:
    """The app over the store at `db_path`. It answers loopback `Host` names only, plus `hosts`, or any name
    with `any_host` (see `saidwhen.api.hosts`)."""
    db = Path(db_path)
    app = FastAPI(
        title="saidwhen",
        version=__version__,
        description="Who said what, when — with the evidence. Read-only over a saidwhen store"
        + ("; ingest allowed." if allow_ingest else "."),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db_path = db
    app.state.allow_ingest = allow_ingest

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        response: Response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        path = request.url.path
        if path == "/" or path.startswith("/static/"):
            response.headers.setdefault("Content-Security-Policy", PAGE_CSP)
            response.headers.setdefault("X-Frame-Options", "DENY")
        return response

    # ---- the page and the docs ----------------------------------------------------------------

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        if has_vendor("swagger-ui-bundle.js") and has_vendor("swagger-ui.css"):
            return get_swagger_ui_html(
                openapi_url="/openapi.json",
                title="saidwhen API",
                swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                swagger_css_url="/static/vendor/swagger-ui.css",
                swagger_favicon_url="data:,",
            )
        return HTMLResponse(
            "<!doctype html><meta charset=utf-8><title>saidwhen API</title>"
            "<p>The interactive API docs need the vendored Swagger UI (run <code>scripts/vendor-web.sh</code>). "
            'The OpenAPI spec is at <a href="/openapi.json">/openapi.json</a>.</p>'
        )

    # ---- reads --------------------------------------------------------------------------------

    @app.exception_handler(sqlite3.DatabaseError)
    async def store_failed(request: Request, exc: sqlite3.DatabaseError) -> JSONResponse:
        # a damaged store file, a full disk: one clear line for the client, not a 500 with a traceback
        if not is_store_failure(exc):  # a bug, not the file: logged with its traceback, as any other error
            logging.getLogger("saidwhen.api").error("error serving %s", request.url.path, exc_info=exc)
            return JSONResponse({"detail": "internal error"}, status_code=500)
        return JSONResponse({"detail": store_error_message(exc)}, status_code=503)

    @app.get("/api/health", tags=["meta"], responses={503: {"description": "The store cannot be read"}})
    def health() -> JSONResponse:
        """`ok` only when the store can actually be read (every table counted), not merely when it exists."""
        body: dict[str, Any] = {"ok": True, "version": __version__, "ingest": allow_ingest, "database": db.exists()}
        if body["database"]:
            try:
                with Store(db, readonly=True) as store:
                    store.stats()
            except sqlite3.DatabaseError as exc:  # any of them: health is about whether the store can be read
                return JSONResponse({**body, "ok": False, "error": store_error_message(exc)}, status_code=503)
        return JSONResponse(body)

    @app.get("/api/stats", tags=["meta"])
    def stats(store: StoreDep) -> dict[str, Any]:
        """Counts of documents, statements, speakers, events, claims; outlets; publication date range."""
        return {**store.stats(), "ingest": allow_ingest}

    @app.get("/api/documents", response_model=Page[DocumentOut], tags=["documents"])
    def documents(
        store: StoreDep,
        outlet: Text = None,
        since: Since = None,
        until: Until = None,
        q_: Annotated[str | None, Query(alias="q", max_length=500, description="Full-text search.")] = None,
        event: Text = None,
        limit: Limit = 50,
        offset: Offset = 0,
        language: Language = None,
    ) -> dict[str, Any]:
        """Documents by publication date (or by relevance with `q`), filtered by outlet, dates, event, language."""
        rows = store.documents(
            outlet=outlet, since=since, until=until, query=q_ or None, event_id=event, limit=limit + 1, offset=offset,
            language=language,
        )
        return _page(rows, limit, offset)

    @app.get("/api/documents/{doc_id}", response_model=DocumentFull, tags=["documents"])
    def document(doc_id: str, store: StoreDep) -> dict[str, Any]:
        """One document (a unique id prefix is enough) with its original text, the spans the cleaner removed,
        and its statements. Statement `start`/`end` index `text`."""
        doc = store.document(doc_id)
        if doc is None:
            raise _not_found("document", doc_id)
        doc["statements"] = store.statements(document_id=doc["id"], limit=100_000)
        return doc

    @app.get("/api/statements", response_model=Page[StatementOut], tags=["statements"])
    def statements(
        store: StoreDep,
        speaker: Text = None,
        since: Since = None,
        until: Until = None,
        outlet: Text = None,
        q_: Annotated[str | None, Query(alias="q", max_length=500, description="Full-text search.")] = None,
        claim: Text = None,
        event: Text = None,
        document: Text = None,
        speaker_type: SpeakerType = None,
        limit: Limit = 50,
        offset: Offset = 0,
        language: Language = None,
    ) -> dict[str, Any]:
        """Statements by date (or by relevance with `q`): who said what, when, with document id and span."""
        rows = store.statements(
            speaker=speaker, since=since, until=until, query=q_ or None, outlet=outlet, claim_id=claim,
            event_id=event, document_id=document, speaker_type=speaker_type, limit=limit + 1, offset=offset,
            language=language,
        )  # fmt: skip
        return _page(rows, limit, offset)

    @app.get("/api/statements/{st_id}", response_model=StatementFull, tags=["statements"])
    def statement(st_id: str, store: StoreDep) -> dict[str, Any]:
        """One statement with every report of it (other outlets, same `merged_id`), its claim's history and
        its event."""
        st = store.statement(st_id)
        if st is None:
            raise _not_found("statement", st_id)
        reports = q.statements_where(store, "merged_id", [st["merged_id"]]) if st["merged_id"] else [st]
        st["reports"] = reports or [st]
        st["merged"] = store.merged_statements([st["merged_id"]]).get(st["merged_id"]) if st["merged_id"] else None
        st["claim"] = _claim(store, st["claim_id"]) if st["claim_id"] else None
        doc = store.document(st["document_id"], with_text=False)
        st["event"] = store.event(doc["event_id"]) if doc and doc["event_id"] else None
        return st

    @app.get("/api/speakers", response_model=list[SpeakerOut], tags=["speakers"])
    def speakers(
        store: StoreDep,
        q_: Annotated[str | None, Query(alias="q", max_length=200, description="Name or alias contains.")] = None,
        speaker_type: SpeakerType = None,
        limit: Limit = 1000,
    ) -> list[dict[str, Any]]:
        """People, organisations and unnamed sources with their aliases, type and statement counts, most quoted
        first."""
        rows = store.speakers(limit=100_000, speaker_type=speaker_type)
        if q_:
            needle = q_.casefold()
            rows = [r for r in rows if needle in r["name"].casefold() or any(needle in a.casefold() for a in r["aliases"])]
        return rows[:limit]

    @app.get("/api/events", response_model=Page[EventOut], tags=["events"])
    def events(store: StoreDep, since: Since = None, until: Until = None, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
        return _page(store.events(since=since, until=until, limit=limit + 1, offset=offset), limit, offset)

    @app.get("/api/events/{event_id}", response_model=EventFull, tags=["events"])
    def event(event_id: str, store: StoreDep) -> dict[str, Any]:
        ev = store.event(event_id)
        if ev is None:
            raise _not_found("event", event_id)
        docs = (store.document(i, with_text=False) for i in ev["document_ids"])
        ev["documents"] = [d for d in docs if d is not None]
        return ev

    def _claim(store: Store, claim_id: str) -> dict[str, Any] | None:
        cl = store.claim(claim_id)
        if cl is None:
            history = q.claim_history(store, claim_id)
            if not history:
                return None
            cl = {"id": claim_id, "summary": history[0]["text"], "statement_ids": [r["id"] for r in history]}
        cl["history"] = q.claim_history(store, claim_id)
        return cl

    @app.get("/api/claims", response_model=Page[ClaimOut], tags=["claims"])
    def claims(store: StoreDep, limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0) -> dict[str, Any]:
        """Claims (the same proposition over time), each with its history: statements oldest first."""
        rows = store.claims(limit=limit + 1, offset=offset)
        for cl in rows[:limit]:
            cl["history"] = q.claim_history(store, cl["id"])
        return _page(rows, limit, offset)

    @app.get("/api/claims/{claim_id}", response_model=ClaimOut, tags=["claims"])
    def claim(claim_id: str, store: StoreDep) -> dict[str, Any]:
        cl = _claim(store, claim_id)
        if cl is None:
            raise _not_found("claim", claim_id)
        return cl

    @app.get("/api/timeline", tags=["timeline"])
    def timeline(
        store: StoreDep,
        speaker: Text = None,
        topic: Text = None,
        event: Text = None,
        since: Since = None,
        until: Until = None,
        all_: Annotated[bool, Query(alias="all", description="Every statement, not the few key ones per date.")] = False,
        per_date: Annotated[int, Query(ge=1, le=100)] = 3,
        context: Annotated[bool, Query(description="Add each item's source paragraph.")] = False,
        limit: Annotated[
            int, Query(ge=1, le=1000, description="Items per page, about: whole dates are added until they reach it.")
        ] = 30,
        offset: Annotated[int, Query(ge=0, le=1_000_000, description="Dates to skip (`page.next_offset`).")] = 0,
    ) -> JSONResponse:
        """Chronological entries grouped by date and event; each item merges the reports of one statement
        ("reported by N outlets", with every source's document id and span). One page of whole dates:
        `page.next_offset` is the `offset` of the next page (null on the last), `page.dates_total` the number
        of dates."""
        if event and store.event(event) is None:
            raise _not_found("event", event)
        result = build_timeline(
            store, speaker=speaker, topic=topic, event_id=event, since=since, until=until, show_all=all_,
            per_date=per_date, with_context=context, limit=limit, offset=offset,
        )  # fmt: skip
        return JSONResponse(result)  # plain JSON already: FastAPI's generic encoder would add ~8 ms a page

    @app.get("/api/search", response_model=Page[SearchHit], tags=["search"])
    def search(
        store: StoreDep,
        q_: Annotated[str, Query(alias="q", min_length=1, max_length=500, description="Words or \"a phrase\".")],
        speaker: Text = None,
        outlet: Text = None,
        since: Since = None,
        until: Until = None,
        type_: Annotated[str | None, Query(alias="type", pattern="^(statement|document)$")] = None,
        limit: Annotated[int, Query(ge=1, le=200)] = 20,
        offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
        language: Language = None,
    ) -> dict[str, Any]:
        """Statements and articles matching `q`, ranked together (BM25, best first)."""
        kinds = (type_,) if type_ else ("statement", "document")
        rows = q.search(store, q_, speaker=speaker, outlet=outlet, since=since, until=until, limit=limit + 1,
                        offset=offset, kinds=kinds, language=language)  # fmt: skip
        return _page(rows, limit, offset)

    if allow_ingest:
        _add_ingest(app, db, max_upload_bytes)
    app.add_middleware(HostFilter, extra=list(hosts), any_host=any_host)  # outermost: checked first
    return app


APP_SETTINGS_ENV = "SAIDWHEN_SERVE_SETTINGS"


def app_from_environment() -> FastAPI:
    """`create_app` with the keyword arguments JSON-encoded in `$SAIDWHEN_SERVE_SETTINGS`: the factory each
    process of `saidwhen serve --workers N` calls."""
    return create_app(**json.loads(os.environ[APP_SETTINGS_ENV]))


def _add_ingest(app: FastAPI, db: Path, max_upload_bytes: int) -> None:
    lock = threading.Lock()  # one writer at a time
    if not db.exists():
        Store(db).close()  # create the schema so that readers work before the first upload

    @app.post(
        "/api/ingest",
        response_model=IngestReportOut,
        tags=["ingest"],
        responses={413: {"description": "Body too large"}, 415: {"description": "Not a JSONL content type"}},
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/x-ndjson": {"schema": {"type": "string", "format": "binary"}}},
                "description": 'JSON Lines: one article a line, e.g. {"text": ..., "title": ..., "outlet": ..., '
                '"published": "YYYY-MM-DD", "url": ...}',
            }
        },
    )
    async def ingest(
        request: Request, extract: Annotated[bool, Query(description="Extract statements.")] = True
    ) -> JSONResponse:
        """Ingest articles (JSONL body) into the store. Only served with `--allow-ingest`."""
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype not in INGEST_TYPES:
            # a JSON content type also keeps browsers from posting here cross-site without a CORS preflight
            raise HTTPException(status_code=415, detail=f"send JSONL as one of {', '.join(INGEST_TYPES)}")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_upload_bytes:
            raise HTTPException(status_code=413, detail=f"body larger than {max_upload_bytes} bytes")
        fd, tmp = tempfile.mkstemp(prefix="saidwhen-upload-", suffix=".jsonl")
        try:
            size = 0
            with os.fdopen(fd, "wb") as out:
                async for chunk in request.stream():
                    size += len(chunk)
                    if size > max_upload_bytes:
                        raise HTTPException(status_code=413, detail=f"body larger than {max_upload_bytes} bytes")
                    out.write(chunk)
            if size == 0:
                raise HTTPException(status_code=400, detail="empty body")
            report = await run_in_threadpool(_run_ingest, lock, db, tmp, extract)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return JSONResponse(report)


def _run_ingest(lock: threading.Lock, db: Path, tmp: str, extract: bool) -> dict[str, Any]:
    from saidwhen.nlp import ModelMissingError
    from saidwhen.problems import ProblemLog
    from saidwhen.store_ingest import StoreIngest  # imported here: the API itself is read-only

    with lock:
        store = Store(db)
        try:
            problems = ProblemLog()
            try:
                report = StoreIngest(store, extract=extract).run([tmp], problems)
            except ModelMissingError as exc:
                raise HTTPException(status_code=503, detail=str(exc)) from None
        finally:
            store.close()
    upload = Path(tmp).name
    return {
        "read": report.read,
        "added": report.added,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "statements": report.statements,
        "rejected": report.rejected,
        "problems": [str(p).replace(tmp, "upload").replace(upload, "upload") for p in problems.problems[:100]],
        "unread": dict(report.unread),
    }

