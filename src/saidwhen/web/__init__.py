"""The static web page served by `saidwhen serve` (index.html, app.js, app.css; vendor/ is generated)."""

from __future__ import annotations

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"


def has_vendor(name: str) -> bool:
    """Whether a vendored asset (scripts/vendor-web.sh) is present."""
    return (VENDOR_DIR / name).is_file()
