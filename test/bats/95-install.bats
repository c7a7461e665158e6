#!/usr/bin/env bats
# contxray install|uninstall docker|containerd on copies of real-looking configurations: merged,
# idempotent, refused when unparsable, restored exactly; the containerd result is parsed by real
# containerd 1.6 and 1.7 (`containerd config dump`). The Docker registration of the whole suite
# comes from install.sh, which calls `contxray install docker`.

load helpers

setup() {
  d=$BATS_TEST_TMPDIR
}

@test "install docker: other runtimes and settings kept, twice changes nothing, uninstall restores the bytes" {
  cat >"$d/daemon.json" <<'JSON'
{
  "log-level": "warn",
  "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 18446744073709551615, "Soft": 1024}},
  "runtimes": {"nvidia": {"path": "/usr/bin/nvidia-container-runtime"}}
}
JSON
  cp "$d/daemon.json" "$d/original.json"
  run contxray install docker --config "$d/daemon.json"
  [ "$status" -eq 0 ]
  [[ "$output" == *"registered in $d/daemon.json"* ]]
  jq -e '.runtimes.contxray.path == "/usr/local/bin/contxray-runc" and .runtimes["contxray-record"].path == "/usr/local/bin/contxray-record"' "$d/daemon.json"
  jq -e '.runtimes.nvidia.path == "/usr/bin/nvidia-container-runtime" and .["log-level"] == "warn"' "$d/daemon.json"
  grep -q 18446744073709551615 "$d/daemon.json"
  cmp "$d/original.json" "$d/daemon.json.contxray-backup"
  cp "$d/daemon.json" "$d/installed.json"
  run contxray install docker --config "$d/daemon.json"
  [[ "$output" == *"nothing to change"* ]]
  cmp "$d/installed.json" "$d/daemon.json"
  run contxray uninstall docker --config "$d/daemon.json"
  [ "$status" -eq 0 ]
  cmp "$d/original.json" "$d/daemon.json"
  [ ! -e "$d/daemon.json.contxray-backup" ]
}

@test "install docker: an unparsable daemon.json is refused in one line and left alone" {
  printf '{"log-level": "warn",' >"$d/daemon.json"
  run contxray install docker --config "$d/daemon.json"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == *"is not valid JSON"*"nothing changed"* ]]
  [ "$(cat "$d/daemon.json")" = '{"log-level": "warn",' ]
}

# dump_has CONTAINERD CONFIG: the config as that containerd parses it has our runtime handler
dump_has() {
  "$1" --config "$2" config dump >"$d/dump" 2>"$d/dump.err" || { cat "$d/dump.err" >&2; return 1; }
  grep -q 'BinaryName = "/usr/local/bin/contxray-runc"' "$d/dump" &&
    grep -q 'runtimes.contxray\]' "$d/dump" && grep -q 'pod_annotations = \["contxray.\*"\]' "$d/dump"
}

@test "install containerd: a handler real containerd 1.6 and 1.7 parse, twice changes nothing, uninstall restores the bytes" {
  cat >"$d/config.toml" <<'TOML'
version = 2
root = "/var/lib/containerd-cx-test"

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "registry.k8s.io/pause:3.9"
[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
  runtime_type = "io.containerd.runc.v2"
TOML
  cp "$d/config.toml" "$d/original.toml"
  run contxray install containerd --config "$d/config.toml"
  [ "$status" -eq 0 ]
  [[ "$output" == *"restart containerd"* ]]
  dump_has /usr/bin/containerd "$d/config.toml"
  grep -q 'sandbox_image = "registry.k8s.io/pause:3.9"' "$d/dump"
  if [ -x "$DOCKER26_PREFIX/usr/bin/containerd" ]; then dump_has "$DOCKER26_PREFIX/usr/bin/containerd" "$d/config.toml"; fi
  cp "$d/config.toml" "$d/installed.toml"
  run contxray install containerd --config "$d/config.toml"
  [[ "$output" == *"nothing to change"* ]]
  cmp "$d/installed.toml" "$d/config.toml"
  run contxray uninstall containerd --config "$d/config.toml"
  cmp "$d/original.toml" "$d/config.toml"
}

@test "install containerd: a version 1 config or a conflicting contxray runtime is refused and left alone" {
  printf '[plugins.cri]\n' >"$d/config.toml"
  run contxray install containerd --config "$d/config.toml"
  [ "$status" -eq 1 ]
  [[ "$output" == *"nothing changed"* ]]
  [ "$(cat "$d/config.toml")" = '[plugins.cri]' ]
}
