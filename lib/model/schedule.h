/* schedule.h - the 24 hours' plan: which tier of checks runs when, and what is due now.
 *
 * The runbook's plan by default (DESIGN §6), every part configurable:
 *   full           T+0 and T+24 h           everything (errors over 24 h)
 *   quick          T+1 … T+4 h, hourly      services, errors (30 min), recent logs
 *   standard       T+6 … T+12 h, every 2 h  services, errors (1 h), cache, db
 *   comprehensive  T+16, T+20 h             services, restarts, errors (4 h),
 *                                           criticals, resources, disk, cache, db
 *   security       T+1 … T+23 h, hourly     wm-security (1 h)
 *   performance    T+2 … T+22 h, every 2 h  wm-perf (2 h)
 *   smoke          T+4 … T+20 h, every 4 h  wm-smoke
 * (full covers security, performance and smoke at T+0 and T+24 h.)
 *
 * All times here are plan ms (clock.h): offsets from T+0 on the run's scaled
 * timeline.  A tick is one (tier, offset) pair; the journal says which ticks
 * are settled (ended, or journaled as missed).  Given now, a tier's latest
 * tick at or before now that is not settled runs: DUE when now is within the
 * tier's grace of its time, LATE after that.  Every older unsettled tick of
 * the tier is MISSED (the caller journals it so): after a long outage the most
 * recent missed tick of each tier runs, late, and the others are not repeated.
 */
#ifndef WM_SCHEDULE_H
#define WM_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define WM_SCHEDULE_TIERS_MAX 12
#define WM_SCHEDULE_TICKS_MAX 288 /* every 5 minutes for 24 hours */
#define WM_SCHEDULE_NAME_MAX 24

/* What a tier checks (bit 1u << value in wm_schedule_tier.checks). */
enum wm_sched_check {
	WM_SCHED_SERVICES,  /* wm-services: containers up and healthy */
	WM_SCHED_ERRORS,    /* wm-errors over the tier's window */
	WM_SCHED_LOGS,	    /* the last lines of each service's log */
	WM_SCHED_CACHE,	    /* wm-cache */
	WM_SCHED_DB,	    /* wm-db (connections, data-loss high-water) */
	WM_SCHED_RESTARTS,  /* restart counts */
	WM_SCHED_CRITICALS, /* critical/fatal/panic lines over the window */
	WM_SCHED_RESOURCES, /* CPU and memory per container */
	WM_SCHED_DISK,	    /* disk usage */
	WM_SCHED_SECURITY,  /* wm-security over the window */
	WM_SCHED_PERF,	    /* wm-perf over the window */
	WM_SCHED_SMOKE,	    /* wm-smoke */
	WM_SCHED_NCHECKS
};
#define WM_SCHED_ALL ((1u << WM_SCHED_NCHECKS) - 1)

struct wm_schedule_tier {
	char name[WM_SCHEDULE_NAME_MAX];
	unsigned checks;   /* bits of enum wm_sched_check */
	int64_t window_ms; /* analysis window (plan ms) */
	int64_t grace_ms;  /* a tick started this late is still on time */
	size_t n_at;
	int64_t at[WM_SCHEDULE_TICKS_MAX]; /* offsets from T+0, ascending, unique */
};

struct wm_schedule {
	size_t n_tiers;
	struct wm_schedule_tier tier[WM_SCHEDULE_TIERS_MAX];
};

enum wm_tick_status {
	WM_TICK_DUE,	/* run it now, on time */
	WM_TICK_LATE,	/* run it now, late (past its grace) */
	WM_TICK_MISSED, /* not run: journal it as missed */
};

struct wm_due {
	size_t tier;   /* index into wm_schedule.tier */
	int64_t at_ms; /* its planned offset */
	enum wm_tick_status status;
};

/* Does the journal hold an end (or a missed record) for this tick? */
typedef bool (*wm_schedule_settled_fn)(const char *tier, int64_t at_ms, void *ctx);

/* Fill s with the runbook's plan (above); grace 5 minutes. */
void wm_schedule_default(struct wm_schedule *s);

/* The tier called name, or NULL. */
struct wm_schedule_tier *wm_schedule_find(struct wm_schedule *s, const char *name);

/* Configure one key of tier (created when new, up to WM_SCHEDULE_TIERS_MAX):
 *   at      comma list of offsets and ranges: "0, 24h", "1h..4h/1h", "none"
 *   checks  comma list of check names (wm_sched_check_name) or "all"
 *   window  a duration ("30m")
 *   grace   a duration
 * Returns 0, or -1 (WM_EINVAL, WM_ETOOBIG) leaving the schedule unchanged. */
int wm_schedule_configure(struct wm_schedule *s, const char *tier, const char *key,
			  const char *value, struct wm_err *err);

/* The name of check c ("services", ...), or NULL; and back (-1 when unknown). */
const char *wm_sched_check_name(int c);
int wm_sched_check_parse(const char *name);

/* The ticks to act on at offset now (see above), ordered by time then tier:
 * fills out[0..cap) and returns how many there are.  When that exceeds cap,
 * out holds cap of them (sorted) and the caller asks again with more room. */
size_t wm_schedule_due(const struct wm_schedule *s, int64_t now_ms, wm_schedule_settled_fn settled,
		       void *ctx, struct wm_due *out, size_t cap);

/* The earliest tick offset strictly after now_ms into *at_ms: 1, or 0 when
 * the plan has nothing left. */
int wm_schedule_next(const struct wm_schedule *s, int64_t now_ms, int64_t *at_ms);

/* The last tick offset of the plan (T+24 h by default); -1 when empty. */
int64_t wm_schedule_end(const struct wm_schedule *s);

/* The plan as crontab lines for a run starting at start_wall_ms (scale 1),
 * in a zone utc_offset_min minutes east of UTC (cron reads local time): one
 * line per distinct minute with a tick, "M H DOM MON * command  # T+.. tiers";
 * a tick between minutes fires at the next minute, never early.  command is
 * escaped for cron ('%' → "\%") and must not hold a newline.  Returns a
 * malloc'd string, or NULL (WM_EINVAL, WM_ENOMEM). */
char *wm_schedule_crontab(const struct wm_schedule *s, int64_t start_wall_ms, int utc_offset_min,
			  const char *command, struct wm_err *err);

/* "T+2h", "T+1h30m", "T+45s", "T+0" into buf (>= 32 bytes). */
void wm_schedule_offset_str(int64_t at_ms, char *buf, size_t len);

#endif
