/* prog.c - the program side of the common command line: names, diagnostics,
 * exits, close_stdout, and rendering the result once. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "conf/conf_print.h"
#include "base/duration.h"
#include "base/file.h"
#include "common/prog.h"
#include "render/render.h"
#include "checks/checks.h"
#include "session/session.h"

#define WM_PROG_CLEANUP_MAX 4

/* The program-wide state (program side only; the library keeps none): the
 * name for diagnostics, and the watchdog. */
static const char *prog_name = "wm";
/* The command line as parsed so far (set by wm_prog_option): the format a
 * failure before the result must still be printed in. */
static const struct wm_cli *prog_cli;

static struct {
	pthread_mutex_t lock;	  /* held by whoever prints the result */
	bool off;		  /* wm_prog_emit got there first */
	struct timespec deadline; /* CLOCK_MONOTONIC */
	char *text;		  /* the UNKNOWN result, rendered in advance */
	size_t len;
	const char *output; /* --output, or NULL for stdout */
	char message[128];  /* for stderr */
	/* private directories (ssh tunnels) to empty and remove before _exit */
	char cleanup[WM_PROG_CLEANUP_MAX][256];
} watchdog = {.lock = PTHREAD_MUTEX_INITIALIZER};

const char *
wm_prog_name(void)
{
	return prog_name;
}

void
wm_prog_write_failed(int errnum)
{
	/* a reader that left (| head, grep -q) chose to: no message, as Unix
	 * tools; but never status 0, the output was not all delivered */
	if (errnum != EPIPE)
		fprintf(stderr, "%s: write error: %s\n", prog_name,
			strerror(errnum ? errnum : EIO));
	_exit(WM_UNKNOWN);
}

/* coreutils close_stdout: a write error that stdio kept to itself (a broken
 * pipe, a full disk) must not end in exit status 0. */
static void
close_stdout(void)
{
	int had_error = ferror(stdout);

	if (fclose(stdout) == 0 && !had_error)
		return;
	/* errno: from fclose, else from the write that set the error flag */
	wm_prog_write_failed(errno);
}

void
wm_prog_init(int argc, char **argv)
{
	const char *slash;

	if (argc > 0 && argv[0] && *argv[0]) {
		slash = strrchr(argv[0], '/');
		prog_name = slash ? slash + 1 : argv[0];
		/* getopt_long names argv[0] in its messages: "wm-x: unrecognized
		 * option", like every other diagnostic, not "./src/wm-x: ..." */
		argv[0] = (char *)prog_name;
	}
	atexit(close_stdout);
	/* a reader that went away (| head) is a write error: exit 3 from
	 * close_stdout, not a death by SIGPIPE (status 141 in a shell) */
	signal(SIGPIPE, SIG_IGN);
}

static void
vwarn_line(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog_name);
	vfprintf(stderr, fmt, ap);
	putc('\n', stderr);
}

/* A failure before any result (configuration, target, usage after -j): in
 * every machine format, an UNKNOWN result carrying the reason, on stdout (or
 * --output), so that a Nagios or Icinga engine and a JSON reader see why and
 * not an empty answer.  Text keeps the diagnostic on stderr alone. */
static void
emit_failure(const char *fmt, va_list ap)
{
	struct wm_result *r;
	struct wm_check *c;
	char why[512];

	if (!prog_cli || prog_cli->format == WM_FORMAT_TEXT)
		return;
	vsnprintf(why, sizeof why, fmt, ap);
	r = wm_result_new(prog_name, PACKAGE_VERSION, prog_cli->target);
	if (!r || !(c = wm_result_add_check(r, "setup")))
		goto out_free;
	wm_check_set(c, WM_UNKNOWN, "%s", why);
	if (wm_result_set_summary(r, "%s", why) < 0)
		goto out_free;
	wm_result_finish(r);
	if (prog_cli->output)
		wm_render_file(r, prog_cli->format, 0, prog_cli->output, NULL);
	else
		wm_render(r, prog_cli->format, stdout, 0);
out_free:
	wm_result_free(r);
}

void
wm_try_help(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", prog_name);
	exit(WM_UNKNOWN);
}

void
wm_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_line(fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	emit_failure(fmt, ap);
	va_end(ap);
	wm_try_help();
}

void
wm_die(enum wm_state s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_line(fmt, ap);
	va_end(ap);
	if (s == WM_UNKNOWN) {
		va_start(ap, fmt);
		emit_failure(fmt, ap);
		va_end(ap);
	}
	exit(s);
}

