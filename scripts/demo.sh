#!/usr/bin/env bash
# pnpm demo, the README's main command: the fleet as producers use it. Installs, starts the
# services, migrates, starts the api and both workers, creates an API key per tenant of the
# sample corpus, posts the whole corpus through the HTTP api, waits for both pipelines, prints a
# report per envelope and the totals, and checks that the graphs and Postgres agree.
# Offline provider without OPENAI_API_KEY; OpenAI with it (LLM_PROVIDER=auto).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

bash scripts/bootstrap.sh
bash scripts/services.sh up
# shellcheck source=scripts/lib/env.sh
source "$ROOT/scripts/lib/env.sh"
load_dealgraph_env
# shellcheck source=scripts/lib/fleet.sh
source "$ROOT/scripts/lib/fleet.sh"
CORPUS_DIR=${CORPUS_DIR:-"$ROOT/examples/corpus"}
[[ -f $CORPUS_DIR/manifest.json ]] || { echo "demo: no corpus at $CORPUS_DIR (set CORPUS_DIR)" >&2; exit 1; }

echo
echo "== migrations"
pnpm --silent dealgraph migrate
echo
echo "== services"
pnpm --silent dealgraph health

echo
echo "== the fleet: api and a worker per pipeline (model: ${OPENAI_API_KEY:+OpenAI}${OPENAI_API_KEY:-offline provider})"
fleet_workers
APPS=(api "${FLEET_WORKERS[@]}")
fleet_ports_free "${APPS[@]}"
# The demo's own processes log warnings only, so that the report stays readable.
LOG_LEVEL=${DEMO_LOG_LEVEL:-warn} fleet_start "${APPS[@]}"
trap fleet_stop EXIT
fleet_wait_ready 120
echo "api http://127.0.0.1:$API_PORT, workers ready"

echo
echo "== API keys, one per tenant of the corpus"
keys=()
for tenant in $(node -e 'const m = require(process.argv[1]); console.log(Object.values(m.tenants).join(" "))' "$CORPUS_DIR/manifest.json"); do
  key=$(pnpm --silent dealgraph keys create --tenant "$tenant" --label demo --json | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).key))')
  keys+=("$key")
  echo "tenant $tenant: key created (stored hashed)"
done
tenants=$(node -e 'const m = require(process.argv[1]); console.log(Object.values(m.tenants).join(" "))' "$CORPUS_DIR/manifest.json")

echo
echo "== the sample corpus, posted through POST /v1/envelopes; waiting for both pipelines"
DEALGRAPH_API_KEY=$(IFS=,; echo "${keys[*]}") pnpm --silent dealgraph enqueue --corpus "$CORPUS_DIR" --wait --timeout 900

echo
echo "== risk signals of every account (what the reconciler app keeps up to date; the deal room shows them)"
for tenant in $tenants; do
  pnpm --silent dealgraph risk --tenant "$tenant"
done

echo
echo "== graph and Postgres agree?"
for tenant in $tenants; do
  pnpm --silent dealgraph reconcile --tenant "$tenant"
done
echo
echo "deal room: pnpm deal-room, then sign in at http://127.0.0.1:$DEAL_ROOM_PORT with a tenant key (pnpm dealgraph keys create --tenant <uuid>)"
echo "demo: ok"
