#!/usr/bin/env bats
# Privilege boundaries of the installed recorder, as root: it keeps only the capabilities it
# needs (in every thread), refuses clients that are not root, keeps its state private, and
# refuses to write through a symlink planted in its state directory.

load helpers



daemon_pid() { cat /run/contxray/daemon.pid; }

@test "the daemon keeps only the capabilities it needs, in every thread, and still records" {
  pid=$(daemon_pid)
  # the set install/contxray keeps (BPF 39, PERFMON 38, SYS_ADMIN 21, SYSLOG 34, SYS_PTRACE 19,
  # DAC_READ_SEARCH 2, SYS_RESOURCE 24), as far as this host's bounding set has them
  bnd=$(awk '/^CapBnd:/ { print $2 }' /proc/self/status)
  want=0
  for n in 39 38 21 34 19 2 24; do want=$(( want | (((0x$bnd >> n) & 1) << n) )); done
  threads=0
  for t in /proc/"$pid"/task/*; do
    for field in CapEff CapPrm CapBnd; do
      have=$(awk -v f="$field:" '$1 == f { print $2 }' "$t/status")
      [ $((0x$have)) = "$want" ] || { echo "$t $field $have, want $(printf %016x "$want")"; false; }
    done
    [ "$(awk '$1 == "CapInh:" { print $2 }' "$t/status")" = 0000000000000000 ]
    threads=$((threads + 1))
  done
  [ "$threads" -gt 5 ]
  # none of what a recorder has no business with: NET_ADMIN 12, SYS_MODULE 16, KILL 5, SETUID 7
  for n in 12 16 5 7; do [ $(( (want >> n) & 1 )) = 0 ]; done
  id=$(run_recorded docker20 --rm --runtime contxray-record "$BUSYBOX_IMAGE" uname)
  wait_for_file "$(report_of "$id")" 30
  [ "$(syscall_count "$(report_of "$id")" uname)" -ge 1 ]
}

@test "a client that is not root is refused on the socket in one line" {
  run setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp contxray status
  [ "$status" -ne 0 ]
  [ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
  [[ "$output" == *"Permission denied"* || "$output" == *"permission denied"* ]]
  [ "$(stat -c %a /run/contxray)" = 700 ]
  [ "$(stat -c %a /run/contxray/contxray.sock)" = 600 ]
}

@test "state is private: containers/ 0700, registration.json and mounts.json 0600; a non-root user reads no report" {
  id=$(run_recorded docker20 --rm --runtime contxray-record "$BUSYBOX_IMAGE" true)
  r=$(report_of "$id")
  wait_for_file "$r" 30
  [ "$(stat -c %a "$STATE")" = 700 ]
  [ "$(stat -c %a "$(run_dir "$id")/registration.json")" = 600 ]
  [ "$(stat -c %a "$(run_dir "$id")/mounts.json")" = 600 ]
  run setpriv --reuid=65534 --regid=65534 --clear-groups cat "$r"
  [ "$status" -ne 0 ]
}

@test "a symlink planted as a container's state directory is refused, nothing is written through it" {
  target=$BATS_TEST_TMPDIR/elsewhere
  mkdir -p "$target"
  sleep 60 & victim=$!
  id=cx-symlink-$$
  ln -s "$target" "$STATE/$id"
  run python3 - /run/contxray/contxray.sock "{\"v\":1,\"op\":\"register\",\"id\":\"$id\",\"pid\":$victim,\"bundle\":\"/nonexistent\",\"annotations\":{}}" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
print(s.makefile().readline().strip())
PY
  kill $victim
  rm -f "$STATE/$id"
  [[ "$output" == *'"ok":false'*"symlink"* ]]
  [ -z "$(ls -A "$target")" ]
}
