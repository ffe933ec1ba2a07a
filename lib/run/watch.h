/* watch.h - wm-run's watch between ticks: container events as they happen,
 * a light polled round, and the incidents they open, notify, escalate and
 * close (model/incident.h), every step journaled.
 *
 * The driver owns the session, the journal and the clock; the watch borrows
 * them and is used from the driver's thread only (its one helper thread
 * holds the /events stream on a connection of its own: run/events.h).
 *
 *   w = wm_watch_new(session, &opts, journal, &err);
 *   poll() on wm_watch_events_fd(w) and the driver's own descriptors, with
 *   a timeout up to the next round (opts.interval_ms, real time);
 *   readable fd -> wm_watch_events(w, now, &err)   (events only: cheap)
 *   round due   -> wm_watch_round(w, now, &err)    (polled checks + events)
 *   after a tick -> wm_watch_on_tick(w, results, n, out, &err)
 *   T+0 tick    -> wm_watch_drill(w, out, &err)
 *   `wm-run ack` -> wm_watch_ack(w, id, who, note, &err)
 *
 * now_ms is the run's plan time (clock.h wm_clock_plan_ms: --time-scale
 * compresses response times and re-notify intervals); payloads and records
 * carry the wall time read from opts.clock.
 *
 * What a round looks at (each is an observation of (kind, subject) failing
 * or fine, fed to the incidents; model/incident.h):
 *   containers   GET /containers/json of the project: every expected service
 *                running and not unhealthy (service-down, subject the
 *                service); also how the watch learns depends_on labels.
 *   frontend     GET base_url/ answering 2xx/3xx within the API bound
 *                (frontend, subject "/").
 *   API          GET base_url/api/health 2xx within api_slow (5 s: the
 *                incident guide's "API over 5000 ms") (error-rate, subject
 *                "/api/health").
 *   database     PostgreSQL ready (database, subject "postgres").
 *   data         row count of each never_shrink table against the highest
 *                count seen (data-loss, subject "table:NAME": immediate).
 *   logs         the services' logs followed since the last round: a
 *                burst of errors (error-rate, subject the service), a
 *                security violation or a flood of 401/403 (unauthorized,
 *                subject "access"); watch_logs.c.
 *   2FA          wm-security's 2fa probe, at most once a minute (2fa).
 *   blind        something above could not be looked at (the Docker API,
 *                the database or the URLs through the session, the tables'
 *                row counts) lost_rounds rounds in a row: UNKNOWN for the
 *                round (the record's "unknown"), then monitoring-lost,
 *                subject the target.
 * Events: die, stop, kill, oom and health_status: unhealthy fail the
 * service; start and health_status: healthy make it fine again.
 *
 * Journal records (warunginmon(7) RUN DIRECTORY): "watch" (one per round:
 * what was seen, latencies), "container" (each event, with its
 * detection latency), "incident" (every incident action with the incident
 * after it: model/incident.h wm_incidents_replay reads them back),
 * "notify" and "notify_answer" (one each per channel, before it is tried
 * and after it answered: a resumed run never sends a key twice), "drill",
 * "crosscheck", "baseline".  Each carries at_ms (the plan offset).
 * Acknowledgements: the driver journals its "ack" record; wm_watch_ack
 * journals the incident's "ack" event after it.
 */
#ifndef WM_RUN_WATCH_H
#define WM_RUN_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/clock.h"
#include "base/err.h"
#include "model/incident.h"
#include "model/result.h"
#include "session/session.h"
#include "store/journal.h"

