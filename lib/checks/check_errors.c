/* check_errors.c - the errors check unit: classifiers and thresholds from
 * the configuration, the log source (Docker through the collector, or a
 * file), the analyzer, and one check per service. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "checks/checks.h"
#include "base/duration.h"
#include "checks/errors.h"
#include "session/logcollect.h"
#include "logs/logstream.h"

/* One run of the unit. */
struct run {
	const struct wm_errors_check_opts *o;
	struct wm_session *s;
	struct wm_errors *errors;
	/* other areas' readers of the same read (wm_errors_run_with) */
	const struct wm_logs_reader *rd;
	size_t nrd;
	struct reader_filter {
		const struct wm_logs_reader *rd;
		bool exact;
	} filter[WM_LOGSTREAM_MAX_ANALYZERS];
};

/* Does reader rd want the lines of service svc[0..len)?  From Docker the
 * name is the compose service's own, compared exactly as the reader's own
 * read would (lib/session/logcollect.c: "admin-nginx" is not "nginx"); in a
 * file it is the compose prefix ("nginx-1", "warungin_nginx_1"). */
static bool
reader_wants(const struct wm_logs_reader *rd, const char *svc, size_t len, bool exact)
{
	if (rd->nservices == 0)
		return true;
	for (size_t i = 0; svc && i < rd->nservices; i++)
		if (exact ? strlen(rd->services[i]) == len && memcmp(svc, rd->services[i], len) == 0
			  : wm_logline_service_is(svc, len, rd->services[i]))
			return true;
	return false;
}

/* A reader's analyzer sees the lines of its services only. */
static void
filtered_line(void *ctx, const struct wm_logline *ll)
{
	const struct reader_filter *f = ctx;

	if (reader_wants(f->rd, ll->service, ll->service_len, f->exact))
		f->rd->analyzer.line(f->rd->analyzer.ctx, ll);
}

void
wm_errors_check_defaults(struct wm_errors_check_opts *o, int64_t now_ms)
{
	*o = (struct wm_errors_check_opts){
	    .since_ms = now_ms - 3600 * 1000,
	    .until_ms = -1,
	    .window = "in 1h",
	    .top = 10,
	    .level = WM_LVL_ERROR,
	};
}

int
wm_errors_check_window(struct wm_errors_check_opts *o, const char *since, const char *until,
		       bool follow, int64_t now_ms, int *which, struct wm_err *err)
{
	return wm_check_window(&o->since_ms, &o->until_ms, o->window, sizeof o->window, since,
			       until, o->file != NULL, follow, now_ms, which, err);
}

/* The patterns for one [errors NAME] section; the options win.  NULL with
 * err; *none when only_if_set and the section sets none. */
static struct wm_classifier *
classifier_for(const struct wm_session *s, const struct wm_errors_check_opts *o, const char *name,
	       bool only_if_set, bool *none, struct wm_err *err)
{
	static const char *const keys[3] = {"critical_pattern", "error_pattern", "warn_pattern"};
	const struct wm_config *cfg = wm_session_config(s);
	const char *pat[3];
	char section[128];
	struct wm_classifier *c;
	bool set = false;

	snprintf(section, sizeof section, "errors %s", name);
	for (int k = 0; k < 3; k++) {
		const char *v = cfg ? wm_config_get(cfg, section, keys[k]) : NULL;

		set |= v != NULL;
		pat[k] = o->pattern[k] ? o->pattern[k] : v;
	}
	*none = only_if_set && !set;
	if (*none)
		return NULL;
	if (!(c = wm_classifier_new(pat[0], pat[1], pat[2], err)))
		wm_err_prefix(err, "[%s]", section);
	return c;
}

struct wm_classify_set *
wm_errors_classes(const struct wm_session *s, const struct wm_errors_check_opts *o,
		  struct wm_err *err)
{
	const struct wm_target *t = wm_session_target(s);
	const char *const *names = o->nservices ? o->services : (const char *const *)t->services;
	size_t n = o->nservices ? o->nservices : t->nservices;
	struct wm_classifier *all;
	struct wm_classify_set *set;
	bool none;

	if (!(all = classifier_for(s, o, "all", false, &none, err)))
		return NULL;
	if (!(set = wm_classify_set_new(all))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct wm_classifier *c = classifier_for(s, o, names[i], true, &none, err);

		if ((!c && !none) || (c && wm_classify_set_add(set, names[i], c, err) < 0)) {
			wm_classify_set_free(set);
			return NULL;
		}
	}
	return set;
}

int
wm_errors_zones(const struct wm_session *s, struct wm_zone_overrides *z, struct wm_err *err)
{
	const struct wm_config *cfg = wm_session_config(s);
	const char *zones = cfg ? wm_config_get(cfg, "general", "time_zones") : NULL;

	memset(z, 0, sizeof(*z));
	return zones ? wm_zone_overrides_parse(z, zones, err) : 0;
}

/* Thresholds of the run (the service being the instance), else the
 * runbook's default. */
static const char *
threshold(void *arg, const char *service, const char *metric, bool critical)
{
	const struct run *x = arg;

	return wm_check_threshold(x->s, wm_check_find("errors"), metric, service, critical);
}

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

