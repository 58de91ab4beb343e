# shellcheck shell=bash disable=SC2034  # constants are used by bin/services
# PostgreSQL 15: a private cluster in .data/postgres on 127.0.0.1:54320.

PG_PORT=54320
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PG_DATA="$DATA/postgres"
PG_LOG="$LOGS/postgres.log"
PG_ALT= # set when the cluster lives outside the checkout (see pg_prepare_dirs)
PG_DB_DEV=pathways_dev
PG_DB_TEST=pathways_test
PG_DB_BENCH=pathways_bench # bin/bench migrates it fresh on every run
PG_OWNER=pathways_owner
PG_APP=pathways_app

# When the server user cannot reach the checkout (e.g. a clone under /root, mode 700), the cluster
# and its log live in /var/lib/pathways-pg/<hash of the checkout path>/, and .data/postgres and
# .data/logs/postgres.log are symlinks to them.
pg_use_alt() {
  PG_ALT="/var/lib/pathways-pg/$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
  PG_DATA="$PG_ALT/data"
  PG_LOG="$PG_ALT/postgres.log"
}
if [[ -L $DATA/postgres ]]; then pg_use_alt; fi

# The unix socket directory (only the superuser bootstrap uses it). Socket paths are limited to
# ~107 bytes, so fall back to /tmp for deeply nested checkouts.
pg_socket_dir() {
  local dir="$RUN/pg"
  if [[ -n $PG_ALT ]]; then
    dir="$PG_ALT/run"
  elif ((${#dir} > 80)); then
    dir="/tmp/pathways-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-10)"
  fi
  printf '%s' "$dir"
}

# Runs a command as the server's OS user: postgres refuses to run as root.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

pg_url() { # <role> <password> <db>
  printf 'postgres://%s:%s@127.0.0.1:%s/%s' "$1" "$2" "$PG_PORT" "$3"
}

postgres_install() {
  ensure_pkg "$PG_BIN/initdb" "postgresql-$PG_VERSION" postgresql-client-"$PG_VERSION"
  if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    die "the 'postgres' OS user is missing (it comes with the Debian postgresql package)"
  fi
}

postgres_running() { as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

postgres_healthy() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 2; }

pg_prepare_dirs() {
  local sock
  if [[ $EUID -eq 0 && -z $PG_ALT ]] && ! runuser -u postgres -- test -x "$DATA" -a -x "$LOGS" -a -x "$RUN"; then
    # The server user cannot traverse the path to .data (every parent directory needs o+x).
    if [[ -d $DATA/postgres && ! -L $DATA/postgres ]]; then
      rmdir "$DATA/postgres" 2>/dev/null ||
        fail_service postgres "the postgres OS user cannot reach $DATA (make its parent directories world-searchable: chmod o+x)"
    fi
    pg_use_alt
    mkdir -p "$PG_ALT"
    chown postgres:postgres "$PG_ALT"
    chmod 700 "$PG_ALT"
    ln -sfn "$PG_DATA" "$DATA/postgres"
    [[ -f $LOGS/postgres.log && ! -L $LOGS/postgres.log ]] && cat "$LOGS/postgres.log" >>"$PG_LOG"
    ln -sfn "$PG_LOG" "$LOGS/postgres.log"
    log "postgres: the postgres OS user cannot reach $(rel "$DATA"); the cluster lives in $PG_ALT (linked from .data/postgres)"
  fi
  sock=$(pg_socket_dir)
  mkdir -p "$PG_DATA" "$sock"
  touch "$PG_LOG"
  if [[ $EUID -eq 0 ]]; then
    chown postgres:postgres "$PG_DATA" "$sock" "$PG_LOG"
    runuser -u postgres -- test -w "$PG_DATA" -a -w "$PG_LOG" ||
      fail_service postgres "the postgres OS user cannot write to $PG_DATA or $PG_LOG"
  fi
  chmod 700 "$PG_DATA" "$sock"
}

# A quarter of memory, capped at 2 GB: how RDS sizes it (production's db.m7g.large gets 2 GB).
# At 128 MB the 1M-job search table was read page by page from the OS cache: p95 312 -> 179 ms.
pg_shared_buffers_mb() {
  local kb
  kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  local mb=$((kb / 1024 / 4))
  ((mb > 2048)) && mb=2048
  ((mb < 128)) && mb=128
  echo "${PG_SHARED_BUFFERS_MB:-$mb}"
}

pg_write_config() {
  local sock
  sock=$(pg_socket_dir)
  as_pg tee "$PG_DATA/pathways.conf" >/dev/null <<EOF
# Written by bin/services on every start; do not edit.
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$sock'
password_encryption = 'scram-sha-256'
max_connections = 200
shared_buffers = $(pg_shared_buffers_mb)MB
# Disposable dev/test data: trade durability for speed.
fsync = off
synchronous_commit = off
full_page_writes = off
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
timezone = 'UTC'
EOF
  as_pg tee "$PG_DATA/pg_hba.conf" >/dev/null <<'EOF'
# Written by bin/services. The unix socket lives in a 0700 directory of the server user,
# so only that user (and root) can use the peer-authenticated superuser connection.
local   all   all                    peer
host    all   all   127.0.0.1/32     scram-sha-256
host    all   all   ::1/128          scram-sha-256
EOF
}

postgres_start() {
  if postgres_running; then
    return 0
  fi
  require_free_port postgres "$PG_PORT"
  rotate_log "$PG_LOG"
  pg_prepare_dirs
  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    log "postgres: initializing a new cluster in $(rel "$PG_DATA")"
    as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
      --encoding=UTF8 --locale=C.UTF-8 >>"$PG_LOG" 2>&1 || fail_service postgres "initdb failed"
    printf "\ninclude_if_exists = 'pathways.conf'\n" | as_pg tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi
  pg_write_config
  # -W: don't wait here; wait_healthy does, so the other services start meanwhile.
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -W start >/dev/null 2>&1 ||
    fail_service postgres "pg_ctl start failed"
}

postgres_wait() {
  local start
  start=$(date +%s)
  while ! postgres_healthy; do
    if (($(since "$start") >= 60)); then fail_service postgres "not ready after 60s"; fi
    if (($(since "$start") >= 3)) && ! postgres_running; then fail_service postgres "the server exited"; fi
    sleep 0.3
  done
  pg_bootstrap || fail_service postgres "creating roles and databases failed"
}

pg_psql() { # <db> [psql args...]  (superuser over the unix socket)
  local db=$1
  shift
  as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_socket_dir)" -p "$PG_PORT" -U postgres -d "$db" "$@"
}

# Idempotent: roles, passwords (re-synced with secrets.env on every start), databases, grants.
pg_bootstrap() {
  pg_psql postgres -v owner_pw="$PG_OWNER_PASSWORD" -v app_pw="$PG_APP_PASSWORD" >>"$PG_LOG" 2>&1 <<SQL
SELECT format('CREATE ROLE %I LOGIN', r) FROM unnest(ARRAY['$PG_OWNER', '$PG_APP']) AS r
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) \gexec
ALTER ROLE $PG_OWNER WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'owner_pw';
ALTER ROLE $PG_APP WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'app_pw';
SELECT format('CREATE DATABASE %I OWNER %I', d, '$PG_OWNER') FROM unnest(ARRAY['$PG_DB_DEV', '$PG_DB_TEST', '$PG_DB_BENCH']) AS d
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d) \gexec
ALTER DATABASE $PG_DB_DEV OWNER TO $PG_OWNER;
ALTER DATABASE $PG_DB_TEST OWNER TO $PG_OWNER;
ALTER DATABASE $PG_DB_BENCH OWNER TO $PG_OWNER;
REVOKE ALL ON DATABASE $PG_DB_DEV, $PG_DB_TEST, $PG_DB_BENCH FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE $PG_DB_DEV, $PG_DB_TEST, $PG_DB_BENCH TO $PG_APP;
SQL
  local db
  for db in "$PG_DB_DEV" "$PG_DB_TEST" "$PG_DB_BENCH"; do
    pg_psql "$db" >>"$PG_LOG" 2>&1 <<SQL || return 1
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO $PG_APP;
SQL
  done
}

postgres_stop() {
  if ! postgres_running; then
    return 1
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1 ||
    warn "postgres did not stop cleanly, see $(rel "$PG_LOG")"
  return 0
}
