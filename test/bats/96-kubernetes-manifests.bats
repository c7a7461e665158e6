#!/usr/bin/env bats
# install/kubernetes: the manifests validate against the Kubernetes schemas
# (install/kubernetes/validate.sh: npm kubernetes-models, unknown fields refused), broken copies
# fail with a line naming the field, the containerd snippet parses with real containerd 1.7, and
# the launcher the DaemonSet copies to /opt/contxray/bin finds its jar there.

load helpers

K8S=$CONTXRAY_ROOT/install/kubernetes
VALIDATE=$K8S/validate.sh

setup() {
  d=$BATS_TEST_TMPDIR
}

@test "kubernetes manifests: every shipped file is valid, one ok line each" {
  run "$VALIDATE"
  echo "$output"
  [ "$status" -eq 0 ]
  n=$(ls "$K8S"/*.yaml | wc -l)
  [ "$n" -ge 5 ]
  [ "$(grep -c '^ok    ' <<<"$output")" -eq "$n" ]
  [[ "$output" == *"ok    daemonset.yaml: DaemonSet contxray-system/contxray"* ]]
  [[ "$output" == *"ok    runtimeclass.yaml: RuntimeClass contxray"* ]]
  [[ "$output" == *"ok    namespace.yaml: Namespace contxray-system"* ]]
}

@test "kubernetes manifests: a misspelled field (hostPid) fails with a line naming it" {
  sed 's/hostPID: true/hostPid: true/' "$K8S/daemonset.yaml" >"$d/daemonset.yaml"
  ! cmp -s "$K8S/daemonset.yaml" "$d/daemonset.yaml"
  run "$VALIDATE" "$d/daemonset.yaml" "$K8S/namespace.yaml"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 2 ]
  [ "${lines[0]}" = "FAIL  $d/daemonset.yaml: DaemonSet contxray-system/contxray: spec.template.spec.hostPid: unknown field (not in the Kubernetes schema)" ]
  [[ "${lines[1]}" == "ok    $K8S/namespace.yaml: "* ]]
}

@test "kubernetes manifests: wrong types, enums and quantities fail; every document of a file is checked" {
  sed -e 's/hostPID: true/hostPID: "yes"/' -e 's/memory: 200Mi /memory: 200 MiB /' \
    -e '0,/type: RuntimeDefault/s//type: runtimeDefault/' "$K8S/daemonset.yaml" >"$d/types.yaml"
  { cat "$K8S/namespace.yaml"; echo "---"; cat "$K8S/example-pod.yaml"; echo "---"
    printf 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n    - name: a\n      image: b\n      imagePullPolicy: Sometimes\n      ports:\n        - containerPort: "80"\n'
  } >"$d/multi.yaml"
  printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n' >"$d/syntax.yaml"
  run "$VALIDATE" "$d/types.yaml" "$d/multi.yaml" "$d/syntax.yaml"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 3 ]
  [[ "${lines[0]}" == "FAIL  $d/types.yaml: "*"spec.template.spec.hostPID: must be boolean"* ]]
  [[ "${lines[0]}" == *"spec.template.spec.containers[0].resources.limits.memory: "*'must match format "quantity"'* ]]
  [[ "${lines[0]}" == *"securityContext.seccompProfile.type: must be equal to one of the allowed values (Localhost, RuntimeDefault, Unconfined)"* ]]
  [[ "${lines[1]}" == "FAIL  $d/multi.yaml: Pod x (document 3): "* ]]
  [[ "${lines[1]}" == *"spec.containers[0].imagePullPolicy: must be equal to one of the allowed values"* ]]
  [[ "${lines[1]}" == *"spec.containers[0].ports[0].containerPort: must be integer"* ]]
  [[ "${lines[1]}" != *"document 1"* && "${lines[1]}" != *"document 2"* ]]
  [[ "${lines[2]}" == "FAIL  $d/syntax.yaml: YAML: "* ]]
}

@test "kubernetes manifests: an unknown kind and a file without any object fail" {
  printf 'apiVersion: apps/v1\nkind: DaemonSets\nmetadata: {name: x}\n' >"$d/kind.yaml"
  printf '# nothing here\n---\n' >"$d/empty.yaml"
  run "$VALIDATE" "$d/kind.yaml" "$d/empty.yaml"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "${lines[0]}" = "FAIL  $d/kind.yaml: DaemonSets x: no Kubernetes schema for apiVersion apps/v1 kind DaemonSets" ]
  [ "${lines[1]}" = "FAIL  $d/empty.yaml: no Kubernetes object in it" ]
}

@test "kubernetes: containerd-config-v2.toml is parsed by real containerd 1.7 with the handler, NRI and runc annotations" {
  c17=$DOCKER26_PREFIX/usr/bin/containerd
  [ -x "$c17" ] || skip "containerd 1.7 not unpacked (install/docker26.sh)"
  run "$c17" --config "$K8S/containerd-config-v2.toml" config dump
  [ "$status" -eq 0 ]
  grep -A1 '^  \[plugins."io.containerd.nri.v1.nri"\]' <<<"$output" | grep -q 'disable = false'
  grep -q 'socket_path = "/var/run/nri/nri.sock"' <<<"$output"
  grep -A6 'containerd.runtimes.runc\]' <<<"$output" | grep -q 'pod_annotations = \["contxray.\*"\]'
  grep -q 'BinaryName = "/usr/local/bin/contxray-runc"' <<<"$output"
}

@test "kubernetes: the launcher copied to /opt/contxray/bin runs the jar beside it (the host's OCI hook)" {
  mkdir -p "$d/opt/contxray/bin" "$d/opt/contxray/lib/contxray"
  install -m 755 "$CONTXRAY_ROOT/install/contxray" "$d/opt/contxray/bin/contxray"
  : >"$d/opt/contxray/lib/contxray/contxray.jar"
  printf '#!/bin/sh\necho "$@"\n' >"$d/java" && chmod 755 "$d/java"
  run env CONTXRAY_JAVA="$d/java" "$d/opt/contxray/bin/contxray" hook createRuntime
  [ "$status" -eq 0 ]
  [[ "$output" == *"-cp $d/opt/contxray/lib/contxray/contxray.jar io.contxray.cli.Main hook createRuntime" ]]
}

@test "profile export --format pod: the securityContext fits a Pod (container level with capabilities, pod level without), by Kubernetes' schemas" {
  local dir=$BATS_TEST_TMPDIR/prof
  mkdir -p "$dir"
  echo '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read","write"],"action":"SCMP_ACT_ALLOW"}]}' >"$dir/seccomp.json"
  run contxray profile export --format pod --name web --namespace shop "$dir"
  [ "$status" -eq 0 ]
  jq -n --argjson s "$output" '{apiVersion:"v1",kind:"Pod",metadata:{name:"web",namespace:"shop"},
    spec:($s + {containers:[{name:"web",image:"nginx"}]})}' >"$BATS_TEST_TMPDIR/pod.json"
  echo '{"schema":"contxray.capabilities/v1","method":"tracepoint","drop":["ALL"],"add":["NET_BIND_SERVICE"]}' >"$dir/capabilities.json"
  run contxray profile export --format pod --name web --namespace shop "$dir"
  [ "$status" -eq 0 ]
  [ "$(jq -c .securityContext.capabilities <<<"$output")" = '{"drop":["ALL"],"add":["NET_BIND_SERVICE"]}' ]
  jq -n --argjson s "$output" '{apiVersion:"v1",kind:"Pod",metadata:{name:"web"},spec:{containers:[({name:"web",image:"nginx"} + $s)]}}' \
    >"$BATS_TEST_TMPDIR/pod-caps.json"
  run "$CONTXRAY_ROOT/install/kubernetes/validate.sh" "$BATS_TEST_TMPDIR/pod.json" "$BATS_TEST_TMPDIR/pod-caps.json"
  [ "$status" -eq 0 ]
  [ "$(grep -c '^ok ' <<<"$output")" -eq 2 ]
  # the capability set where Kubernetes does not take it (a pod's securityContext) is refused
  jq '.spec.securityContext = .spec.containers[0].securityContext | del(.spec.containers[0].securityContext)' \
    "$BATS_TEST_TMPDIR/pod-caps.json" >"$BATS_TEST_TMPDIR/pod-caps-wrong.json"
  run "$CONTXRAY_ROOT/install/kubernetes/validate.sh" "$BATS_TEST_TMPDIR/pod-caps-wrong.json"
  [ "$status" -eq 1 ]
  [[ "$output" == *"capabilities"* ]]
}
