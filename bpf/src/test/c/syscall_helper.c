/* Makes a known number of rare syscalls, for SyscallRecorderProgramRootTest (x86_64).
 *   syscall_helper native N      getcpu (309) N times
 *   syscall_helper compat N      i386 getcpu (318) N times through int 0x80 (TS_COMPAT set)
 *   syscall_helper outofrange N  syscall 1000 (ENOSYS) N times
 *   syscall_helper seccomp N     install an allow-all seccomp filter, then getcpu N times */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

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
		fprintf(stderr, "usage: %s native|compat|outofrange|seccomp N\n", argv[0]);
		return 2;
	}
	n = atol(argv[2]);
	if (!strcmp(argv[1], "seccomp"))
		install_allow_all_filter();
	for (i = 0; i < n; i++) {
		if (!strcmp(argv[1], "compat")) {
			long ret;
			__asm__ volatile("int $0x80" : "=a"(ret) : "a"(318), "b"(0), "c"(0), "d"(0) : "memory");
			if (ret != 0) {
				fprintf(stderr, "int 0x80 getcpu: %ld (no IA32 emulation?)\n", ret);
				return 3;
			}
		} else if (!strcmp(argv[1], "outofrange")) {
			syscall(1000);
		} else {
			syscall(SYS_getcpu, NULL, NULL, NULL);
		}
	}
	return 0;
}
