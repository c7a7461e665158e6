#!/usr/bin/env bash
# What does recording cost a capability check? Memory overcommit checks CAP_SYS_ADMIN, without
# auditing it, on every private writable mmap; contxray's cap_capable program counts the check and
# walks its kernel stack to tell a no-audit one (which must not count as a need). ns per
# mmap+munmap pair of one page, in a cgroup made for the purpose, four modes side by side in one run:
#   (a) accounted mmap (one capability check), not recorded
#   (b) MAP_NORESERVE mmap (no capability check), not recorded
#   (c) accounted mmap, contxray recording the cgroup
#   (d) MAP_NORESERVE mmap, contxray recording the cgroup
# (c)-(a) is what recording costs an mmap pair that makes a check; ((c)-(a)) - ((d)-(b)) is the
# check's own share (the cap_capable program with its stack walk); the rest is the syscall programs.
# A benchmark, not a test: only errors fail the script.
#
# Usage: sudo bench/capability-checks.sh
# Settings (environment):
#   ROUNDS=5            rounds; each visits every mode once, in an order that rotates per round
#   ITERATIONS=300000   mmap+munmap pairs per loop run
#   REPS=3              loop runs per mode visit
#   CONTXRAY_SOCKET     the recorder daemon's socket (default /run/contxray/contxray.sock)
set -euo pipefail

ROUNDS=${ROUNDS:-5}
ITERATIONS=${ITERATIONS:-300000}
REPS=${REPS:-3}
SOCKET=${CONTXRAY_SOCKET:-/run/contxray/contxray.sock}
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODES=(a b c d)

# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
# shellcheck source=recorded-cgroup.sh
source "$BENCH_DIR/recorded-cgroup.sh"
bench_start capability-checks 19 "$@"
positive_ints ROUNDS ITERATIONS REPS

# State the cleanup trap needs: everything this run started or created, and nothing else.
tmp=""
cg_loop=""
sleep_pid=""
registered_id=""
cx_report=""

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  end_registrations
  [ -n "$sleep_pid" ] && kill "$sleep_pid" 2>/dev/null && wait "$sleep_pid" 2>/dev/null
  remove_cgroups "$cg_loop"
  [ -n "$tmp" ] && rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

[ "$(id -u)" = 0 ] || die "must run as root (cgroups, the daemon socket)"
for tool in gcc python3 jq; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian packages: gcc python3 jq)"
done
[ "$(cat /proc/sys/vm/overcommit_memory)" != 2 ] \
  || die "vm.overcommit_memory is 2: MAP_NORESERVE mappings are accounted too, (b) and (d) would check"
check_cgroup2_and_daemon

tmp=$(mktemp -d /tmp/contxray-bench.XXXXXX)
gcc -O2 -Wall -Wextra -o "$tmp/syscall-loop" "$BENCH_DIR/syscall-loop.c" || die "building syscall-loop.c failed"
cg_loop="$cg2/contxray-bench-caps-$$"
mkdir "$cg_loop" || die "cannot create cgroup $cg_loop"
start_cgroup_sleep "$cg_loop"
sleep_pid=$cgroup_sleep_pid

run_loop() { # FLAG
  local out
  out=$(run_in_cgroup "$cg_loop" "$tmp/syscall-loop" "$1" "$ITERATIONS") || die "the mmap loop failed (exit $?)"
  [[ $out =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "the mmap loop printed '$out', not a number"
  echo "$out"
}

# The recorded modes' reports must show the loop's checks as no-audit ones, granted to root and
# not recommended: a recorder that missed them (or took them for needs) is not what is measured.
check_report() { # MODE
  local expect=$((ITERATIONS * REPS)) n
  jq -e '.capabilities.method | startswith("tracepoint capability:cap_capable")' "$cx_report" >/dev/null \
    || die "the daemon has no exact capability hook (method $(jq -c .capabilities.method "$cx_report")): nothing to measure"
  jq -e '.capabilities.recommended | index("SYS_ADMIN") == null' "$cx_report" >/dev/null \
    || die "SYS_ADMIN recommended for an mmap loop: no-audit checks taken for needs ($cx_report)"
  n=$(jq '[.capabilities.ignoredNoAuditChecks[] | select(.capability == "SYS_ADMIN") | .count] | add // 0' "$cx_report")
  case $1 in
    c) [ "$n" -ge "$expect" ] || die "contxray saw $n no-audit SYS_ADMIN checks, expected >= $expect" ;;
    d) [ "$n" -lt "$ITERATIONS" ] || die "MAP_NORESERVE made $n SYS_ADMIN checks: not the check-free control" ;;
  esac
  rm -rf "$(dirname "$cx_report")"
}

samples="$tmp/samples.tsv"
: >"$samples"
visit() { # ROUND MODE
  local round=$1 mode=$2 flag=--mmap ns
  case $mode in b|d) flag=--mmap-noreserve ;; esac
  case $mode in c|d) cx_register "bench-$$-r$round-$mode" "$sleep_pid" ;; esac
  for _ in $(seq 1 "$REPS"); do
    ns=$(run_loop "$flag")
    printf '%s\t%s\t%s\n' "$round" "$mode" "$ns" >>"$samples"
  done
  case $mode in c|d) cx_stop; check_report "$mode" ;; esac
}

log "$ROUNDS rounds x ${#MODES[@]} modes x $REPS runs of $ITERATIONS mmap+munmap pairs"
run_rounds

python3 - "$BENCH_DIR" "$samples" "$ROUNDS" "$REPS" "$ITERATIONS" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import samples
path, rounds, reps, iters = sys.argv[2:6]
names = {
    "a": "(a) accounted mmap, not recorded",
    "b": "(b) MAP_NORESERVE mmap, not recorded",
    "c": "(c) accounted mmap, recorded",
    "d": "(d) MAP_NORESERVE mmap, recorded",
}
ns = samples.load(path, names)
print(f"capability checks: mmap+munmap pairs of one page, {rounds} rounds x {reps} runs x {int(iters):,} pairs per mode")
med = samples.medians(ns)
samples.table(names, ns, "pair")
print()
check = (med["c"] - med["a"]) - (med["d"] - med["b"])
print(f"recorded / not recorded, accounted pair (c)/(a)     {med['c'] / med['a']:.3f}x  ({med['c'] - med['a']:+.1f} ns)")
print(f"recorded / not recorded, check-free pair (d)/(b)    {med['d'] / med['b']:.3f}x  ({med['d'] - med['b']:+.1f} ns)")
print(f"one no-audit capability check, counted and its stack walked: {check:+.1f} ns ((c)-(a) - ((d)-(b)))")
PY
