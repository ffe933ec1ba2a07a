/* check_smoke.c - the smoke check unit: the plan run in order, each step
 * after the steps it needs, one check per step ("smoke.NAME") and the area
 * check "smoke" (lib/checks/smoke.h). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/checks.h"
#include "checks/smoke_int.h"
#include "conf/conf.h"

/* What became of a step: not asked for (--step), passed (slow counts: its
 * answer was right), failed (CRITICAL), not checked (UNKNOWN: no account,
 * a secrets file refused), not run (something it needs did not pass). */
enum done { NOT_SELECTED, PASSED, FAILED, UNCHECKED, NOT_RUN };

void
smoke_say(const struct smoke_run *run, struct smoke_out *out, enum wm_state state, const char *fmt,
	  ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->summary, sizeof(out->summary), fmt, ap);
	va_end(ap);
	wm_smoke_mask_buf(out->summary, sizeof(out->summary), &run->vars);
	out->state = state;
}

void
smoke_log(const struct smoke_run *run, enum wm_log_level level, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	wm_smoke_mask_buf(line, sizeof(line), &run->vars);
	wm_session_log(run->s, level, "%s", line);
}

/* The step's facts for its check's data. */
static int
step_data(const struct wm_smoke_step *st, const struct wm_smoke_plan *p,
	  const struct smoke_out *out, struct wm_check *c)
{
	static const char *const types[] = {"http", "db", "cache"};
	cJSON *d = wm_check_data(c), *needs, *caps, *t;

	if (!d || !cJSON_AddStringToObject(d, "type", types[st->type]) ||
	    !(needs = cJSON_AddArrayToObject(d, "needs")) ||
	    !(caps = cJSON_AddArrayToObject(d, "captures")))
		return -1;
	for (size_t i = 0; i < st->ndeps; i++)
		cJSON_AddItemToArray(needs, cJSON_CreateString(p->steps[st->deps[i]].spec->name));
	for (size_t i = 0; i < st->spec->ncaptures; i++) /* the names, never the values */
		cJSON_AddItemToArray(caps, cJSON_CreateString(st->spec->captures[i].name));
	if (out->where && !cJSON_AddStringToObject(d, "route", out->where))
		return -1;
	if (out->url[0] && !cJSON_AddStringToObject(d, "url", out->url))
		return -1;
	if (out->label[0] && !cJSON_AddStringToObject(d, "server", out->label))
		return -1;
	if (out->status && !cJSON_AddNumberToObject(d, "status", (double)out->status))
		return -1;
	if (!out->have_timing)
		return 0;
	/* libcurl's clock: ms from the start, cumulative (clients/http.h);
	 * through the tunnel, connect is the local end of the tunnel */
	if (!(t = cJSON_AddObjectToObject(d, "timing_ms")) ||
	    !cJSON_AddNumberToObject(t, "dns", out->t.dns_ms) ||
	    !cJSON_AddNumberToObject(t, "connect", out->t.connect_ms) ||
	    !cJSON_AddNumberToObject(t, "tls", out->t.tls_ms) ||
	    !cJSON_AddNumberToObject(t, "first_byte", out->t.first_byte_ms) ||
	    !cJSON_AddNumberToObject(t, "total", out->t.total_ms))
		return -1;
	return 0;
}

static int
add_step(struct wm_result *r, const struct wm_smoke_plan *p, const struct wm_smoke_step *st,
	 const struct smoke_out *out)
{
	char name[160], range[64];
	struct wm_check *c;
	struct wm_metric *m;

	snprintf(name, sizeof(name), "smoke.%s", st->spec->name);
	if (!(c = wm_result_add_check(r, name)) ||
	    !(m = wm_check_add_metric(c, "step_time", isnan(out->ms) ? NAN : out->ms / 1000.0,
				      "s")))
		return -1;
	wm_check_set(c, out->state, "%s", out->summary);
	/* max_time: the step's time above it is WARNING (a threshold
	 * smoke.step_time[.NAME] of the file or -w replaces it) */
	if (st->spec->max_time_ms >= 0 && !isnan(out->ms)) {
		snprintf(range, sizeof(range), "~:%g", (double)st->spec->max_time_ms / 1000.0);
		if (wm_metric_set_thresholds(m, range, NULL) < 0)
			return -1;
	}
	return step_data(st, p, out, c);
}

/* The first dependency of step k that did not pass, or -1. */
static int
blocker(const struct wm_smoke_plan *p, size_t k, const enum done *done)
{
	for (size_t d = 0; d < p->steps[k].ndeps; d++)
		if (done[p->steps[k].deps[d]] != PASSED)
			return (int)p->steps[k].deps[d];
	return -1;
}

static int
run_step(struct smoke_run *run, size_t k, struct smoke_out *out)
{
	const struct wm_smoke_step *st = &run->plan->steps[k];

	if (st->cannot) {
		smoke_say(run, out, WM_UNKNOWN, "%s", st->cannot);
		return 0;
	}
	switch (st->type) {
	case WM_STEP_DB:
		return smoke_db_step(run, st, out);
	case WM_STEP_CACHE:
		return smoke_cache_step(run, st, out);
	default:
		return smoke_http_step(run, st, out);
	}
}

