#!/usr/bin/env bats
# contxray install|uninstall docker|containerd|kubernetes on copies of real-looking configurations:
# merged, idempotent, refused when unparsable, restored exactly; the containerd result is parsed by
# real containerd 1.6 and 1.7, the kubernetes one (NRI, runc pod_annotations) by 1.7
# (`containerd config dump`). The Docker registration of the whole suite
# comes from install.sh, which calls `contxray install docker`.

load helpers

setup() {
  d=$BATS_TEST_TMPDIR
}

# twice_then_restored TARGET CONFIG ORIGINAL: a second install changes nothing, uninstall brings
# back ORIGINAL's bytes and removes the backup
twice_then_restored() {
  cp "$2" "$d/installed"
  run contxray install "$1" --config "$2"
  [[ "${lines[0]}" == *"nothing to change"* ]] || { echo "second install: $output"; return 1; }
  cmp "$d/installed" "$2" || return 1
  run contxray uninstall "$1" --config "$2"
  [ "$status" -eq 0 ] || { echo "uninstall: $output"; return 1; }
  cmp "$3" "$2" && [ ! -e "$2.contxray-backup" ]
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
  twice_then_restored docker "$d/daemon.json" "$d/original.json"
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
  twice_then_restored containerd "$d/config.toml" "$d/original.toml"
}

@test "install containerd: a version 1 config or a conflicting contxray runtime is refused and left alone" {
  printf '[plugins.cri]\n' >"$d/config.toml"
  run contxray install containerd --config "$d/config.toml"
  [ "$status" -eq 1 ]
  [[ "$output" == *"nothing changed"* ]]
  [ "$(cat "$d/config.toml")" = '[plugins.cri]' ]
}

@test "install kubernetes: containerd 1.7 parses the handler, NRI and runc pod_annotations; twice changes nothing; uninstall restores the bytes" {
  c17=$DOCKER26_PREFIX/usr/bin/containerd
  [ -x "$c17" ] || skip "containerd 1.7 not unpacked (install/docker26.sh)"
  cat >"$d/config.toml" <<'TOML'
version = 2
root = "/var/lib/containerd-cx-test"

[plugins]
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "registry.k8s.io/pause:3.9"
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "/usr/lib/cni"
      conf_dir = "/etc/cni/net.d"
  [plugins."io.containerd.internal.v1.opt"]
    path = "/var/lib/containerd/opt"
TOML
  cp "$d/config.toml" "$d/original.toml"
  run contxray install kubernetes --config "$d/config.toml"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *"added to $d/config.toml (original kept as $d/config.toml.contxray-backup); restart containerd to apply" ]]
  [[ "${lines[-1]}" == *"kubectl apply -f "*"/namespace.yaml -f "*"/runtimeclass.yaml -f "*"/daemonset.yaml" ]]
  dump_has "$c17" "$d/config.toml"
  grep -A1 '^  \[plugins."io.containerd.nri.v1.nri"\]' "$d/dump" | grep -q 'disable = false'
  grep -q 'socket_path = "/var/run/nri/nri.sock"' "$d/dump"
  grep -A6 'containerd.runtimes.runc\]' "$d/dump" | grep -q 'pod_annotations = \["contxray.\*"\]'
  grep -q 'sandbox_image = "registry.k8s.io/pause:3.9"' "$d/dump"
  twice_then_restored kubernetes "$d/config.toml" "$d/original.toml"
  [[ "${lines[0]}" == *"restored $d/config.toml"* ]]

  # `containerd config default` has NRI (disable = true) and runc tables of its own: left alone with a note each
  "$c17" config default >"$d/default.toml"
  run contxray install kubernetes --config "$d/default.toml"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *'note: this file has its own [plugins."io.containerd.nri.v1.nri"] settings (disable = true), left as they are: set disable = false there'* ]]
  [[ "$output" == *'note: this file defines [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc] itself'* ]]
  dump_has "$c17" "$d/default.toml"
}
