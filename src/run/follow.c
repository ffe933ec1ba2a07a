/* follow.c - `wm-run status --follow`: the run's status (services, the tick
 * timeline, open incidents) redrawn every 2 s while a driver runs.
 *
 * It ends with 0 on q (stdin a terminal, read a key at a time), on SIGINT or
 * SIGTERM (taken on a signalfd, so the terminal is always restored), and
 * when the driver ends (the plan is over, or it was stopped).  With no driver
 * at the start there is nothing to follow: the status once, a line saying
 * so, RUN_EXIT_REFUSED (wm-run(1), EXIT STATUS).
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include "base/duration.h"
#include "common/prog.h"
#include "wm-run.h"

#define FOLLOW_MS 2000

struct follow {
	int sigfd;
	bool tty_in;  /* stdin is a terminal: keys are read */
	bool tty_out; /* stdout is a terminal: the screen is cleared */
	bool raw;     /* the terminal's mode was changed (restore it) */
	struct termios saved;
	sigset_t oldmask;
};

static void
follow_end(struct follow *f)
{
	struct signalfd_siginfo si;

	if (f->raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &f->saved);
	f->raw = false;
	/* taken here, or unblocking would deliver it (and kill us) */
	while (f->sigfd >= 0 && read(f->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si))
		;
	if (f->sigfd >= 0)
		close(f->sigfd);
	f->sigfd = -1;
	sigprocmask(SIG_SETMASK, &f->oldmask, NULL);
}

/* The status now: through the socket (*live), else from the journal. */
static cJSON *
follow_fetch(const char *dir, const struct wm_config *cfg, const char *sock, int64_t timeout_ms,
	     bool *live, struct wm_err *err)
{
	struct wm_ctl_req req = {.cmd = WM_CTL_STATUS};
	cJSON *r = wm_ctl_call(sock, &req, timeout_ms, err), *st = NULL;

	*live = r != NULL;
	if (r) {
		st = cJSON_DetachItemFromObjectCaseSensitive(r, "status");
		if (!st)
			wm_err_set(err, WM_EINVAL, "%s: the driver's answer holds no status", sock);
	} else if (err->code == WM_ENOTFOUND) {
		*err = (struct wm_err){0};
		st = run_offline_status(dir, cfg, err);
	}
	cJSON_Delete(r);
	return st;
}

static void
follow_draw(const struct follow *f, const struct run_opts *o, const cJSON *st)
{
	if (f->tty_out)
		fputs("\033[H\033[2J", stdout);
	if (o->cli.format == WM_FORMAT_TEXT) {
		status_print(stdout, st, wm_now_ms());
		if (!f->tty_out)
			fputc('\n', stdout);
	} else {
		char *t = cJSON_PrintUnformatted(st);

		puts(t ? t : "null");
		free(t);
	}
	if (f->tty_in && f->tty_out && o->cli.format == WM_FORMAT_TEXT)
		fputs("(q to quit)\n", stdout);
	fflush(stdout);
}

/* Wait up to FOLLOW_MS for a signal or q: true when following ends. */
static bool
follow_wait(struct follow *f)
{
	struct pollfd p[2] = {{.fd = f->sigfd, .events = POLLIN},
			      {.fd = f->tty_in ? STDIN_FILENO : -1, .events = POLLIN}};
	int64_t until = wm_monotonic_ms() + FOLLOW_MS, left;

	while ((left = until - wm_monotonic_ms()) > 0) {
		char c;

		if (poll(p, 2, (int)left) < 0 && errno != EINTR)
			return true;
		if (p[0].revents)
			return true; /* SIGINT, SIGTERM */
		if (!p[1].revents)
			continue;
		if (read(STDIN_FILENO, &c, 1) != 1)
			p[1].fd = -1; /* the terminal went away: signals still end it */
		else if (c == 'q' || c == 'Q')
			return true;
	}
	return false;
}

int
run_follow(const char *dir, const struct wm_config *cfg, const char *sock, int64_t timeout_ms,
	   const struct run_opts *o)
{
	struct follow f = {.sigfd = -1};
	sigset_t set;
	int rc = RUN_EXIT_OK;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, &f.oldmask) != 0 ||
	    (f.sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) < 0)
		wm_die(WM_UNKNOWN, "signalfd: %s", strerror(errno));
	f.tty_out = isatty(STDOUT_FILENO);
	f.tty_in = isatty(STDIN_FILENO);
	if (f.tty_in && tcgetattr(STDIN_FILENO, &f.saved) == 0) {
		struct termios raw = f.saved;

		/* a key at a time, not echoed; ^C still sends SIGINT */
		raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
		raw.c_cc[VMIN] = 1;
		raw.c_cc[VTIME] = 0;
		f.raw = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
	for (bool first = true;; first = false) {
		struct wm_err e = {0};
		bool live;
		cJSON *st = follow_fetch(dir, cfg, sock, timeout_ms, &live, &e);
		const cJSON *state;

		if (!st) {
			follow_end(&f);
			wm_die(WM_UNKNOWN, "%s", e.msg[0] ? e.msg : "no status");
		}
		follow_draw(&f, o, st);
		state = cJSON_GetObjectItemCaseSensitive(st, "state");
		if (!live || !cJSON_IsString(state) || strcmp(state->valuestring, "running") != 0) {
			const char *what = cJSON_IsString(state) ? state->valuestring : "?";

			if (first) {
				status_say("%s: no driver runs (%s): nothing to follow", dir, what);
				rc = RUN_EXIT_REFUSED;
			} else {
				status_say("%s: the driver is gone (%s)", dir, what);
			}
			cJSON_Delete(st);
			break;
		}
		cJSON_Delete(st);
		if (follow_wait(&f))
			break;
	}
	follow_end(&f);
	return rc;
}
