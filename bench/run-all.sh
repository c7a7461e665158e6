#!/usr/bin/env bash
# Runs every contxray benchmark, one after the other (never in parallel: on a 2-core machine
# they would measure each other). Settings pass through the environment (see each script's
# --help). Exits non-zero if a benchmark failed; missed targets are not failures.
#
# Usage: sudo bench/run-all.sh
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

[ "$(id -u)" = 0 ] || { echo "run-all: must run as root (cgroups, BPF, Docker, the daemon socket)" >&2; exit 1; }

failed=()
for bench in syscall-overhead capability-checks container-start file-events consumer; do
  echo "== $bench ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, kernel $(uname -r))"
  # One failing benchmark does not hide the others' figures; the exit status still tells.
  if ! "$here/$bench.sh"; then
    failed+=("$bench")
  fi
  echo
done
if [ "${#failed[@]}" -gt 0 ]; then
  echo "run-all: failed: ${failed[*]}" >&2
  exit 1
fi
