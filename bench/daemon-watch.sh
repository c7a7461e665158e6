# shellcheck shell=bash
# For benchmarks that run many recorded containers: what the daemon holds (slots, pins, links,
# fds, threads), its RSS sampled through a run and drawn as a curve, and whether a report is
# complete. Needs SOCKET, PIDFILE, PINS, tmp, cx_request (recorded-cgroup.sh) and log (lib.sh).

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

# A report is complete when the workload's exec of EXE, a file it wrote (PATH), its syscall
# counts and its stop time are all in it.
report_complete() { # REPORT EXE PATH
  jq -e --arg exe "$2" --arg path "$3" '(.syscalls | length > 10) and .stoppedAt != null
      and ([.processes.execs[].filename] | index($exe) != null) and (.files | tostring | contains($path))' "$1" >/dev/null
}
