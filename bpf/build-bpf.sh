#!/bin/sh
# Build the kernel object embedded in contxray-bpf.jar (called by Maven, see pom.xml).
#   build-bpf.sh MODULE_DIR TARGET_DIR
# vmlinux.h comes from the build machine's kernel BTF; the object is CO-RE, so it still
# loads on other kernels with BTF.
set -eu
module=$1
target=$2
out=$target/classes/io/contxray/bpf/contxray.bpf.o

for tool in clang bpftool; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "contxray-bpf: '$tool' not found; install the Debian packages clang, bpftool and libbpf-dev" >&2
		exit 1
	fi
done
if [ ! -r /usr/include/bpf/bpf_helpers.h ]; then
	echo "contxray-bpf: /usr/include/bpf/bpf_helpers.h not found; install the Debian package libbpf-dev" >&2
	exit 1
fi
if [ ! -r /sys/kernel/btf/vmlinux ]; then
	echo "contxray-bpf: /sys/kernel/btf/vmlinux missing: building needs a kernel with BTF (CONFIG_DEBUG_INFO_BTF)" >&2
	exit 1
fi

mkdir -p "$target" "$(dirname "$out")"
if [ ! -s "$target/vmlinux.h" ]; then
	bpftool btf dump file /sys/kernel/btf/vmlinux format c > "$target/vmlinux.h.tmp"
	mv "$target/vmlinux.h.tmp" "$target/vmlinux.h"
fi
# -mcpu=v3: the atomics cgroup_filter is written with (cmpxchg, fetch_or) need it (kernel 5.12+).
clang -g -O2 -Wall -Werror -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 \
	-I "$target" -I "$module" \
	-c "$module/contxray.bpf.c" -o "$out"
