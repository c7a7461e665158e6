#!/usr/bin/env bats
# End to end, as root: containerd 1.6 (bookworm) and containerd 1.7 (trixie), driven by their own
# ctr, record a container through the runc wrapper (`ctr run --runc-binary contxray-runc`) and
# through the named shim (`ctr run --runtime io.containerd.contxray.v2`), each only when the
# container is annotated contxray.record=true. The busybox image is built into dockerd 20.10 and
# moved over with `docker save | ctr images import`. The last test runs the named shim by itself in
# front of a fake containerd-shim-runc-v2.

bats_require_minimum_version 1.5.0

load helpers

STATE=/var/lib/contxray/containers
NS=contxray-test
IMAGE=docker.io/$BUSYBOX_IMAGE:latest
WORKLOAD='uname >/dev/null; echo ok'

# ctr16 / ctr17 ARGS...: ctr in namespace $NS against containerd 1.6 / containerd 1.7
ctr16() { ctr --address "$CONTAINERD_SOCK" -n "$NS" "$@"; }
ctr17() { "$DOCKER26_PREFIX/usr/bin/ctr" --address "$CONTAINERD17_SOCK" -n "$NS" "$@"; }
have_containerd17() { [ -x "$DOCKER26_PREFIX/usr/bin/containerd" ] && [ -x "$DOCKER26_PREFIX/usr/bin/ctr" ]; }

setup_file() {
  require_root
  require_installed_recorder || return 1
  [ -x /usr/local/bin/containerd-shim-contxray-v2 ] ||
    { echo "containerd-shim-contxray-v2 is not installed (install/install.sh)" >&3; return 1; }
  start_dockerd20 || return 1 # and containerd 1.6 under it
  DOCKER_HOST=$DOCKER20_HOST build_busybox_image "$BUSYBOX_IMAGE" || return 1
  docker20 save "$BUSYBOX_IMAGE" | ctr16 images import - >/dev/null || return 1
  if have_containerd17; then
    start_containerd17 || return 1
    docker20 save "$BUSYBOX_IMAGE" | ctr17 images import - >/dev/null || return 1
  fi
}

setup() {
  id=cx-ctr-$BATS_TEST_NUMBER-$$-$RANDOM
}

teardown() {
  # a failed run may leave its task and container behind
  local c
  for c in ctr16 ctr17; do
    [ "$c" = ctr17 ] && ! have_containerd17 && continue
    "$c" task kill -s KILL "$id" >/dev/null 2>&1 || true
    "$c" task delete -f "$id" >/dev/null 2>&1 || true
    "$c" containers delete "$id" >/dev/null 2>&1 || true
  done
}

# recorded CTR ARGS...: `CTR run --rm ARGS... IMAGE $id sh -c WORKLOAD` with the annotation; the
# workload's output is intact and its report names the container and counts its uname
recorded() {
  local c=$1 r=$(run_dir "$id")/report.json
  shift
  run "$c" run --rm "$@" --annotation contxray.record=true "$IMAGE" "$id" sh -c "$WORKLOAD"
  [ "$status" -eq 0 ]
  [ "$output" = ok ]
  wait_for_file "$r" 30
  [ "$(jq -r .id "$r")" = "$id" ]
  [[ "$(jq -r .bundle "$r")" == */"$NS/$id" ]]
  [ "$(jq -r '.syscalls.uname // 0' "$r")" -ge 1 ]
  [ -f "$(run_dir "$id")/seccomp.json" ]
  # the image from containerd's own record (its shim names the containerd and the namespace)
  [ "$(jq -r .image "$r")" = "$IMAGE" ]
}

# not_recorded CTR ARGS...: the same without the annotation runs and leaves no trace
not_recorded() {
  local c=$1
  shift
  run "$c" run --rm "$@" "$IMAGE" "$id" sh -c "$WORKLOAD"
  [ "$status" -eq 0 ]
  [ "$output" = ok ]
  [ ! -e "$STATE/$id" ]
}

@test "containerd 1.6: ctr run --runc-binary contxray-runc --annotation contxray.record=true is recorded" {
  recorded ctr16 --runc-binary /usr/local/bin/contxray-runc
}

@test "containerd 1.6: ctr run --runc-binary contxray-runc without the annotation records nothing" {
  not_recorded ctr16 --runc-binary /usr/local/bin/contxray-runc
}

@test "containerd 1.6: ctr run --runtime io.containerd.contxray.v2 --annotation contxray.record=true is recorded" {
  recorded ctr16 --runtime io.containerd.contxray.v2
}

@test "containerd 1.6: ctr run --runtime io.containerd.contxray.v2 without the annotation records nothing" {
  not_recorded ctr16 --runtime io.containerd.contxray.v2
}

@test "containerd 1.7: ctr run --runc-binary contxray-runc --annotation contxray.record=true is recorded" {
  have_containerd17 || skip "no containerd 1.7 in $DOCKER26_PREFIX (install/docker26.sh)"
  recorded ctr17 --runc-binary /usr/local/bin/contxray-runc
}

@test "containerd 1.7: ctr run --runc-binary contxray-runc without the annotation records nothing" {
  have_containerd17 || skip "no containerd 1.7 in $DOCKER26_PREFIX (install/docker26.sh)"
  not_recorded ctr17 --runc-binary /usr/local/bin/contxray-runc
}

@test "containerd 1.7: ctr run --runtime io.containerd.contxray.v2 --annotation contxray.record=true is recorded" {
  have_containerd17 || skip "no containerd 1.7 in $DOCKER26_PREFIX (install/docker26.sh)"
  recorded ctr17 --runtime io.containerd.contxray.v2
}

