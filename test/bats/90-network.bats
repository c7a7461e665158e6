#!/usr/bin/env bats
# TCP activity of recorded containers, as root with real Docker 20.10: a Debian-built nginx and a
# busybox client, both recorded; each report has its side of the connection, aggregated, and the
# peer named by who held its address when the connection was made (the recorder's address history,
# fed by the engine's events and by its own registrations), even after it is gone.

load helpers

STATE=/var/lib/contxray/containers

teardown() {
  local c
  for c in ${srv:-} ${cleanup:-}; do
    DOCKER_HOST=$DOCKER20_HOST docker rm -f "$c" >/dev/null 2>&1 || true
  done
  [ -n "${net:-}" ] && DOCKER_HOST=$DOCKER20_HOST docker network rm "$net" >/dev/null 2>&1
  [ -n "${netns:-}" ] && ip netns delete "$netns" 2>/dev/null
  [ -n "${ctr_ids:-}" ] && for c in $ctr_ids; do
    ctr --address "$CONTAINERD_SOCK" -n contxray-test task delete -f "$c" >/dev/null 2>&1
    ctr --address "$CONTAINERD_SOCK" -n contxray-test containers delete "$c" >/dev/null 2>&1
  done
  restart_recorder_if_down
}

# recorded_nginx NAME [DOCKER ARGS...]: a recorded nginx, answering; sets srv (id) and ip
recorded_nginx() {
  local name=$1
  shift
  srv=$(docker run -d --name "$name" --runtime contxray-record "$@" "$NGINX_IMAGE")
  ip=$(container_ip docker "$srv")
  wait_until 10 curl -fsS -o /dev/null --max-time 1 "http://$ip/"
}

# stopped_report ID: stops and removes a container, then the path of its report once written
stopped_report() {
  docker stop -t 5 "$1" >/dev/null
  docker rm "$1" >/dev/null
  wait_for_file "$(run_dir "$1")/report.json" 30
  echo "$(run_dir "$1")/report.json"
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
  wait_for_file "$(run_dir "$cli")/report.json" 30
  wait_for_file "$(run_dir "$srv")/report.json" 30

  c=$(run_dir "$cli")/report.json
  s=$(run_dir "$srv")/report.json
  jq -e --arg ip "$ip" '.network.outbound == [.network.outbound[] | select(.remote == $ip and .port == 80 and .count == 2)] and (.network.outbound | length) == 1' "$c"
  jq -e '.network.listening == [] and .network.inbound == []' "$c"
  cli_ip=$(jq -r 'select(.type == "net" and .kind == "connect") | .localAddr' "$(run_dir "$cli")/events.jsonl" | head -1)
  [ -n "$cli_ip" ]
  jq -e '[.network.listening[] | select(.port == 80)] | length >= 1' "$s"
  jq -e --arg ip "$cli_ip" '[.network.inbound[] | select(.remote == $ip and .localPort == 80)][0].count == 2' "$s"
  jq -e '.network.outbound == []' "$s"
  jq -e '.drops.eventsByType.net == 0' "$s" "$c"
  # events carry who connected
  jq -e -s 'map(select(.type == "net" and .kind == "connect" and .comm == "wget")) | length == 2' "$(run_dir "$cli")/events.jsonl"

  # container to container: each side names the other, as the engine called it; each report its own
  jq -e --arg n "$srv_name" --arg img "$NGINX_IMAGE" --arg id "$srv" '.network.outbound[0].peer
      | .id == $id and .name == $n and .image == $img and (.namedBy | IN("engine-event", "listing", "registration"))' "$c"
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
  wait_for_file "$(run_dir "$id")/report.json" 30
  r=$(run_dir "$id")/report.json
  jq -e --arg ip "$ip" --arg n "$srv_name" '[.network.datagrams[] | select(.protocol == "udp" and .remote == $ip and .port == 53)][0]
      | (.connects + .sends) >= 1 and .peer.name == $n' "$r"
  jq -e '[.network.unix[] | select(.path == "/dev/log")][0] | .connects >= 1 and .errors.ENOENT >= 1' "$r"
  jq -e '.network.outbound == [] and .drops.eventsByType.net == 0' "$r"
  jq -e -s 'map(select(.type == "net" and .kind == "unix-connect" and .path == "/dev/log" and .errno == "ENOENT"
      and .comm == "logger")) | length == 1' "$(run_dir "$id")/events.jsonl"
  run contxray report "$id"
  [[ "$output" == *"udp      -> $ip:53 ($srv_name)"* ]]
  [[ "$output" == *"unix     -> /dev/log  connect x1  (ENOENT x1)"* ]]
}

