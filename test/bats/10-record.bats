#!/usr/bin/env bats
# End to end, as root: the installed contxray (install/install.sh) records real containers run by
# a real dockerd 20.10 (--runtime contxray-record), dockerd 26 (--runtime contxray + --annotation)
# and plain runc, and the profiles it writes are enforced by the same engines.

load helpers

@test "docker 20.10 --runtime contxray-record: the container's very first syscall is in its report" {
  id=$(run_recorded docker20 --rm --runtime contxray-record "$FIRSTSYSCALL_IMAGE")
  wait_for_file "$(report_of "$id")" 30
  r=$(report_of "$id")
  jq -e '.schema == "contxray.report/v1"' "$r"
  [ "$(jq -r .id "$r")" = "$id" ]
  # the static binary's _start calls getcpu before anything else and then exit_group
  [ "$(syscall_count "$r" getcpu)" -ge 1 ]
  [ "$(syscall_count "$r" exit_group)" -ge 1 ]
  jq -e '.recording.method == "tp_btf"' "$r"
  [ -f "$(run_dir "$id")/seccomp.json" ]
  jq -e '.syscalls[0].names | index("getcpu")' "$(run_dir "$id")/seccomp.json"
}

@test "the generated profile runs the same workload and denies what it never did (EPERM)" {
  workload='cat /etc/hostname >/dev/null; ls -l / >/dev/null; echo ok'
  id=$(run_recorded docker20 --rm --runtime contxray-record "$BUSYBOX_IMAGE" sh -c "$workload")
  profile=$(run_dir "$id")/seccomp.json
  wait_for_file "$profile" 30
  jq -e '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1' "$profile"
  # names sorted, far fewer than Docker's default profile
  jq -e '.syscalls[0].names == (.syscalls[0].names | sort) and (.syscalls[0].names | length) < 100' "$profile"

  run docker20 run --rm --security-opt seccomp="$profile" "$BUSYBOX_IMAGE" sh -c "$workload"
  [ "$status" -eq 0 ]
  [ "$output" = ok ]

  # control: with CAP_SYS_ADMIN, Docker's default profile lets unshare(CLONE_NEWNS) through...
  run docker20 run --rm --cap-add SYS_ADMIN "$BUSYBOX_IMAGE" unshare -m true
  [ "$status" -eq 0 ]
  # ...the recorded profile does not, with EPERM, although the capability is there
  run docker20 run --rm --cap-add SYS_ADMIN --security-opt seccomp="$profile" "$BUSYBOX_IMAGE" sh -c "$workload; unshare -m true"
  [ "$status" -ne 0 ]
  [[ "$output" == *"ok"* ]]
  [[ "$output" == *"Operation not permitted"* ]]
}

@test "docker 26 --runtime contxray records only containers annotated contxray.record=true" {
  plain=$(run_recorded docker26 --rm --runtime contxray "$BUSYBOX_IMAGE" true)
  annotated=$(run_recorded docker26 --rm --runtime contxray --annotation contxray.record=true "$BUSYBOX_IMAGE" sh -c 'uname >/dev/null')
  wait_for_file "$(report_of "$annotated")" 30
  [ "$(syscall_count "$(report_of "$annotated")" uname)" -ge 1 ]
  [ ! -e "$STATE/$plain" ]
}

@test "recorder down: a container still starts (fail open, logged); contxray.record=required refuses to start" {
  bash "$DAEMONCTL" stop
  : >/var/log/contxray/hook.log
  run docker26 run --rm --runtime contxray --annotation contxray.record=true "$BUSYBOX_IMAGE" echo started
  [ "$status" -eq 0 ]
  [ "$output" = started ]
  grep -q 'fail-open' /var/log/contxray/hook.log
  grep -q 'contxray.sock' /var/log/contxray/hook.log

  run docker26 run --rm --runtime contxray --annotation contxray.record=required "$BUSYBOX_IMAGE" echo started
  [ "$status" -ne 0 ]
  [[ "$output" != *started* ]]
  # the runtime's error carries the hook's one-line reason
  [[ "$output" == *"contxray"*"required"* ]]
}