/* names of the steps in state want, ", "-separated, into buf; their count */
static size_t
names_in(const struct wm_smoke_plan *p, const enum done *done, enum done want, char *buf,
	 size_t size)
{
	size_t n = 0, len = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < p->n; k++)
		if (done[k] == want && len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", n++ ? ", " : "",
						p->steps[k].spec->name);
		else if (done[k] == want)
			n++;
	return n;
}

/* The area check: how many steps passed, which failed, which could not be
 * checked, which did not run.  Its state comes from step_failures (the
 * table's default: CRITICAL above 0) and from the steps not checked. */
static int
add_area(struct wm_result *r, const struct wm_smoke_plan *p, const enum done *done, double total_ms)
{
	struct wm_check *c = wm_result_add_check(r, "smoke");
	const struct wm_check_def *def = wm_check_find("smoke");
	char failed[200], unchecked[200], notrun[200];
	size_t nf, nu, nn, ran = 0;
	struct wm_metric *m;

	if (!c)
		return -1;
	for (size_t k = 0; k < p->n; k++)
		ran += done[k] != NOT_SELECTED;
	nf = names_in(p, done, FAILED, failed, sizeof(failed));
	nu = names_in(p, done, UNCHECKED, unchecked, sizeof(unchecked));
	nn = names_in(p, done, NOT_RUN, notrun, sizeof(notrun));
	if (!(m = wm_check_add_metric(c, "step_failures", (double)nf, "")) ||
	    wm_metric_set_thresholds(m, wm_check_default(def, "step_failures", false),
				     wm_check_default(def, "step_failures", true)) < 0 ||
	    !wm_check_add_metric(c, "steps_not_run", (double)nn, ""))
		return -1;
	if (!nf && !nu && !nn) {
		wm_check_set(c, WM_OK, "%zu/%zu steps OK in %.0f ms", ran, ran, total_ms);
		return 0;
	}
	wm_check_set(c, nu ? WM_UNKNOWN : WM_OK, "%zu/%zu steps OK%s%s%s%s%s%s", ran - nf - nu - nn,
		     ran, nf ? "; failed: " : "", failed, nu ? "; not checked: " : "", unchecked,
		     nn ? "; not run: " : "", notrun);
	return 0;
}

/* The [smoke] settings of the run. */
static void
run_settings(struct smoke_run *run)
{
	const struct wm_config *cfg = wm_session_config(run->s);
	int64_t ms;
	char **h = NULL;
	size_t n = 0;

	run->timeout_ms = wm_config_duration(cfg, "smoke", "timeout", &ms) == 0
			      ? ms
			      : wm_session_timeout_ms(run->s);
	if (wm_config_lines(cfg, "smoke", "header", &h, &n) == 0 && h) {
		run->headers = h;
		run->nheaders = n;
	}
}

static int
run_plan(struct smoke_run *run, struct wm_result *r, enum done *done)
{
	struct wm_smoke_plan *p = run->plan;
	int64_t t0 = wm_monotonic_ms();

	for (size_t k = 0; k < p->n; k++) {
		struct smoke_out out = {.state = WM_UNKNOWN, .ms = NAN};
		int b;

		if (!p->steps[k].run)
			continue;
		if ((b = blocker(p, k, done)) >= 0) {
			const char *why = p->steps[b].spec->name;

			/* name the step that failed, not the one it kept from running */
			while (done[b] == NOT_RUN && (b = blocker(p, (size_t)b, done)) >= 0)
				why = p->steps[b].spec->name;
			done[k] = NOT_RUN;
			smoke_say(run, &out, WM_UNKNOWN, "not run: %s failed", why);
		} else if (run_step(run, k, &out) < 0) {
			return -1;
		} else {
			done[k] = out.state == WM_OK	    ? PASSED
				  : out.state == WM_UNKNOWN ? UNCHECKED
							    : FAILED;
		}
		if (add_step(r, p, &p->steps[k], &out) < 0)
			return -1;
	}
	return add_area(r, p, done, (double)(wm_monotonic_ms() - t0));
}

int
wm_smoke_run(struct wm_session *s, const struct wm_smoke_check_opts *o, struct wm_result *r)
{
	struct wm_smoke_plan plan;
	struct smoke_run run = {.s = s, .plan = &plan};
	struct wm_err err = {0};
	enum done *done;
	int rc;

	if (wm_smoke_plan_load(wm_session_config(s), &plan, &err) < 0 ||
	    (o && wm_smoke_plan_select(&plan, o->steps, o->nsteps, &err) < 0)) {
		wm_smoke_plan_free(&plan);
		return err.code == WM_ENOMEM ? -1 : wm_result_unknown(r, "smoke", &err);
	}
	if (!(done = calloc(plan.n + 1, sizeof(*done)))) {
		wm_smoke_plan_free(&plan);
		return -1;
	}
	run_settings(&run);
	rc = run_plan(&run, r, done);
	free(done);
	wm_http_free(run.http);
	wm_smoke_vars_free(&run.vars);
	wm_config_list_free(run.headers);
	wm_smoke_plan_free(&plan);
	return rc;
}
