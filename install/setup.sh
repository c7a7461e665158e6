#!/usr/bin/env bash
# README command 1: everything from a fresh Debian/Ubuntu host to a recorded container.
#   1. installs missing packages (install/deps.sh), mounts bpffs/tracefs (install/mounts.sh)
#   2. builds with Maven and installs contxray, registers the Docker runtimes, starts the
#      recorder (install/install.sh)
#   3. uses the running Docker engine, or starts one when none answers (systemd's docker.service,
#      else the same dockerd set-up the tests use, test/lib/engines.sh)
#   4. records a demo busybox container, prints its report, then runs the same workload again
#      under the seccomp profile it produced to show that the profile works.
# Safe to run again.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
say() { printf '\n==> %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "setup.sh: must run as root (sudo $0)" >&2; exit 1; }

say "packages and kernel mounts"
bash "$ROOT/install/deps.sh"
bash "$ROOT/install/mounts.sh"

say "build"
(cd "$ROOT" && mvn -B -q -ntp -DskipTests package)

say "install"
bash "$ROOT/install/install.sh"

say "Docker engine"
if timeout 10 docker info >/dev/null 2>&1; then
  echo "using the running engine ($(docker version -f '{{.Server.Version}}'))"
elif [ -d /run/systemd/system ] && systemctl start docker 2>/dev/null && timeout 30 sh -c 'until docker info >/dev/null 2>&1; do sleep 0.5; done'; then
  echo "started docker.service"
else
  # no systemd (containers, CI): the tests' own dockerd, which reads /etc/docker/daemon.json too
  # shellcheck source=../test/lib/engines.sh
  source "$ROOT/test/lib/engines.sh"
  start_dockerd20
  export DOCKER_HOST=$DOCKER20_HOST
  echo "started dockerd at $DOCKER_HOST (stop it with: source test/lib/engines.sh; stop_all_engines)"
fi

say "demo image"
# shellcheck source=../test/lib/images.sh
source "$ROOT/test/lib/images.sh"
build_busybox_image "$BUSYBOX_IMAGE"
echo "$BUSYBOX_IMAGE"

say "recording a container"
workload='cat /etc/hostname; ls / >/dev/null; wc -l /etc/passwd'
cidfile=$(mktemp -u /tmp/contxray-demo.XXXXXX)
trap 'rm -f "$cidfile"' EXIT
# contxray-record records every container it runs and works with every Docker version; on
# Docker 24+ `--runtime contxray --annotation contxray.record=true` does the same.
echo "docker run --rm --runtime contxray-record $BUSYBOX_IMAGE sh -c '$workload'"
docker run --rm --cidfile "$cidfile" --runtime contxray-record "$BUSYBOX_IMAGE" sh -c "$workload"
id=$(cat "$cidfile")
dir=/var/lib/contxray/containers/$id
for _ in $(seq 1 100); do [ -f "$dir/seccomp.json" ] && break; sleep 0.1; done

say "report"
contxray report --top 15 "$id"

say "the profile, enforced"
echo "docker run --rm --security-opt seccomp=$dir/seccomp.json $BUSYBOX_IMAGE sh -c '$workload'"
docker run --rm --security-opt "seccomp=$dir/seccomp.json" "$BUSYBOX_IMAGE" sh -c "$workload"

say "done"
cat <<EOF
report:  $dir/report.json      (contxray report $id)
profile: $dir/seccomp.json     ($(jq '.syscalls[0].names | length' "$dir/seccomp.json") syscalls allowed; use with --security-opt seccomp=...)
Record your own:  docker run --runtime contxray-record IMAGE ...
         Docker 24+:  docker run --runtime contxray --annotation contxray.record=true IMAGE ...
EOF