/* -v: how much was read, and what the window kept. */
static void
say_stats(const struct run *x, const struct wm_logstream *ls)
{
	const struct wm_logstream_stats *st = wm_logstream_stats(ls);

	wm_session_log(x->s, WM_LOG_VERBOSE,
		       "%llu bytes, %llu lines: %llu in the window, %llu outside, %llu without a "
		       "time (%s), %llu truncated at %d bytes",
		       (unsigned long long)st->bytes, (unsigned long long)st->lines,
		       (unsigned long long)st->delivered, (unsigned long long)st->outside,
		       (unsigned long long)st->untimed,
		       x->o->since_ms >= 0 || x->o->until_ms >= 0 ? "not counted" : "counted",
		       (unsigned long long)st->truncated, WM_LOGLINE_MAX);
}

/* The logs could not be read at all: an UNKNOWN check saying why, and every
 * expected service UNKNOWN with the same reason, so that no service reads as
 * "0 errors" (its metrics become null / U / NaN).  0, or -1 on ENOMEM. */
static int
unreadable(struct run *x, struct wm_result *r, const char *check, const char *why)
{
	const struct wm_errors_opts *eo = wm_errors_options(x->errors);
	char msg[WM_ERR_MSG_MAX + 32];

	if (unknown_check(r, check, why) < 0)
		return -1;
	for (size_t i = 0; i < x->nrd; i++)
		for (size_t k = 0; k < x->rd[i].nservices; k++)
			if (x->rd[i].problem &&
			    x->rd[i].problem(x->rd[i].arg, x->rd[i].services[k], why) < 0)
				return -1;
	snprintf(msg, sizeof msg, "logs not read: %s", why);
	for (size_t i = 0; i < eo->nexpected; i++)
		if (wm_errors_set_problem(x->errors, eo->expected[i], msg) < 0)
			return -1;
	return 0;
}

/* A service asked for that has no line at all in the input (in the window
 * or not) was not looked at: UNKNOWN, not "0 errors".  A misspelt name or
 * the wrong file must not read as a clean service. */
static int
mark_absent(struct run *x)
{
	size_t n;
	struct wm_errors_service *sv = wm_errors_services(x->errors, &n);
	char why[512];

	snprintf(why, sizeof why, "not in the input: no line of this service in %s",
		 strcmp(x->o->file, "-") == 0 ? "standard input" : x->o->file);
	for (size_t i = 0; i < n; i++)
		if (sv[i].expected && !sv[i].problem && sv[i].lines == 0 && sv[i].outside == 0 &&
		    sv[i].untimed == 0 && wm_errors_set_problem(x->errors, sv[i].name, why) < 0)
			return -1;
	return 0;
}

/* Read o->file (standard input for "-") whole through ls; an unreadable
 * input is an UNKNOWN check, and a service asked for but absent too. */
