#!/usr/bin/env bash
# What does the address history cost the daemon? CONTAINERS busybox containers are started and
# removed (each `docker run --rm IMAGE true`, PARALLEL at a time), and the daemon's RSS and the
# history's entries (holdings in /var/lib/contxray/address-history.json, saved every 2 s) are
# read before, after every STEP containers, and at the end. Every container leaves an ended
# holding (its address, from its start to its die); they are kept 1 h and at most 20,000, so
# the entry count should grow by about one per container up to that bound, and evictions stay 0
# below it.
# A benchmark, not a test: it prints figures, only errors fail the script.
#
# Usage: sudo bench/address-history.sh
# Settings (environment):
#   CONTAINERS=1000                     containers started and removed
#   PARALLEL=2                          docker runs at a time
#   STEP=100                            print a line every STEP containers
#   BUSYBOX_IMAGE=contxray-test/busybox the image (must already be present: nothing is pulled)
#   DOCKER_HOST                         the engine, as for the docker CLI (the daemon must follow it:
#                                       CONTXRAY_DOCKER_SOCKETS, default /var/run/docker.sock)
set -euo pipefail

CONTAINERS=${CONTAINERS:-1000}
PARALLEL=${PARALLEL:-2}
STEP=${STEP:-100}
IMAGE=${BUSYBOX_IMAGE:-contxray-test/busybox}
HISTORY=${CONTXRAY_STATE_DIR:-/var/lib/contxray}/address-history.json

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start address-history 18 "$@"
positive_ints CONTAINERS PARALLEL STEP
for t in docker jq; do command -v "$t" >/dev/null || die "$t is needed"; done
pid=$(cat /run/contxray/daemon.pid 2>/dev/null) && kill -0 "$pid" 2>/dev/null ||
  pid=$(pgrep -f 'contxray.* daemon' | head -1) || die "no contxray daemon runs"
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE is not there (nothing is pulled)"

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
# entries: all holdings, ended ones, holders; evicted so far
entries() {
  sleep 2.5 # the history is saved every 2 s
  jq -r '[(.holdings | length), ([.holdings[] | select(.until != 9223372036854775807)] | length),
      (.holders | length), .evicted] | @tsv' "$HISTORY" 2>/dev/null || echo "- - - -"
}

printf '%10s %10s %10s %10s %10s %10s\n' containers rss_mib holdings ended holders evicted
printf '%10s %10s %10s\n' 0 "$(rss_mib)" "$(entries | tr '\t' ' ')"
started=$(date +%s)
done_n=0
while [ "$done_n" -lt "$CONTAINERS" ]; do
  batch=$(( CONTAINERS - done_n < STEP ? CONTAINERS - done_n : STEP ))
  seq 1 "$batch" | xargs -P "$PARALLEL" -I{} docker run --rm "$IMAGE" true >/dev/null ||
    die "docker run failed"
  done_n=$((done_n + batch))
  read -r h e n x <<<"$(entries)"
  printf '%10s %10s %10s %10s %10s %10s\n' "$done_n" "$(rss_mib)" "$h" "$e" "$n" "$x"
done
log "$CONTAINERS containers in $(( $(date +%s) - started )) s; history file $(du -h "$HISTORY" | cut -f1)"
