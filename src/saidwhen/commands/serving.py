"""`saidwhen serve`: the HTTP API and the web page."""

from __future__ import annotations

import json
import os
from typing import Annotated

import typer
from rich.markup import escape

from saidwhen.commands.common import DEFAULT_DB_PATH, EXIT_NOT_FOUND, DbOption, console, fail, open_store


def serve(
    db: DbOption = DEFAULT_DB_PATH,
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on (loopback by default). Requests are answered only for loopback host names "
            "and this one (any name for 0.0.0.0 or ::)."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    allow_ingest: Annotated[
        bool, typer.Option("--allow-ingest", help="Serve POST /api/ingest (JSONL upload) and write to the store.")
    ] = False,
    max_upload_mb: Annotated[
        float, typer.Option("--max-upload-mb", help="Largest ingest upload, in MiB.", min=0.001)
    ] = 20.0,
    workers: Annotated[
        int,
        typer.Option(help="Server processes (reads only): more than one uses more cores under many clients.", min=1,
                     max=32),
    ] = 1,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) and the web page; read-only unless --allow-ingest."""
    import uvicorn

    from saidwhen.api import create_app
    from saidwhen.api.app import APP_SETTINGS_ENV, app_from_environment
    from saidwhen.api.hosts import bind_policy, is_loopback
    from saidwhen.web import has_vendor

    if workers > 1 and allow_ingest:
        raise fail("--workers above 1 serves reads only: leave out --allow-ingest (or use one worker)", 2)
    if not allow_ingest and not db.exists():
        raise fail(f"no saidwhen database at {db} (create one with `saidwhen ingest PATH --db {db}`)", EXIT_NOT_FOUND)
    if db.exists():
        with open_store(db) as store:  # a damaged store is one clear line now, not 500s later
            store.stats()
    if not is_loopback(host):
        console.print(
            f"[yellow]warning:[/] listening on {escape(host)}: the API has no authentication"
            + (" and accepts uploads" if allow_ingest else ""),
            highlight=False,
        )
    if not has_vendor("vis-timeline-graph2d.min.js"):
        console.print("[yellow]note:[/] timeline widget not vendored (run scripts/vendor-web.sh)", highlight=False)
    options = {"allow_ingest": allow_ingest, "max_upload_bytes": int(max_upload_mb * 1024 * 1024), **bind_policy(host)}
    shown = f"[{host}]" if ":" in host else host
    console.print(
        f"serving {db} on http://{shown}:{port}/ (API docs at /docs)" + (" · ingest allowed" if allow_ingest else "")
        + (f" · {workers} processes" if workers > 1 else ""),
        highlight=False,
        markup=False,
    )
    common = {"host": host, "port": port, "log_level": "warning", "access_log": False}
    if workers == 1:
        uvicorn.run(create_app(db, **options), **common)
        return
    # each worker process builds its own app from the same settings
    os.environ[APP_SETTINGS_ENV] = json.dumps({"db_path": str(db.resolve()), **options})
    uvicorn.run(f"{app_from_environment.__module__}:{app_from_environment.__name__}", factory=True, workers=workers,
                **common)  # fmt: skip


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
