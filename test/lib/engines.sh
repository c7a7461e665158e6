# shellcheck shell=bash
# Start and stop the container engines the tests run against. Source this file (bash).
#
# Engines (each with its own sockets, state and data dirs, so they run side by side):
#   containerd    bookworm containerd 1.6   socket $CONTAINERD_SOCK
#   dockerd20     bookworm dockerd 20.10     socket $DOCKER20_SOCK, backend: containerd above
#   containerd17  trixie containerd 1.7      socket $CONTAINERD17_SOCK (started by start_dockerd26)
#   dockerd26     trixie dockerd 26.1        socket $DOCKER26_SOCK, backend: containerd17
#   containerdcri trixie containerd 1.7 with its CRI service and NRI enabled (for Kubernetes-style
#                 pods: NRI acts only for containers created through CRI), socket $CONTAINERDCRI_SOCK,
#                 NRI socket $CONTAINERDCRI_NRI_SOCK, pause image $CRI_PAUSE_IMAGE (must be imported
#                 into its k8s.io namespace before a pod runs), runtime handlers runc (default) and
#                 contxray (BinaryName /usr/local/bin/contxray-runc), both letting contxray.* pod
#                 annotations through; no CNI: pods use the host network
# All of them use bookworm's runc (/usr/sbin/runc).
#
# Functions:
#   start_containerd / stop_containerd
#   start_dockerd20  / stop_dockerd20      (start_dockerd20 starts containerd if needed)
#   start_containerd17 / stop_containerd17
#   start_dockerd26  / stop_dockerd26      (start_dockerd26 starts containerd17 if needed)
#   start_containerdcri / stop_containerdcri
#   ctrcri ARGS...                         containerd 1.7's ctr against containerdcri, namespace k8s.io
#   start_all_engines / stop_all_engines
#   docker20 ARGS... / docker26 ARGS...    the docker CLI against that engine
#   use_docker20 / use_docker26            export DOCKER_HOST for that engine
#   docker_reload ENGINE                   SIGHUP dockerd (re-reads runtimes from its config file)
#   engine_running ENGINE                  true when ENGINE's process is alive and answers
#   bundle_config ENGINE CONTAINER_ID      path of a RUNNING container's OCI config.json
#   engine_log ENGINE                      path of ENGINE's log
# ENGINE is one of: containerd dockerd20 containerd17 dockerd26 containerdcri.
# A start_* function returns at once when its engine already runs and answers (so a second start
# is cheap), and fails (non-zero, last log lines on stderr) when the engine is not ready within
# $CONTXRAY_TEST_START_TIMEOUT seconds.
#
# Environment (all optional; defaults shown by `engines_env`):
#   CONTXRAY_TEST_LOGDIR           logs                   /tmp/contxray-test
#   CONTXRAY_TEST_START_TIMEOUT    readiness wait (s)     60
#   CONTXRAY_TEST_STOP_TIMEOUT     graceful stop wait (s) 30
#   DOCKER_CLI                     docker client          $DOCKER26_PREFIX/usr/bin/docker if there, else `docker`
#   DOCKERD20_CONFIG / DOCKERD26_CONFIG   daemon.json passed with --config-file
#                                  (default /etc/docker/daemon.json for both, created as {} if
#                                  missing: install/install.sh registers runtimes there). It must
#                                  not set data-root, exec-root, pidfile, hosts, bridge or bip,
#                                  which are flags here.
#   DOCKER26_PREFIX                unpacked Docker 26     /opt/contxray-test/docker26
#   CONTAINERD_CONFIG / CONTAINERD17_CONFIG   containerd config.toml (default: generated under
#                                  /run/contxray-test/, with the CRI plugin disabled: Docker does not
#                                  use it. NRI acts only for CRI containers, so an NRI test passes its
#                                  own CONTAINERD17_CONFIG with CRI and NRI enabled.)
#   DOCKER20_STORAGE_DRIVER / DOCKER26_STORAGE_DRIVER   default overlay2
#   DOCKER26_BRIDGE / DOCKER26_BIP  bridge for dockerd26  cxdocker26 / 172.31.26.1/24
#   DOCKER20_BIP                    docker0 address       172.31.20.1/24

