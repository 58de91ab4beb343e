# shellcheck shell=bash disable=SC2034  # constants are used by bin/services
# Shared helpers for bin/services. Sourced, never executed.
# Expects ROOT to be set by the caller (the project root).

DATA="$ROOT/.data"
LOGS="$DATA/logs"
RUN="$DATA/run"
TOOLS="${PATHWAYS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pathways/tools}"
SECRETS_FILE="$DATA/secrets.env"
SERVICES_ENV="$DATA/services.env"

# ---------------------------------------------------------------- output

log() { printf '[services] %s\n' "$*"; }
warn() { printf '[services] warning: %s\n' "$*" >&2; }
die() {
  printf '[services] error: %s\n' "$*" >&2
  exit 1
}

# Path relative to the project root, for messages.
rel() { printf '%s' "${1#"$ROOT"/}"; }

# "service X failed to start, see .data/logs/X.log" + the log's tail, then exit 1.
fail_service() {
  local name=$1 logfile="$LOGS/$1.log"
  shift
  printf '[services] service %s failed to start, see %s\n' "$name" "$(rel "$logfile")" >&2
  [[ $# -gt 0 ]] && printf '[services]   reason: %s\n' "$*" >&2
  if [[ -f $logfile ]]; then
    printf -- '----- last 30 lines of %s -----\n' "$(rel "$logfile")" >&2
    tail -n 30 "$logfile" >&2 || true
    printf -- '-----\n' >&2
  fi
  exit 1
}

# Elapsed seconds since $1 (an epoch-seconds value).
since() { echo $(($(date +%s) - $1)); }

# ---------------------------------------------------------------- directories

ensure_dirs() {
  mkdir -p "$DATA" "$LOGS" "$RUN" "$TOOLS"
  # .data is never committed, even if the root .gitignore forgets it.
  [[ -f $DATA/.gitignore ]] || printf '*\n' >"$DATA/.gitignore"
}

# ---------------------------------------------------------------- system packages

APT_UPDATED=0
# ensure_pkg <command-or-absolute-path> <debian-package>...
ensure_pkg() {
  local probe=$1
  shift
  if [[ $probe == /* ]]; then
    [[ -x $probe ]] && return 0
  else
    command -v "$probe" >/dev/null 2>&1 && return 0
  fi
  local sudo=()
  if [[ $EUID -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "$probe is missing; install Debian package(s): $*"
    sudo=(sudo)
  fi
  mkdir -p "$LOGS"
  log "installing $* (apt-get)..."
  if [[ $APT_UPDATED -eq 0 ]]; then
    "${sudo[@]}" apt-get update -qq >>"$LOGS/apt.log" 2>&1 || die "apt-get update failed, see $(rel "$LOGS/apt.log")"
    APT_UPDATED=1
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" \
    >>"$LOGS/apt.log" 2>&1 || die "apt-get install $* failed, see $(rel "$LOGS/apt.log")"
}

# ---------------------------------------------------------------- secrets

rand_hex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
rand_b64() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }

# Generate missing secrets once into .data/secrets.env (mode 600) and load them.
load_secrets() {
  local changed=0
  if [[ -f $SECRETS_FILE ]]; then
    # shellcheck disable=SC1090
    source "$SECRETS_FILE"
  fi
  (
    umask 077
    touch "$SECRETS_FILE"
  )
  chmod 600 "$SECRETS_FILE"
  add_secret() {
    local name=$1 value=$2
    [[ -n ${!name:-} ]] && return 0
    printf -v "$name" '%s' "$value"
    printf '%s=%s\n' "$name" "$value" >>"$SECRETS_FILE"
    changed=1
  }
  add_secret PG_OWNER_PASSWORD "$(rand_hex 24)"
  add_secret PG_APP_PASSWORD "$(rand_hex 24)"
  add_secret MINIO_ACCESS_KEY "pw$(rand_hex 9)"
  add_secret MINIO_SECRET_KEY "$(rand_hex 24)"
  add_secret MINIO_KMS_KEY "$(rand_b64 32)"
  [[ $changed -eq 1 ]] && log "generated local secrets in $(rel "$SECRETS_FILE")"
  return 0
}

# ---------------------------------------------------------------- processes and ports

# pid_alive <pidfile> [cmdline-substring]: true when the pid in the file is a live process
# (whose command line contains the substring, guarding against pid reuse).
pid_alive() {
  local pidfile=$1 pattern=${2:-} pid
  [[ -f $pidfile ]] || return 1
  pid=$(head -n1 "$pidfile" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -n $pattern ]]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pattern" || return 1
  fi
}

# True when something accepts TCP connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails when the port is taken by a process that is not ours.
require_free_port() {
  local name=$1 port=$2
  if port_open "$port"; then
    fail_service "$name" "port $port on 127.0.0.1 is already in use by another process (another checkout's services?)"
  fi
}

# Keeps logs bounded: a log over 20 MB is moved to <log>.1 before the service starts again.
rotate_log() {
  local f=$1
  if [[ -f $f ]] && (($(stat -c %s "$f") > 20 * 1024 * 1024)); then
    mv -f "$f" "$f.1"
  fi
}

# spawn <pidfile> <logfile> [VAR=value...] -- <cmd> [args...]
# Starts a detached daemon (own session, stdin closed) appending to the log; writes its pid.
spawn() {
  local pidfile=$1 logfile=$2
  shift 2
  local envs=()
  while [[ $# -gt 0 && $1 != -- ]]; do
    envs+=("$1")
    shift
  done
  [[ ${1:-} == -- ]] && shift
  rm -f "$pidfile"
  rotate_log "$logfile"
  printf '\n===== %s starting: %s =====\n' "$(date -u +%FT%TZ)" "$(basename "$1")" >>"$logfile"
  # The inner shell writes its own pid, then execs the program, so the pid is the daemon's.
  # shellcheck disable=SC2016
  env "${envs[@]}" setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
    </dev/null >>"$logfile" 2>&1 &
  local i
  for i in $(seq 1 50); do
    [[ -s $pidfile ]] && return 0
    sleep 0.1
  done
  return 1
}

# stop_pid <name> <pidfile> [pattern] [timeout-seconds]: SIGTERM, wait, then SIGKILL.
stop_pid() {
  local name=$1 pidfile=$2 pattern=${3:-} timeout=${4:-30} pid i
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    return 1
  fi
  pid=$(head -n1 "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$name did not stop within ${timeout}s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$pidfile"
  return 0
}

# wait_healthy <name> <timeout-seconds> <pidfile|-> <pattern|-> <check-cmd> [args...]
# Polls the check until it succeeds; fails fast if the process died.
wait_healthy() {
  local name=$1 timeout=$2 pidfile=$3 pattern=$4
  shift 4
  local start
  start=$(date +%s)
  while true; do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if [[ $pidfile != - ]]; then
      local pat=$pattern
      [[ $pat == - ]] && pat=
      pid_alive "$pidfile" "$pat" || fail_service "$name" "the process exited"
    fi
    if (($(since "$start") >= timeout)); then
      fail_service "$name" "not healthy after ${timeout}s"
    fi
    sleep 0.5
  done
}

http_ok() { curl -fsS -o /dev/null --max-time 3 "$1"; }

# ---------------------------------------------------------------- external services

# is_external <VAR> <value-this-script-would-write>: the variable is set to something else.
# (A value equal to our own local one, e.g. after sourcing services.env, is not "external".)
is_external() {
  local name=$1 local_value=$2
  [[ -n ${!name:-} && ${!name} != "$local_value" ]]
}

# URL without user:password, for status lines.
redact_url() { printf '%s' "$1" | sed -E 's#^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@#\1#'; }

# ---------------------------------------------------------------- tool builds

# with_lock <name> <cmd...>: serializes builds of one tool between concurrent runs.
with_lock() {
  local lockname=$1
  shift
  if command -v flock >/dev/null 2>&1; then
    (
      flock 9
      "$@"
    ) 9>"$TOOLS/.$lockname.lock"
  else
    "$@"
  fi
}

# Waits while another process (not started by us) is already running `go install <module>@...`
# for the same version: building it twice at once would only slow both down.
wait_foreign_go_install() {
  local what=$1 pattern=$2 waited=0
  while pgrep -f -- "$pattern" >/dev/null 2>&1; do
    if [[ $waited -eq 0 ]]; then
      log "$what: another 'go install' of it is already running, waiting for it..."
    fi
    sleep 5
    waited=$((waited + 5))
    if ((waited > 3600)); then
      die "$what: gave up waiting for the other build after an hour"
    fi
  done
}

# ensure_go_tool <name> <version> <module-path> <module-version> <binary-name>
# Result: prints the binary path. Builds with `go install` into TOOLS/<name>-<version>/ if absent.
ensure_go_tool() {
  local name=$1 version=$2 module=$3 modver=$4 binary=$5
  local dir="$TOOLS/$name-$version"
  if [[ -x $dir/$binary ]]; then
    printf '%s\n' "$dir/$binary"
    return 0
  fi
  with_lock "$name-$version" _build_go_tool "$@" >&2
  [[ -x $dir/$binary ]] || die "$name $version: build did not produce $dir/$binary"
  printf '%s\n' "$dir/$binary"
}

_build_go_tool() {
  local name=$1 version=$2 module=$3 modver=$4 binary=$5
  local dir="$TOOLS/$name-$version"
  wait_foreign_go_install "$name $version" "go install $module@$modver"
  [[ -x $dir/$binary ]] && return 0
  command -v go >/dev/null 2>&1 || die "$name $version must be built with Go, but 'go' is not installed"
  local buildlog="$LOGS/build-$name.log" tmp="$dir.tmp.$$" start
  start=$(date +%s)
  log "building $name $version with 'go install $module@$modver' (cached afterwards; can take several minutes; log: $(rel "$buildlog"))"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! GOFLAGS=-buildvcs=false GOBIN="$tmp" go install "$module@$modver" >"$buildlog" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$buildlog" >&2
    die "building $name $version failed, see $(rel "$buildlog")"
  fi
  mkdir -p "$dir"
  mv -f "$tmp/$binary" "$dir/$binary"
  rm -rf "$tmp"
  log "built $name $version in $(since "$start")s"
}
