#!/usr/bin/env bash
# Postgres image init hook (docker-compose): the same bootstrap scripts/services.sh runs locally.
set -euo pipefail
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres \
  -v owner_role="${DEALGRAPH_OWNER_ROLE:-dealgraph_owner}" -v owner_password="${DEALGRAPH_OWNER_PASSWORD:-dealgraph_owner}" \
  -v app_role="${DEALGRAPH_APP_ROLE:-dealgraph_app}" -v app_password="${DEALGRAPH_APP_PASSWORD:-dealgraph_app}" \
  -v database="${DEALGRAPH_DATABASE:-dealgraph}" \
  -f /dealgraph/bootstrap.sql
psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "${DEALGRAPH_DATABASE:-dealgraph}" -f /dealgraph/extensions.sql
