/* journal_plan.h - the plan a run follows, as the journal holds it: the
 * "plan" member of run_start and of an accepted reload (warunginmon(7), RUN
 * DIRECTORY), so that a report of the run judges it on the plan it ran, not
 * on the configuration as it is when the report is made.
 *
 *   "plan": [{"tier": "quick", "checks": ["services", "errors", "logs"],
 *             "window_ms": 1800000, "grace_ms": 300000,
 *             "at_ms": [3600000, 7200000, 10800000, 14400000]}, ...]
 *
 * A journal written before the plan was journaled has no such member: its
 * readers fall back to the configuration or to the runbook's plan. */
#ifndef WM_JOURNAL_PLAN_H
#define WM_JOURNAL_PLAN_H

#include <cjson/cJSON.h>

#include "base/err.h"
#include "model/schedule.h"

/* plan as the JSON above; NULL on ENOMEM. */
cJSON *wm_journal_plan_json(const struct wm_schedule *plan);

/* The JSON above back into *plan.  Returns 0, or -1 (WM_EINVAL: not a plan,
 * naming the first thing wrong; WM_ETOOBIG: more tiers or ticks than a plan
 * holds) leaving *plan unchanged. */
int wm_journal_plan_parse(const cJSON *json, struct wm_schedule *plan, struct wm_err *err);

#endif
