#!/usr/bin/env bats
# The CLI a Docker user expects, on real recordings (Docker 20.10, --runtime contxray-record):
# recordings named by short id, id prefix, name and NAME@N; `contxray ls` with its filters and -q
# piped into `profile merge`; read commands that leave the state dir unchanged on bad references;
# the generated bash completion (subcommands and recorded names) and man pages.

load helpers

setup_file() {
  recorder_setup_file
  export CLI_NAME=cx-bats-cli-$$
  local i cid
  for i in 1 2; do
    cid=$BATS_FILE_TMPDIR/cid$i
    docker20 run --rm --runtime contxray-record --name "$CLI_NAME" --cidfile "$cid" "$BUSYBOX_IMAGE" sh -c "echo run $i" >/dev/null
    wait_for_file "$STATE/$(cat "$cid")/report.json" 30
  done
  export FIRST=$(cat "$BATS_FILE_TMPDIR/cid1") SECOND=$(cat "$BATS_FILE_TMPDIR/cid2")
}

# a listing of the state tree (paths, sizes, mtimes): unchanged by a read command
tree() { find /var/lib/contxray -printf '%p %s %T@\n' | sort; }

@test "references: short id, unique prefix, name (the latest), NAME@2; the report says which" {
  run contxray report --json "${SECOND:0:12}"
  [ "$status" -eq 0 ]
  [ "$(jq -r .id <<<"$output")" = "$SECOND" ]
  run contxray report --json "$CLI_NAME"
  [ "$(jq -r .id <<<"$output")" = "$SECOND" ]
  run contxray report --json "$CLI_NAME@2"
  [ "$(jq -r .id <<<"$output")" = "$FIRST" ]
  run contxray profile --path "$CLI_NAME@2"
  [ "$output" = "$STATE/$FIRST/seccomp.json" ]
  run contxray diff "$CLI_NAME@2" "$CLI_NAME"
  echo "$output"
  [ "$status" -le 1 ]
}

@test "bad references: one line (plus the candidates), non-zero, and the state tree is unchanged" {
  before=$(tree)
  run contxray report deadbeef0000
  [ "$status" -eq 1 ]
  [[ "$output" == "contxray report: no recording of container \"deadbeef0000\" in /var/lib/contxray"* ]]
  run contxray report "$CLI_NAME@9"
  [ "$status" -eq 1 ]
  [[ "$output" == *"container $CLI_NAME has "*" recording(s), not 9"* ]]
  [[ "$output" == *"${FIRST:0:12}  $CLI_NAME  "* ]]
  run contxray report ../../etc
  [ "$status" -eq 1 ]
  run contxray profile export --format docker nosuchname
  [ "$status" -ne 0 ]
  run contxray ls --name nosuchname
  [ "$status" -eq 0 ]
  [ "$(tree)" = "$before" ]
}

@test "ls: newest first, filters, -q piped into profile merge" {
  run contxray ls --name "$CLI_NAME"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 3 ]
  [[ "${lines[1]}" == "${SECOND:0:12}  $CLI_NAME"*"done" ]]
  [[ "${lines[2]}" == "${FIRST:0:12}  $CLI_NAME"*"done" ]]
  run contxray ls --json --name "$CLI_NAME"
  [ "$(jq -r '[.[].id] | join(" ")' <<<"$output")" = "$SECOND $FIRST" ]
  contxray ls -q --name "$CLI_NAME" | xargs contxray profile merge -o "$BATS_TEST_TMPDIR/m"
  jq -e '.recordings == 2' "$BATS_TEST_TMPDIR/m/coverage.json"
  run contxray ls -q --image "$BUSYBOX_IMAGE"
  [[ "$output" == *"$SECOND"* ]]
}

@test "completion: the installed script completes subcommands and recorded names" {
  comp=/usr/share/bash-completion/completions/contxray
  [ -f "$comp" ]
  run bash -c "source $comp; COMP_WORDS=(contxray rep); COMP_CWORD=1; _complete_contxray; printf '%s\n' \"\${COMPREPLY[@]}\""
  [ "$output" = report ]
  run bash -c "source $comp; COMP_WORDS=(contxray report ${CLI_NAME:0:12}); COMP_CWORD=2; _complete_contxray; printf '%s\n' \"\${COMPREPLY[@]}\""
  echo "$output"
  [[ "$output" == *"$CLI_NAME"* ]]
  [ "$(contxray completion bash)" = "$(cat "$comp")" ]
}

@test "man pages: one per command, each renders" {
  pages=(/usr/local/share/man/man1/contxray*.1)
  [ "${#pages[@]}" -gt 15 ]
  for p in "${pages[@]}"; do
    run man -l -P cat "$p"
    [ "$status" -eq 0 ]
    [[ "$output" == *"SYNOPSIS"* ]]
  done
  MANPATH=/usr/local/share/man man -P cat contxray-ls | grep -q 'newest first'
}

@test "--help on every command exits 0 (the installed launcher)" {
  for c in "" report profile "profile merge" "profile export" "profile check" diff rollout "rollout status" ls status doctor \
    install uninstall nri completion; do
    # shellcheck disable=SC2086
    run contxray $c --help
    [ "$status" -eq 0 ] || { echo "contxray $c --help: $status"; false; }
    [[ "$output" == "Usage: contxray"* ]]
  done
}

@test "status --json: the recorder's answer as JSON" {
  run contxray status --json
  [ "$status" -eq 0 ]
  jq -e '(.method | type) == "string" and (.containers | type) == "array"' <<<"$output"
}

@test "prune: removes exactly what the settings say, never a recording in progress" {
  # a live recording of the same name: registered, no report yet
  docker20 run -d --runtime contxray-record --name "$CLI_NAME-live" --label contxray-bats=$$ "$BUSYBOX_IMAGE" sleep 60 >/dev/null
  live=$(docker20 inspect -f '{{.Id}}' "$CLI_NAME-live")
  wait_for_file "$(run_dir "$live")/registration.json" 10
  run contxray prune --keep 0 --dry-run
  echo "$output" | tail -3
  [[ "$output" != *"${live:0:12}"* ]]
  [[ "$output" == *"would remove ${FIRST:0:12}  $CLI_NAME"* ]]
  [ -d "$STATE/$FIRST" ]
  run contxray prune --name "$CLI_NAME" --keep 1
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"removed 1 recording(s)"* ]]
  [ ! -e "$STATE/$FIRST" ] && [ -d "$STATE/$SECOND" ] && [ -d "$STATE/$live" ]
  run contxray prune --older-than soon
  [ "$status" -eq 2 ]
  docker20 rm -f "$CLI_NAME-live" >/dev/null
}
