"""Deployment checks run by bin/lib/deploy_checks.sh (inside its Python venv).

Subcommands (each exits non-zero with a list of problems, or prints a one-line summary):
  k8s-validate FILE --kube-versions 1.30,1.37 --crd-out OUT.json
      every rendered object against the Kubernetes OpenAPI schemas (kubernetes-validate, strict:
      unknown fields rejected); objects of allowed CRD kinds are written to OUT.json for the Node
      validator (tests/deploy/validate_crds.mjs); any other kind without a schema fails.
  chart-policy FILE --env-ts start/env.ts [--expect-ingress] [--expect-external-secret]
      what the issue asks of the chart, asserted on the rendered manifests.
  helm-parity STAGING.yaml PRODUCTION.yaml
      the two renderings differ only where the allowlist says (counts, resources, names, hosts).
  terraform TERRAFORM_DIR
      module layout and conventions, references between files, module calls against module
      variables, and staging/production parity of module calls (allowlist).
  dockerfile-policy Dockerfile .dockerignore
      base image, multi-stage, non-root, tini, no secrets, roles, ignored paths.
  checkov-gate REPORT.json... --exceptions tests/deploy/checkov-exceptions.yaml
      every failed Checkov check matches a documented exception (check, framework, resource glob,
      reason), and every exception still matches a finding.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import sys
from pathlib import Path
from typing import Any, Iterable

import yaml


class Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, msg: str) -> None:
        self.items.append(msg)

    def check(self, cond: Any, msg: str) -> bool:
        if not cond:
            self.add(msg)
        return bool(cond)

    def finish(self, summary: str) -> int:
        if self.items:
            for item in self.items:
                print(f"  - {item}")
            return 1
        print(summary)
        return 0


def load_docs(path: str) -> list[dict]:
    with open(path) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def obj_id(doc: dict) -> str:
    return f"{doc.get('kind')}/{doc.get('metadata', {}).get('name')}"


# --------------------------------------------------------------------------- k8s-validate

# Custom resources the chart may render, validated by the Node script with the schemas of
# @kubernetes-models/* (the CRDs' own OpenAPI schemas, compiled).
CRD_KINDS = {
    ("external-secrets.io/v1", "ExternalSecret"),
    ("keda.sh/v1alpha1", "ScaledObject"),
    ("keda.sh/v1alpha1", "TriggerAuthentication"),
    ("monitoring.coreos.com/v1", "ServiceMonitor"),
}


def cmd_k8s_validate(args: argparse.Namespace) -> int:
    import kubernetes_validate.utils as kv

    p = Problems()
    docs = load_docs(args.file)
    versions = [v.strip() for v in args.kube_versions.split(",") if v.strip()]
    crds: list[dict] = []
    validated = 0
    for doc in docs:
        key = (doc.get("apiVersion"), doc.get("kind"))
        if key in CRD_KINDS:
            crds.append(doc)
            continue
        for version in versions:
            try:
                kv.validate(doc, version, strict=True)
                validated += 1
            except kv.ValidationError as e:
                path = ".".join(str(x) for x in e.path)
                p.add(f"{obj_id(doc)} (Kubernetes {e.version}): {path}: {e.message}")
            except kv.SchemaNotFoundError as e:
                p.add(f"{obj_id(doc)}: {e.message}")
            except kv.VersionNotSupportedError as e:
                p.add(f"kubernetes-validate has no schemas for Kubernetes {e.version}")
    if args.crd_out:
        with open(args.crd_out, "w") as f:
            json.dump(crds, f)
    return p.finish(
        f"{len(docs) - len(crds)} objects x {len(versions)} Kubernetes versions ({', '.join(versions)}) valid, "
        f"{len(crds)} custom resources handed to the CRD validator"
    )


# --------------------------------------------------------------------------- chart-policy


def pod_spec(doc: dict) -> dict | None:
    kind = doc.get("kind")
    if kind in ("Deployment", "StatefulSet", "DaemonSet", "Job"):
        return doc["spec"]["template"]["spec"]
    if kind == "Pod":
        return doc["spec"]
    return None


def env_ts_keys(path: str) -> tuple[set[str], set[str]]:
    """(all keys, required keys) declared in start/env.ts's Env.create(...) object."""
    text = Path(path).read_text()
    start = text.find("Env.create(")
    body = text[start:] if start >= 0 else text
    all_keys, required = set(), set()
    for m in re.finditer(r"^\s+([A-Z][A-Z0-9_]*):\s*(.+)$", body, re.M):
        key, expr = m.group(1), m.group(2)
        all_keys.add(key)
        # `Env.schema.*.optional(...)`, or a custom validator named optional* (returns undefined when unset)
        if ".optional" not in expr and not expr.lstrip().startswith("optional"):
            required.add(key)
    return all_keys, required


