#!/usr/bin/env bats
# Network policies from real recordings, as root with real Docker 20.10: a recorded nginx and a
# recorded busybox client that fetches from it. `profile export --format networkpolicy` gives each
# side a NetworkPolicy naming the other, valid by the Kubernetes schemas
# (install/kubernetes/validate.sh, as bats 96 checks the other Kubernetes exports), and
# `--format network-summary` the same in plain text. No CNI here: enforcement is not tested.

load helpers

teardown() {
  [ -n "${srv:-}" ] && docker20 rm -f "$srv" >/dev/null 2>&1
  restart_recorder_if_down
}

@test "networkpolicy: nginx + client, both sides schema-valid, each allowing and naming the other; summary in text" {
  srv_name=cx-np-web-$$
  cli_name=cx-np-client-$$
  srv=$(docker20 run -d --name "$srv_name" --runtime contxray-record "$NGINX_IMAGE")
  ip=$(container_ip docker20 "$srv")
  wait_until 20 curl -fsS -o /dev/null --max-time 1 "http://$ip/"
  docker20 run --rm --name "$cli_name" --runtime contxray-record --cidfile "$BATS_TEST_TMPDIR/cid" "$BUSYBOX_IMAGE" \
    sh -c "wget -q -O /dev/null http://$ip/"
  cli=$(cat "$BATS_TEST_TMPDIR/cid")
  docker20 stop -t 5 "$srv" >/dev/null
  wait_for_file "$STATE/$cli/report.json" 30
  wait_for_file "$STATE/$srv/report.json" 30
  cli_ip=$(jq -r 'select(.type == "net" and .kind == "connect") | .localAddr' "$(run_dir "$cli")/events.jsonl" | head -1)
  [ -n "$cli_ip" ]

  d=$BATS_TEST_TMPDIR
  contxray profile export --format networkpolicy --name web --namespace shop --selector app=web "$srv" >"$d/web.json"
  contxray profile export --format networkpolicy --name client --namespace shop --selector app=client "$cli" >"$d/client.json"
  cat "$d/web.json" "$d/client.json"
  run "$CONTXRAY_ROOT/install/kubernetes/validate.sh" "$d/web.json" "$d/client.json"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = "ok    $d/web.json: NetworkPolicy shop/web" ]
  [ "${lines[1]}" = "ok    $d/client.json: NetworkPolicy shop/client" ]

  jq -e --arg c "$cli_ip/32" '.spec.podSelector.matchLabels == {app: "web"}
      and ([.spec.ingress[] | select(.ports == [{protocol: "TCP", port: 80}]) | .from[].ipBlock.cidr] | index($c))' "$d/web.json"
  jq -e --arg n "$cli_name" '.metadata.annotations["contxray.io/peers"] | contains($n)' "$d/web.json"
  jq -e --arg s "$ip/32" '[.spec.egress[] | select(.ports == [{protocol: "TCP", port: 80}]) | .to[].ipBlock.cidr] == [$s]' "$d/client.json"
  jq -e --arg n "$srv_name" '.metadata.annotations["contxray.io/peers"] | contains($n)' "$d/client.json"
  # name lookups keep working under the policy: egress to the cluster's DNS
  jq -e '.spec.egress[-1].to[0].podSelector.matchLabels == {"k8s-app": "kube-dns"}' "$d/client.json"

  run contxray profile export --format network-summary "$srv"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"inbound tcp/80 from "*"$cli_ip ($cli_name) x1"* ]]
  run contxray profile export --format network-summary "$cli"
  [[ "$output" == *"outbound tcp $ip:80 ($srv_name) x1"* ]]

  run contxray profile export --format networkpolicy "$srv"
  [ "$status" -eq 1 ]
  [[ "$output" == "contxray profile export: --format networkpolicy needs --selector"* ]]
}
