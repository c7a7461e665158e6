#!/usr/bin/env bats
# AppArmor profiles exported from real recordings (`contxray profile export --format apparmor`),
# as root with real Docker 20.10: busybox and a Debian nginx serving HTTP are recorded, and the
# real apparmor_parser (Debian's apparmor package) compiles what is exported, from one recording
# and from a merge of two, without loading it (this kernel has no AppArmor LSM: enforcement is
# not tested here).

load helpers

teardown() {
  [ -n "${srv:-}" ] && docker20 rm -f "$srv" >/dev/null 2>&1
  restart_recorder_if_down
}

# compiles FILE: apparmor_parser -Q (skip the kernel load) -K (no cache)
compiles() {
  command -v apparmor_parser >/dev/null || skip "apparmor_parser not installed (install/deps.sh installs apparmor)"
  run apparmor_parser -Q -K "$1"
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "apparmor: a busybox recording and a merge of two export profiles that apparmor_parser compiles" {
  a=$(run_recorded docker20 --rm --runtime contxray-record "$BUSYBOX_IMAGE" sh -c 'cat /etc/hostname >/dev/null; ls / >/dev/null; echo x >/tmp/out')
  b=$(run_recorded docker20 --rm --runtime contxray-record "$BUSYBOX_IMAGE" sh -c 'mkdir -p /tmp/d; ls /proc/self/fd >/dev/null')
  wait_for_file "$STATE/$a/report.json" 30
  wait_for_file "$STATE/$b/report.json" 30
  f=$BATS_TEST_TMPDIR/busybox.aa
  contxray profile export --format apparmor "$a" >"$f"
  cat "$f"
  grep -q "^profile cx-${a:0:12} flags=(attach_disconnected,mediate_deleted) {" "$f"
  grep -qx '  /tmp/out{,/} wk,' "$f"
  compiles "$f"

  merged=$BATS_TEST_TMPDIR/bb
  contxray profile merge -o "$merged" "$a" "$b" >/dev/null
  contxray profile export --format apparmor --name busybox-merged "$merged" >"$f"
  grep -q '^profile busybox-merged ' "$f"
  grep -q "recording(s): $a $b" "$f"
  grep -qx '  /tmp/out{,/} wk,' "$f"
  grep -qx '  /tmp/d{,/} wk,' "$f"
  grep -q '^  /proc/\[0-9\]\*/fd{,/} mr,\|^  /proc/self/fd{,/} mr,' "$f"
  compiles "$f"
}

@test "apparmor: nginx serving HTTP exports a profile with its binary, sockets and capabilities that compiles" {
  srv=$(docker20 run -d --runtime contxray-record "$NGINX_IMAGE")
  ip=$(container_ip docker20 "$srv")
  wait_until 20 curl -fsS -o /dev/null --max-time 1 "http://$ip/"
  for _ in 1 2 3; do curl -fsS -o /dev/null --max-time 2 "http://$ip/"; done
  docker20 stop "$srv" >/dev/null
  wait_for_file "$STATE/$srv/report.json" 30
  f=$BATS_TEST_TMPDIR/nginx.aa
  contxray profile export --format apparmor --name cx-nginx "$srv" >"$f"
  cat "$f"
  grep -qx '  /usr/sbin/nginx{,/} mrix,' "$f"
  grep -qx '  /etc/nginx/nginx.conf{,/} mr,' "$f"
  grep -qx '  /var/www/html/index.nginx-debian.html{,/} mr,' "$f"
  grep -qx '  network inet stream,' "$f"
  grep -qx '  capability setuid,' "$f"
  grep -qx '  deny /proc/sysrq-trigger rwklx,' "$f"
  compiles "$f"
}

@test "apparmor: a bare seccomp.json is refused with a line saying what the format needs" {
  d=$BATS_TEST_TMPDIR/bare
  mkdir -p "$d"
  echo '{"defaultAction":"SCMP_ACT_ERRNO","architectures":["SCMP_ARCH_X86_64"],"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]}' >"$d/seccomp.json"
  run contxray profile export --format apparmor "$d"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "$output" == "contxray profile export: $d is a bare profile: this format needs a recording (report.json)"* ]]
}
