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
from setuptools.command.sdist import sdist

HERE = Path(__file__).parent
VENDOR_SCRIPT = HERE / "scripts" / "vendor-web.sh"


def vendor_web() -> None:
    """Run scripts/vendor-web.sh when this is a checkout (an unpacked sdist has the files and the script
    returns at once). The script warns and exits 0 without npm: the package still builds, without its timeline."""
    if VENDOR_SCRIPT.is_file():
        subprocess.run(["bash", str(VENDOR_SCRIPT)], check=True, cwd=HERE)


class BuildPyWithVendoredWeb(build_py):
    """`build_py` (wheels, `pip install .`) that vendors the web assets before copying the package data."""

    def run(self) -> None:
        vendor_web()
        super().run()


class SdistWithVendoredWeb(sdist):
    """`sdist` that vendors the web assets first, so the archive carries them (MANIFEST.in)."""

    def run(self) -> None:
        vendor_web()
        super().run()


setup(cmdclass={"build_py": BuildPyWithVendoredWeb, "sdist": SdistWithVendoredWeb})