@test "recorder killed with SIGKILL mid-run and restarted: the report keeps the syscalls made before the kill" {
  name=cx-kill-$$
  docker20 run -d --name "$name" --runtime contxray-record "$BUSYBOX_IMAGE" \
    sh -c 'uname >/dev/null; touch /tmp/ready; while [ ! -e /tmp/go ]; do sleep 0.1; done; echo done'
  id=$(docker20 inspect -f '{{.Id}}' "$name")
  wait_until 20 docker20 exec "$name" test -e /tmp/ready
  bash "$DAEMONCTL" kill
  # recording goes on in the kernel with nobody in user space
  docker20 exec "$name" sh -c 'sync'
  bash "$DAEMONCTL" start 3>&-
  grep -q "resumed recording $id" /var/log/contxray/daemon.log
  docker20 exec "$name" touch /tmp/go
  [ "$(docker20 wait "$name")" = 0 ]
  docker20 rm "$name" >/dev/null
  r=$(report_of "$id")
  wait_for_file "$r" 30
  [ "$(syscall_count "$r" uname)" -ge 1 ]   # before the kill
  [ "$(syscall_count "$r" sync)" -ge 1 ]    # while no recorder ran
}

@test "a container that stops while the recorder is down gets its report when the recorder comes back" {
  name=cx-down-$$
  docker20 run -d --name "$name" --runtime contxray-record "$BUSYBOX_IMAGE" \
    sh -c 'uname >/dev/null; while [ ! -e /tmp/go ]; do sleep 0.1; done'
  id=$(docker20 inspect -f '{{.Id}}' "$name")
  wait_until 20 test -e "$(run_dir "$id")/registration.json"
  sleep 0.5
  bash "$DAEMONCTL" kill
  docker20 exec "$name" touch /tmp/go
  [ "$(docker20 wait "$name")" = 0 ]
  docker20 rm "$name" >/dev/null
  [ ! -e "$(report_of "$id")" ]
  bash "$DAEMONCTL" start 3>&-
  r=$(report_of "$id")
  wait_for_file "$r" 30
  jq -e '.recording.recoveredAfterRestart == true' "$r"
  [ "$(syscall_count "$r" uname)" -ge 1 ]
}

@test "plain runc run: an annotated bundle is recorded and a copy lands in <bundle>/contxray/" {
  bundle=$BATS_TEST_TMPDIR/bundle
  mkdir -p "$bundle/rootfs"
  c=$(docker20 create "$BUSYBOX_IMAGE" true)
  docker20 export "$c" | tar -C "$bundle/rootfs" -x
  docker20 rm "$c" >/dev/null
  (cd "$bundle" && runc spec)
  jq '.process.terminal = false | .process.args = ["sh", "-c", "uname >/dev/null; echo hi"]
      | .annotations = {"contxray.record": "true"}' "$bundle/config.json" >"$bundle/c.json"
  mv "$bundle/c.json" "$bundle/config.json"
  id=cx-runc-$$
  run contxray-runc run -b "$bundle" "$id"
  [ "$status" -eq 0 ]
  [ "$output" = hi ]
  [ "$(syscall_count "$bundle/contxray/report.json" uname)" -ge 1 ]
  cmp "$bundle/contxray/seccomp.json" "$(run_dir "$id")/seccomp.json"
  # the wrapper wrote the hooks into the bundle's config.json and kept the rest
  jq -e '.hooks.createRuntime[0].args[1:] == ["hook", "createRuntime"] and .hooks.poststop != null' "$bundle/config.json"
  jq -e '.process.args[2] == "uname >/dev/null; echo hi"' "$bundle/config.json"
  rm -rf "$STATE/$id"
}
