#!/usr/bin/env bats
# Kubernetes-style pods through NRI, as root: containerd 1.7 with its CRI service and NRI enabled
# (engine containerdcri, test/lib/engines.sh), the installed `contxray nri` registered on its NRI
# socket, and pods run by the tests' small CRI client (shim/src/test/java/.../cri/CriClient.java,
# runtime.v1 over gRPC: no crictl or kubelet is packaged here). Pods use the host network (no CNI
# here); the pause image is busybox running sleep, built locally.

bats_require_minimum_version 1.5.0

load helpers

STATE=/var/lib/contxray/containers
IMAGE=docker.io/$BUSYBOX_IMAGE:latest
NRI_LOG=$CONTXRAY_TEST_LOGDIR/nri-plugin.log
NRI_PIDFILE=/run/contxray-test/nri-plugin.pid

# cri ARGS...: the CRI client against containerdcri (prints pod ID, container ID, exit CODE)
cri() {
  java -cp "$CONTXRAY_ROOT/shim/target/test-classes:$(cat "$CONTXRAY_ROOT/shim/target/test-classpath.txt")" \
    io.contxray.shim.cri.CriClient --socket "$CONTAINERDCRI_SOCK" --image "$IMAGE" "$@"
}

# start_plugin: the installed plugin in the background, reconnecting on its own; fds above 2
# closed so bats does not wait for it
start_plugin() {
  local before
  before=$(grep -c 'registered as' "$NRI_LOG" 2>/dev/null || true)
  setsid bash -c 'for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    echo $$ >"$0"; exec contxray nri --socket "$1"' "$NRI_PIDFILE" "$CONTAINERDCRI_NRI_SOCK" </dev/null >>"$NRI_LOG" 2>&1 &
  wait_until 20 registered_more_than "${before:-0}" || { echo "the NRI plugin did not register:" >&3; tail -5 "$NRI_LOG" >&3; return 1; }
}
registered_more_than() { [ "$(grep -c 'registered as' "$NRI_LOG" 2>/dev/null || echo 0)" -gt "$1" ]; }
stop_plugin() {
  local pid
  pid=$(cat "$NRI_PIDFILE" 2>/dev/null) && kill "$pid" 2>/dev/null
  rm -f "$NRI_PIDFILE"
}

setup_file() {
  require_root
  require_installed_recorder || return 1
  [ -f "$CONTXRAY_ROOT/shim/target/test-classpath.txt" ] ||
    { echo "no CRI client: build the tests first (mvn verify writes shim/target/test-classpath.txt)" >&3; return 1; }
  start_dockerd20 || return 1
  DOCKER_HOST=$DOCKER20_HOST build_busybox_image "$BUSYBOX_IMAGE" || return 1
  if ! docker20 image inspect contxray-test/pause >/dev/null 2>&1; then
    printf 'FROM %s\nCMD ["sleep","2147483647"]\n' "$BUSYBOX_IMAGE" | docker20 build -q -t contxray-test/pause - >/dev/null 2>&1 || return 1
  fi
  start_containerdcri || return 1
  docker20 save "$BUSYBOX_IMAGE" contxray-test/pause | ctrcri images import - >/dev/null || return 1
  stop_plugin
  start_plugin
}

teardown_file() {
  stop_plugin
}

teardown() {
  restart_recorder_if_down
}

# container_of OUTPUT: the container id the CRI client printed
container_of() { awk '$1 == "container" { print $2 }' <<<"$1"; }

@test "NRI: a pod annotated contxray.record=true gets the hooks and is recorded, named from its CRI labels" {
  run cri --pod nri-rec-$$ --pod-annotation contxray.record=true -- sh -c 'uname >/dev/null; echo ok'
  [ "$status" -eq 0 ]
  [[ "$output" == *"exit 0"* ]]
  id=$(container_of "$output")
  r=$(run_dir "$id")/report.json
  wait_for_file "$r" 30
  [ "$(jq -r .id "$r")" = "$id" ]
  [ "$(jq -r '.syscalls.uname // 0' "$r")" -ge 1 ]
  [ "$(jq -r .name "$r")" = "nri-rec-$$-c" ]
  [ "$(jq -r .image "$r")" = "$IMAGE" ]
  [ -f "$(run_dir "$id")/seccomp.json" ]
  grep -q "recording container nri-rec-$$-c ($id)" "$NRI_LOG"
}

