#!/usr/bin/env bats
# Argument rules (on by default), as root with real Docker: the kernel records the families of
# socket(2), the values of personality(2) and the namespace bits of clone(2)'s flags a container
# uses, its profile allows each only for those (never for one Docker's default refuses), and an
# enforced container then gets EPERM for a family, persona or namespace it never used while its own
# workload still runs. Every profile is compared with Docker's default rule by rule. Recorded with
# Docker 20.10 (--runtime contxray-record), enforced with Docker 26 (--annotation contxray.mode=enforce).

load helpers

STATE=/var/lib/contxray/containers
PROFILES=/var/lib/contxray/profiles

# AF_INET: busybox httpd and an HTTP request with nc on 127.0.0.1 (nc always polls; wget polls only
# when the body is late, so one recording may lack it); AF_UNIX: busybox logger (syslog's socket,
# even without /dev/log); personality(0xffffffff), which only asks: the probe
REQUEST="printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 8080 | tail -1"
WORKLOAD="echo hi >/tmp/index.html && httpd -p 127.0.0.1:8080 -h /tmp && $REQUEST && logger arg-filters; /cxprobe personality"

setup_file() {
  setup_file_with_probe
}

setup() {
  name=cx-bats-args-$BATS_TEST_NUMBER-$$
}

teardown() {
  rm -rf "${PROFILES:?}/$name"
  restart_recorder_if_down
}

# record_with DOCKER_ARGS... -- ARGS...: docker20 run --runtime contxray-record of busybox ARGS with
# the probe at /cxprobe; prints the container id once its report is written
record_with() {
  local cid opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  cid=$(mktemp -u "$BATS_TEST_TMPDIR/cid.XXXXXX")
  docker20 run --rm --runtime contxray-record --cidfile "$cid" "${opts[@]}" -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" "$@" >&2
  wait_for_file "$(run_dir "$(cat "$cid")")/report.json" 30 >&2
  cat "$cid"
}
record() { record_with -- "$@"; }

# enforce_with DOCKER_ARGS... -- ARGS...: docker26 run of busybox ARGS with profile $name enforced
enforce_with() {
  local opts=()
  while [ "$1" != -- ]; do opts+=("$1"); shift; done
  shift
  docker26 run --rm --runtime contxray --annotation contxray.mode=enforce --annotation contxray.profile="$name" \
    "${opts[@]}" -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" "$@"
}
enforce() { enforce_with -- "$@"; }

