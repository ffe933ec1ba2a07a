/* report.h - the report of a run: the hourly log, the criteria, the verdict.
 *
 * wm-report's model, pure: journal records (warunginmon(7), RUN DIRECTORY) or
 * bare wm-* results go in, a judged report comes out; the renderers
 * (report_text.c, report_json.c, report_html.c) only read it.  No I/O, no
 * clock: "now" is the last record's time, so a report of a journal is the
 * same whenever it is made.
 *
 * Times are plan ms (offsets from T+0 on the run's scaled timeline, clock.h);
 * a record without a plan time is placed by its wall_ms.
 *
 * The success criteria of the runbook, each judged on the whole day
 * (wm-report(1) defines each one operationally):
 *   critical_errors  critical lines <= limit (default 0; the runbook also says
 *                    "0 or acceptable (< 5)")
 *   security         no security violation (wm-security's), no security incident
 *   uptime           100 %, or downtime < 5 min all covered by acknowledged
 *                    incidents with a note ("documented": met with a warning);
 *                    not measured when the services were observed less than
 *                    cover_min % of the run and no downtime failed it
 *   p99              response time p99 < 2 s (merged sketches, else the worst window)
 *   hit_rate         cache hit rate > 85 % (hits and misses summed)
 *   db_p95           database query p95 < 500 ms (the worst window)
 *   data_loss        no data loss (wm-db's high-water marks, data-loss incidents)
 *   users            users can access the primary features (smoke, user issues)
 *   monitoring       monitoring operational (no monitoring-lost incident; the
 *                    services observed, not left unwatched)
 *   incident_response  the T+0 drill reached every notification channel
 *                    (the runbook's objective "incident response procedures
 *                    are operational")
 * A criterion without data is "not measured" and the verdict cannot be PASS.
 *
 * Windows counted once: each read (a result) covers [at - window, at); reads
 * that overlap are not added up.  Of every set of non-overlapping reads, the
 * one covering most of the run is counted (weighted interval scheduling), so
 * T+24's 24-hour read beats the hourly ones, and the hourly ones count when
 * it is missing.
 */
#ifndef WM_REPORT_H
#define WM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cjson/cJSON.h>

#include "base/err.h"
#include "model/schedule.h"

#define WM_REPORT_HOURS 24
#define WM_REPORT_NAME_MAX 64
#define WM_REPORT_TEXT_MAX 320
#define WM_REPORT_APPROVERS_MAX 16

enum wm_report_status {
	WM_REPORT_MET,
	WM_REPORT_WARN, /* met, with something worth a look */
	WM_REPORT_FAILED,
	WM_REPORT_NOT_MEASURED,
};

/* Also the exit status of wm-report. */
enum wm_verdict {
	WM_VERDICT_PASS = 0,
	WM_VERDICT_PASS_WARN = 1,
	WM_VERDICT_FAIL = 2,
	WM_VERDICT_UNKNOWN = 3, /* cannot judge: not measured, partial, empty */
};

/* wm-report --format (wm_report_render). */
enum wm_report_format { WM_REPORT_TEXT, WM_REPORT_MARKDOWN, WM_REPORT_JSON, WM_REPORT_HTML };

enum wm_crit_id {
	WM_CRIT_CRITICAL_ERRORS,
	WM_CRIT_SECURITY,
	WM_CRIT_UPTIME,
	WM_CRIT_P99,
	WM_CRIT_HIT_RATE,
	WM_CRIT_DB_P95,
	WM_CRIT_DATA_LOSS,
	WM_CRIT_USERS,
	WM_CRIT_MONITORING,
	WM_CRIT_DRILL,
	WM_CRIT_N
};

/* Where the plan a report judges by came from (wm_report_opts.plan_from). */
enum wm_report_plan_from {
	WM_REPORT_PLAN_DEFAULT, /* the runbook's (model/schedule.h) */
	WM_REPORT_PLAN_CONFIG,	/* the configuration's, [tier NAME] applied (conf_plan.c) */
	WM_REPORT_PLAN_JOURNAL, /* the run's own: its run_start's, or its last reload's */
};

