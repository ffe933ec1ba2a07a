/* follow.c - wm-errors --follow: matching lines as they come, text or ndjson.
 *
 * From a file or stdin: read until end of file or a signal.  From Docker:
 * poll the containers' logs once a second, each from just after its last
 * line seen (the cursor is lib/session/logfollow.h), until SIGINT/SIGTERM.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/duration.h"
#include "session/logfollow.h"
#include "logs/logstream.h"
#include "common/prog.h"
#include "render/render.h"
#include "wm-errors.h"

struct follower {
	const struct errors_opts *o;
	struct wm_session *s;
	struct wm_errors *errors; /* for the services' names */
	FILE *out;
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
	struct wm_result *r =
	    wm_result_new("wm-errors", PACKAGE_VERSION, wm_session_target_name(f->s));
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
	struct wm_errors_service *s = wm_errors_service(f->errors, ll->service, ll->service_len);
	const char *svc = s ? s->name : "-";

	if (ll->level < f->o->eo.level)
		return;
	if (ll->ts_ms >= 0)
		wm_time_format(ll->ts_ms, when, sizeof when);
	wm_utf8_sanitize(ll->text, ll->text_len, f->line, sizeof f->line);
	if (f->o->cli.format == WM_FORMAT_NDJSON || f->o->cli.format == WM_FORMAT_JSON) {
		print_ndjson(f, ll, svc, when);
		check_out(f);
		return;
	}
	fprintf(f->out, "%s | %s %s %s\n", svc, *when ? when : "-", wm_level_name(ll->level),
		f->line);
	check_out(f);
}

/* A stream into on_line, classified, in the window; flags as logstream.h. */
static struct wm_logstream *
follow_stream(struct follower *f, unsigned flags)
{
	struct wm_logstream *s = wm_logstream_new(f->o->eo.classes, flags);
	struct wm_log_analyzer a = {on_line, f};

	if (!s || wm_logstream_add(s, &a, NULL) < 0) {
		wm_logstream_free(s);
		return NULL;
	}
	wm_logstream_set_window(s, f->o->eo.since_ms, f->o->eo.until_ms);
	wm_logstream_set_zones(s, &f->o->zones);
	return s;
}

static int
follow_file(struct follower *f, const volatile sig_atomic_t *stop)
{
	struct wm_logstream *s = follow_stream(f, WM_LOGLINE_COMPOSE | WM_LOGLINE_LAZY);
	const char *file = f->o->eo.file;
	struct wm_err err = {0};
	int fd = STDIN_FILENO, rc = WM_OK;

	if (!s)
		wm_die(WM_UNKNOWN, "out of memory");
	if (strcmp(file, "-") != 0 && (fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		wm_die(WM_UNKNOWN, "%s: %s", file, strerror(errno));
	if (wm_logstream_read_fd(s, fd, stop, &err) < 0) {
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

/* Services named on the command line, or all. */
static bool
selected(void *arg, const char *svc)
{
	const struct errors_opts *o = arg;

	for (size_t i = 0; i < o->eo.nservices; i++)
		if (strcmp(o->eo.services[i], svc) == 0)
			return true;
	return o->eo.nservices == 0;
}

static int
follow_docker(struct follower *f, const volatile sig_atomic_t *stop)
{
	const struct errors_opts *o = f->o;
	struct wm_logstream *s = follow_stream(f, WM_LOGLINE_LAZY);
	struct wm_logfollow *cursor =
	    wm_logfollow_new(o->eo.since_ms >= 0 ? o->eo.since_ms - 1 : wm_now_ms());
	struct wm_log_analyzer a =
	    cursor ? wm_logfollow_analyzer(cursor) : (struct wm_log_analyzer){0};
	struct wm_err err = {0};
	int rc = WM_OK;

	if (!s || !cursor || wm_logstream_add(s, &a, NULL) < 0)
		wm_die(WM_UNKNOWN, "out of memory");
	while (!*stop) {
		if (wm_logfollow_poll(cursor, f->s, s, selected, (void *)o, stop, &err) < 0) {
			fprintf(stderr, "%s: %s\n", wm_prog_name(), err.msg);
			rc = WM_UNKNOWN;
			break;
		}
		nap(ERRORS_POLL_MS);
	}
	wm_logfollow_free(cursor);
	wm_logstream_free(s);
	return rc;
}

int
errors_follow(const struct errors_opts *o, struct wm_session *s, const volatile sig_atomic_t *stop)
{
	struct follower *f = calloc(1, sizeof *f);
	int rc;

	if (!f || !(f->errors = wm_errors_check_analyzer(s, &o->eo)))
		wm_die(WM_UNKNOWN, "out of memory");
	f->o = o;
	f->s = s;
	f->out = stdout;
	rc = o->eo.file ? follow_file(f, stop) : follow_docker(f, stop);
	wm_errors_free(f->errors);
	free(f);
	return rc;
}
