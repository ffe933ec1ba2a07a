/* follow.c - wm-errors --follow: matching lines as they come, text or ndjson.
 *
 * From a file or stdin: read until end of file or a signal.  From Docker:
 * poll each container's logs once a second from just after the last line
 * seen (the Engine API's since is inclusive, so the next poll starts 1 ms
 * after it; lines sharing that millisecond but arriving later are the one
 * blind spot), until SIGINT/SIGTERM.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "duration.h"
#include "logstream.h"
#include "prog.h"
#include "render.h"
#include "target.h"
#include "wm-errors.h"

#define FOLLOW_MAX_CONTAINERS 64

struct follower {
	struct errors_run *run;
	FILE *out;
	int64_t last_ms; /* Docker time of the last line of the current container */
	char line[WM_ERRORS_LINE_MAX];
};

static enum wm_state
line_state(int level)
{
	return level >= WM_LVL_CRITICAL ? WM_CRITICAL : level >= WM_LVL_ERROR ? WM_WARNING : WM_OK;
}

/* Flush the line; a reader that went away ends the follow with exit 3
 * (SIGPIPE is ignored, so nothing else would stop it). */
static void
check_out(struct follower *f)
{
	if (fflush(f->out) == 0 && !ferror(f->out))
		return;
	wm_prog_write_failed(errno);
}

/* One line as one ndjson check record ("errors.line"). */
static void
print_ndjson(struct follower *f, const struct wm_logline *ll, const char *svc, const char *when)
{
	struct wm_result *r = wm_result_new("wm-errors", PACKAGE_VERSION, f->run->target->name);
	struct wm_check *c = r ? wm_result_add_check(r, "errors.line") : NULL;
	cJSON *data = c ? wm_check_data(c) : NULL;

	if (data) {
		wm_check_set(c, line_state(ll->level), "%s %s", svc, wm_level_name(ll->level));
		cJSON_AddStringToObject(data, "service", svc);
		if (*when)
			cJSON_AddStringToObject(data, "time", when);
		else
			cJSON_AddNullToObject(data, "time");
		cJSON_AddStringToObject(data, "level", wm_level_name(ll->level));
		cJSON_AddStringToObject(data, "line", f->line);
		wm_render_check_line(r, c, f->out);
	}
	wm_result_free(r);
}

static void
on_line(void *ctx, const struct wm_logline *ll)
{
	struct follower *f = ctx;
	char when[WM_TIME_BUF] = "";
	struct wm_errors_service *s =
	    wm_errors_service(f->run->errors, ll->service, ll->service_len);
	const char *svc = s ? s->name : "-";

	if (ll->docker_ts_ms > f->last_ms)
		f->last_ms = ll->docker_ts_ms;
	if (ll->level < f->run->o->level)
		return;
	if (ll->ts_ms >= 0)
		wm_time_format(ll->ts_ms, when, sizeof when);
	wm_utf8_sanitize(ll->text, ll->text_len, f->line, sizeof f->line);
	if (f->run->o->cli.format == WM_FORMAT_NDJSON || f->run->o->cli.format == WM_FORMAT_JSON) {
		print_ndjson(f, ll, svc, when);
		check_out(f);
		return;
	}
	fprintf(f->out, "%s | %s %s %s\n", svc, *when ? when : "-", wm_level_name(ll->level),
		f->line);
	check_out(f);
}

static struct wm_logstream *
follow_stream(struct errors_run *run, struct follower *f, unsigned flags)
{
	struct wm_logstream *s = wm_logstream_new(run->classes, flags);
	struct wm_log_analyzer a = {on_line, f};

	if (!s || wm_logstream_add(s, &a, NULL) < 0) {
		wm_logstream_free(s);
		return NULL;
	}
	wm_logstream_set_window(s, run->o->since_ms, run->o->until_ms);
	wm_logstream_set_zones(s, &run->zones);
	return s;
}

