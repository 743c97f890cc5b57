"""The HTTP API (FastAPI): read-only over the store unless ingest is explicitly allowed; serves the web page."""

from __future__ import annotations

from saidwhen.api.app import DEFAULT_MAX_UPLOAD_BYTES, create_app

__all__ = ["DEFAULT_MAX_UPLOAD_BYTES", "create_app"]
