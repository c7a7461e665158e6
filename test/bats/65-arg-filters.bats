#!/usr/bin/env bats
# Argument filters (off by default), as root with real Docker: the kernel records the families of
# socket(2) and the values of personality(2) a container uses, `--arg-filters` turns them into one
# rule per value, and an enforced container then gets EPERM for a family or persona it never used
# while its own workload still runs. Recorded with Docker 20.10 (--runtime contxray-record),
# enforced with Docker 26 (--annotation contxray.mode=enforce).

load helpers

STATE=/var/lib/contxray/containers
PROFILES=/var/lib/contxray/profiles

# AF_INET: busybox httpd and an HTTP request with nc on 127.0.0.1 (nc always polls; wget polls only
# when the body is late, so one recording may lack it); AF_UNIX: busybox logger (syslog's socket,
# even without /dev/log); personality(0xffffffff), which only asks: the probe
REQUEST="printf 'GET /index.html HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 8080 | tail -1"
WORKLOAD="echo hi >/tmp/index.html && httpd -p 127.0.0.1:8080 -h /tmp && $REQUEST && logger arg-filters; /cxprobe personality"

setup_file() {
  require_root
  ensure_engines
  require_installed_recorder
  export PROBE=$BATS_FILE_TMPDIR/cxprobe
  gcc -static -O2 -o "$PROBE" "$CONTXRAY_ROOT/test/probes/cxprobe.c"
}

setup() {
  name=cx-bats-args-$BATS_TEST_NUMBER-$$
}

teardown() {
  rm -rf "${PROFILES:?}/$name"
  restart_recorder_if_down
}

# record ARGS...: docker20 run --runtime contxray-record of busybox ARGS with the probe at /cxprobe;
# prints the container id once its report is written
record() {
  local cid
  cid=$(mktemp -u "$BATS_TEST_TMPDIR/cid.XXXXXX")
  docker20 run --rm --runtime contxray-record --cidfile "$cid" -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" "$@" >&2
  wait_for_file "$(run_dir "$(cat "$cid")")/report.json" 30 >&2
  cat "$cid"
}

# enforce ARGS...: docker26 run of busybox ARGS with profile $name enforced
enforce() {
  docker26 run --rm --runtime contxray --annotation contxray.mode=enforce --annotation contxray.profile="$name" \
    -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" "$@"
}

@test "arg filters: recorded families and personas only; the workload runs enforced, netlink/packet/inet6 sockets and another persona get EPERM" {
  id=$(record sh -c "$WORKLOAD")
  r=$(run_dir "$id")/report.json
  jq '.argumentValues' "$r"
  # what the kernel saw after the runtime's filter: AF_UNIX and AF_INET, personality's query; never netlink or packet
  jq -e '.argumentValues.missed == 0' "$r"
  jq -e '.argumentValues.syscalls.socket | .filterable and ([.values[].name] | index("AF_INET") != null and index("AF_UNIX") != null)' "$r"
  jq -e '[.argumentValues.syscalls.socket.values[].name] | index("AF_NETLINK") == null and index("AF_PACKET") == null and index("AF_INET6") == null' "$r"
  jq -e '.argumentValues.syscalls.socket | ([.values[].count] | add) == .calls' "$r"
  jq -e '.argumentValues.syscalls.personality | .filterable and [.values[].name] == ["0xffffffff"]' "$r"
  run contxray report "$id"
  [[ "$output" == *"arguments  personality(0xffffffff x1) socket("*"AF_UNIX x"* ]]
  # the container's own profile is what it always was: socket and personality with any argument
  jq -e '[.syscalls[0].names[]] | index("socket") != null and index("personality") != null' "$(run_dir "$id")/seccomp.json"
  ! grep -q '"args"' "$(run_dir "$id")/seccomp.json"

  run contxray profile merge --arg-filters --save "$name" "$id"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"argument filter: personality only for 0xffffffff"* ]]
  [[ "$output" == *"argument filter: socket only for "*"AF_INET"* ]]
  p=$PROFILES/$name/seccomp.json
  jq -e '[.syscalls[0].names[]] | index("socket") == null and index("personality") == null' "$p"
  jq -e '[.syscalls[] | select(.names == ["personality"]) | .args] == [[{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]]' "$p"
  jq -e '[.syscalls[] | select(.names == ["socket"]) | .args[0].value] | index(1) != null and index(2) != null and index(16) == null and index(17) == null' "$p"
  jq -e '.argumentFilters.socket.filtered and .argumentFilters.socket.seenIn.AF_INET == 1' "$PROFILES/$name/coverage.json"
  # the export carries the same rules
  run contxray profile export --format kubernetes --name "$name" "$PROFILES/$name"
  echo "$output" | jq -e --slurpfile p "$p" '[.spec.syscalls[] | select(.args)] == [$p[0].syscalls[] | select(.args) | {action, names, args}]'

  # enforced: the same workload still runs (several times: the runtime's own calls are timing dependent)
  for i in 1 2 3; do
    run enforce sh -c "$WORKLOAD && echo WORKED"
    echo "$output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"hi"*"personality: ok"*"WORKED"* ]]
  done
  # what it never did is refused by the filters. netlink and inet6 sockets need no capability, so
  # their EPERM is the profile's; AF_PACKET would also need CAP_NET_RAW, which the recorded set lacks
  run enforce /cxprobe socket-inet socket-unix personality socket-netlink socket-packet socket-inet6 personality-linux32
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "$(printf 'socket-inet: ok\nsocket-unix: ok\npersonality: ok\nsocket-netlink: EPERM\nsocket-packet: EPERM\nsocket-inet6: EPERM\npersonality-linux32: EPERM')" ]
  # unconfined, the same container may make them all (Docker's default set has NET_RAW)
  run docker26 run --rm --security-opt seccomp=unconfined -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" \
    /cxprobe socket-netlink socket-packet socket-inet6 personality-linux32
  [ "$output" = "$(printf 'socket-netlink: ok\nsocket-packet: ok\nsocket-inet6: ok\npersonality-linux32: ok')" ]
  # without --arg-filters the merge of the same recording allows socket and personality with any argument
  contxray profile merge -o "$BATS_TEST_TMPDIR/plain" "$id"
  ! grep -q '"args"' "$BATS_TEST_TMPDIR/plain/seccomp.json"
}

