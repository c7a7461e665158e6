/* contxray-abi-probe: can this host run 32-bit syscalls? `contxray doctor` asks it, since only
 * trying tells: some VMs kill every int 0x80 with SIGSEGV although the kernel has IA32 emulation.
 *   contxray-abi-probe int80   i386 getpid through int 0x80: prints "ok", or dies (the answer)
 *   contxray-abi-probe x32     an x32 getpid (bit 30): prints "ok", or the errno's name
 * Exit 0 on "ok", 1 when the call failed, 2 on bad usage or another architecture. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

int main(int argc, char **argv)
{
	if (argc != 2 || (strcmp(argv[1], "int80") && strcmp(argv[1], "x32"))) {
		fprintf(stderr, "usage: %s int80|x32\n", argv[0]);
		return 2;
	}
#if defined(__x86_64__)
	long pid = getpid(), ret;

	if (!strcmp(argv[1], "int80")) {
		__asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory"); /* i386 getpid */
		if (ret != pid) {
			printf("%s\n", ret < 0 && -ret == ENOSYS ? "ENOSYS" : "unexpected result");
			return 1;
		}
	} else {
		ret = syscall(0x40000000L | 39); /* x32 getpid */
		if (ret != pid) {
			printf("%s\n", errno == ENOSYS ? "ENOSYS" : strerror(errno));
			return 1;
		}
	}
	printf("ok\n");
	return 0;
#else
	printf("not x86_64\n");
	return 2;
#endif
}