void
wm_print_version(void)
{
	printf("%s (%s) %s\n", prog_name, PACKAGE_NAME, PACKAGE_VERSION);
	/* the GNU coding standards' --version: copyright and licence (COPYING) */
	fputs("Copyright (C) 2026 the warunginmon authors.\n"
	      "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	      "This is free software: you are free to change and redistribute it.\n"
	      "There is NO WARRANTY, to the extent permitted by law.\n",
	      stdout);
}

void
wm_usage_common(FILE *out)
{
	fputs("\nCommon options:\n"
	      "  -t, --target=NAME        check the target NAME of the configuration\n"
	      "  -H, --host=[USER@]HOST[:PORT]\n"
	      "                           check HOST over ssh (an ad-hoc target)\n"
	      "      --config=FILE        read FILE instead of the default configuration\n"
	      "  -w, --warning=[METRIC=]RANGE\n"
	      "                           warning threshold, Nagios range syntax (repeatable)\n"
	      "  -c, --critical=[METRIC=]RANGE\n"
	      "                           critical threshold, Nagios range syntax (repeatable)\n"
	      "      --timeout=SECONDS    give up after SECONDS (default 10)\n"
	      "      --format=FORMAT      text, json, ndjson, nagios, prometheus or openmetrics\n"
	      "  -j, --json               same as --format=json\n"
	      "      --output=FILE        write the output to FILE atomically\n"
	      "  -l, --long               text: every metric with its thresholds\n"
	      "  -v, --verbose            say more on stderr (repeatable)\n"
	      "      --print-config       show the configuration of the target, where each\n"
	      "                           value comes from, secrets masked, and exit\n"
	      "  -h, --help               display this help and exit\n"
	      "  -V, --version            output version information and exit\n"
	      "\nExit status: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (see warunginmon(7)).\n",
	      out);
}

int
wm_prog_getopt(int argc, char **argv, struct wm_cli *cli, const struct option *longopts,
	       void (*usage)(int status))
{
	int c;

	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS, longopts, NULL)) != -1)
		if (!wm_prog_option(cli, c, optarg, usage))
			return c;
	if (optind < argc)
		wm_usage_error("unexpected argument '%s'", argv[optind]);
	return -1;
}

bool
wm_prog_option(struct wm_cli *cli, int opt, const char *arg, void (*usage)(int status))
{
	struct wm_err err = {0};

	prog_cli = cli;
	switch (opt) {
	case 'h':
		usage(0);
		exit(0); /* usage must not return; be safe anyway */
	case 'V':
		wm_print_version();
		exit(0);
	case '?':
		wm_try_help(); /* getopt_long already said what was wrong */
	}
	switch (wm_cli_option(cli, opt, arg, &err)) {
	case 1:
		return true;
	case 0:
		return false;
	}
	wm_usage_error("%s", err.msg);
}

static void
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

/* Have the watchdog empty and remove the private directory dir (a copy is
 * kept) before it exits, as the normal cleanup it cuts short would: the
 * session's tunnel directory with its sockets. */
static void
cleanup_dir(void *arg, const char *dir)
{
	(void)arg;
	pthread_mutex_lock(&watchdog.lock);
	for (size_t i = 0; dir && i < WM_PROG_CLEANUP_MAX; i++) {
		if (strcmp(watchdog.cleanup[i], dir) == 0)
			break;
		if (!watchdog.cleanup[i][0] && strlen(dir) < sizeof(watchdog.cleanup[i])) {
			memcpy(watchdog.cleanup[i], dir, strlen(dir) + 1);
			break;
		}
	}
	pthread_mutex_unlock(&watchdog.lock);
}

/* Before the session removes them the normal way. */
static void
cleanup_forget(void)
{
	pthread_mutex_lock(&watchdog.lock);
	memset(watchdog.cleanup, 0, sizeof(watchdog.cleanup));
	pthread_mutex_unlock(&watchdog.lock);
}

/* Empty the directory dir (its sockets) and remove it, with system calls
 * only: another thread may hold the malloc or libssh locks, so no opendir. */
static void
remove_dir(const char *dir)
{
	union {
		char b[4096];
		struct dirent64 align;
	} buf;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	long n;

	if (fd < 0)
		return;
	/* bounded: each pass removes what it read; a pass reading nothing ends */
	for (int pass = 0; pass < 64; pass++) {
		n = syscall(SYS_getdents64, fd, buf.b, sizeof(buf.b));
		if (n <= 0)
			break;
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(void *)(buf.b + off);

			if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
				unlinkat(fd, d->d_name, 0);
			off += d->d_reclen;
		}
	}
	close(fd);
	rmdir(dir);
}

/* Remove the registered directories now (before an exit that skips the
 * session's own cleanup). */