@test "10 recorded clients one after another, each one request: nginx has 10 inbound entries, each its own name, count 1" {
  export DOCKER_HOST=$DOCKER20_HOST
  recorded_nginx cx-web10-$$
  for i in $(seq 1 10); do
    docker run --rm --name "cx-c$i-$$" --runtime contxray-record --cidfile "$BATS_TEST_TMPDIR/cid$i" "$BUSYBOX_IMAGE" \
      wget -q -O /dev/null "http://$ip/"
  done
  s=$(stopped_report "$srv")
  jq -e --arg sfx "-$$" '[.network.inbound[] | select(.peer.name // "" | endswith($sfx))] as $in
      | ($in | length) == 10 and ($in | map(.count) | unique) == [1] and ($in | map(.peer.name) | unique | length) == 10
        and ($in | map(.localPort) | unique) == [80]' "$s"
  for i in $(seq 1 10); do
    cli=$(cat "$BATS_TEST_TMPDIR/cid$i")
    jq -e --arg n "cx-c$i-$$" --arg id "$cli" '[.network.inbound[] | select(.peer.name == $n)] | length == 1 and .[0].peer.id == $id' "$s"
    wait_for_file "$(run_dir "$cli")/report.json" 30
    jq -e --arg n "cx-web10-$$" '.network.outbound | length == 1 and .[0].peer.name == $n and .[0].count == 1' "$(run_dir "$cli")/report.json"
  done
  # nothing counted for a client that was not there: every inbound entry names its peer or says why not
  jq -e '[.network.inbound[] | select(.peer == null and .unnamed == null)] == []' "$s"
}

@test "a client that exits right after its only request is named every time: 20 docker run --rm, 20 recorded ctr run --rm" {
  export DOCKER_HOST=$DOCKER20_HOST
  recorded_nginx cx-webfast-$$
  # not recorded: named from the engine's events alone
  for i in $(seq 1 20); do
    docker run --rm --name "cx-fast$i-$$" "$BUSYBOX_IMAGE" wget -q -O /dev/null "http://$ip/"
  done
  # ctr tasks in a network namespace of the test's own, on the engine's bridge: no engine knows them,
  # their registration names them
  netns=cx-fast-$$
  ip netns add "$netns"
  ip link add "cxf$$a" type veth peer name "cxf$$b"
  ip link set "cxf$$b" netns "$netns"
  ip link set "cxf$$a" master "$(ip -o route get "$ip" | sed -n 's/.* dev \([^ ]*\).*/\1/p')" up
  gw=$(docker network inspect bridge -f '{{(index .IPAM.Config 0).Gateway}}')
  ctr_ip=${gw%.*}.250
  ip -n "$netns" addr add "$ctr_ip/24" dev "cxf$$b"
  ip -n "$netns" link set "cxf$$b" up
  ip -n "$netns" link set lo up
  docker save "$BUSYBOX_IMAGE" | ctr --address "$CONTAINERD_SOCK" -n contxray-test images import - >/dev/null
  for i in $(seq 1 20); do
    c=cx-fastctr$i-$$
    ctr_ids="${ctr_ids:-} $c"
    ctr --address "$CONTAINERD_SOCK" -n contxray-test run --rm --runc-binary contxray-runc --annotation contxray.record=true \
      --with-ns "network:/var/run/netns/$netns" "docker.io/$BUSYBOX_IMAGE:latest" "$c" wget -q -O /dev/null "http://$ip/"
  done
  s=$(stopped_report "$srv")
  jq -e --arg sfx "-$$" '[.network.inbound[] | select(.peer.name // "" | test("^cx-fast[0-9]+" + $sfx + "$"))]
      | length == 20 and (map(.peer.namedBy) | unique) == ["engine-event"] and (map(.count) | unique) == [1]' "$s"
  jq -e --arg ip "$ctr_ip" --arg sfx "-$$" '[.network.inbound[] | select(.remote == $ip)]
      | length == 20 and all(.peer.id | test("^cx-fastctr[0-9]+" + $sfx + "$")) and (map(.peer.id) | unique | length) == 20
        and (map(.peer.namedBy) | unique) == ["registration"] and (map(.count) | unique) == [1]' "$s"
}

