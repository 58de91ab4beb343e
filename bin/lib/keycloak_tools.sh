#!/usr/bin/env bash
# Installs Keycloak once per version and prints its directory (bench/keycloak.ts only):
#   bin/lib/keycloak_tools.sh   -> ~/.cache/pathways/tools/keycloak-<version>
# The distribution is the Maven artifact org.keycloak:keycloak-quarkus-dist:<version>:tar.gz, fetched
# with Maven (`mvn dependency:copy`, the machine's Maven settings); it runs on a JDK 21+ (Temurin 25 here).
set -euo pipefail

VERSION="${KEYCLOAK_VERSION:-26.5.6}"
TOOLS="${PATHWAYS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pathways/tools}"
DIR="$TOOLS/keycloak-$VERSION"

log() { printf '[keycloak] %s\n' "$*" >&2; }
die() {
  printf '[keycloak] error: %s\n' "$*" >&2
  exit 1
}

if [[ ! -f $DIR/.complete ]]; then
  command -v mvn >/dev/null 2>&1 || die "Maven is needed to fetch Keycloak (Debian: apt-get install maven)"
  start=$SECONDS
  tmp="$DIR.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp/download"
  log "fetching org.keycloak:keycloak-quarkus-dist:$VERSION (tar.gz, about 160 MB, once) ..."
  if ! mvn -B -q dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$VERSION:tar.gz" \
    -DoutputDirectory="$tmp/download" >"$tmp.log" 2>&1; then
    tail -n 20 "$tmp.log" >&2
    rm -rf "$tmp"
    die "mvn dependency:copy failed (log: $tmp.log)"
  fi
  fetched=$((SECONDS - start))
  tar -xzf "$tmp/download/keycloak-quarkus-dist-$VERSION.tar.gz" -C "$tmp" --strip-components=1
  rm -rf "$tmp/download" "$tmp.log" "$DIR"
  mv "$tmp" "$DIR"
  touch "$DIR/.complete"
  log "installed Keycloak $VERSION in $((SECONDS - start))s (fetch ${fetched}s)"
fi
printf '%s\n' "$DIR"
