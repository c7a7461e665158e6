#!/usr/bin/env bash
# Churn: CONTAINERS recorded containers (busybox doing a little work), PARALLEL at a time, through
# the running daemon; then every report checked complete and the daemon's leaks counted (slots
# still in use, pinned objects, BPF links, its file descriptors and threads, before and after).
# The daemon's RSS is sampled every second through the run and printed as a curve.
# With KILL_EVERY=S it is the restart soak: the daemon is SIGKILLed every S seconds and started
# again (install/daemonctl.sh); a container the hook registered must still get its report (the
# restarted daemon finishes it), a container started while the daemon was down runs unrecorded
# (fail-open) and is counted apart.
# Settings (environment): CONTAINERS (500), PARALLEL (10), KILL_EVERY (0: never), DOCKER_HOST,
# BUSYBOX_IMAGE (contxray-test/busybox), RUNTIME (contxray-record), SETTLE (60: seconds to wait
# for the last reports). Needs what README command 1 installs; python3, jq, bpftool.
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
# shellcheck source=recorded-cgroup.sh
source "$BENCH_DIR/recorded-cgroup.sh"
# shellcheck source=daemon-watch.sh
source "$BENCH_DIR/daemon-watch.sh"
bench_start churn 12 "$@"

CONTAINERS=${CONTAINERS:-500} PARALLEL=${PARALLEL:-10} KILL_EVERY=${KILL_EVERY:-0} SETTLE=${SETTLE:-60}
BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-contxray-test/busybox} RUNTIME=${RUNTIME:-contxray-record}
positive_ints CONTAINERS PARALLEL SETTLE
[[ $KILL_EVERY =~ ^[0-9]+$ ]] || die "KILL_EVERY must be a number of seconds (0: never), got '$KILL_EVERY'"
DAEMONCTL=${DAEMONCTL:-/usr/local/lib/contxray/daemonctl.sh}
watch_setup

