/* wm-run.h - what the files of wm-run share (the program side: prints, exits).
 *
 *   main.c    usage, options, the commands
 *   rundir.c  finding or making the run directory, the session, the digest
 *   tick.c    one tick: its tier's areas through the check units, journaled
 *   driver.c  `start`: the long-running loop over one session
 *   ctl.c     the control socket: the driver's side and the commands' side
 *   follow.c  status --follow: the live view on a terminal
 *   status.c  where a run stands, from its records (driver and offline alike)
 */
#ifndef WM_RUN_H
#define WM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include <stdio.h>

#include "base/clock.h"
#include "common/cli.h"
#include "conf/conf.h"
#include "model/result.h"
#include "model/schedule.h"
#include "store/journal.h"
#include "store/journal_ctl.h"

struct wm_session;
/* model/incident.h and conf/conf_sections.h both name a wm_role (an enum, a
 * struct): a file includes one of them, so this header includes neither. */
struct wm_incidents;

/* Exit codes of the commands other than tick (wm-run(1), EXIT STATUS). */
enum {
	RUN_EXIT_OK = 0,      /* done; start: the plan ended, or stopped on request */
	RUN_EXIT_REFUSED = 1, /* ack/stop: no such incident, already resolved, no driver */
	RUN_EXIT_ERROR = 3,   /* bad option, configuration, unreadable journal */
	RUN_EXIT_BUSY = 4,    /* another process drives the run */
	RUN_EXIT_JOURNAL = 5, /* start: the journal could not be written (full disk) */
};

struct run_opts {
	struct wm_cli cli;
	const char *cmd;     /* tick, start, status, ack, note, approve, stop */
	const char *arg;     /* ack ID, note TEXT, approve ROLE */
	const char *tier;    /* --tier */
	const char *run_dir; /* --run */
	const char *at;	     /* --at */
	const char *note;    /* ack --note */
	const char *name;    /* approve --name */
	int64_t scale;	     /* --time-scale */
	bool scale_set;
	int64_t watch_ms; /* --watch-interval */
	bool watch_set;
	bool follow;	 /* status --follow */
	bool user_issue; /* note --user-issue */
	bool print_crontab;
};

/* rundir.c */
int64_t run_start_time(const struct run_opts *o);
/* The session of o->cli with the driver's hooks (warnings and -v on
 * stderr through status_say; the tunnel directory to tunnel_fn); NULL with
 * err (the caller says it). */
struct wm_session *run_session(const struct run_opts *o,
			       void (*tunnel_fn)(void *arg, const char *dir), void *arg,
			       struct wm_err *err);
void run_digest(const struct wm_session *s, char *buf, size_t len);
/* The run directory: --run, else the target's latest run; with new_if_ended
 * a new one when the latest has ended (start), and a new one at start when
 * there is none.  Dies on error. */
void run_find(struct wm_session *s, const struct run_opts *o, int64_t start, bool new_if_ended,
	      char *dir, size_t len);
/* Write run_start (with plan, the plan the run follows) when the journal has
 * none, else set clk from it; say on stderr when --at/--time-scale do not
 * apply to a resumed run. */
int run_begin(struct wm_journal *j, struct wm_session *s, const struct run_opts *o,
	      const struct wm_schedule *plan, struct wm_clock *clk, struct wm_err *err);

/* tick.c: one tick.  between is called after every record (NULL: never);
 * non-zero abandons the tick there (no tick_end: a later start attempts it
 * again).  Returns 0, 1 when abandoned, -1 with err when the journal
 * failed. */
struct tick {
	struct wm_session *s;
	struct wm_journal *j;
	const struct wm_clock *clk;
	const struct wm_schedule_tier *tier;
	int64_t at_ms;
	int attempt;
	bool late;
	struct wm_result *out; /* one check per area, what tick prints; or NULL */
	int (*between)(void *ctx);
	/* After the areas, before tick_end (NULL: nothing): checks it adds to
	 * extra (the watch's cross-checks, the T+0 drill) are journaled as the
	 * area "watch" and count in the tick's state.  0, or -1 with err. */
	int (*after)(void *ctx, const struct tick *t, const struct wm_result *const *res, size_t n,
		     struct wm_result *extra, struct wm_err *err);
	void *ctx;	  /* for between and after */
	const char *area; /* the area running now, for status */
	enum wm_state worst;
	struct wm_result *res[8]; /* the areas' results, during the tick */
	size_t nres;
	struct wm_perf_logs *perf_logs; /* perf's durations from the errors read */
	int64_t perf_since;		/* and their window */
};
int tick_run(struct tick *t, struct wm_err *err);
/* The due ticks at the clock's now, in order, with the missed ones journaled:
 * calls run(t) for each to run.  Returns the number run, or -1 on a journal
 * error; stops early when run returns non-zero (that value, if > 0, goes to
 * *stopped). */
