# Loads dealgraph's configuration the way the apps do: variables already in the environment win,
# then `.env`, then the defaults in `.env.example`. Sourced by the other scripts.

_load_env_file() {
  local file=$1 line name value
  [[ -f $file ]] || return 0
  while IFS= read -r line || [[ -n $line ]]; do
    [[ $line =~ ^[[:space:]]*# || ! $line =~ = ]] && continue
    name=${line%%=*}
    value=${line#*=}
    name=${name//[[:space:]]/}
    [[ $name =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    # Strip one pair of surrounding quotes, as dotenv does.
    if [[ $value =~ ^\"(.*)\"$ || $value =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
    if [[ -z ${!name:-} ]]; then
      export "$name=$value"
    fi
  done <"$file"
}

load_dealgraph_env() {
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  _load_env_file "$root/.env"
  # Renamed variables: the old name still counts when the new one is unset (as in @dealgraph/config).
  local suffix
  for suffix in URI USER PASSWORD DATABASE; do
    local old="NEO4J_$suffix" current="ACTION_ITEM_NEO4J_$suffix"
    if [[ -z ${!current:-} && -n ${!old:-} ]]; then export "$current=${!old}"; fi
  done
  _load_env_file "$root/.env.example"
}
