/* report_verdict.c - the criteria not judged on counted reads (uptime,
 * data loss, users, monitoring, the drill), and the verdict (see report.h and
 * wm-report(1), which defines every criterion operationally). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run/report_int.h"

static const struct {
	const char *key, *title;
} crit_names[WM_CRIT_N] = {
    [WM_CRIT_CRITICAL_ERRORS] = {"critical_errors", "Zero critical errors in logs"},
    [WM_CRIT_SECURITY] = {"security", "Zero security violations"},
    [WM_CRIT_UPTIME] = {"uptime", "100% service uptime (or documented downtime < 5 min)"},
    [WM_CRIT_P99] = {"p99", "Response times < 2 s (99th percentile)"},
    [WM_CRIT_HIT_RATE] = {"hit_rate", "Cache hit rate > 85%"},
    [WM_CRIT_DB_P95] = {"db_p95", "Database queries < 500 ms (95th percentile)"},
    [WM_CRIT_DATA_LOSS] = {"data_loss", "No data loss or corruption"},
    [WM_CRIT_USERS] = {"users", "All users can access primary features"},
    [WM_CRIT_MONITORING] = {"monitoring", "All monitoring systems operational"},
    [WM_CRIT_DRILL] = {"incident_response",
		       "Incident response procedures operational (the T+0 drill)"},
};

/* "backend down 7 min (T+5h10m-T+5h17m, documented by INC-1)": the interval,
 * with the span its end is known within when no container event says it. */
static void
interval(const struct wm_report_service *s, const struct wm_report_down *d, char *buf, size_t len)
{
	char a[32], b[32], x[32], bound[128] = "";

	wm_report_offset(d->from_ms, a, sizeof(a));
	wm_report_offset(d->to_ms, b, sizeof(b));
	wm_report_offset(d->seen_down_ms, x, sizeof(x));
	if (!d->open && d->seen_down_ms < d->to_ms && strcmp(d->ended_by, "container event") != 0)
		wm_report_fmt(bound, sizeof(bound), ", ended between %s and %s (a %s saw it up)", x,
			      b, d->ended_by);
	wm_report_fmt(
	    buf, len, "%s down %.3g min (%s-%s%s%s, %s%s)", s->name,
	    (double)(d->to_ms - d->from_ms) / WM_MIN_MS, a, b, d->open ? ", still down" : "", bound,
	    d->documented ? "documented by " : "not documented", d->documented ? d->incident : "");
}

/* The longest unobserved stretches: "T+3h-T+4h5m (65 min, monitoring lost)". */
static void
gaps(const struct wm_report *r, char *buf, size_t len)
{
	*buf = '\0';
	for (size_t i = 0; i < r->n_gaps && i < 4; i++) {
		const struct wm_report_gap *g = &r->gaps[i];
		char a[32], b[32];
		size_t n = strlen(buf);

		wm_report_offset(g->from_ms, a, sizeof(a));
		wm_report_offset(g->to_ms, b, sizeof(b));
		wm_report_fmt(buf + n, len - n, "%s%s-%s (%.3g min%s)", n ? ", " : "", a, b,
			      (double)(g->to_ms - g->from_ms) / WM_MIN_MS,
			      g->lost ? ", monitoring lost" : "");
	}
}

