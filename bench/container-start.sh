#!/usr/bin/env bash
# What does recording add to a container start? Wall time of
#   docker run --rm IMAGE true
# with plain runc, with contxray recording it, and with the contxray runtime passing the
# container through unrecorded (no annotation), interleaved over ROUNDS rounds after warm-ups.
# Then the JVM start floor: `contxray version`, and the createRuntime hook failing open against
# a socket that does not exist (its JVM start plus everything short of the daemon round trip).
# Target (issue 2, item 9): recording adds at most +100 ms at the median.
# A benchmark, not a test: a missed target is reported, only errors fail the script.
#
# Usage: sudo bench/container-start.sh
# Settings (environment):
#   ROUNDS=15                           timed rounds (each runs every variant once)
#   WARMUPS=2                           untimed rounds first (image cache, page cache, JIT archive)
#   HOOK_RUNS=10                        runs of each JVM floor command
#   BUSYBOX_IMAGE=contxray-test/busybox the image (must already be present: nothing is pulled)
#   DOCKER_HOST                         the engine, as for the docker CLI
#   CONTXRAY=contxray                   the launcher timed for the JVM floor
set -euo pipefail

ROUNDS=${ROUNDS:-15}
WARMUPS=${WARMUPS:-2}
HOOK_RUNS=${HOOK_RUNS:-10}
IMAGE=${BUSYBOX_IMAGE:-contxray-test/busybox}
CONTXRAY=${CONTXRAY:-contxray}
STATE=${CONTXRAY_STATE_DIR:-/var/lib/contxray}/containers

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start container-start 20 "$@"
positive_ints ROUNDS HOOK_RUNS
[[ $WARMUPS =~ ^[0-9]+$ ]] || die "WARMUPS must be a non-negative integer, got '$WARMUPS'"

tmp=""
current_cid_file=""   # the container being started right now, if any (for Ctrl-C)

cleanup() {
  local rc=$? cid
  set +e
  trap - EXIT INT TERM
  # A run interrupted half-way may leave its container behind: --rm only acts on a clean exit.
  # (docker rm -f runs runc delete and so the poststop hook: its report is written by then.)
  if [ -n "$current_cid_file" ] && [ -s "$current_cid_file" ]; then
    docker rm -f "$(cat "$current_cid_file")" >/dev/null 2>&1
    cat "$current_cid_file" >>"$tmp/cids"
    echo >>"$tmp/cids"
  fi
  # The reports contxray wrote for the bench's own containers, and nothing else.
  if [ -n "$tmp" ] && [ -r "$tmp/cids" ]; then
    while read -r cid; do
      [[ $cid =~ ^[0-9a-f]{64}$ ]] && rm -rf "${STATE:?}/$cid"
    done <"$tmp/cids"
  fi
  [ -n "$tmp" ] && rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for tool in docker python3 awk; do
  command -v "$tool" >/dev/null || die "'$tool' not found"
done
command -v "$CONTXRAY" >/dev/null || die "'$CONTXRAY' not found: install contxray first (README command 1)"
server=$(docker version --format '{{.Server.Version}}' 2>&1) \
  || die "no Docker engine answers${DOCKER_HOST:+ at $DOCKER_HOST}: $server"
# The API version both sides speak: --annotation needs 1.43 (Docker 24) in the CLI and the engine.
api=$(docker version --format '{{.Client.APIVersion}}')
runtimes=$(docker info --format '{{range $name, $_ := .Runtimes}}{{$name}} {{end}}')
for r in runc contxray contxray-record; do
  [[ " $runtimes " == *" $r "* ]] || die "the engine has no runtime '$r' (it has: $runtimes); run README command 1"
done
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE not present on the engine (set BUSYBOX_IMAGE)"

if [ "$(printf '%s\n' "1.43" "$api" | sort -V | head -n 1)" = "1.43" ]; then
  record_args=(--runtime contxray --annotation contxray.record=true)
else
  # Docker 20.10-23: annotations do not reach config.json; this runtime records everything.
  record_args=(--runtime contxray-record)
fi
VARIANTS=(runc record pass)
declare -A ARGS LABEL
ARGS[runc]="--runtime runc"
ARGS[record]="${record_args[*]}"
ARGS[pass]="--runtime contxray"
LABEL[runc]="runc (${ARGS[runc]})"
LABEL[record]="contxray recording (${ARGS[record]})"
LABEL[pass]="contxray passthrough (${ARGS[pass]}, no annotation)"

tmp=$(mktemp -d /tmp/contxray-bench.XXXXXX)
: >"$tmp/cids"
: >"$tmp/samples.tsv"

# One docker run; prints its wall time in ms. A recorded run must leave a report, an unrecorded
# one must not: otherwise the figures would not be measuring what their labels say.
timed_run() { # VARIANT
  local variant=$1 start end rc=0 cid
  local -a args
  read -r -a args <<<"${ARGS[$variant]}"
  current_cid_file="$tmp/cid.$RANDOM$RANDOM"
  start=$EPOCHREALTIME
  docker run --rm --cidfile "$current_cid_file" "${args[@]}" "$IMAGE" true >"$tmp/run.out" 2>&1 || rc=$?
  end=$EPOCHREALTIME
  [ "$rc" = 0 ] || die "docker run ${ARGS[$variant]} $IMAGE true failed (exit $rc): $(tail -n 2 "$tmp/run.out" | tr '\n' ' ')"
  cid=$(cat "$current_cid_file")
  echo "$cid" >>"$tmp/cids"
  current_cid_file=""
  if [ "$variant" = record ]; then
    [ -s "$STATE/$cid/runs/1/report.json" ] || die "the recorded run left no $STATE/$cid/runs/1/report.json: contxray did not record it"
  elif [ -e "$STATE/$cid" ]; then
    die "the $variant run was recorded ($STATE/$cid exists), it should not have been"
  fi
  timed_ms=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) * 1000 }')
}

