/* report.c - the report model (see report.h): its options, a new report,
 * the helpers its files share, and reading a journal into it
 * (report_result.c reads results, report_record.c the other records). */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/schedule.h"
#include "run/report_int.h"
#include "store/journal.h"

void
wm_report_opts_default(struct wm_report_opts *o)
{
	static const char *const seed[][2] = {
	    {"tech_lead", "Tech Lead"},
	    {"security_lead", "Security Lead"},
	    {"qa_lead", "QA Lead"},
	    {"product_manager", "Product Manager"},
	};

	memset(o, 0, sizeof(*o));
	o->critical_limit = 0;
	o->p99_max_s = 2.0;
	o->hit_rate_min = 85.0;
	o->db_p95_max_s = 0.5;
	o->downtime_max_ms = 5 * WM_MIN_MS;
	o->cover_gap_ms = 5 * WM_MIN_MS;
	o->cover_min = 99.0;
	wm_schedule_default(&o->plan);
	o->plan_from = WM_REPORT_PLAN_DEFAULT;
	o->plan_ms = wm_schedule_end(&o->plan);
	for (size_t i = 0; i < sizeof(seed) / sizeof(seed[0]); i++) {
		snprintf(o->approvers[i].name, sizeof(o->approvers[i].name), "%s", seed[i][0]);
		snprintf(o->approvers[i].title, sizeof(o->approvers[i].title), "%s", seed[i][1]);
		o->approvers[i].required = true;
	}
	o->n_approvers = sizeof(seed) / sizeof(seed[0]);
}

struct wm_report *
wm_report_new(const struct wm_report_opts *o)
{
	struct wm_report *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	if (!(r->in = calloc(1, sizeof(*r->in))) || !(r->in->pending = cJSON_CreateObject()) ||
	    !(r->in->ticks = cJSON_CreateObject())) {
		wm_report_free(r);
		return NULL;
	}
	if (o)
		r->opts = *o;
	else
		wm_report_opts_default(&r->opts);
	wm_report_use_plan(r);
	if (r->opts.cover_gap_ms <= 0)
		r->opts.cover_gap_ms = 5 * WM_MIN_MS;
	r->scale = 1;
	for (size_t i = 0; i < r->opts.n_approvers && i < WM_REPORT_APPROVERS_MAX; i++) {
		struct wm_report_approval *a = &r->approvals[r->n_approvals++];

		snprintf(a->role, sizeof(a->role), "%s", r->opts.approvers[i].name);
		snprintf(a->title, sizeof(a->title), "%s",
			 *r->opts.approvers[i].title ? r->opts.approvers[i].title
						     : r->opts.approvers[i].name);
		a->required = r->opts.approvers[i].required;
	}
	for (int h = 0; h < WM_REPORT_HOURS; h++)
		r->hours[h].errors = r->hours[h].p99 = NAN;
	return r;
}

void
wm_report_free(struct wm_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n_services; i++)
		free(r->services[i].down);
	free(r->services);
	for (size_t i = 0; i < r->n_incidents; i++)
		free(r->incidents[i].events);
	free(r->incidents);
	free(r->p99.p);
	free(r->hit_rate.p);
	cJSON_Delete(r->baseline);
	if (r->in) {
		for (size_t i = 0; i < r->in->n_reads; i++) {
			free(r->in->reads[i].sketch);
			cJSON_Delete(r->in->reads[i].buckets);
		}
		free(r->in->reads);
		free(r->in->seen);
		free(r->in->issues);
		free(r->in->notes);
		cJSON_Delete(r->in->pending);
		cJSON_Delete(r->in->ticks);
		free(r->in);
	}
	free(r);
}

void
wm_report_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

int
wm_report_grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *p;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? 2 * *cap : 16;
	if (!(p = realloc(*v, c * size)))
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

double
wm_report_num(const cJSON *o, const char *key)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(n) && isfinite(n->valuedouble) ? n->valuedouble : NAN;
}

const char *
wm_report_str(const cJSON *o, const char *key)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(s) ? s->valuestring : NULL;
}

int64_t
wm_report_plan_ms(const struct wm_report *r, const cJSON *rec)
{
	double at = wm_report_num(rec, "at_ms"), wall = wm_report_num(rec, "wall_ms");

	if (!isnan(at) && fabs(at) < 9e15)
		return (int64_t)at;
	if (!isnan(wall) && fabs(wall) < 9e15 && r->started)
		return ((int64_t)wall - r->start_wall_ms) * r->scale;
	return r->last_ms;
}

