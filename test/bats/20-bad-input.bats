#!/usr/bin/env bats
# Bad input, as root against the installed contxray: every case gives one clear line, a non-zero
# exit where the caller must see it, never hangs, and loses no earlier report.

load helpers

# ask SOCKET LINE: send one raw line to a daemon socket, print the one-line answer
ask() {
  python3 - "$1" "$2" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while not buf.endswith(b"\n"):
    chunk = s.recv(4096)
    if not chunk:
        break
    buf += chunk
sys.stdout.write(buf.decode())
EOF
}

one_line() { [ "$(printf '%s\n' "$1" | wc -l)" -eq 1 ]; }

@test "hook: malformed, empty or hostile OCI state is one line and exit 1" {
  run contxray hook createRuntime <<<'{"ociVersion": "1.0.2", "id": '
  [ "$status" -eq 1 ]; one_line "$output"; [[ "$output" == *"malformed JSON"* ]]

  run contxray hook createRuntime </dev/null
  [ "$status" -eq 1 ]; one_line "$output"; [[ "$output" == *"stdin"* ]]

  run contxray hook createRuntime <<<'{"ociVersion":"1.0.2","id":"../../etc","status":"creating","pid":1,"bundle":"/x"}'
  [ "$status" -eq 1 ]; one_line "$output"; [[ "$output" == *"rejected"* ]]

  run contxray hook sideways </dev/null
  [ "$status" -eq 2 ]; one_line "$output"
}

@test "daemon: unknown protocol version, malformed request, hostile id and a gone pid get error answers" {
  sock=/run/contxray/contxray.sock
  run ask "$sock" '{"v":99,"op":"status"}'
  [[ "$output" == *'"ok":false'*"unsupported protocol version 99"* ]]
  run ask "$sock" 'not json'
  [[ "$output" == *'"ok":false'*"malformed request"* ]]
  run ask "$sock" '{"v":1,"op":"register","id":"../x","pid":1,"bundle":"/nonexistent","annotations":{}}'
  [[ "$output" == *'"ok":false'*"rejected"* ]]
  [ ! -e /var/lib/contxray/x ]
  sleep 60 & gone=$!; kill $gone; wait $gone || true
  run ask "$sock" "{\"v\":1,\"op\":\"register\",\"id\":\"cx-gone-$$\",\"pid\":$gone,\"bundle\":\"/nonexistent\",\"annotations\":{}}"
  [[ "$output" == *'"ok":false'*"process $gone is gone"* ]]
  [ ! -e "/var/lib/contxray/containers/cx-gone-$$" ]
  # still serving
  run contxray status
  [ "$status" -eq 0 ]
  [[ "$output" == "recorder up"* ]]
}

@test "hook: a daemon that accepts but never answers times out (fail open by default, fail closed if required)" {
  sock=$BATS_TEST_TMPDIR/silent.sock
  python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(8)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
' "$sock" 3>&- &
silent=$!
wait_for_file "$sock" 10
state='{"ociVersion":"1.0.2","id":"cx-silent","status":"creating","pid":1,"bundle":"/nonexistent","annotations":{"contxray.record":"true"}}'
  run env CONTXRAY_SOCKET="$sock" CONTXRAY_HOOK_TIMEOUT_MS=1500 CONTXRAY_HOOK_LOG=/dev/null timeout 20 contxray hook createRuntime <<<"$state"
  [ "$status" -eq 0 ]; one_line "$output"; [[ "$output" == *"fail-open"* ]]
  [[ "$output" == *"time"* ]]
  run env CONTXRAY_SOCKET="$sock" CONTXRAY_HOOK_TIMEOUT_MS=1500 CONTXRAY_HOOK_LOG=/dev/null timeout 20 contxray hook createRuntime <<<"${state/\"true\"/\"required\"}"
  [ "$status" -eq 1 ]; one_line "$output"; [[ "$output" == *"required"* ]]
  kill $silent
}

@test "runtime wrapper: an unparsable config.json is named in one line and the container does not start" {
  b=$BATS_TEST_TMPDIR/b
  mkdir -p "$b/rootfs"
  echo '{"annotations": {"contxray.record": "true"}, broken' >"$b/config.json"
  cp "$b/config.json" "$b/before"
  run contxray-runc --root "$BATS_TEST_TMPDIR/runc" create -b "$b" cx-broken
  [ "$status" -ne 0 ]
  [[ "${lines[0]}" == "contxray-runc: patching $b/config.json: not valid JSON"* ]]
  cmp "$b/config.json" "$b/before"   # left as it was, never half-written
}

@test "report: a container id with path characters is refused in one line" {
  run contxray report ../../etc
  [ "$status" -ne 0 ]; one_line "$output"; [[ "$output" == *"rejected"* ]]
  run contxray report "cx-never-recorded-$$"
  [ "$status" -ne 0 ]; one_line "$output"
}

