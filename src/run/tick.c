/* tick.c - one tick of the plan: its tier's areas through the check units
 * over the session, every result journaled between tick_start and tick_end. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "common/prog.h"
#include "render/render.h"
#include "session/session.h"
#include "wm-run.h"

/* The result r as the JSON object -j prints, or NULL. */
static cJSON *
result_json(const struct wm_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *j = NULL;

	if (!f)
		return NULL;
	if (wm_render(r, WM_FORMAT_JSON, f, 0) == 0 && fclose(f) == 0)
		j = cJSON_Parse(buf);
	else
		fclose(f);
	free(buf);
	return j;
}

/* A new result for area's program ("wm-errors"). */
static struct wm_result *
area_result(struct tick *t, const char *area)
{
	char name[64];
	struct wm_result *r;

	snprintf(name, sizeof(name), "wm-%s", area);
	r = wm_result_new(name, PACKAGE_VERSION, wm_session_target_name(t->s));
	if (!r)
		wm_die(WM_UNKNOWN, "out of memory");
	return r;
}

static int record_area(struct tick *t, const char *area, struct wm_result *r, struct wm_err *err);

/* Run one area's unit into its own result, journal it, and say it in
 * t->out.  0, or -1 with err when the journal failed. */
static int
run_area(struct tick *t, const char *area, const void *opts, struct wm_err *err)
{
	const struct wm_check_def *def = wm_check_find(area);
	struct wm_result *r;
	struct wm_err e = {0};

	t->area = area;
	r = area_result(t, area);
	wm_session_start(t->s, 0);
	if (!def)
		wm_check_set(wm_result_add_check(r, area), WM_UNKNOWN,
			     "not available: wm-%s is not built", area);
	else if (wm_check_run(def, t->s, opts, NULL, r, &e) != 0)
		wm_result_unknown(r, area, &e);
	return record_area(t, area, r, err);
}

/* errors, security (when sec) and perf's logs (into pl, when set) from one
 * read of each log (wm_logs_check_run): the security tier's read feeds the
 * errors analyzer too (DESIGN §6), and perf's durations ride on it. */
static int
run_logs(struct tick *t, const struct wm_errors_check_opts *eo, bool sec, struct wm_perf_logs *pl,
	 struct wm_err *err)
{
	struct wm_security_check_opts so;
	struct wm_logs_check_opts lo = {.errors = eo, .security = sec ? &so : NULL, .perf = pl};
	struct wm_result *re = area_result(t, "errors");
	struct wm_result *rs = sec ? area_result(t, "security") : NULL;
	struct wm_err e = {0};

	t->area = "errors";
	wm_security_check_defaults(&so, wm_clock_wall_ms(t->clk));
	so.since_ms = eo->since_ms; /* one window for all: the tier's */
	snprintf(so.window, sizeof(so.window), "%s", eo->window);
	wm_session_start(t->s, 0);
	if (wm_logs_check_run(t->s, &lo, NULL, NULL, re, rs, &e) != 0) {
		wm_result_unknown(re, "errors", &e);
		if (rs)
			wm_result_unknown(rs, "security", &e);
	}
	if (record_area(t, "errors", re, err) != 0) {
		wm_result_free(rs);
		return -1;
	}
	if (!rs)
		return 0;
	t->area = "security";
	return record_area(t, "security", rs, err);
}

/* Journal the finished result r of area (taking it) and say it in t->out.
 * 0, or -1 with err when the journal failed. */
