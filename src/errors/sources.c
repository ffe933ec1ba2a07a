/* sources.c - where wm-errors reads logs from: a file, stdin, or Docker. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "duration.h"
#include "logstream.h"
#include "wm-errors.h"

/* A check saying why the logs could not be read (UNKNOWN). */
static int
unknown_check(struct wm_result *r, const char *name, const char *why)
{
	struct wm_check *c = wm_result_add_check(r, name);

	if (!c)
		return -1;
	wm_check_set(c, WM_UNKNOWN, "%s", why);
	return 0;
}

static struct wm_logstream *
new_stream(struct errors_run *run, unsigned flags)
{
	struct wm_logstream *s = wm_logstream_new(run->classes, flags);
	struct wm_log_analyzer a = wm_errors_analyzer(run->errors);
	struct wm_log_analyzer out = wm_errors_outside_analyzer(run->errors);

	if (!s || wm_logstream_add(s, &a, NULL) < 0) {
		wm_logstream_free(s);
		return NULL;
	}
	wm_logstream_set_outside(s, &out);
	wm_logstream_set_window(s, run->o->since_ms, run->o->until_ms);
	wm_logstream_set_zones(s, &run->zones);
	return s;
}

/* Add a stream's counters to the run's (for -v). */
static void
add_stats(struct errors_run *run, const struct wm_logstream *s)
{
	const struct wm_logstream_stats *st = wm_logstream_stats(s);

	run->stats.bytes += st->bytes;
	run->stats.lines += st->lines;
	run->stats.truncated += st->truncated;
	run->stats.outside += st->outside;
	run->stats.untimed += st->untimed;
	run->stats.delivered += st->delivered;
}

/* The logs could not be read at all: an UNKNOWN check saying why, and every
 * expected service UNKNOWN with the same reason, so that no service reads as
 * "0 errors" (its metrics become null / U / NaN).  1, or -1 on ENOMEM. */
static int
unreadable(struct errors_run *run, struct wm_result *r, const char *check, const char *why)
{
	const struct wm_errors_opts *eo = wm_errors_options(run->errors);
	char msg[WM_ERR_MSG_MAX + 32];

	if (unknown_check(r, check, why) < 0)
		return -1;
	snprintf(msg, sizeof msg, "logs not read: %s", why);
	for (size_t i = 0; i < eo->nexpected; i++)
		if (wm_errors_set_problem(run->errors, eo->expected[i], msg) < 0)
			return -1;
	return 1;
}

/* Open --file (or stdin for '-'); -1 with err. */
static int
open_input(const char *file, struct wm_err *err)
{
	int fd;

	if (strcmp(file, "-") == 0)
		return STDIN_FILENO;
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wm_err_errno(err, WM_EIO, errno, "%s", file);
	return fd;
}

/* Read the whole input through s; an unreadable input is an UNKNOWN check
 * (1).  -1 on ENOMEM. */
