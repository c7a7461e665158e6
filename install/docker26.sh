#!/usr/bin/env bash
# Fetches Docker 26 (dockerd, docker-proxy, docker-init, the docker CLI) and containerd 1.7 (containerd,
# containerd-shim-runc-v2, ctr) from Debian trixie and unpacks them under
# /opt/contxray-test/docker26 WITHOUT installing them: a private apt configuration (its own
# sources list, lists, cache and an empty status file under /var/cache/contxray-trixie) leaves the
# system's apt and dpkg state untouched. bookworm's runc stays the runtime (trixie's needs a newer glibc).
# Idempotent: does nothing when the unpacked dockerd already reports 26.x.
#   DOCKER26_PREFIX   where to unpack (default /opt/contxray-test/docker26)
#   TRIXIE_CACHE      private apt state (default /var/cache/contxray-trixie)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
PREFIX=${DOCKER26_PREFIX:-/opt/contxray-test/docker26}
CACHE=${TRIXIE_CACHE:-/var/cache/contxray-trixie}
WANT_MAJOR=26

[ "$(id -u)" = 0 ] || { echo "docker26.sh: must run as root" >&2; exit 1; }

installed_version() {
  [ -x "$PREFIX/usr/sbin/dockerd" ] || return 1
  "$PREFIX/usr/sbin/dockerd" --version 2>/dev/null | sed -n 's/^Docker version \([0-9][0-9.]*\).*/\1/p'
}
if v=$(installed_version) && [ "${v%%.*}" = "$WANT_MAJOR" ] && [ -x "$PREFIX/usr/bin/containerd" ] && [ -x "$PREFIX/usr/bin/docker" ]; then
  echo "docker26.sh: dockerd $v and $("$PREFIX/usr/bin/containerd" --version | awk '{print $3}') already in $PREFIX"
  exit 0
fi

# The Debian mirror the machine already uses (deb822 .sources or one-line .list), else deb.debian.org.
mirror=
for f in /etc/apt/sources.list.d/*.sources; do
  [ -f "$f" ] || continue
  mirror=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i ~ /\/debian\/?$/) { print $i; exit } }' "$f")
  [ -n "$mirror" ] && break
done
if [ -z "$mirror" ]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^https?:\/\/.*\/debian\/?$/) { print $i; exit } }')
fi
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f /usr/share/keyrings/debian-archive-trixie-stable.gpg ] || echo "docker26.sh: warning: no trixie key in $keyring (debian-archive-keyring too old?)" >&2

mkdir -p "$CACHE"/{etc/sources.list.d,etc/preferences.d,lists/partial,archives/partial,debs}
echo "deb [arch=amd64 signed-by=$keyring] $mirror trixie main" >"$CACHE/etc/sources.list"
: >"$CACHE/status"
APT_OPTS=(
  -o Dir::Etc::sourcelist="$CACHE/etc/sources.list"
  -o Dir::Etc::sourceparts="$CACHE/etc/sources.list.d"
  -o Dir::Etc::preferences="$CACHE/etc/preferences"
  -o Dir::Etc::preferencesparts="$CACHE/etc/preferences.d"
  -o Dir::State::lists="$CACHE/lists"
  -o Dir::State::status="$CACHE/status"
  -o Dir::Cache="$CACHE"
  -o Dir::Cache::archives="$CACHE/archives"
  -o Dir::Cache::pkgcache="$CACHE/pkgcache.bin"
  -o Dir::Cache::srcpkgcache="$CACHE/srcpkgcache.bin"
  -o APT::Architectures::=amd64
  -o APT::Get::List-Cleanup=false
  -q
)

log=$CACHE/apt.log
: >"$log"
run() {
  if ! "$@" >>"$log" 2>&1; then
    echo "docker26.sh: FAILED: $*" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
}
echo "docker26.sh: fetching docker.io, docker-cli and containerd from $mirror trixie"
run apt-get "${APT_OPTS[@]}" update
rm -f "$CACHE"/debs/*.deb
(cd "$CACHE/debs" && run apt-get "${APT_OPTS[@]}" download docker.io docker-cli containerd)

rm -rf "$PREFIX.tmp"
mkdir -p "$PREFIX.tmp"
for deb in "$CACHE"/debs/*.deb; do
  dpkg-deb -x "$deb" "$PREFIX.tmp"
done
rm -rf "$PREFIX"
mv "$PREFIX.tmp" "$PREFIX"

for b in usr/sbin/dockerd usr/bin/docker usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/ctr; do
  [ -x "$PREFIX/$b" ] || { echo "docker26.sh: $PREFIX/$b missing after unpacking" >&2; exit 1; }
done
v=$(installed_version) || true
if [ "${v%%.*}" != "$WANT_MAJOR" ]; then
  echo "docker26.sh: unpacked dockerd reports '${v:-nothing}', wanted $WANT_MAJOR.x" >&2
  "$PREFIX/usr/sbin/dockerd" --version >&2 || true
  exit 1
fi
echo "docker26.sh: dockerd $v, $("$PREFIX/usr/bin/containerd" --version | awk '{print $3}') unpacked in $PREFIX"
