#!/usr/bin/env bash
# The main job on the bundled demo corpus: ingest into an embedded SQLite file, then show what was found.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
db="${SAIDWHEN_DEMO_DB:-demo/demo.db}"
sw=.venv/bin/saidwhen
$sw ingest demo/corpus --db "$db" || true   # the corpus holds one malformed JSONL line on purpose
echo; $sw stats --db "$db"
echo; $sw speakers --db "$db"
echo; $sw statements --db "$db" --limit 20
if $sw --help | grep -q timeline; then
  echo; $sw timeline --db "$db" --format md
fi
