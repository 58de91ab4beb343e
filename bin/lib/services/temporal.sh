# shellcheck shell=bash disable=SC2034  # constants are used by bin/services
# Temporal dev server (CLI v1.5.1, SQLite file in .data/temporal) on 127.0.0.1:7233, Web UI on 8233.

TEMPORAL_VERSION=1.5.1
TEMPORAL_PORT=7233
TEMPORAL_HTTP_PORT=7243
TEMPORAL_UI_PORT=8233
TEMPORAL_PID="$RUN/temporal.pid"
TEMPORAL_LOG="$LOGS/temporal.log"
TEMPORAL_LOCAL_ADDRESS="127.0.0.1:$TEMPORAL_PORT"
TEMPORAL_LOCAL_UI_URL="http://127.0.0.1:$TEMPORAL_UI_PORT"
# Custom search attributes the workflows use (see ARCHITECTURE.md, "Workflows").
TEMPORAL_SEARCH_ATTRIBUTES=(SchoolId=Keyword WorkflowKind=Keyword InviteEmail=Keyword InviteStatus=Keyword)
TEMPORAL_BIN=

temporal_install() {
  # Later CLI tags carry a replace directive, which `go install pkg@version` rejects.
  TEMPORAL_BIN=$(ensure_go_tool temporal "$TEMPORAL_VERSION" \
    github.com/temporalio/cli/cmd/temporal "v$TEMPORAL_VERSION" temporal)
}

temporal_running() { pid_alive "$TEMPORAL_PID" "server start-dev"; }

temporal_cluster_serving() {
  "$TEMPORAL_BIN" operator cluster health --address "$TEMPORAL_LOCAL_ADDRESS" 2>/dev/null | grep -q SERVING
}

# Healthy = frontend SERVING, our search attributes registered, Web UI answering.
temporal_healthy() {
  temporal_cluster_serving || return 1
  local attrs sa
  attrs=$("$TEMPORAL_BIN" operator search-attribute list --address "$TEMPORAL_LOCAL_ADDRESS" \
    --namespace default 2>/dev/null) || return 1
  for sa in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do
    grep -qw -- "${sa%%=*}" <<<"$attrs" || return 1
  done
  http_ok "$TEMPORAL_LOCAL_UI_URL/"
}

temporal_start() {
  temporal_running && return 0
  require_free_port temporal "$TEMPORAL_PORT"
  require_free_port temporal "$TEMPORAL_UI_PORT"
  mkdir -p "$DATA/temporal"
  local args=(server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --http-port "$TEMPORAL_HTTP_PORT"
    --ui-port "$TEMPORAL_UI_PORT" --db-filename "$DATA/temporal/temporal.db"
    --log-format json --log-level warn) sa
  for sa in "${TEMPORAL_SEARCH_ATTRIBUTES[@]}"; do
    args+=(--search-attribute "$sa")
  done
  # TEMPORAL_* client variables from the caller's shell must not leak into the server.
  spawn "$TEMPORAL_PID" "$TEMPORAL_LOG" -u TEMPORAL_ADDRESS -u TEMPORAL_NAMESPACE -- "$TEMPORAL_BIN" "${args[@]}" ||
    fail_service temporal "could not spawn the server"
}

temporal_wait() { wait_healthy temporal 90 "$TEMPORAL_PID" "server start-dev" temporal_healthy; }

temporal_stop() { stop_pid temporal "$TEMPORAL_PID" "server start-dev" 30; }