static void
judge_uptime(struct wm_report *r)
{
	struct wm_report_criterion *c = &r->crit[WM_CRIT_UPTIME];
	int64_t undoc = r->downtime_ms - r->documented_ms;
	char ev[2 * WM_REPORT_TEXT_MAX] = "", one[WM_REPORT_TEXT_MAX], src[WM_REPORT_TEXT_MAX] = "";
	char holes[WM_REPORT_TEXT_MAX];
	static const char *const kinds[] = {"container events", "watch samples",
					    "service-down incidents", "ticks"};
	bool open = false, failed;

	wm_report_fmt(c->threshold, sizeof(c->threshold), "0, or documented < %g min",
		      (double)r->opts.downtime_max_ms / WM_MIN_MS);
	for (size_t i = 0; i < r->n_services; i++) {
		const struct wm_report_service *s = &r->services[i];

		for (size_t k = 0; k < s->n_down; k++) {
			size_t len = strlen(ev);

			open = open || s->down[k].open;
			interval(s, &s->down[k], one, sizeof(one));
			wm_report_fmt(ev + len, sizeof(ev) - len, "%s%s", len ? "; " : "", one);
		}
	}
	if (!r->in->n_seen) {
		wm_report_not_measured(c, "no container event, watch sample or services result");
		return;
	}
	/* every kind of observation any service had, most precise first */
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (size_t i = 0; i < r->n_services; i++)
			if (strstr(r->services[i].source, kinds[k])) {
				size_t len = strlen(src);

				wm_report_fmt(src + len, sizeof(src) - len, "%s%s", len ? ", " : "",
					      kinds[k]);
				break;
			}
	gaps(r, holes, sizeof(holes));
	wm_report_fmt(c->source, sizeof(c->source),
		      "%s, per service; the services observed %.1f %% of the run", src,
		      r->coverage);
	failed = undoc > 0 || open || r->documented_ms >= r->opts.downtime_max_ms;
	if (r->downtime_ms || open)
		wm_report_fmt(c->worst, sizeof(c->worst), "%.*s", (int)sizeof(c->worst) - 1, ev);
	if (!failed && r->coverage < r->opts.cover_min) {
		/* no downtime seen, but too little seen to say "100 %" */
		char why[2 * WM_REPORT_TEXT_MAX];

		wm_report_fmt(why, sizeof(why),
			      "the services were observed %.1f %% of the run, under the %g %% "
			      "needed: unobserved %s; %s",
			      r->coverage, r->opts.cover_min, holes,
			      r->downtime_ms ? "documented downtime seen in the rest"
					     : "no downtime seen in the rest");
		wm_report_not_measured(c, why);
		wm_report_fmt(c->measured, sizeof(c->measured),
			      "not measured (%.3g min downtime seen, %.1f %% of the run observed)",
			      (double)r->downtime_ms / WM_MIN_MS, r->coverage);
		return;
	}
	wm_report_crit_set(
	    c, WM_REPORT_MET, 100.0 * (1.0 - (double)r->downtime_ms / (double)r->opts.plan_ms),
	    "%.3g min downtime (%.3g min documented)", (double)r->downtime_ms / WM_MIN_MS,
	    (double)r->documented_ms / WM_MIN_MS);
	if (r->downtime_ms == 0 && !open)
		return;
	c->status = failed ? WM_REPORT_FAILED : WM_REPORT_WARN;
	wm_report_fmt(c->evidence, sizeof(c->evidence), "%s%s", ev,
		      failed && undoc <= 0 ? "; over the 5 min allowed" : "");
}

/* Incidents of kind: how many, and "INC-4 (orders, opened T+3h)" of the first. */
static size_t
incidents_of(const struct wm_report *r, const char *kind, char *first, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n_incidents; i++) {
		char off[32];

		if (strcmp(r->incidents[i].kind, kind) != 0)
			continue;
		if (n++ == 0) {
			wm_report_offset(r->incidents[i].opened_ms, off, sizeof(off));
			wm_report_fmt(first, len, "%s (%s, opened %s)", r->incidents[i].id,
				      r->incidents[i].subject, off);
		}
	}
	return n;
}

