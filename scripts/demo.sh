#!/usr/bin/env bash
# The one command of the README: install, start the services, migrate, and show their health.
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
