#!/usr/bin/env bats
# Rollout in the runtime, as root with real Docker 26 (its --annotation reaches config.json):
# the wrapper injects a stored profile for contxray.mode=enforce|complain, refuses a container
# whose profile cannot be applied, and leaves everything else alone.

load helpers

STATE=/var/lib/contxray/containers
PROFILES=/var/lib/contxray/profiles

setup() {
  name=cx-bats-$BATS_TEST_NUMBER-$$
}

teardown() {
  rm -rf "${PROFILES:?}/$name"
  [ -n "${policy_written:-}" ] && rm -f /etc/contxray/policy.json
  restart_recorder_if_down
}

# save_profile_of ARGS...: records the busybox workload ARGS with docker 20.10 and stores its
# profile as $name
save_profile_of() {
  local cid
  cid=$(mktemp -u "$BATS_TEST_TMPDIR/cid.XXXXXX")
  docker20 run --rm --runtime contxray-record --cidfile "$cid" "$BUSYBOX_IMAGE" "$@" >&2
  wait_for_file "$(run_dir "$(cat "$cid")")/report.json" 30 >&2
  contxray profile merge --save "$name" "$(cat "$cid")" >&2
}

# enforce ARGS...: docker 26 run of the busybox workload ARGS with profile $name enforced
enforce() {
  docker26 run --rm --runtime contxray --annotation contxray.mode=enforce --annotation contxray.profile="$name" \
    "$BUSYBOX_IMAGE" "$@"
}

@test "enforce: the stored profile runs its workload and denies what it never did (EPERM); no annotation, no change" {
  save_profile_of sh -c 'echo a >/dev/null'
  [ -f "$PROFILES/$name/seccomp.json" ]
  # several times: a runtime syscall that one recording may miss (runc's Go runtime taking a
  # preemption signal: rt_sigreturn) made about half of these runs die of SIGSEGV before the
  # profile allowed it
  for i in 1 2 3 4 5 6; do
    run enforce sh -c 'echo a >/dev/null; echo ran'
    [ "$status" -eq 0 ]
    [ "$output" = ran ]
  done
  # mkdir(2) was never made (busybox's uname is no test: it ignores uname(2) failing)
  ! jq -e '.syscalls[0].names | index("mkdir") or index("mkdirat")' "$PROFILES/$name/seccomp.json"
  run enforce mkdir /tmp/cx
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
  # the same workload without the annotations: Docker's own profile, mkdir allowed
  docker26 run --rm --runtime contxray "$BUSYBOX_IMAGE" mkdir /tmp/cx
}

@test "enforce: the process gets exactly the recorded capabilities (a port-80 server: NET_BIND_SERVICE only)" {
  # Docker lets containers bind low ports without the capability; the kernel's default does not.
  # Everything the container says goes to stdout, then it lingers a moment: Docker may lose the
  # stderr of a container that exits at once.
  sysctl=(--sysctl net.ipv4.ip_unprivileged_port_start=1024)
  serve() { echo "grep CapEff /proc/self/status; httpd -p $1 2>&1 && echo BOUND || echo NOT-BOUND; sleep 0.3"; }
  cid=$BATS_TEST_TMPDIR/cid
  docker20 run --rm --runtime contxray-record --cidfile "$cid" "${sysctl[@]}" "$BUSYBOX_IMAGE" sh -c "$(serve 80)"
  wait_for_file "$(run_dir "$(cat "$cid")")/report.json" 30
  contxray profile merge --save "$name" "$(cat "$cid")"
  jq -e '.add == ["NET_BIND_SERVICE"] and .ociCapabilities == ["CAP_NET_BIND_SERVICE"]' "$PROFILES/$name/capabilities.json"

  run docker26 run --rm --runtime contxray --annotation contxray.mode=enforce --annotation contxray.profile="$name" \
    "${sysctl[@]}" "$BUSYBOX_IMAGE" sh -c "$(serve 80)"
  echo "enforced under $name: status $status: $output"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'CapEff:\t0000000000000400\nBOUND')" ]   # 1 << CAP_NET_BIND_SERVICE (10)

  # the set is what makes it work: the same server recorded on port 8080 needs no capability, and
  # under that profile the port-80 server cannot bind
  other=$name-8080
  docker20 run --rm --runtime contxray-record --cidfile "$cid.8080" "${sysctl[@]}" "$BUSYBOX_IMAGE" sh -c "$(serve 8080)"
  wait_for_file "$(run_dir "$(cat "$cid.8080")")/report.json" 30
  contxray profile merge --save "$other" "$(cat "$cid.8080")"
  run jq -e '.add == []' "$PROFILES/$other/capabilities.json"
  rc=$status
  run docker26 run --rm --runtime contxray --annotation contxray.mode=enforce --annotation contxray.profile="$other" \
    "${sysctl[@]}" "$BUSYBOX_IMAGE" sh -c "$(serve 80)"
  rm -rf "${PROFILES:?}/$other"
  echo "enforced under $other: status $status: $output"
  [ "$rc" -eq 0 ]
  [ "$status" -eq 0 ]
  [[ "$output" == *"CapEff:"*"0000000000000000"*"Permission denied"*"NOT-BOUND"* ]]
}