static void
judge_rest(struct wm_report *r)
{
	const struct wm_report_int *in = r->in;
	struct wm_report_criterion *c = &r->crit[WM_CRIT_DATA_LOSS];
	char first[WM_REPORT_TEXT_MAX], unrun[WM_REPORT_NAME_MAX * 2] = "";
	size_t n;

	wm_report_fmt(c->threshold, sizeof(c->threshold), "none");
	n = incidents_of(r, "data-loss", first, sizeof(first));
	if (!in->dataloss_seen && !n) {
		wm_report_not_measured(c, "no wm-db pg.data_loss check");
	} else {
		wm_report_fmt(c->source, sizeof(c->source),
			      "wm-db pg.data_loss (never-shrink tables' high-water marks), "
			      "data-loss incidents");
		wm_report_crit_set(c, *in->dataloss_fail || n ? WM_REPORT_FAILED : WM_REPORT_MET,
				   (double)n, "%s",
				   *in->dataloss_fail || n ? "data loss seen" : "verified");
		wm_report_fmt(c->evidence, sizeof(c->evidence), "%s%s%s", in->dataloss_fail,
			      *in->dataloss_fail && n ? "; " : "", n ? first : "");
	}

	c = &r->crit[WM_CRIT_USERS];
	wm_report_fmt(c->threshold, sizeof(c->threshold), "smoke OK, no user issue");
	if (!in->smoke_seen && !r->user_issues) {
		wm_report_not_measured(c, "no wm-smoke result");
	} else {
		wm_report_fmt(c->source, sizeof(c->source),
			      "wm-smoke at its ticks, and notes marked --user-issue");
		wm_report_crit_set(
		    c, *in->smoke_fail || r->user_issues ? WM_REPORT_FAILED : WM_REPORT_MET,
		    (double)r->user_issues, "%s, %zu user issue%s",
		    *in->smoke_fail ? "a smoke test failed" : "smoke tests passed", r->user_issues,
		    r->user_issues == 1 ? "" : "s");
		wm_report_fmt(c->evidence, sizeof(c->evidence), "%s%s%s%s", in->smoke_fail,
			      *in->smoke_fail && r->user_issues ? "; " : "",
			      r->user_issues ? "user issue reported at " : "", in->user_issue);
	}

	c = &r->crit[WM_CRIT_MONITORING];
	if (r->ticks_unrun)
		wm_report_fmt(unrun, sizeof(unrun),
			      "; %zu of the plan's ticks have no record in the journal at all",
			      r->ticks_unrun);
	wm_report_fmt(c->threshold, sizeof(c->threshold), "no monitoring-lost incident");
	n = incidents_of(r, "monitoring-lost", first, sizeof(first));
	if (!r->from_journal || !r->started) {
		wm_report_not_measured(c, "no run journal (wm-run's own incidents tell it)");
		return;
	}
	wm_report_fmt(c->source, sizeof(c->source),
		      "wm-run: monitoring-lost incidents, missed ticks, the watch's samples");
	wm_report_crit_set(c, WM_REPORT_MET, (double)n,
			   "%zu monitoring-lost incidents, %zu ticks missed, services observed "
			   "%.1f %% of the run",
			   n, r->ticks_missed, r->coverage);
	if (n) {
		c->status = WM_REPORT_FAILED;
		wm_report_fmt(c->evidence, sizeof(c->evidence), "the monitor was blind: %s", first);
	} else if (r->ticks_missed) {
		c->status = WM_REPORT_WARN;
		wm_report_fmt(
		    c->evidence, sizeof(c->evidence),
		    "%zu ticks missed (not run at their time: the driver was down or late)%s",
		    r->ticks_missed, unrun);
	} else if (!r->watched) {
		c->status = WM_REPORT_WARN;
		wm_report_fmt(c->evidence, sizeof(c->evidence),
			      "no watch sample in the journal: nothing watched the services "
			      "between ticks");
	} else if (!(r->coverage >= r->opts.cover_min)) {
		char holes[WM_REPORT_TEXT_MAX];

		/* blind with no monitoring-lost incident: the blindness went unsaid */
		gaps(r, holes, sizeof(holes));
		c->status = WM_REPORT_WARN;
		wm_report_fmt(c->evidence, sizeof(c->evidence),
			      "the services went unobserved %.3g min with no monitoring-lost "
			      "incident: %s",
			      (double)r->unobserved_ms / WM_MIN_MS, holes);
	}
}

