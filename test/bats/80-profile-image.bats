#!/usr/bin/env bats
# `contxray profile IMAGE`, as root with real Docker 20.10 and a Debian-built nginx image: record
# runs driven by HTTP requests, store the merged profile, re-run it enforced and report PASS; a
# profile that cannot work makes it say FAIL with the syscalls it denies. Every stored profile is
# compared with Docker's default rule by rule, and inside each workload's enforced profile the
# escapes Docker's default refuses (a user namespace, ADDR_NO_RANDOMIZE, a raw packet socket even
# with CAP_NET_RAW) are refused too.

load helpers

PROFILES=/var/lib/contxray/profiles
EXERCISE=$CONTXRAY_ROOT/test/exercise/nginx-http.sh

setup_file() {
  setup_file_with_probe
}

setup() {
  export DOCKER_HOST=$DOCKER20_HOST
  name=cx-bats-img-$BATS_TEST_NUMBER-$$
}

teardown() {
  rm -rf "${PROFILES:?}/$name"
  restart_recorder_if_down
}

# profile_passes WHAT IMAGE EXERCISE RUNS DURATION: contxray profile of IMAGE stored as $name,
# its enforced re-run PASS, its size (printed) between 20 and 150 allowed syscalls
profile_passes() {
  local what=$1 image=$2 exercise=$3 runs=$4 duration=$5 n
  run contxray profile "$image" --name "$name" --runs "$runs" --exercise "$exercise" --duration "$duration"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"profile $name: "*" syscalls allowed, from $runs recorded run(s)"* ]]
  [[ "$output" == *"enforced re-run: PASS (exercise exit 0, container still running when stopped)"* ]]
  n=$(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | unique | length' "$PROFILES/$name/seccomp.json")
  echo "$what profile: $n syscalls allowed" >&3
  [ "$n" -gt 20 ] && [ "$n" -lt 150 ]
  not_wider_than_docker "$PROFILES/$name"
  refuses_escapes "$image"
}

# refuses_escapes IMAGE: under profile $name (and Docker's default capabilities plus NET_RAW), the
# probe gets EPERM for clone(CLONE_NEWUSER), personality(ADDR_NO_RANDOMIZE), socket(AF_PACKET, SOCK_RAW)
refuses_escapes() {
  run docker run --rm --security-opt seccomp="$PROFILES/$name/seccomp.json" --cap-add NET_RAW \
    -v "$PROBE:/cxprobe:ro" --entrypoint /cxprobe "$1" clone-newuser personality-addr-no-randomize socket-packet-raw
  echo "$output"
  [ "$output" = "$(printf 'clone-newuser: EPERM\npersonality-addr-no-randomize: EPERM\nsocket-packet-raw: EPERM')" ]
}

@test "nginx driven by HTTP: 2 recorded runs, stored profile far below Docker's, enforced re-run PASS" {
  profile_passes nginx "$NGINX_IMAGE" "$EXERCISE" 2 60
  jq -e '.recordings == 2' "$PROFILES/$name/coverage.json"
  # nginx's own calls are in it; nothing it never needs
  jq -e '[.syscalls[0].names[]] | index("accept4") != null and index("epoll_wait") != null' "$PROFILES/$name/seccomp.json"
  jq -e '[.syscalls[0].names[]] | index("mount") == null and index("ptrace") == null and index("unshare") == null' "$PROFILES/$name/seccomp.json"
  # no container left behind
  [ -z "$(docker ps -aq --filter label=contxray.profile-run="$name")" ]
}

@test "nginx capabilities: the smallest set found by removal, validated; with exactly it nginx serves, without SETUID it does not" {
  run contxray profile "$NGINX_IMAGE" --name "$name" --exercise "$EXERCISE" --duration 30 --capabilities
  echo "$output" | grep -v '^curl'
  [ "$status" -eq 0 ]
  caps=$PROFILES/$name/capabilities.json
  jq -e '.schema == "contxray.capabilities/v1" and (.method | startswith("validated by removal"))' "$caps"
  # nginx's master changes to the www-data user for its workers
  jq -e '(.add | index("SETUID")) != null and (.add | index("SETGID")) != null' "$caps"
  jq -e '(.add | index("NET_RAW")) == null and (.add | index("MKNOD")) == null and (.add | index("SYS_CHROOT")) == null' "$caps"
  [[ "$output" == *"capabilities: "*" (validated)"* ]]
  echo "nginx capabilities: $(jq -r '.dockerFlags' "$caps")" >&3

  # deployed by hand exactly as printed: serves; the same without SETUID: does not
  read -r -a flags <<<"$(jq -r '.dockerFlags' "$caps")"
  cid=$(docker run -d --security-opt seccomp="$PROFILES/$name/seccomp.json" "${flags[@]}" "$NGINX_IMAGE")
  ip=$(container_ip docker "$cid")
  wait_until 10 curl -fsS -o /dev/null --max-time 1 "http://$ip/"
  docker rm -f "$cid" >/dev/null
  read -r -a fewer <<<"$(jq -r '.dockerFlags | sub(" --cap-add SETUID"; "")' "$caps")"
  cid=$(docker run -d --security-opt seccomp="$PROFILES/$name/seccomp.json" "${fewer[@]}" "$NGINX_IMAGE")
  ip=$(container_ip docker "$cid")
  ! wait_until 5 curl -fsS -o /dev/null --max-time 1 "http://$ip/"
  docker rm -f "$cid" >/dev/null
}

@test "redis driven by redis-benchmark: stored profile, enforced re-run PASS" {
  profile_passes redis "$REDIS_IMAGE" "$CONTXRAY_ROOT/test/exercise/redis-benchmark.sh" 1 120
}

@test "python3 -m http.server driven by HTTP: stored profile, enforced re-run PASS" {
  profile_passes "python http.server" "$PYTHON_IMAGE" "$CONTXRAY_ROOT/test/exercise/python-http.sh" 1 120
}

@test "a workload that does more when enforced than when recorded: FAIL, with the denied syscalls" {
  # the exercise counts its runs: the recorded run only waits; from the second (the enforced
  # re-run, then the logging run) it also has the container make mkdir(2) through docker exec,
  # which runs under the container's seccomp profile
  counter=$BATS_TEST_TMPDIR/runs
  exercise_from_second_run 'sleep 0.5' 'docker exec "$CONTXRAY_CONTAINER_ID" mkdir /tmp/cx || exit 1'
  run contxray profile "$BUSYBOX_IMAGE" --name "$name" --exercise "$BATS_TEST_TMPDIR/exercise" -- sleep 30
  echo "$output"
  [ "$status" -eq 1 ]
  [[ "$output" == *"enforced re-run: FAIL: the exercise exited 1"* ]]
  [[ "$output" == *"syscalls the profile denies: "*"mkdir"* ]]
  [ "$(cat "$counter")" = 3 ]
}

@test "profile IMAGE: bad input is one clear line" {
  run contxray profile "$BUSYBOX_IMAGE" --exercise /nonexistent/script
  [ "$status" -eq 2 ]
  [[ "$output" == *"exercise /nonexistent/script is not an executable file"* ]]
  run contxray profile contxray-test/no-such-image:1 --name "$name"
  [ "$status" -eq 2 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == "contxray profile contxray-test/no-such-image:1: recorded run 1: docker run -d failed: "* ]]
  run contxray profile "$BUSYBOX_IMAGE" --name ../x
  [ "$status" -eq 2 ]
  [[ "$output" == *"rejected"* ]]
}