@test "policy: /etc/contxray/policy.json rolls a profile out by image, without annotations (Docker 20.10)" {
  [ ! -e /etc/contxray/policy.json ] || skip "this host already has a rollout policy"
  save_profile_of true
  mkdir -p /etc/contxray
  policy_written=1
  printf '{"rules": [{"image": "%s", "profile": "%s", "mode": "enforce"}]}\n' "$BUSYBOX_IMAGE" "$name" \
    >/etc/contxray/policy.json
  # the runtime asks the engine which image the container runs: no annotation needed
  docker20 run --rm --runtime contxray "$BUSYBOX_IMAGE" true
  run docker20 run --rm --runtime contxray "$BUSYBOX_IMAGE" mkdir /tmp/cx
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
  # the container's own annotation wins over the policy (Docker 26 passes annotations)
  docker26 run --rm --runtime contxray --annotation contxray.mode=record "$BUSYBOX_IMAGE" mkdir /tmp/cx
  # a broken policy refuses the containers it may have meant, with the reason
  echo '{"rules": [' >/etc/contxray/policy.json
  run docker20 run --rm --runtime contxray "$BUSYBOX_IMAGE" true
  [ "$status" -ne 0 ]
  [[ "$output" == *"policy /etc/contxray/policy.json: "* ]]
  rm /etc/contxray/policy.json
  docker20 run --rm --runtime contxray "$BUSYBOX_IMAGE" mkdir /tmp/cx
}

@test "enforce: a missing or broken profile refuses the container with the reason" {
  run enforce true
  [ "$status" -ne 0 ]
  [[ "$output" == *"contxray.profile=$name: no profile \"$name\""* ]]
  [[ "$output" == *"refusing to start the container without its profile"* ]]
  mkdir -p "$PROFILES/$name"
  echo '{"defaultAction":' >"$PROFILES/$name/seccomp.json"
  run enforce true
  [ "$status" -ne 0 ]
  [[ "$output" == *"contxray.profile=$name: "*"not valid JSON"* ]]
  run docker26 run --rm --runtime contxray --annotation contxray.mode=enforce "$BUSYBOX_IMAGE" true
  [ "$status" -ne 0 ]
  [[ "$output" == *"contxray.mode=enforce needs contxray.profile=<name>"* ]]
  run docker26 run --rm --runtime contxray --annotation contxray.profile=../../etc "$BUSYBOX_IMAGE" true
  [ "$status" -ne 0 ]
  [[ "$output" == *"rejected"* ]]
}