static int
record_area(struct tick *t, const char *area, struct wm_result *r, struct wm_err *err)
{
	char name[64], off[32], *sum;
	cJSON *f, *res;
	enum wm_state st;
	int rc;

	wm_result_finish(r);
	st = wm_result_state(r);
	t->worst = wm_state_worst(t->worst, st);
	f = cJSON_CreateObject();
	res = result_json(r);
	if (!f || !res || !cJSON_AddStringToObject(f, "tier", t->tier->name) ||
	    !cJSON_AddNumberToObject(f, "at_ms", (double)t->at_ms) ||
	    !cJSON_AddNumberToObject(f, "attempt", t->attempt) ||
	    !cJSON_AddStringToObject(f, "area", area) || !cJSON_AddItemToObject(f, "result", res))
		wm_die(WM_UNKNOWN, "out of memory");
	rc = wm_journal_append(t->j, "result", f, err);
	cJSON_Delete(f);
	if (rc == 0 && t->out) {
		struct wm_check *c;

		sum = wm_render_summary(r);
		wm_schedule_offset_str(t->at_ms, off, sizeof(off));
		snprintf(name, sizeof(name), "%s.%s", t->tier->name, area);
		if (!(c = wm_result_add_check(t->out, name)))
			wm_die(WM_UNKNOWN, "out of memory");
		wm_check_set(c, st, "%s %s: %s", t->tier->name, off, sum ? sum : wm_state_name(st));
		free(sum);
	}
	if (t->nres < sizeof(t->res) / sizeof(t->res[0]))
		t->res[t->nres++] = r; /* for t->after; freed by tick_run */
	else
		wm_result_free(r);
	t->area = NULL;
	return rc;
}

/* What t->after added (the watch's cross-checks, the drill), journaled as
 * the area "watch" when it has checks. */
static int
run_after(struct tick *t, struct wm_err *err)
{
	struct wm_result *x =
	    wm_result_new("wm-run", PACKAGE_VERSION, wm_session_target_name(t->s));
	cJSON *f = NULL, *res;
	int rc = -1;

	if (!x)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (t->after(t->ctx, t, (const struct wm_result *const *)t->res, t->nres, x, err) != 0)
		goto out;
	rc = 0;
	if (x->nchecks == 0)
		goto out;
	wm_result_finish(x);
	t->worst = wm_state_worst(t->worst, wm_result_state(x));
	f = cJSON_CreateObject();
	res = result_json(x);
	if (!f || !res || !cJSON_AddStringToObject(f, "tier", t->tier->name) ||
	    !cJSON_AddNumberToObject(f, "at_ms", (double)t->at_ms) ||
	    !cJSON_AddNumberToObject(f, "attempt", t->attempt) ||
	    !cJSON_AddStringToObject(f, "area", "watch") ||
	    !cJSON_AddItemToObject(f, "result", res)) {
		cJSON_Delete(res);
		rc = wm_err_set(err, WM_ENOMEM, "out of memory");
	} else {
		rc = wm_journal_append(t->j, "result", f, err);
	}
out:
	cJSON_Delete(f);
	wm_result_free(x);
	return rc;
}

#define BIT(c) (1u << (c))

/* After each record: the caller may abandon the tick (1). */
#define STEP(call)                                                                                 \
	do {                                                                                       \
		if ((call) != 0)                                                                   \
			return -1;                                                                 \
		if (t->between && t->between(t->ctx))                                              \
			return 1;                                                                  \
	} while (0)

