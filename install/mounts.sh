#!/usr/bin/env bash
# Mounts the kernel filesystems contxray needs, if they are not mounted yet (idempotent):
#   bpffs   at /sys/fs/bpf         (pinned maps and links)
#   tracefs at /sys/kernel/tracing (tracepoint formats, used by fallbacks and bpftrace)
set -euo pipefail
[ "$(id -u)" = 0 ] || { echo "mounts.sh: must run as root" >&2; exit 1; }

# fstype of the mount exactly at $1 (last one wins, as in the kernel), empty if none
fstype_at() {
  awk -v m="$1" '$2 == m { t = $3 } END { print t }' /proc/self/mounts
}

ensure() {
  local fstype=$1 dir=$2
  if [ "$(fstype_at "$dir")" = "$fstype" ]; then
    return 0
  fi
  mkdir -p "$dir"
  mount -t "$fstype" "$fstype" "$dir"
  [ "$(fstype_at "$dir")" = "$fstype" ] || { echo "mounts.sh: could not mount $fstype at $dir" >&2; exit 1; }
  echo "mounts.sh: mounted $fstype at $dir"
}

ensure bpf /sys/fs/bpf
ensure tracefs /sys/kernel/tracing
