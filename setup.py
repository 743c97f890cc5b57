"""Build hook: the wheel carries the web page's vendored assets (vis-timeline, Swagger UI).

Everything else about the package is in pyproject.toml. `build_py` runs `scripts/vendor-web.sh` (npm, pinned
versions, idempotent) before it copies the package data, so `pip install .` and a built wheel serve the
interactive timeline. An sdist carries the vendored files itself (MANIFEST.in), so building from it needs no npm.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).parent
VENDOR_SCRIPT = HERE / "scripts" / "vendor-web.sh"


class BuildPyWithVendoredWeb(build_py):
    """`build_py` that first vendors the web assets when this is a checkout (the sdist already has them)."""

    def run(self) -> None:
        if VENDOR_SCRIPT.is_file():
            # the script warns and exits 0 without npm: the package still builds, the page without its timeline
            subprocess.run(["bash", str(VENDOR_SCRIPT)], check=True, cwd=HERE)
        super().run()


setup(cmdclass={"build_py": BuildPyWithVendoredWeb})
