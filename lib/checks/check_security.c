/* check_security.c - the security check unit: the [security] settings, the
 * logs of the access and backend services (through the collector, or fed
 * from the errors unit's read: check_logs.c), nginx's access log as a file
 * on the target, the analyzer's checks, then the active probes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/check_security_int.h"
#include "checks/probe.h"
#include "conf/conf.h"
#include "model/threshold.h"
#include "session/logcollect.h"

#define SEC "security"

void
wm_security_check_defaults(struct wm_security_check_opts *o, int64_t now_ms)
{
	*o = (struct wm_security_check_opts){
	    .since_ms = now_ms - 3600 * 1000,
	    .until_ms = -1,
	    .window = "in 1h",
	};
}

/* A [security] list, else the default (one item). */
static int
list_or(const struct wm_config *cfg, const char *key, const char *dflt, char ***v, size_t *n)
{
	if (cfg && wm_config_get(cfg, SEC, key))
		return wm_config_list(cfg, SEC, key, v, n);
	*n = 0;
	if (!(*v = calloc(2, sizeof **v)) || !((*v)[0] = strdup(dflt))) {
		free(*v);
		*v = NULL;
		return -1;
	}
	*n = 1;
	return 0;
}

/* "a, b, c" of a [security] list as the analyzer takes it ("a,b,c"), in
 * buf; NULL when the key is not set. */
static const char *
joined(const struct wm_config *cfg, const char *key, char *buf, size_t size)
{
	char **v;
	size_t n, k = 0;

	if (!cfg || !wm_config_get(cfg, SEC, key) || wm_config_list(cfg, SEC, key, &v, &n) < 0)
		return NULL;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + k, size - k, "%s%s", i ? "," : "", v[i]);

		if (w < 0 || (size_t)w >= size - k)
			break;
		k += (size_t)w;
	}
	wm_config_list_free(v);
	return buf;
}

/* The analyzer's options from [security]; a value the unit refuses goes to
 * u->config_error. */
static void
analyzer_opts(struct sec_unit *u, struct wm_security_opts *ao)
{
	const struct wm_config *cfg = wm_session_config(u->s);
	const char *v;
	int64_t ms;

	ao->access_format = cfg ? wm_config_get(cfg, SEC, "access_format") : NULL;
	ao->no_trust_private = cfg && !wm_config_bool(cfg, SEC, "trust_forwarded", true);
	ao->login_paths = joined(cfg, "login_paths", u->lists[0], sizeof u->lists[0]);
	ao->scanner_paths = joined(cfg, "scanner_paths", u->lists[1], sizeof u->lists[1]);
	ao->words = joined(cfg, "intrusion_words", u->lists[2], sizeof u->lists[2]);
	if (cfg && (v = wm_config_get(cfg, SEC, "brute_force_attempts"))) {
		char *end;
		long n = strtol(v, &end, 10);

		if (end == v || *end || n < 1 || n > WM_SECURITY_BRUTE_FAILS_MAX)
			snprintf(u->config_error, sizeof u->config_error,
				 "[security] brute_force_attempts: expected 1 to %d, got '%s'",
				 WM_SECURITY_BRUTE_FAILS_MAX, v);
		else
			ao->brute_fails = (unsigned)n;
	}
	if (cfg && wm_config_duration(cfg, SEC, "brute_force_window", &ms) == 0) {
		if (ms < 1000 || ms > 24 * 3600 * 1000)
			snprintf(u->config_error, sizeof u->config_error,
				 "[security] brute_force_window: expected 1s to 24h");
		else
			ao->brute_window_s = (unsigned)(ms / 1000);
	}
	ao->expect = (u->naccess || u->access_log ? WM_SECURITY_EXPECT_ACCESS : 0) |
		     (u->nbackend ? WM_SECURITY_EXPECT_BACKEND : 0);
	if (u->o.since_ms >= 0)
		ao->window_ms = (u->o.until_ms >= 0 ? u->o.until_ms : wm_now_ms()) - u->o.since_ms;
}

