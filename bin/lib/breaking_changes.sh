#!/usr/bin/env bash
# Breaking-change check: compares the OpenAPI document (the file given, by default
# tests/contract/openapi.snapshot.json, which the contract suite keeps equal to the generated one) with the snapshot of the last release
# (tests/contract/releases/<version>.json, the highest version), using oasdiff.
#
# A breaking change passes only when package.json's version is bumped past the release (major, or
# minor while 0.x) and CHANGELOG.md has a `## [<version>]` section with a `### Breaking` list.
#
# oasdiff is built once with `go install` from the Go module proxy into
# ~/.cache/pathways/tools/oasdiff-<version>/ (bin/lib/services/common.sh ensure_go_tool).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=bin/lib/services/common.sh
source bin/lib/services/common.sh
[[ -d /usr/local/go/bin ]] && PATH="$PATH:/usr/local/go/bin"
ensure_dirs

OASDIFF_VERSION=1.39.0
CURRENT="${1:-tests/contract/openapi.snapshot.json}"
RELEASES=tests/contract/releases

say() { printf '[contract] %s\n' "$*"; }
fail() {
  printf '[contract] error: %s\n' "$*" >&2
  exit 1
}

OASDIFF="$(ensure_go_tool oasdiff "$OASDIFF_VERSION" github.com/oasdiff/oasdiff "v$OASDIFF_VERSION" oasdiff)"

release_file="$(find "$RELEASES" -name '*.json' -printf '%f\n' | sort -V | tail -n 1)"
[[ -n $release_file ]] || fail "no release snapshot in $RELEASES"
released="${release_file%.json}"
version="$(node -p "require('./package.json').version")"

if report="$("$OASDIFF" breaking "$RELEASES/$release_file" "$CURRENT" --fail-on ERR --color never 2>&1)"; then
  say "no breaking change since release $released (oasdiff $OASDIFF_VERSION)"
  exit 0
fi
[[ $report == *"error	["* ]] || fail "oasdiff failed: $report"

# Breaking: needs a version bump of the right size and a CHANGELOG entry.
IFS=. read -r rmaj rmin _ <<<"$released"
IFS=. read -r vmaj vmin _ <<<"${version%%-*}"
bumped=0
if ((rmaj == 0)); then
  ((vmaj > 0 || vmin > rmin)) && bumped=1
else
  ((vmaj > rmaj)) && bumped=1
fi
section="$(awk -v v="## [$version]" 'index($0, v) == 1 { on = 1; next } /^## / { on = 0 } on' CHANGELOG.md 2>/dev/null || true)"

if ((bumped)) && grep -q '^### Breaking' <<<"$section"; then
  say "breaking changes since release $released are announced in CHANGELOG.md under $version:"
  grep -E '^(error|	in API)' <<<"$report" | sed 's/^/[contract]   /' || true
  exit 0
fi

printf '%s\n' "$report" >&2
fail "the document breaks the contract of release $released (above). Either make the change \
compatible, or bump the version in package.json (currently $version; a $( ((rmaj == 0)) && echo minor || echo major) \
bump past $released) and list the changes under '## [<version>]' / '### Breaking' in CHANGELOG.md."
