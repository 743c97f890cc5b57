#!/usr/bin/env bash
# Vendors the web page's third-party assets from npm into src/saidwhen/web/static/vendor/ (git-ignored,
# generated), so that nothing is loaded from a CDN at run time:
#   - vis-timeline: the standalone UMD bundle and its CSS (the interactive timeline on the page)
#   - swagger-ui-dist: the bundle and CSS behind the API's /docs page
# Idempotent and quick when the pinned versions are already vendored. Usage: scripts/vendor-web.sh [--force]
set -euo pipefail
cd "$(dirname "$0")/.."
VIS_VERSION="8.5.4"
SWAGGER_VERSION="5.35.0"
want="vis-timeline@$VIS_VERSION swagger-ui-dist@$SWAGGER_VERSION"
dest="src/saidwhen/web/static/vendor"
stamp="$dest/VERSION"
files=(vis-timeline-graph2d.min.js vis-timeline-graph2d.min.css swagger-ui-bundle.js swagger-ui.css)
complete=1
for f in "${files[@]}"; do [ -s "$dest/$f" ] || complete=0; done
if [ "${1:-}" != "--force" ] && [ "$complete" = 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "warning: npm not found; the web page works without its interactive timeline, /docs without Swagger UI" >&2
  exit 0
fi
prefix="build/npm"
mods="$prefix/node_modules"
have() { [ -f "$mods/$1/package.json" ] && grep -q "\"version\": \"$2\"" "$mods/$1/package.json"; }
if ! have vis-timeline "$VIS_VERSION" || ! have swagger-ui-dist "$SWAGGER_VERSION"; then
  mkdir -p "$prefix"
  # the standalone bundles contain their dependencies: peer dependencies are not needed
  if ! npm install --no-save --no-audit --no-fund --loglevel=error --legacy-peer-deps --ignore-scripts \
      --prefix "$prefix" "vis-timeline@$VIS_VERSION" "swagger-ui-dist@$SWAGGER_VERSION" >&2; then
    echo "warning: npm install failed; the web page works without its interactive timeline" >&2
    exit 0
  fi
fi
mkdir -p "$dest"
vis="$mods/vis-timeline"
cp "$vis/standalone/umd/vis-timeline-graph2d.min.js" "$dest/"
cp "$vis/styles/vis-timeline-graph2d.min.css" "$dest/"
cp "$vis/LICENSE.MIT.txt" "$dest/LICENSE-vis-timeline.MIT.txt"
sw="$mods/swagger-ui-dist"
cp "$sw/swagger-ui-bundle.js" "$sw/swagger-ui.css" "$dest/"
[ -f "$sw/LICENSE" ] && cp "$sw/LICENSE" "$dest/LICENSE-swagger-ui.txt"
echo "$want" > "$stamp"
echo "vendored $want into $dest" >&2
