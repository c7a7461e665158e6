#!/usr/bin/env bats
# End to end, as root: process events (exec, fork, exit) of a recorded Docker 20.10 container
# reach events.jsonl and report.json's `processes`, and a fork/exec storm is counted exactly
# (every exec is either recorded or counted as dropped by the kernel).

load helpers

STATE=/var/lib/contxray/containers

# run_recorded ARGS...: docker20 run --runtime contxray-record with a cidfile; prints the id
run_recorded() {
  local cid
  cid=$(mktemp -u "$BATS_TEST_TMPDIR/cid.XXXXXX")
  docker20 run --rm --runtime contxray-record --cidfile "$cid" "$@" >&2
  cat "$cid"
}

@test "docker 20.10: execs of cat and ls with their argv in report.json, events.jsonl and contxray report" {
  # busybox runs `ls` as an in-process applet, so it is called by path here, which busybox's sh
  # really execs; as the last command it is exec'd in place of pid 1, without a fork.
  id=$(run_recorded "$BUSYBOX_IMAGE" sh -c 'cat /etc/hostname; /bin/ls /')
  r=$(run_dir "$id")/report.json
  wait_for_file "$r" 30
  jq -e '.schema == "contxray.report/v1"' "$r"

  # the workload's pid 1 is the entrypoint exec of the registration pid (runc init before it)
  jq -e --argjson pid "$(jq .pid "$r")" '.processes.workloadInit.pid == $pid' "$r"
  jq -e '.processes.workloadInit.argv == ["sh", "-c", "cat /etc/hostname; /bin/ls /"]' "$r"
  jq -e '.processes.workloadInit.filename | endswith("/sh")' "$r"
  jq -e '[.processes.tree[] | select(.role == "init")] | length == 1' "$r"
  # runc's own set-up is not listed as the workload's
  jq -e '[.processes.execs[] | select((.runtime // false) | not)][0].argv[0] == "sh"' "$r"

  jq -e '.processes.execs | map(select(.argv == ["cat", "/etc/hostname"])) | length == 1' "$r"
  jq -e '.processes.execs | map(select(.argv == ["/bin/ls", "/"] and .filename == "/bin/ls")) | length == 1' "$r"
  jq -e '.processes.execCount >= 3 and .processes.workloadExecCount == 3' "$r"
  # the tree: cat is a child of pid 1 and ended with 0; pid 1 ended too
  jq -e '.pid as $p | .processes.tree[] | select(.argv == ["cat", "/etc/hostname"]) | .ppid == $p and .exitCode == 0 and .lifetimeMs >= 0' "$r"
  jq -e '.processes.tree[] | select(.role == "init") | .exitCode == 0 and (.children | length) == 1' "$r"
  jq -e '.pid as $p | .processes.execs | map(select(.argv == ["/bin/ls", "/"]))[0].pids == [$p]' "$r"
  jq -e '.drops.events == 0 and .drops.rotated == 0' "$r"

  ev=$(run_dir "$id")/events.jsonl
  [ -f "$ev" ]
  jq -e --arg id "$id" -s 'map(select(.type == "exec" and .argv == ["cat", "/etc/hostname"] and .container == $id)) | length == 1' "$ev"
  jq -e -s 'map(select(.type == "exec" and .argv == ["/bin/ls", "/"])) | length == 1' "$ev"
  jq -e -s 'map(select(.type == "exec")) | all(has("time") and has("pid") and has("ppid") and has("uid") and has("gid") and has("filename"))' "$ev"
  jq -e -s 'map(select(.type == "exit")) | length == 2' "$ev"

  run contxray report "$id"
  [ "$status" -eq 0 ]
  [[ "$output" == *"workload pid 1: "* ]]
  [[ "$output" == *"/proc/self/exe [cat] /etc/hostname  exit 0"* ]]
  [[ "$output" == *"[init] /bin/ls /  (2 execs)  exit 0"* ]]
}

@test "exit code and signal of the workload reach the tree" {
  run docker20 run --rm --runtime contxray-record --cidfile "$BATS_TEST_TMPDIR/cid" "$BUSYBOX_IMAGE" sh -c '/bin/sleep 30 & kill -9 $!; wait; exit 3'
  [ "$status" -eq 3 ]
  id=$(cat "$BATS_TEST_TMPDIR/cid")
  r=$(run_dir "$id")/report.json
  wait_for_file "$r" 30
  jq -e '.processes.tree[] | select(.role == "init") | .exitCode == 3' "$r"
  jq -e '[.processes.tree[] | select(.signal == 9)] | length == 1' "$r"
}

@test "fork/exec storm of 20,000 processes: execCount + dropped execs == 20,000 + the shell, exactly" {
  id=$(run_recorded "$BUSYBOX_IMAGE" sh -c 'i=0; while [ $i -lt 20000 ]; do /bin/true; i=$((i+1)); done')
  r=$(run_dir "$id")/report.json
  wait_for_file "$r" 120
  jq -c '{execCount: .processes.execCount, drops: .drops}' "$r" | sed 's/^/# /' >&3
  jq -e '.processes.execCount + .drops.eventsByType.exec == 20001' "$r"
  jq -e '.processes.execCount + .drops.events >= 20001' "$r"
  jq -e '.drops.rotated == 0' "$r"
  jq -e '.processes.execs | map(select(.filename == "/bin/true")) | .[0].count + 0 <= 20000' "$r"
  # the log holds exactly the recorded execs
  [ "$(jq -s 'map(select(.type == "exec")) | length' "$(run_dir "$id")/events.jsonl")" -eq "$(jq .processes.execCount "$r")" ]
}