static void
cleanup_now(void)
{
	pthread_mutex_lock(&watchdog.lock);
	for (size_t i = 0; i < WM_PROG_CLEANUP_MAX; i++)
		if (watchdog.cleanup[i][0])
			remove_dir(watchdog.cleanup[i]);
	memset(watchdog.cleanup, 0, sizeof(watchdog.cleanup));
	pthread_mutex_unlock(&watchdog.lock);
}

/* Sleep until the deadline; unless wm_prog_emit came first, print the
 * prepared result and end the process (holding the lock, so emit cannot
 * print a second result meanwhile). */
static void *
watchdog_main(void *arg)
{
	(void)arg;
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &watchdog.deadline, NULL) == EINTR)
		continue;
	pthread_mutex_lock(&watchdog.lock);
	if (watchdog.off) {
		pthread_mutex_unlock(&watchdog.lock);
		return NULL;
	}
	if (watchdog.output)
		wm_file_write_atomic(watchdog.output, watchdog.text, watchdog.len, 0644, NULL);
	else
		write_all(STDOUT_FILENO, watchdog.text, watchdog.len);
	write_all(STDERR_FILENO, watchdog.message, strlen(watchdog.message));
	for (size_t i = 0; i < WM_PROG_CLEANUP_MAX; i++)
		if (watchdog.cleanup[i][0])
			remove_dir(watchdog.cleanup[i]);
	_exit(WM_UNKNOWN);
}

/* The UNKNOWN result the watchdog prints, rendered now while it is safe. */
static int
prepare_timeout_result(const struct wm_cli *cli, const char *target)
{
	struct wm_result *r = wm_result_new(prog_name, PACKAGE_VERSION, target);
	struct wm_check *c = r ? wm_result_add_check(r, "timeout") : NULL;
	FILE *mem;
	int rc = -1;

	if (!c)
		goto out_free_result;
	wm_check_set(c, WM_UNKNOWN, "timed out after %g s (--timeout)", cli->timeout);
	if (wm_result_set_summary(r, "timed out after %g s", cli->timeout) < 0)
		goto out_free_result;
	r->duration_ms = (int64_t)((cli->timeout + WM_WATCHDOG_GRACE) * 1000);
	mem = open_memstream(&watchdog.text, &watchdog.len);
	if (!mem)
		goto out_free_result;
	rc = wm_render(r, cli->format, mem, 0);
	if (fclose(mem) != 0)
		rc = -1;
out_free_result:
	wm_result_free(r);
	return rc;
}

void
wm_prog_watchdog(const struct wm_cli *cli, const char *target, int64_t extra_ms)
{
	double at = cli->timeout + (double)extra_ms / 1000.0 + WM_WATCHDOG_GRACE;
	pthread_t thread;

	if (prepare_timeout_result(cli, target) < 0)
		wm_die(WM_UNKNOWN, "out of memory");
	watchdog.output = cli->output;
	snprintf(watchdog.message, sizeof(watchdog.message), "%s: timed out after %g s\n",
		 prog_name, cli->timeout);
	clock_gettime(CLOCK_MONOTONIC, &watchdog.deadline);
	watchdog.deadline.tv_sec += (time_t)at;
	watchdog.deadline.tv_nsec += (long)((at - (double)(time_t)at) * 1e9);
	if (watchdog.deadline.tv_nsec >= 1000000000L) {
		watchdog.deadline.tv_sec++;
		watchdog.deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_create(&thread, NULL, watchdog_main, NULL) != 0)
		wm_die(WM_UNKNOWN, "cannot start the watchdog thread");
	pthread_detach(thread);
}

/* Text on a terminal: its width and colour, unless COLUMNS, NO_COLOR or
 * TERM=dumb say otherwise (wm_render_terminal); -l adds every metric.
 * Pretty JSON on a terminal. */
static struct wm_render_opts
render_opts(const struct wm_cli *cli)
{
	struct wm_render_opts o = {0};
	bool tty = !cli->output && isatty(STDOUT_FILENO);

	/* people at a terminal get indented JSON; pipes get one compact line */
	if (cli->format == WM_FORMAT_JSON)
		o.flags = tty ? WM_RENDER_PRETTY : 0;
	if (cli->format != WM_FORMAT_TEXT || cli->output)
		return o;
	wm_render_terminal(&o, STDOUT_FILENO, getenv("COLUMNS"), getenv("NO_COLOR"),
			   getenv("TERM"));
	o.flags |= (cli->color ? WM_RENDER_COLOR : 0) | (cli->long_text ? WM_RENDER_LONG : 0);
	return o;
}

/* What --output gets: --long's detail, never a terminal's colour or width. */
static unsigned
file_flags(const struct wm_cli *cli)
{
	return cli->format == WM_FORMAT_TEXT && cli->long_text ? WM_RENDER_LONG : 0;
}

