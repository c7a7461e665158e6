#!/usr/bin/env bats
# TCP activity of recorded containers, as root with real Docker 20.10: a Debian-built nginx and a
# busybox client, both recorded; each report has its side of the connection, aggregated.

load helpers

STATE=/var/lib/contxray/containers

teardown() {
  [ -n "${srv:-}" ] && DOCKER_HOST=$DOCKER20_HOST docker rm -f "$srv" >/dev/null 2>&1
  restart_recorder_if_down
}

@test "nginx and a client container: listening 80, inbound from the client, outbound to nginx:80, counted, both named" {
  export DOCKER_HOST=$DOCKER20_HOST
  srv_name=cx-web-$$
  cli_name=cx-client-$$
  srv=$(docker run -d --name "$srv_name" --runtime contxray-record "$NGINX_IMAGE")
  ip=$(container_ip docker "$srv")
  # ready when it answers the host (the bridge gateway's connection is inbound too, from another address)
  wait_until 10 curl -fsS -o /dev/null --max-time 1 "http://$ip/"
  docker run --rm --name "$cli_name" --runtime contxray-record --cidfile "$BATS_TEST_TMPDIR/cid" "$BUSYBOX_IMAGE" \
    sh -c "wget -q -O /dev/null http://$ip/ && wget -q -O /dev/null http://$ip/"
  cli=$(cat "$BATS_TEST_TMPDIR/cid")
  docker stop -t 5 "$srv" >/dev/null
  docker rm "$srv" >/dev/null
  wait_for_file "$STATE/$cli/report.json" 30
  wait_for_file "$STATE/$srv/report.json" 30

  c=$STATE/$cli/report.json
  s=$STATE/$srv/report.json
  jq -e --arg ip "$ip" '.network.outbound == [.network.outbound[] | select(.remote == $ip and .port == 80 and .count == 2)] and (.network.outbound | length) == 1' "$c"
  jq -e '.network.listening == [] and .network.inbound == []' "$c"
  cli_ip=$(jq -r 'select(.type == "net" and .kind == "connect") | .localAddr' "$STATE/$cli/events.jsonl" | head -1)
  [ -n "$cli_ip" ]
  jq -e '[.network.listening[] | select(.port == 80)] | length >= 1' "$s"
  jq -e --arg ip "$cli_ip" '[.network.inbound[] | select(.remote == $ip and .localPort == 80)][0].count == 2' "$s"
  jq -e '.network.outbound == []' "$s"
  jq -e '.drops.eventsByType.net == 0' "$s" "$c"
  # events carry who connected
  jq -e -s 'map(select(.type == "net" and .kind == "connect" and .comm == "wget")) | length == 2' "$STATE/$cli/events.jsonl"

  # container to container: each side names the other, as the engine called it; each report its own
  jq -e --arg n "$srv_name" --arg img "$NGINX_IMAGE" --arg id "$srv" '.network.outbound[0].peer == {"id": $id, "name": $n, "image": $img}' "$c"
  jq -e --arg n "$cli_name" --arg ip "$cli_ip" '[.network.inbound[] | select(.remote == $ip)][0].peer.name == $n' "$s"
  jq -e --arg n "$srv_name" --arg img "$NGINX_IMAGE" '.name == $n and .image == $img' "$s"
  jq -e --arg n "$cli_name" --arg img "$BUSYBOX_IMAGE" '.name == $n and .image == $img' "$c"

  run contxray report "$srv"
  [[ "$output" == *"  listen   0.0.0.0:80"* ]]
  [[ "$output" == *"  in       <- $cli_ip ($cli_name) on :80  x2"* ]]
  run contxray report "$cli"
  [[ "$output" == *"  out      -> $ip:80 ($srv_name)  x2"* ]]
}

@test "UDP and unix destinations: a DNS query to another container names it, logger's /dev/log connect keeps its errno" {
  export DOCKER_HOST=$DOCKER20_HOST
  srv_name=cx-udp-peer-$$
  srv=$(docker run -d --name "$srv_name" "$NGINX_IMAGE")
  ip=$(container_ip docker "$srv")
  docker run --rm --runtime contxray-record --cidfile "$BATS_TEST_TMPDIR/cid" "$BUSYBOX_IMAGE" \
    sh -c "nslookup -timeout=1 example.invalid $ip >/dev/null 2>&1; logger hello; true"
  id=$(cat "$BATS_TEST_TMPDIR/cid")
  wait_for_file "$STATE/$id/report.json" 30
  r=$STATE/$id/report.json
  jq -e --arg ip "$ip" --arg n "$srv_name" '[.network.datagrams[] | select(.protocol == "udp" and .remote == $ip and .port == 53)][0]
      | (.connects + .sends) >= 1 and .peer.name == $n' "$r"
  jq -e '[.network.unix[] | select(.path == "/dev/log")][0] | .connects >= 1 and .errors.ENOENT >= 1' "$r"
  jq -e '.network.outbound == [] and .drops.eventsByType.net == 0' "$r"
  jq -e -s 'map(select(.type == "net" and .kind == "unix-connect" and .path == "/dev/log" and .errno == "ENOENT"
      and .comm == "logger")) | length == 1' "$STATE/$id/events.jsonl"
  run contxray report "$id"
  [[ "$output" == *"udp      -> $ip:53 ($srv_name)"* ]]
  [[ "$output" == *"unix     -> /dev/log  connect x1  (ENOENT x1)"* ]]
}