/* The T+0 drill ("confirm incident response procedures are operational"):
 * a test notification through every configured channel. */
static void
judge_drill(struct wm_report *r)
{
	struct wm_report_criterion *c = &r->crit[WM_CRIT_DRILL];
	const struct wm_report_int *in = r->in;
	char failed[2 * WM_REPORT_TEXT_MAX] = "";
	size_t bad = 0;

	wm_report_fmt(c->threshold, sizeof(c->threshold), "every channel delivered");
	if (!r->n_drill && *in->drill_fail) {
		/* the T+0 tick's watch.drill check: no channel to drill */
		wm_report_fmt(c->source, sizeof(c->source), "the T+0 tick's watch.drill check");
		wm_report_crit_set(c, WM_REPORT_FAILED, 0, "no drill sent");
		wm_report_fmt(c->evidence, sizeof(c->evidence), "%s", in->drill_fail);
		return;
	}
	if (!r->n_drill) {
		wm_report_not_measured(c, r->from_journal
					      ? "no drill in the journal"
					      : "no run journal (the drill is wm-run's)");
		return;
	}
	for (size_t i = 0; i < r->n_drill; i++) {
		size_t len = strlen(failed);

		if (r->drill[i].ok)
			continue;
		bad++;
		wm_report_fmt(failed + len, sizeof(failed) - len, "%s%s: %s", len ? "; " : "",
			      r->drill[i].channel, r->drill[i].detail);
	}
	wm_report_fmt(c->source, sizeof(c->source),
		      "the T+0 drill's notify answers (drill: true), per channel");
	wm_report_crit_set(c, WM_REPORT_MET, (double)(r->n_drill - bad),
			   "%zu of %zu channels delivered", r->n_drill - bad, r->n_drill);
	if (!bad)
		return;
	c->status = bad == r->n_drill ? WM_REPORT_FAILED : WM_REPORT_WARN;
	wm_report_fmt(c->evidence, sizeof(c->evidence), "%s: %s",
		      bad == r->n_drill ? "the drill reached no channel" : "drill channel failed",
		      failed);
}

