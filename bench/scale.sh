#!/usr/bin/env bash
# Scale: CONTAINERS recorded containers at once (busybox, each doing some work: execs, file reads
# and writes, then waiting), started PARALLEL at a time; once every one is registered and has
# done its work they are stopped together and every report is checked complete. The daemon's RSS
# is sampled every second (curve, peak) against the 128 MiB target.
# Settings (environment): CONTAINERS (200), PARALLEL (10), DOCKER_HOST, BUSYBOX_IMAGE
# (contxray-test/busybox), RUNTIME (contxray-record), SETTLE (90: seconds to wait for the reports).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
source "$BENCH_DIR/lib.sh"
# shellcheck source=recorded-cgroup.sh
source "$BENCH_DIR/recorded-cgroup.sh"
# shellcheck source=daemon-watch.sh
source "$BENCH_DIR/daemon-watch.sh"
bench_start scale 7 "$@"

CONTAINERS=${CONTAINERS:-200} PARALLEL=${PARALLEL:-10} SETTLE=${SETTLE:-90}
BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-contxray-test/busybox} RUNTIME=${RUNTIME:-contxray-record}
positive_ints CONTAINERS PARALLEL SETTLE
TARGET_MIB=128
watch_setup
[ "$(slots_in_use)" = 0 ] || die "the daemon already records $(slots_in_use) container(s): the figures would not be this run's"

tmp=$(mktemp -d /tmp/contxray-scale.XXXXXX)
: >"$tmp/failed" # one line per failed docker run
cleanup() {
  stop_rss_sampler
  docker ps -aq --filter "label=contxray-scale=$$" | xargs -r docker rm -f >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_idle
read -r fds0 threads0 <<<"$(daemon_holds)"
pins0=$(pins) links0=$(links)
start_rss_sampler

# the work: 20 rounds of a few execs and a file written, then a marker, then wait to be stopped
WORK='for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do cat /etc/hostname >/dev/null; ls /bin >/dev/null; echo $i >/tmp/scale; done; wc -c /tmp/scale >/dev/null; touch /tmp/done; exec sleep 3600'
start_one() { # N
  docker run -d --runtime "$RUNTIME" --label "contxray-scale=$$" "$BUSYBOX_IMAGE" sh -c "$WORK" >"$tmp/cid.$1" 2>"$tmp/err.$1" ||
    echo "$1" >>"$tmp/failed"
}
export -f start_one
export RUNTIME BUSYBOX_IMAGE WORK tmp
log "starting $CONTAINERS containers, $PARALLEL at a time"
t_start=$SECONDS
seq 1 "$CONTAINERS" | xargs -P "$PARALLEL" -I{} bash -c 'start_one {}'
start_s=$((SECONDS - t_start))
failed=$(wc -l <"$tmp/failed")
[ "$failed" = 0 ] || { log "$failed docker run(s) failed; first: $(cat "$tmp"/err.* | head -n 1)"; }

# all at once: every one registered and done with its work
for _ in $(seq 1 120); do
  in_use=$(slots_in_use)
  done_n=0
  for f in "$tmp"/cid.*; do
    [ -s "$f" ] && docker exec "$(cat "$f")" test -e /tmp/done 2>/dev/null && done_n=$((done_n + 1))
  done
  [ "$done_n" -ge $((CONTAINERS - failed)) ] && break
  sleep 1
done
in_use=$(slots_in_use)
log "$in_use recorded at once, $done_n done with their work"
sleep 3
log "stopping them"
cat "$tmp"/cid.* | xargs -r -P "$PARALLEL" -n 10 docker stop -t 1 >/dev/null

reported=0 complete=0
for _ in $(seq 1 "$SETTLE"); do
  reported=0 complete=0
  for f in "$tmp"/cid.*; do
    [ -s "$f" ] || continue
    r=$STATE/$(cat "$f")/runs/1/report.json
    [ -e "$r" ] || continue
    reported=$((reported + 1))
    report_complete "$r" wc /tmp/scale && complete=$((complete + 1))
  done
  [ "$reported" -ge $((CONTAINERS - failed)) ] && [ "$(slots_in_use)" = 0 ] && break
  sleep 1
done
wait_idle
stop_rss_sampler
read -r fds1 threads1 <<<"$(daemon_holds)"

echo
echo "scale: $CONTAINERS containers started in $start_s s ($failed failed), $in_use recorded at once"
echo "reports: $reported, complete: $complete"
echo "afterwards: slots in use $(slots_in_use), pinned objects $pins0 -> $(pins), BPF links $links0 -> $(links), daemon fds $fds0 -> $fds1, threads $threads0 -> $threads1"
print_rss_curve
if [ "$reported" = "$CONTAINERS" ] && [ "$complete" = "$CONTAINERS" ] && [ "$in_use" = "$CONTAINERS" ] &&
   [ "$rss_peak_kb" -le $((TARGET_MIB * 1024)) ]; then
  echo "target met: $CONTAINERS at once, every report complete, peak RSS $((rss_peak_kb / 1024)) MiB <= $TARGET_MIB MiB"
else
  echo "target NOT met: peak RSS $((rss_peak_kb / 1024)) MiB (target $TARGET_MIB), $complete of $CONTAINERS reports complete, $in_use at once"
fi