static int
render_stdout(const struct wm_result *r, const struct wm_cli *cli)
{
	struct wm_render_opts o = render_opts(cli);

	return wm_render_to(r, cli->format, stdout, &o);
}

int
wm_prog_emit(struct wm_result *r, const struct wm_cli *cli)
{
	struct wm_err err = {0};

	pthread_mutex_lock(&watchdog.lock);
	watchdog.off = true;
	pthread_mutex_unlock(&watchdog.lock);
	wm_result_finish(r);
	if (cli->output) {
		if (wm_render_file(r, cli->format, file_flags(cli), cli->output, &err) < 0) {
			fprintf(stderr, "%s: %s\n", prog_name, err.msg);
			return WM_UNKNOWN;
		}
	} else if (render_stdout(r, cli) < 0) {
		/* A write error is reported once, by close_stdout at exit. */
		if (!ferror(stdout))
			fprintf(stderr, "%s: rendering: out of memory\n", prog_name);
		return WM_UNKNOWN;
	}
	return wm_result_exit_code(r);
}

void
wm_prog_verbose(const struct wm_cli *cli, int level, const char *fmt, ...)
{
	va_list ap;

	if (cli->verbose < level)
		return;
	va_start(ap, fmt);
	vwarn_line(fmt, ap);
	va_end(ap);
}

/* The session's log hook: stderr, "wm-x: [warning: ]msg". */
static void
session_log(void *arg, enum wm_log_level level, const char *msg)
{
	(void)arg;
	fprintf(stderr, "%s: %s%s\n", prog_name, level == WM_LOG_WARNING ? "warning: " : "", msg);
}

/* --print-config: the session's configuration and target on stdout, exit 0. */
static _Noreturn void
print_config(const struct wm_cli *cli, struct wm_session *s)
{
	struct wm_print_opts po = {
	    .host = cli->host,
	    .timeout_ms = cli->timeout_set ? (int64_t)(cli->timeout * 1000) : -1,
	    .target = cli->target,
	    .warn = cli->warn,
	    .nwarn = cli->nwarn,
	    .crit = cli->crit,
	    .ncrit = cli->ncrit,
	};
	struct wm_err err = {0};
	int rc = wm_config_print(wm_session_config(s), wm_session_target(s), &po, stdout, &err);

	wm_session_close(s);
	if (rc < 0)
		wm_die(WM_UNKNOWN, "%s", err.msg);
	exit(0);
}

struct wm_session *
wm_prog_session(struct wm_cli *cli)
{
	struct wm_session_opts so = {
	    .config = cli->config,
	    .target = cli->target,
	    .host = cli->host,
	    .timeout_ms = cli->timeout_set ? (int64_t)(cli->timeout * 1000) : 0,
	    .log = session_log,
	    .verbose = cli->verbose,
	    .tunnel_dir = cleanup_dir,
	};
	struct wm_err err = {0};
	struct wm_session *s = wm_session_open(&so, &err);

	if (!s)
		wm_die(WM_UNKNOWN, "%s", err.msg);
	if (cli->print_config)
		print_config(cli, s);
	cli->timeout = (double)wm_session_timeout_ms(s) / 1000.0;
	return s;
}

int
wm_prog_check(struct wm_cli *cli, struct wm_session *s, const struct wm_check_def *chk,
	      const void *opts, int64_t extra_ms)
{
	struct wm_check_overrides ov = {cli->warn, cli->nwarn, cli->crit, cli->ncrit};
	struct wm_err err = {0};
	struct wm_result *r;
	int rc;

	/* the deadline bounds every operation; the watchdog is the last resort */
	if (extra_ms >= 0) {
		wm_prog_watchdog(cli, wm_session_target_name(s), extra_ms);
		wm_session_start(s, extra_ms);
	}
	r = wm_result_new(prog_name, PACKAGE_VERSION, wm_session_target_name(s));
	if (!r)
		wm_die(WM_UNKNOWN, "out of memory");
	if (wm_check_run(chk, s, opts, &ov, r, &err) < 0) {
		wm_result_free(r);
		cleanup_now(); /* exit() does not close the session */
		wm_die(WM_UNKNOWN, "%s", err.msg);
	}
	rc = wm_prog_emit(r, cli);
	wm_result_free(r);
	return rc;
}

int
wm_prog_run(struct wm_cli *cli, const struct wm_check_def *chk, const void *opts, int64_t extra_ms)
{
	struct wm_session *s = wm_prog_session(cli);
	int rc = wm_prog_check(cli, s, chk, opts, extra_ms);

	cleanup_forget(); /* wm_session_close removes the tunnel directory */
	wm_session_close(s);
	return rc;
}
