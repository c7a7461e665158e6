#!/usr/bin/env bash
# Start, stop or restart the contxray recorder without systemd (containers, CI, minimal hosts).
# With systemd as PID 1, install.sh uses contxray.service instead.
set -euo pipefail
PREFIX=${PREFIX:-/usr/local}
PIDFILE=/run/contxray/daemon.pid
LOG=${CONTXRAY_DAEMON_LOG:-/var/log/contxray/daemon.log}
SOCKET=${CONTXRAY_SOCKET:-/run/contxray/contxray.sock}
# extra daemon arguments, e.g. CONTXRAY_DAEMON_ARGS="--without files,sockets"
read -ra EXTRA <<<"${CONTXRAY_DAEMON_ARGS:-}"

running_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -q contxray "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

start() {
  if pid=$(running_pid); then echo "contxray daemon already running (pid $pid)"; return 0; fi
  mkdir -p /run/contxray "$(dirname "$LOG")"
  chmod 700 /run/contxray
  rm -f "$SOCKET"
  # fds above 2 are closed so that a caller waiting on a pipe (bats, CI) is not held open by the daemon
  setsid "$PREFIX/bin/contxray" daemon --socket "$SOCKET" "${EXTRA[@]}" </dev/null >>"$LOG" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 150); do
    if [ -S "$SOCKET" ]; then echo "contxray daemon started (pid $(cat "$PIDFILE"), log $LOG)"; return 0; fi
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "contxray daemon exited at start; last log lines:" >&2; tail -n 5 "$LOG" >&2; return 1
    fi
    sleep 0.1
  done
  echo "contxray daemon did not open $SOCKET within 15 s; see $LOG" >&2
  return 1
}

stop() {
  local sig=${1:-TERM} pid
  if ! pid=$(running_pid); then rm -f "$PIDFILE"; return 0; fi
  kill "-$sig" "$pid"
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop TERM ;;
  kill) stop KILL ;;   # for tests: a crash, leaving the socket file behind
  restart) stop TERM; start ;;
  status) if pid=$(running_pid); then echo "running (pid $pid)"; else echo "not running"; exit 3; fi ;;
  *) echo "usage: $0 start|stop|kill|restart|status" >&2; exit 2 ;;
esac