static int
read_input(struct errors_run *run, struct wm_logstream *s, struct wm_result *r)
{
	struct wm_err err = {0};
	int fd = open_input(run->o->file, &err), rc = 0;

	if (fd < 0)
		return unreadable(run, r, "errors.input", err.msg) < 0 ? -1 : 1;
	if (wm_logstream_read_fd(s, fd, run->stop, &err) < 0)
		rc = unreadable(run, r, "errors.input", err.msg) < 0 ? -1 : 1;
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

/* A service asked for that has no line at all in the input (in the window
 * or not) was not looked at: UNKNOWN, not "0 errors".  A misspelt name or
 * the wrong file must not read as a clean service. */
static int
mark_absent(struct errors_run *run)
{
	size_t n;
	struct wm_errors_service *sv = wm_errors_services(run->errors, &n);
	char why[512];

	snprintf(why, sizeof why, "not in the input: no line of this service in %s",
		 strcmp(run->o->file, "-") == 0 ? "standard input" : run->o->file);
	for (size_t i = 0; i < n; i++)
		if (sv[i].expected && !sv[i].problem && sv[i].lines == 0 && sv[i].outside == 0 &&
		    sv[i].untimed == 0 &&
		    wm_errors_set_problem(run->errors, sv[i].name, why) < 0)
			return -1;
	return 0;
}

int
errors_from_file(struct errors_run *run, struct wm_result *r)
{
	struct wm_logstream *s = new_stream(run, WM_LOGLINE_COMPOSE);
	int rc;

	if (!s)
		return -1;
	rc = read_input(run, s, r);
	if (rc == 0 && !*run->stop)
		rc = mark_absent(run);
	rc = rc < 0 ? -1 : 0;
	add_stats(run, s);
	wm_logstream_free(s);
	return rc;
}

/* Unix seconds with milliseconds, as the Engine API takes them. */
static void
api_time(int64_t ms, char *buf, size_t size)
{
	snprintf(buf, size, "%lld.%03lld", (long long)(ms / 1000), (long long)(ms % 1000));
}

/* Is the container's service one we watch?  With no expected list, all are. */
static bool
wanted(const struct wm_errors_opts *eo, const char *service)
{
	if (eo->nexpected == 0)
		return true;
	for (size_t i = 0; i < eo->nexpected; i++)
		if (service && strcmp(service, eo->expected[i]) == 0)
			return true;
	return false;
}

/* Stream one container's window into s; a failure marks the service. */
static int
stream_container(struct errors_run *run, struct wm_logstream *s, struct wm_docker *d,
		 const struct wm_container *ct, const char *since, const char *until)
{
	struct wm_docker_logs_opts lo = {since, until, -1, true, false, -1};
	struct wm_err err = {0};
	const char *svc = ct->service ? ct->service : ct->name;

	if (!wm_errors_service(run->errors, svc, strlen(svc)))
		return -1;
	if (wm_logstream_docker(s, d, ct->id, svc, &lo, run->stop, &err) < 0)
		return wm_errors_set_problem(run->errors, svc, err.msg);
	return 0;
}

/* Containers of the project, or UNKNOWN checks saying why not. */
static int
list_containers(struct errors_run *run, struct wm_result *r, struct wm_container **cts, size_t *n,
		struct wm_docker **dout)
{
	const char *project = wm_session_project(run->s);
	struct wm_err err = {0};
	struct wm_docker *d;

	*cts = NULL;
	*n = 0;
	if (wm_session_connect(run->s, &err) < 0)
		return unreadable(run, r, "errors.target", err.msg);
	if (!(d = wm_session_docker(run->s, &err)))
		return unreadable(run, r, "errors.docker", err.msg);
	if (wm_docker_list(d, project, cts, n) < 0)
		return unreadable(run, r, "errors.docker", d->err.msg);
	*dout = d;
	return 0;
}

/* Expected services without any container are reported, not skipped. */
static int
mark_missing(struct errors_run *run, const struct wm_container *cts, size_t n)
{
	const struct wm_errors_opts *eo = wm_errors_options(run->errors);

	for (size_t i = 0; i < eo->nexpected; i++) {
		size_t k;

		for (k = 0; k < n; k++)
			if (cts[k].service && strcmp(cts[k].service, eo->expected[i]) == 0)
				break;
		if (k == n && wm_errors_set_problem(run->errors, eo->expected[i],
						    "no container for this service") < 0)
			return -1;
	}
	return 0;
}

int
errors_from_docker(struct errors_run *run, struct wm_result *r)
{
	const struct wm_errors_opts *eo = wm_errors_options(run->errors);
	struct wm_logstream *s = new_stream(run, 0);
	struct wm_container *cts = NULL;
	struct wm_docker *d = NULL;
	char since[32], until[32];
	size_t n = 0;
	int rc = -1;

	if (!s)
		goto out_close;
	api_time(run->o->since_ms, since, sizeof since);
	api_time(run->o->until_ms, until, sizeof until);
	rc = list_containers(run, r, &cts, &n, &d);
	if (rc != 0) {
		rc = rc < 0 ? -1 : 0;
		goto out_close;
	}
	rc = mark_missing(run, cts, n);
	for (size_t i = 0; rc == 0 && i < n && !*run->stop; i++)
		if (wanted(eo, cts[i].service))
			rc = stream_container(run, s, d, &cts[i], since,
					      run->o->until_ms >= 0 ? until : NULL);
	wm_docker_containers_free(cts, n);
out_close:
	if (s)
		add_stats(run, s);
	wm_logstream_free(s);
	return rc;
}