@test "argument rules by default: recorded families, personas and clone flags only; the workload runs enforced, the rest gets EPERM" {
  id=$(record sh -c "$WORKLOAD")
  r=$(run_dir "$id")/report.json
  jq '.argumentValues' "$r"
  # what the kernel saw after the runtime's filter: AF_UNIX and AF_INET, personality's query; never netlink or packet
  jq -e '.argumentValues.missed == 0' "$r"
  jq -e '.argumentValues.syscalls.socket | .filterable and ([.values[].name] | index("AF_INET") != null and index("AF_UNIX") != null)' "$r"
  jq -e '[.argumentValues.syscalls.socket.values[].name] | index("AF_NETLINK") == null and index("AF_PACKET") == null and index("AF_INET6") == null' "$r"
  jq -e '.argumentValues.syscalls.socket | ([.values[].count] | add) == .calls' "$r"
  jq -e '.argumentValues.syscalls.personality | .filterable and [.values[].name] == ["0xffffffff"]' "$r"
  # sh forks: clone without any namespace flag
  jq -e '.argumentValues.syscalls.clone | .filterable and [.values[].name] == ["none"]' "$r"
  run contxray report "$id"
  [[ "$output" == *"arguments  clone(none x"*"personality(0xffffffff x1) socket("*"AF_UNIX x"* ]]
  [[ "$output" == *"arg rules  clone only for none; personality only for 0xffffffff; socket only for AF_UNIX AF_INET"* ]]
  # the container's own profile has the rules: none of the three with any argument
  p=$STATE/$id/seccomp.json
  jq -e '[.syscalls[0].names[]] | index("socket") == null and index("personality") == null and index("clone") == null' "$p"
  jq -e '[.syscalls[] | select(.names == ["personality"]) | .args] == [[{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]]' "$p"
  jq -e '[.syscalls[] | select(.names == ["clone"]) | .args] == [[{"index": 0, "value": 2114060288, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]]' "$p"
  jq -e '[.syscalls[] | select(.names == ["socket"]) | .args[0].value] | index(1) != null and index(2) != null and index(16) == null and index(17) == null' "$p"
  run not_wider_than_docker "$id"
  echo "$output"
  [ "$status" -eq 0 ]

  run contxray profile merge --save "$name" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"argument filter: clone only for none"* ]]
  [[ "$output" == *"argument filter: personality only for 0xffffffff"* ]]
  [[ "$output" == *"argument filter: socket only for "*"AF_INET"* ]]
  mp=$PROFILES/$name/seccomp.json
  jq -e --slurpfile p "$p" '[.syscalls[] | select(.args)] == [$p[0].syscalls[] | select(.args)]' "$mp"
  jq -e '.argumentFilters.socket.filtered and .argumentFilters.socket.seenIn.AF_INET == 1' "$PROFILES/$name/coverage.json"
  # the export carries the same rules
  run contxray profile export --format kubernetes --name "$name" "$PROFILES/$name"
  echo "$output" | jq -e --slurpfile p "$mp" '[.spec.syscalls[] | select(.args)] == [$p[0].syscalls[] | select(.args) | {action, names, args}]'

  # enforced: the same workload still runs (several times: the runtime's own calls are timing dependent)
  for i in 1 2 3; do
    run enforce sh -c "$WORKLOAD && echo WORKED"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"hi"*"personality: ok"*"WORKED"* ]]
  done
  # what it never did is refused by the rules. netlink and inet6 sockets need no capability, so
  # their EPERM is the profile's; AF_PACKET would also need CAP_NET_RAW, which the recorded set lacks
  run enforce /cxprobe socket-inet socket-unix personality socket-netlink socket-packet socket-inet6 personality-linux32 \
    personality-addr-no-randomize clone-newuser
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'socket-inet: ok\nsocket-unix: ok\npersonality: ok\nsocket-netlink: EPERM\nsocket-packet: EPERM\nsocket-inet6: EPERM\npersonality-linux32: EPERM\npersonality-addr-no-randomize: EPERM\nclone-newuser: EPERM')" ]
  # unconfined, the same container may make them all (Docker's default set has NET_RAW)
  run docker26 run --rm --security-opt seccomp=unconfined -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" \
    /cxprobe socket-netlink socket-packet socket-inet6 personality-linux32 personality-addr-no-randomize
  [ "$output" = "$(printf 'socket-netlink: ok\nsocket-packet: ok\nsocket-inet6: ok\npersonality-linux32: ok\npersonality-addr-no-randomize: ok')" ]
  # --no-arg-filters: the merge allows the three with any argument, and is then wider than Docker's
  # default on clone and personality, which the check names
  run contxray profile merge --no-arg-filters -o "$BATS_TEST_TMPDIR/plain" "$id"
  [[ "$output" == *"warning: clone: allowed with any argument (argument rules off)"* ]]
  ! grep -q '"args"' "$BATS_TEST_TMPDIR/plain/seccomp.json"
  run not_wider_than_docker "$BATS_TEST_TMPDIR/plain"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"  clone: the profile allows it with any argument, Docker's default allows it only when (arg0 & 0x7e020000) == 0x0"* ]]
  [[ "$output" == *"  personality: the profile allows it with any argument"* ]]
}

@test "argument rules: a workload that creates namespaces (CAP_SYS_ADMIN) keeps exactly the ones it used and passes enforced" {
  id=$(record_with --cap-add SYS_ADMIN -- sh -c "unshare -n true && /cxprobe clone-newnet")
  r=$(run_dir "$id")/report.json
  jq '.argumentValues.syscalls.clone, .capabilities.recommended' "$r"
  jq -e '.capabilities.recommended | index("SYS_ADMIN") != null' "$r"
  jq -e '[.argumentValues.syscalls.clone.values[].name] | index("CLONE_NEWNET") != null' "$r"
  p=$STATE/$id/seccomp.json
  jq -e '[.syscalls[0].names[]] | index("unshare") != null' "$p"
  jq -e '[.syscalls[] | select(.names == ["clone"]) | .args[0].valueTwo] | sort == [0, 1073741824]' "$p"
  run not_wider_than_docker "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  contxray profile merge --save "$name" "$id"
  run enforce_with --cap-add SYS_ADMIN -- sh -c "unshare -n true && /cxprobe clone-newnet clone-newuser && echo WORKED"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'clone-newnet: ok\nclone-newuser: EPERM\nWORKED')" ]
  # without CAP_SYS_ADMIN recorded, the same calls never make it into a profile: Docker's default refuses them
  id2=$(record sh -c "unshare -n true; /cxprobe clone-newnet")
  jq -e '[.syscalls[0].names[]] | index("unshare") == null' "$STATE/$id2/seccomp.json"
  jq -e '[.syscalls[] | select(.names == ["clone"]) | .args[0].valueTwo] == [0]' "$STATE/$id2/seccomp.json"
}

