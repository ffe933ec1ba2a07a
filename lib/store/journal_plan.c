/* journal_plan.c - the plan as the journal holds it (see journal_plan.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/journal_plan.h"

/* Offsets and durations beyond a year are not a plan's. */
#define PLAN_MS_MAX (INT64_C(366) * 24 * 3600000)

static cJSON *
tier_json(const struct wm_schedule_tier *t)
{
	cJSON *o = cJSON_CreateObject(), *checks, *at;
	bool ok = o && cJSON_AddStringToObject(o, "tier", t->name) &&
		  (checks = cJSON_AddArrayToObject(o, "checks")) &&
		  cJSON_AddNumberToObject(o, "window_ms", (double)t->window_ms) &&
		  cJSON_AddNumberToObject(o, "grace_ms", (double)t->grace_ms) &&
		  (at = cJSON_AddArrayToObject(o, "at_ms"));

	for (int c = 0; ok && c < WM_SCHED_NCHECKS; c++) {
		cJSON *s;

		if (!(t->checks & (1u << c)))
			continue;
		ok = (s = cJSON_CreateString(wm_sched_check_name(c))) != NULL;
		if (ok)
			cJSON_AddItemToArray(checks, s);
	}
	for (size_t i = 0; ok && i < t->n_at; i++) {
		cJSON *n = cJSON_CreateNumber((double)t->at[i]);

		if (!(ok = n != NULL))
			break;
		cJSON_AddItemToArray(at, n);
	}
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *
wm_journal_plan_json(const struct wm_schedule *plan)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; a && i < plan->n_tiers; i++) {
		cJSON *t = tier_json(&plan->tier[i]);

		if (!t) {
			cJSON_Delete(a);
			return NULL;
		}
		cJSON_AddItemToArray(a, t);
	}
	return a;
}

/* A whole number of ms in [lo, PLAN_MS_MAX], or -1. */
static int64_t
ms_of(const cJSON *n, int64_t lo)
{
	double v = cJSON_IsNumber(n) ? n->valuedouble : NAN;

	if (!(v >= (double)lo && v <= (double)PLAN_MS_MAX) || v != floor(v))
		return -1;
	return (int64_t)v;
}

static int
tier_parse(const cJSON *o, struct wm_schedule_tier *t, struct wm_err *err)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(o, "tier"), *x;
	const cJSON *checks = cJSON_GetObjectItemCaseSensitive(o, "checks");
	const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at_ms");

	memset(t, 0, sizeof(*t));
	if (!cJSON_IsString(name) || !*name->valuestring ||
	    strlen(name->valuestring) >= sizeof(t->name))
		return wm_err_set(err, WM_EINVAL, "a tier without a valid \"tier\" name");
	snprintf(t->name, sizeof(t->name), "%s", name->valuestring);
	t->window_ms = ms_of(cJSON_GetObjectItemCaseSensitive(o, "window_ms"), 1);
	t->grace_ms = ms_of(cJSON_GetObjectItemCaseSensitive(o, "grace_ms"), 0);
	if (t->window_ms < 0 || t->grace_ms < 0)
		return wm_err_set(err, WM_EINVAL, "tier %s: window_ms and grace_ms are needed",
				  t->name);
	if (!cJSON_IsArray(checks) || !cJSON_IsArray(at))
		return wm_err_set(err, WM_EINVAL, "tier %s: checks and at_ms are lists", t->name);
	cJSON_ArrayForEach(x, checks)
	{
		int c = cJSON_IsString(x) ? wm_sched_check_parse(x->valuestring) : -1;

		if (c < 0)
			return wm_err_set(err, WM_EINVAL, "tier %s: an unknown check", t->name);
		t->checks |= 1u << c;
	}
	cJSON_ArrayForEach(x, at)
	{
		int64_t ms = ms_of(x, 0);

		if (t->n_at == WM_SCHEDULE_TICKS_MAX)
			return wm_err_set(err, WM_ETOOBIG, "tier %s: more than %d ticks", t->name,
					  WM_SCHEDULE_TICKS_MAX);
		if (ms < 0 || (t->n_at && ms <= t->at[t->n_at - 1]))
			return wm_err_set(err, WM_EINVAL,
					  "tier %s: at_ms must be offsets in ascending order",
					  t->name);
		t->at[t->n_at++] = ms;
	}
	return 0;
}

/* Tier o after p's tiers; 0 or -1 with err. */
static int
add_tier(struct wm_schedule *p, const cJSON *o, struct wm_err *err)
{
	struct wm_schedule_tier *t = &p->tier[p->n_tiers];

	if (!cJSON_IsObject(o))
		return wm_err_set(err, WM_EINVAL, "a tier is not an object");
	if (tier_parse(o, t, err) != 0)
		return -1;
	if (wm_schedule_find(p, t->name))
		return wm_err_set(err, WM_EINVAL, "tier %s twice", t->name);
	p->n_tiers++;
	return 0;
}

int
wm_journal_plan_parse(const cJSON *json, struct wm_schedule *plan, struct wm_err *err)
{
	struct wm_schedule *p;
	const cJSON *o;

	if (!cJSON_IsArray(json))
		return wm_err_set(err, WM_EINVAL, "the plan is not a list of tiers");
	if (cJSON_GetArraySize(json) > WM_SCHEDULE_TIERS_MAX)
		return wm_err_set(err, WM_ETOOBIG, "more than %d tiers", WM_SCHEDULE_TIERS_MAX);
	if (!(p = calloc(1, sizeof(*p))))
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	cJSON_ArrayForEach(o, json)
	{
		if (add_tier(p, o, err) != 0) {
			free(p);
			return -1;
		}
	}
	*plan = *p;
	free(p);
	return 0;
}