def container_env_names(doc: dict, container: dict, configmaps: dict[str, dict]) -> set[str]:
    names = {e["name"] for e in container.get("env", [])}
    for src in container.get("envFrom", []):
        ref = src.get("configMapRef")
        if ref and ref["name"] in configmaps:
            names |= set(configmaps[ref["name"]].get("data", {}))
    return names


def cmd_chart_policy(args: argparse.Namespace) -> int:
    p = Problems()
    docs = load_docs(args.file)
    by_kind: dict[str, list[dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d)
    configmaps = {d["metadata"]["name"]: d for d in by_kind.get("ConfigMap", [])}
    comp = lambda d: d["metadata"].get("labels", {}).get("app.kubernetes.io/component")  # noqa: E731

    deployments = {comp(d): d for d in by_kind.get("Deployment", [])}
    jobs = {comp(d): d for d in by_kind.get("Job", [])}
    for c in ("api", "worker"):
        p.check(c in deployments, f"no Deployment for the {c} role")
    p.check("migrate" in jobs, "no migration Job")
    for kind in ("Service", "ConfigMap", "ServiceAccount"):
        p.check(by_kind.get(kind), f"no {kind} rendered")
    pdbs = {comp(d) for d in by_kind.get("PodDisruptionBudget", [])}
    p.check({"api", "worker"} <= pdbs, f"PodDisruptionBudgets for api and worker expected, got {sorted(pdbs)}")
    if args.expect_ingress:
        ings = by_kind.get("Ingress", [])
        p.check(ings and all(i["spec"].get("tls") for i in ings), "an Ingress with TLS is expected")
    if args.expect_external_secret:
        p.check(by_kind.get("ExternalSecret"), "an ExternalSecret is expected")

    all_keys, required = env_ts_keys(args.env_ts)
    # Read by the runtime, not the app: the temp directory, the home, V8 flags.
    chart_only = {"TMPDIR", "HOME", "NODE_OPTIONS"}

    # Every pod: non-root, read-only root, no escalation, resources, pinned image.
    for d in docs:
        spec = pod_spec(d)
        if spec is None:
            continue
        oid = obj_id(d)
        psc = spec.get("securityContext", {})
        p.check(psc.get("runAsNonRoot") is True, f"{oid}: pod securityContext.runAsNonRoot must be true")
        p.check(psc.get("runAsUser", 0) != 0, f"{oid}: pod must not run as uid 0")
        p.check(spec.get("automountServiceAccountToken") is False, f"{oid}: automountServiceAccountToken must be false")
        for c in spec.get("containers", []) + spec.get("initContainers", []):
            cid = f"{oid} container {c['name']}"
            sc = c.get("securityContext", {})
            p.check(sc.get("allowPrivilegeEscalation") is False, f"{cid}: allowPrivilegeEscalation must be false")
            p.check(sc.get("readOnlyRootFilesystem") is True, f"{cid}: readOnlyRootFilesystem must be true")
            p.check(sc.get("privileged") in (None, False), f"{cid}: must not be privileged")
            p.check("ALL" in sc.get("capabilities", {}).get("drop", []), f"{cid}: capabilities must drop ALL")
            p.check(c.get("resources", {}).get("requests"), f"{cid}: resources.requests missing")
            image = c.get("image", "")
            p.check(("@sha256:" in image) or (":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest")),
                    f"{cid}: image must be pinned by tag or digest, got {image!r}")
            mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
            p.check("/tmp" in mounts, f"{cid}: needs a writable /tmp (read-only root filesystem)")
            if d["kind"] == "Pod":
                continue
            env = container_env_names(d, c, configmaps)
            missing = required - env
            p.check(not missing, f"{cid}: start/env.ts requires {sorted(missing)} but the chart does not set them")
            unknown = {n for n in env if n not in all_keys and n not in chart_only}
            p.check(not unknown, f"{cid}: sets {sorted(unknown)}, which start/env.ts does not declare")

    api = deployments.get("api")
    if api:
        spec = api["spec"]["template"]["spec"]
        c = spec["containers"][0]
        p.check(c.get("args") == ["api"], f"api container args must be ['api'], got {c.get('args')}")
        p.check(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/health/live",
                "api livenessProbe must GET /health/live")
        p.check(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/health/ready",
                "api readinessProbe must GET /health/ready")
        p.check(not any(e["name"] == "DATABASE_OWNER_URL" for e in c.get("env", [])),
                "the api must not receive DATABASE_OWNER_URL")
        hpas = [h for h in by_kind.get("HorizontalPodAutoscaler", []) if h["spec"]["scaleTargetRef"]["name"] == api["metadata"]["name"]]
        p.check(hpas or "replicas" in api["spec"], "the api needs an HPA or a fixed replica count")
        if hpas:
            metrics = hpas[0]["spec"].get("metrics", [])
            p.check(any(m.get("resource", {}).get("name") == "cpu" for m in metrics), "the API HPA must scale on CPU")
            p.check("replicas" not in api["spec"], "the api Deployment must not set replicas while an HPA owns them")

    worker = deployments.get("worker")
    if worker:
        spec = worker["spec"]["template"]["spec"]
        c = spec["containers"][0]
        p.check((c.get("args") or [None])[0] == "worker", f"worker container must run the worker role, got {c.get('args')}")
        ports = {pt["name"]: pt["containerPort"] for pt in c.get("ports", [])}
        p.check(set(ports) == {"metrics", "health"}, f"the worker exposes exactly its metrics and health ports, got {sorted(ports)}")
        env = {e["name"]: e.get("value") for e in c.get("env", [])}
        p.check(str(ports.get("metrics")) == env.get("WORKER_METRICS_PORT"), "WORKER_METRICS_PORT must match the metrics port")
        p.check(str(ports.get("health")) == env.get("WORKER_HEALTH_PORT"), "WORKER_HEALTH_PORT must match the health port")
        for probe, path in (("livenessProbe", "/health/live"), ("readinessProbe", "/health/ready"), ("startupProbe", "/health/live")):
            get = c.get(probe, {}).get("httpGet", {})
            p.check(get.get("path") == path and get.get("port") == "health", f"worker {probe} must GET {path} on the health port, got {get}")
        # The drain contract: grace (activities finish) + 60 s forced shutdown + 30 s margin.
        grace = int(env.get("WORKER_SHUTDOWN_GRACE_SECONDS") or -1)
        tgps = spec.get("terminationGracePeriodSeconds", 30)
        p.check(grace >= 0 and tgps >= grace + 90,
                f"worker terminationGracePeriodSeconds ({tgps}) must be >= WORKER_SHUTDOWN_GRACE_SECONDS ({grace}) + 90")
        p.check(not any(e["name"] == "DATABASE_OWNER_URL" for e in c.get("env", [])),
                "the worker must not receive DATABASE_OWNER_URL")
        sos = [o for o in by_kind.get("ScaledObject", []) if o["spec"]["scaleTargetRef"]["name"] == worker["metadata"]["name"]]
        if sos:
            p.check("replicas" not in worker["spec"], "the worker Deployment must not set replicas while KEDA owns them")
            cm = next(iter(configmaps.values()), {}).get("data", {})
            queues = {t["metadata"].get("taskQueue") for t in sos[0]["spec"]["triggers"] if t["type"] == "temporal"}
            expected = {cm.get("TEMPORAL_TASK_QUEUE"), cm.get("TEMPORAL_INGESTION_TASK_QUEUE")}
            p.check(queues == expected, f"the ScaledObject must watch both task queues {sorted(map(str, expected))}, got {sorted(map(str, queues))}")
            for t in sos[0]["spec"]["triggers"]:
                p.check(t["metadata"].get("namespace") == cm.get("TEMPORAL_NAMESPACE") and t["metadata"].get("endpoint") == cm.get("TEMPORAL_ADDRESS"),
                        "the Temporal scaler must use the workers' namespace and address")
                if cm.get("TEMPORAL_TLS_CERT_PATH"):
                    p.check(t.get("authenticationRef", {}).get("name"), "with Temporal mTLS the scaler needs an authenticationRef")
        else:
            p.check("replicas" in worker["spec"], "the worker needs a fixed replica count or a ScaledObject")
        for sm in by_kind.get("ServiceMonitor", []):
            p.check(all(e.get("port") == "metrics" and e.get("path") == "/metrics" for e in sm["spec"]["endpoints"]),
                    f"{obj_id(sm)}: must scrape the metrics port at /metrics")

    setup = jobs.get("temporal-setup")
    if setup:
        ann = setup["metadata"].get("annotations", {})
        p.check({"pre-install", "pre-upgrade"} <= set(ann.get("helm.sh/hook", "").split(",")),
                "the temporal:setup Job must be a pre-install,pre-upgrade hook")
        mig_weight = int(jobs["migrate"]["metadata"].get("annotations", {}).get("helm.sh/hook-weight", "0")) if "migrate" in jobs else 0
        p.check(int(ann.get("helm.sh/hook-weight", "0")) < mig_weight, "temporal:setup must run before the migrations")
        c = setup["spec"]["template"]["spec"]["containers"][0]
        p.check(c.get("args") == ["node", "ace", "temporal:setup"], f"the setup Job must run node ace temporal:setup, got {c.get('args')}")
        p.check(not c.get("envFrom"), "the setup hook must not depend on the ConfigMap (not yet created on install)")

    mig = jobs.get("migrate")
    if mig:
        ann = mig["metadata"].get("annotations", {})
        hooks = set(ann.get("helm.sh/hook", "").split(","))
        p.check({"pre-install", "pre-upgrade"} <= hooks, f"migration Job must be a pre-install,pre-upgrade hook, got {hooks}")
        c = mig["spec"]["template"]["spec"]["containers"][0]
        p.check(c.get("args") == ["migrate"], f"migration container args must be ['migrate'], got {c.get('args')}")
        p.check(any(e["name"] == "DATABASE_OWNER_URL" for e in c.get("env", [])), "the migration must receive DATABASE_OWNER_URL")
        p.check(not c.get("envFrom"), "the migration hook must not depend on the ConfigMap (not yet created on install)")
        p.check(not mig["spec"]["template"]["spec"].get("serviceAccountName"),
                "the migration hook must not depend on the chart's ServiceAccount (not yet created on install)")

    # Hook resources the migration reads must themselves be hooks that run first.
    for d in by_kind.get("Secret", []) + by_kind.get("ExternalSecret", []):
        ann = d["metadata"].get("annotations", {})
        p.check("pre-install" in ann.get("helm.sh/hook", "") and int(ann.get("helm.sh/hook-weight", "0")) < 0,
                f"{obj_id(d)}: must be a pre-install hook with a negative weight (the migration reads it)")

    # Network policies: API from the ingress controller; worker takes nothing.
    nps = {comp(d): d for d in by_kind.get("NetworkPolicy", [])}
    if p.check("worker" in nps and "api" in nps, "NetworkPolicies for api and worker expected"):
        w = nps["worker"]["spec"]
        p.check("Ingress" in w.get("policyTypes", []), "the worker NetworkPolicy must govern ingress")
        for rule in w.get("ingress", []):
            p.check(rule.get("from") and [pt.get("port") for pt in rule.get("ports", [])] == ["metrics"],
                    "the worker NetworkPolicy may admit only named sources to the metrics port")
        a = nps["api"]["spec"]
        sources = [peer for rule in a.get("ingress", []) for peer in rule.get("from", [])]
        p.check(a.get("ingress") and all(rule.get("from") for rule in a["ingress"]),
                "every API ingress rule must name its sources (no open rule)")
        p.check(any("namespaceSelector" in s for s in sources), "the API NetworkPolicy must admit the ingress controller's namespace")

    # Secrets never land in the ConfigMap.
    secret_like = re.compile(r"(PASSWORD|SECRET|APP_KEY|TOKEN|DATABASE_URL|DATABASE_OWNER_URL|REDIS_URL)$")
    for cm in configmaps.values():
        bad = [k for k in cm.get("data", {}) if secret_like.search(k)]
        p.check(not bad, f"ConfigMap {cm['metadata']['name']} holds secret keys {bad}")

    return p.finish(f"{len(docs)} objects satisfy the chart policy")


