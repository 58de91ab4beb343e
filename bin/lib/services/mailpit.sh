# shellcheck shell=bash disable=SC2034  # constants are used by bin/services
# Mailpit: SMTP on 127.0.0.1:1025, Web UI + API on 127.0.0.1:8025, messages in .data/mailpit.

MAILPIT_VERSION=1.33.1
MAILPIT_SMTP_PORT=1025
MAILPIT_HTTP_PORT=8025
MAILPIT_PID="$RUN/mailpit.pid"
MAILPIT_LOG="$LOGS/mailpit.log"
MAILPIT_LOCAL_URL="http://127.0.0.1:$MAILPIT_HTTP_PORT"
MAILPIT_BIN=

mailpit_install() {
  ensure_pkg curl curl
  MAILPIT_BIN=$(ensure_go_tool mailpit "$MAILPIT_VERSION" github.com/axllent/mailpit "v$MAILPIT_VERSION" mailpit)
}

mailpit_running() { pid_alive "$MAILPIT_PID" mailpit; }

mailpit_healthy() { http_ok "$MAILPIT_LOCAL_URL/readyz" && http_ok "$MAILPIT_LOCAL_URL/api/v1/messages?limit=1"; }

mailpit_start() {
  mailpit_running && return 0
  require_free_port mailpit "$MAILPIT_SMTP_PORT"
  require_free_port mailpit "$MAILPIT_HTTP_PORT"
  mkdir -p "$DATA/mailpit"
  # Any SMTP credentials are accepted (also without TLS), so the app may be configured with or without auth.
  spawn "$MAILPIT_PID" "$MAILPIT_LOG" MP_DISABLE_VERSION_CHECK=true -- "$MAILPIT_BIN" \
    --smtp "127.0.0.1:$MAILPIT_SMTP_PORT" --listen "127.0.0.1:$MAILPIT_HTTP_PORT" \
    --database "$DATA/mailpit/mailpit.db" --max 5000 \
    --smtp-auth-accept-any --smtp-auth-allow-insecure ||
    fail_service mailpit "could not spawn the server"
}

mailpit_wait() { wait_healthy mailpit 30 "$MAILPIT_PID" mailpit mailpit_healthy; }

mailpit_stop() { stop_pid mailpit "$MAILPIT_PID" mailpit 15; }
