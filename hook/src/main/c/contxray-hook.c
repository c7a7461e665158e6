// SPDX-License-Identifier: Apache-2.0
/*
 * contxray-hook: the fast path in front of the Java hook and the Java config.json patcher.
 *
 * A JVM start costs 140-180 ms and a recorded container used to pay three (patch, createRuntime,
 * poststop) while it waited. The recorder daemon is a JVM that is already running, so this
 * client only forwards: it sends one request line to the daemon's socket and exits 0 when the
 * answer is ok. It parses no JSON and makes no decision: on anything else (daemon down, error
 * answer, timeout, bad settings) it hands over to the Java code, which owns every error path,
 * message and fail-open/fail-closed rule:
 *
 *   contxray-hook hook STAGE          (argv as written into config.json: contxray hook STAGE)
 *       OCI state on stdin -> {"v":1,"op":"hook","stage":STAGE,"state":"<stdin as a string>"}
 *       not ok -> exec `contxray hook STAGE` with the same stdin (a memfd holding what was read);
 *       a connection-level failure is passed on in $CONTXRAY_HOOK_PRIOR_FAILURE so the Java hook
 *       does not wait a second time for a daemon that already timed out.
 *   contxray-hook patch MODE BUNDLE   (from contxray-runc, before it execs runc)
 *       -> {"v":1,"op":"patch","mode":MODE,"bundle":BUNDLE}; exit 0 when done, 3 when the caller
 *       must run the Java patcher instead.
 *
 * Environment (the same as the Java side): CONTXRAY_SOCKET, CONTXRAY_HOOK_TIMEOUT_MS,
 * CONTXRAY_HOOK_STOP_TIMEOUT_MS, CONTXRAY_LAUNCHER (the Java launcher, /usr/local/bin/contxray).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/run/contxray/contxray.sock"
#define DEFAULT_LAUNCHER "/usr/local/bin/contxray"
#define MAX_LINE (1 << 20)         /* the daemon's bound on one request line */
#define MAX_STATE (MAX_LINE / 8)   /* escaped, a state may grow up to 6x; larger ones go to Java */
#define STDIN_TIMEOUT_MS 5000
#define REGISTER_BUDGET_MS 10000
#define STOP_BUDGET_MS 25000
#define EXIT_FALLBACK 3
#define OK_PREFIX "{\"v\":1,\"ok\":true"

struct buf {
	char *data;
	size_t len, cap;
};

static void buf_put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *d = realloc(b->data, cap);
		if (!d) {
			fputs("contxray-hook: out of memory\n", stderr);
			exit(EXIT_FALLBACK);
		}
		b->data = d;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

static void buf_str(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

/* Appends s[0..n) as the contents of a JSON string: quote, backslash and controls escaped;
 * other bytes as they are (the daemon refuses invalid UTF-8, and then Java reports it). */
static void buf_json_string(struct buf *b, const char *s, size_t n)
{
	char esc[8];

	buf_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = c;
			buf_put(b, esc, 2);
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			buf_put(b, esc, 6);
		} else {
			buf_put(b, (const char *)&c, 1);
		}
	}
	buf_put(b, "\"", 1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* A positive number of milliseconds from the environment; -1 when set but malformed. */
static long env_ms(const char *name, long fallback)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v || !*v)
		return fallback;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n <= 0)
		return -1;
	return n;
}

/* Waits until fd is ready for `events` or the deadline passes; 0 ready, -1 timeout/error. */
static int wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		long long left = deadline - now_ms();
		struct pollfd p = { .fd = fd, .events = events };
		int r;

		if (left <= 0)
			return -1;
		r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* Reads stdin to EOF into b; false on a timeout, an error or more than `max` bytes. */
static bool read_stdin(struct buf *b, size_t max, long long deadline)
{
	char chunk[65536];

	for (;;) {
		ssize_t n;

		if (wait_fd(0, POLLIN, deadline) < 0)
			return false;
		n = read(0, chunk, sizeof(chunk));
		if (n == 0)
			return true;
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return false;
		}
		buf_put(b, chunk, n);
		if (b->len > max)
			return false;
	}
}

/* One request line, one answer line. Returns 0 with the answer in `answer`, or -1 with a
 * one-line reason in `why` (connection-level: the daemon did not answer). */