static int
follow_file(struct errors_run *run, struct follower *f)
{
	struct wm_logstream *s = follow_stream(run, f, WM_LOGLINE_COMPOSE);
	struct wm_err err = {0};
	int fd = STDIN_FILENO, rc = WM_OK;

	if (!s)
		wm_die(WM_UNKNOWN, "out of memory");
	if (strcmp(run->o->file, "-") != 0 && (fd = open(run->o->file, O_RDONLY | O_CLOEXEC)) < 0)
		wm_die(WM_UNKNOWN, "%s: %s", run->o->file, strerror(errno));
	if (wm_logstream_read_fd(s, fd, run->stop, &err) < 0) {
		fprintf(stderr, "%s: %s\n", wm_prog_name(), err.msg);
		rc = WM_UNKNOWN;
	}
	if (fd != STDIN_FILENO)
		close(fd);
	wm_logstream_free(s);
	return rc;
}

/* Sleep ms, waking early on a signal. */
static void
nap(int64_t ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

struct seen {
	char id[72];
	int64_t last_ms;
};

/* The last time seen for a container id, remembered across polls. */
static int64_t *
last_of(struct seen *v, size_t *n, const char *id, int64_t start)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(v[i].id, id) == 0)
			return &v[i].last_ms;
	if (*n >= FOLLOW_MAX_CONTAINERS)
		return NULL;
	snprintf(v[*n].id, sizeof v[*n].id, "%s", id);
	v[*n].last_ms = start;
	return &v[(*n)++].last_ms;
}

/* Services named on the command line, or all. */
static bool
selected(const struct errors_opts *o, const char *svc)
{
	for (size_t i = 0; i < o->nservices; i++)
		if (strcmp(o->services[i], svc) == 0)
			return true;
	return o->nservices == 0;
}

static int
poll_once(struct errors_run *run, struct follower *f, struct wm_logstream *s, struct wm_docker *d,
	  struct seen *seen, size_t *nseen, int64_t start)
{
	char since[32];
	const char *project = wm_session_project(run->s);
	struct wm_container *cts = NULL;
	size_t n = 0;

	if (wm_docker_list(d, project, &cts, &n) < 0) {
		fprintf(stderr, "%s: %s\n", wm_prog_name(), d->err.msg);
		return -1;
	}
	for (size_t i = 0; i < n && !*run->stop; i++) {
		const char *svc = cts[i].service ? cts[i].service : cts[i].name;
		int64_t *last = last_of(seen, nseen, cts[i].id, start);
		struct wm_docker_logs_opts lo = {since, NULL, -1, true, false, -1};
		struct wm_err err = {0};

		if (!last || !selected(run->o, svc))
			continue;
		snprintf(since, sizeof since, "%lld.%03lld", (long long)((*last + 1) / 1000),
			 (long long)((*last + 1) % 1000));
		f->last_ms = *last;
		if (wm_logstream_docker(s, d, cts[i].id, svc, &lo, run->stop, &err) < 0)
			fprintf(stderr, "%s: %s\n", wm_prog_name(), err.msg);
		*last = f->last_ms;
	}
	wm_docker_containers_free(cts, n);
	return 0;
}

static int
follow_docker(struct errors_run *run, struct follower *f)
{
	struct wm_logstream *s = follow_stream(run, f, 0);
	struct wm_docker *d;
	struct seen seen[FOLLOW_MAX_CONTAINERS];
	size_t nseen = 0;
	int64_t start = run->o->since_ms >= 0 ? run->o->since_ms - 1 : wm_now_ms();
	struct wm_err err = {0};
	int rc = WM_OK;

	if (!s)
		wm_die(WM_UNKNOWN, "out of memory");
	if (!(d = wm_session_docker(run->s, &err))) {
		fprintf(stderr, "%s: %s\n", wm_prog_name(), err.msg);
		rc = WM_UNKNOWN;
		goto out_close;
	}
	while (!*run->stop) {
		if (poll_once(run, f, s, d, seen, &nseen, start) < 0) {
			rc = WM_UNKNOWN;
			break;
		}
		nap(ERRORS_POLL_MS);
	}
out_close:
	wm_logstream_free(s);
	return rc;
}

int
errors_follow(struct errors_run *run, struct wm_result *r)
{
	struct follower *f = calloc(1, sizeof *f);
	int rc;

	(void)r;
	if (!f)
		wm_die(WM_UNKNOWN, "out of memory");
	f->run = run;
	f->out = stdout;
	rc = run->o->file ? follow_file(run, f) : follow_docker(run, f);
	free(f);
	return rc;
}
