/* smoke_int.h - what the smoke check unit's files share (check_smoke.c runs
 * the plan; smoke_http.c and smoke_probe.c run one step each). */
#ifndef WM_SMOKE_INT_H
#define WM_SMOKE_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "checks/smoke.h"
#include "clients/http.h"
#include "model/result.h"
#include "session/session.h"

/* One run of the plan. */
struct smoke_run {
	struct wm_session *s;
	struct wm_smoke_plan *plan;
	struct wm_smoke_vars vars; /* the captures so far, and the passwords */
	struct wm_http *http;	   /* made for the first HTTP step */
	struct wm_err http_err;	   /* why it could not be made */
	bool http_tried;
	int64_t timeout_ms; /* a step's own limit ([smoke] timeout) */
	char **headers;	    /* [smoke] header: sent with every HTTP step */
	size_t nheaders;
};

/* What one step gave: its state and words, and the facts for its data. */
struct smoke_out {
	enum wm_state state;
	char summary[768]; /* masked */
	double ms;	   /* the step's time, NAN when it had none */
	bool tunnel;	   /* reached through the SSH tunnel */
	const char *where; /* "direct" or "SSH tunnel" */
	long status;	   /* HTTP status, 0 when none */
	bool have_timing;
	struct wm_http_timing t;
	char url[512];	 /* masked; "" when none */
	char label[300]; /* db / cache: the server */
};

/* Run one step of run into out (never a check: the caller adds it).
 * -1 only when out of memory. */
int smoke_http_step(struct smoke_run *run, const struct wm_smoke_step *st, struct smoke_out *out);
int smoke_db_step(struct smoke_run *run, const struct wm_smoke_step *st, struct smoke_out *out);
int smoke_cache_step(struct smoke_run *run, const struct wm_smoke_step *st, struct smoke_out *out);

/* out's summary from fmt, masked with run's values. */
void smoke_say(const struct smoke_run *run, struct smoke_out *out, enum wm_state state,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Through the session's log hook, masked: -v (WM_LOG_VERBOSE), -vv. */
void smoke_log(const struct smoke_run *run, enum wm_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
