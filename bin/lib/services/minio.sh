# shellcheck shell=bash disable=SC2034  # constants are used by bin/services
# MinIO (S3 API) on 127.0.0.1:9000, console on 9001, data in .data/minio.

MINIO_VERSION=20260212
MINIO_MODULE_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
MINIO_PORT=9000
MINIO_CONSOLE_PORT=9001
MINIO_PID="$RUN/minio.pid"
MINIO_LOG="$LOGS/minio.log"
MINIO_LOCAL_URL="http://127.0.0.1:$MINIO_PORT"
MINIO_CONSOLE_URL_LOCAL="http://127.0.0.1:$MINIO_CONSOLE_PORT"
S3_REGION_DEFAULT=us-east-1
S3_BUCKETS=(pathways-resumes pathways-reports)
MINIO_BIN=

minio_install() {
  ensure_pkg curl curl
  MINIO_BIN=$(ensure_go_tool minio "$MINIO_VERSION" github.com/minio/minio "$MINIO_MODULE_VERSION" minio)
}

minio_running() { pid_alive "$MINIO_PID" "minio server"; }

minio_healthy() { http_ok "$MINIO_LOCAL_URL/minio/health/ready"; }

minio_start() {
  minio_running && return 0
  require_free_port minio "$MINIO_PORT"
  require_free_port minio "$MINIO_CONSOLE_PORT"
  mkdir -p "$DATA/minio"
  spawn "$MINIO_PID" "$MINIO_LOG" \
    MINIO_ROOT_USER="$MINIO_ACCESS_KEY" MINIO_ROOT_PASSWORD="$MINIO_SECRET_KEY" \
    MINIO_KMS_SECRET_KEY="pathways-key:$MINIO_KMS_KEY" \
    MINIO_REGION="$S3_REGION_DEFAULT" MINIO_UPDATE=off MINIO_BROWSER_REDIRECT=off \
    -- "$MINIO_BIN" server --anonymous \
    --address "127.0.0.1:$MINIO_PORT" --console-address "127.0.0.1:$MINIO_CONSOLE_PORT" \
    "$DATA/minio" || fail_service minio "could not spawn the server"
}

# s3 <method> <path> [curl args...]: a SigV4-signed request with the root credentials.
# The credentials reach curl through a config on stdin, never on its command line.
s3() {
  local method=$1 path=$2
  shift 2
  printf 'user = "%s:%s"\n' "$MINIO_ACCESS_KEY" "$MINIO_SECRET_KEY" |
    curl -sS --max-time 10 -K - --aws-sigv4 "aws:amz:$S3_REGION_DEFAULT:s3" -X "$method" "$@" \
      "$MINIO_LOCAL_URL$path"
}

# Private buckets with default SSE-S3 (AES256) encryption, created when missing.
minio_setup_buckets() {
  local bucket code body sha
  body='<ServerSideEncryptionConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm></ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>'
  # curl 7.88 signs a request body only when given its hash explicitly.
  sha=$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)
  for bucket in "${S3_BUCKETS[@]}"; do
    code=$(s3 GET "/$bucket?location=" -o /dev/null -w '%{http_code}') || code=000
    if [[ $code == 404 ]]; then
      s3 PUT "/$bucket" -f -o /dev/null 2>>"$MINIO_LOG" || fail_service minio "creating bucket $bucket failed"
      log "minio: created bucket $bucket"
    elif [[ $code != 200 ]]; then
      fail_service minio "checking bucket $bucket answered HTTP $code"
    fi
    code=$(s3 GET "/$bucket?encryption=" -o /dev/null -w '%{http_code}') || code=000
    if [[ $code != 200 ]]; then
      s3 PUT "/$bucket?encryption=" -f -o /dev/null -H 'Content-Type: application/xml' \
        -H "x-amz-content-sha256: $sha" --data-binary "$body" 2>>"$MINIO_LOG" ||
        fail_service minio "setting default encryption (SSE-S3) on bucket $bucket failed"
      log "minio: bucket $bucket encrypts new objects by default (SSE-S3, AES256)"
    fi
  done
}

minio_wait() {
  wait_healthy minio 60 "$MINIO_PID" "minio server" minio_healthy
  minio_setup_buckets
}

minio_stop() { stop_pid minio "$MINIO_PID" "minio server" 30; }
