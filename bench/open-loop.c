// A file-open storm for bench/file-events.sh: opens and closes PATH N times as fast as it can, or
// at RATE opens per second when given (paced in steps of 1000 opens, so that a recorder is measured
// against a sustained rate rather than a burst), and prints "opens=N seconds=S rate=R". A PATH with "%ld" in it names a new
// file each time (the i-th open gets i), which may not exist: then every open fails with ENOENT,
// and every one is a distinct access. Built static, so it runs in any image.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec a, b;
	char path[4096];
	int distinct;
	long n, i, pace = 0;

	if ((argc != 3 && argc != 4) || (n = atol(argv[1])) <= 0 || (argc == 4 && (pace = atol(argv[3])) <= 0)) {
		fprintf(stderr, "usage: open-loop N PATH [RATE]\n");
		return 2;
	}
	distinct = strstr(argv[2], "%ld") != NULL;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		int fd;

		if (pace && i % 1000 == 0 && i > 0) {
			struct timespec now, nap;
			double ahead;

			clock_gettime(CLOCK_MONOTONIC, &now);
			ahead = (double)i / pace - ((now.tv_sec - a.tv_sec) + (now.tv_nsec - a.tv_nsec) / 1e9);
			if (ahead > 0) {
				nap.tv_sec = (time_t)ahead;
				nap.tv_nsec = (long)((ahead - nap.tv_sec) * 1e9);
				nanosleep(&nap, NULL);
			}
		}

		if (distinct) {
			snprintf(path, sizeof(path), argv[2], i);
			fd = open(path, O_RDONLY);
			if (fd >= 0)
				close(fd);
			continue;
		}
		fd = open(argv[2], O_RDONLY);
		if (fd < 0) {
			perror(argv[2]);
			return 1;
		}
		close(fd);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
	printf("opens=%ld seconds=%.3f rate=%.0f\n", n, s, n / s);
	return 0;
}