int
sec_unit_begin(struct sec_unit *u, struct wm_session *s, const struct wm_security_check_opts *o)
{
	const struct wm_config *cfg = wm_session_config(s);
	struct wm_security_opts ao = {0};
	struct wm_err err = {0};

	memset(u, 0, sizeof *u);
	u->s = s;
	if (o)
		u->o = *o;
	else
		wm_security_check_defaults(&u->o, wm_now_ms());
	u->access_log = u->o.access_log ? u->o.access_log
			: cfg		? wm_config_get(cfg, SEC, "access_log")
					: NULL;
	if (u->access_log && !*u->access_log)
		u->access_log = NULL;
	if (list_or(cfg, "access_services", WM_SECURITY_ACCESS_SERVICE, &u->access, &u->naccess) <
		0 ||
	    list_or(cfg, "backend_services", WM_SECURITY_BACKEND_SERVICE, &u->backend,
		    &u->nbackend) < 0)
		return -1;
	/* a file replaces the access services' container logs */
	for (size_t i = 0; !u->access_log && i < u->naccess && u->nsvcs < SEC_SERVICES_MAX; i++)
		u->svcs[u->nsvcs++] = u->access[i];
	for (size_t i = 0; i < u->nbackend && u->nsvcs < SEC_SERVICES_MAX; i++)
		u->svcs[u->nsvcs++] = u->backend[i];
	analyzer_opts(u, &ao);
	ao.self_mark = wm_session_self_mark(s);
	if (!(u->an = wm_security_new(&ao, &err))) {
		if (err.code == WM_ENOMEM)
			return -1;
		snprintf(u->config_error, sizeof u->config_error, "[security] access_format: %s",
			 err.msg);
	}
	return 0;
}

void
sec_unit_free(struct sec_unit *u)
{
	wm_security_free(u->an);
	wm_config_list_free(u->access);
	wm_config_list_free(u->backend);
	u->an = NULL;
	u->access = u->backend = NULL;
}

static int
on_service(void *arg, const char *svc)
{
	struct sec_unit *u = arg;

	(void)svc;
	u->read_services++;
	return 0;
}

/* A service that could not be read: its name and why, in u->problem. */
static int
on_problem(void *arg, const char *svc, const char *why)
{
	struct sec_unit *u = arg;

	wm_why_append(u->problem, sizeof u->problem, svc, why);
	return 0;
}

void
sec_unit_reader(struct sec_unit *u, struct wm_logs_reader *rd)
{
	*rd = (struct wm_logs_reader){
	    .analyzer = wm_security_analyzer(u->an),
	    .services = u->svcs,
	    .nservices = u->nsvcs,
	    .arg = u,
	    .service = on_service,
	    .problem = on_problem,
	};
}

/* A stream into the analyzer with the unit's window and the zones of
 * [general] time_zones; NULL on ENOMEM or a bad time_zones (u->config_error). */
static struct wm_logstream *
stream(struct sec_unit *u, struct wm_zone_overrides *zones)
{
	struct wm_log_analyzer a = wm_security_analyzer(u->an);
	struct wm_logstream *ls;
	struct wm_err err = {0};

	if (wm_errors_zones(u->s, zones, &err) < 0) {
		snprintf(u->config_error, sizeof u->config_error, "%s", err.msg);
		return NULL;
	}
	if (!(ls = wm_logstream_new(NULL, 0)) || wm_logstream_add(ls, &a, NULL) < 0) {
		wm_logstream_free(ls);
		return NULL;
	}
	wm_logstream_set_window(ls, u->o.since_ms, u->o.until_ms);
	wm_logstream_set_zones(ls, zones);
	return ls;
}

int
sec_unit_collect(struct sec_unit *u, struct wm_result *r)
{
	const struct wm_logcollect_opts co = {
	    .since_ms = u->o.since_ms,
	    .until_ms = u->o.until_ms,
	    .expected = u->svcs,
	    .nexpected = u->nsvcs,
	    .stop = u->o.stop,
	};
	const struct wm_logcollect_hooks h = {u, on_service, on_problem};
	enum wm_logcollect_stage stage;
	struct wm_zone_overrides zones;
	struct wm_err err = {0};
	struct wm_logstream *ls;
	int rc = 0;

	(void)r;
	if (u->nsvcs == 0 || u->config_error[0])
		return 0;
	if (!(ls = stream(u, &zones)))
		return u->config_error[0] ? 0 : -1;
	if (wm_logcollect_docker(u->s, ls, &co, &h, &stage, &err) < 0) {
		if (stage == WM_LOGCOLLECT_OK)
			rc = -1;
		else
			for (size_t i = 0; i < u->nsvcs; i++)
				on_problem(u, u->svcs[i], err.msg);
	}
	wm_logstream_free(ls);
	return rc;
}

/* The end of [security] access_log on the target (tail -c: no shell, the
 * path one argument) into the analyzer, as the first access service's. */
