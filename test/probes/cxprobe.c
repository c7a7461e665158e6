/* cxprobe: makes the syscalls named on its command line with harmless arguments and prints
 * "name: ok" or "name: <errno name>" for each; with no arguments it prints "ready". Static, so
 * it runs in any image (bind-mounted by the tests).
 *   unshare mount ptrace keyctl
 *   socket-unix socket-inet socket-inet6 socket-netlink socket-packet: socket(2) of that family
 *     (closed at once)
 *   socket-packet-raw: socket(AF_PACKET, SOCK_RAW) (needs CAP_NET_RAW as well)
 *   personality: personality(0xffffffff), which only asks; personality-linux32: PER_LINUX32 and
 *     personality-addr-no-randomize: ADDR_NO_RANDOMIZE, each set back at once
 *   clone-newuser, clone-newnet: a fork-like raw clone(SIGCHLD | CLONE_NEWUSER or CLONE_NEWNET)
 *     whose child exits at once */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <linux/netlink.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
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

static long probe_socket(const char *family)
{
	static const struct { const char *name; int family, type, protocol; } families[] = {
		{"unix", AF_UNIX, SOCK_STREAM, 0},
		{"inet", AF_INET, SOCK_STREAM, 0},
		{"inet6", AF_INET6, SOCK_STREAM, 0},
		{"netlink", AF_NETLINK, SOCK_RAW, NETLINK_ROUTE},
		{"packet", AF_PACKET, SOCK_DGRAM, 0},
		{"packet-raw", AF_PACKET, SOCK_RAW, 0},
	};
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (!strcmp(family, families[i].name)) {
			long fd = syscall(SYS_socket, families[i].family, families[i].type, families[i].protocol);
			if (fd >= 0)
				close((int)fd);
			return fd < 0 ? -1 : 0;
		}
	}
	fprintf(stderr, "cxprobe: unknown socket family %s\n", family);
	return -2;
}

static long probe_personality(unsigned long persona)
{
	long old = syscall(SYS_personality, persona);

	if (old >= 0 && persona != 0xffffffffUL)
		syscall(SYS_personality, (unsigned long)old);
	return old < 0 ? -1 : 0;
}

static long probe_clone(unsigned long ns_flag)
{
	long pid = syscall(SYS_clone, SIGCHLD | ns_flag, 0L, NULL, NULL, 0L);

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid < 0 ? -1 : 0;
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
		else if (!strncmp(argv[i], "socket-", 7))
			r = probe_socket(argv[i] + 7);
		else if (!strcmp(argv[i], "personality"))
			r = probe_personality(0xffffffffUL);
		else if (!strcmp(argv[i], "personality-linux32"))
			r = probe_personality(PER_LINUX32);
		else if (!strcmp(argv[i], "personality-addr-no-randomize"))
			r = probe_personality(ADDR_NO_RANDOMIZE);
		else if (!strcmp(argv[i], "clone-newuser"))
			r = probe_clone(CLONE_NEWUSER);
		else if (!strcmp(argv[i], "clone-newnet"))
			r = probe_clone(CLONE_NEWNET);
		else {
			fprintf(stderr, "cxprobe: unknown syscall %s\n", argv[i]);
			return 2;
		}
		if (r == -2)
			return 2;
		printf("%s: %s\n", argv[i], r < 0 ? errname(errno) : "ok");
	}
	return 0;
}