# --------------------------------------------------------------------------- helm-parity

# Paths (Kind/name:dotted.path, glob) where staging and production may differ: counts, sizes,
# hostnames and names. Everything else (security contexts, probes, hooks, policies, ...) must match.
HELM_PARITY_ALLOWLIST = [
    # replica counts and autoscaling bounds
    "Deployment/*:spec.replicas",
    "HorizontalPodAutoscaler/*:spec.minReplicas",
    "HorizontalPodAutoscaler/*:spec.maxReplicas",
    "ScaledObject/*:spec.minReplicaCount",
    "ScaledObject/*:spec.maxReplicaCount",
    # resources (instance sizes)
    "Deployment/*:spec.template.spec.containers.*.resources.*",
    "Job/*:spec.template.spec.containers.*.resources.*",
    # worker concurrency (a count)
    "Deployment/*-worker:spec.template.spec.containers.*.args.1",
    # the config checksum follows the config
    "*:spec.template.metadata.annotations.checksum/config",
    # hostnames and URLs
    "Ingress/*:spec.rules.*.host",
    "Ingress/*:spec.tls.*.hosts.*",
    "ConfigMap/*:data.APP_URL",
    "ConfigMap/*:data.CORS_ORIGINS",
    "ConfigMap/*:data.TEMPORAL_ADDRESS",
    "ConfigMap/*:data.TEMPORAL_TLS_SERVER_NAME",
    "ConfigMap/*:data.TEMPORAL_UI_URL",
    "ConfigMap/*:data.OPENSEARCH_URL",
    "ConfigMap/*:data.ELASTICSEARCH_URL",
    "ConfigMap/*:data.MAIL_FROM_ADDRESS",
    "ConfigMap/*:data.SMTP_HOST",
    "Job/*:spec.template.spec.containers.*.env.*.value",
    # names
    "ConfigMap/*:data.TEMPORAL_NAMESPACE",
    "ConfigMap/*:data.S3_BUCKET_RESUMES",
    "ConfigMap/*:data.S3_BUCKET_REPORTS",
    "ConfigMap/*:data.SMTP_USERNAME",
    "Ingress/*:spec.tls.*.secretName",
    "ExternalSecret/*:spec.dataFrom.*.extract.key",
    "ServiceAccount/*:metadata.annotations.eks.amazonaws.com/role-arn",
    # pool size follows the instance size
    "ConfigMap/*:data.DATABASE_POOL_MAX",
]


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            # Containers and env vars are matched by name, not position.
            key = v.get("name", i) if isinstance(v, dict) and "name" in v and not isinstance(v.get("name"), dict) else i
            out.update(flatten(v, f"{prefix}.{key}" if prefix else str(key)))
        if not value:
            out[prefix] = []
    else:
        out[prefix] = value
    return out


