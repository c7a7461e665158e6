#!/usr/bin/env bash
# Validates Kubernetes manifests against the Kubernetes API schemas: types, enums, formats and
# required fields with the validators of npm's kubernetes-models (compiled from Kubernetes'
# OpenAPI definitions), and fields the schemas do not have (misspellings) refused, as the API
# server's strict field validation does (validator/validate.mjs says how).
#
#   install/kubernetes/validate.sh [FILE...]   default: every *.yaml next to this script
#   install/kubernetes/validate.sh --install   only install the validator (install/deps.sh does)
#
# The validator's packages are pinned in validator/package-lock.json and installed with `npm ci`
# into validator/node_modules (git-ignored) when missing or when the lock file changed.
# Prints one line per file, `ok    FILE: KIND NAME, ...` or `FAIL  FILE: ...` with each error
# (multi-document files: every document); exit 0 when every file is valid, 1 when one is not,
# 2 when the validator cannot be installed or run.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
V=$HERE/validator
die() { echo "validate.sh: $*" >&2; exit 2; }

command -v node >/dev/null && command -v npm >/dev/null || die "needs node and npm (install/deps.sh installs them)"
stamp=$V/node_modules/.contxray-package-lock.json
if ! cmp -s "$V/package-lock.json" "$stamp"; then
  log=$(mktemp /tmp/contxray-validator.XXXXXX.log)
  if ! (cd "$V" && npm ci --no-audit --no-fund --loglevel=error) >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    rm -f "$log"
    die "npm ci in $V failed"
  fi
  rm -f "$log"
  cp "$V/package-lock.json" "$stamp"
fi
if [ "${1:-}" = --install ]; then
  exit 0
fi
if [ $# -eq 0 ]; then
  cd "$HERE"
  set -- *.yaml
fi
exec node "$V/validate.mjs" "$@"