CONTXRAY_TEST_LOGDIR=${CONTXRAY_TEST_LOGDIR:-/tmp/contxray-test}
CONTXRAY_TEST_START_TIMEOUT=${CONTXRAY_TEST_START_TIMEOUT:-60}
CONTXRAY_TEST_STOP_TIMEOUT=${CONTXRAY_TEST_STOP_TIMEOUT:-30}
DOCKER26_PREFIX=${DOCKER26_PREFIX:-/opt/contxray-test/docker26}
# The docker client: Docker 26's (API 1.45, has `run --annotation`; negotiates down to 1.41 for
# dockerd 20.10) when install/docker26.sh unpacked it, else whatever `docker` is on PATH.
if [ -z "${DOCKER_CLI:-}" ]; then
  if [ -x "$DOCKER26_PREFIX/usr/bin/docker" ]; then DOCKER_CLI=$DOCKER26_PREFIX/usr/bin/docker; else DOCKER_CLI=docker; fi
fi

# containerd 1.6 (bookworm): the usual paths, so `ctr` and `dockerd --containerd` find it
CONTAINERD_BIN=${CONTAINERD_BIN:-/usr/bin/containerd}
CONTAINERD_SOCK=${CONTAINERD_SOCK:-/run/containerd/containerd.sock}
CONTAINERD_ROOT=${CONTAINERD_ROOT:-/var/lib/containerd}
CONTAINERD_STATE=${CONTAINERD_STATE:-/run/containerd}
CONTAINERD_PIDFILE=${CONTAINERD_PIDFILE:-/run/contxray-test/containerd.pid}

# dockerd 20.10 (bookworm)
DOCKERD20_BIN=${DOCKERD20_BIN:-/usr/sbin/dockerd}
DOCKER20_SOCK=${DOCKER20_SOCK:-/var/run/docker.sock}
DOCKER20_HOST=unix://$DOCKER20_SOCK
DOCKERD20_CONFIG=${DOCKERD20_CONFIG:-/etc/docker/daemon.json}
DOCKER20_DATA_ROOT=${DOCKER20_DATA_ROOT:-/var/lib/contxray-test/docker20}
DOCKER20_EXEC_ROOT=${DOCKER20_EXEC_ROOT:-/run/contxray-test/docker20}
DOCKER20_PIDFILE=${DOCKER20_PIDFILE:-/run/contxray-test/docker20.pid}
DOCKER20_BIP=${DOCKER20_BIP:-172.31.20.1/24}
DOCKER20_STORAGE_DRIVER=${DOCKER20_STORAGE_DRIVER:-overlay2}

# Docker 26 + containerd 1.7 (trixie, unpacked by install/docker26.sh)
CONTAINERD17_SOCK=${CONTAINERD17_SOCK:-/run/contxray-test/containerd17/containerd.sock}
CONTAINERD17_ROOT=${CONTAINERD17_ROOT:-/var/lib/contxray-test/containerd17}
CONTAINERD17_STATE=${CONTAINERD17_STATE:-/run/contxray-test/containerd17/state}
CONTAINERD17_PIDFILE=${CONTAINERD17_PIDFILE:-/run/contxray-test/containerd17.pid}
DOCKER26_SOCK=${DOCKER26_SOCK:-/run/contxray-test/docker26.sock}
DOCKER26_HOST=unix://$DOCKER26_SOCK
DOCKERD26_CONFIG=${DOCKERD26_CONFIG:-/etc/docker/daemon.json}
DOCKER26_DATA_ROOT=${DOCKER26_DATA_ROOT:-/var/lib/contxray-test/docker26}
DOCKER26_EXEC_ROOT=${DOCKER26_EXEC_ROOT:-/run/contxray-test/docker26}
DOCKER26_PIDFILE=${DOCKER26_PIDFILE:-/run/contxray-test/docker26.pid}
DOCKER26_BRIDGE=${DOCKER26_BRIDGE:-cxdocker26}
DOCKER26_BIP=${DOCKER26_BIP:-172.31.26.1/24}
DOCKER26_STORAGE_DRIVER=${DOCKER26_STORAGE_DRIVER:-overlay2}