@test "NRI: an unannotated pod is left alone and nothing is recorded" {
  run cri --pod nri-plain-$$ -- sh -c 'uname >/dev/null; echo ok'
  [ "$status" -eq 0 ]
  [[ "$output" == *"exit 0"* ]]
  id=$(container_of "$output")
  [ -n "$id" ]
  sleep 1
  [ ! -e "$STATE/$id" ]
  ! grep -q "$id" "$NRI_LOG"
}

@test "NRI: contxray.mode=enforce through NRI is refused in one line that names the RuntimeClass way" {
  run cri --pod nri-enf-$$ --pod-annotation contxray.mode=enforce --pod-annotation contxray.profile=nginx -- true
  [ "$status" -eq 1 ]
  [[ "$output" == *"cri: CreateContainer: FAILED_PRECONDITION"* ]]
  [[ "$output" == *"contxray.mode=enforce cannot be applied through NRI"* ]]
  [[ "$output" == *"runtimeClassName: contxray"* ]]
  # refused at creation: no container id was printed
  ! grep -q '^container ' <<<"$output"
}

@test "CRI runtime handler contxray (the RuntimeClass path): the wrapper records it, the NRI plugin leaves it alone" {
  run cri --pod nri-rc-$$ --handler contxray --pod-annotation contxray.record=true -- sh -c 'uname >/dev/null; echo ok'
  [ "$status" -eq 0 ]
  [[ "$output" == *"exit 0"* ]]
  id=$(container_of "$output")
  r=$(run_dir "$id")/report.json
  wait_for_file "$r" 30
  [ "$(jq -r '.syscalls.uname // 0' "$r")" -ge 1 ]
  ! grep -q "$id" "$NRI_LOG"
}

@test "NRI: the plugin registers again after containerd restarts, and records as before" {
  local before
  before=$(grep -c 'registered as' "$NRI_LOG")
  stop_containerdcri
  start_containerdcri
  wait_until 20 registered_more_than "$before"
  run cri --pod nri-again-$$ --pod-annotation contxray.record=true -- true
  [ "$status" -eq 0 ]
  id=$(container_of "$output")
  wait_for_file "$(run_dir "$id")/report.json" 30
}

@test "CRI runtime handler contxray: contxray.mode=enforce applies a profile recorded through NRI (seccomp filter in place, workload runs)" {
  local name=nri-prof-$$ check='grep -q "^Seccomp:[[:space:]]*2" /proc/self/status'
  # recorded through NRI: no filter then, so the check fails (exit 1), but its syscalls are the same
  run cri --pod nri-src-$$ --pod-annotation contxray.record=true -- sh -c "$check"
  [ "$status" -eq 0 ]
  [[ "$output" == *"exit 1"* ]]
  id=$(container_of "$output")
  wait_for_file "$(run_dir "$id")/report.json" 30
  contxray profile merge --save "$name" "$id" >&2
  run cri --pod nri-enf-rc-$$ --handler contxray --pod-annotation contxray.mode=enforce --pod-annotation "contxray.profile=$name" \
    -- sh -c "$check"
  [ "$status" -eq 0 ]
  [[ "$output" == *"exit 0"* ]]
  # a profile that does not exist refuses the container at creation
  run cri --pod nri-missing-$$ --handler contxray --pod-annotation contxray.mode=enforce --pod-annotation contxray.profile=no-such-$$ -- true
  [ "$status" -eq 1 ]
  [[ "$output" == *"no-such-$$"* ]]
}