@test "an address reused by a second container after the first is removed: each connection named by its holder, on both sides" {
  export DOCKER_HOST=$DOCKER20_HOST
  net=cx-reuse-$$
  docker network create --subnet 10.221.0.0/24 "$net" >/dev/null
  recorded_nginx cx-reuse-srv-$$ --network "$net" --ip 10.221.0.10
  cli=$(docker run -d --name "cx-reuse-cli-$$" --runtime contxray-record --network "$net" --ip 10.221.0.30 "$BUSYBOX_IMAGE" sh -c 'trap exit TERM; sleep 120 & wait')
  cleanup=$cli
  for n in a b; do
    id=$(docker run -d --name "cx-reuse-$n-$$" --runtime contxray-record --network "$net" --ip 10.221.0.20 "$NGINX_IMAGE")
    cleanup="$cleanup $id"
    eval "id_$n=$id"
    wait_until 10 curl -fsS -o /dev/null --max-time 1 http://10.221.0.20/
    docker exec "$cli" wget -q -O /dev/null http://10.221.0.20/                   # the client to it
    docker exec "$id" curl -fsS -o /dev/null http://10.221.0.10/                  # it to the server
    r=$(stopped_report "$id")
    jq -e --arg n "cx-reuse-cli-$$" '[.network.inbound[] | select(.remote == "10.221.0.30")] | length == 1 and .[0].peer.name == $n' "$r"
    jq -e --arg n "cx-reuse-srv-$$" '.network.outbound | length == 1 and .[0].peer.name == $n' "$r"
  done
  c=$(stopped_report "$cli")
  s=$(stopped_report "$srv")
  jq -e --arg a "$id_a" --arg b "$id_b" '[.network.outbound[] | select(.remote == "10.221.0.20" and .port == 80)]
      | (map(.peer.id) | sort) == ([$a, $b] | sort) and (map(.count) | unique) == [1]' "$c"
  jq -e --arg a "$id_a" --arg b "$id_b" '[.network.inbound[] | select(.remote == "10.221.0.20")]
      | (map(.peer.id) | sort) == ([$a, $b] | sort) and (map(.count) | unique) == [1]' "$s"
  # the first connection is the first container's: in time order, a then b
  jq -e --arg a "$id_a" --arg b "$id_b" '[.network.inbound[] | select(.remote == "10.221.0.20")] | sort_by(.firstTime)
      | map(.peer.id) == [$a, $b]' "$s"
}

@test "the recorder restarted between a connection and the peer's removal still names the peer" {
  export DOCKER_HOST=$DOCKER20_HOST
  recorded_nginx cx-restart-srv-$$
  k=$(docker run -d --name "cx-restart-cli-$$" "$BUSYBOX_IMAGE" sh -c \
    "while [ ! -e /tmp/go ]; do sleep 0.1; done; wget -q -O /dev/null http://$ip/")
  cleanup=$k
  k_ip=$(container_ip docker "$k")
  sleep 3 # the history has the client (saved every 2 s, and when the daemon stops)
  bash "$DAEMONCTL" stop
  docker exec "$k" touch /tmp/go
  [ "$(docker wait "$k")" = 0 ]
  docker rm "$k" >/dev/null
  bash "$DAEMONCTL" start 3>&-
  s=$(stopped_report "$srv")
  jq -e --arg ip "$k_ip" --arg n "cx-restart-cli-$$" '[.network.inbound[] | select(.remote == $ip)]
      | length == 1 and .[0].peer.name == $n and .[0].count == 1' "$s"
}

@test "a connection to a host port the engine published is named as the container behind it" {
  export DOCKER_HOST=$DOCKER20_HOST
  pub=$(docker run -d --name "cx-pub-$$" -p 18090:80 "$NGINX_IMAGE")
  cleanup=$pub
  gw=$(docker network inspect bridge -f '{{(index .IPAM.Config 0).Gateway}}')
  wait_until 10 curl -fsS -o /dev/null --max-time 1 "http://$gw:18090/"
  docker run --rm --runtime contxray-record --cidfile "$BATS_TEST_TMPDIR/cid" "$BUSYBOX_IMAGE" \
    wget -q -O /dev/null "http://$gw:18090/"
  id=$(cat "$BATS_TEST_TMPDIR/cid")
  wait_for_file "$(run_dir "$id")/report.json" 30
  jq -e --arg gw "$gw" --arg pub "$pub" '[.network.outbound[] | select(.remote == $gw and .port == 18090)]
      | length == 1 and .[0].peer.id == $pub and .[0].count == 1' "$(run_dir "$id")/report.json"
}