# containerd 1.7 with CRI and NRI (trixie binaries, like containerd17, but its own instance)
CONTAINERDCRI_SOCK=${CONTAINERDCRI_SOCK:-/run/contxray-test/containerdcri/containerd.sock}
CONTAINERDCRI_NRI_SOCK=${CONTAINERDCRI_NRI_SOCK:-/run/contxray-test/containerdcri/nri.sock}
CONTAINERDCRI_ROOT=${CONTAINERDCRI_ROOT:-/var/lib/contxray-test/containerdcri}
CONTAINERDCRI_STATE=${CONTAINERDCRI_STATE:-/run/contxray-test/containerdcri/state}
CONTAINERDCRI_PIDFILE=${CONTAINERDCRI_PIDFILE:-/run/contxray-test/containerdcri.pid}
CRI_PAUSE_IMAGE=${CRI_PAUSE_IMAGE:-docker.io/contxray-test/pause:latest}

export CONTXRAY_TEST_LOGDIR CONTAINERDCRI_SOCK CONTAINERDCRI_NRI_SOCK CRI_PAUSE_IMAGE CONTAINERD_SOCK DOCKER20_SOCK DOCKER20_HOST CONTAINERD17_SOCK \
  DOCKER26_SOCK DOCKER26_HOST DOCKER26_PREFIX DOCKER_CLI

engines_env() {
  local v
  for v in CONTXRAY_TEST_LOGDIR CONTXRAY_TEST_START_TIMEOUT CONTXRAY_TEST_STOP_TIMEOUT DOCKER_CLI \
    CONTAINERD_SOCK CONTAINERD_ROOT CONTAINERD_STATE DOCKER20_SOCK DOCKERD20_CONFIG DOCKER20_DATA_ROOT \
    DOCKER20_EXEC_ROOT DOCKER20_STORAGE_DRIVER DOCKER26_PREFIX CONTAINERD17_SOCK CONTAINERD17_ROOT \
    CONTAINERD17_STATE DOCKER26_SOCK DOCKERD26_CONFIG DOCKER26_DATA_ROOT DOCKER26_EXEC_ROOT \
    DOCKER26_STORAGE_DRIVER DOCKER26_BRIDGE DOCKER26_BIP; do
    printf '%s=%s\n' "$v" "${!v}"
  done
}

_cx_log() { echo "engines: $*" >&2; }

engine_log() { echo "$CONTXRAY_TEST_LOGDIR/$1.log"; }

_cx_pidfile() {
  case "$1" in
    containerd) echo "$CONTAINERD_PIDFILE" ;;
    dockerd20) echo "$DOCKER20_PIDFILE" ;;
    containerd17) echo "$CONTAINERD17_PIDFILE" ;;
    dockerd26) echo "$DOCKER26_PIDFILE" ;;
    containerdcri) echo "$CONTAINERDCRI_PIDFILE" ;;
    *) _cx_log "unknown engine '$1'"; return 2 ;;
  esac
}

# pid of ENGINE if its pidfile names a live process of the right binary
_cx_pid() {
  local pidfile pid exe
  pidfile=$(_cx_pidfile "$1") || return 2
  pid=$(cat "$pidfile" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || return 1
  exe=${exe% (deleted)}   # the binary was replaced (e.g. install/docker26.sh ran again)
  case "$1:$exe" in
    containerd:*containerd|containerd17:*containerd|containerdcri:*containerd|dockerd20:*dockerd|dockerd26:*dockerd) echo "$pid" ;;
    *) return 1 ;;
  esac
}

# does ENGINE answer on its socket?
_cx_answers() {
  case "$1" in
    containerd) ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 ;;
    containerd17) "$DOCKER26_PREFIX/usr/bin/ctr" --address "$CONTAINERD17_SOCK" version >/dev/null 2>&1 ;;
    containerdcri) "$DOCKER26_PREFIX/usr/bin/ctr" --address "$CONTAINERDCRI_SOCK" version >/dev/null 2>&1 ;;
    dockerd20) DOCKER_HOST=$DOCKER20_HOST "$DOCKER_CLI" version --format '{{.Server.Version}}' >/dev/null 2>&1 ;;
    dockerd26) DOCKER_HOST=$DOCKER26_HOST "$DOCKER_CLI" version --format '{{.Server.Version}}' >/dev/null 2>&1 ;;
  esac
}

