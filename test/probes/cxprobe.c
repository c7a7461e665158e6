/* cxprobe: makes the syscalls named on its command line with harmless arguments and prints
 * "name: ok" or "name: <errno name>" for each; with no arguments it prints "ready". Static, so
 * it runs in any image (bind-mounted by the tests). */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	default: return strerror(e);
	}
}

int main(int argc, char **argv)
{
	if (argc == 1) {
		puts("ready");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		long r;

		if (!strcmp(argv[i], "unshare"))
			r = syscall(SYS_unshare, CLONE_NEWNS);
		else if (!strcmp(argv[i], "mount"))
			r = syscall(SYS_mount, "none", "/tmp", "tmpfs", 0L, NULL);
		else if (!strcmp(argv[i], "ptrace"))
			r = syscall(SYS_ptrace, PTRACE_TRACEME, 0L, 0L, 0L);
		else if (!strcmp(argv[i], "keyctl"))
			r = syscall(SYS_keyctl, 0L /* KEYCTL_GET_KEYRING_ID */, -3L /* KEY_SPEC_SESSION_KEYRING */, 0L);
		else {
			fprintf(stderr, "cxprobe: unknown syscall %s\n", argv[i]);
			return 2;
		}
		printf("%s: %s\n", argv[i], r < 0 ? errname(errno) : "ok");
	}
	return 0;
}