@test "complain: a syscall outside the profile runs and is listed as a violation in the report" {
  save_profile_of sh -c 'echo a >/dev/null'
  cid=$BATS_TEST_TMPDIR/cid
  run docker26 run --rm --runtime contxray --annotation contxray.mode=complain --annotation contxray.profile="$name" \
    --cidfile "$cid" "$BUSYBOX_IMAGE" sh -c 'mkdir /tmp/cx && echo made'
  [ "$status" -eq 0 ]
  [ "$output" = made ]
  r=$(run_dir "$(cat "$cid")")/report.json
  wait_for_file "$r" 30
  jq -e --arg p "$name" '.rollout.mode == "complain" and .rollout.profile == $p' "$r"
  jq -e '.rollout.violations.mkdir >= 1' "$r"
  # what the profile allows is no violation
  jq -e '.rollout.violations | has("execve") or has("write") | not' "$r"
  run contxray report "$(cat "$cid")"
  [[ "$output" == *"rollout    complain with profile $name: "*"mkdir"* ]]
}

@test "rollout status: clean complain runs make a profile safe to enforce, a violation makes it not safe" {
  save_profile_of sh -c 'echo a >/dev/null'
  complain() {
    docker26 run --rm --runtime contxray --annotation contxray.mode=complain --annotation contxray.profile="$name" \
      --cidfile "$BATS_TEST_TMPDIR/cid.$1" "$BUSYBOX_IMAGE" sh -c "$2"
    wait_for_file "$(run_dir "$(cat "$BATS_TEST_TMPDIR/cid.$1")")/report.json" 30
  }
  run contxray rollout status --min-clean 2
  [[ "$output" == *"$name: "*"from 1 recording(s); 0 complain run(s); not yet: 0 of 2 clean complain run(s)"* ]]
  complain 1 'echo a >/dev/null'
  complain 2 'echo a >/dev/null'
  run contxray rollout status --min-clean 2
  [ "$status" -eq 0 ]
  [[ "$output" == *"$name: "*"2 complain run(s); safe to enforce: 2 clean complain run(s)"* ]]
  complain 3 'mkdir /tmp/cx'
  run contxray rollout status --min-clean 2
  [[ "$output" == *"$name: "*"3 complain run(s); not safe: 1 complain run(s) made syscalls outside it ["*"mkdir"* ]]
  run contxray rollout status --json
  echo "$output" | jq -e --arg n "$name" '.[] | select(.profile == $n) | .safeToEnforce == false and (.violations | index("mkdir")) != null'
}

@test "enforce: unshare, mount, ptrace and keyctl get EPERM under a recorded profile, even with the capabilities" {
  probe=$BATS_TEST_TMPDIR/cxprobe
  gcc -static -O2 -o "$probe" "$CONTXRAY_ROOT/test/probes/cxprobe.c"
  docker20 run --rm --runtime contxray-record --cidfile "$BATS_TEST_TMPDIR/cid" -v "$probe:/cxprobe:ro" "$BUSYBOX_IMAGE" /cxprobe
  wait_for_file "$(run_dir "$(cat "$BATS_TEST_TMPDIR/cid")")/report.json" 30
  contxray profile merge --save "$name" "$(cat "$BATS_TEST_TMPDIR/cid")"
  run docker26 run --rm --runtime contxray --annotation contxray.mode=enforce --annotation contxray.profile="$name" \
    --cap-add SYS_ADMIN --cap-add SYS_PTRACE -v "$probe:/cxprobe:ro" "$BUSYBOX_IMAGE" /cxprobe unshare mount ptrace keyctl
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'unshare: EPERM\nmount: EPERM\nptrace: EPERM\nkeyctl: EPERM')" ]
  # the denial is the profile's: unconfined, the same container may make them
  run docker26 run --rm --security-opt seccomp=unconfined --cap-add SYS_ADMIN --cap-add SYS_PTRACE \
    -v "$probe:/cxprobe:ro" "$BUSYBOX_IMAGE" /cxprobe unshare ptrace
  [ "$output" = "$(printf 'unshare: ok\nptrace: ok')" ]
}