struct wm_report_approver {
	char name[WM_REPORT_NAME_MAX];	/* "tech_lead": what `wm-run approve ROLE` names */
	char title[WM_REPORT_NAME_MAX]; /* "Tech Lead" */
	bool required;
};

struct wm_report_opts {
	double critical_limit;	 /* critical lines allowed (default 0) */
	double p99_max_s;	 /* 2 */
	double hit_rate_min;	 /* 85 (%) */
	double db_p95_max_s;	 /* 0.5 */
	int64_t downtime_max_ms; /* documented downtime allowed: 5 min */
	int64_t cover_gap_ms;	 /* an observation of the services covers this after it: 5 min */
	double cover_min;	 /* % of the run observed for uptime to be judged: 99 */
	int64_t plan_ms;	 /* the run's length: the plan's last tick (set from plan) */
	/* The plan the run followed: its ticks (missed when not journaled),
	 * its tiers' windows, its length.  A journal that holds its plan
	 * replaces this one (wm_report.plan_from says which one was used). */
	struct wm_schedule plan;
	enum wm_report_plan_from plan_from;
	char plan_file[WM_REPORT_TEXT_MAX]; /* PLAN_CONFIG: the file's name */
	size_t n_approvers;		    /* 0: the runbook's four */
	struct wm_report_approver approvers[WM_REPORT_APPROVERS_MAX];
};

struct wm_report_criterion {
	enum wm_crit_id id;
	const char *key;   /* "critical_errors" */
	const char *title; /* "Zero critical errors" */
	enum wm_report_status status;
	double value;			       /* NAN when not measured */
	char measured[WM_REPORT_TEXT_MAX];     /* "0 critical lines" */
	char threshold[WM_REPORT_NAME_MAX];    /* "<= 0" */
	char source[WM_REPORT_TEXT_MAX];       /* what it was judged on */
	char worst[WM_REPORT_TEXT_MAX];	       /* the worst window, "" when none */
	char evidence[2 * WM_REPORT_TEXT_MAX]; /* why not met (the tick, incident, lines) */
};

/* One interval of a service's downtime, as observed: from the first
 * observation that saw the service down to the first, from any source, that
 * saw it up again.  The true start lies in (seen_up_ms, from_ms], the true
 * end in (seen_down_ms, to_ms]: exact only where a container event says it. */
struct wm_report_down {
	int64_t from_ms, to_ms;
	int64_t seen_up_ms;		   /* the last observation up before it; -1: none */
	int64_t seen_down_ms;		   /* the last observation down within it */
	const char *began_by, *ended_by;   /* "container event", "watch sample", ... */
	bool open;			   /* still down at the last record */
	bool documented;		   /* covered by an acknowledged incident with a note */
	char incident[WM_REPORT_NAME_MAX]; /* the covering incident, "" when none */
};

struct wm_report_service {
	char name[WM_REPORT_NAME_MAX];
	char source[WM_REPORT_NAME_MAX * 2]; /* what saw it: "container events, ticks"; "" */
	size_t n_down, cap_down;
	struct wm_report_down *down;
	int64_t down_ms;
	double errors[WM_REPORT_HOURS];	      /* per hour; NAN: not read that hour */
	int64_t errors_from[WM_REPORT_HOURS]; /* that read's window's distance from 1 h */
};

struct wm_report_event {
	int64_t at_ms;
	char text[WM_REPORT_TEXT_MAX]; /* "escalated to secondary (level 2)" */
};

struct wm_report_incident {
	char id[WM_REPORT_NAME_MAX], kind[WM_REPORT_NAME_MAX], subject[WM_REPORT_NAME_MAX];
	char state[WM_REPORT_NAME_MAX], role[WM_REPORT_NAME_MAX], root[WM_REPORT_NAME_MAX];
	char detail[WM_REPORT_TEXT_MAX];
	char ack_user[WM_REPORT_NAME_MAX], ack_note[WM_REPORT_TEXT_MAX];
	int level;
	int64_t opened_ms, acked_ms, resolved_ms; /* 0: not (yet) */
	size_t n_events, cap_events;
	struct wm_report_event *events;
	char consequences[WM_REPORT_TEXT_MAX]; /* incidents attached to this one */
};

/* One figure per read, for the charts. */
struct wm_report_point {
	int64_t at_ms;
	double value;
};

