#!/usr/bin/env bash
# The one command of the README: install, start the services, migrate, show their health, and
# show what the offline provider extracts from one sample call.
# Later issues extend it into the full demo (enqueue the sample corpus and report the result).
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
