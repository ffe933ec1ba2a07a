/* report_int.h - what the report model reads before it judges (report.c,
 * report_judge.c, report_hours.c). */
#ifndef WM_REPORT_INT_H
#define WM_REPORT_INT_H

#include "run/report.h"

#define WM_HOUR_MS INT64_C(3600000)
#define WM_MIN_MS INT64_C(60000)

enum wm_read_kind { READ_ERRORS, READ_SECURITY, READ_PERF, READ_CACHE, READ_DB, READ_NKINDS };

/* One figure a result gave over its window [since_ms, at_ms). */
struct wm_report_read {
	enum wm_read_kind kind;
	int64_t at_ms, since_ms;
	char tier[WM_REPORT_NAME_MAX];
	char check[WM_REPORT_NAME_MAX];
	double a, b;	 /* errors: errors, critical lines; security: violations;
			    perf: p99, requests; cache: hits, misses; db: p95 */
	char *sketch;	 /* perf: the durations' sketch text (owned), or NULL */
	cJSON *buckets;	 /* perf.app: the window's [[le, cumulative count]...] (owned), or NULL */
	bool first;	 /* cache: since Redis started, not since the last read */
	char judged[32]; /* perf.db: wm-perf's source of record ("app histogram"), or "" */
	char line[160];	 /* errors: a critical line seen ("backend: FATAL ... (x3)"), or "" */
};

/* A service seen up or down: a container event, a watch sample, a
 * service-down incident, a tick (most precise first). */
enum wm_seen_how { SEEN_EVENT, SEEN_WATCH, SEEN_INCIDENT, SEEN_TICK };
struct wm_report_seen {
	char service[WM_REPORT_NAME_MAX];
	int64_t at_ms;
	bool up;
	enum wm_seen_how how;
};

/* Something CRITICAL or an opened incident, for the hour's "critical issues". */
struct wm_report_issue {
	int64_t at_ms;
	char text[WM_REPORT_NAME_MAX * 2];
};

struct wm_report_int {
	size_t n_reads, cap_reads;
	struct wm_report_read *reads;
	size_t n_seen, cap_seen;
	struct wm_report_seen *seen;
	size_t n_issues, cap_issues;
	struct wm_report_issue *issues;
	size_t n_notes, cap_notes;
	struct wm_report_issue *notes; /* operator notes */
	bool smoke_seen, dataloss_seen;
	char smoke_fail[WM_REPORT_TEXT_MAX], dataloss_fail[WM_REPORT_TEXT_MAX];
	char user_issue[WM_REPORT_TEXT_MAX];
	char drill_fail[WM_REPORT_TEXT_MAX]; /* watch.drill not OK with no channel answer */
	/* results of a tick not yet ended: {"TIER@AT": [records]} */
	cJSON *pending;
	/* the ticks with a record (start, end or missed): {"TIER@AT": true} */
	cJSON *ticks;
};

/* snprintf into buf of len, cut at len (the report's texts are bounded on
 * purpose: a cut line is better than an unbounded one). */
void wm_report_fmt(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Grow *v (elements of size) to hold one more; -1 on ENOMEM. */
int wm_report_grow(void **v, size_t *cap, size_t n, size_t size);
/* A record's plan time: its at_ms when it has one, else from wall_ms. */
int64_t wm_report_plan_ms(const struct wm_report *r, const cJSON *rec);
/* The hour (0 .. n_hours-1) of a plan time (the plan's end is the last hour's). */
int wm_report_hour_of(const struct wm_report *r, int64_t at_ms);
/* r->opts.plan is the run's plan now: its length, its hours. */
void wm_report_use_plan(struct wm_report *r);
/* Number or string members; NAN / NULL when absent or of another type. */
double wm_report_num(const cJSON *o, const char *key);
const char *wm_report_str(const cJSON *o, const char *key);
/* The service called name (added when new), or NULL on ENOMEM. */
struct wm_report_service *wm_report_service(struct wm_report *r, const char *name);

/* A service seen up or down at plan time at; -1 on ENOMEM. */
int wm_report_seen(struct wm_report *r, const char *svc, int64_t at, bool up, enum wm_seen_how how);
/* A journal "result" record: its result read at its tick's time. */
int wm_report_apply_result(struct wm_report *r, const cJSON *rec);

/* report_reads.c: the reads of kind (and check, when given) with a value,
 * in time order, into v; of v[0..n) (sorted), the non-overlapping reads
 * covering most of [0, plan) (weighted interval scheduling: v is compacted
 * to them, their count returned, the covered ms in *covered); "T+5h
 * (quick)"; the read with the largest (or smallest) a; and "WHAT, N reads
 * covering X h of Y" into buf. */
size_t wm_report_reads_of(const struct wm_report *r, enum wm_read_kind kind, const char *check,
			  const struct wm_report_read **v);
size_t wm_report_cover(const struct wm_report *r, const struct wm_report_read **v, size_t n,
		       int64_t *covered);
void wm_report_when(const struct wm_report_read *d, char *buf, size_t len);
const struct wm_report_read *wm_report_worst(const struct wm_report_read **v, size_t n,
					     bool lowest);
void wm_report_coverage(const struct wm_report *r, char *buf, size_t len, const char *what,
			size_t n, int64_t covered, const struct wm_report_read **v);
/* report_judge.c: the criteria judged on counted reads (v: room for
 * every read), and the helpers every criterion uses. */
void wm_report_judge_reads(struct wm_report *r, const struct wm_report_read **v);
void wm_report_crit_set(struct wm_report_criterion *c, enum wm_report_status s, double value,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void wm_report_not_measured(struct wm_report_criterion *c, const char *why);
/* report_verdict.c: the other criteria, and the verdict. */
int wm_report_judge(struct wm_report *r, struct wm_err *err);
/* report_downtime.c: downtime per service, and the services' coverage. */
int wm_report_downtime(struct wm_report *r, struct wm_err *err);
/* report_hours.c: the hourly log. */
void wm_report_hours(struct wm_report *r);

/* The renderers behind wm_report_render. */
int wm_report_render_text(const struct wm_report *r, FILE *out, bool md);
int wm_report_render_json(const struct wm_report *r, FILE *out);
int wm_report_render_html(const struct wm_report *r, FILE *out);
/* report_svg.c: HTML-escaped text, and the four charts (their ids end in
 * sfx: "" for one run, "-2" for the second side by side). */
void wm_report_html_esc(FILE *o, const char *s);
void wm_report_html_charts(const struct wm_report *r, FILE *o, const char *sfx);
/* report_html.c: the document's start (title escaped) and end, and one run's
 * report between them (element ids ending in sfx). */
void wm_report_html_open(FILE *o, const char *title);
void wm_report_html_run(const struct wm_report *r, FILE *o, const char *sfx);
void wm_report_html_close(FILE *o);
/* The report as a JSON object (what render_json prints); NULL on ENOMEM. */
cJSON *wm_report_json(const struct wm_report *r);

#endif