def allowed(path: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatchcase(path, pat) for pat in patterns)


def cmd_helm_parity(args: argparse.Namespace) -> int:
    p = Problems()
    envs = []
    for f in (args.staging, args.production):
        objs = {}
        for d in load_docs(f):
            objs[obj_id(d)] = flatten(d)
        envs.append(objs)
    stg, prd = envs
    for oid in sorted(set(stg) | set(prd)):
        if oid not in stg or oid not in prd:
            p.add(f"{oid} is rendered only in {'production' if oid not in stg else 'staging'}")
            continue
        a, b = stg[oid], prd[oid]
        for path in sorted(set(a) | set(b)):
            if a.get(path, "<absent>") != b.get(path, "<absent>"):
                full = f"{oid}:{path}"
                # Job env values follow the ConfigMap keys of the same name.
                if not allowed(full, HELM_PARITY_ALLOWLIST):
                    p.add(f"{full}: staging={a.get(path, '<absent>')!r} production={b.get(path, '<absent>')!r} (not in the allowlist)")
    return p.finish(f"staging and production renderings ({len(stg)} objects) differ only in allowlisted paths")


# --------------------------------------------------------------------------- terraform


def hcl_clean(value: Any) -> Any:
    """python-hcl2 keeps string quotes, block-label quotes and __meta__ keys: drop them."""
    if isinstance(value, dict):
        return {strip_quotes(k): hcl_clean(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, list):
        return [hcl_clean(v) for v in value]
    return strip_quotes(value)


def hcl_load(path: Path) -> dict:
    import hcl2

    with open(path) as f:
        return hcl_clean(hcl2.load(f))


def strip_quotes(v: Any) -> Any:
    if isinstance(v, str) and len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1]
    return v


