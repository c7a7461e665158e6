/* Makes a known number of rare syscalls, for SyscallRecorderProgramRootTest (x86_64).
 *   syscall_helper native N      getcpu (309) N times
 *   syscall_helper compat N      i386 getcpu (318) N times through int 0x80 (TS_COMPAT set)
 *   syscall_helper outofrange N  syscall 1000 (ENOSYS) N times
 *   syscall_helper x32 N         x32 ABI getpid (39 | bit 30) N times: ENOSYS without CONFIG_X86_X32_ABI,
 *                                but the sys_enter tracepoint sees the number all the same
 *   syscall_helper seccomp N     install an allow-all seccomp filter, then getcpu N times
 *   syscall_helper args N        socket(AF_UNIX), socket(AF_INET) and personality(0xffffffff) N times each
 *   syscall_helper compatargs N  the same three through int 0x80 (i386 socket 359, personality 136)
 *   syscall_helper seccompargs N install an allow-all seccomp filter, then as args
 *   syscall_helper setids N      setgid(getgid()) and setresuid(-1, -1, -1) N times each, then renamed
 *                                "runc:[2:INIT]" (the runtime's init) the same again
 *   syscall_helper clones N      raw clone(SIGCHLD | CLONE_CHILD_SETTID) and clone(SIGCHLD | CLONE_NEWUTS)
 *                                N times each (root), each child exiting at once */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sched.h>
#include <signal.h>
#include <unistd.h>

static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return ret;
}

/* One socket of the family, closed again; the call, not the socket, is what is recorded. */
static int make_socket(int family, int type, int compat)
{
	long fd = compat ? int80(359, family, type, 0) : socket(family, type, 0);

	if (fd < 0) {
		fprintf(stderr, "socket(%d): %ld\n", family, fd);
		return -1;
	}
	close((int)fd);
	return 0;
}

static int args(long n, int compat)
{
	long i;

	for (i = 0; i < n; i++) {
		if (make_socket(AF_UNIX, SOCK_STREAM, compat) || make_socket(AF_INET, SOCK_DGRAM, compat))
			return 3;
		/* 0xffffffff queries the persona without changing it */
		if ((compat ? int80(136, 0xffffffffL, 0, 0) : personality(0xffffffff)) < 0) {
			perror("personality");
			return 3;
		}
	}
	return 0;
}

/* Calls that change nothing, so that they succeed as any user. */
static int set_ids(long n)
{
	long i;

	for (i = 0; i < n; i++) {
		if (syscall(SYS_setgid, (long)getgid()) || syscall(SYS_setresuid, -1L, -1L, -1L)) {
			perror("setgid/setresuid");
			return 3;
		}
	}
	return 0;
}

/* fork-like raw clones (no CLONE_VM: the child has its own copy of the stack); only the namespace
 * bit differs from what the recorder keeps of the flags */
static int clones(long n)
{
	static int tid;
	long i, flags[2] = {SIGCHLD | CLONE_CHILD_SETTID, SIGCHLD | CLONE_NEWUTS};

	for (i = 0; i < 2 * n; i++) {
		long pid = syscall(SYS_clone, flags[i % 2], 0L, NULL, &tid, 0L);

		if (pid == 0)
			_exit(0);
		if (pid < 0 || waitpid((pid_t)pid, NULL, 0) != pid) {
			perror("clone");
			return 3;
		}
	}
	return 0;
}

static void install_allow_all_filter(void)
{
	struct sock_filter code[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { .len = 1, .filter = code };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		perror("seccomp");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	long n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s native|compat|outofrange|x32|seccomp|args|compatargs|seccompargs|setids|clones N\n",
			argv[0]);
		return 2;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "seccomp") || !strcmp(argv[1], "seccompargs"))
		install_allow_all_filter();
	if (!strcmp(argv[1], "setids")) {
		if (set_ids(n))
			return 3;
		if (prctl(PR_SET_NAME, "runc:[2:INIT]", 0, 0, 0)) {
			perror("PR_SET_NAME");
			return 2;
		}
		return set_ids(n);
	}
	if (!strcmp(argv[1], "clones"))
		return clones(n);
	if (!strcmp(argv[1], "args") || !strcmp(argv[1], "compatargs") || !strcmp(argv[1], "seccompargs"))
		return args(n, !strcmp(argv[1], "compatargs"));
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[1], "compat")) {
			long ret = int80(318, 0, 0, 0);

			if (ret != 0) {
				fprintf(stderr, "int 0x80 getcpu: %ld (no IA32 emulation?)\n", ret);
				return 3;
			}
		} else if (!strcmp(argv[1], "outofrange")) {
			syscall(1000);
		} else if (!strcmp(argv[1], "x32")) {
			syscall(0x40000000L | 39);
		} else {
			syscall(SYS_getcpu, NULL, NULL, NULL);
		}
	}
	return 0;
}