struct wm_report_series {
	size_t n, cap;
	struct wm_report_point *p;
};

struct wm_report_hour {
	int ticks;			    /* ticks that ended in the hour */
	char tiers[WM_REPORT_NAME_MAX * 2]; /* "quick security" */
	bool to_come;			    /* a partial run has not reached it */
	double errors;			    /* NAN: no read this hour */
	double p99;			    /* NAN: no perf read this hour */
	char status[WM_REPORT_TEXT_MAX];    /* "ALL UP", "ISSUES: backend down 7 min" */
	char critical[WM_REPORT_TEXT_MAX];  /* "NONE", or incidents and CRITICAL checks */
	char notes[2 * WM_REPORT_TEXT_MAX]; /* operator notes, "" when none */
};

struct wm_report_approval {
	char role[WM_REPORT_NAME_MAX], title[WM_REPORT_NAME_MAX], name[WM_REPORT_NAME_MAX];
	bool required;
	int64_t wall_ms; /* 0: not given */
};

struct wm_report_drill {
	char channel[WM_REPORT_NAME_MAX];
	bool ok;
	char detail[WM_REPORT_NAME_MAX * 2];
};

struct wm_report_int; /* report_int.h */

struct wm_report {
	struct wm_report_opts opts;
	/* the run */
	char target[WM_REPORT_NAME_MAX];
	int64_t start_wall_ms, scale;
	bool from_journal; /* a run's journal (else bare results) */
	bool started, ended;
	bool partial;			  /* not run to its end: a report so far */
	int64_t last_ms;		  /* the last record's plan time */
	size_t records;			  /* valid records read */
	size_t torn_bytes;		  /* of a last line cut mid-write */
	char invalid[WM_REPORT_TEXT_MAX]; /* why the journal stopped being read, "" */
	size_t ticks_ended, ticks_missed, unfinished;
	size_t ticks_planned; /* the plan's ticks up to the last record */
	size_t ticks_unrun;   /* of them, with no record at all (counted in ticks_missed) */
	int n_hours;	      /* the hourly log's hours: the plan's, 1 .. WM_REPORT_HOURS */
	char plan_bad[WM_REPORT_TEXT_MAX]; /* why the journal's plan was not used, "" */
	/* what was read */
	struct wm_report_hour hours[WM_REPORT_HOURS];
	size_t n_services, cap_services;
	struct wm_report_service *services;
	size_t n_incidents, cap_incidents;
	struct wm_report_incident *incidents;
	struct wm_report_series p99, hit_rate; /* per read, for the charts */
	size_t n_drill;
	struct wm_report_drill drill[8];
	size_t n_approvals;
	struct wm_report_approval approvals[WM_REPORT_APPROVERS_MAX];
	cJSON *baseline;   /* owned; NULL when none */
	bool baseline_bad; /* baseline.json is there but not JSON */
	size_t user_issues;
	/* judged (wm_report_finish) */
	double total_errors, critical_errors, mean_response_s, day_hit_rate;
	int64_t downtime_ms, documented_ms;
	/* how much of the run the services were observed (report_downtime.c) */
	double coverage; /* % of [T+0, end) within cover_gap_ms of an observation; NAN: none */
	int64_t unobserved_ms; /* the rest */
	size_t n_gaps;	       /* the longest unobserved stretches, longest first */
	struct wm_report_gap {
		int64_t from_ms, to_ms;
		bool lost; /* inside a monitoring-lost incident */
	} gaps[16];
	bool watched; /* the journal holds watch samples of the services */
	struct wm_report_criterion crit[WM_CRIT_N];
	enum wm_verdict verdict;
	size_t n_reasons;
	char reasons[16][2 * WM_REPORT_TEXT_MAX]; /* failures first, then what is unknown, then
						     warnings */
	bool go_live;		  /* PASS (with or without warnings) and every required approval */
	struct wm_report_int *in; /* what is read, before judging (report_int.h) */
};

/* The runbook's thresholds and its four approvers. */
void wm_report_opts_default(struct wm_report_opts *o);
struct wm_config;
/* The defaults, with the configuration's [report] critical_limit, its
 * [approver NAME] sections and its plan ([tier NAME]; used for a journal
 * that does not hold its own) (cfg NULL: the defaults).  Returns 0, or -1
 * (WM_EINVAL: critical_limit is not a number >= 0, a [tier] is bad). */
