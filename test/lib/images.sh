# shellcheck shell=bash
# Build the test images locally (no registry is reachable). Source this file (bash).
# Every function acts on the engine DOCKER_HOST points at (see use_docker20 / use_docker26 in
# engines.sh) and does nothing when that engine already has the image.
#
#   build_busybox_image NAME
#       busybox-static rootfs: /bin/busybox, one symlink per applet, /etc/passwd, /etc/group,
#       /tmp (1777), /root. CMD ["sh"].
#   build_firstsyscall_image NAME
#       one static binary /firstsyscall (gcc -nostdlib -static) as the only content and the
#       ENTRYPOINT: its first instruction does getcpu(NULL, NULL, NULL) (x86_64 nr 309, a syscall
#       nothing else in a container start makes), then exit_group(0).
#       The binary is also left at $CONTXRAY_TEST_CACHE/firstsyscall for tests to run directly.
#   build_debian_image NAME PACKAGES CMD
#       mmdebstrap --variant=apt bookworm with PACKAGES (comma or space separated) included;
#       CMD is Docker's CMD in JSON (exec) form, e.g. '["nginx","-g","daemon off;"]', or shell form.
#       The root file system tarball is cached in $CONTXRAY_TEST_CACHE, keyed by suite and packages.
#   build_test_images
#       the standard set on the current engine: $BUSYBOX_IMAGE, $FIRSTSYSCALL_IMAGE, $NGINX_IMAGE
#       (nginx-light + curl, CMD nginx in the foreground), $REDIS_IMAGE (redis-server + redis-tools,
#       CMD redis-server without persistence), $PYTHON_IMAGE (python3, CMD http.server on 8000).
#   image_exists NAME
#
# Environment: DOCKER_CLI (docker client, default `docker`), DOCKER_HOST,
#   CONTXRAY_TEST_CACHE (default /var/cache/contxray-test), DEBIAN_SUITE (default bookworm),
#   BUSYBOX_IMAGE (contxray-test/busybox), FIRSTSYSCALL_IMAGE (contxray-test/firstsyscall),
#   NGINX_IMAGE (contxray-test/nginx), CONTXRAY_TEST_LOGDIR (/tmp/contxray-test, mmdebstrap logs).

DOCKER_CLI=${DOCKER_CLI:-docker}
CONTXRAY_TEST_CACHE=${CONTXRAY_TEST_CACHE:-/var/cache/contxray-test}
CONTXRAY_TEST_LOGDIR=${CONTXRAY_TEST_LOGDIR:-/tmp/contxray-test}
DEBIAN_SUITE=${DEBIAN_SUITE:-bookworm}
BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-contxray-test/busybox}
FIRSTSYSCALL_IMAGE=${FIRSTSYSCALL_IMAGE:-contxray-test/firstsyscall}
NGINX_IMAGE=${NGINX_IMAGE:-contxray-test/nginx}
REDIS_IMAGE=${REDIS_IMAGE:-contxray-test/redis}
PYTHON_IMAGE=${PYTHON_IMAGE:-contxray-test/python}
export BUSYBOX_IMAGE FIRSTSYSCALL_IMAGE NGINX_IMAGE REDIS_IMAGE PYTHON_IMAGE CONTXRAY_TEST_CACHE

_img_log() { echo "images: $*" >&2; }

image_exists() { "$DOCKER_CLI" image inspect "$1" >/dev/null 2>&1; }

build_busybox_image() {
  local name=${1:?usage: build_busybox_image NAME} root applet
  image_exists "$name" && return 0
  local bb=/bin/busybox
  [ -x "$bb" ] && "$bb" --list >/dev/null 2>&1 || { _img_log "no /bin/busybox (install busybox-static)"; return 1; }
  # the static build, not a dynamically linked busybox from another package
  if ldd "$bb" >/dev/null 2>&1; then _img_log "$bb is dynamically linked; install busybox-static"; return 1; fi
  root=$(mktemp -d /tmp/contxray-busybox.XXXXXX)
  (
    set -e
    mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,tmp,root,proc,sys,dev,var/tmp}
    chmod 1777 "$root/tmp" "$root/var/tmp"
    chmod 700 "$root/root"
    cp "$bb" "$root/bin/busybox"
    # applet links, at the paths busybox itself reports (bin/ls, usr/bin/wc, sbin/ip, ...)
    "$bb" --list-full | while read -r applet; do
      [ "$applet" = bin/busybox ] && continue
      ln -sf /bin/busybox "$root/$applet"
    done
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
    [ -e "$root/bin/sh" ] || ln -s /bin/busybox "$root/bin/sh"
  ) || { rm -rf "$root"; return 1; }
  tar --numeric-owner -C "$root" -c . | "$DOCKER_CLI" import -c 'CMD ["sh"]' - "$name" >/dev/null
  local rc=$?
  rm -rf "$root"
  [ $rc = 0 ] && _img_log "built $name (busybox)"
  return $rc
}