def blocks(doc: dict, kind: str) -> list[dict]:
    return doc.get(kind, []) or []


def named(block_list: list[dict]) -> dict[str, dict]:
    out = {}
    for b in block_list:
        for k, v in b.items():
            out[strip_quotes(k)] = v
    return out


def tf_dir_docs(d: Path) -> dict[str, dict]:
    return {f.name: hcl_load(f) for f in sorted(d.glob("*.tf"))}


def merged(docs: dict[str, dict], kind: str) -> list[dict]:
    out: list[dict] = []
    for doc in docs.values():
        out += blocks(doc, kind)
    return out


def refs(text: str, prefix: str) -> set[str]:
    return set(re.findall(rf"(?<![\w.]){prefix}\.([A-Za-z_][A-Za-z0-9_-]*)", text))


def norm(v: Any) -> str:
    return json.dumps(v, sort_keys=True)


# Module-call arguments (and locals) whose values may differ between staging and production:
# sizes, counts, names. Matched against "module.<name>.<argument>" / "local.<name>".
TF_PARITY_ALLOWLIST = [
    "local.environment",
    "local.name",
    "local.domain",
    "module.network.vpc_cidr",
    "module.network.az_count",
    "module.network.single_nat_gateway",  # a count: one NAT gateway, or one per AZ
    "module.postgres.instance_class",
    "module.postgres.allocated_storage",
    "module.postgres.max_allocated_storage",
    "module.postgres.multi_az",  # a count: one instance or a standby in a second AZ
    "module.postgres.backup_retention_days",
    "module.postgres.deletion_protection",
    "module.redis.node_type",
    "module.redis.replica_count",
    "module.redis.snapshot_retention_days",
    "module.search.instance_type",
    "module.search.instance_count",
    "module.search.volume_size_gb",
    "module.storage.noncurrent_version_retention_days",
    "module.storage.report_retention_days",
    "module.secrets.recovery_window_days",
    "backend.s3.bucket",
    "backend.s3.key",
]

REQUIRED_MODULES = ["network", "postgres", "redis", "search", "storage", "secrets"]