#define WM_WATCH_INTERVAL_MS 60000   /* [watch] interval */
#define WM_WATCH_API_SLOW_MS 5000    /* [watch] api_slow */
#define WM_WATCH_LOST_ROUNDS 3	     /* [watch] lost_rounds */
#define WM_WATCH_AM_RESEND_MS 60000  /* Alertmanager re-post while open (real ms) */
#define WM_WATCH_BASELINE_MS 7200000 /* [watch] baseline: T+0 … T+2 (plan ms) */
#define WM_WATCH_DRIFT_FACTOR 2.0    /* [watch] drift_factor */
#define WM_WATCH_ERRORS_PER_MIN 10   /* [watch] errors_per_min */
#define WM_WATCH_DENIED_PER_MIN 60   /* [watch] denied_per_min */

struct wm_watch_opts {
	const struct wm_clock *clock; /* required: plan time and wall time */
	const char *run_dir;	      /* the run directory: baseline.json, and the
				       * journal read back on resume; NULL: none */
	/* Zero / NULL: the configuration's [watch] and [escalation] keys, else
	 * the defaults above. */
	int64_t interval_ms; /* real ms */
	int64_t api_slow_ms; /* real ms */
	int lost_rounds;
	bool no_events;		   /* do not subscribe to /events (tests) */
	bool no_logs;		   /* neither follow the logs nor probe 2FA (tests) */
	const char *baseline_from; /* a previous run's baseline.json */
};

struct wm_watch;

/* A watch over the session's target.  Reads the configuration (channels,
 * roles, [watch] keys, depends_on), and when opts->run_dir holds a journal,
 * replays it: open incidents, keys already notified (never sent twice), the
 * tables' high-water marks, the baseline.  Subscribes to /events unless
 * told not to (a failure to subscribe is not an error: the round's
 * reconciliation still sees the containers, and the thread retries).  NULL
 * with err (WM_EINVAL, WM_ECONFIG, WM_ENOMEM). */
struct wm_watch *wm_watch_new(struct wm_session *s, const struct wm_watch_opts *o,
			      struct wm_journal *j, struct wm_err *err);
void wm_watch_free(struct wm_watch *w);

/* The interval between rounds (real ms) the driver should keep. */
int64_t wm_watch_interval_ms(const struct wm_watch *w);
/* Readable when a container event arrived (poll()); -1 when there is no
 * stream. */
int wm_watch_events_fd(const struct wm_watch *w);

/* Apply the queued container events, then escalations and re-notifications
 * due by now.  0, or -1 with err when a record could not be journaled (the
 * driver stops: a full disk must not lose records in silence). */
int wm_watch_events(struct wm_watch *w, int64_t now_ms, struct wm_err *err);
/* One polled round (see above) plus the queued events and what is due.
 * Returns as wm_watch_events; what could not be checked is an observation
 * of its own, never an error. */
int wm_watch_round(struct wm_watch *w, int64_t now_ms, struct wm_err *err);

/* After a tick: cross-checks only a driver can make ("cache bypassed",
 * "crash-looping"), the baseline of the first hours and the drift from it
 * ("degradation"), added to out as WARNING checks named watch.*.  results
 * are the tick's results (one per area).  0, or -1 with err. */
int wm_watch_on_tick(struct wm_watch *w, int64_t now_ms, const struct wm_result *const *results,
		     size_t n, struct wm_result *out, struct wm_err *err);

/* The T+0 drill: a test notification through every configured channel,
 * marked as a drill (alertname WmDrill, severity drill, "drill": true), its
 * delivery journaled; a channel that fails makes the check watch.drill
 * WARNING in out.  Sent once per run (a resumed run does not drill again). */
int wm_watch_drill(struct wm_watch *w, int64_t now_ms, struct wm_result *out, struct wm_err *err);

/* Acknowledge incident id (stops its escalation), journaled with who and
 * note (either may be NULL).  -1 with err: WM_ENOTFOUND, WM_EINVAL
 * (resolved already), or a journal failure. */
int wm_watch_ack(struct wm_watch *w, int64_t now_ms, const char *id, const char *who,
		 const char *note, struct wm_err *err);

/* The incidents not closed yet (for status). */
const struct wm_incidents *wm_watch_incidents(const struct wm_watch *w);

#endif
