#!/bin/bash
# Micro-benchmark (not a test): what contxray-runc adds to a pass-through call.
# Times N `contxray-runc --version` against N `runc --version` and prints the per-call overhead.
#   usage: shim/bench-passthrough.sh [N]     (default 200; RUNC=/path/to/runc to pick the runc)
set -euo pipefail
N=${1:-200}
HERE=$(cd "$(dirname "$0")" && pwd)
WRAPPER=$HERE/bin/contxray-runc
RUNC=${RUNC:-$(command -v runc || true)}
[[ -n $RUNC && -x $RUNC ]] || { echo "bench-passthrough: no runc found (set RUNC=)" >&2; exit 1; }
export CONTXRAY_RUNC=$RUNC
export CONTXRAY_JAVA=/bin/false   # the pass-through path must never start a JVM

now_ns() { date +%s%N; }
time_loop() { # prints total ns for N calls of "$@"
  local t0 t1 i
  t0=$(now_ns)
  for ((i = 0; i < N; i++)); do "$@" >/dev/null; done
  t1=$(now_ns)
  echo $((t1 - t0))
}

# Warm the page cache, then alternate to spread noise; best of 3 rounds each.
time_loop "$RUNC" --version >/dev/null
best_runc= best_wrap=
for round in 1 2 3; do
  r=$(time_loop "$RUNC" --version)
  w=$(time_loop "$WRAPPER" --version)
  [[ -z $best_runc || $r -lt $best_runc ]] && best_runc=$r
  [[ -z $best_wrap || $w -lt $best_wrap ]] && best_wrap=$w
done
awk -v n="$N" -v r="$best_runc" -v w="$best_wrap" 'BEGIN {
  printf "runc --version:          %.3f ms/call\n", r / n / 1e6
  printf "contxray-runc --version: %.3f ms/call\n", w / n / 1e6
  printf "overhead:                %.3f ms/call (best of 3 rounds of %d calls)\n", (w - r) / n / 1e6, n
}'
