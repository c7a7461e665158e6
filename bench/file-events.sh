#!/usr/bin/env bash
# Can the recorder keep up with a container that opens files as fast as it can? open-loop.c, built
# static and run in a busybox container, opens a file N times; every run is made unrecorded
# (--runtime runc) and recorded (--runtime contxray-record), interleaved over ROUNDS rounds:
#   same file       /etc/hostname OPENS times: one access repeated, which the kernel counts in
#                   its repeat_counts map and sends once
#   distinct files  /nonexistent/f<i> DISTINCT_OPENS times: every open a new access and its own
#                   ring-buffer event (the worst case), as fast as the container can
#   paced           the same distinct opens held at PACED_RATE per second for PACED_OPENS opens:
#                   the target's own question (does the recorder keep up with a sustained rate?)
# Each recorded run's report.json must account for the opens (events + kernel drops + rotated);
# the daemon's VmRSS is sampled every 0.2 s during each recorded run.
# Targets (issue 3): at least 200k file-open events/s from one container with zero drops, and
# the daemon under 150 MiB RSS.
# A benchmark, not a test: missed targets are reported, only errors fail the script.
#
# Usage: sudo bench/file-events.sh
# Settings (environment):
#   ROUNDS=5                            rounds; each runs every case both ways, in a rotating order
#   OPENS=1000000                       opens per run, same file
#   DISTINCT_OPENS=200000               opens per run, distinct files
#   PACED_OPENS=1000000                 opens per run, paced distinct files
#   PACED_RATE=200000                   opens per second of the paced runs
#   REPORT_TIMEOUT=60                   seconds a recorded run's report.json may take to appear
#   BUSYBOX_IMAGE=contxray-test/busybox the image (must already be present: nothing is pulled)
#   DOCKER_HOST                         the engine, as for the docker CLI
#   BENCH_RAW=FILE                      also write every run as a tab-separated line to FILE
set -euo pipefail

ROUNDS=${ROUNDS:-5}
OPENS=${OPENS:-1000000}
DISTINCT_OPENS=${DISTINCT_OPENS:-200000}
PACED_OPENS=${PACED_OPENS:-1000000}
PACED_RATE=${PACED_RATE:-200000}
REPORT_TIMEOUT=${REPORT_TIMEOUT:-60}
IMAGE=${BUSYBOX_IMAGE:-contxray-test/busybox}
STATE=${CONTXRAY_STATE_DIR:-/var/lib/contxray}/containers
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PIDFILE=/run/contxray/daemon.pid   # written by install/daemonctl.sh

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bench_start file-events 27 "$@"
positive_ints ROUNDS OPENS DISTINCT_OPENS PACED_OPENS PACED_RATE REPORT_TIMEOUT

# ---------------------------------------------------------------------------------------------
# State the cleanup trap needs: everything this run started or created, and nothing else.
tmp=""
current_cid_file=""   # the container being run right now, if any (for Ctrl-C)
sampler_pid=""        # the RSS sampler of the current recorded run