static void reason(struct wm_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
reason(struct wm_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n_reasons >= sizeof(r->reasons) / sizeof(r->reasons[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(r->reasons[r->n_reasons++], sizeof(r->reasons[0]), fmt, ap);
	va_end(ap);
}

/* The incident inc is a consequence of, when the journal has it. */
static const struct wm_report_incident *
root_of(const struct wm_report *r, const struct wm_report_incident *inc)
{
	for (size_t i = 0; i < r->n_incidents; i++)
		if (&r->incidents[i] != inc && !strcmp(r->incidents[i].id, inc->root))
			return &r->incidents[i];
	return NULL;
}

static void
verdict(struct wm_report *r)
{
	bool failed = false, unknown = false, warn = false;
	char buf[WM_REPORT_TEXT_MAX];

	for (int i = 0; i < WM_CRIT_N; i++)
		if (r->crit[i].status == WM_REPORT_FAILED) {
			failed = true;
			reason(r, "%s: %s", r->crit[i].key, r->crit[i].evidence);
		}
	if (!r->started && r->from_journal) {
		unknown = true;
		reason(r, "%s",
		       r->records || *r->invalid ? "the journal has no run_start"
						 : "the journal holds no record");
	}
	if (*r->invalid) {
		unknown = true;
		reason(r, "the journal is damaged: %s (read up to there)", r->invalid);
	}
	if (r->partial) {
		char off[32];

		unknown = true;
		wm_report_offset(r->last_ms, off, sizeof(off));
		wm_report_fmt(buf, sizeof(buf), "%.1f hours to come",
			      (double)(r->opts.plan_ms - r->last_ms) / WM_HOUR_MS);
		reason(r, "partial run: a report so far, up to %s; %s", off, buf);
	}
	/* a journal without run_start said so above; results piped in have none
	 * and still cannot PASS on what they do not measure */
	for (int i = 0; i < WM_CRIT_N && (r->started || !r->from_journal); i++)
		if (r->crit[i].status == WM_REPORT_NOT_MEASURED) {
			unknown = true;
			reason(r, "%s: not measured: %s", r->crit[i].key, r->crit[i].evidence);
		}
	for (int i = 0; i < WM_CRIT_N; i++)
		if (r->crit[i].status == WM_REPORT_WARN) {
			warn = true;
			reason(r, "%s: %s", r->crit[i].key, r->crit[i].evidence);
		}
	for (size_t i = 0; i < r->n_incidents; i++) {
		const struct wm_report_incident *inc = &r->incidents[i];

		warn = true;
		/* a consequence follows its root: acknowledged with it, said with it */
		if (*inc->root && root_of(r, inc))
			continue;
		wm_report_fmt(buf, sizeof(buf), "%s %s %s%s%s", inc->kind, inc->subject,
			      inc->acked_ms ? "acknowledged" : "never acknowledged",
			      *inc->consequences ? "; consequences: " : "", inc->consequences);
		reason(r, "incident %s: %s", inc->id, buf);
	}
	r->verdict = failed    ? WM_VERDICT_FAIL
		     : unknown ? WM_VERDICT_UNKNOWN
		     : warn    ? WM_VERDICT_PASS_WARN
			       : WM_VERDICT_PASS;
	r->go_live = r->verdict <= WM_VERDICT_PASS_WARN;
	for (size_t i = 0; i < r->n_approvals; i++)
		if (r->approvals[i].required && !*r->approvals[i].name)
			r->go_live = false;
}

int
wm_report_judge(struct wm_report *r, struct wm_err *err)
{
	const struct wm_report_read **v = malloc((r->in->n_reads + 1) * sizeof(*v));

	if (!v)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	for (int i = 0; i < WM_CRIT_N; i++) {
		r->crit[i].id = (enum wm_crit_id)i;
		r->crit[i].key = crit_names[i].key;
		r->crit[i].title = crit_names[i].title;
		r->crit[i].value = NAN;
	}
	r->total_errors = r->critical_errors = r->day_hit_rate = NAN;
	wm_report_judge_reads(r, v);
	judge_uptime(r);
	judge_rest(r);
	judge_drill(r);
	free(v);
	verdict(r);
	return 0;
}

/* The plan's ticks up to the last record, and those the journal has no
 * record of (no start, end or missed: wm-run was not there to say it).  A
 * tick still within its grace at the last record is not due yet. */
static void
plan_ticks(struct wm_report *r)
{
	const struct wm_schedule *p = &r->opts.plan;

	if (!r->from_journal || !r->started)
		return;
	for (size_t i = 0; i < p->n_tiers; i++)
		for (size_t k = 0; k < p->tier[i].n_at; k++) {
			char key[WM_REPORT_NAME_MAX * 2];
			int64_t at = p->tier[i].at[k];

			if (at > r->last_ms)
				continue;
			r->ticks_planned++;
			snprintf(key, sizeof(key), "%s@%lld", p->tier[i].name, (long long)at);
			if (at + p->tier[i].grace_ms < r->last_ms &&
			    !cJSON_GetObjectItemCaseSensitive(r->in->ticks, key))
				r->ticks_unrun++;
		}
	r->ticks_missed += r->ticks_unrun;
}

int
wm_report_finish(struct wm_report *r, struct wm_err *err)
{
	r->partial = r->from_journal && r->started && !r->ended && r->last_ms < r->opts.plan_ms;
	r->unfinished = (size_t)cJSON_GetArraySize(r->in->pending);
	plan_ticks(r);
	if (wm_report_downtime(r, err))
		return -1;
	wm_report_hours(r);
	return wm_report_judge(r, err);
}