# builds (once) the firstsyscall binary into $CONTXRAY_TEST_CACHE/firstsyscall and prints its path
firstsyscall_binary() {
  local bin=$CONTXRAY_TEST_CACHE/firstsyscall src
  if [ ! -x "$bin" ]; then
    mkdir -p "$CONTXRAY_TEST_CACHE"
    src=$(mktemp -d /tmp/contxray-firstsyscall.XXXXXX)
    cat >"$src/firstsyscall.S" <<'ASM'
/* contxray test program: the first thing it does is a raw getcpu(2), then exit_group(0). */
	.text
	.globl _start
_start:
	mov	$309, %eax	/* __NR_getcpu (x86_64) */
	xor	%edi, %edi
	xor	%esi, %esi
	xor	%edx, %edx
	syscall
	mov	$231, %eax	/* __NR_exit_group */
	xor	%edi, %edi
	syscall
	hlt
	.section .note.GNU-stack,"",@progbits
ASM
    if ! gcc -nostdlib -static -o "$src/firstsyscall" "$src/firstsyscall.S"; then
      rm -rf "$src"; _img_log "gcc failed for firstsyscall"; return 1
    fi
    install -m 755 "$src/firstsyscall" "$bin.tmp" && mv -f "$bin.tmp" "$bin"
    rm -rf "$src"
  fi
  echo "$bin"
}

build_firstsyscall_image() {
  local name=${1:?usage: build_firstsyscall_image NAME} bin root rc
  image_exists "$name" && return 0
  bin=$(firstsyscall_binary) || return 1
  root=$(mktemp -d /tmp/contxray-firstsyscall-root.XXXXXX)
  cp "$bin" "$root/firstsyscall"
  tar --numeric-owner --owner=0 --group=0 -C "$root" -c firstsyscall |
    "$DOCKER_CLI" import -c 'ENTRYPOINT ["/firstsyscall"]' - "$name" >/dev/null
  rc=$?
  rm -rf "$root"
  [ $rc = 0 ] && _img_log "built $name (firstsyscall)"
  return $rc
}

# debian_rootfs_tarball PACKAGES: builds (once) and prints the cached tarball's path
debian_rootfs_tarball() {
  local pkgs key tar log
  pkgs=$(tr ' ,' '\n\n' <<<"$1" | sed '/^$/d' | sort -u | paste -sd, -)
  key=$(printf '%s %s' "$DEBIAN_SUITE" "$pkgs" | sha256sum | cut -c1-16)
  tar=$CONTXRAY_TEST_CACHE/debian-$DEBIAN_SUITE-$key.tar
  if [ ! -s "$tar" ]; then
    mkdir -p "$CONTXRAY_TEST_CACHE" "$CONTXRAY_TEST_LOGDIR"
    log=$CONTXRAY_TEST_LOGDIR/mmdebstrap-$key.log
    _img_log "mmdebstrap $DEBIAN_SUITE with ${pkgs:-no extra packages} (log $log)"
    if ! mmdebstrap --quiet --format=tar --variant=apt ${pkgs:+--include="$pkgs"} \
      --aptopt='Acquire::Check-Valid-Until "false"' \
      "$DEBIAN_SUITE" "$tar.tmp" >"$log" 2>&1; then
      rm -rf "$tar.tmp"; _img_log "mmdebstrap failed:"; tail -n 20 "$log" >&2; return 1
    fi
    mv -f "$tar.tmp" "$tar"
    echo "$pkgs" >"$tar.packages"
  fi
  echo "$tar"
}

build_debian_image() {
  local name=${1:?usage: build_debian_image NAME PACKAGES CMD} pkgs=${2:-} cmd=${3:-} tar
  image_exists "$name" && return 0
  tar=$(debian_rootfs_tarball "$pkgs") || return 1
  if [ -n "$cmd" ]; then
    "$DOCKER_CLI" import -c "CMD $cmd" "$tar" "$name" >/dev/null || return 1
  else
    "$DOCKER_CLI" import "$tar" "$name" >/dev/null || return 1
  fi
  _img_log "built $name (debian $DEBIAN_SUITE: ${pkgs:-base})"
}

build_test_images() {
  build_busybox_image "$BUSYBOX_IMAGE" &&
    build_firstsyscall_image "$FIRSTSYSCALL_IMAGE" &&
    build_debian_image "$NGINX_IMAGE" "nginx-light,curl" '["nginx","-g","daemon off;"]' &&
    build_debian_image "$REDIS_IMAGE" "redis-server,redis-tools" '["redis-server","--protected-mode","no","--save",""]' &&
    build_debian_image "$PYTHON_IMAGE" "python3" '["python3","-m","http.server","8000","--directory","/usr/share/doc"]'
}
