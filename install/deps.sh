#!/usr/bin/env bash
# Installs (with apt-get) everything contxray needs to build and to run its tests, then the npm
# packages of the Kubernetes manifest validator (install/kubernetes/validate.sh --install) and the
# compose-spec JSON schema (taken out of Debian's docker-compose package, not installed).
# Idempotent: packages already installed are not touched; `apt-get update` runs only when
# something is missing. Quiet on success, loud on failure.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
  openjdk-17-jdk-headless maven                 # build
  clang llvm libbpf-dev libbpf1 bpftool gcc     # eBPF object, skeletons, test binaries
  runc containerd docker.io iptables            # engines under test (bookworm: runc 1.1, containerd 1.6, docker 20.10)
  busybox-static mmdebstrap                     # local images without a registry
  bats jq iproute2 strace bpftrace hyperfine    # tests, benchmarks, debugging
  prometheus                                    # a real Prometheus scraping /metrics, and promtool (tests)
  curl                                          # exercise scripts drive containers over HTTP
  asciidoctor man-db bash-completion            # man pages rendered from the generated AsciiDoc, completion
  podman                                        # the hooks.d path (tests)
  auditd                                        # ausyscall (syscall name tables, dev only)
  ca-certificates xz-utils                      # apt over https mirrors, image tarballs
  nodejs                                        # install/kubernetes/validate.sh (Kubernetes schema validation)
  golang-github-opencontainers-specs-dev        # the OCI runtime-spec JSON schemas (exported profiles are checked against them)
  apparmor                                      # apparmor_parser compiles exported AppArmor profiles in the tests (no kernel load)
)
# npm comes with some builds of nodejs (NodeSource's) and conflicts with Debian's npm package there
command -v npm >/dev/null 2>&1 || PACKAGES+=(npm)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# the validator's npm packages (pinned by its package-lock.json; a no-op when installed)
validator() {
  "$ROOT/install/kubernetes/validate.sh" --install || { echo "deps.sh: FAILED: the Kubernetes manifest validator (npm ci)" >&2; exit 1; }
}

# compose-spec's JSON schema, as Debian's docker-compose ships it, into the test cache; the
# package itself (a Python program with many dependencies) is not installed
COMPOSE_SCHEMA=${CONTXRAY_TEST_CACHE:-/var/cache/contxray-test}/schemas/compose_spec.json
compose_schema() {
  [ -s "$COMPOSE_SCHEMA" ] && return 0
  local tmp
  tmp=$(mktemp -d /tmp/contxray-compose.XXXXXX)
  if ! (cd "$tmp" && { apt-get download -q docker-compose >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get download -q docker-compose >/dev/null 2>&1; }; }); then
    rm -rf "$tmp"
    echo "deps.sh: FAILED: apt-get download docker-compose (for its compose-spec schema)" >&2
    exit 1
  fi
  dpkg-deb -x "$tmp"/docker-compose_*.deb "$tmp/x"
  mkdir -p "$(dirname "$COMPOSE_SCHEMA")"
  install -m 644 "$tmp/x/usr/lib/python3/dist-packages/compose/config/compose_spec.json" "$COMPOSE_SCHEMA.new" &&
    mv -f "$COMPOSE_SCHEMA.new" "$COMPOSE_SCHEMA"
  rm -rf "$tmp"
}
# Docker's default seccomp profile, as Debian's golang-github-docker-docker-dev ships it (Docker's
# source), into the test cache: generated profiles are compared with it rule by rule
# (`contxray profile check --against-docker-default`); the package itself is not installed
DOCKER_DEFAULT=${CONTXRAY_TEST_CACHE:-/var/cache/contxray-test}/docker/default.json
docker_default_profile() {
  [ -s "$DOCKER_DEFAULT" ] && return 0
  local tmp
  tmp=$(mktemp -d /tmp/contxray-docker-default.XXXXXX)
  if ! (cd "$tmp" && { apt-get download -q golang-github-docker-docker-dev >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get download -q golang-github-docker-docker-dev >/dev/null 2>&1; }; }); then
    rm -rf "$tmp"
    echo "deps.sh: FAILED: apt-get download golang-github-docker-docker-dev (for Docker's default seccomp profile)" >&2
    exit 1
  fi
  dpkg-deb -x "$tmp"/golang-github-docker-docker-dev_*.deb "$tmp/x"
  mkdir -p "$(dirname "$DOCKER_DEFAULT")"
  install -m 644 "$tmp/x/usr/share/gocode/src/github.com/docker/docker/profiles/seccomp/default.json" "$DOCKER_DEFAULT.new" &&
    mv -f "$DOCKER_DEFAULT.new" "$DOCKER_DEFAULT"
  rm -rf "$tmp"
}
extras() {
  validator
  compose_schema
  docker_default_profile
}

[ "$(id -u)" = 0 ] || { echo "deps.sh: must run as root" >&2; exit 1; }

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "deps.sh: all ${#PACKAGES[@]} packages present"
  extras
  exit 0
fi

echo "deps.sh: installing ${missing[*]}"
log=$(mktemp /tmp/contxray-deps.XXXXXX.log)
trap 'rm -f "$log"' EXIT
run() {
  if ! "$@" >>"$log" 2>&1; then
    echo "deps.sh: FAILED: $*" >&2
    tail -n 40 "$log" >&2
    exit 1
  fi
}
run apt-get update -q
# Docker's and containerd's post-install scripts try to start services; without systemd as PID 1
# invoke-rc.d simply reports that and succeeds. policy-rc.d makes that explicit and quiet.
policy_added=0
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy_added=1
fi
trap 'rm -f "$log"; [ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d || true' EXIT
run apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"

for p in "${missing[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
    { echo "deps.sh: $p still not installed" >&2; exit 1; }
done
echo "deps.sh: installed ${#missing[@]} package(s)"
extras
