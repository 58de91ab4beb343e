# shellcheck shell=bash
# Sourced by bin/dev and bin/test after `bin/services up`: the application's
# environment on top of the service URLs (start/env.ts validates all of it).
# $1 = development | test
load_app_env() {
  local mode="$1"
  # shellcheck disable=SC1091
  source "$ROOT/.data/services.env"

  # One random APP_KEY per checkout, never committed.
  if [ ! -s "$ROOT/.data/app_key" ]; then
    node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))" >"$ROOT/.data/app_key"
    chmod 600 "$ROOT/.data/app_key"
  fi
  export APP_KEY="${APP_KEY:-$(cat "$ROOT/.data/app_key")}"
  export HOST="${HOST:-127.0.0.1}"
  export TZ=UTC
  export SEARCH_ENGINE="${SEARCH_ENGINE:-postgres}"
  export MAIL_FROM_ADDRESS="${MAIL_FROM_ADDRESS:-no-reply@pathways.local}"

  if [ "$mode" = test ]; then
    export NODE_ENV=test
    export PORT="${TEST_PORT:-33330}"
    export LOG_LEVEL="${LOG_LEVEL:-silent}"
    export DATABASE_URL="${TEST_DATABASE_URL:-$DATABASE_URL}"
    export DATABASE_OWNER_URL="${TEST_DATABASE_OWNER_URL:-${DATABASE_OWNER_URL:-}}"
    # Parallel runs on one machine: PATHWAYS_TEST_DB picks another (owner-created) database,
    # PATHWAYS_TEST_REDIS_DB another Redis database, TEST_PORT another HTTP port.
    if [ -n "${PATHWAYS_TEST_DB:-}" ]; then
      DATABASE_URL="${DATABASE_URL%/*}/$PATHWAYS_TEST_DB"
      DATABASE_OWNER_URL="${DATABASE_OWNER_URL%/*}/$PATHWAYS_TEST_DB"
      export DATABASE_URL DATABASE_OWNER_URL
    fi
    if [ -n "${PATHWAYS_TEST_REDIS_DB:-}" ]; then
      export REDIS_URL="${REDIS_URL%/}/$PATHWAYS_TEST_REDIS_DB"
    fi
    # Tests use their own Temporal namespace (created by `node ace temporal:setup`), so
    # test schedules and workflows never show up in bin/dev's; one task queue per test
    # database, so parallel runs neither steal each other's tasks nor clean each other's work.
    export TEMPORAL_NAMESPACE="${PATHWAYS_TEST_TEMPORAL_NAMESPACE:-pathways-test}"
    export TEMPORAL_TASK_QUEUE="${TEMPORAL_TASK_QUEUE:-pathways-test${PATHWAYS_TEST_DB:+-$PATHWAYS_TEST_DB}}"
    export TEMPORAL_INGESTION_TASK_QUEUE="${TEMPORAL_INGESTION_TASK_QUEUE:-$TEMPORAL_TASK_QUEUE}"
    # Worker processes started by tests take ephemeral ports (parallel runs never collide).
    export WORKER_METRICS_PORT="${WORKER_METRICS_PORT:-0}" WORKER_HEALTH_PORT="${WORKER_HEALTH_PORT:-0}"
  else
    export NODE_ENV="${NODE_ENV:-development}"
    export TEMPORAL_NAMESPACE="${PATHWAYS_DEV_TEMPORAL_NAMESPACE:-pathways-dev}"
    export PORT="${PORT:-3333}"
    export LOG_LEVEL="${LOG_LEVEL:-info}"
  fi
  export APP_URL="${APP_URL:-http://$HOST:$PORT}"
}

# Installs node_modules when missing or older than the lock file.
ensure_dependencies() {
  if [ ! -f "$ROOT/node_modules/.package-lock.json" ] ||
    [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    echo "==> npm ci"
    (cd "$ROOT" && npm ci --no-audit --no-fund)
  fi
}
