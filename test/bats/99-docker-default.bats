#!/usr/bin/env bats
# Last in the suite: every profile the suite generated (each recorded container's seccomp.json,
# the union of its runs, with its capabilities.json, newer than test/run-all.sh's $CONTXRAY_TEST_LOGDIR/bats-start mark;
# run alone, every recording in the state dir) is compared with Docker's own default profile rule by rule, and none
# may be wider on any rule. A container that ran without Docker's default (unconfined, privileged:
# its report's cut is "none") replaced no default and is listed, not checked.

load helpers

setup_file() {
  require_root
}

@test "no profile the suite generated is wider than Docker's default on any rule" {
  local checked=() unconfined=0 dir mark=${CONTXRAY_TEST_LOGDIR:-/tmp/contxray-test}/bats-start
  for dir in /var/lib/contxray/containers/*/; do
    [ -f "$dir/seccomp.json" ] && [ -f "$dir/report.json" ] || continue
    [ ! -f "$mark" ] || [ "$dir/seccomp.json" -nt "$mark" ] || continue
    # a run recorded without a seccomp filter (runs/N/report.json; the top-level one of an older layout)
    if cat "$dir"/report.json "$dir"/runs/*/report.json 2>/dev/null | jq -e -s 'any(.[]; .recording.cut == "none")' >/dev/null; then
      unconfined=$((unconfined + 1))
      continue
    fi
    checked+=("${dir%/}")
  done
  echo "checking ${#checked[@]} recorded profiles ($unconfined recorded without a seccomp filter: not checked)" >&3
  [ "${#checked[@]}" -gt 0 ] || skip "no recording in the state dir (run after the other bats files)"
  run not_wider_than_docker "${checked[@]}"
  echo "$output" | grep -v ': not wider than' || true
  [ "$status" -eq 0 ]
}
