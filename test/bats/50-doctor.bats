#!/usr/bin/env bats
# `contxray doctor` on this host, as root: it loads and attaches the real programs in a pin
# directory of its own (and leaves nothing behind), finds the cgroup layout, the runtimes and
# the recorder, and says what contxray will use.

load helpers

@test "doctor: programs load and attach, hybrid cgroup v2, runtimes registered, recorder up; nothing left in bpffs" {
  run contxray doctor
  [ "$status" -eq 0 ]
  [[ "$output" == *"ok    BTF "* ]]
  [[ "$output" =~ ok\ +bpf\ tp_btf\ +loads\ and\ attaches ]]
  [[ "$output" =~ ok\ +bpf\ raw_tracepoint\ +loads\ and\ attaches ]]
  [[ "$output" =~ info\ +will\ use\ +tp_btf ]]
  [[ "$output" =~ ok\ +cgroup\ v2\ +mounted\ at\ /sys/fs/cgroup/unified,\ hybrid ]]
  [[ "$output" =~ ok\ +runc\ +/usr/sbin/runc:\ runc\ version ]]
  [[ "$output" =~ ok\ +docker\ runtime\ contxray\ +/usr/local/bin/contxray-runc ]]
  [[ "$output" =~ ok\ +recorder\ +up\ on\ /run/contxray/contxray.sock ]]
  [[ "$output" != *FAIL* ]]
  ! ls -d /sys/fs/bpf/contxray-doctor-* 2>/dev/null

  run contxray doctor --json
  [ "$status" -eq 0 ]
  echo "$output" | jq -e 'map(select(.name == "bpf tp_btf" and .level == "ok")) | length == 1'
  echo "$output" | jq -e 'all(has("name") and has("level") and has("detail"))'
}

@test "doctor: recorder down and not being root are warnings, not failures" {
  bash "$DAEMONCTL" stop
  run contxray doctor
  [ "$status" -eq 0 ]
  [[ "$output" =~ warn\ +recorder\ +recorder\ daemon\ not\ reachable ]]

  run setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/tmp contxray doctor
  [[ "$output" =~ warn\ +bpf\ programs\ +not\ checked:\ loading\ them\ needs\ root ]]
  [[ "$output" =~ warn\ +will\ use\ +tp_btf\ if\ it\ loads ]]
  [[ "$output" != *FAIL* ]]
  [ "$status" -eq 0 ]
}

@test "doctor: says what contxray registered in containerd's config.toml (handler, NRI) and podman's hooks.d, and what not" {
  local toml=/etc/containerd/config.toml hooks=/usr/share/containers/oci/hooks.d
  [ ! -e "$hooks/contxray-createruntime.json" ] || skip "contxray's podman hooks are installed on this host: not touching them"
  cp -p "$toml" "$BATS_TEST_TMPDIR/config.toml.orig"
  contxray install kubernetes >&2
  contxray install podman >&2
  run contxray doctor
  contxray uninstall podman >&2 || true
  contxray uninstall kubernetes >&2 || true
  cmp "$toml" "$BATS_TEST_TMPDIR/config.toml.orig" || cp -p "$BATS_TEST_TMPDIR/config.toml.orig" "$toml"
  [ "$status" -eq 0 ]
  [[ "$output" =~ ok\ +containerd\ handler\ +contxray\ registered\ in\ /etc/containerd/config.toml ]]
  [[ "$output" =~ ok\ +containerd\ NRI\ +enabled\ by\ contxray ]]
  [[ "$output" =~ ok\ +podman\ +podman\ version\ [0-9.]+,\ hooks\ in\ /usr/share/containers/oci/hooks.d ]]
  [[ "$output" =~ ok\ +dockerd\ +/usr/sbin/dockerd:\ Docker\ version ]]

  run contxray doctor
  [ "$status" -eq 0 ]
  [[ "$output" =~ info\ +containerd\ handler\ +contxray\ not\ registered ]]
  [[ "$output" =~ warn\ +podman\ +.*no\ contxray\ hooks ]]
  [[ "$output" =~ NRI\ socket\ +/var/run/nri/nri.sock ]]
}

@test "doctor: says whether 32-bit syscalls can be made here, as a plain int 0x80 program finds" {
  [ "$(uname -m)" = x86_64 ] || skip "int 0x80 is x86_64's"
  printf 'int main(void){long r;__asm__ volatile("int $0x80":"=a"(r):"a"(20L):"memory");return r>0?0:1;}\n' >"$BATS_TEST_TMPDIR/i80.c"
  gcc -o "$BATS_TEST_TMPDIR/i80" "$BATS_TEST_TMPDIR/i80.c"
  run "$BATS_TEST_TMPDIR/i80"
  plain=$status
  run contxray doctor
  [ "$status" -eq 0 ]
  if [ "$plain" -eq 0 ]; then
    [[ "$output" =~ ok\ +32-bit\ syscalls\ +int\ 0x80\ works ]]
  else
    [ "$plain" -eq 139 ]
    [[ "$output" =~ info\ +32-bit\ syscalls\ +int\ 0x80\ refused\ \(killed\ with\ SIGSEGV\) ]]
  fi
  [[ "$output" =~ (info|ok)\ +x32\ syscalls ]]
}
