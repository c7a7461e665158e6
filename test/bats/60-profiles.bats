#!/usr/bin/env bats
# Profiles across recordings, as root with real Docker 20.10: merge two recordings with coverage,
# enforce the merged profile on both workloads, diff for drift, export deployable forms.

load helpers

STATE=/var/lib/contxray/containers

# record [--security-opt X] ARGS...: docker20 run --runtime contxray-record of busybox ARGS;
# prints the container id once its report is written
record() {
  local cid opts=()
  if [ "$1" = --security-opt ]; then opts=("$1" "$2"); shift 2; fi
  cid=$(mktemp -u "$BATS_TEST_TMPDIR/cid.XXXXXX")
  docker20 run --rm --runtime contxray-record --cidfile "$cid" "${opts[@]}" "$BUSYBOX_IMAGE" "$@" >&2
  wait_for_file "$(run_dir "$(cat "$cid")")/report.json" 30 >&2
  cat "$cid"
}

@test "merge of two recordings with different syscalls: both kept, coverage 1/2, the merged profile runs both" {
  a=$(record sh -c 'echo a >/dev/null')
  b=$(record sh -c 'mkdir /tmp/cx')
  # mkdir(2) only in B; the shell's own calls in both
  jq -e '.syscallsUnderFilter | has("mkdir") | not' "$(run_dir "$a")/report.json"
  jq -e '.syscallsUnderFilter | has("mkdir")' "$(run_dir "$b")/report.json"

  out=$BATS_TEST_TMPDIR/merged
  run contxray profile merge -o "$out" "$a" "$b"
  [ "$status" -eq 0 ]
  [[ "$output" == *"merged 2 recording(s)"* ]]
  [[ "$output" == *"1/2  mkdir"* ]]
  jq -e '.recordings == 2 and .seenIn.mkdir == 1 and .seenIn.execve == 2' "$out/coverage.json"
  jq -e '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | index("mkdir") != null' "$out/seccomp.json"
  # nothing either profile allowed is missing from the merge
  for id in "$a" "$b"; do
    jq -e --slurpfile m "$out/seccomp.json" \
      '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] - [$m[0].syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] == []' \
      "$(run_dir "$id")/seccomp.json"
  done

  # enforced: both workloads run under the merged profile; A's own profile denies B's mkdir
  # (busybox's uname would be no test here: it ignores uname(2) failing)
  docker20 run --rm --security-opt seccomp="$out/seccomp.json" "$BUSYBOX_IMAGE" sh -c 'echo a >/dev/null'
  docker20 run --rm --security-opt seccomp="$out/seccomp.json" "$BUSYBOX_IMAGE" sh -c 'mkdir /tmp/cx'
  run docker20 run --rm --security-opt seccomp="$(run_dir "$a")/seccomp.json" "$BUSYBOX_IMAGE" sh -c 'mkdir /tmp/cx'
  [ "$status" -eq 1 ]
  [[ "$output" == *"Operation not permitted"* ]]
}

@test "diff: B's new syscall is drift against A (exit 1), nothing is drift against the merge (exit 0)" {
  a=$(record sh -c 'echo a >/dev/null')
  b=$(record sh -c 'mkdir /tmp/cx')
  run contxray diff "$a" "$b"
  [ "$status" -eq 1 ]
  [[ "$output" == *"+ syscall mkdir"* ]]
  [[ "$output" == *"drift: B made "* ]]
  contxray profile merge -o "$BATS_TEST_TMPDIR/m" "$a" "$b" >/dev/null
  run contxray diff "$BATS_TEST_TMPDIR/m" "$b"
  [ "$status" -eq 0 ]
  [[ "$output" == *"no drift"* ]]
  run contxray diff "$b" "$b"
  [ "$status" -eq 0 ]
}

@test "export: Security Profiles Operator SeccompProfile, pod securityContext, compose" {
  b=$(record sh -c 'mkdir /tmp/cx')
  run contxray profile export --format kubernetes --name busybox-mkdir --namespace shop "$b"
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.apiVersion == "security-profiles-operator.x-k8s.io/v1beta1" and .kind == "SeccompProfile"'
  echo "$output" | jq -e '.metadata.name == "busybox-mkdir" and .metadata.namespace == "shop"'
  echo "$output" | jq -e --slurpfile p "$(run_dir "$b")/seccomp.json" '.spec.syscalls == $p[0].syscalls and .spec.architectures == $p[0].architectures'
  run contxray profile export --format pod --name busybox-mkdir --namespace shop "$b"
  echo "$output" | jq -e '.securityContext.seccompProfile == {"type": "Localhost", "localhostProfile": "operator/shop/busybox-mkdir.json"}'
  run contxray profile export --format compose "$b"
  echo "$output" | jq -e --arg p "$STATE/$b/seccomp.json" '.security_opt == ["seccomp=" + $p]'
}

@test "profile tools: bad input is one line and a non-zero exit" {
  run contxray profile merge -o "$BATS_TEST_TMPDIR/x" ../etc
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  echo '{"defaultAction":' >"$BATS_TEST_TMPDIR/broken.json"
  run contxray diff "$BATS_TEST_TMPDIR/broken.json" "$BATS_TEST_TMPDIR/broken.json"
  [ "$status" -eq 2 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == "contxray diff: $BATS_TEST_TMPDIR/broken.json: not valid JSON"* ]]
  run contxray profile export --format kubernetes --name Bad_Name "$BATS_TEST_TMPDIR/broken.json"
  [ "$status" -eq 1 ]
  run contxray profile export --format kubernetes "$BATS_TEST_TMPDIR/broken.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"needs --name"* ]]
  run contxray profile merge -o "$BATS_TEST_TMPDIR/x" 'a;b'
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
}

@test "NoNewPrivileges on and off: a profile recorded either way runs the workload the other way" {
  with_nnp=$(record --security-opt no-new-privileges sh -c 'echo a >/dev/null')
  without=$(record sh -c 'echo a >/dev/null')
  # runc installs the filter later with NNP: fewer of its own calls are recorded under it
  jq -e '.syscallsUnderFilter | has("capset") | not' "$(run_dir "$with_nnp")/report.json"
  jq -e '.syscallsUnderFilter | has("capset")' "$(run_dir "$without")/report.json"
  for i in 1 2 3; do
    run docker20 run --rm --security-opt seccomp="$(run_dir "$with_nnp")/seccomp.json" "$BUSYBOX_IMAGE" sh -c 'echo a >/dev/null; echo ok'
    [ "$status" -eq 0 ] && [ "$output" = ok ]
    run docker20 run --rm --security-opt no-new-privileges --security-opt seccomp="$(run_dir "$without")/seccomp.json" \
      "$BUSYBOX_IMAGE" sh -c 'echo a >/dev/null; echo ok'
    [ "$status" -eq 0 ] && [ "$output" = ok ]
  done
}
