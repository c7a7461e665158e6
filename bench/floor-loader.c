/*
 * Loads bench/floor.bpf.o (an empty tp_btf/sys_enter program), attaches it, prints "attached"
 * and keeps it attached until its stdin reaches end of file or it gets SIGTERM/SIGINT/SIGHUP.
 *
 * Why stdin: the benchmark script holds the write end of a pipe to it; if the script dies in
 * any way (even SIGKILL), the pipe closes and the program is detached with no one cleaning up.
 * Nothing is pinned, so the link goes away with this process in every case.
 *
 *   floor-loader PATH/floor.bpf.o
 *
 * Every failure is one line on stderr and exit status 1.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int verbose;

/* libbpf's own messages are multi-line and chatty; the caller gets our one line instead.
 * FLOOR_DEBUG=1 passes libbpf's warnings through (that is where a verifier log shows up). */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (!verbose || level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* libbpf 1.x returns -errno, or NULL with errno set: both end up as a positive errno here. */
static int fail(const char *what, int err)
{
	if (err < 0)
		err = -err;
	fprintf(stderr, "floor-loader: %s: %s%s\n", what, strerror(err),
		verbose ? "" : " (FLOOR_DEBUG=1 shows libbpf's log)");
	return 1;
}

/* Blocks until stdin is at end of file (or errors) or a signal asked us to stop. */
static void wait_for_stop(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char buf[256];

	while (!stop_requested) {
		int n = poll(&pfd, 1, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
			ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));

			if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
				return;
			/* anything written to us is ignored: only the close matters */
		}
	}
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *link;
	struct sigaction sa;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: floor-loader FLOOR_BPF_OBJECT\n");
		return 2;
	}
	verbose = getenv("FLOOR_DEBUG") != NULL && strcmp(getenv("FLOOR_DEBUG"), "1") == 0;
	libbpf_set_print(libbpf_print);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: poll() must return EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) || sigaction(SIGINT, &sa, NULL) || sigaction(SIGHUP, &sa, NULL))
		return fail("installing signal handlers", errno);
	/* A reader that went away must not kill us before we detach. */
	signal(SIGPIPE, SIG_IGN);

	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		return fail(argv[1], errno);
	err = bpf_object__load(obj);
	if (err) {
		bpf_object__close(obj);
		return fail("loading floor program into the kernel", err);
	}
	prog = bpf_object__find_program_by_name(obj, "floor_prog");
	if (!prog) {
		bpf_object__close(obj);
		return fail("program floor_prog not found in the object", ENOENT);
	}
	link = bpf_program__attach(prog);
	if (!link) {
		err = errno;
		bpf_object__close(obj);
		return fail("attaching floor_prog to tp_btf/sys_enter", err);
	}

	printf("attached\n");
	if (fflush(stdout) != 0) {
		err = errno;
		bpf_link__destroy(link);
		bpf_object__close(obj);
		return fail("writing to stdout", err);
	}

	wait_for_stop();

	err = bpf_link__destroy(link);
	bpf_object__close(obj);
	if (err)
		return fail("detaching floor_prog", err);
	return 0;
}
