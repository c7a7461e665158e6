#!/usr/bin/env bats
# Podman (and so CRI-O's mechanism) through OCI hooks.d, as root: `contxray install podman` writes
# the two hook files, podman calls them for an annotated container only, and the report exists.
# Podman's default rlimits cannot be set in this VM (no CAP_SYS_RESOURCE), so the containers run
# with lower --ulimit values; a container that fails that way shows the recorder finishing a
# registration whose poststop never came.

load helpers

STATE=/var/lib/contxray/containers
PODMAN_IMAGE=localhost/contxray-test/busybox
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=1024:1024)

setup_file() {
  require_root
  require_installed_recorder
  command -v podman >/dev/null || { echo "podman is not installed (install/deps.sh)" >&3; return 1; }
  podman image exists "$PODMAN_IMAGE" || DOCKER_CLI=podman build_busybox_image "$PODMAN_IMAGE" >&2
}

setup() {
  hooks=$BATS_TEST_TMPDIR/hooks.d
  contxray install podman --config "$hooks" >&2
}

teardown() {
  restart_recorder_if_down
}

@test "podman + hooks.d: an annotated container is recorded, an unannotated one is not; uninstall removes the hooks" {
  [ -f "$hooks/contxray-createruntime.json" ] && [ -f "$hooks/contxray-poststop.json" ]
  run podman --hooks-dir "$hooks" run --rm "${LIMITS[@]}" --annotation contxray.record=true \
    --cidfile "$BATS_TEST_TMPDIR/cid1" "$PODMAN_IMAGE" sh -c 'uname >/dev/null; echo hi'
  [ "$status" -eq 0 ]
  [ "$output" = hi ]
  id=$(cat "$BATS_TEST_TMPDIR/cid1")
  wait_for_file "$(run_dir "$id")/report.json" 30
  jq -e '.syscallsUnderFilter | has("uname")' "$(run_dir "$id")/report.json"
  jq -e '.cgroupPath | startswith("/libpod_parent/")' "$(run_dir "$id")/report.json"

  podman --hooks-dir "$hooks" run --rm "${LIMITS[@]}" --cidfile "$BATS_TEST_TMPDIR/cid2" "$PODMAN_IMAGE" true
  sleep 1
  [ ! -e "$STATE/$(cat "$BATS_TEST_TMPDIR/cid2")" ]

  run contxray uninstall podman --config "$hooks"
  [ "$status" -eq 0 ]
  [ -z "$(ls -A "$hooks")" ]
}

@test "podman failing to start a registered container: the recorder finishes it without a poststop" {
  # podman's default rlimits fail in this VM after createRuntime ran; no poststop follows
  run podman --hooks-dir "$hooks" run --rm --annotation contxray.record=true --cidfile "$BATS_TEST_TMPDIR/cid" \
    "$PODMAN_IMAGE" true
  [ "$status" -ne 0 ]
  [[ "$output" == *"rlimit"* ]]
  id=$(cat "$BATS_TEST_TMPDIR/cid" 2>/dev/null || podman ps -aq --no-trunc --filter status=created | head -1)
  [ -n "$id" ]
  wait_for_file "$(run_dir "$id")/report.json" 45
  jq -e '.errors | map(select(contains("without a poststop hook"))) | length == 1' "$(run_dir "$id")/report.json"
  run contxray status
  [[ "$output" != *"$id"* ]]
  podman rm -f "$id" >/dev/null 2>&1 || true
}

@test "podman restart: one run per start, the union counts both" {
  run podman --hooks-dir "$hooks" run "${LIMITS[@]}" --annotation contxray.record=true \
    --cidfile "$BATS_TEST_TMPDIR/cid" "$PODMAN_IMAGE" sh -c 'uname >/dev/null; echo run'
  [ "$status" -eq 0 ]
  id=$(cat "$BATS_TEST_TMPDIR/cid")
  wait_for_file "$(run_dir "$id" 1)/report.json" 30
  # restarting a stopped container starts it again: a new OCI container, the hooks called again
  run podman --hooks-dir "$hooks" restart "$id"
  [ "$status" -eq 0 ]
  wait_for_file "$(run_dir "$id" 2)/report.json" 30
  wait_until 20 jq -e '.runs.count == 2' "$STATE/$id/report.json"
  podman rm -f "$id" >/dev/null 2>&1 || true
  for n in 1 2; do
    jq -e '.syscallsUnderFilter | has("uname")' "$(run_dir "$id" "$n")/report.json"
  done
  jq -e '.runs == 2' "$STATE/$id/coverage.json"
}