void
wm_report_use_plan(struct wm_report *r)
{
	int64_t end = wm_schedule_end(&r->opts.plan), h;

	/* a plan of one tick at T+0, or none: an hour's run, not a zero one */
	r->opts.plan_ms = end > 0 ? end : WM_HOUR_MS;
	h = (r->opts.plan_ms + WM_HOUR_MS - 1) / WM_HOUR_MS;
	r->n_hours = h > WM_REPORT_HOURS ? WM_REPORT_HOURS : (int)h;
}

const char *
wm_report_plan_from_name(enum wm_report_plan_from f)
{
	return f == WM_REPORT_PLAN_JOURNAL  ? "journal"
	       : f == WM_REPORT_PLAN_CONFIG ? "configuration"
					    : "default";
}

void
wm_report_plan_text(const struct wm_report *r, char *buf, size_t len)
{
	const struct wm_schedule *p = &r->opts.plan;
	char end[32];
	size_t ticks = 0;

	for (size_t i = 0; i < p->n_tiers; i++)
		ticks += p->tier[i].n_at;
	wm_report_offset(r->opts.plan_ms, end, sizeof(end));
	wm_report_fmt(buf, len, "%s%s%s, %zu tiers, %zu ticks, T+0 to %s%s%s",
		      r->opts.plan_from == WM_REPORT_PLAN_JOURNAL
			  ? "the run's own, from its journal"
		      : r->opts.plan_from == WM_REPORT_PLAN_CONFIG ? "the configuration's, "
								   : "the runbook's default",
		      r->opts.plan_from == WM_REPORT_PLAN_CONFIG ? r->opts.plan_file : "",
		      r->opts.plan_from == WM_REPORT_PLAN_JOURNAL ? ""
		      : r->from_journal ? " (the journal does not hold its plan)"
					: "",
		      p->n_tiers, ticks, end, *r->plan_bad ? "; " : "", r->plan_bad);
}

int
wm_report_hour_of(const struct wm_report *r, int64_t at_ms)
{
	int64_t h = at_ms < 0 ? 0 : at_ms / WM_HOUR_MS;

	return h >= r->n_hours ? r->n_hours - 1 : (int)h;
}

void
wm_report_offset(int64_t at_ms, char *buf, size_t len)
{
	if (at_ms < 0) {
		char tmp[32];

		wm_schedule_offset_str(-at_ms, tmp, sizeof(tmp));
		snprintf(buf, len, "T-%s", tmp + 2);
		return;
	}
	wm_schedule_offset_str(at_ms, buf, len);
}

struct wm_report_service *
wm_report_service(struct wm_report *r, const char *name)
{
	struct wm_report_service *s;

	for (size_t i = 0; i < r->n_services; i++)
		if (!strcmp(r->services[i].name, name))
			return &r->services[i];
	if (wm_report_grow((void **)&r->services, &r->cap_services, r->n_services,
			   sizeof(*r->services)))
		return NULL;
	s = &r->services[r->n_services++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	for (int h = 0; h < WM_REPORT_HOURS; h++)
		s->errors[h] = NAN;
	return s;
}

int
wm_report_set_baseline(struct wm_report *r, const cJSON *baseline, struct wm_err *err)
{
	cJSON_Delete(r->baseline);
	r->baseline = NULL;
	if (baseline && !(r->baseline = cJSON_Duplicate(baseline, 1)))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return 0;
}

const char *
wm_report_status_name(enum wm_report_status s)
{
	static const char *const n[] = {"MET", "WARN", "FAILED", "NOT MEASURED"};

	return s <= WM_REPORT_NOT_MEASURED ? n[s] : "?";
}

const char *
wm_verdict_name(enum wm_verdict v)
{
	static const char *const n[] = {"PASS", "PASS with warnings", "FAIL", "CANNOT JUDGE"};

	return v <= WM_VERDICT_UNKNOWN ? n[v] : "?";
}

/* ---- the journal (report_record.c reads the other record types) ---- */

int
wm_report_read_journal(struct wm_report *r, const char *buf, size_t len, struct wm_err *err)
{
	struct wm_journal_state st;
	struct wm_err e = {0};
	int rc;

	r->from_journal = true;
	rc = wm_journal_read_mem(buf, len, &st, wm_report_record, r, &e);
	r->torn_bytes = st.torn_bytes;
	r->records = (size_t)st.records;
	wm_journal_state_free(&st);
	if (rc == 2 || (rc == -1 && e.code == WM_ENOMEM))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (rc != 0)
		snprintf(r->invalid, sizeof(r->invalid), "%s", e.msg);
	return 0;
}
