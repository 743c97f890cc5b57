#!/usr/bin/env bash
# Installs everything the tests need (venv, pinned packages, model, headless Chromium, Java for PySpark,
# the vendored timeline widget) and runs the default test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "warning: missing ${need_apt[*]} (install with apt); tests that need them will be skipped" >&2
  fi
fi
bash scripts/setup.sh dev,spark,notebook
export SAIDWHEN_REQUIRE_EMBEDDINGS=1  # the embedding tests fail instead of skipping when the model is missing
.venv/bin/ruff check src tests benchmarks
exec .venv/bin/python -m pytest "$@"