@test "argument rules: merge unions the values of all recordings; a profile without them gets Docker's rule" {
  a=$(record /cxprobe socket-inet)
  b=$(record /cxprobe socket-unix socket-netlink)
  run contxray profile merge -o "$BATS_TEST_TMPDIR/m" "$a" "$b"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"argument filter: socket only for AF_INET AF_NETLINK AF_UNIX"* ]]
  jq -e '.argumentFilters.socket.seenIn == {"AF_INET": 1, "AF_NETLINK": 1, "AF_UNIX": 1}' "$BATS_TEST_TMPDIR/m/coverage.json"
  # a value seen once is kept: the merged profile runs both recordings' calls and refuses the rest
  run docker20 run --rm --security-opt seccomp="$BATS_TEST_TMPDIR/m/seccomp.json" -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" \
    /cxprobe socket-inet socket-unix socket-netlink socket-inet6
  [ "$output" = "$(printf 'socket-inet: ok\nsocket-unix: ok\nsocket-netlink: ok\nsocket-inet6: EPERM')" ]

  # diff: against A's filtered profile, B's families are drift; against the merge, nothing is
  contxray profile merge -o "$BATS_TEST_TMPDIR/a" "$a"
  run contxray diff "$BATS_TEST_TMPDIR/a" "$b"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"+ argument socket(AF_NETLINK)"*"+ argument socket(AF_UNIX)"* ]]
  run contxray diff "$BATS_TEST_TMPDIR/m" "$b"
  [ "$status" -eq 0 ]

  # a profile made without argument rules (an older contxray's, or --no-arg-filters): socket with any
  # argument as Docker's default allows it, but never clone
  old=$BATS_TEST_TMPDIR/old
  contxray profile merge --no-arg-filters -o "$old" "$b"
  run contxray profile merge -o "$BATS_TEST_TMPDIR/m2" "$a" "$old"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: socket: allowed with any argument, as Docker's default profile does ($old: the profile allows it with any argument)"* ]]
  jq -e '[.syscalls[0].names[]] | index("socket") != null' "$BATS_TEST_TMPDIR/m2/seccomp.json"
  run not_wider_than_docker "$BATS_TEST_TMPDIR/m" "$BATS_TEST_TMPDIR/m2"
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "argument rules, complain mode: a family outside the rules runs and is listed as a violation with its value" {
  a=$(record /cxprobe socket-inet)
  contxray profile merge --save "$name" "$a"
  cid=$BATS_TEST_TMPDIR/cid
  run docker26 run --rm --runtime contxray --annotation contxray.mode=complain --annotation contxray.profile="$name" \
    --cidfile "$cid" -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" /cxprobe socket-inet socket-netlink
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'socket-inet: ok\nsocket-netlink: ok')" ]
  r=$(run_dir "$(cat "$cid")")/report.json
  wait_for_file "$r" 30
  jq '.rollout' "$r"
  jq -e '.rollout.violations == {"socket(AF_NETLINK)": 1}' "$r"
  run contxray rollout status --json
  echo "$output" | jq -e --arg n "$name" '.[] | select(.profile == $n) | .safeToEnforce == false and .violations == ["socket(AF_NETLINK)"]'
}

@test "argument rules: contxray profile IMAGE stores the profile with its rules and its enforced re-run passes" {
  export DOCKER_HOST=$DOCKER20_HOST
  run contxray profile "$BUSYBOX_IMAGE" --name "$name" --duration 30 -- sh -c "${WORKLOAD%;*}"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"argument filter: socket only for "*"AF_INET"*"AF_UNIX"* ]]
  [[ "$output" == *"enforced re-run: PASS (container exit 0)"* ]]
  jq -e '[.syscalls[0].names[]] | index("socket") == null' "$PROFILES/$name/seccomp.json"
  jq -e '[.syscalls[] | select(.names == ["socket"])] | length >= 2' "$PROFILES/$name/seccomp.json"
  not_wider_than_docker "$PROFILES/$name"
}

@test "argument rules: an enforced re-run that fails only because of one names the syscall and the value it needed" {
  export DOCKER_HOST=$DOCKER20_HOST
  # the recorded run makes AF_INET sockets only (nc); from the second run (the enforced re-run, then
  # the logging run) the exercise also runs `ip link` in the container, whose netlink socket the
  # profile's socket rules refuse
  exercise_from_second_run "docker exec \"\$CONTXRAY_CONTAINER_ID\" sh -c 'nc -w 1 127.0.0.1 1 </dev/null; true' || exit 1" \
    'docker exec "$CONTXRAY_CONTAINER_ID" ip link >/dev/null || exit 1'
  run contxray profile "$BUSYBOX_IMAGE" --name "$name" --exercise "$BATS_TEST_TMPDIR/exercise" -- sleep 30
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"enforced re-run: FAIL: the exercise exited 1"* ]]
  [[ "$output" == *"syscalls the profile denies: "*"socket(AF_NETLINK)"* ]]
}