static int
from_file(struct run *x, struct wm_logstream *ls, struct wm_result *r)
{
	struct wm_err err = {0};
	int fd = STDIN_FILENO, rc = 0;

	if (strcmp(x->o->file, "-") != 0 && (fd = open(x->o->file, O_RDONLY | O_CLOEXEC)) < 0) {
		wm_err_errno(&err, WM_EIO, errno, "%s", x->o->file);
		return unreadable(x, r, "errors.input", err.msg);
	}
	if (wm_logstream_read_fd(ls, fd, x->o->stop, &err) < 0)
		rc = unreadable(x, r, "errors.input", err.msg);
	else if (!(x->o->stop && *x->o->stop))
		rc = mark_absent(x);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

static int
hook_service(void *arg, const char *svc)
{
	struct run *x = arg;

	for (size_t i = 0; i < x->nrd; i++)
		if (reader_wants(&x->rd[i], svc, strlen(svc), true) && x->rd[i].service &&
		    x->rd[i].service(x->rd[i].arg, svc) < 0)
			return -1;
	return wm_errors_service(x->errors, svc, strlen(svc)) ? 0 : -1;
}

static int
hook_problem(void *arg, const char *svc, const char *why)
{
	struct run *x = arg;

	for (size_t i = 0; i < x->nrd; i++)
		if (reader_wants(&x->rd[i], svc, strlen(svc), true) && x->rd[i].problem &&
		    x->rd[i].problem(x->rd[i].arg, svc, why) < 0)
			return -1;
	return wm_errors_set_problem(x->errors, svc, why);
}

/* Every wanted container's window through the collector; a target or
 * Docker that cannot be reached is an UNKNOWN check. */
static int
from_docker(struct run *x, struct wm_logstream *ls, struct wm_result *r)
{
	const struct wm_errors_opts *eo = wm_errors_options(x->errors);
	const struct wm_logcollect_opts co = {
	    .since_ms = x->o->since_ms,
	    .until_ms = x->o->until_ms,
	    .expected = eo->expected,
	    .nexpected = eo->nexpected,
	    .stop = x->o->stop,
	};
	const struct wm_logcollect_hooks h = {x, hook_service, hook_problem};
	enum wm_logcollect_stage stage;
	struct wm_err err = {0};

	if (wm_logcollect_docker(x->s, ls, &co, &h, &stage, &err) == 0)
		return 0;
	if (stage == WM_LOGCOLLECT_OK)
		return -1;
	return unreadable(x, r, stage == WM_LOGCOLLECT_TARGET ? "errors.target" : "errors.docker",
			  err.msg);
}

/* The expected services are the named ones, else the target's (for Docker
 * input). */
struct wm_errors *
wm_errors_check_analyzer(const struct wm_session *s, const struct wm_errors_check_opts *o)
{
	const struct wm_target *t = wm_session_target(s);
	struct wm_errors_opts eo = {
	    .project = wm_session_project(s),
	    .top = o->top,
	    .no_groups = o->top == 0,
	    .group_level = o->level,
	    .tail = o->tail,
	    .criticals = o->criticals ? 20 : 0,
	};

	if (o->nservices > 0) {
		eo.expected = o->services;
		eo.nexpected = o->nservices;
		eo.only_expected = true;
	} else if (!o->file) {
		eo.expected = (const char *const *)t->services;
		eo.nexpected = t->nservices;
	}
	return wm_errors_new(&eo);
}

/* Stream the source through one log stream into the analyzer. */
static int
collect(struct run *x, struct wm_classify_set *classes, const struct wm_zone_overrides *zones,
	struct wm_result *r)
{
	/* wm-errors alone reads only the level, message and time of a line; a
	 * reader riding on the read (security: a JSON line's status, perf: its
	 * route) needs every field, so the parse is lazy only without readers */
	struct wm_logstream *ls = wm_logstream_new(
	    classes, (x->nrd ? 0 : WM_LOGLINE_LAZY) | (x->o->file ? WM_LOGLINE_COMPOSE : 0));
	struct wm_log_analyzer a = wm_errors_analyzer(x->errors);
	struct wm_log_analyzer out = wm_errors_outside_analyzer(x->errors);
	int rc = -1;

	if (!ls || wm_logstream_add(ls, &a, NULL) < 0)
		goto out_free;
	for (size_t i = 0; i < x->nrd; i++) {
		struct wm_log_analyzer f = {filtered_line, &x->filter[i]};

		x->filter[i].rd = &x->rd[i];
		x->filter[i].exact = !x->o->file;
		if (wm_logstream_add(ls, &f, NULL) < 0)
			goto out_free;
	}
	wm_logstream_set_outside(ls, &out);
	wm_logstream_set_window(ls, x->o->since_ms, x->o->until_ms);
	wm_logstream_set_zones(ls, zones);
	rc = x->o->file ? from_file(x, ls, r) : from_docker(x, ls, r);
	say_stats(x, ls);
out_free:
	wm_logstream_free(ls);
	return rc;
}

bool
wm_errors_check_reads(const struct wm_session *s, const struct wm_errors_check_opts *o,
		      const char *svc)
{
	const struct wm_target *t = wm_session_target(s);
	const char *const *names = o->nservices ? o->services : (const char *const *)t->services;
	size_t n = o->nservices ? o->nservices : o->file ? 0 : t->nservices;

	if (n == 0) /* every service found */
		return true;
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], svc) == 0)
			return true;
	return false;
}

int
wm_errors_run(struct wm_session *s, const struct wm_errors_check_opts *o, struct wm_result *r)
{
	return wm_errors_run_with(s, o, r, NULL, 0);
}

int
wm_errors_run_with(struct wm_session *s, const struct wm_errors_check_opts *o, struct wm_result *r,
		   const struct wm_logs_reader *rd, size_t nrd)
{
	struct run x = {.o = o, .s = s, .rd = rd, .nrd = nrd};
	struct wm_classify_set *classes = o->classes;
	struct wm_zone_overrides zones;
	struct wm_err err = {0};
	int rc = -1;

	/* the project labels the services (Prometheus); a file has none */
	if (nrd >= WM_LOGSTREAM_MAX_ANALYZERS)
		x.nrd = WM_LOGSTREAM_MAX_ANALYZERS - 1;
	if (wm_result_set_project(r, o->file ? NULL : wm_session_project(s)) < 0)
		return -1;
	if (!classes && !(classes = wm_errors_classes(s, o, &err)))
		return err.code == WM_ENOMEM ? -1 : unknown_check(r, "errors.config", err.msg);
	if (wm_errors_zones(s, &zones, &err) < 0) {
		rc = err.code == WM_ENOMEM ? -1 : unknown_check(r, "errors.config", err.msg);
		goto out_free;
	}
	if (!(x.errors = wm_errors_check_analyzer(s, o)))
		goto out_free;
	if (collect(&x, classes, &zones, r) < 0 ||
	    wm_errors_report(x.errors, r, o->window, threshold, &x) < 0)
		goto out_free;
	rc = 0;
out_free:
	if (o->keep && rc == 0)
		*o->keep = x.errors;
	else
		wm_errors_free(x.errors);
	if (classes != o->classes)
		wm_classify_set_free(classes);
	return rc;
}
