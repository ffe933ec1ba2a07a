/* exec.c - run a local command from an argv, bounded in time and output. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/duration.h"
#include "base/exec.h"

extern char **environ;

/* How long a process group gets between SIGTERM and SIGKILL, and how long we
 * keep draining its pipes after SIGKILL (a grandchild that left the group may
 * still hold them). */
#define TERM_GRACE_MS 300
#define DRAIN_AFTER_KILL_MS 1000
/* Initial capture buffer; it doubles up to max_out + 1. */
#define START_CAP 1024

struct sink {
	int fd;
	char *buf; /* grows on demand up to max + 1 */
	size_t len, cap, max;
	bool *truncated;
	bool oom;
};

struct run {
	pid_t pid;
	int in_fd; /* our end of the child's stdin, -1 when done */
	const char *in_data;
	size_t in_left;
	struct sink out, err;
	int64_t deadline, kill_at, give_up;
	bool *timed_out;
	bool reaped; /* the child has exited and status is set */
	int status;
	int pid_fd; /* readable when the child exits; -1 if unsupported */
};

static void
close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/* Room for more input without passing max, growing the buffer (doubling) as
 * needed.  0 means "discard": the bound is reached (or memory ran out). */
static size_t
sink_room(struct sink *s)
{
	size_t room;

	if (s->len >= s->max)
		return 0;
	if (s->len + 1 >= s->cap && !s->oom) {
		size_t cap = s->cap * 2 < s->max + 1 ? s->cap * 2 : s->max + 1;
		char *p = realloc(s->buf, cap);

		if (p) {
			s->buf = p;
			s->cap = cap;
		} else {
			s->oom = true;
		}
	}
	room = s->cap - 1 - s->len;
	return room < s->max - s->len ? room : s->max - s->len;
}

/* Read what is available; keeps at most max bytes and discards the rest. */
static void
sink_read(struct sink *s)
{
	char scratch[4096];

	for (;;) {
		size_t room = sink_room(s);
		char *dst = room ? s->buf + s->len : scratch;
		ssize_t n = read(s->fd, dst,
				 room ? (room < sizeof(scratch) ? room : sizeof(scratch))
				      : sizeof(scratch));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close_fd(&s->fd);
			return;
		}
		if (room)
			s->len += (size_t)n;
		else
			*s->truncated = true;
	}
}

static void
feed_stdin(struct run *r)
{
	while (r->in_left > 0) {
		ssize_t n = send(r->in_fd, r->in_data, r->in_left, MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n < 0) /* the child closed its stdin: that is its business */
			break;
		r->in_data += n;
		r->in_left -= (size_t)n;
	}
	close_fd(&r->in_fd);
}

static int
decode_status(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 128;
}

/* Reap the child if it has exited (or wait for it when block).  Once it is
 * gone, whoever still holds its pipes (a daemon it started) gets a short
 * drain, not our whole timeout. */
static void
try_reap(struct run *r, bool block)
{
	int st;
	pid_t p;

	if (r->reaped)
		return;
	do
		p = waitpid(r->pid, &st, block ? 0 : WNOHANG);
	while (p < 0 && errno == EINTR);
	if (p == r->pid) {
		r->reaped = true;
		r->status = decode_status(st);
		if (!r->give_up)
			r->give_up = wm_monotonic_ms() + DRAIN_AFTER_KILL_MS;
	} else if (p < 0) { /* ECHILD: someone else reaped it */
		r->reaped = true;
		r->status = 128;
	}
}

/* Escalate on the clock: SIGTERM at the deadline, SIGKILL after the grace,
 * then stop waiting for the pipes.  Returns the poll timeout to use, or -1
 * when it is time to give up on the pipes. */
static int
next_timeout(struct run *r)
{
	int64_t now = wm_monotonic_ms(), next;

	if (r->deadline > 0 && !*r->timed_out && !r->reaped && now >= r->deadline) {
		*r->timed_out = true;
		kill(-r->pid, SIGTERM);
		r->kill_at = now + TERM_GRACE_MS;
	}
	if (r->kill_at > 0 && now >= r->kill_at) {
		kill(-r->pid, SIGKILL);
		r->kill_at = 0;
		r->give_up = now + DRAIN_AFTER_KILL_MS;
	}
	if (r->give_up > 0 && now >= r->give_up)
		return -1;
	next = r->kill_at ? r->kill_at : r->give_up ? r->give_up : r->deadline;
	/* Without a pidfd, wake every 10 ms to notice the child's exit. */
	if (r->pid_fd < 0 && (next <= 0 || next - now > 10))
		return 10;
	if (next <= 0)
		return 1000;
	return next - now > 1000 ? 1000 : (int)(next - now);
}

/* Until the child has exited and its pipes are at EOF (a child that closes
 * its stdout early is still bound by the timeout), or we give up. */