log "engine $server (API $api)${DOCKER_HOST:+ at $DOCKER_HOST}, image $IMAGE; $WARMUPS warm-up + $ROUNDS timed rounds"
for round in $(seq 1 "$((WARMUPS + ROUNDS))"); do
  # Rotating order, so no variant always runs right after the same other one.
  order=()
  for i in "${!VARIANTS[@]}"; do order+=("${VARIANTS[$(( (i + round - 1) % ${#VARIANTS[@]} ))]}"); done
  line=""
  for variant in "${order[@]}"; do
    timed_run "$variant"
    line+=" $variant=${timed_ms}ms"
    if [ "$round" -gt "$WARMUPS" ]; then
      printf '%s\t%s\n' "$variant" "$timed_ms" >>"$tmp/samples.tsv"
    fi
  done
  if [ "$round" -le "$WARMUPS" ]; then
    log "warm-up $round/$WARMUPS:$line"
  else
    log "round $((round - WARMUPS))/$ROUNDS:$line"
  fi
done

# ---------------------------------------------------------------------------------------------
# JVM start floor. The hook is pointed at a socket that cannot exist, so it fails open (exit 0,
# one warning line) without touching the running daemon; its log goes to the temp dir, not to
# the host's hook log.
state_json="{\"ociVersion\":\"1.0.2\",\"id\":\"bench-hook-$$\",\"status\":\"creating\",\"pid\":$$,\"bundle\":\"/nonexistent\",\"annotations\":{}}"
time_cmd() { # NAME COMMAND... (stdin: /dev/null unless HOOK_STDIN is set)
  local name=$1 start end rc
  shift
  for run in $(seq 0 "$HOOK_RUNS"); do
    rc=0
    start=$EPOCHREALTIME
    if [ -n "${HOOK_STDIN:-}" ]; then
      "$@" <<<"$HOOK_STDIN" >/dev/null 2>"$tmp/floor.err" || rc=$?
    else
      "$@" </dev/null >/dev/null 2>"$tmp/floor.err" || rc=$?
    fi
    end=$EPOCHREALTIME
    [ "$rc" = 0 ] || die "'$*' failed (exit $rc): $(tail -n 1 "$tmp/floor.err")"
    # run 0 is a warm-up (page cache)
    [ "$run" = 0 ] || printf '%s\t%s\n' "$name" "$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) * 1000 }')" >>"$tmp/floor.tsv"
  done
}
: >"$tmp/floor.tsv"
log "JVM start floor: $HOOK_RUNS runs each of '$CONTXRAY version' and the fail-open hook"
time_cmd version "$CONTXRAY" version
HOOK_STDIN=$state_json CONTXRAY_SOCKET=/nonexistent/x.sock CONTXRAY_HOOK_LOG="$tmp/hook.log" \
  time_cmd hook "$CONTXRAY" hook createRuntime
# The fail-open path must really have been taken (a warning on stderr), or the figure is not it.
[ -s "$tmp/floor.err" ] || die "the hook with a missing socket printed no warning: not the fail-open path"

# ---------------------------------------------------------------------------------------------
python3 - "$tmp/samples.tsv" "$tmp/floor.tsv" "$ROUNDS" "$WARMUPS" "$HOOK_RUNS" "$IMAGE" "$server" "$api" \
  "${LABEL[runc]}" "${LABEL[record]}" "${LABEL[pass]}" "$CONTXRAY" <<'PY'
import math, statistics, sys
samples, floor, rounds, warmups, hook_runs, image, server, api = sys.argv[1:9]
labels = dict(zip(["runc", "record", "pass"], sys.argv[9:12]))
launcher = sys.argv[12]

def load(path):
    out = {}
    with open(path) as f:
        for line in f:
            key, value = line.rstrip("\n").split("\t")
            out.setdefault(key, []).append(float(value))
    return out

def p90(values):
    s = sorted(values)
    return s[max(0, math.ceil(0.9 * len(s)) - 1)]  # nearest rank

ms = load(samples)
med = {k: statistics.median(v) for k, v in ms.items()}
names = {
    "version": f"{launcher} version",
    "hook": f"{launcher} hook createRuntime, socket missing (fail-open)",
}
width = max(len(l) for l in list(labels.values()) + list(names.values())) + 2
print(f"container start: docker run --rm {image} true; engine {server} (API {api}); "
      f"{rounds} interleaved rounds after {warmups} warm-up round(s)")
print(f"{'variant':<{width}} {'median ms':>10} {'p90 ms':>9} {'vs runc (median)':>17}")
for key, label in labels.items():
    diff = "" if key == "runc" else f"{med[key] - med['runc']:+.1f} ms"
    print(f"{label:<{width}} {med[key]:>10.1f} {p90(ms[key]):>9.1f} {diff:>17}")

fl = load(floor)
print()
print(f"JVM start floor (median and p90 of {hook_runs} runs, ms):")
for key, name in names.items():
    print(f"{name:<{width}} {statistics.median(fl[key]):>10.1f} {p90(fl[key]):>9.1f}")

added = med["record"] - med["runc"]
print()
print(f"target: recording adds <= +100 ms to the median container start: "
      f"{'met' if added <= 100 else 'NOT MET'} ({added:+.1f} ms)")
PY
