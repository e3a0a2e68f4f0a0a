#!/usr/bin/env bash
# Local services for dealgraph on a machine without Docker: Redis, Postgres and two Neo4j
# servers (the action-item graph and the deal graph), plus the offline embedding model
# (scripts/models.sh).
#
#   scripts/services.sh up [--quiet]   start what is not running (installing what is missing),
#                                      wait until each accepts connections, bootstrap Postgres
#   scripts/services.sh status         report each service
#   scripts/services.sh down           stop what this script started (never a service it reused)
#   scripts/services.sh build-neo4j    build the Neo4j launcher (infra/neo4j) if it is not built
#   scripts/services.sh postgres-stop|postgres-start   fault tests: stop / start Postgres in place
#
# Addresses come from the same variables the apps read, resolved by @dealgraph/config itself
# (scripts/lib/env.sh), so a service already listening there is reused as it is.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# shellcheck source=scripts/lib/env.sh
source "$ROOT/scripts/lib/env.sh"
load_dealgraph_env

QUIET=0
for arg in "$@"; do [[ $arg == --quiet ]] && QUIET=1; done

LOCAL_DIR=$(mkdir -p "$DEALGRAPH_LOCAL_DIR" && cd "$DEALGRAPH_LOCAL_DIR" && pwd)
NEO4J_LAUNCHER_DIR="$ROOT/infra/neo4j"

say() { [[ $QUIET == 1 ]] || echo "$@"; }
fail() { echo "services: $*" >&2; exit 1; }

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_until SECONDS DESCRIPTION COMMAND...
wait_until() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
  say "  $what: ready"
}