def cmd_terraform(args: argparse.Namespace) -> int:
    p = Problems()
    root = Path(args.dir)
    modules: dict[str, dict[str, dict]] = {}
    module_vars: dict[str, dict[str, dict]] = {}
    module_outputs: dict[str, set[str]] = {}

    for name in REQUIRED_MODULES:
        d = root / "modules" / name
        for f in ("main.tf", "variables.tf", "outputs.tf", "versions.tf"):
            p.check((d / f).is_file(), f"modules/{name}/{f} is missing")
    for d in sorted((root / "modules").iterdir()) if (root / "modules").is_dir() else []:
        if not d.is_dir():
            continue
        try:
            docs = tf_dir_docs(d)
        except Exception as e:  # parse error
            p.add(f"modules/{d.name}: HCL does not parse: {e}")
            continue
        modules[d.name] = docs
        variables = named(merged(docs, "variable"))
        outputs = named(merged(docs, "output"))
        module_vars[d.name] = variables
        module_outputs[d.name] = set(outputs)
        where = f"modules/{d.name}"
        # variables: typed, described, validated (booleans need no validation)
        for vname, v in variables.items():
            p.check("type" in v, f"{where}: variable {vname} has no type")
            p.check(v.get("description"), f"{where}: variable {vname} has no description")
            vtype = str(v.get("type", ""))
            if "bool" not in vtype:
                p.check(v.get("validation"), f"{where}: variable {vname} ({vtype}) has no validation block")
        for oname, o in outputs.items():
            p.check(o.get("description"), f"{where}: output {oname} has no description")
        # versions.tf: required_version and every provider used, pinned
        tf_blocks = blocks(docs.get("versions.tf", {}), "terraform")
        p.check(tf_blocks and tf_blocks[0].get("required_version"), f"{where}/versions.tf: no required_version")
        providers = {}
        for t in tf_blocks:
            for rp in t.get("required_providers", []):
                providers.update(rp)
        used = set()
        for kind in ("resource", "data"):
            for b in merged(docs, kind):
                for rtype in b:
                    used.add(strip_quotes(rtype).split("_", 1)[0])
        used.discard("terraform")  # terraform_data: built into OpenTofu
        for prov in sorted(used):
            spec = providers.get(prov)
            p.check(spec and spec.get("source") and spec.get("version"),
                    f"{where}/versions.tf: provider {prov} is used but not pinned in required_providers")
        # references resolve
        text = "\n".join(f.read_text() for f in d.glob("*.tf"))
        for r in sorted(refs(text, "var") - set(variables)):
            p.add(f"{where}: var.{r} is referenced but not declared")
        local_names = set()
        for lb in merged(docs, "locals"):
            local_names |= set(lb)
        for r in sorted(refs(text, "local") - local_names):
            p.add(f"{where}: local.{r} is referenced but not defined")

    env_calls: dict[str, dict[str, dict]] = {}
    env_locals: dict[str, dict] = {}
    env_backend: dict[str, dict] = {}
    for env in ("staging", "production"):
        d = root / "environments" / env
        if not p.check(d.is_dir(), f"environments/{env} is missing"):
            continue
        try:
            docs = tf_dir_docs(d)
        except Exception as e:
            p.add(f"environments/{env}: HCL does not parse: {e}")
            continue
        where = f"environments/{env}"
        calls = named(merged(docs, "module"))
        env_calls[env] = calls
        loc: dict = {}
        for lb in merged(docs, "locals"):
            loc.update(lb)
        env_locals[env] = loc
        backend = {}
        for t in merged(docs, "terraform"):
            for b in t.get("backend", []):
                backend.update(b)
        env_backend[env] = backend
        p.check("s3" in backend, f"{where}: no remote state backend \"s3\" configured")
        if "s3" in backend:
            s3 = backend["s3"]
            p.check(s3.get("encrypt") is True, f"{where}: the state backend must set encrypt = true")
            p.check(s3.get("use_lockfile") is True or s3.get("dynamodb_table"), f"{where}: the state backend must lock (use_lockfile)")
            p.check(env in str(s3.get("key", "")), f"{where}: the state key must name the environment")
        for m in REQUIRED_MODULES:
            p.check(m in calls, f"{where}: module \"{m}\" is not called")
        text = "\n".join(f.read_text() for f in d.glob("*.tf"))
        env_vars = set(named(merged(docs, "variable")))
        for r in sorted(refs(text, "var") - env_vars):
            p.add(f"{where}: var.{r} is referenced but not declared")
        for r in sorted(refs(text, "local") - set(loc)):
            p.add(f"{where}: local.{r} is referenced but not defined")
        for mname, call in calls.items():
            src = str(call.get("source", ""))
            target = (d / src).resolve()
            mod = target.name
            if not p.check(src.startswith("../../modules/") and mod in module_vars,
                           f"{where}: module {mname} source {src!r} is not one of ../../modules/*"):
                continue
            variables = module_vars[mod]
            args_given = {k for k in call if k not in ("source", "version", "providers", "depends_on", "count", "for_each")}
            for a in sorted(args_given - set(variables)):
                p.add(f"{where}: module {mname} passes {a}, which modules/{mod} does not declare")
            for vname, v in variables.items():
                if "default" not in v:
                    p.check(vname in args_given, f"{where}: module {mname} does not set required variable {vname}")
        # module.X.Y references point at declared outputs
        for mname, out in re.findall(r"module\.([A-Za-z_][\w-]*)\.([A-Za-z_][\w-]*)", text):
            if mname in calls:
                mod = Path(str(calls[mname].get("source", ""))).name
                if mod in module_outputs:
                    p.check(out in module_outputs[mod], f"{where}: module.{mname}.{out} is not an output of modules/{mod}")

    # parity
    if len(env_calls) == 2:
        stg, prd = env_calls["staging"], env_calls["production"]
        p.check(set(stg) == set(prd), f"staging and production call different modules: {sorted(set(stg) ^ set(prd))}")
        for mname in sorted(set(stg) & set(prd)):
            a, b = stg[mname], prd[mname]
            for arg in sorted(set(a) | set(b)):
                if norm(a.get(arg)) != norm(b.get(arg)) and not allowed(f"module.{mname}.{arg}", TF_PARITY_ALLOWLIST):
                    p.add(f"module.{mname}.{arg}: staging={a.get(arg)!r} production={b.get(arg)!r} (not in the allowlist)")
        la, lb = env_locals["staging"], env_locals["production"]
        for k in sorted(set(la) | set(lb)):
            if norm(la.get(k)) != norm(lb.get(k)) and not allowed(f"local.{k}", TF_PARITY_ALLOWLIST):
                p.add(f"local.{k}: staging={la.get(k)!r} production={lb.get(k)!r} (not in the allowlist)")
        ba, bb = env_backend["staging"].get("s3", {}), env_backend["production"].get("s3", {})
        for k in sorted(set(ba) | set(bb)):
            if norm(ba.get(k)) != norm(bb.get(k)) and not allowed(f"backend.s3.{k}", TF_PARITY_ALLOWLIST):
                p.add(f"backend.s3.{k}: staging={ba.get(k)!r} production={bb.get(k)!r} (not in the allowlist)")
        # the rest of the environment files (providers, outputs, variables) must be identical
        # (tests/invariants.tftest.hcl: what tofu test asserts of every environment)
        for f in ("outputs.tf", "variables.tf", "providers.tf", "tests/invariants.tftest.hcl"):
            fa, fb = root / "environments/staging" / f, root / "environments/production" / f
            if fa.exists() or fb.exists():
                p.check(fa.exists() and fb.exists() and fa.read_text() == fb.read_text(),
                        f"environments/*/{f} must be identical in staging and production")

    n_vars = sum(len(v) for v in module_vars.values())
    return p.finish(
        f"{len(modules)} modules ({n_vars} variables typed/described/validated), "
        f"{sum(len(c) for c in env_calls.values())} module calls match their modules, staging/production parity holds"
    )


