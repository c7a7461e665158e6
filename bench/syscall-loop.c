/*
 * Tight syscall loop for bench/syscall-overhead.sh: N calls of getppid, printed as ns per call.
 *
 * getppid is used because it does almost nothing in the kernel (no locks, no copies), so the
 * time per call is dominated by the syscall entry/exit path, which is exactly where the
 * sys_enter programs being compared run. It goes through syscall(2) so that no libc caches it.
 *
 *   syscall-loop N      run N timed calls (after a short untimed warm-up), print "<ns per call>"
 *   syscall-loop --nr   print the syscall number of getppid on this architecture (for checks)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		fprintf(stderr, "syscall-loop: clock_gettime(CLOCK_MONOTONIC): %s\n", strerror(errno));
		exit(1);
	}
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void run(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		syscall(SYS_getppid);
}

int main(int argc, char **argv)
{
	char *end;
	unsigned long n;
	double start, elapsed;

	if (argc == 2 && strcmp(argv[1], "--nr") == 0) {
		printf("%d\n", (int)SYS_getppid);
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: syscall-loop ITERATIONS | --nr\n");
		return 2;
	}
	errno = 0;
	n = strtoul(argv[1], &end, 10);
	if (errno != 0 || *end != '\0' || end == argv[1] || n == 0) {
		fprintf(stderr, "syscall-loop: iterations must be a positive integer, got \"%s\"\n", argv[1]);
		return 2;
	}
	/* Warm-up: fault in the code, let the CPU leave idle states and settle its clock before
	 * the timed part; it is also counted by the recorders, which is fine. */
	run(n / 20 + 1);
	start = now_ns();
	run(n);
	elapsed = now_ns() - start;
	printf("%.2f\n", elapsed / (double)n);
	return 0;
}