static void
pump(struct run *r)
{
	for (;;) {
		struct pollfd p[4] = {
		    {.fd = r->out.fd, .events = POLLIN},
		    {.fd = r->err.fd, .events = POLLIN},
		    {.fd = r->in_fd, .events = POLLOUT},
		    {.fd = r->reaped ? -1 : r->pid_fd, .events = POLLIN},
		};
		int timeout;

		if (r->out.fd < 0 && r->err.fd < 0 && r->reaped)
			break;
		timeout = next_timeout(r);
		if (timeout < 0)
			break;
		if (poll(p, 4, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents)
			sink_read(&r->out);
		if (p[1].revents)
			sink_read(&r->err);
		if (p[2].revents)
			feed_stdin(r);
		try_reap(r, false);
	}
	close_fd(&r->out.fd);
	close_fd(&r->err.fd);
	close_fd(&r->in_fd);
	close_fd(&r->pid_fd);
}

/* A pidfd (Linux 5.3) lets poll() see the child's exit at once. */
static int
open_pid_fd(pid_t pid)
{
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	return -1;
#endif
}

/* The child: stdin from a socket (so a child that stops reading cannot SIGPIPE
 * us) or /dev/null, stdout/stderr to pipes, its own process group, default
 * signal dispositions and an empty mask whatever the caller set. */
static int
spawn(char *const argv[], bool with_stdin, int in, int out, int errfd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, dfl;
	static const int sigs[] = {SIGPIPE, SIGINT,  SIGQUIT, SIGTERM, SIGHUP,
				   SIGCHLD, SIGALRM, SIGUSR1, SIGUSR2};
	int rc;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&dfl, sigs[i]);
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (with_stdin)
		posix_spawn_file_actions_adddup2(&fa, in, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out, 1);
	posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
					  POSIX_SPAWN_SETSIGDEF);
	rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

int
wm_exec(char *const argv[], const char *stdin_data, int64_t timeout_ms, size_t max_out,
	struct wm_exec_result *res, struct wm_err *err)
{
	int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
	struct run r = {.in_fd = -1, .pid_fd = -1};
	int rc;

	memset(res, 0, sizeof(*res));
	if (!argv || !argv[0] || !*argv[0])
		return wm_err_set(err, WM_EINVAL, "empty command");
	if (max_out > SIZE_MAX / 2)
		max_out = SIZE_MAX / 2;
	res->out = malloc(START_CAP);
	res->err_out = malloc(START_CAP);
	if (!res->out || !res->err_out) {
		wm_exec_result_free(res);
		return wm_err_set(err, WM_ENOMEM, "%s: out of memory", argv[0]);
	}
	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    (stdin_data && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0)) {
		rc = wm_err_errno(err, WM_EIO, errno, "%s: pipe", argv[0]);
		goto out_close;
	}
	rc = spawn(argv, stdin_data != NULL, in[1], out[1], errp[1], &r.pid);
	if (rc != 0) {
		rc = wm_err_errno(err, rc == ENOENT ? WM_ENOTFOUND : WM_EIO, rc, "%s", argv[0]);
		goto out_close;
	}
	close_fd(&in[1]);
	close_fd(&out[1]);
	close_fd(&errp[1]);
	r.pid_fd = open_pid_fd(r.pid);
	if (r.pid_fd >= 0)
		fcntl(r.pid_fd, F_SETFD, FD_CLOEXEC);
	r.in_fd = in[0];
	in[0] = -1;
	r.in_data = stdin_data;
	r.in_left = stdin_data ? strlen(stdin_data) : 0;
	r.out = (struct sink){out[0], res->out, 0, START_CAP, max_out, &res->truncated, false};
	r.err = (struct sink){errp[0], res->err_out, 0, START_CAP, max_out, &res->truncated, false};
	res->out = res->err_out = NULL; /* the sinks own them until the end */
	out[0] = errp[0] = -1;
	fcntl(r.out.fd, F_SETFL, O_NONBLOCK);
	fcntl(r.err.fd, F_SETFL, O_NONBLOCK);
	r.deadline = timeout_ms > 0 ? wm_monotonic_ms() + timeout_ms : 0;
	r.timed_out = &res->timed_out;
	if (r.in_fd >= 0)
		feed_stdin(&r);
	pump(&r);
	if (res->timed_out && !r.reaped)
		kill(-r.pid, SIGKILL); /* whatever is left of the group */
	try_reap(&r, true);
	res->status = r.status;
	res->out = r.out.buf;
	res->out[r.out.len] = '\0';
	res->out_len = r.out.len;
	res->err_out = r.err.buf;
	res->err_out[r.err.len] = '\0';
	res->err_len = r.err.len;
	if (r.out.oom || r.err.oom)
		res->truncated = true;
	return 0;
out_close:
	for (int i = 0; i < 2; i++) {
		close_fd(&in[i]);
		close_fd(&out[i]);
		close_fd(&errp[i]);
	}
	return rc;
}

void
wm_exec_result_free(struct wm_exec_result *res)
{
	if (!res)
		return;
	free(res->out);
	free(res->err_out);
	memset(res, 0, sizeof(*res));
}