# --------------------------------------------------------------------------- dockerfile-policy


def cmd_dockerfile_policy(args: argparse.Namespace) -> int:
    p = Problems()
    text = Path(args.dockerfile).read_text()
    lines = [ln.strip() for ln in text.splitlines()]
    froms = [ln for ln in lines if ln.upper().startswith("FROM ")]
    p.check(len(froms) >= 2, "the Dockerfile must be multi-stage")
    arg_defaults = dict(re.findall(r"^ARG\s+(\w+)=(\S+)", text, re.M))

    def resolve(s: str) -> str:
        return re.sub(r"\$\{?(\w+)\}?", lambda m: arg_defaults.get(m.group(1), m.group(0)), s)

    stages: set[str] = set()
    for f in froms:
        parts = f.split()
        image = resolve(parts[1])
        p.check(image in stages or image == "node:24-slim" or image.startswith("node:24-slim@sha256:"),
                f"base image must be node:24-slim, got {image}")
        if len(parts) >= 4 and parts[2].upper() == "AS":
            stages.add(parts[3])
    users = [ln.split()[1] for ln in lines if ln.upper().startswith("USER ")]
    p.check(users and users[-1].split(":")[0] not in ("0", "root"), "the final stage must switch to a non-root USER")
    p.check(users and re.match(r"^\d+(:\d+)?$", users[-1]), "USER must be numeric (Kubernetes runAsNonRoot checks uids)")
    entry = [ln for ln in lines if ln.upper().startswith("ENTRYPOINT")]
    p.check(entry and "tini" in entry[-1], "ENTRYPOINT must start tini (PID 1: signals and zombie reaping)")
    for role, cmd in (("api", "node bin/server.js"), ("worker", "node ace temporal:worker"),
                      ("migrate", "node ace migration:run --force --connection=owner")):
        p.check(re.search(rf"^\s*{role}\)\s*exec {re.escape(cmd)}", text, re.M), f"role {role} must exec `{cmd}`")
    p.check(re.search(r"npm ci --omit=dev", text), "production dependencies only: `npm ci --omit=dev` expected")
    p.check(re.search(r"node ace build", text), "`node ace build` expected")
    # The worker starts from the prebuilt workflow bundle, written after the production install.
    omit, bundle = text.find("npm ci --omit=dev"), text.find("node ace temporal:bundle")
    p.check(bundle > omit >= 0, "`node ace temporal:bundle` expected in the build stage, after `npm ci --omit=dev`")
    p.check("workflow_bundle.js" in Path(args.dockerignore).read_text(),
            ".dockerignore must exclude workflow_bundle.js (a stale local bundle must not enter the image)")
    secretish = re.compile(r"^(ARG|ENV)\s+.*\b(\w*(PASSWORD|SECRET|TOKEN|APP_KEY|DATABASE_URL|REDIS_URL)\w*)\b", re.M)
    for m in secretish.finditer(text):
        p.add(f"secret-like build variable {m.group(2)} in the Dockerfile: secrets come from the environment at run time")
    ignore = {ln.strip().rstrip("/") for ln in Path(args.dockerignore).read_text().splitlines()
              if ln.strip() and not ln.startswith("#")}
    for must in (".data", "tests", "node_modules", "build", ".git", ".env", "coverage", "tmp"):
        p.check(must in ignore, f".dockerignore must exclude {must}/")
    return p.finish("Dockerfile: node:24-slim multi-stage, non-root numeric USER, tini PID 1, three roles, no secrets; .dockerignore complete")


