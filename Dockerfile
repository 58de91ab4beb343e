# syntax=docker/dockerfile:1.7
#
# Pathways: one image, three roles. The first argument selects the role:
#   docker run IMAGE api       -> node bin/server.js              (HTTP on $PORT, default 3333)
#   docker run IMAGE worker    -> node ace temporal:worker         (Temporal worker, drains on SIGTERM)
#   docker run IMAGE migrate   -> node ace migration:run --force --connection=owner
# Anything else is executed as given (e.g. `docker run IMAGE node ace list`).
# No secrets are baked in: every credential comes from the environment at run time.

ARG NODE_IMAGE=node:24-slim

# ---------------------------------------------------------------- build
FROM ${NODE_IMAGE} AS build
WORKDIR /src
ENV CI=true \
    npm_config_fund=false \
    npm_config_audit=false \
    npm_config_update_notifier=false

# Toolchain only for native addons that have no prebuilt binary for this platform.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

# Dependencies first, so the layer is reused while only the sources change.
COPY package.json package-lock.json ./
RUN npm ci

COPY . .
# `node ace build` compiles TypeScript into build/ (with package.json and package-lock.json);
# the runtime stage installs production dependencies only, inside build/.
RUN node ace build
WORKDIR /src/build
RUN npm ci --omit=dev \
 && npm cache clean --force
# The workflow bundle, built once here: worker pods load build/workflow_bundle.js at start instead of
# running webpack (`node ace temporal:bundle` needs no environment).
RUN node ace temporal:bundle

# ---------------------------------------------------------------- runtime
FROM ${NODE_IMAGE} AS runtime

# tini is PID 1: forwards SIGTERM to node (graceful drain) and reaps zombies.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*

# NODE_OPTIONS: a 16 MB young-generation semi-space (V8 picks 64 MB on a large host): about
# 100 MB less resident memory per process (bench/auth.ts runs the API with the same flag).
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-semi-space-size=16 \
    HOST=0.0.0.0 \
    PORT=3333 \
    LOG_LEVEL=info \
    TEMPORAL_TASK_QUEUE=pathways

WORKDIR /app
# Application files are owned by root and read-only for the runtime user.
COPY --from=build /src/build /app

COPY --chmod=0755 <<'EOF' /usr/local/bin/pathways
#!/bin/sh
# Role selector: api | worker | migrate | <any command>.
set -e
role="${1:-api}"
[ "$#" -gt 0 ] && shift
case "$role" in
  api) exec node bin/server.js "$@" ;;
  worker) exec node ace temporal:worker "$@" ;;
  migrate) exec node ace migration:run --force --connection=owner "$@" ;;
  *) exec "$role" "$@" ;;
esac
EOF

# The unprivileged `node` user (uid/gid 1000) of the base image; numeric so that
# Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 3333

ENTRYPOINT ["/usr/bin/tini", "--", "/usr/local/bin/pathways"]
CMD ["api"]