engine_running() { _cx_pid "$1" >/dev/null && _cx_answers "$1"; }

# _cx_wait_ready ENGINE PID: poll until it answers, its process dies, or the timeout passes
_cx_wait_ready() {
  local engine=$1 pid=$2 deadline=$((SECONDS + CONTXRAY_TEST_START_TIMEOUT))
  while [ "$SECONDS" -lt "$deadline" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      _cx_log "$engine exited during start-up; last lines of $(engine_log "$engine"):"
      tail -n 15 "$(engine_log "$engine")" >&2
      return 1
    fi
    if _cx_answers "$engine"; then return 0; fi
    sleep 0.2
  done
  _cx_log "$engine not ready within ${CONTXRAY_TEST_START_TIMEOUT}s; last lines of $(engine_log "$engine"):"
  tail -n 15 "$(engine_log "$engine")" >&2
  _cx_stop "$engine"
  return 1
}

# _cx_launch ENGINE PATH_PREFIX CMD...: start CMD detached, record its pid, wait until ready
_cx_launch() {
  local engine=$1 pathprefix=$2 log pidfile pid
  shift 2
  log=$(engine_log "$engine")
  pidfile=$(_cx_pidfile "$engine")
  mkdir -p "$CONTXRAY_TEST_LOGDIR" "$(dirname "$pidfile")"
  echo "=== $(date -Is) $*" >>"$log"
  # setsid: own session, so a test's process-group kill or a bats teardown does not hit it;
  # stdin from /dev/null and output to the log, so nothing holds the caller's pipes open.
  # setsid forks when the caller is a process-group leader (job control on), so the engine's pid
  # is written by the engine's own process right before exec.
  rm -f "$pidfile"
  # Every descriptor above 2 is closed: bats waits for its fd 3 (and a pipe reader for its pipe)
  # to close, so an engine that inherited one would hang the test run.
  PATH="$pathprefix:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
      echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >>"$log" 2>&1 &
  local t0=$SECONDS i
  for ((i = 0; i < 50; i++)); do
    pid=$(cat "$pidfile" 2>/dev/null) && [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "${pid:-}" ] || { _cx_log "$engine: no pid written to $pidfile"; return 1; }
  _cx_wait_ready "$engine" "$pid" || return 1
  _cx_log "$engine ready (pid $pid, $((SECONDS - t0))s, log $log)"
}

# _cx_stop ENGINE: SIGTERM, wait, SIGKILL; removes the pidfile
_cx_stop() {
  local engine=$1 pid pidfile i
  pidfile=$(_cx_pidfile "$engine") || return 2
  if pid=$(_cx_pid "$engine"); then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < CONTXRAY_TEST_STOP_TIMEOUT * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      _cx_log "$engine (pid $pid) ignored SIGTERM for ${CONTXRAY_TEST_STOP_TIMEOUT}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
  fi
  rm -f "$pidfile"
}

# _cx_reuse ENGINE SOCKET: 0 when ENGINE already runs (ours, or someone else's on that socket)
_cx_reuse() {
  local engine=$1 sock=$2
  if _cx_pid "$engine" >/dev/null; then
    if _cx_answers "$engine"; then return 0; fi
    _cx_log "$engine runs but does not answer; restarting it"
    _cx_stop "$engine"
  elif [ -S "$sock" ] && _cx_answers "$engine"; then
    _cx_log "warning: a $engine not started by engines.sh answers on $sock; using it (stop_$engine will not stop it)"
    return 0
  fi
  rm -f "$sock"
  return 1
}

_cx_containerd_config() {
  # _cx_containerd_config FILE ROOT STATE SOCK DISABLE_CRI
  local file=$1
  mkdir -p "$(dirname "$file")"
  {
    echo "# generated by test/lib/engines.sh"
    echo "version = 2"
    echo "root = \"$2\""
    echo "state = \"$3\""
    [ "$5" = 1 ] && echo 'disabled_plugins = ["io.containerd.grpc.v1.cri"]'
    echo "[grpc]"
    echo "  address = \"$4\""
    echo "[ttrpc]"
    echo "  address = \"$4.ttrpc\""
    echo "[debug]"
    echo "  address = \"$(dirname "$4")/debug.sock\""
    echo "[plugins.\"io.containerd.internal.v1.opt\"]"
    echo "  path = \"$2/opt\""
  } >"$file"
}

start_containerd() {
  _cx_reuse containerd "$CONTAINERD_SOCK" && return 0
  local cfg=${CONTAINERD_CONFIG:-}
  if [ -z "$cfg" ]; then
    cfg=/run/contxray-test/containerd.toml
    # Docker needs no CRI; without it containerd starts faster and logs no CNI errors.
    _cx_containerd_config "$cfg" "$CONTAINERD_ROOT" "$CONTAINERD_STATE" "$CONTAINERD_SOCK" 1
  fi
  mkdir -p "$(dirname "$CONTAINERD_SOCK")" "$CONTAINERD_ROOT" "$CONTAINERD_STATE"
  _cx_launch containerd "" "$CONTAINERD_BIN" --config "$cfg"
}
# _cx_wait_shims SOCK: shims of a stopped containerd exit shortly after their containers; wait
# (up to 10 s) so that a stopped engine leaves no process behind. Nothing is killed.
_cx_wait_shims() {
  local sock=$1 i p left
  for ((i = 0; i < 100; i++)); do
    left=
    for p in $(pgrep -x containerd-shim 2>/dev/null; pgrep -f '^[^ ]*containerd-shim-runc-v2 ' 2>/dev/null); do
      tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | grep -qF -- "-address $sock " && left="$left $p"
    done
    [ -z "$left" ] && return 0
    sleep 0.1
  done
  _cx_log "shims still running after 10 s:$left"
}

stop_containerd() { _cx_stop containerd; _cx_wait_shims "$CONTAINERD_SOCK"; }

start_containerd17() {
  _cx_reuse containerd17 "$CONTAINERD17_SOCK" && return 0
  [ -x "$DOCKER26_PREFIX/usr/bin/containerd" ] || { _cx_log "no $DOCKER26_PREFIX/usr/bin/containerd: run install/docker26.sh"; return 1; }
  local cfg=${CONTAINERD17_CONFIG:-}
  if [ -z "$cfg" ]; then
    cfg=/run/contxray-test/containerd17.toml
    _cx_containerd_config "$cfg" "$CONTAINERD17_ROOT" "$CONTAINERD17_STATE" "$CONTAINERD17_SOCK" 1
  fi
  mkdir -p "$(dirname "$CONTAINERD17_SOCK")" "$CONTAINERD17_ROOT" "$CONTAINERD17_STATE"
  # PATH: containerd 1.7 must find its own containerd-shim-runc-v2; runc is bookworm's.
  _cx_launch containerd17 "$DOCKER26_PREFIX/usr/bin:$DOCKER26_PREFIX/usr/sbin" \
    "$DOCKER26_PREFIX/usr/bin/containerd" --config "$cfg"
}
stop_containerd17() { _cx_stop containerd17; _cx_wait_shims "$CONTAINERD17_SOCK"; }

start_containerdcri() {
  _cx_reuse containerdcri "$CONTAINERDCRI_SOCK" && return 0
  [ -x "$DOCKER26_PREFIX/usr/bin/containerd" ] || { _cx_log "no $DOCKER26_PREFIX/usr/bin/containerd: run install/docker26.sh"; return 1; }
  local cfg=/run/contxray-test/containerdcri.toml cri='plugins."io.containerd.grpc.v1.cri"'
  _cx_containerd_config "$cfg" "$CONTAINERDCRI_ROOT" "$CONTAINERDCRI_STATE" "$CONTAINERDCRI_SOCK" 0
  mkdir -p /run/contxray-test/containerdcri/cni /run/contxray-test/containerdcri/nri-plugins
  cat >>"$cfg" <<TOML
[$cri]
  sandbox_image = "$CRI_PAUSE_IMAGE"
  # this machine lacks CAP_SYS_RESOURCE: no oom_score_adj below the current one (pods ask for -998)
  restrict_oom_score_adj = true
[$cri.cni]
  conf_dir = "/run/contxray-test/containerdcri/cni"
[$cri.containerd]
  default_runtime_name = "runc"
[$cri.containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
  pod_annotations = ["contxray.*"]
[$cri.containerd.runtimes.contxray]
  runtime_type = "io.containerd.runc.v2"
  pod_annotations = ["contxray.*"]
[$cri.containerd.runtimes.contxray.options]
  BinaryName = "/usr/local/bin/contxray-runc"
[plugins."io.containerd.nri.v1.nri"]
  disable = false
  disable_connections = false
  socket_path = "$CONTAINERDCRI_NRI_SOCK"
  plugin_path = "/run/contxray-test/containerdcri/nri-plugins"
  plugin_config_path = "/run/contxray-test/containerdcri/nri-plugins"
TOML
  mkdir -p "$(dirname "$CONTAINERDCRI_SOCK")" "$CONTAINERDCRI_ROOT" "$CONTAINERDCRI_STATE"
  _cx_launch containerdcri "$DOCKER26_PREFIX/usr/bin:$DOCKER26_PREFIX/usr/sbin" \
    "$DOCKER26_PREFIX/usr/bin/containerd" --config "$cfg"
}
# CRI leaves pods (sandbox containers) running when containerd stops: remove them first
stop_containerdcri() {
  local c
  if engine_running containerdcri; then
    for c in $(ctrcri tasks ls -q 2>/dev/null); do ctrcri tasks kill -s KILL "$c" >/dev/null 2>&1 || true; done
  fi
  _cx_stop containerdcri
  _cx_wait_shims "$CONTAINERDCRI_SOCK"
}
ctrcri() { "$DOCKER26_PREFIX/usr/bin/ctr" --address "$CONTAINERDCRI_SOCK" -n k8s.io "$@"; }

_cx_daemon_json() {
  local f=$1
  if [ ! -s "$f" ]; then
    mkdir -p "$(dirname "$f")"
    echo '{}' >"$f"
  fi
}

start_dockerd20() {
  _cx_reuse dockerd20 "$DOCKER20_SOCK" && return 0
  start_containerd || return 1
  _cx_daemon_json "$DOCKERD20_CONFIG"
  mkdir -p "$DOCKER20_DATA_ROOT" "$DOCKER20_EXEC_ROOT"
  _cx_launch dockerd20 "" "$DOCKERD20_BIN" \
    --config-file "$DOCKERD20_CONFIG" \
    --containerd "$CONTAINERD_SOCK" \
    -H "unix://$DOCKER20_SOCK" \
    --data-root "$DOCKER20_DATA_ROOT" \
    --exec-root "$DOCKER20_EXEC_ROOT" \
    --pidfile "$DOCKER20_PIDFILE.dockerd" \
    --storage-driver "$DOCKER20_STORAGE_DRIVER" \
    --bip "$DOCKER20_BIP"
}
# _cx_unmount_under DIR...: after dockerd exited, it leaves the data-root bind-mounted on itself
# and exec-root/netns/default mounted; unmount whatever is at or below DIR, deepest first.
_cx_unmount_under() {
  local d m
  for d in "$@"; do
    [ -n "$d" ] && [ "$d" != / ] || continue
    awk -v d="$d" '$5 == d || index($5, d "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r -u |
      while read -r m; do umount -l "$m" 2>/dev/null || true; done
  done
}

# _cx_kill_containers ENGINE DOCKER_HOST: SIGKILL running containers before stopping dockerd (otherwise it
# gives each one 10 s after SIGTERM, one after another). Stopped containers stay, as with a plain stop.
_cx_kill_containers() {
  local ids
  _cx_pid "$1" >/dev/null || return 0
  ids=$(DOCKER_HOST=$2 timeout 10 "$DOCKER_CLI" ps -q 2>/dev/null) || return 0
  # shellcheck disable=SC2086
  [ -z "$ids" ] || DOCKER_HOST=$2 timeout 20 "$DOCKER_CLI" kill $ids >/dev/null 2>&1 || true
}

stop_dockerd20() {
  _cx_kill_containers dockerd20 "$DOCKER20_HOST"
  _cx_stop dockerd20
  _cx_answers dockerd20 || _cx_unmount_under "$DOCKER20_EXEC_ROOT" "$DOCKER20_DATA_ROOT"
}

start_dockerd26() {
  _cx_reuse dockerd26 "$DOCKER26_SOCK" && return 0
  [ -x "$DOCKER26_PREFIX/usr/sbin/dockerd" ] || { _cx_log "no $DOCKER26_PREFIX/usr/sbin/dockerd: run install/docker26.sh"; return 1; }
  start_containerd17 || return 1
  _cx_daemon_json "$DOCKERD26_CONFIG"
  mkdir -p "$DOCKER26_DATA_ROOT" "$DOCKER26_EXEC_ROOT" "$(dirname "$DOCKER26_SOCK")"
  # docker0 belongs to dockerd20: dockerd26 gets its own bridge (with -b, dockerd expects it to exist).
  if ! ip link show "$DOCKER26_BRIDGE" >/dev/null 2>&1; then
    ip link add "$DOCKER26_BRIDGE" type bridge || return 1
  fi
  ip addr show dev "$DOCKER26_BRIDGE" | grep -qF "inet $DOCKER26_BIP " ||
    ip addr add "$DOCKER26_BIP" dev "$DOCKER26_BRIDGE" 2>/dev/null || true
  ip link set "$DOCKER26_BRIDGE" up
  _cx_launch dockerd26 "$DOCKER26_PREFIX/usr/sbin:$DOCKER26_PREFIX/usr/bin" "$DOCKER26_PREFIX/usr/sbin/dockerd" \
    --config-file "$DOCKERD26_CONFIG" \
    --containerd "$CONTAINERD17_SOCK" \
    -H "unix://$DOCKER26_SOCK" \
    --data-root "$DOCKER26_DATA_ROOT" \
    --exec-root "$DOCKER26_EXEC_ROOT" \
    --pidfile "$DOCKER26_PIDFILE.dockerd" \
    --storage-driver "$DOCKER26_STORAGE_DRIVER" \
    --bridge "$DOCKER26_BRIDGE"
}
stop_dockerd26() {
  _cx_kill_containers dockerd26 "$DOCKER26_HOST"
  _cx_stop dockerd26
  _cx_answers dockerd26 || _cx_unmount_under "$DOCKER26_EXEC_ROOT" "$DOCKER26_DATA_ROOT"
}

start_all_engines() { start_dockerd20 && start_dockerd26; }
stop_all_engines() {
  stop_containerdcri
  stop_dockerd26
  stop_containerd17
  stop_dockerd20
  stop_containerd
}

docker20() { DOCKER_HOST=$DOCKER20_HOST "$DOCKER_CLI" "$@"; }
docker26() { DOCKER_HOST=$DOCKER26_HOST "$DOCKER_CLI" "$@"; }
use_docker20() { export DOCKER_HOST=$DOCKER20_HOST; }
use_docker26() { export DOCKER_HOST=$DOCKER26_HOST; }

docker_reload() {
  local pid
  pid=$(_cx_pid "$1") || { _cx_log "$1 is not running"; return 1; }
  kill -HUP "$pid"
}

# bundle_config ENGINE ID: the OCI config.json of a running container (64-hex or short id)
bundle_config() {
  local engine=$1 id=$2 state cli
  case "$engine" in
    dockerd20) state=$CONTAINERD_STATE; cli=docker20 ;;
    dockerd26) state=$CONTAINERD17_STATE; cli=docker26 ;;
    *) _cx_log "bundle_config: engine must be dockerd20 or dockerd26"; return 2 ;;
  esac
  id=$("$cli" inspect --format '{{.Id}}' "$id") || return 1
  echo "$state/io.containerd.runtime.v2.task/moby/$id/config.json"
}