@test "past the slot limit: the next container is refused in one line naming it; fail-open runs it unrecorded, required refuses it; a freed slot is used again" {
  st=$BATS_TEST_TMPDIR/state
  pins=/sys/fs/bpf/contxray-bats-slots-$$
  sock=$BATS_TEST_TMPDIR/slots.sock
  cg=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)/contxray-bats-slots-$$
  limit=$(sed -n 's/^#define CX_MAX_SLOTS \([0-9]*\).*/\1/p' "$BATS_TEST_DIRNAME/../../bpf/contxray.h")
  [ "$limit" -gt 0 ]
  mkdir -p "$st" "$cg"
  contxray daemon --socket "$sock" --state-dir "$st" --pin-dir "$pins" </dev/null >"$BATS_TEST_TMPDIR/daemon.log" 2>&1 3>&- &
  daemon=$!
  wait_for_file "$sock" 20
  # one cgroup with a sleep per slot, and one more
  pids=()
  for i in $(seq 0 "$limit"); do
    mkdir "$cg/c$i"
    ( echo "$BASHPID" >"$cg/c$i/cgroup.procs" && exec sleep 600 ) </dev/null >/dev/null 2>&1 3>&- &
    pids+=($!)
  done
  sleep 0.5
  # fill every slot
  filled=0
  for i in $(seq 0 $((limit - 1))); do
    ask "$sock" "{\"v\":1,\"op\":\"register\",\"id\":\"cx-slot-$i\",\"pid\":${pids[$i]},\"bundle\":\"/nonexistent\",\"annotations\":{}}" |
      grep -q '"ok":true' && filled=$((filled + 1))
  done
  last=${pids[$limit]}
  state="{\"ociVersion\":\"1.0.2\",\"id\":\"cx-slot-over\",\"status\":\"creating\",\"pid\":$last,\"bundle\":\"/nonexistent\",\"annotations\":{\"contxray.record\":\"true\"}}"
  run env CONTXRAY_SOCKET="$sock" CONTXRAY_HOOK_LOG=/dev/null timeout 20 contxray hook createRuntime <<<"$state"
  open_status=$status open_out=$output
  run env CONTXRAY_SOCKET="$sock" CONTXRAY_HOOK_LOG=/dev/null timeout 20 contxray hook createRuntime <<<"${state/\"true\"/\"required\"}"
  required_status=$status required_out=$output
  stop_answer=$(ask "$sock" '{"v":1,"op":"stop","id":"cx-slot-0"}')
  run env CONTXRAY_SOCKET="$sock" CONTXRAY_HOOK_LOG=/dev/null timeout 20 contxray hook createRuntime <<<"$state"
  again_status=$status
  recorded=$(ask "$sock" '{"v":1,"op":"status"}' | jq '[.containers[].id] | (length, index("cx-slot-over") != null)' | paste -sd' ')
  kill "${pids[@]}" 2>/dev/null; kill $daemon; wait $daemon || true
  for i in $(seq 0 "$limit"); do rmdir "$cg/c$i" 2>/dev/null || { sleep 0.2; rmdir "$cg/c$i"; }; done
  rmdir "$cg"; rm -rf "$pins"
  [ "$filled" = "$limit" ]
  [ "$open_status" -eq 0 ]; one_line "$open_out"
  [[ "$open_out" == *"all $limit recording slots are in use"*"fail-open"* ]]
  [ "$required_status" -eq 1 ]; one_line "$required_out"
  [[ "$required_out" == *"all $limit recording slots are in use"*"required"* ]]
  [[ "$stop_answer" == *'"ok":true'* ]]
  [ "$again_status" -eq 0 ]
  [ "$recorded" = "$limit true" ]
}

@test "a full state directory: registration is refused with ENOSPC named, earlier reports stay intact" {
  st=$BATS_TEST_TMPDIR/state
  pins=/sys/fs/bpf/contxray-bats-$$
  sock=$BATS_TEST_TMPDIR/full.sock
  mkdir -p "$st"
  mount -t tmpfs -o size=256k tmpfs "$st"
  # a record of today's layout (run 1 and the union) and one of a contxray from before runs,
  # which the daemon moves (renames only) into runs/1/ at start, as the README says
  mkdir -p "$st/containers/old/runs/1" "$st/containers/older"
  echo '{"schema":"contxray.report/v1","id":"old"}' >"$st/containers/old/runs/1/report.json"
  echo '{"schema":"contxray.report/v2","id":"old"}' >"$st/containers/old/report.json"
  echo '{"schema":"contxray.report/v1","id":"older"}' >"$st/containers/older/report.json"
  cp "$st/containers/old/runs/1/report.json" "$BATS_TEST_TMPDIR/old-run"
  cp "$st/containers/old/report.json" "$BATS_TEST_TMPDIR/old-union"
  cp "$st/containers/older/report.json" "$BATS_TEST_TMPDIR/older-report"
  dd if=/dev/zero of="$st/filler" bs=4k 2>/dev/null || true
  contxray daemon --socket "$sock" --state-dir "$st" --pin-dir "$pins" </dev/null >"$BATS_TEST_TMPDIR/daemon.log" 2>&1 3>&- &
  daemon=$!
  wait_for_file "$sock" 20
  sleep 60 & victim=$!
  run ask "$sock" "{\"v\":1,\"op\":\"register\",\"id\":\"cx-full\",\"pid\":$victim,\"bundle\":\"/nonexistent\",\"annotations\":{}}"
  intact=0
  cmp -s "$st/containers/old/runs/1/report.json" "$BATS_TEST_TMPDIR/old-run" \
    && cmp -s "$st/containers/old/report.json" "$BATS_TEST_TMPDIR/old-union" \
    && cmp -s "$st/containers/older/runs/1/report.json" "$BATS_TEST_TMPDIR/older-report" && intact=1
  leftover=$(find "$st/containers" -name '*.tmp*' | wc -l)
  kill $victim $daemon; wait $daemon || true
  umount "$st" || true
  rm -rf "$pins"
  [[ "$output" == *'"ok":false'*"No space left on device"* ]]
  one_line "$output"
  [ "$intact" = 1 ]
  [ "$leftover" = 0 ]
}
