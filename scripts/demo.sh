#!/usr/bin/env bash
# The one command of the README: install, start the services, migrate, show their health, and
# show what the offline provider extracts from one sample call, then run both pipelines over
# the sample corpus in-process. Issue 6 turns it into the queued fleet demo.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/bootstrap.sh
bash scripts/services.sh up
echo
echo "migrations:"
pnpm --silent dealgraph migrate
echo
echo "health:"
pnpm --silent dealgraph health

# What the offline provider reads from one sample call (no services needed for this step).
CORPUS_DIR=${CORPUS_DIR:-"$ROOT/../shared/corpus"}
SAMPLE="$CORPUS_DIR/transcripts/northwind-01-discovery.txt"
if [[ -f "$SAMPLE" ]]; then
  echo
  echo "extract (offline provider):"
  pnpm --silent dealgraph extract "$SAMPLE"
fi

# Both pipelines in-process over the whole sample corpus, in timestamp order.
if [[ -f "$CORPUS_DIR/manifest.json" ]]; then
  echo
  echo "process the sample corpus (both pipelines, in-process):"
  pnpm --silent dealgraph process --corpus "$CORPUS_DIR"
fi
