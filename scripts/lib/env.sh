# Loads dealgraph's configuration the way the apps do, through @dealgraph/config itself
# (`dealgraph dev env`): variables already in the environment win, then `.env`, then the
# schemas' defaults; each URL's host, port, user, password and path come as <NAME>_HOST, _PORT,
# _USER, _PASSWORD, _PATH. The scripts parse neither dotenv files nor URLs. Sourced by the
# other scripts, after `pnpm install` (bash scripts/bootstrap.sh).

load_dealgraph_env() {
  local root exports
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [[ ! -d $root/node_modules/tsx ]]; then
    echo "env: the dependencies are not installed; run bash scripts/bootstrap.sh first" >&2
    return 1
  fi
  exports=$(cd "$root" && node --import tsx apps/cli/src/main.ts dev env) || {
    echo "env: could not read the configuration (node --import tsx apps/cli/src/main.ts dev env)" >&2
    return 1
  }
  eval "$exports"
}
