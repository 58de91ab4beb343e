# shellcheck shell=bash disable=SC2034  # constants are used by bin/services
# Redis 7 (Debian redis-server) on 127.0.0.1:63790, no persistence.

REDIS_PORT=63790
REDIS_PID="$RUN/redis.pid"
REDIS_LOG="$LOGS/redis.log"
REDIS_LOCAL_URL="redis://127.0.0.1:$REDIS_PORT"

redis_install() {
  ensure_pkg redis-server redis-server
  ensure_pkg redis-cli redis-tools
}

redis_running() { pid_alive "$REDIS_PID" redis-server; }

redis_healthy() { [[ $(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null) == PONG ]]; }

redis_start() {
  redis_running && return 0
  require_free_port redis "$REDIS_PORT"
  mkdir -p "$DATA/redis"
  rm -f "$REDIS_PID"
  rotate_log "$REDIS_LOG"
  printf '\n===== %s starting: redis-server =====\n' "$(date -u +%FT%TZ)" >>"$REDIS_LOG"
  # --daemonize: redis forks and writes its own pid file.
  # shellcheck disable=SC2094
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --save '' --appendonly no --dir "$DATA/redis" \
    --daemonize yes --pidfile "$REDIS_PID" --logfile "$REDIS_LOG" \
    </dev/null >>"$REDIS_LOG" 2>&1 || fail_service redis "redis-server refused to start"
}

redis_wait() {
  local start
  start=$(date +%s)
  while ! redis_healthy; do
    if (($(since "$start") >= 30)); then fail_service redis "not answering PING after 30s"; fi
    if (($(since "$start") >= 3)) && ! redis_running; then fail_service redis "the server exited"; fi
    sleep 0.2
  done
}

redis_stop() { stop_pid redis "$REDIS_PID" redis-server 30; }
