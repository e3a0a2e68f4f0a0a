#!/usr/bin/env bash
# pnpm start: the api, a worker per registered pipeline, the reconciler, the dashboard and the deal room in the foreground, logging to this
# terminal (pino JSON, one line per event, each naming its process). A process that dies is
# started again with back-off while the others keep running; Ctrl-C (or SIGTERM) stops them all
# gracefully.
# The services must be up (pnpm services:up) and the database migrated (pnpm dealgraph migrate).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/env.sh
source "$ROOT/scripts/lib/env.sh"
load_dealgraph_env
# shellcheck source=scripts/lib/fleet.sh
source "$ROOT/scripts/lib/fleet.sh"

fleet_workers
APPS=(api "${FLEET_WORKERS[@]}" reconciler dashboard deal-room)
fleet_ports_free "${APPS[@]}"
fleet_supervise "${APPS[@]}"
trap 'trap - INT TERM; echo "start: stopping the fleet" >&2; fleet_stop; exit 0' INT TERM
if ! fleet_wait_ready 120; then
  fleet_stop
  exit 1
fi
echo "start: api http://127.0.0.1:$API_PORT  dashboard http://127.0.0.1:$DASHBOARD_PORT (user $DASHBOARD_USER)  deal room http://127.0.0.1:$DEAL_ROOM_PORT (a tenant API key)" >&2
[[ ${FLEET_GENERATED_PASSWORD:-0} == 1 ]] && echo "start: DASHBOARD_PASSWORD was unset; this session's password: $DASHBOARD_PASSWORD" >&2
echo "start: metrics on :${FLEET_WORKER_PORTS[*]} (workers) and :$RECONCILER_PORT (reconciler), /metrics; Ctrl-C stops everything" >&2
# The supervisors run until the trap above stops them.
wait "${FLEET_PIDS[@]}" 2>/dev/null || true
echo "start: the supervisors ended" >&2
exit 1
