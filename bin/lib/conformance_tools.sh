#!/usr/bin/env bash
# Installs the conformance tools once per version and prints where they are:
#   bin/lib/conformance_tools.sh schemathesis   -> path of the pinned schemathesis executable
# Schemathesis comes from PyPI (tests/conformance/requirements.txt, every version pinned, wheels only)
# into a venv under ~/.cache/pathways/tools/conformance-python-<hash>/, like the deployment-check tools.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${PATHWAYS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pathways/tools}"
REQUIREMENTS="$ROOT/tests/conformance/requirements.txt"

log() { printf '[conformance] %s\n' "$*" >&2; }
die() {
  printf '[conformance] error: %s\n' "$*" >&2
  exit 1
}

mkdir -p "$TOOLS"
hash="$(sha256sum "$REQUIREMENTS" | cut -c1-12)"
VENV="$TOOLS/conformance-python-$hash"

install_venv() {
  [[ -f $VENV/.complete ]] && return 0
  command -v python3 >/dev/null 2>&1 || die "python3 is needed for the conformance suite"
  local start=$SECONDS
  log "installing Schemathesis from tests/conformance/requirements.txt (PyPI wheels, once) ..."
  rm -rf "$VENV"
  python3 -m venv "$VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-input --only-binary=:all: \
    -r "$REQUIREMENTS" >"$VENV.log" 2>&1; then
    tail -n 20 "$VENV.log" >&2
    rm -rf "$VENV"
    die "pip install -r tests/conformance/requirements.txt failed (log: $VENV.log)"
  fi
  rm -f "$VENV.log"
  touch "$VENV/.complete"
  log "installed Schemathesis in $((SECONDS - start))s"
}

ensure_venv() {
  [[ -f $VENV/.complete ]] && "$VENV/bin/python" -c '' >/dev/null 2>&1 && return 0
  # One installer at a time (parallel bin/test runs share the cache).
  exec {lockfd}>"$TOOLS/.lock-conformance-python-$hash"
  flock "$lockfd"
  install_venv
  exec {lockfd}>&-
}

case "${1:-}" in
  schemathesis)
    ensure_venv
    printf '%s\n' "$VENV/bin/schemathesis"
    ;;
  *) die "usage: $0 schemathesis" ;;
esac