APT_UPDATED=0
apt_install() {
  command -v apt-get >/dev/null || fail "cannot install $* (no apt-get); install it and run again"
  if [[ $APT_UPDATED == 0 ]]; then
    say "  installing $* from Debian's packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

is_pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# --- Redis -------------------------------------------------------------------------------
REDIS_HOST=$REDIS_URL_HOST
REDIS_PORT=$REDIS_URL_PORT
REDIS_PID="$LOCAL_DIR/redis.pid"

redis_ping() { redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

redis_up() {
  command -v redis-cli >/dev/null || apt_install redis-server
  if ! redis_ping; then
    mkdir -p "$LOCAL_DIR/redis"
    say "  redis: starting on $REDIS_HOST:$REDIS_PORT"
    # No persistence: the Postgres inbox is the durable record and a sweeper re-enqueues.
    redis-server --daemonize yes --bind "$REDIS_HOST" --port "$REDIS_PORT" \
      --save "" --appendonly no --maxmemory-policy noeviction \
      --dir "$LOCAL_DIR/redis" --pidfile "$REDIS_PID" --logfile "$LOCAL_DIR/redis.log"
    wait_until 30 redis redis_ping || fail "redis did not start; see $LOCAL_DIR/redis.log"
  else
    say "  redis: reusing $REDIS_HOST:$REDIS_PORT"
  fi
  local policy
  policy=$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" config get maxmemory-policy | tail -1)
  if [[ $policy != noeviction ]]; then
    # Evicted BullMQ locks break jobs; a local development server is safe to correct.
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" config set maxmemory-policy noeviction >/dev/null
    say "  redis: maxmemory-policy was $policy, set to noeviction"
  fi
}

# --- Postgres ------------------------------------------------------------------------------
PG_HOST=$DATABASE_URL_HOST
PG_PORT=$DATABASE_URL_PORT
PG_MARKER="$LOCAL_DIR/postgres.started"

pg_ready() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

pg_cluster() { pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'; }

# Runs psql as a superuser: POSTGRES_ADMIN_URL first, then the local postgres OS user.
pg_admin_psql() {
  local database=$1; shift
  local admin_url
  admin_url=$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.href)' \
    "$POSTGRES_ADMIN_URL" "$database")
  if psql "$admin_url" -qtAX -c 'select 1' >/dev/null 2>&1; then
    psql "$admin_url" -qtAX -v ON_ERROR_STOP=1 "$@"
  elif [[ $(id -u) == 0 ]] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- psql -h /var/run/postgresql -p "$PG_PORT" -d "$database" -qtAX -v ON_ERROR_STOP=1 "$@"
  else
    fail "cannot connect to Postgres as a superuser; set POSTGRES_ADMIN_URL"
  fi
}

postgres_up() {
  command -v pg_isready >/dev/null || apt_install postgresql
  if ! pg_ready; then
    if [[ -z $(pg_cluster) ]] && ! pg_lsclusters --no-header 2>/dev/null | grep -q .; then
      apt_install postgresql
    fi
    local cluster
    cluster=$(pg_cluster)
    [[ -n $cluster ]] || fail "no Postgres cluster on port $PG_PORT (pg_lsclusters); point DATABASE_URL at a running server"
    say "  postgres: starting cluster $cluster"
    # shellcheck disable=SC2086
    pg_ctlcluster --skip-systemctl-redirect $cluster start
    touch "$PG_MARKER"
    wait_until 60 postgres pg_ready || fail "postgres did not start"
  else
    say "  postgres: reusing $PG_HOST:$PG_PORT"
  fi
  local database
  database=$DATABASE_URL_PATH
  pg_admin_psql postgres \
    -v owner_role="$DATABASE_OWNER_URL_USER" \
    -v owner_password="$DATABASE_OWNER_URL_PASSWORD" \
    -v app_role="$DATABASE_URL_USER" \
    -v app_password="$DATABASE_URL_PASSWORD" \
    -v database="$database" \
    -f "$ROOT/infra/postgres/bootstrap.sql" >/dev/null
  pg_admin_psql "$database" -f "$ROOT/infra/postgres/extensions.sql" >/dev/null
  say "  postgres: database $database and roles ready"
}

# --- Neo4j ---------------------------------------------------------------------------------
neo4j_launcher_built() {
  [[ -f $NEO4J_LAUNCHER_DIR/target/neo4j-launcher.jar && -d $NEO4J_LAUNCHER_DIR/target/lib ]] &&
    [[ $NEO4J_LAUNCHER_DIR/target/neo4j-launcher.jar -nt $NEO4J_LAUNCHER_DIR/pom.xml ]] &&
    [[ $NEO4J_LAUNCHER_DIR/target/neo4j-launcher.jar -nt $NEO4J_LAUNCHER_DIR/src/main/java/dev/dealgraph/neo4j/Neo4jLauncher.java ]]
}

build_neo4j_launcher() {
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven openjdk-17-jdk-headless
  say "  neo4j: building the launcher (Neo4j Community from Maven Central)"
  mvn -B -q -f "$NEO4J_LAUNCHER_DIR/pom.xml" package >"$LOCAL_DIR/neo4j-build.log" 2>&1 ||
    fail "building infra/neo4j failed; see $LOCAL_DIR/neo4j-build.log"
}

ensure_neo4j_launcher() { neo4j_launcher_built || build_neo4j_launcher; }

# start_neo4j NAME VARIABLE PASSWORD: VARIABLE names the URI setting (ACTION_ITEM_NEO4J_URI).
start_neo4j() {
  local name=$1 uri=$2 password=$3
  local host port pidfile
  host=$(neo4j_host "$uri")
  port=$(neo4j_port "$uri")
  pidfile="$LOCAL_DIR/neo4j-$name.pid"
  if tcp_open "$host" "$port"; then
    say "  neo4j-$name: reusing $host:$port"
    return
  fi
  case $host in 127.0.0.1 | localhost | ::1) ;; *) fail "neo4j-$name at $host:$port is not reachable and is not local" ;; esac
  ensure_neo4j_launcher
  say "  neo4j-$name: starting on $host:$port"
  mkdir -p "$LOCAL_DIR/neo4j-$name"
  NEO4J_LAUNCHER_PASSWORD=$password nohup java -Xms256m "-Xmx$NEO4J_HEAP" -XX:+UseG1GC \
    -cp "$NEO4J_LAUNCHER_DIR/target/neo4j-launcher.jar:$NEO4J_LAUNCHER_DIR/target/lib/*" \
    dev.dealgraph.neo4j.Neo4jLauncher --home "$LOCAL_DIR/neo4j-$name" --address "$host" --port "$port" \
    --page-cache-mb "$NEO4J_PAGE_CACHE_MB" >"$LOCAL_DIR/neo4j-$name.log" 2>&1 &
  echo $! >"$pidfile"
}

