# shellcheck shell=bash
# For benchmarks that record a cgroup of their own, without Docker: cgroups holding a sleep (the
# daemon registers a container by a pid in its cgroup, like the OCI hook does), a command run
# inside one, and requests to the contxray daemon. Needs SOCKET (the daemon's socket), die and
# log from lib.sh; cx_register and cx_stop keep registered_id for the caller's cleanup, which
# sends the stop of a registration an interrupted run left open.

# Starts a sleep in cgroup CG as a child of the calling shell (so call it directly, not through
# $(...), and cleanup can end and wait for it); sets cgroup_sleep_pid.
start_cgroup_sleep() { # CG
  local cg=$1 i
  ( printf '%s\n' "$BASHPID" >"$cg/cgroup.procs" || exit 1; exec sleep 100000 ) </dev/null >/dev/null &
  cgroup_sleep_pid=$!
  for i in $(seq 1 50); do grep -qx "$cgroup_sleep_pid" "$cg/cgroup.procs" && return 0; sleep 0.02; done
  die "sleep $cgroup_sleep_pid did not get into $cg"
}

# Runs CMD... as a task of cgroup CG (a subshell moves itself there, then becomes CMD), so every
# syscall it makes is the cgroup's; prints its output. Exit 97: the move failed.
run_in_cgroup() { # CG CMD...
  local cg=$1
  shift
  ( printf '%s\n' "$BASHPID" >"$cg/cgroup.procs" || exit 97; exec "$@" )
}

# For cleanup: never dies. Ends every task left in each CG (all started by the benchmark), then
# removes the cgroups in the order given (children first).
remove_cgroups() { # CG...
  local cg pid
  for cg in "$@"; do
    if [ -z "$cg" ] || [ ! -r "$cg/cgroup.procs" ]; then continue; fi
    while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$cg/cgroup.procs"
  done
  for cg in "$@"; do
    if [ -z "$cg" ] || [ ! -d "$cg" ]; then continue; fi
    for _ in $(seq 1 50); do rmdir "$cg" 2>/dev/null && break; sleep 0.1; done
    [ -d "$cg" ] && log "could not remove cgroup $cg"
  done
  return 0
}

# One request to the daemon, one JSON line back (protocol v1: see docs/ARCHITECTURE.md).
# python3 because bash cannot talk to a unix socket, and socat is not a dependency.
cx_request() {
  python3 - "$SOCKET" "$1" <<'PY'
import socket, sys
path, line = sys.argv[1], sys.argv[2]
try:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)  # stop runs the analyzer; still never wait forever
    s.connect(path)
    s.sendall(line.encode() + b"\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
except OSError as e:
    sys.exit(f"daemon socket {path}: {e}")
if not buf:
    sys.exit(f"daemon socket {path}: closed without an answer")
print(buf.decode().strip())
PY
}

# Registers a cgroup by the pid of its sleep; cx_stop unregisters it and writes its report.
cx_register() { # ID PID
  local answer
  # Noted before asking: interrupted while the daemon answers, cleanup still sends the stop.
  registered_id=$1
  answer=$(cx_request "$(jq -cn --arg id "$1" --argjson pid "$2" \
    '{v: 1, op: "register", id: $id, pid: $pid, bundle: "/nonexistent", annotations: {}}')") \
    || die "register $1 failed"
  [ "$(jq -r '.ok' <<<"$answer")" = true ] || { registered_id=""; die "register $1 refused: $answer"; }
}
# Sets cx_report (a global, not printed: called through $(...) the state change would be lost).
cx_stop() {
  local id=$registered_id answer
  registered_id=""
  answer=$(cx_request "$(jq -cn --arg id "$id" '{v: 1, op: "stop", id: $id}')") || die "stop $id failed"
  [ "$(jq -r '.ok' <<<"$answer")" = true ] || die "stop $id refused: $answer"
  cx_report=$(jq -r '.report' <<<"$answer")
}

# Dies unless a cgroup2 file system is mounted and the daemon answers on SOCKET; sets cg2 (the
# mount: /sys/fs/cgroup on unified hosts, /sys/fs/cgroup/unified on hybrid ones) and
# daemon_status (its status answer).
check_cgroup2_and_daemon() {
  cg2=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
  [ -n "$cg2" ] || die "no cgroup2 file system mounted (see /proc/mounts)"
  [ -S "$SOCKET" ] || die "contxray daemon socket $SOCKET not found; start it: bash /usr/local/lib/contxray/daemonctl.sh start"
  daemon_status=$(cx_request '{"v":1,"op":"status"}') || die "the contxray daemon does not answer on $SOCKET"
  [ "$(jq -r '.ok' <<<"$daemon_status")" = true ] || die "daemon status failed: $daemon_status"
}

# For cleanup: never dies. Stops a registration an interrupted run left open and deletes the
# reports of the benchmark's own registrations (ids bench-<pid>-...), whatever stopped them.
end_registrations() {
  [ -n "${registered_id:-}" ] && cx_request "{\"v\":1,\"op\":\"stop\",\"id\":\"$registered_id\"}" >/dev/null
  rm -rf "${CONTXRAY_STATE_DIR:-/var/lib/contxray}/containers/bench-$$-"*
  return 0
}