static int call_daemon(const char *request, size_t len, long long deadline, struct buf *answer,
		       char *why, size_t why_len)
{
	const char *path = getenv("CONTXRAY_SOCKET");
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	size_t sent = 0;
	int fd, err;

	if (!path || !*path)
		path = DEFAULT_SOCKET;
	if (strlen(path) >= sizeof(addr.sun_path)) {
		snprintf(why, why_len, "socket path %s is too long", path);
		return -1;
	}
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(why, why_len, "socket: %s", strerror(errno));
		return -1;
	}
	/* A unix connect does not wait for accept (the backlog takes it); EAGAIN: backlog full. */
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		err = errno;
		snprintf(why, why_len, "connecting to %s: %s", path, strerror(err));
		close(fd);
		return -1;
	}
	while (sent < len) {
		ssize_t n;

		if (wait_fd(fd, POLLOUT, deadline) < 0)
			goto timeout;
		n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(why, why_len, "sending to %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		sent += n;
	}
	for (;;) {
		char chunk[4096];
		ssize_t n;

		if (answer->len && answer->data[answer->len - 1] == '\n')
			break;
		if (wait_fd(fd, POLLIN, deadline) < 0)
			goto timeout;
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n == 0) {
			snprintf(why, why_len, "%s closed the connection without an answer", path);
			close(fd);
			return -1;
		}
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			snprintf(why, why_len, "reading from %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		buf_put(answer, chunk, n);
		if (answer->len > MAX_LINE) {
			snprintf(why, why_len, "answer from %s longer than %d bytes", path, MAX_LINE);
			close(fd);
			return -1;
		}
	}
	close(fd);
	return 0;
timeout:
	snprintf(why, why_len, "no answer from the recorder daemon on %s in time", path);
	close(fd);
	return -1;
}

static bool answer_ok(const struct buf *answer)
{
	return answer->len >= strlen(OK_PREFIX) && !memcmp(answer->data, OK_PREFIX, strlen(OK_PREFIX));
}

/* Hands the hook over to Java with the stdin bytes already read; never returns. */
static void exec_java_hook(const char *stage, const struct buf *state, const char *prior_failure)
{
	const char *launcher = getenv("CONTXRAY_LAUNCHER");
	int fd = memfd_create("contxray-oci-state", MFD_CLOEXEC);
	size_t off = 0;

	if (!launcher || !*launcher)
		launcher = DEFAULT_LAUNCHER;
	if (fd < 0)
		goto fail;
	while (off < state->len) {
		ssize_t n = write(fd, state->data + off, state->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		off += n;
	}
	if (lseek(fd, 0, SEEK_SET) < 0 || dup2(fd, 0) < 0)
		goto fail;
	if (prior_failure)
		setenv("CONTXRAY_HOOK_PRIOR_FAILURE", prior_failure, 1);
	execl(launcher, "contxray", "hook", stage, (char *)NULL);
fail:
	/* No Java to decide: fail open, as the default policy does, and say why. */
	fprintf(stderr, "contxray: not recording (hook %s): handing over to %s: %s (fail-open)\n", stage, launcher,
		strerror(errno));
	exit(0);
}

static int run_hook(const char *stage)
{
	bool registers = strcmp(stage, "poststop") != 0;
	long budget = registers ? env_ms("CONTXRAY_HOOK_TIMEOUT_MS", REGISTER_BUDGET_MS)
				: env_ms("CONTXRAY_HOOK_STOP_TIMEOUT_MS", STOP_BUDGET_MS);
	long long start = now_ms();
	struct buf state = { 0 }, request = { 0 }, answer = { 0 };
	char why[512];
	long long stdin_deadline;

	if (strcmp(stage, "createRuntime") && strcmp(stage, "prestart") && strcmp(stage, "poststop"))
		exec_java_hook(stage, &state, NULL); /* Java prints the usage */
	stdin_deadline = start + (budget > 0 && budget < STDIN_TIMEOUT_MS ? budget : STDIN_TIMEOUT_MS);
	if (!read_stdin(&state, MAX_STATE, stdin_deadline) || budget < 0)
		exec_java_hook(stage, &state, NULL);

	buf_str(&request, "{\"v\":1,\"op\":\"hook\",\"stage\":");
	buf_json_string(&request, stage, strlen(stage));
	buf_str(&request, ",\"state\":");
	buf_json_string(&request, state.data ? state.data : "", state.len);
	buf_str(&request, "}\n");
	if (call_daemon(request.data, request.len, start + budget, &answer, why, sizeof(why)) < 0)
		exec_java_hook(stage, &state, why);
	if (!answer_ok(&answer))
		exec_java_hook(stage, &state, NULL); /* Java asks again and words the refusal */
	return 0;
}

static int run_patch(const char *mode, const char *bundle)
{
	struct buf request = { 0 }, answer = { 0 }, path = { 0 };
	char why[512], cwd[PATH_MAX];

	if (bundle[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			return EXIT_FALLBACK;
		buf_str(&path, cwd);
		buf_str(&path, "/");
	}
	buf_str(&path, bundle);
	buf_str(&request, "{\"v\":1,\"op\":\"patch\",\"mode\":");
	buf_json_string(&request, mode, strlen(mode));
	buf_str(&request, ",\"bundle\":");
	buf_json_string(&request, path.data, path.len);
	buf_str(&request, "}\n");
	/* Short: a daemon that does not answer at once is not worth more than the JVM it saves. */
	if (call_daemon(request.data, request.len, now_ms() + 2000, &answer, why, sizeof(why)) < 0)
		return EXIT_FALLBACK;
	return answer_ok(&answer) ? 0 : EXIT_FALLBACK;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "hook"))
		return run_hook(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "patch"))
		return run_patch(argv[2], argv[3]);
	fputs("contxray-hook: usage: contxray-hook hook createRuntime|prestart|poststop < state.json\n"
	      "       contxray-hook patch annotated|all BUNDLE\n",
	      stderr);
	return 2;
}