static int
tick_areas(struct tick *t, struct wm_err *err)
{
	const unsigned ck = t->tier->checks;

	t->worst = WM_OK;
	t->nres = 0;
	t->perf_logs = NULL;
	STEP(wm_journal_append_tick(t->j, "tick_start", t->tier->name, t->at_ms, t->attempt, 0,
				    false, err));
	if (ck & (BIT(WM_SCHED_SERVICES) | BIT(WM_SCHED_RESTARTS) | BIT(WM_SCHED_RESOURCES) |
		  BIT(WM_SCHED_DISK))) {
		struct wm_services_check_opts so = {
		    .stats = ck & BIT(WM_SCHED_RESOURCES),
		    .disk = ck & BIT(WM_SCHED_DISK),
		};
		STEP(run_area(t, "services", &so, err));
	}
	if (ck & (BIT(WM_SCHED_ERRORS) | BIT(WM_SCHED_CRITICALS) | BIT(WM_SCHED_LOGS))) {
		struct wm_errors_check_opts eo;
		int64_t now = wm_clock_wall_ms(t->clk);

		wm_errors_check_defaults(&eo, now);
		/* The window is planned time: at --time-scale N it reads 1/N of it. */
		eo.since_ms = now - wm_clock_real_span(t->clk, t->tier->window_ms);
		snprintf(eo.window, sizeof(eo.window), "in %" PRId64 " min",
			 t->tier->window_ms / 60000);
		eo.criticals = ck & BIT(WM_SCHED_CRITICALS);
		eo.tail = ck & BIT(WM_SCHED_LOGS) ? 5 : 0;
		/* perf in the tier: its log durations over the same window, from
		 * the same read (wm_perf_run reports them below) */
		if ((ck & BIT(WM_SCHED_PERF)) && wm_check_find("perf")) {
			if (!(t->perf_logs = wm_perf_logs_new(t->s, eo.since_ms, -1)))
				wm_die(WM_UNKNOWN, "out of memory");
			t->perf_since = eo.since_ms;
		}
		if ((ck & BIT(WM_SCHED_SECURITY)) || t->perf_logs)
			STEP(run_logs(t, &eo, ck & BIT(WM_SCHED_SECURITY), t->perf_logs, err));
		else
			STEP(run_area(t, "errors", &eo, err));
	}
	if (ck & BIT(WM_SCHED_CACHE)) {
		struct wm_cache_check_opts co = {0};

		STEP(run_area(t, "cache", &co, err));
	}
	if (ck & BIT(WM_SCHED_DB)) {
		struct wm_db_check_opts dbo = {0};

		STEP(run_area(t, "db", &dbo, err));
	}
	/* security with its own read when errors is not in the tier */
	if ((ck & BIT(WM_SCHED_SECURITY)) &&
	    !(ck & (BIT(WM_SCHED_ERRORS) | BIT(WM_SCHED_CRITICALS) | BIT(WM_SCHED_LOGS))))
		STEP(run_area(t, "security", NULL, err));
	if (ck & BIT(WM_SCHED_PERF)) {
		struct wm_perf_check_opts po = {.since_ms = t->perf_since, .logs = t->perf_logs};

		STEP(run_area(t, "perf", t->perf_logs ? &po : NULL, err));
	}
	if (ck & BIT(WM_SCHED_SMOKE))
		STEP(run_area(t, "smoke", NULL, err));
	if (t->after)
		STEP(run_after(t, err));
	if (wm_journal_append_tick(t->j, "tick_end", t->tier->name, t->at_ms, t->attempt,
				   (int)t->worst, t->late, err))
		return -1;
	return 0;
}

int
tick_run(struct tick *t, struct wm_err *err)
{
	int rc = tick_areas(t, err);

	while (t->nres)
		wm_result_free(t->res[--t->nres]);
	wm_perf_logs_free(t->perf_logs);
	t->perf_logs = NULL;
	return rc;
}

int
tick_due(struct wm_schedule *plan, struct wm_journal *j, const struct wm_clock *clk,
	 int (*run)(void *ctx, const struct wm_schedule_tier *tier, int64_t at_ms, int attempt,
		    bool late),
	 void *ctx, struct wm_err *err)
{
	struct wm_due due[64];
	size_t n;
	int ran = 0;

	/* Ask again until nothing is due: a batch may be cut at 64, and a tick
	 * that became due while the others ran runs now too. */
	for (;;) {
		const struct wm_journal_state *st = wm_journal_state_of(j);

		n = wm_schedule_due(plan, wm_clock_offset_ms(clk), wm_journal_settled, (void *)st,
				    due, sizeof(due) / sizeof(due[0]));
		if (n == 0)
			return ran;
		if (n > sizeof(due) / sizeof(due[0]))
			n = sizeof(due) / sizeof(due[0]);
		for (size_t i = 0; i < n; i++) {
			const struct wm_schedule_tier *tier = &plan->tier[due[i].tier];
			const struct wm_journal_tick *jt;
			int rc;

			if (due[i].status == WM_TICK_MISSED) {
				if (wm_journal_append_tick(j, "tick_missed", tier->name,
							   due[i].at_ms, 0, 0, false, err))
					return -1;
				continue;
			}
			jt = wm_journal_tick(wm_journal_state_of(j), tier->name, due[i].at_ms);
			rc = run(ctx, tier, due[i].at_ms, jt ? jt->attempts + 1 : 1,
				 due[i].status == WM_TICK_LATE);
			if (rc != 0)
				return rc < 0 ? -1 : ran;
			ran++;
		}
	}
}