@test "containerd 1.7: ctr run --runtime io.containerd.contxray.v2 without the annotation records nothing" {
  have_containerd17 || skip "no containerd 1.7 in $DOCKER26_PREFIX (install/docker26.sh)"
  not_recorded ctr17 --runtime io.containerd.contxray.v2
}

@test "containerd 1.6: a ctr task started twice through the named shim gives one run per start" {
  # without --rm the container stays after its task ends; `task start` runs it again
  run ctr16 run --runtime io.containerd.contxray.v2 --annotation contxray.record=true "$IMAGE" "$id" sh -c "$WORKLOAD"
  [ "$status" -eq 0 ]
  [ "$output" = ok ]
  ctr16 task delete "$id" >/dev/null 2>&1 || true
  run ctr16 task start "$id"
  [ "$status" -eq 0 ]
  [ "$output" = ok ]
  for n in 1 2; do
    wait_for_file "$(run_dir "$id" "$n")/report.json" 30
    [ "$(jq -r '.syscalls.uname // 0' "$(run_dir "$id" "$n")/report.json")" -ge 1 ]
  done
  wait_until 20 jq -e '.runs.count == 2' "$STATE/$id/report.json"
  [ "$(jq -r .image "$STATE/$id/report.json")" = "$IMAGE" ]
}

@test "containerd-shim-contxray-v2 hands argv, stdin, cwd and environment to containerd-shim-runc-v2 and prints nothing itself" {
  local d=$BATS_TEST_TMPDIR shim=$CONTXRAY_ROOT/shim/bin/containerd-shim-contxray-v2
  local -a flags=(-namespace "$NS" -address /run/fake/containerd.sock -publish-binary /usr/bin/containerd -id "$id")
  mkdir -p "$d/bundle"
  cat >"$d/fake-shim" <<'EOF'
#!/bin/bash
printf '%s\n' "$@" >"$FAKE_OUT/argv"
cat >"$FAKE_OUT/stdin"
printf '%s\n' "$PWD" >"$FAKE_OUT/cwd"
printf '%s\n' "${FAKE_ENV:-}" >"$FAKE_OUT/env"
echo unix:///run/fake/shim.sock
EOF
  chmod +x "$d/fake-shim"
  export FAKE_OUT=$d FAKE_ENV=kept CONTXRAY_SHIM_RUNC_V2=$d/fake-shim \
    CONTXRAY_RUNC_WRAPPER=$CONTXRAY_ROOT/shim/bin/contxray-runc CONTXRAY_HOOK_LOG=$d/hook.log
  cd "$d/bundle"

  # annotated: config.json gets the hooks; the real shim gets everything unchanged; stdout is its
  # address only (containerd reads the output of `start` as the address)
  echo '{"ociVersion":"1.0.2","annotations":{"contxray.record":"true"}}' >config.json
  run --separate-stderr "$shim" "${flags[@]}" -debug start <<<"runtime options"
  [ "$status" -eq 0 ]
  [ "$output" = unix:///run/fake/shim.sock ]
  [ -z "$stderr" ]
  [ "$(cat "$d/argv")" = "$(printf '%s\n' "${flags[@]}" -debug start)" ]
  [ "$(cat "$d/stdin")" = "runtime options" ]
  [ "$(cat "$d/cwd")" = "$d/bundle" ]
  [ "$(cat "$d/env")" = kept ]
  jq -e '.hooks.createRuntime[0].path == "/usr/local/lib/contxray/contxray-hook" and (.hooks.createRuntime[0].args | index("createRuntime"))' config.json
  jq -e '.hooks.poststop[0].args | index("poststop")' config.json

  # not annotated: config.json untouched
  echo '{"ociVersion":"1.0.2","annotations":{"other":"x"}}' >config.json
  run --separate-stderr "$shim" "${flags[@]}" start </dev/null
  [ "$status" -eq 0 ]
  [ "$output" = unix:///run/fake/shim.sock ]
  [ "$(cat config.json)" = '{"ociVersion":"1.0.2","annotations":{"other":"x"}}' ]

  # neither the daemon (fast path) nor the JVM patcher can run: contxray.record=true starts
  # unrecorded, the warning goes to the log...
  export CONTXRAY_FAST_CLIENT=/nonexistent/contxray-hook
  rm -f "$d/argv"
  echo '{"ociVersion":"1.0.2","annotations":{"contxray.record":"true"}}' >config.json
  CONTXRAY_JAVA=/nonexistent/java run --separate-stderr "$shim" "${flags[@]}" start </dev/null
  [ "$status" -eq 0 ]
  [ "$output" = unix:///run/fake/shim.sock ]
  [ -z "$stderr" ]
  grep -q "containerd-shim-contxray-v2 $id: contxray-runc: patcher .* container runs unrecorded" "$d/hook.log"

  # ...contxray.record=required refuses: non-zero, the reason on stderr, the real shim not run
  rm -f "$d/argv"
  echo '{"ociVersion":"1.0.2","annotations":{"contxray.record":"required"}}' >config.json
  # (127: the wrapper passes on the status of the java that could not run)
  CONTXRAY_JAVA=/nonexistent/java run -127 --separate-stderr "$shim" "${flags[@]}" start </dev/null
  [ -z "$output" ]
  [[ "$stderr" == *"refusing to start the container"* ]]
  [ ! -e "$d/argv" ]

  # any other action goes straight to the real shim, without the wrapper
  CONTXRAY_RUNC_WRAPPER=/nonexistent run --separate-stderr "$shim" "${flags[@]}" -bundle "$d/bundle" delete </dev/null
  [ "$status" -eq 0 ]
  [ "$(cat "$d/argv")" = "$(printf '%s\n' "${flags[@]}" -bundle "$d/bundle" delete)" ]
}
