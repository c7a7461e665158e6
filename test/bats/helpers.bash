# shellcheck shell=bash
# Shared set-up for the bats tests. In a .bats file:   load helpers
# (bats resolves it next to the .bats file). Then, typically:
#   setup_file() { require_root; ensure_engines; }
#
# Provides, beyond test/lib/engines.sh and test/lib/images.sh (all their functions and variables):
#   CONTXRAY_ROOT                repository root
#   require_root                 skip the test (or the file, from setup_file) unless uid 0
#   ensure_engines               start dockerd 20.10 and dockerd 26 (cheap when running) and build
#                                $BUSYBOX_IMAGE, $FIRSTSYSCALL_IMAGE, $NGINX_IMAGE on both
#   wait_for_file PATH [TIMEOUT] wait until PATH exists (TIMEOUT seconds, default 10; fractions ok)
#   wait_until TIMEOUT CMD...    run CMD every 0.1 s until it succeeds or TIMEOUT seconds pass
#   container_ip ENGINE ID       IP address of a container (ENGINE: docker20 | docker26)
#   container_pid ENGINE ID      host pid of a running container's init
#   STATE                        the installed recorder's containers directory
#   run_recorded ENGINE ARGS...  docker run with a cidfile (ENGINE: docker20 | docker26); prints the id
#   report_of ID                 path of the container's first run's report.json (runs/1/)
#   syscall_count REPORT NAME    how often the container made syscall NAME (0 when never)
#   setup_file_with_probe        setup_file's set-up, plus PROBE: test/probes/cxprobe.c built static
#   exercise_from_second_run ALWAYS LATER  writes $BATS_TEST_TMPDIR/exercise for `contxray profile
#                                IMAGE --exercise`: it counts its runs in $BATS_TEST_TMPDIR/runs, runs
#                                the shell line ALWAYS every time and LATER from the second run on
#                                (the enforced re-run, then the logging run)
#   not_wider_than_docker PROFILE...  contxray profile check --against-docker-default (Docker's own
#                                default.json, cached by install/deps.sh): fails naming any syscall
#                                a profile allows more widely than Docker's default
# Engines are left running after the tests (test/run-all.sh stops them; by hand: stop_all_engines).

CONTXRAY_ROOT=${CONTXRAY_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export CONTXRAY_ROOT
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"

# shellcheck source=../lib/engines.sh
source "$CONTXRAY_ROOT/test/lib/engines.sh"
# shellcheck source=../lib/images.sh
source "$CONTXRAY_ROOT/test/lib/images.sh"

require_root() {
  [ "$(id -u)" = 0 ] || skip "needs root"
}

ensure_engines() {
  local e
  start_dockerd20 || return 1
  start_dockerd26 || return 1
  for e in "$DOCKER20_HOST" "$DOCKER26_HOST"; do
    DOCKER_HOST=$e build_test_images || return 1
  done
}

# wait_until TIMEOUT CMD...: 0 as soon as CMD succeeds, 1 after TIMEOUT seconds
wait_until() {
  local timeout=$1 end now
  shift
  end=$(awk -v t="$timeout" -v n="$(date +%s.%N)" 'BEGIN { printf "%.3f", n + t }')
  while :; do
    "$@" && return 0
    now=$(date +%s.%N)
    awk -v n="$now" -v e="$end" 'BEGIN { exit !(n >= e) }' && return 1
    sleep 0.1
  done
}

wait_for_file() {
  local path=${1:?usage: wait_for_file PATH [TIMEOUT]} timeout=${2:-10}
  wait_until "$timeout" test -e "$path" || {
    echo "wait_for_file: $path did not appear within ${timeout}s" >&2
    return 1
  }
}

container_ip() {
  "$1" inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$2"
}

container_pid() {
  "$1" inspect --format '{{.State.Pid}}' "$2"
}

DAEMONCTL=/usr/local/lib/contxray/daemonctl.sh
STATE=/var/lib/contxray/containers

run_recorded() {
  local engine=$1 cid
  shift
  cid=$(mktemp -u "$BATS_TEST_TMPDIR/cid.XXXXXX")
  "$engine" run --cidfile "$cid" "$@" >&2
  cat "$cid"
}

# run_dir ID [N]: the directory of run N (default 1) of a container: its report, events, profile
run_dir() { echo "$STATE/$1/runs/${2:-1}"; }
report_of() { echo "$(run_dir "$1")/report.json"; }

syscall_count() { jq -r --arg n "$2" '.syscalls[$n] // 0' "$1"; }

exercise_from_second_run() {
  local counter=$BATS_TEST_TMPDIR/runs
  cat >"$BATS_TEST_TMPDIR/exercise" <<EOS
#!/bin/bash
n=\$(( \$(cat "$counter" 2>/dev/null || echo 0) + 1 )); echo "\$n" >"$counter"
$1
if [ "\$n" -ge 2 ]; then $2; fi
EOS
  chmod +x "$BATS_TEST_TMPDIR/exercise"
}

DOCKER_DEFAULT_PROFILE=${CONTXRAY_TEST_CACHE:-/var/cache/contxray-test}/docker/default.json
not_wider_than_docker() {
  [ -s "$DOCKER_DEFAULT_PROFILE" ] || { echo "no $DOCKER_DEFAULT_PROFILE (install/deps.sh puts it there)"; return 1; }
  contxray profile check --against-docker-default "$DOCKER_DEFAULT_PROFILE" "$@"
}

# require_installed_recorder: the installed contxray (install/install.sh) with its daemon running
require_installed_recorder() {
  [ -x /usr/local/bin/contxray ] || { echo "contxray is not installed (install/install.sh)" >&3; return 1; }
  bash "$DAEMONCTL" start 3>&-
}

# restart_recorder_if_down: a test that stopped or killed the recorder must not leave the next
# one without it
restart_recorder_if_down() {
  bash "$DAEMONCTL" status >/dev/null 2>&1 || bash "$DAEMONCTL" start 3>&- >/dev/null
}

# Defaults for the files that record with the installed contxray; a file that needs other set-up
# defines its own after `load helpers`.
recorder_setup_file() {
  require_root
  ensure_engines
  require_installed_recorder
}
setup_file() { recorder_setup_file; }

teardown() {
  restart_recorder_if_down
}

setup_file_with_probe() {
  recorder_setup_file
  export PROBE=$BATS_FILE_TMPDIR/cxprobe
  gcc -static -O2 -o "$PROBE" "$CONTXRAY_ROOT/test/probes/cxprobe.c"
}
