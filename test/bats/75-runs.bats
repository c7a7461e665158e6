#!/usr/bin/env bats
# Every run of a container kept (issue 23): each start of the same container id is recorded into
# containers/ID/runs/N/, and the top-level report.json (schema v2), seccomp.json and
# capabilities.json are the union of all runs. Real dockerd 20.10 with --runtime contxray-record.

load helpers

# the issue's container: the first run initialises (touch, mkdir), later runs only echo
FIRST_RUN_DOES_MORE='if [ -f /marker ]; then echo second; else touch /marker; mkdir /made-in-run-1; echo first; fi'

runs_on_disk() { find "$STATE/$1/runs" -mindepth 1 -maxdepth 1 -type d -regex '.*/[1-9][0-9]*' | wc -l; }

@test "docker start twice: both runs kept, and the union profile passes a fresh copy's first run enforced" {
  name=cx-runs-$$
  run docker20 run --name "$name" --runtime contxray-record "$BUSYBOX_IMAGE" sh -c "$FIRST_RUN_DOES_MORE"
  [ "$output" = first ]
  id=$(docker20 inspect -f '{{.Id}}' "$name")
  wait_for_file "$(run_dir "$id" 1)/report.json" 30
  run docker20 start -a "$name"
  [ "$output" = second ]
  wait_for_file "$(run_dir "$id" 2)/report.json" 30
  wait_until 20 jq -e '.runs.count == 2' "$STATE/$id/report.json"
  docker20 rm "$name" >/dev/null
  # run 1 is intact: its mkdir is not overwritten by run 2
  [ "$(syscall_count "$(run_dir "$id" 1)/report.json" mkdir)" -ge 1 ]
  [ "$(syscall_count "$(run_dir "$id" 2)/report.json" mkdir)" -eq 0 ]
  u=$STATE/$id/report.json
  jq -e '.schema == "contxray.report/v2" and .runs.kept == 2 and .runs.dropped == 0' "$u"
  [ "$(syscall_count "$u" mkdir)" -ge 1 ]
  jq -e '.syscalls[0].names | index("mkdir")' "$STATE/$id/seccomp.json"
  jq -e '.seenIn.syscalls.mkdir == 1 and .runs == 2' "$STATE/$id/coverage.json"
  run contxray report "$id"
  [ "$status" -eq 0 ]
  [[ "$output" == *"runs       2 recorded"* ]]
  run contxray report "$id" --run 1
  [[ "$output" == *"mkdir"* ]]

  # a fresh copy's first run, enforced with the union: passes
  run docker20 run --rm --security-opt seccomp="$STATE/$id/seccomp.json" "$BUSYBOX_IMAGE" sh -c "$FIRST_RUN_DOES_MORE"
  [ "$status" -eq 0 ]
  [ "$output" = first ]
  # control: run 2's profile alone (what the directory held before runs) breaks that first run
  run docker20 run --rm --security-opt seccomp="$(run_dir "$id" 2)/seccomp.json" "$BUSYBOX_IMAGE" sh -c "$FIRST_RUN_DOES_MORE"
  [ "$status" -ne 0 ]
}

@test "docker restart and --restart on-failure:3 failing three times: one run per start" {
  name=cx-restart-$$
  docker20 run -d --name "$name" --runtime contxray-record "$BUSYBOX_IMAGE" sleep 30 >/dev/null
  id=$(docker20 inspect -f '{{.Id}}' "$name")
  wait_until 20 test -e "$(run_dir "$id" 1)/registration.json"
  docker20 restart -t 1 "$name" >/dev/null
  wait_until 20 test -e "$(run_dir "$id" 2)/registration.json"
  docker20 rm -f "$name" >/dev/null
  wait_until 30 jq -e '.runs.count == 2' "$STATE/$id/report.json"
  [ "$(runs_on_disk "$id")" -eq 2 ]

  failing=cx-onfail-$$
  docker20 run -d --name "$failing" --restart on-failure:3 --runtime contxray-record "$BUSYBOX_IMAGE" sh -c 'uname; exit 3' >/dev/null
  fid=$(docker20 inspect -f '{{.Id}}' "$failing")
  # the first start and three restarts
  wait_until 60 jq -e '.runs.count == 4' "$STATE/$fid/report.json"
  [ "$(docker20 inspect -f '{{.RestartCount}}' "$failing")" -eq 3 ]
  docker20 rm -f "$failing" >/dev/null
  [ "$(runs_on_disk "$fid")" -eq 4 ]
  for n in 1 2 3 4; do
    [ "$(syscall_count "$(run_dir "$fid" "$n")/report.json" uname)" -ge 1 ]
  done
}

