#!/usr/bin/env bash
# The README's test command (`make test`): the unit tests on every core (pytest-xdist), then the end-to-end tests
# (marked `e2e`: they start Envoy, SeaweedFS and the guard, and several measure time) one at a time, alone on the
# machine. Extra arguments go to both runs. Exits 0 only if both pass; 5 if neither selected a test.
set -uo pipefail
py=${PYTHON:-.venv/bin/python}
# the redaction engine's hyperscan databases compiled once into the compile cache: every xdist worker and every
# CLI subprocess then loads them (~2 s) instead of compiling them (~10 s; docs/startup.md)
"$py" -m sidecar.cli warm-cache || echo "run-tests: warm-cache failed; each process compiles its own databases"
"$py" -m pytest -q -n "${PYTEST_WORKERS:-auto}" -m "not e2e" --durations=20 "$@"
unit=$?
"$py" -m pytest -q -m e2e --durations=30 "$@"
e2e=$?
echo "run-tests: unit tests exit $unit, end-to-end tests exit $e2e"
if [ "$unit" -eq 5 ] && [ "$e2e" -eq 5 ]; then exit 5; fi
for rc in "$unit" "$e2e"; do
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 5 ]; then exit 1; fi
done
exit 0
