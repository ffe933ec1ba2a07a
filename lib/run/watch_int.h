/* watch_int.h - the watch's private parts, shared by watch*.c. */
#ifndef WM_RUN_WATCH_INT_H
#define WM_RUN_WATCH_INT_H

#include "clients/docker_events.h"
#include "clients/http.h"
#include "run/events.h"
#include "run/notify.h"
#include "run/watch.h"

#define WATCH_SERVICES_MAX 64
#define WATCH_TABLES_MAX 32
#define WATCH_OBS_MAX 160
#define WATCH_LOG_SVCS 32    /* services whose logs are followed */
#define WATCH_BURST_MAX 1000 /* the most errors_per_min, denied_per_min */

/* One observation of a round or an event: (kind, subject) failing or fine. */
struct wm_watch_obs {
	enum wm_incident_kind kind;
	char subject[WM_INCIDENT_SUBJECT_MAX];
	bool fail;
	char detail[WM_INCIDENT_DETAIL_MAX];
};

struct wm_watch_obs_list {
	size_t n;
	struct wm_watch_obs o[WATCH_OBS_MAX];
};

struct watch_svc {
	char name[WM_INCIDENT_SUBJECT_MAX];
	int dies;	      /* die events since the last tick */
	int loop_ticks;	      /* ticks in a row with a restart */
	double restarts_prev; /* the services unit's restart total at the last tick (-1) */
};

/* What a round looks at; each is seen, unknown (could not be looked at:
 * the monitor's own path failed) or not looked at this round. */
enum watch_sight {
	SIGHT_DOCKER,
	SIGHT_FRONTEND,
	SIGHT_API,
	SIGHT_DATABASE,
	SIGHT_TABLES,
	SIGHT_LOGS,
	SIGHT_N
};

struct watch_table {
	char name[WM_INCIDENT_SUBJECT_MAX];
	long long high; /* the most rows seen, -1 unknown */
};

/* One baseline metric: a mean over the first hours. */
struct watch_base {
	char name[96]; /* "errors.backend.errors", "cache.hit_rate" */
	double sum, value;
	long n;
	bool lower_is_worse; /* a hit rate drifts down */
};

struct wm_watch {
	struct wm_session *s;
	const struct wm_clock *clk;
	struct wm_journal *j;
	struct wm_incidents *inc;
	struct wm_notifier *nt;
	struct wm_events *ev;
	struct wm_http *http;
	char target[64], project[208], run_dir[4096];
	int64_t interval_ms, api_slow_ms, baseline_ms;
	double drift;
	int lost_rounds;
	int errors_per_min, denied_per_min; /* [watch]: bursts in the followed logs */
	bool tfa;			    /* [watch] tfa_probe */
	struct wm_watch_logs *logs;	    /* the followed logs (watch_logs.c), or NULL */
	int unknown[SIGHT_N];		    /* rounds in a row each sight was unknown */
	char why[SIGHT_N][WM_INCIDENT_DETAIL_MAX / 2]; /* why, the last time */
	bool unknown_now;			       /* some sight unknown in this round */
	long rounds;
	int64_t am_last_mono;	      /* the last Alertmanager refresh */
	struct wm_events_opts evfrom; /* the stream's start: the journal's last event */
	bool drilled, deps_from_conf;
	char **sent; /* idempotency keys notified */
	size_t nsent, capsent;
	size_t nsvc;
	struct watch_svc svc[WATCH_SERVICES_MAX];
	size_t ntables;
	struct watch_table tables[WATCH_TABLES_MAX];
	size_t nbase;
	struct watch_base base[128];
	bool base_done;
	bool bypass_warned;
};

/* Add an observation (merged: one fail of (kind, subject) wins over oks). */
void wm_watch_obs_add(struct wm_watch_obs_list *l, enum wm_incident_kind kind, const char *subject,
		      bool fail, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The observation a container event makes (0), or 1 when it makes none. */
int wm_watch_event_obs(const struct wm_docker_event *e, struct wm_watch_obs *o);

/* Feed the observations to the incidents at now and act on what comes out
 * (journal, notify); then what time makes due.  0, or -1 on a journal error. */
int wm_watch_apply(struct wm_watch *w, int64_t now_ms, const struct wm_watch_obs_list *l,
		   struct wm_err *err);
/* Journal type with fields (borrowed). */
int wm_watch_journal(struct wm_watch *w, const char *type, cJSON *fields, struct wm_err *err);
/* Deliver a notification on every channel of role: a "notify" record
 * before each channel is tried, a "notify_answer" after.  *n answers in ans. */
int wm_watch_deliver(struct wm_watch *w, const char *key, const char *event, const char *incident,
		     enum wm_chain_role role, bool drill, const cJSON *payload, const cJSON *alert,
		     struct wm_notify_answer *ans, size_t *n, struct wm_err *err);
/* Was key notified already?  Remember it. */
bool wm_watch_sent(const struct wm_watch *w, const char *key);
int wm_watch_mark_sent(struct wm_watch *w, const char *key);
/* Re-post the open incidents to Alertmanager when WM_WATCH_AM_RESEND_MS passed. */
void wm_watch_am_refresh(struct wm_watch *w, bool force);
/* The wall ms of a plan time. */
int64_t wm_watch_wall(const struct wm_watch *w, int64_t plan_ms);

/* Sight k in this round: unknown (why) or seen (why NULL); rec gets
 * unknown.NAME = why.  What is not looked at keeps its count. */
void wm_watch_sight(struct wm_watch *w, enum watch_sight k, cJSON *rec, const char *why);
/* The followed logs and the 2FA probe (watch_logs.c). */
struct wm_watch_logs *wm_watch_logs_new(struct wm_watch *w, struct wm_err *err);
void wm_watch_logs_free(struct wm_watch_logs *g);
void wm_watch_logs_round(struct wm_watch *w, struct wm_watch_obs_list *l, cJSON *rec);
/* The polled checks of a round into l (watch_probe.c). */
void wm_watch_probe(struct wm_watch *w, struct wm_watch_obs_list *l, cJSON *rec);

#endif