neo4j_ready() { # NAME VARIABLE
  local host port
  host=$(neo4j_host "$2")
  port=$(neo4j_port "$2")
  local pidfile="$LOCAL_DIR/neo4j-$1.pid"
  if [[ -f $pidfile ]]; then
    is_pid_alive "$pidfile" || fail "neo4j-$1 exited; see $LOCAL_DIR/neo4j-$1.log"
    # Bolt listens before the launcher has set the password; its own line says it is done.
    grep -q "neo4j-launcher: ready" "$LOCAL_DIR/neo4j-$1.log"
  else
    tcp_open "$host" "$port"
  fi
}

# A URI setting's host and port, from the parts scripts/lib/env.sh exported beside it.
neo4j_host() { local v="${1}_HOST"; echo "${!v}"; }
neo4j_port() { local v="${1}_PORT"; echo "${!v}"; }
same_neo4j() { [[ $ACTION_ITEM_NEO4J_URI_HOST:$ACTION_ITEM_NEO4J_URI_PORT == "$DEAL_NEO4J_URI_HOST:$DEAL_NEO4J_URI_PORT" ]]; }

neo4j_up() {
  start_neo4j ai ACTION_ITEM_NEO4J_URI "$ACTION_ITEM_NEO4J_PASSWORD"
  same_neo4j || start_neo4j deals DEAL_NEO4J_URI "$DEAL_NEO4J_PASSWORD"
  wait_until 180 "neo4j-ai ($ACTION_ITEM_NEO4J_URI)" neo4j_ready ai ACTION_ITEM_NEO4J_URI || fail "neo4j-ai did not start; see $LOCAL_DIR/neo4j-ai.log"
  same_neo4j || wait_until 180 "neo4j-deals ($DEAL_NEO4J_URI)" neo4j_ready deals DEAL_NEO4J_URI ||
    fail "neo4j-deals did not start; see $LOCAL_DIR/neo4j-deals.log"
}

# --- Commands ------------------------------------------------------------------------------
stop_pidfile() { # NAME PIDFILE
  if is_pid_alive "$2"; then
    local pid
    pid=$(cat "$2")
    kill -TERM "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "  $1: stopped"
  fi
  rm -f "$2"
}


cmd_up() {
  say "dealgraph services:"
  redis_up
  postgres_up
  neo4j_up
  # Not a service, but what the offline provider needs before any app starts.
  bash "$ROOT/scripts/models.sh" $([[ $QUIET == 1 ]] && echo --quiet)
}

# The report is TypeScript (`dealgraph dev status`), reading the configuration as the apps do.
cmd_status() { node --import tsx "$ROOT/apps/cli/src/main.ts" dev status; }

cmd_down() {
  stop_pidfile neo4j-ai "$LOCAL_DIR/neo4j-ai.pid"
  stop_pidfile neo4j-deals "$LOCAL_DIR/neo4j-deals.pid"
  if is_pid_alive "$REDIS_PID"; then
    redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
    echo "  redis: stopped"
  fi
  rm -f "$REDIS_PID"
  if [[ -f $PG_MARKER ]]; then
    local cluster
    cluster=$(pg_cluster)
    # shellcheck disable=SC2086
    [[ -n $cluster ]] && pg_ctlcluster --skip-systemctl-redirect $cluster stop && echo "  postgres: stopped"
    rm -f "$PG_MARKER"
  fi
}

# For fault tests: stop and start the local Postgres cluster in place, whoever started it (the
# ownership marker is left as it was, so `down` still stops only what `up` started).
cmd_postgres() {
  local cluster
  cluster=$(pg_cluster)
  [[ -n $cluster ]] || fail "no local Postgres cluster on port $PG_PORT"
  # shellcheck disable=SC2086
  case $1 in
    stop) pg_ctlcluster --skip-systemctl-redirect $cluster stop -m fast ;;
    start)
      pg_ready || pg_ctlcluster --skip-systemctl-redirect $cluster start
      wait_until 60 postgres pg_ready || fail "postgres did not start"
      ;;
  esac
}

case ${1:-} in
  up) cmd_up ;;
  postgres-stop) cmd_postgres stop ;;
  postgres-start) cmd_postgres start ;;
  status) cmd_status ;;
  down) cmd_down ;;
  build-neo4j) ensure_neo4j_launcher ;;
  *) echo "usage: $0 up|status|down|build-neo4j|postgres-stop|postgres-start [--quiet]" >&2; exit 2 ;;
esac
