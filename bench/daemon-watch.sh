# shellcheck shell=bash
# For benchmarks that run many recorded containers: what the daemon holds (slots, pins, links,
# fds, threads), its RSS sampled through a run and drawn as a curve, and whether a report is
# complete. Needs tmp, cx_request (recorded-cgroup.sh) and die/log (lib.sh); watch_setup sets the
# rest.

# The installed recorder's paths, and what a run of busybox containers through it needs: root,
# the tools, the daemon answering, the image.
watch_setup() {
  SOCKET=${CONTXRAY_SOCKET:-/run/contxray/contxray.sock}
  STATE=${CONTXRAY_STATE_DIR:-/var/lib/contxray}/containers
  PIDFILE=/run/contxray/daemon.pid
  PINS=/sys/fs/bpf/contxray
  [ "$(id -u)" = 0 ] || die "must run as root"
  local t
  for t in docker jq python3 bpftool; do command -v "$t" >/dev/null || die "$t not found"; done
  check_cgroup2_and_daemon
  docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1 || die "image $BUSYBOX_IMAGE missing (test/lib/images.sh builds it)"
}

daemon_pid() { cat "$PIDFILE" 2>/dev/null; }
# "fds threads" of the current daemon process
daemon_holds() {
  local pid
  pid=$(daemon_pid) || return 1
  echo "$(ls "/proc/$pid/fd" | wc -l) $(ls "/proc/$pid/task" | wc -l)"
}
pins() { find "$PINS" -mindepth 1 | wc -l; }
links() { bpftool -j link list | jq 'length'; }
slots_in_use() { cx_request '{"v":1,"op":"status"}' | jq '.containers | length'; }

# Samples the daemon's VmRSS every second into $tmp/rss ("seconds rss-kB"; 0 while it is down).
sampler_pid=""
start_rss_sampler() {
  local t0=$SECONDS
  ( while :; do
      pid=$(daemon_pid || true)
      rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
      echo "$((SECONDS - t0)) ${rss:-0}"
      sleep 1
    done ) >"$tmp/rss" 2>/dev/null &
  sampler_pid=$!
}
stop_rss_sampler() {
  [ -n "$sampler_pid" ] || return 0
  kill "$sampler_pid" 2>/dev/null; wait "$sampler_pid" 2>/dev/null || true
  sampler_pid=""
}
# 20 points of $tmp/rss as a bar chart (one # per 4 MiB), then the peak; sets rss_peak_kb.
print_rss_curve() {
  rss_peak_kb=$(awk '$2 > p { p = $2 } END { print p + 0 }' "$tmp/rss")
  awk -v points=20 '{ t[NR] = $1; r[NR] = $2; if ($2 > peak) peak = $2 }
    END {
      step = NR / points; if (step < 1) step = 1
      print "daemon RSS (MiB) over the run:"
      for (i = 1; i <= NR; i += step) {
        j = int(i); bar = ""
        for (k = 0; k < r[j] / 4096; k++) bar = bar "#"
        printf "  %5d s %6.1f %s\n", t[j], r[j] / 1024, bar
      }
      printf "  peak %.1f MiB, end %.1f MiB\n", peak / 1024, r[NR] / 1024
    }' "$tmp/rss"
}

# A report is complete when its syscall counts, its stop time, an exec and the workload's write
# are all in it: PATH among its files, accessed by a process named COMM (busybox runs its applets
# in the shell's process or through /proc/self/exe, so the exec's filename does not name them).
report_complete() { # REPORT COMM PATH
  jq -e --arg comm "$2" --arg path "$3" '(.syscalls | length > 10) and .stoppedAt != null and .processes.execCount >= 1
      and ([.files.byClass[][] | select(.path == $path) | .comms[]] | index($comm) != null)' "$1" >/dev/null
}

# Waits for the daemon to be idle (nothing recorded, its programs detached after the linger), so
# that what it holds is compared between like states.
wait_idle() {
  local i
  for i in $(seq 1 60); do [ "$(slots_in_use)" = 0 ] && break; sleep 1; done
  sleep 7 # IdleDetach's linger (5 s) and a margin
}
