# The fleet's processes for `pnpm start` and `pnpm demo`: started in the background, each in a
# session of its own (so a Ctrl-C reaches this script alone, which then stops each process
# exactly once with SIGTERM: a second signal would make a worker drop its jobs in hand).
# Sourced after scripts/lib/env.sh has loaded the configuration: every default comes from
# .env.example, which the config schemas generate, so none is repeated here.

FLEET_PIDS=()
FLEET_NAMES=()
declare -A FLEET_WORKER_PORTS=()

# The registered pipelines' workers, `worker:<pipeline>` each, from the registry itself
# (`dealgraph pipelines --workers`): a pipeline added there, or through PIPELINE_MODULES, gets
# its worker here without an edit. Sets FLEET_WORKERS and the workers' ports.
fleet_workers() {
  local name port
  FLEET_WORKERS=()
  while read -r name port; do
    FLEET_WORKERS+=("worker:$name")
    FLEET_WORKER_PORTS[$name]=$port
  done < <(node --import tsx "$ROOT/apps/cli/src/main.ts" pipelines --workers)
  ((${#FLEET_WORKERS[@]} > 0)) || { echo "fleet: no pipeline is registered" >&2; return 1; }
}

# The command line of a fleet process: an app (api, reconciler, dashboard, deal-room) or worker:<pipeline>.
fleet_command() {
  case $1 in
    worker:*) echo "$ROOT/apps/worker/src/main.ts ${1#worker:}" ;;
    *) echo "$ROOT/apps/$1/src/main.ts" ;;
  esac
}

# fleet_start NAME... : api, reconciler, dashboard, deal-room, worker:<pipeline>
fleet_start() {
  local name
  fleet_password
  for name in "$@"; do
    # shellcheck disable=SC2046 # the command line is a path and, for a worker, its pipeline
    setsid node --import tsx $(fleet_command "$name") &
    FLEET_PIDS+=($!)
    FLEET_NAMES+=("$name")
  done
}

# fleet_supervise NAME... : like fleet_start, but each process is kept running: when one dies it
# is started again after a back-off (1 s, doubling to 30 s; back to 1 s once a run lasted a
# minute), and the others carry on. FLEET_PIDS then holds the supervisors; SIGTERM to one stops
# its process gracefully and ends it.
fleet_supervise() {
  local name
  fleet_password
  for name in "$@"; do
    fleet_keep_running "$name" &
    FLEET_PIDS+=($!)
    FLEET_NAMES+=("$name")
  done
}

fleet_keep_running() {
  local name=$1 delay=1 started child="" code stopping=0
  # Ctrl-C is for the script that started the fleet; it stops each supervisor with SIGTERM.
  trap '' INT
  trap 'stopping=1; [[ -n $child ]] && kill -TERM "$child" 2>/dev/null' TERM
  while :; do
    started=$SECONDS
    # shellcheck disable=SC2046 # the command line is a path and, for a worker, its pipeline
    setsid node --import tsx $(fleet_command "$name") &
    child=$!
    code=0
    wait "$child" || code=$?
    if ((stopping)); then
      # The trap ended the first wait early; this one lasts until the process has drained.
      wait "$child" 2>/dev/null || true
      exit 0
    fi
    if ((SECONDS - started >= 60)); then delay=1; fi
    echo "fleet: $name exited (code $code); starting it again in ${delay}s" >&2
    sleep "$delay" &
    wait $! || true
    if ((stopping)); then exit 0; fi
    delay=$((delay * 2 > 30 ? 30 : delay * 2))
  done
}

fleet_password() {
  if [[ -z ${DASHBOARD_PASSWORD:-} ]]; then
    DASHBOARD_PASSWORD=$(node -e 'process.stdout.write(require("node:crypto").randomBytes(18).toString("base64url"))')
    export DASHBOARD_PASSWORD
    FLEET_GENERATED_PASSWORD=1
  fi
}

fleet_port() {
  case $1 in
    api) echo "$API_PORT" ;;
    dashboard) echo "$DASHBOARD_PORT" ;;
    deal-room) echo "$DEAL_ROOM_PORT" ;;
    worker:*) echo "${FLEET_WORKER_PORTS[${1#worker:}]}" ;;
    reconciler) echo "$RECONCILER_PORT" ;;
  esac
}

# Refuses to start when something already listens on a port the fleet needs.
fleet_ports_free() {
  local name port
  for name in "$@"; do
    port=$(fleet_port "$name")
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "fleet: port $port ($name) is taken; is the fleet already running (pnpm start)?" >&2
      return 1
    fi
  done
}

# Waits until every started process answers /readyz (or one of them exits).
fleet_wait_ready() {
  local deadline=$((SECONDS + ${1:-120})) i name port
  for i in "${!FLEET_PIDS[@]}"; do
    name=${FLEET_NAMES[$i]}
    port=$(fleet_port "$name")
    until curl -sf -o /dev/null "http://127.0.0.1:$port/readyz"; do
      if ! kill -0 "${FLEET_PIDS[$i]}" 2>/dev/null; then
        echo "fleet: $name exited before it was ready" >&2
        return 1
      fi
      ((SECONDS < deadline)) || { echo "fleet: $name not ready on port $port" >&2; return 1; }
      sleep 0.5
    done
  done
}

fleet_stop() {
  local pid
  for pid in "${FLEET_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${FLEET_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  FLEET_PIDS=()
}