cleanup() {
  local rc=$? cid
  set +e
  trap - EXIT INT TERM
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null && wait "$sampler_pid" 2>/dev/null
  if [ -n "$current_cid_file" ] && [ -s "$current_cid_file" ]; then
    cat "$current_cid_file" >>"$tmp/cids"
    echo >>"$tmp/cids"
  fi
  # The bench's own containers (run without --rm, to be inspected) and the reports contxray
  # wrote for them, and nothing else. docker rm -f of a container still running goes through
  # runc delete and so the poststop hook: its report is written before it is removed here.
  if [ -n "$tmp" ] && [ -r "$tmp/cids" ]; then
    while read -r cid; do
      [[ $cid =~ ^[0-9a-f]{64}$ ]] || continue
      docker rm -f "$cid" >/dev/null 2>&1
      rm -rf "${STATE:?}/$cid"
    done <"$tmp/cids"
  fi
  [ -n "$tmp" ] && rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# Checks first, so that a missing piece is one clear line and not a half-run benchmark.
[ "$(id -u)" = 0 ] || die "must run as root (the reports under $STATE, the daemon's /proc entry)"
for tool in docker gcc jq python3; do
  command -v "$tool" >/dev/null || die "'$tool' not found (Debian packages: docker.io gcc jq python3)"
done
server=$(docker version --format '{{.Server.Version}}' 2>&1) \
  || die "no Docker engine answers${DOCKER_HOST:+ at $DOCKER_HOST}: $server"
runtimes=$(docker info --format '{{range $name, $_ := .Runtimes}}{{$name}} {{end}}')
for r in runc contxray-record; do
  [[ " $runtimes " == *" $r "* ]] \
    || die "the engine has no runtime '$r' (it has: $runtimes); run install/setup.sh (README command 1)"
done
docker image inspect "$IMAGE" >/dev/null 2>&1 || die "image $IMAGE not present on the engine (set BUSYBOX_IMAGE)"

# The recorder daemon, whose RSS is sampled: the pid file of install/daemonctl.sh, else systemd's
# main pid of contxray.service, else the one java process running contxray.jar's daemon.
is_daemon() { # PID
  [[ $1 =~ ^[1-9][0-9]*$ ]] && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'contxray.* daemon'
}
daemon_pid=""
if [ -r "$PIDFILE" ] && is_daemon "$(cat "$PIDFILE")"; then
  daemon_pid=$(cat "$PIDFILE")
elif command -v systemctl >/dev/null && pid=$(systemctl show -p MainPID --value contxray 2>/dev/null) \
     && is_daemon "$pid"; then
  daemon_pid=$pid
else
  pids=$(pgrep -f 'contxray\.jar.* daemon' || true)
  [ -n "$pids" ] || die "the contxray daemon is not running; start it: bash /usr/local/lib/contxray/daemonctl.sh start"
  [ "$(wc -w <<<"$pids")" = 1 ] || die "several processes look like the contxray daemon ($(tr '\n' ' ' <<<"$pids")); which one to measure?"
  daemon_pid=$pids
fi
status_kb() { # FIELD: a field of the daemon's /proc status in kB, read without forking
  local key value _
  while read -r key value _; do
    if [ "$key" = "$1:" ]; then echo "$value"; return 0; fi
  done <"/proc/$daemon_pid/status"
  return 1
}
rss_kb() { status_kb VmRSS; }
rss_start=$(rss_kb) || die "cannot read VmRSS from /proc/$daemon_pid/status"

# ---------------------------------------------------------------------------------------------
# Build the workload into a temp dir (nothing compiled is written to the work tree); static, so
# that it runs in any image without its loader or libc opening files of their own.
tmp=$(mktemp -d /tmp/contxray-bench.XXXXXX)
mkdir "$tmp/bin"
: >"$tmp/cids"
: >"$tmp/runs.tsv"
gcc -O2 -static -Wall -Wextra -o "$tmp/bin/open-loop" "$BENCH_DIR/open-loop.c" \
  || die "building open-loop.c static failed (the static libc is in Debian's libc6-dev)"
chmod 755 "$tmp" "$tmp/bin"

declare -A CASE_N CASE_PATH CASE_RATE
CASE_N[same]=$OPENS
CASE_PATH[same]=/etc/hostname
CASE_N[distinct]=$DISTINCT_OPENS
CASE_PATH[distinct]=/nonexistent/f%ld
CASE_N[paced]=$PACED_OPENS
CASE_PATH[paced]=/nonexistent/f%ld
CASE_RATE[paced]=$PACED_RATE
VISITS=(same:runc same:record distinct:runc distinct:record paced:runc paced:record)

# Samples the daemon's VmRSS every 0.2 s into FILE until killed (or the daemon is gone).
start_sampler() { # FILE
  ( while rss_kb; do sleep 0.2; done ) >"$1" 2>/dev/null &
  sampler_pid=$!
}
stop_sampler() {
  kill "$sampler_pid" 2>/dev/null || true
  wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
}

# One run of one case, one way; appends a line to runs.tsv:
#   round case variant rate seconds events file-drops rotated all-drops peak-rss-kB
run_once() { # ROUND CASE VARIANT
  local round=$1 case=$2 variant=$3 n path rc=0 cid out rate seconds report i
  local events=- drops=- rotated=- all_drops=- peak=-
  local -a runtime
  n=${CASE_N[$case]} path=${CASE_PATH[$case]}
  if [ "$variant" = record ]; then runtime=(--runtime contxray-record); else runtime=(--runtime runc); fi
  current_cid_file="$tmp/cid.$RANDOM$RANDOM"
  [ "$variant" = record ] && start_sampler "$tmp/rss"
  # Not --rm: a recorded container's report is looked up by its id after it exited.
  docker run --cidfile "$current_cid_file" -v "$tmp/bin:/b:ro" "${runtime[@]}" "$IMAGE" \
    /b/open-loop "$n" "$path" ${CASE_RATE[$case]:-} >"$tmp/run.out" 2>&1 || rc=$?
  cid=$(cat "$current_cid_file" 2>/dev/null || true)
  [ -n "$cid" ] && echo "$cid" >>"$tmp/cids"
  current_cid_file=""
  [ "$rc" = 0 ] || die "docker run ${runtime[*]} $IMAGE /b/open-loop $n $path failed (exit $rc): $(tail -n 2 "$tmp/run.out" | tr '\n' ' ')"
  out=$(tail -n 1 "$tmp/run.out")
  [[ $out =~ ^opens=$n\ seconds=([0-9.]+)\ rate=([0-9]+)$ ]] || die "open-loop printed '$out', not 'opens=$n seconds=S rate=R'"
  seconds=${BASH_REMATCH[1]} rate=${BASH_REMATCH[2]}

  if [ "$variant" = record ]; then
    # The poststop hook has the daemon write the report when the container is gone; the
    # analyzer may need a moment for a large event log.
    report="$STATE/$cid/runs/1/report.json"
    for i in $(seq 1 $((REPORT_TIMEOUT * 5))); do
      [ -s "$report" ] && break
      kill -0 "$daemon_pid" 2>/dev/null || die "the contxray daemon (pid $daemon_pid) exited during the run"
      sleep 0.2
    done
    [ -s "$report" ] || die "no $report within ${REPORT_TIMEOUT} s of the recorded run's end: contxray did not record it"
    stop_sampler
    peak=$(sort -n "$tmp/rss" | tail -n 1)
    [[ $peak =~ ^[0-9]+$ ]] || die "no RSS sample of the daemon (pid $daemon_pid) during the run"
    read -r events drops rotated all_drops < <(jq -r \
      '[.files.events, .drops.eventsByType.file, .drops.rotated, .drops.events] | map(. // "null") | @tsv' "$report") \
      || die "unreadable report $report"
    for v in "$events" "$drops" "$rotated" "$all_drops"; do
      [[ $v =~ ^[0-9]+$ ]] || die "$report lacks .files.events, .drops.eventsByType.file, .drops.rotated or .drops.events"
    done
  elif [ -e "$STATE/$cid" ]; then
    die "the runc run was recorded ($STATE/$cid exists), it should not have been"
  fi
  # Done with this container and its report (a distinct-files event log is tens of MB).
  docker rm "$cid" >/dev/null 2>&1 || die "docker rm $cid failed"
  rm -rf "${STATE:?}/$cid"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$case" "$variant" "$rate" "$seconds" \
    "$events" "$drops" "$rotated" "$all_drops" "$peak" >>"$tmp/runs.tsv"
  visit_note="$case/$variant=${rate}/s"
  [ "$variant" = record ] && visit_note+=" (drops $drops, RSS $((peak / 1024)) MiB)"
  return 0
}

log "engine $server${DOCKER_HOST:+ at $DOCKER_HOST}, image $IMAGE, daemon pid $daemon_pid ($((rss_start / 1024)) MiB RSS); $ROUNDS rounds of: same file x $OPENS, distinct files x $DISTINCT_OPENS, paced distinct files x $PACED_OPENS at $PACED_RATE/s, each runc and contxray-record"
for round in $(seq 1 "$ROUNDS"); do
  # Rotating order, so no run always follows the same other one.
  line=""
  for i in "${!VISITS[@]}"; do
    visit=${VISITS[$(( (i + round - 1) % ${#VISITS[@]} ))]}
    run_once "$round" "${visit%%:*}" "${visit#*:}"
    line+=" $visit_note"
  done
  log "round $round/$ROUNDS:$line"
done
rss_end=$(rss_kb) || die "the contxray daemon (pid $daemon_pid) is gone"
hwm=$(status_kb VmHWM) || die "cannot read VmHWM from /proc/$daemon_pid/status"
if [ -n "${BENCH_RAW:-}" ]; then
  { printf 'round\tcase\tvariant\topens_per_s\tseconds\tfile_events\tfile_drops\trotated\tall_drops\tpeak_rss_kb\n'
    cat "$tmp/runs.tsv"; } >"$BENCH_RAW"
fi

# ---------------------------------------------------------------------------------------------
python3 - "$tmp/runs.tsv" "$ROUNDS" "$OPENS" "$DISTINCT_OPENS" "$IMAGE" "$server" "$rss_start" "$rss_end" "$hwm" \
  "$PACED_OPENS" "$PACED_RATE" <<'PY'
import statistics, sys
path, rounds, opens, distinct, image, server, rss_start, rss_end, hwm, paced, pace = sys.argv[1:12]
n = {"same": int(opens), "distinct": int(distinct), "paced": int(paced)}
title = {
    "same": f"same file: /etc/hostname x {int(opens):,} per run (a repeated access: counted in the kernel, sent once)",
    "distinct": f"distinct files: /nonexistent/f<i> x {int(distinct):,} per run, as fast as it can (every open its own ring-buffer event)",
    "paced": f"paced: distinct files x {int(paced):,} per run held at {int(pace):,} opens/s (a sustained rate, not a burst)",
}
runs = {}
with open(path) as f:
    for line in f:
        rnd, case, variant, rate, secs, events, drops, rotated, all_drops, peak = line.rstrip("\n").split("\t")
        runs.setdefault((case, variant), []).append({
            "round": int(rnd), "rate": float(rate), "seconds": float(secs),
            "events": None if events == "-" else int(events),
            "drops": None if drops == "-" else int(drops),
            "rotated": None if rotated == "-" else int(rotated),
            "all_drops": None if all_drops == "-" else int(all_drops),
            "peak": None if peak == "-" else int(peak),
        })

def mib(kb):
    return kb / 1024

print(f"file events: open-loop (static) in one {image} container; engine {server}; "
      f"{rounds} interleaved rounds, each case run unrecorded (--runtime runc) and recorded (--runtime contxray-record)")
print(f"daemon RSS before: {mib(int(rss_start)):.1f} MiB, after: {mib(int(rss_end)):.1f} MiB, "
      f"high-water mark since the daemon started (VmHWM): {mib(int(hwm)):.1f} MiB")
summary = {}
for case in ("same", "distinct", "paced"):
    plain, rec = runs[(case, "runc")], runs[(case, "record")]
    med_plain = statistics.median(r["rate"] for r in plain)
    med_rec = statistics.median(r["rate"] for r in rec)
    peak = max(r["peak"] for r in rec)
    print()
    print(title[case])
    print(f"  {'opens/s unrecorded (runc), median':<44} {med_plain:>12,.0f}   (min {min(r['rate'] for r in plain):,.0f}, max {max(r['rate'] for r in plain):,.0f})")
    print(f"  {'opens/s recorded (contxray-record), median':<44} {med_rec:>12,.0f}   (min {min(r['rate'] for r in rec):,.0f}, max {max(r['rate'] for r in rec):,.0f})")
    print(f"  {'recorded / unrecorded':<44} {med_rec / med_plain:>12.2f}")
    print(f"  {'daemon peak RSS (recorded runs)':<44} {mib(peak):>12.1f} MiB")
    print(f"  recorded runs (events: file calls in report.json; accounted = events + file drops + rotated):")
    print(f"    {'round':>5} {'opens/s':>10} {'events':>10} {'file drops':>11} {'rotated':>8} {'other drops':>11} {'accounted - opens':>18} {'peak RSS MiB':>13}")
    for r in sorted(rec, key=lambda r: r["round"]):
        diff = r["events"] + r["drops"] + r["rotated"] - n[case]
        other = r["all_drops"] - r["drops"]
        print(f"    {r['round']:>5} {r['rate']:>10,.0f} {r['events']:>10,} {r['drops']:>11,} {r['rotated']:>8,} "
              f"{other:>11,} {diff:>+18,} {mib(r['peak']):>13.1f}")
    summary[case] = {
        "rate": med_rec, "peak": peak,
        "dropped_runs": sum(1 for r in rec if r["drops"] > 0),
        "max_drops": max(r["drops"] for r in rec),
    }
print("(accounted - opens: the exec of /b/open-loop is a file call of its own, so +1 is exact; rotation counts"
      " lines of every type, so a run that rotated is over by the few exec/fork/container lines rotated with them;"
      " 'other drops' are non-file events the kernel dropped)")

print()
p, d, s = summary["paced"], summary["distinct"], summary["same"]
# the target asks whether the recorder keeps up with 200k events/s: the paced runs hold that rate,
# and keeping up means the kernel never found the ring buffer full. Lines the events.jsonl bound
# rotated away were written first: that is the storage bound at work (counted in report.json as
# the issue's storage rules ask), reported on a line of its own.
met = p["rate"] >= 0.98 * 200000 and p["dropped_runs"] == 0
why = []
if p["rate"] < 0.98 * 200000:
    why.append(f"the container did not reach the rate (PACED_RATE={int(pace):,})")
if p["dropped_runs"]:
    why.append(f"file events dropped in {p['dropped_runs']} of {rounds} runs, up to {p['max_drops']:,} of {n['paced']:,}")
print(f"target: file-open events/s from one container with zero drops: {p['rate']:.0f} sustained (target >= 200000): "
      + ("met" if met else "NOT MET") + f" (paced distinct files, median recorded opens/s{'; ' + '; '.join(why) if why else ''})")
rotated = max(r["rotated"] for r in runs[("paced", "record")])
print(f"        storage: the events.jsonl bound (64 MiB unless CONTXRAY_EVENTS_MAX_BYTES) rotated up to {rotated:,} lines"
      f" of a paced run away after writing them (counted in report.json .drops.rotated)" if rotated
      else "        storage: no paced run reached the events.jsonl bound")
print(f"        as fast as it can, for comparison: {d['rate']:.0f} distinct opens/s recorded, "
      + (f"file events dropped in {d['dropped_runs']} of {rounds} runs, up to {d['max_drops']:,}" if d["dropped_runs"] else "no file event dropped")
      + f"; same file {s['rate']:.0f}/s, "
      + (f"dropped in {s['dropped_runs']} runs" if s["dropped_runs"] else "no file event dropped"))
peak = max(p["peak"], d["peak"], s["peak"])
print(f"target: daemon peak RSS: {mib(peak):.1f} MiB (target < 150): " + ("met" if mib(peak) < 150 else "NOT MET"))
PY