static void
read_access_file(struct sec_unit *u)
{
	const char *argv[] = {"tail", "-c", NULL, "--", u->access_log, NULL};
	char bytes[32], errline[256] = "";
	struct wm_zone_overrides zones;
	struct wm_logstream *ls;
	struct wm_err err = {0};
	char *out = NULL;
	int status = 0;

	snprintf(bytes, sizeof bytes, "%u", SEC_FILE_MAX);
	argv[2] = bytes;
	if (!(ls = stream(u, &zones)))
		return;
	wm_logstream_set_service(ls, u->naccess ? u->access[0] : "nginx");
	if (wm_session_exec(u->s, argv, SEC_FILE_MAX + 1, &out, &status, errline, sizeof errline,
			    &err) < 0)
		on_problem(u, u->access_log, err.msg);
	else if (status != 0)
		on_problem(u, u->access_log, *errline ? errline : "tail failed");
	else {
		/* a cut first line is not a line */
		const char *p = out;
		size_t n = strlen(out);

		if (n >= SEC_FILE_MAX && (p = memchr(out, '\n', n)))
			p++;
		if (p) {
			wm_logstream_feed(ls, p, n - (size_t)(p - out));
			wm_logstream_flush(ls);
		}
		u->read_services++;
	}
	free(out);
	wm_logstream_free(ls);
}

/* Thresholds of the run, else the unit's defaults. */
static const char *
threshold(void *arg, const char *metric, bool critical)
{
	struct sec_unit *u = arg;

	return wm_check_threshold(u->s, wm_check_find(SEC), metric, NULL, critical);
}

/* What was read, and what could not be (UNKNOWN: no violation can be
 * claimed of lines never read). */
static int
logs_check(struct sec_unit *u, struct wm_result *r)
{
	const struct wm_security_counts *c = wm_security_counts(u->an);
	struct wm_check *k = wm_result_add_check(r, "security.logs");
	struct wm_check *v = wm_result_find_check(r, "security.violations");

	if (!k)
		return -1;
	if (u->problem[0]) {
		wm_check_set(k, WM_UNKNOWN, "logs not read: %s", u->problem);
		if (v && v->state == WM_UNKNOWN)
			wm_check_set(v, WM_UNKNOWN, "%s (logs not read: %s)", v->summary,
				     u->problem);
	} else {
		wm_check_set(k, WM_OK, "%llu access lines%s%.0llu%s, %llu backend lines %s",
			     (unsigned long long)c->access_lines, c->self_lines ? " (" : "",
			     (unsigned long long)c->self_lines,
			     c->self_lines ? " of them the suite's own requests, not counted)" : "",
			     (unsigned long long)c->backend_lines, u->o.window);
	}
	return 0;
}

/* Probes that got through are violations too: security.violations (made
 * by the report, or here when the logs were not read) counts them. */
static int
add_probe_violations(struct sec_unit *u, struct wm_result *r, uint64_t through)
{
	struct wm_check *v = wm_result_find_check(r, "security.violations");
	struct wm_metric *m = NULL;
	double before;

	if (!v) {
		if (!(v = wm_result_add_check(r, "security.violations")) ||
		    !(m = wm_check_add_metric(v, "violations", 0, "")) ||
		    wm_metric_set_thresholds(
			m, NULL,
			wm_check_threshold(u->s, wm_check_find(SEC), "violations", NULL, true)) < 0)
			return -1;
		m->min = 0;
		wm_check_set(v, WM_OK, "no security violation: no probe got through");
	}
	for (size_t i = 0; i < v->nmetrics; i++)
		if (strcmp(v->metrics[i].name, "violations") == 0)
			m = &v->metrics[i];
	if (!m || through == 0)
		return 0;
	before = m->value;
	m->value += (double)through;
	wm_check_eval(v);
	if (before > 0)
		wm_check_set(v, v->state, "%s; and %llu probe(s) got through", v->summary,
			     (unsigned long long)through);
	else
		wm_check_set(v, v->state, "%llu security violation(s): %llu probe(s) got through",
			     (unsigned long long)through, (unsigned long long)through);
	return 0;
}

int
sec_unit_finish(struct sec_unit *u, struct wm_result *r)
{
	struct wm_check *k;
	uint64_t through = 0;

	if (u->config_error[0]) {
		if (!(k = wm_result_add_check(r, "security.config")))
			return -1;
		wm_check_set(k, WM_UNKNOWN, "%s", u->config_error);
		return 0;
	}
	if (!u->o.no_logs) {
		if (u->access_log)
			read_access_file(u);
		if (wm_security_report(u->an, r, u->o.window, threshold, u) < 0 ||
		    logs_check(u, r) < 0)
			return -1;
	}
	if (!u->o.no_probes && (wm_probes_run(u->s, &u->o, r, &through) < 0 ||
				add_probe_violations(u, r, through) < 0))
		return -1;
	return 0;
}

int
wm_security_run(struct wm_session *s, const struct wm_security_check_opts *o, struct wm_result *r)
{
	struct sec_unit u = {0};
	int rc = -1;

	if (wm_result_set_project(r, wm_session_project(s)) < 0 || sec_unit_begin(&u, s, o) < 0)
		goto out;
	if (!u.o.no_logs && sec_unit_collect(&u, r) < 0)
		goto out;
	rc = sec_unit_finish(&u, r);
out:
	sec_unit_free(&u);
	return rc;
}
