#!/usr/bin/env bats
# Smoke tests of the test infrastructure itself: both Docker engines run, the local images work,
# and the engine facts contxray relies on hold (annotations reach config.json on Docker 26,
# runtimes registered in daemon.json are called, container cgroup paths).

load helpers

setup_file() {
  require_root
  ensure_engines
}

teardown() {
  local e
  for e in docker20 docker26; do
    "$e" rm -f cxsmoke-server cxsmoke-sleep >/dev/null 2>&1 || true
  done
  if [ -n "${SAVED_DAEMON_JSON:-}" ]; then
    cp "$SAVED_DAEMON_JSON" "$DOCKERD20_CONFIG"
    rm -f "$SAVED_DAEMON_JSON"
    docker_reload dockerd20 || true
    docker_reload dockerd26 || true
  fi
  rm -rf "${WRAPPER_DIR:-/nonexistent}"
}

@test "dockerd 20.10 answers on $DOCKER20_SOCK" {
  run docker20 version --format '{{.Server.Version}}'
  [ "$status" -eq 0 ]
  [[ "$output" == 20.10.* ]]
}

@test "dockerd 26 answers on $DOCKER26_SOCK, backed by containerd 1.7" {
  run docker26 version --format '{{.Server.Version}}'
  [ "$status" -eq 0 ]
  [[ "$output" == 26.* ]]
  run "$DOCKER26_PREFIX/usr/bin/ctr" --address "$CONTAINERD17_SOCK" version
  [ "$status" -eq 0 ]
  [[ "$output" == *"Version:  1.7"* ]]
}

@test "busybox container says hi on docker 20.10" {
  run docker20 run --rm "$BUSYBOX_IMAGE" echo hi
  [ "$status" -eq 0 ]
  [ "$output" = hi ]
}

@test "busybox container says hi on docker 26" {
  run docker26 run --rm "$BUSYBOX_IMAGE" echo hi
  [ "$status" -eq 0 ]
  [ "$output" = hi ]
}

@test "firstsyscall binary makes getcpu first, then exits 0" {
  local bin
  bin=$(firstsyscall_binary)
  run strace -qq -e 'trace=!execve' "$bin"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == getcpu\(* ]]
  [[ "${lines[1]}" == exit_group\(0\)* ]]
}

@test "firstsyscall image runs and exits 0 on both engines" {
  run docker20 run --rm "$FIRSTSYSCALL_IMAGE"
  [ "$status" -eq 0 ]
  run docker26 run --rm "$FIRSTSYSCALL_IMAGE"
  [ "$status" -eq 0 ]
}

@test "docker 26 --annotation reaches the OCI config.json" {
  docker26 run -d --name cxsmoke-sleep --annotation contxray.test=smoke "$BUSYBOX_IMAGE" sleep 60
  local cfg
  cfg=$(bundle_config dockerd26 cxsmoke-sleep)
  [ -f "$cfg" ]
  run jq -r '.annotations["contxray.test"]' "$cfg"
  [ "$output" = smoke ]
  # Docker's own hooks entry is there (the product appends to it)
  run jq -r '.hooks | keys | join(",")' "$cfg"
  [[ "$output" == *prestart* ]]
}

@test "container cgroup is /docker/<id> in cgroup v2 on both engines" {
  local e id pid
  for e in docker20 docker26; do
    id=$("$e" run -d --name cxsmoke-sleep "$BUSYBOX_IMAGE" sleep 60)
    pid=$(container_pid "$e" "$id")
    grep -qx "0::/docker/$id" "/proc/$pid/cgroup"
    "$e" rm -f cxsmoke-sleep >/dev/null
  done
}

@test "a container reaches another container's bridge address (both engines)" {
  local e ip
  for e in docker20 docker26; do
    "$e" run -d --name cxsmoke-server "$NGINX_IMAGE" >/dev/null
    ip=$(container_ip "$e" cxsmoke-server)
    [ -n "$ip" ]
    # busybox-static's wget crashes on nginx's reply: speak HTTP with nc
    wait_until 10 "$e" run --rm "$BUSYBOX_IMAGE" sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 $ip 80 | grep -q '^HTTP/1.1 200'"
    run "$e" run --rm "$NGINX_IMAGE" curl -s -m 5 -o /dev/null -w '%{http_code}' "http://$ip/"
    [ "$output" = 200 ]
    "$e" rm -f cxsmoke-server >/dev/null
  done
}

@test "a runtime registered in daemon.json is called with the bundle (both engines, after SIGHUP)" {
  [ "$DOCKERD20_CONFIG" = "$DOCKERD26_CONFIG" ] || skip "engines use different daemon.json files"
  WRAPPER_DIR=$(mktemp -d /tmp/contxray-smoke.XXXXXX)
  SAVED_DAEMON_JSON=$WRAPPER_DIR/daemon.json.saved
  cp "$DOCKERD20_CONFIG" "$SAVED_DAEMON_JSON"
  cat >"$WRAPPER_DIR/runtime" <<WRAPPER
#!/bin/sh
# copies the bundle's config.json on create, then becomes runc
prev=
for a in "\$@"; do
  case "\$prev" in --bundle|-b) cp "\$a/config.json" "$WRAPPER_DIR/config.json" ;; esac
  prev=\$a
done
exec /usr/sbin/runc "\$@"
WRAPPER
  chmod 755 "$WRAPPER_DIR/runtime"
  jq --arg p "$WRAPPER_DIR/runtime" '.runtimes = ((.runtimes // {}) + {"cxsmoke": {"path": $p}})' \
    "$SAVED_DAEMON_JSON" >"$DOCKERD20_CONFIG"
  docker_reload dockerd20
  docker_reload dockerd26
  # dockerd reloads asynchronously
  wait_until 10 sh -c "DOCKER_HOST=$DOCKER20_HOST $DOCKER_CLI info --format '{{json .Runtimes}}' | grep -q cxsmoke"
  wait_until 10 sh -c "DOCKER_HOST=$DOCKER26_HOST $DOCKER_CLI info --format '{{json .Runtimes}}' | grep -q cxsmoke"

  run docker20 run --rm --runtime cxsmoke "$BUSYBOX_IMAGE" echo wrapped20
  [ "$status" -eq 0 ]
  [ "$output" = wrapped20 ]
  run jq -r '.process.args | join(" ")' "$WRAPPER_DIR/config.json"
  [ "$output" = "echo wrapped20" ]

  rm -f "$WRAPPER_DIR/config.json"
  run docker26 run --rm --runtime cxsmoke --annotation contxray.test=wrapped "$BUSYBOX_IMAGE" echo wrapped26
  [ "$status" -eq 0 ]
  [ "$output" = wrapped26 ]
  run jq -r '.annotations["contxray.test"]' "$WRAPPER_DIR/config.json"
  [ "$output" = wrapped ]
}
