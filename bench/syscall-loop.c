/*
 * Tight syscall loop for bench/syscall-overhead.sh: N calls of getppid, printed as ns per call.
 *
 * getppid is used because it does almost nothing in the kernel (no locks, no copies), so the
 * time per call is dominated by the syscall entry/exit path, which is exactly where the
 * sys_enter programs being compared run. It goes through syscall(2) so that no libc caches it.
 *
 * For bench/capability-checks.sh, N mmap+munmap pairs of one private anonymous page, printed as
 * ns per pair: a writable one is accounted, and memory overcommit checks CAP_SYS_ADMIN (without
 * auditing) on each; with MAP_NORESERVE the same pair makes no capability check.
 *
 *   syscall-loop N                    run N timed calls (after a short untimed warm-up), print "<ns per call>"
 *   syscall-loop --mmap N             the same with mmap+munmap pairs, "<ns per pair>"
 *   syscall-loop --mmap-noreserve N   the same with MAP_NORESERVE
 *   syscall-loop --nr                 print the syscall number of getppid on this architecture (for checks)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

static int mmap_flags; /* 0: getppid loop */

static void run(unsigned long n)
{
	if (!mmap_flags) {
		for (unsigned long i = 0; i < n; i++)
			syscall(SYS_getppid);
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, mmap_flags, -1, 0);

		if (p == MAP_FAILED || munmap(p, 4096) != 0) {
			fprintf(stderr, "syscall-loop: mmap/munmap of one page: %s\n", strerror(errno));
			exit(1);
		}
	}
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
	if (argc == 3 && strcmp(argv[1], "--mmap") == 0)
		mmap_flags = MAP_PRIVATE | MAP_ANONYMOUS;
	else if (argc == 3 && strcmp(argv[1], "--mmap-noreserve") == 0)
		mmap_flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	else if (argc != 2) {
		fprintf(stderr, "usage: syscall-loop [--mmap | --mmap-noreserve] ITERATIONS | --nr\n");
		return 2;
	}
	errno = 0;
	n = strtoul(argv[argc - 1], &end, 10);
	if (errno != 0 || *end != '\0' || end == argv[argc - 1] || n == 0) {
		fprintf(stderr, "syscall-loop: iterations must be a positive integer, got \"%s\"\n", argv[argc - 1]);
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
