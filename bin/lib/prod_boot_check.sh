#!/usr/bin/env bash
# Production-build boot test: what the Dockerfile's build stage produces, proven without a Docker
# engine. In a temporary directory it builds the Docker build context (.dockerignore applied) with
# `node ace build`, installs production dependencies only (`npm ci --omit=dev`, cached per lock file
# hash), writes the prebuilt workflow bundle (`node ace temporal:bundle`), then, against the local
# services:
#   - boots the API from build/ (NODE_ENV=production) and waits for GET /health/ready -> 200;
#   - starts the worker from build/ and waits until it logs that it uses the prebuilt bundle and
#     polls its task queues (its own queues, so it never takes another run's tasks);
# then stops both (SIGTERM, the worker drains). Run by bin/test after `load_app_env test`.
#
#   bin/lib/prod_boot_check.sh      # needs the service URLs and APP_KEY in the environment
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TOOLS="${PATHWAYS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pathways/tools}"
BOOT_TIMEOUT="${PATHWAYS_BOOT_TIMEOUT:-90}"

log() { printf '[prod-boot] %s\n' "$*"; }
die() {
  printf '[prod-boot] FAIL: %s\n' "$*" >&2
  exit 1
}

: "${DATABASE_URL:?load_app_env first}" "${APP_KEY:?load_app_env first}" "${TEMPORAL_ADDRESS:?load_app_env first}"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pathways-prod-boot.XXXXXX")"
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
started=$SECONDS

# ------------------------------------------------------------------ build context (COPY . .)
# Files git would commit (tracked + untracked, not ignored), filtered by .dockerignore with
# Docker's rules (patterns in order, the last match wins, `!` re-includes).
mkdir -p "$WORK/src"
git ls-files -z -co --exclude-standard | python3 -c '
import fnmatch, os, sys
rules = []
for line in open(".dockerignore"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    neg = line.startswith("!")
    pat = line[1:] if neg else line
    rules.append((neg, pat.strip("/")))
def ignored(path):
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    out = False
    for neg, pat in rules:
        if any(fnmatch.fnmatchcase(p, pat) for p in prefixes):
            out = not neg
    return out
for path in sys.stdin.read().split("\0"):
    if path and os.path.isfile(path) and not ignored(path):
        print(path)
' >"$WORK/files.txt"
tar -cf - -T "$WORK/files.txt" | tar -xf - -C "$WORK/src"
# The build stage ran `npm ci` (dev dependencies included) before `node ace build`: the checkout's.
ln -s "$ROOT/node_modules" "$WORK/src/node_modules"
log "build context: $(wc -l <"$WORK/files.txt") files"

# ------------------------------------------------------------------ RUN node ace build
t=$SECONDS
(cd "$WORK/src" && timeout 600 node ace build >"$WORK/build.log" 2>&1) || {
  tail -n 40 "$WORK/build.log"
  die "node ace build failed"
}
# The runtime stage copies build/ to /app, away from the build stage's full node_modules.
mv "$WORK/src/build" "$WORK/app"
BUILD="$WORK/app"
log "node ace build: $((SECONDS - t))s"

# ------------------------------------------------------------------ RUN npm ci --omit=dev (cached)
# Keyed by the lock file and the Node version; reused through a symlink.
t=$SECONDS
hash="$( (cat "$BUILD/package-lock.json"; node -v) | sha256sum | cut -c1-12)"
DEPS="$TOOLS/prod-deps-$hash"
if [[ ! -f $DEPS/.complete ]]; then
  exec {lockfd}>"$TOOLS/.lock-prod-deps-$hash"
  flock "$lockfd"
  if [[ ! -f $DEPS/.complete ]]; then
    rm -rf "$DEPS"
    mkdir -p "$DEPS"
    cp "$BUILD/package.json" "$BUILD/package-lock.json" "$DEPS/"
    (cd "$DEPS" && timeout 900 npm ci --omit=dev --no-audit --no-fund >"$WORK/npm.log" 2>&1) || {
      tail -n 40 "$WORK/npm.log"
      rm -rf "$DEPS"
      die "npm ci --omit=dev failed"
    }
    touch "$DEPS/.complete"
    log "npm ci --omit=dev: $((SECONDS - t))s (cached in $DEPS)"
  fi
  exec {lockfd}>&-
fi
ln -s "$DEPS/node_modules" "$BUILD/node_modules"
# Only production dependencies: a dev-only package (no production package needs it) must not resolve.
if (cd "$BUILD" && node -e 'import("@temporalio/testing").then(() => process.exit(0), () => process.exit(1))'); then
  die "a dev dependency (@temporalio/testing) is resolvable from the production build"
fi

# ------------------------------------------------------------------ RUN node ace temporal:bundle
t=$SECONDS
(cd "$BUILD" && env -i PATH="$PATH" HOME="$HOME" timeout 300 node ace temporal:bundle >"$WORK/bundle.log" 2>&1) || {
  tail -n 40 "$WORK/bundle.log"
  die "node ace temporal:bundle failed (it must run without any environment, as in the image build)"
}
[[ -s $BUILD/workflow_bundle.js ]] || die "node ace temporal:bundle wrote no $BUILD/workflow_bundle.js"
log "node ace temporal:bundle: $((SECONDS - t))s ($(($(stat -c %s "$BUILD/workflow_bundle.js") / 1024)) KiB)"

# ------------------------------------------------------------------ boot the API
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# wait_for <seconds> <description> <command...>: polls the command every 0.5 s (a bounded poll of
# an external process, not a synchronization sleep inside a test).
wait_for() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@"; do
    if ((SECONDS >= deadline)); then
      return 1
    fi
    sleep 0.5
  done
  log "$what after $((limit - (deadline - SECONDS)))s"
}

