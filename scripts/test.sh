#!/usr/bin/env bash
# The README's test command: install, start the services, run every test (unit and integration).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/bootstrap.sh
pnpm test
