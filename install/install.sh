#!/usr/bin/env bash
# Installs the built contxray (jar, launcher, runtime wrapper, Kubernetes manifests under
# PREFIX/share/contxray/kubernetes), prepares the kernel mounts,
# registers the `contxray` and `contxray-record` runtimes with Docker and (re)starts the recorder.
# Safe to run again: every step checks what is already there.
#   --no-docker   do not touch /etc/docker/daemon.json
#   --no-daemon   do not (re)start the recorder
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PREFIX=${PREFIX:-/usr/local}
LIB=$PREFIX/lib/contxray
DAEMON_JSON=${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}
DOCKER=1 DAEMON=1
for a in "$@"; do
  case "$a" in
    --no-docker) DOCKER=0 ;;
    --no-daemon) DAEMON=0 ;;
    *) echo "install.sh: unknown option $a" >&2; exit 2 ;;
  esac
done
say() { echo "contxray install: $*"; }
[ "$(id -u)" = 0 ] || { echo "install.sh: must run as root" >&2; exit 1; }

JAR=$ROOT/cli/target/contxray.jar
if [ ! -f "$JAR" ] || [ ! -x "$ROOT/hook/target/contxray-hook" ] || [ ! -x "$ROOT/hook/target/contxray-abi-probe" ]; then
  say "building (mvn package)"
  (cd "$ROOT" && mvn -B -q -DskipTests package)
fi

install -d -m 755 "$LIB" "$PREFIX/bin"
install -m 644 "$JAR" "$LIB/contxray.jar.new" && mv -f "$LIB/contxray.jar.new" "$LIB/contxray.jar"
install -m 755 "$ROOT/install/contxray" "$PREFIX/bin/contxray.new" && mv -f "$PREFIX/bin/contxray.new" "$PREFIX/bin/contxray"
install -m 755 "$ROOT/shim/bin/contxray-runc" "$PREFIX/bin/contxray-runc.new" && mv -f "$PREFIX/bin/contxray-runc.new" "$PREFIX/bin/contxray-runc"
ln -sfn contxray-runc "$PREFIX/bin/contxray-record"
# containerd's runtime io.containerd.contxray.v2 (containerd finds containerd-shim-contxray-v2 on PATH)
install -m 755 "$ROOT/shim/bin/containerd-shim-contxray-v2" "$PREFIX/bin/containerd-shim-contxray-v2.new" &&
  mv -f "$PREFIX/bin/containerd-shim-contxray-v2.new" "$PREFIX/bin/containerd-shim-contxray-v2"
install -m 755 "$ROOT/install/daemonctl.sh" "$LIB/daemonctl.sh"
# the native fast path of the hook and of the wrapper's config.json patch (hook/src/main/c)
install -m 755 "$ROOT/hook/target/contxray-hook" "$LIB/contxray-hook.new" && mv -f "$LIB/contxray-hook.new" "$LIB/contxray-hook"
install -m 755 "$ROOT/hook/target/contxray-abi-probe" "$LIB/contxray-abi-probe.new" && mv -f "$LIB/contxray-abi-probe.new" "$LIB/contxray-abi-probe"
say "installed $LIB/{contxray.jar,contxray-hook,contxray-abi-probe}, $PREFIX/bin/{contxray,contxray-runc,contxray-record,containerd-shim-contxray-v2}"
# the Kubernetes manifests and containerd snippets (`contxray install kubernetes` prints the kubectl line)
SHARE=$PREFIX/share/contxray/kubernetes
install -d -m 755 "$SHARE"
install -m 644 "$ROOT"/install/kubernetes/*.yaml "$ROOT"/install/kubernetes/*.toml "$ROOT"/install/kubernetes/README.md \
  "$ROOT"/install/kubernetes/Dockerfile "$SHARE"/
say "Kubernetes manifests in $SHARE"
# shell completion and man pages, generated from the command tree by the build (cli/pom.xml); the
# man pages are AsciiDoc there, rendered to man(7) here by asciidoctor
COMPLETIONS=${CONTXRAY_COMPLETIONS_DIR:-/usr/share/bash-completion/completions}
if [ -f "$ROOT/cli/target/contxray-completion.bash" ]; then
  install -d -m 755 "$COMPLETIONS"
  install -m 644 "$ROOT/cli/target/contxray-completion.bash" "$COMPLETIONS/contxray.new" && mv -f "$COMPLETIONS/contxray.new" "$COMPLETIONS/contxray"
  say "bash completion $COMPLETIONS/contxray"
fi
if command -v asciidoctor >/dev/null && compgen -G "$ROOT/cli/target/man/*.adoc" >/dev/null; then
  install -d -m 755 "$PREFIX/share/man/man1"
  asciidoctor -b manpage -D "$PREFIX/share/man/man1" "$ROOT"/cli/target/man/*.adoc
  say "man pages in $PREFIX/share/man/man1 ($(ls "$ROOT"/cli/target/man/*.adoc | wc -l))"
else
  say "man pages not installed (asciidoctor missing, or no generated pages in cli/target/man)"
fi

# Class-data sharing for the hook: its JVM start-up is added to every recorded container's start.
# The archive is made by running the hook once against a socket that does not exist (fail-open path).
rm -f "$LIB/contxray.jsa"
echo '{"ociVersion":"1.0.2","id":"cds-training","status":"creating","pid":1,"bundle":"/nonexistent","annotations":{}}' |
  CONTXRAY_SOCKET=/nonexistent/contxray.sock java -XX:ArchiveClassesAtExit="$LIB/contxray.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
    -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$LIB/contxray.jar" io.contxray.cli.Main hook createRuntime 2>/dev/null || true
[ -f "$LIB/contxray.jsa" ] && say "class-data sharing archive $LIB/contxray.jsa" || say "no class-data sharing archive (hook starts slower)"

bash "$ROOT/install/mounts.sh"
install -d -m 755 /var/lib/contxray
install -d -m 700 /var/lib/contxray/containers

if [ "$DOCKER" = 1 ]; then
  # merged into what is there, original backed up once, refused (exit 1) when it does not parse
  out=$("$PREFIX/bin/contxray" install docker --config "$DAEMON_JSON" --bin-dir "$PREFIX/bin") || exit 1
  say "${out#contxray install docker: }"
  if [[ $out == *"registered in"* ]]; then
    # dockerd re-reads its runtimes on SIGHUP; no restart, running containers are untouched.
    if pid=$(pidof dockerd 2>/dev/null); then kill -HUP $pid && say "reloaded dockerd"; fi
  fi
fi

if [ "$DAEMON" = 1 ]; then
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
    install -m 644 "$ROOT/install/contxray.service" /etc/systemd/system/contxray.service
    systemctl daemon-reload
    systemctl enable contxray.service >/dev/null 2>&1 || true
    systemctl restart contxray.service
    say "recorder running as contxray.service"
  else
    PREFIX=$PREFIX bash "$LIB/daemonctl.sh" restart
  fi
fi