alive() { kill -0 "$1" 2>/dev/null; }

export NODE_ENV=production LOG_LEVEL=info
API_PORT="$(free_port)"
(cd "$BUILD" && exec env PORT="$API_PORT" HOST=127.0.0.1 node bin/server.js) >"$WORK/api.log" 2>&1 &
API_PID=$!
PIDS+=("$API_PID")
ready() {
  alive "$API_PID" || return 2
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$API_PORT/health/ready")" == 200 ]]
}
if ! wait_for "$BOOT_TIMEOUT" "API from build/: GET /health/ready -> 200" ready; then
  tail -n 40 "$WORK/api.log"
  curl -s "http://127.0.0.1:$API_PORT/health/ready" || true
  die "the API built for production did not answer 200 on /health/ready within ${BOOT_TIMEOUT}s"
fi

# ------------------------------------------------------------------ start the worker
QUEUE="prod-boot-$$-$RANDOM"
(cd "$BUILD" && exec env TEMPORAL_TASK_QUEUE="$QUEUE" TEMPORAL_INGESTION_TASK_QUEUE="$QUEUE-ingestion" \
  WORKER_METRICS_PORT="$(free_port)" WORKER_HEALTH_PORT="$(free_port)" WORKER_SHUTDOWN_GRACE_SECONDS=5 \
  node ace temporal:worker) >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!
PIDS+=("$WORKER_PID")
polling() {
  alive "$WORKER_PID" || return 2
  grep -q 'using prebuilt workflow bundle' "$WORK/worker.log" && grep -q "polling" "$WORK/worker.log"
}
if ! wait_for "$BOOT_TIMEOUT" "worker from build/: prebuilt bundle, polling $QUEUE" polling; then
  tail -n 40 "$WORK/worker.log"
  die "the worker built for production did not log 'using prebuilt workflow bundle' and reach polling within ${BOOT_TIMEOUT}s"
fi

# ------------------------------------------------------------------ stop both
kill -TERM "$WORKER_PID" "$API_PID"
for pid in "$WORKER_PID" "$API_PID"; do
  if ! timeout 60 tail --pid="$pid" -f /dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
    die "process $pid did not stop within 60 s of SIGTERM"
  fi
done
PIDS=()
log "ok: production build boots (API ready, worker polling from the prebuilt bundle) in $((SECONDS - started))s"