# --------------------------------------------------------------------------- checkov-gate


def cmd_checkov_gate(args: argparse.Namespace) -> int:
    p = Problems()
    doc = yaml.safe_load(Path(args.exceptions).read_text()) or {}
    exceptions = doc.get("exceptions", [])
    for i, e in enumerate(exceptions):
        where = f"{args.exceptions} entry {i + 1} ({e.get('check')})"
        p.check(re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", str(e.get("check", ""))), f"{where}: check must be a Checkov ID")
        p.check(e.get("framework") in ("terraform", "kubernetes", "dockerfile"), f"{where}: framework must be terraform, kubernetes or dockerfile")
        p.check(isinstance(e.get("resources"), list) and e["resources"], f"{where}: resources must list resource globs")
        p.check(len(str(e.get("reason", "")).split()) >= 5, f"{where}: needs a reason (a sentence)")
    used = [0] * len(exceptions)
    failed = passed = excepted = 0
    for report in args.reports:
        data = json.loads(Path(report).read_text())
        for r in data if isinstance(data, list) else [data]:
            if "results" not in r:
                continue
            passed += r.get("summary", {}).get("passed", 0)
            for f in r["results"].get("failed_checks", []):
                failed += 1
                # "<file of the caller, else of the resource>:<resource>", e.g.
                # /environments/staging/main.tf:module.postgres.aws_db_instance.this
                where = f"{f.get('caller_file_path') or f.get('file_path')}:{f['resource']}"
                hits = [i for i, e in enumerate(exceptions)
                        if e.get("check") == f["check_id"] and e.get("framework") == r["check_type"]
                        and allowed(where, e.get("resources", []))]
                for i in hits:
                    used[i] += 1
                if hits:
                    excepted += 1
                else:
                    p.add(f"{r['check_type']}: {f['check_id']} {f['check_name']} -- {where} "
                          f"(line {(f.get('file_line_range') or ['?'])[0]}): fix it or document an exception")
    for i, e in enumerate(exceptions):
        p.check(used[i], f"{args.exceptions}: exception {e.get('check')} {e.get('resources')} matches no finding any more: remove it")
    return p.finish(f"Checkov: {passed} checks passed, {failed} failed, all {excepted} failures documented "
                    f"({len(exceptions)} exceptions in {args.exceptions})")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("k8s-validate")
    s.add_argument("file")
    s.add_argument("--kube-versions", default="1.30,1.37")
    s.add_argument("--crd-out")
    s.set_defaults(fn=cmd_k8s_validate)
    s = sub.add_parser("chart-policy")
    s.add_argument("file")
    s.add_argument("--env-ts", required=True)
    s.add_argument("--expect-ingress", action="store_true")
    s.add_argument("--expect-external-secret", action="store_true")
    s.set_defaults(fn=cmd_chart_policy)
    s = sub.add_parser("helm-parity")
    s.add_argument("staging")
    s.add_argument("production")
    s.set_defaults(fn=cmd_helm_parity)
    s = sub.add_parser("terraform")
    s.add_argument("dir")
    s.set_defaults(fn=cmd_terraform)
    s = sub.add_parser("dockerfile-policy")
    s.add_argument("dockerfile")
    s.add_argument("dockerignore")
    s.set_defaults(fn=cmd_dockerfile_policy)
    s = sub.add_parser("checkov-gate")
    s.add_argument("reports", nargs="+")
    s.add_argument("--exceptions", required=True)
    s.set_defaults(fn=cmd_checkov_gate)
    args = ap.parse_args()
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