int wm_report_opts_config(const struct wm_config *cfg, struct wm_report_opts *o,
			  struct wm_err *err);

/* A new, empty report; NULL on ENOMEM.  Free with wm_report_free. */
struct wm_report *wm_report_new(const struct wm_report_opts *o);
void wm_report_free(struct wm_report *r);

/* Read a journal held in memory (warunginmon(7)): every valid record goes
 * into r; a torn last line is counted (torn_bytes), a damaged line stops the
 * reading and is said (r->invalid), never an error.  Returns 0, or -1
 * (WM_ENOMEM). */
int wm_report_read_journal(struct wm_report *r, const char *buf, size_t len, struct wm_err *err);
/* One journal record (a wm_journal_record_fn: returns 0, or 2 on ENOMEM). */
int wm_report_record(const cJSON *rec, void *ctx);
/* One wm-* result as its -j prints it, read at plan time at_ms over
 * window_ms (0: an hour), outside any journal (wm-report --stdin).
 * Returns 0, or -1 (WM_EINVAL: not a result; WM_ENOMEM). */
int wm_report_add_result(struct wm_report *r, const cJSON *result, int64_t at_ms, int64_t window_ms,
			 struct wm_err *err);
/* The run directory's baseline.json (borrowed, copied). */
int wm_report_set_baseline(struct wm_report *r, const cJSON *baseline, struct wm_err *err);
/* Run directory dir (warunginmon(7)): its journal (wm_report_read_journal)
 * and its baseline.json when there is one.  Returns 0, or -1 when the
 * journal cannot be read (WM_ENOTFOUND, WM_EIO, WM_ETOOBIG, WM_ENOMEM). */
int wm_report_read_run(struct wm_report *r, const char *dir, struct wm_err *err);
/* The finished report of run dir (options o; NULL: the defaults) in format
 * f, written to path atomically (temp file, fsync, rename; mode 0644): what
 * wm-run calls at T+24 and after each tick for the HTML.  The report's
 * verdict is not an error.  Returns 0 or -1 with err. */
int wm_report_write_run(const char *dir, const struct wm_report_opts *o, enum wm_report_format f,
			const char *path, struct wm_err *err);
/* The run directory's report.html and report.txt (warunginmon(7), RUN
 * DIRECTORY), with the options of configuration cfg (wm_report_opts_config):
 * what wm-run writes after every tick, driver or cron.  Both are tried;
 * returns 0, or -1 with the first failure in err. */
int wm_report_write_files(const char *dir, const struct wm_config *cfg, struct wm_err *err);

/* Judge: downtime, the hourly log, the criteria, the verdict.  Call once,
 * after the input.  Returns 0 or -1 (WM_ENOMEM). */
int wm_report_finish(struct wm_report *r, struct wm_err *err);

/* Names: "MET", "WARN", "FAILED", "NOT MEASURED"; "PASS", "PASS with
 * warnings", "FAIL", "CANNOT JUDGE". */
const char *wm_report_status_name(enum wm_report_status s);
const char *wm_verdict_name(enum wm_verdict v);
/* "the run's own, from its journal, 7 tiers, 51 ticks, T+0 to T+24h": the
 * plan used and where it came from; "journal", "configuration", "default". */
void wm_report_plan_text(const struct wm_report *r, char *buf, size_t len);
const char *wm_report_plan_from_name(enum wm_report_plan_from f);
/* "T+5h10m" (as wm_schedule_offset_str) into buf (>= 32 bytes). */
void wm_report_offset(int64_t at_ms, char *buf, size_t len);

/* The renderers (pure functions of a finished report).  Each returns 0, or
 * -1 when writing failed. */
/* "text", "markdown", "json", "html" -> the format, or -1. */
int wm_report_format_parse(const char *name);
int wm_report_render(const struct wm_report *r, enum wm_report_format f, FILE *out);
/* Several runs side by side (wm-report DIR DIR...): the criteria in columns. */
int wm_report_render_compare(const struct wm_report *const *r, const char *const *names, size_t n,
			     enum wm_report_format f, FILE *out);

#endif
