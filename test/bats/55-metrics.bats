#!/usr/bin/env bats
# The daemon's /metrics scraped by a real Prometheus (Debian's package, started here on loopback
# with a 1 s scrape interval): a recorded busybox's syscall and exec counters are queryable with
# its id, name and image; promtool accepts the exposition, the alerting rules, and every metric
# the Grafana dashboard queries is one the daemon exports.

load helpers

METRICS_URL=http://127.0.0.1:9811/metrics

setup_file() {
  require_root
  command -v prometheus >/dev/null && command -v promtool >/dev/null ||
    skip "prometheus/promtool not installed (install/deps.sh installs Debian's prometheus package)"
  ensure_engines
  require_installed_recorder
  PROM_DIR=$(mktemp -d /tmp/contxray-prometheus.XXXXXX)
  PROM_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >"$PROM_DIR/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: contxray
    static_configs:
      - targets: ["127.0.0.1:9811"]
YML
  prometheus --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
    --web.listen-address="127.0.0.1:$PROM_PORT" >"$PROM_DIR/prometheus.log" 2>&1 3>&- &
  echo $! >"$PROM_DIR/pid"
  export PROM_DIR PROM_PORT
  wait_until 30 curl -fsS -o /dev/null "http://127.0.0.1:$PROM_PORT/-/ready" ||
    { tail -n 20 "$PROM_DIR/prometheus.log" >&3; return 1; }
}

teardown_file() {
  [ -n "${PROM_DIR:-}" ] || return 0
  if [ -s "$PROM_DIR/pid" ]; then
    kill "$(cat "$PROM_DIR/pid")" 2>/dev/null || true
    wait_until 15 bash -c "! kill -0 $(cat "$PROM_DIR/pid") 2>/dev/null" || kill -9 "$(cat "$PROM_DIR/pid")" 2>/dev/null || true
  fi
  rm -rf "$PROM_DIR"
}

# query PROMQL: the instant query's result array (JSON)
query() {
  curl -fsS "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" | jq -c '.data.result'
}

# value PROMQL: the first series' value, or empty
value() { query "$1" | jq -r '.[0].value[1] // empty'; }

at_least() { local v; v=$(value "$1"); [ -n "$v" ] && awk -v v="$v" -v n="$2" 'BEGIN { exit !(v >= n) }'; }

@test "the exposition passes promtool check metrics and has the recorder's health" {
  curl -fsS "$METRICS_URL" >"$BATS_TEST_TMPDIR/metrics.txt"
  run promtool check metrics <"$BATS_TEST_TMPDIR/metrics.txt"
  echo "$output"
  [ "$status" -eq 0 ]
  grep -q '^contxray_slots_free ' "$BATS_TEST_TMPDIR/metrics.txt"
  grep -q '^jvm_memory_used_bytes{' "$BATS_TEST_TMPDIR/metrics.txt"
  # Prometheus scrapes it
  wait_until 20 at_least 'up{job="contxray"}' 1
}

@test "a recorded busybox's syscalls and execs are queryable in Prometheus with its id, name and image" {
  name=cx-metrics-$$
  id=$(run_recorded docker20 -d --name "$name" --runtime contxray-record "$BUSYBOX_IMAGE" \
    sh -c 'for i in $(seq 1 40); do cat /etc/hostname >/dev/null; sleep 0.25; done')
  sel="id=\"$id\""
  wait_until 40 at_least "contxray_container_execs_total{$sel}" 20 || { query "contxray_container_execs_total{$sel}"; false; }
  series=$(query "contxray_container_execs_total{$sel}")
  echo "$series"
  [ "$(jq -r '.[0].metric.name' <<<"$series")" = "$name" ]
  [ "$(jq -r '.[0].metric.image' <<<"$series")" = "$BUSYBOX_IMAGE" ]
  at_least "contxray_container_syscalls_total{$sel}" 100
  at_least "contxray_container_syscalls_by_name_total{$sel,syscall=\"execve\"}" 20
  # bounded: the top 20 names and "other"
  [ "$(value "count(contxray_container_syscalls_by_name_total{$sel})")" -le 21 ]
  # the by-name series add up to the total (same scrape)
  [ "$(value "sum(contxray_container_syscalls_by_name_total{$sel}) - sum(contxray_container_syscalls_total{$sel})")" = 0 ]
  at_least "contxray_slots_used" 1
  docker20 wait "$id" >/dev/null
  wait_for_file "$(report_of "$id")" 30
  # its series stay a while after it stopped (MetricsServer.KEEP_STOPPED)
  curl -fsS "$METRICS_URL" | grep -q "contxray_container_execs_total{.*id=\"$id\""
  docker20 rm "$id" >/dev/null
}