tmp=$(mktemp -d /tmp/contxray-churn.XXXXXX)
: >"$tmp/failed" # one line per failed docker run
killer_pid=""
cleanup() {
  [ -n "$killer_pid" ] && kill "$killer_pid" 2>/dev/null && wait "$killer_pid" 2>/dev/null
  stop_rss_sampler
  bash "$DAEMONCTL" status >/dev/null 2>&1 || bash "$DAEMONCTL" start >/dev/null 2>&1 || true
  docker ps -aq --filter "label=contxray-churn=$$" | xargs -r docker rm -f >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(slots_in_use)" = 0 ] || log "warning: the daemon already records $(slots_in_use) container(s)"
wait_idle
read -r fds0 threads0 <<<"$(daemon_holds)"
pins0=$(pins) links0=$(links)

start_rss_sampler

if [ "$KILL_EVERY" -gt 0 ]; then
  ( n=0
    while sleep "$KILL_EVERY"; do
      bash "$DAEMONCTL" kill >/dev/null 2>&1
      n=$((n + 1)); echo "$n" >"$tmp/kills"
      bash "$DAEMONCTL" start >/dev/null 2>&1 || echo "start failed after kill $n" >>"$tmp/killer.err"
    done ) &
  killer_pid=$!
fi

run_one() { # N
  docker run --rm --runtime "$RUNTIME" --label "contxray-churn=$CHURN_LABEL" --cidfile "$tmp/cid.$1" "$BUSYBOX_IMAGE" \
    sh -c 'cat /etc/hostname >/dev/null; ls / >/dev/null; echo churn >/tmp/x; wc -c /tmp/x' >"$tmp/out.$1" 2>&1 ||
    echo "$1" >>"$tmp/failed"
}
export -f run_one
CHURN_LABEL=$$
export RUNTIME BUSYBOX_IMAGE tmp CHURN_LABEL
log "$CONTAINERS containers, $PARALLEL at a time, runtime $RUNTIME$([ "$KILL_EVERY" = 0 ] || echo ", daemon killed every ${KILL_EVERY}s")"
t_run=$SECONDS
seq 1 "$CONTAINERS" | xargs -P "$PARALLEL" -I{} bash -c 'run_one {}'
run_s=$((SECONDS - t_run))
if [ -n "$killer_pid" ]; then kill "$killer_pid" 2>/dev/null; wait "$killer_pid" 2>/dev/null || true; killer_pid=""; fi
bash "$DAEMONCTL" status >/dev/null 2>&1 || bash "$DAEMONCTL" start >/dev/null || die "the daemon does not start again"
# a daemon started by the last kill's restart may not have bound its socket yet
for _ in $(seq 1 300); do [ -S "${CONTXRAY_SOCKET:-/run/contxray/contxray.sock}" ] && break; sleep 0.1; done
check_cgroup2_and_daemon

# Every registered container (its registration.json written) must get a report; the daemon
# finishes those stopped while it was down at its start or once their cgroup is gone.
classify() {
  registered=0 reported=0 complete=0 unrecorded=0 recovered=0
  : >"$tmp/missing"
  for f in "$tmp"/cid.*; do
    id=$(cat "$f")
    d=$STATE/$id/runs/1 # one run per container here
    if [ ! -e "$d/registration.json" ]; then unrecorded=$((unrecorded + 1)); continue; fi
    registered=$((registered + 1))
    if [ ! -e "$d/report.json" ]; then echo "$id" >>"$tmp/missing"; continue; fi
    reported=$((reported + 1))
    report_complete "$d/report.json" wc /tmp/x && complete=$((complete + 1))
    jq -e '.recording.recoveredAfterRestart' "$d/report.json" >/dev/null && recovered=$((recovered + 1))
  done
  return 0
}
for _ in $(seq 1 "$SETTLE"); do
  classify
  [ "$registered" = "$reported" ] && [ "$(slots_in_use)" = 0 ] && break
  sleep 1
done
wait_idle
stop_rss_sampler

read -r fds1 threads1 <<<"$(daemon_holds)"
pins1=$(pins) links1=$(links) slots1=$(slots_in_use)
failed=$(wc -l <"$tmp/failed")
kills=$(cat "$tmp/kills" 2>/dev/null || echo 0)

echo
echo "churn: $CONTAINERS containers, $PARALLEL at a time, in $run_s s ($(awk -v n="$CONTAINERS" -v s="$run_s" 'BEGIN { printf "%.1f", n / (s > 0 ? s : 1) }') containers/s)"
[ "$KILL_EVERY" -gt 0 ] && echo "daemon SIGKILLed and restarted: $kills time(s), every $KILL_EVERY s"
echo "docker run failed: $failed"
echo "registered: $registered, reports: $reported, complete: $complete, missing: $((registered - reported)), recovered after a restart: $recovered"
echo "unrecorded (started while the daemon was down, fail-open): $unrecorded"
if [ "$KILL_EVERY" -gt 0 ]; then
  echo "after the run (a restarted daemon: its own fds and threads): slots in use $slots1, pinned objects $pins0 -> $pins1, BPF links $links0 -> $links1, fds $fds1, threads $threads1"
else
  echo "leaks: slots in use $slots1, pinned objects $pins0 -> $pins1, BPF links $links0 -> $links1, daemon fds $fds0 -> $fds1, threads $threads0 -> $threads1"
fi
print_rss_curve
[ -s "$tmp/missing" ] && { echo "missing reports:"; sed 's/^/  /' "$tmp/missing"; }
ok=1
[ "$registered" = "$reported" ] || ok=0
[ "$reported" = "$complete" ] || ok=0
[ "$slots1" = 0 ] && [ "$pins1" = "$pins0" ] && [ "$links1" = "$links0" ] || ok=0
if [ "$KILL_EVERY" = 0 ]; then
  [ "$unrecorded" = 0 ] && [ "$fds1" -le "$fds0" ] && [ "$threads1" -le "$threads0" ] || ok=0
fi
[ "$ok" = 1 ] && echo "target met: every registered container reported complete, nothing leaked" ||
  echo "target NOT met"