int tick_due(struct wm_schedule *plan, struct wm_journal *j, const struct wm_clock *clk,
	     int (*run)(void *ctx, const struct wm_schedule_tier *tier, int64_t at_ms, int attempt,
			bool late),
	     void *ctx, struct wm_err *err);

/* status.c: a run's view rebuilt from its records. */
struct run_view {
	char target[128];
	struct wm_incidents *inc;
	int64_t notes, user_issues;
	cJSON *approvals; /* [{role, name, user}] */
	bool stopped;	  /* the last driver's stop record */
	char last_tier[WM_SCHEDULE_NAME_MAX];
	int64_t last_at, last_end_wall;
	int last_state;
	bool last_late, have_last;
	cJSON *services; /* [{name, state, summary}] of the last services result */
	cJSON *timeline; /* the last RUN_TIMELINE settled ticks, oldest first */
};
#define RUN_TIMELINE 8
int view_init(struct run_view *v);
void view_free(struct run_view *v);
/* A wm_journal_record_fn over a struct run_view. */
int view_apply(const cJSON *rec, void *ctx);
/* What the driver adds to the status (NULL offline). */
struct run_live {
	long pid;
	int64_t since_wall_ms;
	const char *phase; /* idle, tick, watch */
	const char *tier;  /* the tick in progress, or NULL */
	int64_t at_ms;
	int attempt;
};
cJSON *view_status(const struct run_view *v, const struct wm_journal_state *st,
		   const struct wm_schedule *plan, const struct wm_clock *clk, const char *dir,
		   const struct run_live *live);
/* The status object as text lines (for status and --follow). */
void status_print(FILE *f, const cJSON *st, int64_t now_wall_ms);

/* Say one line on stderr as "wm-run: …", clearing the terminal's status line
 * first when there is one. */
void status_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The status line on stderr when it is a terminal (NULL clears it). */
void status_line(const char *text);

/* ctl.c: what a request does, in the driver or under the lock without one:
 * journal the record(s) and answer.  ack (NULL: the incidents of v, as
 * replayed from the journal) acknowledges in the watch.  Returns 0 (the last record's seq in
 * *seq), or -1 with *code (WM_CTL_*) and err. */
int ctl_apply(struct wm_journal *j, struct run_view *v, const struct wm_clock *clk,
	      const struct wm_config *cfg, const struct wm_ctl_req *req, const char *user,
	      int (*ack)(void *ctx, const struct wm_ctl_req *req, const char *user,
			 struct wm_err *err),
	      void *ack_ctx, int64_t *seq, const char **code, struct wm_err *err);

/* rundir.c: the plan of the configuration (the runbook's with its [tier
 * NAME] sections): 0, or -1 with err; run_plan dies on a bad one. */
int run_plan_of(const struct wm_config *cfg, struct wm_schedule *plan, struct wm_err *err);
void run_plan(const struct wm_config *cfg, struct wm_schedule *plan);

/* rundir.c: is role one of the [approver] sections (any role when none is
 * configured)?  false with err naming the known ones. */
bool run_approver_known(const struct wm_config *cfg, const char *role, struct wm_err *err);

/* ctl.c: the status of a run without a driver, from its journal (NULL
 * with err). */
cJSON *run_offline_status(const char *dir, const struct wm_config *cfg, struct wm_err *err);
/* follow.c: status --follow (wm-run(1)): redraw until q, SIGINT or SIGTERM
 * (0), the driver's end (0), or no driver at the start (RUN_EXIT_REFUSED). */
int run_follow(const char *dir, const struct wm_config *cfg, const char *sock, int64_t timeout_ms,
	       const struct run_opts *o);

/* driver.c */
int run_start(struct run_opts *o);
/* ctl.c: the commands status, ack, note, approve, stop. */
int run_ctl(struct run_opts *o);

#endif