@test "the recorder SIGKILLed in the middle of a second run: both runs complete after its restart" {
  name=cx-runs-kill-$$
  docker20 run --name "$name" --runtime contxray-record "$BUSYBOX_IMAGE" \
    sh -c 'uname >/dev/null; [ -e /ran ] || { touch /ran; exit 0; }; while [ ! -e /tmp/go ]; do sleep 0.1; done; sync' >/dev/null
  id=$(docker20 inspect -f '{{.Id}}' "$name")
  wait_for_file "$(run_dir "$id" 1)/report.json" 30
  docker20 start "$name" >/dev/null
  wait_until 20 test -e "$(run_dir "$id" 2)/registration.json"
  sleep 0.5
  bash "$DAEMONCTL" kill
  docker20 exec "$name" touch /tmp/go
  [ "$(docker20 wait "$name")" = 0 ]
  docker20 rm "$name" >/dev/null
  [ ! -e "$(run_dir "$id" 2)/report.json" ]
  bash "$DAEMONCTL" start 3>&-
  r2=$(run_dir "$id" 2)/report.json
  wait_for_file "$r2" 30
  jq -e '.recording.recoveredAfterRestart == true' "$r2"
  [ "$(syscall_count "$r2" sync)" -ge 1 ]
  jq -e '.recording.recoveredAfterRestart == false' "$(run_dir "$id" 1)/report.json"
  wait_until 20 jq -e '.runs.count == 2 and .runs.kept == 2' "$STATE/$id/report.json"
  [ "$(syscall_count "$STATE/$id/report.json" uname)" -ge 2 ]
}

@test "a container restarted 200 times stays within the retention bound (runs on disk, recorder RSS)" {
  daemon=$(cat /run/contxray/daemon.pid)
  kept=$(tr '\0' '\n' <"/proc/$daemon/environ" | sed -n 's/^CONTXRAY_RUNS_KEPT=//p')
  kept=${kept:-10}
  name=cx-loop-$$
  docker20 create --name "$name" --runtime contxray-record "$BUSYBOX_IMAGE" sh -c 'uname >/dev/null' >/dev/null
  id=$(docker20 inspect -f '{{.Id}}' "$name")
  rss() { awk '/VmRSS/ {print $2 " kB"}' "/proc/$daemon/status"; }
  echo "# recorder RSS before: $(rss)" >&3
  for i in $(seq 1 200); do
    docker20 start -a "$name" >/dev/null
  done
  docker20 rm "$name" >/dev/null
  wait_until 60 jq -e '.runs.count == 200' "$STATE/$id/report.json"
  on_disk=$(runs_on_disk "$id")
  echo "# 200 runs: $on_disk run directories on disk (bound $kept), $(du -sk "$STATE/$id" | cut -f1) kB; recorder RSS after: $(rss)" >&3
  [ "$on_disk" -le "$kept" ]
  jq -e --argjson k "$kept" '.runs.kept == $k and .runs.dropped == 200 - $k' "$STATE/$id/report.json"
  [ "$(syscall_count "$STATE/$id/report.json" uname)" -ge 200 ]
  jq -e '.seenIn.syscalls.uname == 200' "$STATE/$id/coverage.json"
}