@test "arg filters: merge unions the values of all recordings; a recording without them leaves the syscall unfiltered" {
  a=$(record /cxprobe socket-inet)
  b=$(record /cxprobe socket-unix socket-netlink)
  run contxray profile merge --arg-filters -o "$BATS_TEST_TMPDIR/m" "$a" "$b"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"argument filter: socket only for AF_INET AF_NETLINK AF_UNIX"* ]]
  jq -e '.argumentFilters.socket.seenIn == {"AF_INET": 1, "AF_NETLINK": 1, "AF_UNIX": 1}' "$BATS_TEST_TMPDIR/m/coverage.json"
  # a value seen once is kept: the merged profile runs both recordings' calls and refuses the rest
  run docker20 run --rm --security-opt seccomp="$BATS_TEST_TMPDIR/m/seccomp.json" -v "$PROBE:/cxprobe:ro" "$BUSYBOX_IMAGE" \
    /cxprobe socket-inet socket-unix socket-netlink socket-inet6
  [ "$output" = "$(printf 'socket-inet: ok\nsocket-unix: ok\nsocket-netlink: ok\nsocket-inet6: EPERM')" ]

  # diff: against A's filtered profile, B's families are drift; against the merge, nothing is
  contxray profile merge --arg-filters -o "$BATS_TEST_TMPDIR/a" "$a"
  run contxray diff "$BATS_TEST_TMPDIR/a" "$b"
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"+ argument socket(AF_NETLINK)"*"+ argument socket(AF_UNIX)"* ]]
  run contxray diff "$BATS_TEST_TMPDIR/m" "$b"
  [ "$status" -eq 0 ]

  # a recording made before argument values were kept (its report has no argumentValues)
  old=$BATS_TEST_TMPDIR/old
  mkdir -p "$old"
  cp "$(run_dir "$b")/seccomp.json" "$old/"
  jq 'del(.argumentValues)' "$(run_dir "$b")/report.json" >"$old/report.json"
  run contxray profile merge --arg-filters -o "$BATS_TEST_TMPDIR/m2" "$a" "$old"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: socket: allowed with any argument ($old: its recording has no argument values"* ]]
  jq -e '[.syscalls[0].names[]] | index("socket") != null' "$BATS_TEST_TMPDIR/m2/seccomp.json"
  ! grep -q '"args"' "$BATS_TEST_TMPDIR/m2/seccomp.json"
}

@test "arg filters, complain mode: a family outside the filters runs and is listed as a violation with its value" {
  a=$(record /cxprobe socket-inet)
  contxray profile merge --arg-filters --save "$name" "$a"
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

@test "arg filters: contxray profile IMAGE --arg-filters stores the filtered profile and its enforced re-run passes" {
  export DOCKER_HOST=$DOCKER20_HOST
  run contxray profile "$BUSYBOX_IMAGE" --arg-filters --name "$name" --duration 30 -- sh -c "${WORKLOAD%;*}"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"argument filter: socket only for "*"AF_INET"*"AF_UNIX"* ]]
  [[ "$output" == *"enforced re-run: PASS (container exit 0)"* ]]
  jq -e '[.syscalls[0].names[]] | index("socket") == null' "$PROFILES/$name/seccomp.json"
  jq -e '[.syscalls[] | select(.names == ["socket"])] | length >= 2' "$PROFILES/$name/seccomp.json"
}
