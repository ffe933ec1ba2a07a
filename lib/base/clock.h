/* clock.h - the one clock seam of wm-run: wall, monotonic and the run's scaled time.
 *
 * Every part of the driver that asks "what time is it" asks a struct wm_clock,
 * so tests give it a fixed clock they advance by hand and never sleep.
 *
 * --time-scale N compresses the 24 hours for demos and tests.  Three kinds of
 * time, never mixed:
 *   wall ms       CLOCK_REALTIME, ms since the epoch: what the journal stamps,
 *                 what the schedule is anchored to (it survives a reboot, which
 *                 the monotonic clock does not).
 *   monotonic ms  CLOCK_MONOTONIC: intervals measured inside one process.
 *   plan ms       the run's own timeline, N times faster than real time from
 *                 T+0.  The wall clock places the process on it once, when the
 *                 clock is initialised or set (anchor = (wall - start) * N: how a
 *                 restarted run resumes); from then on the process measures
 *                 elapsed time with the monotonic clock: plan offset = anchor +
 *                 (mono - anchor mono) * N.  So an NTP step or a suspend does not
 *                 move the plan mid-process (at N = 1440 a 1 s step would be
 *                 24 min).  At N = 1 and without steps it is the wall clock.
 * What scales (is expressed in plan ms): schedule offsets, analysis windows
 * (mapped back onto the engine's real clock with wm_clock_real_span),
 * escalation and response deadlines, re-notify intervals.
 * What stays real (never passes through this module's scaling): client
 * timeouts and deadlines, the watch interval, the daemons' intervals, and
 * every measured latency.
 */
#ifndef WM_CLOCK_H
#define WM_CLOCK_H

#include <stdint.h>

#include "base/err.h"

/* --time-scale bounds: 86400 runs the 24 hours in one second. */
#define WM_CLOCK_SCALE_MAX 86400

struct wm_clock {
	int64_t (*wall)(void *ctx); /* ms since the epoch */
	int64_t (*mono)(void *ctx); /* ms, arbitrary origin */
	void *ctx;		    /* for wall and mono; NULL for the real clock */
	int64_t scale;		    /* N >= 1 */
	int64_t start_wall_ms;	    /* T+0 on the wall clock */
	int64_t anchor_mono_ms;	    /* mono when init/set read the wall clock */
	int64_t anchor_offset_ms;   /* plan offset at that moment */
};

/* A clock tests set and advance by hand (wall and mono move together). */
struct wm_clock_fixed {
	int64_t wall_ms;
	int64_t mono_ms;
};

/* The system's clocks, scale 1, T+0 = now. */
void wm_clock_init_real(struct wm_clock *c);
/* A clock reading f (which must outlive c), scale 1, T+0 = f->wall_ms. */
void wm_clock_init_fixed(struct wm_clock *c, struct wm_clock_fixed *f);
/* Move a fixed clock forward by ms (real time). */
void wm_clock_fixed_advance(struct wm_clock_fixed *f, int64_t ms);

/* Set the scale (1..WM_CLOCK_SCALE_MAX) and T+0, and anchor the plan offset
 * to the wall clock now (see above).  Returns 0 or -1 (WM_EINVAL). */
int wm_clock_set(struct wm_clock *c, int64_t scale, int64_t start_wall_ms, struct wm_err *err);
/* Parse a --time-scale value: an integer 1..WM_CLOCK_SCALE_MAX. */
int wm_clock_parse_scale(const char *s, int64_t *scale, struct wm_err *err);

int64_t wm_clock_wall_ms(const struct wm_clock *c);
int64_t wm_clock_mono_ms(const struct wm_clock *c);
/* Plan time now (ms since the epoch on the run's scaled timeline). */
int64_t wm_clock_plan_ms(const struct wm_clock *c);
/* Plan ms elapsed since T+0 (negative before the start): the schedule's "now";
 * monotonic since the anchor, so wall-clock steps do not move it. */
int64_t wm_clock_offset_ms(const struct wm_clock *c);
/* The wall time at which the run reaches T+offset_ms (plan ms). */
int64_t wm_clock_wall_at(const struct wm_clock *c, int64_t offset_ms);
/* A planned span (window, deadline) in real ms, rounded up so that a span
 * never shrinks to 0: a 30 min errors window at N = 60 reads 30 s of log. */
int64_t wm_clock_real_span(const struct wm_clock *c, int64_t plan_ms);
/* A real span (a measured gap, an outage) in plan ms. */
int64_t wm_clock_plan_span(const struct wm_clock *c, int64_t real_ms);

#endif
