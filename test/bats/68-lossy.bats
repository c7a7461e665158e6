#!/usr/bin/env bats
# A lossy recording never becomes a profile silently, as root with real Docker 20.10 and the
# installed recorder: a recording made with a tiny event-log bound (CONTXRAY_EVENTS_MAX_BYTES, so
# that events are rotated away and counted) is refused by `profile merge` and `profile export`
# with the count of what was lost (exit 2), and used with --allow-lossy, marked. The kernel ring
# buffer's size is fixed (pinned), so its drops are covered by unit tests, not made here.

load helpers

teardown() {
  if [ -n "${restarted:-}" ]; then
    bash "$DAEMONCTL" stop >/dev/null 2>&1
    bash "$DAEMONCTL" start 3>&- >/dev/null
  fi
  restart_recorder_if_down
}

@test "lossy: rotated events refuse merge and export with the count; --allow-lossy merges and marks it" {
  bash "$DAEMONCTL" stop
  restarted=1
  CONTXRAY_EVENTS_MAX_BYTES=100000 bash "$DAEMONCTL" start 3>&-
  id=$(run_recorded docker20 --rm --runtime contxray-record "$BUSYBOX_IMAGE" sh -c \
    'i=0; while [ $i -lt 2000 ]; do /bin/cat /nonexistent/$i 2>/dev/null; i=$((i+1)); done')
  wait_for_file "$STATE/$id/report.json" 60
  rotated=$(jq -r .drops.rotated "$(report_of "$id")")
  [ "$rotated" -gt 1000 ]

  out=$BATS_TEST_TMPDIR/m
  run contxray profile merge -o "$out" "$id"
  echo "$output"
  [ "$status" -eq 2 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == "contxray profile merge: recording $id is lossy: $rotated event(s) rotated out of events.jsonl;"*"--allow-lossy"* ]]
  [ ! -e "$out" ]
  run contxray profile export --format apparmor "$id"
  [ "$status" -eq 2 ]
  [[ "$output" == *"$rotated event(s) rotated out of events.jsonl"* ]]

  run contxray profile merge --allow-lossy -o "$out" "$id"
  [ "$status" -eq 0 ]
  [[ "$output" == *"warning: recording $id is lossy: $rotated event(s) rotated"* ]]
  jq -e --arg id "$id" --arg n "$rotated event(s) rotated out of events.jsonl" '.lostIn[$id] == $n' "$out/lossy.json"
  [ -s "$out/seccomp.json" ]
}
