/* status.c - where a run stands, rebuilt from its records: the driver keeps
 * one up to date through the journal's hook, `wm-run status` without a
 * driver reads the journal into one; both answer with view_status. */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/duration.h"
#include "common/prog.h"
#include "model/incident.h"
#include "wm-run.h"

int
view_init(struct run_view *v)
{
	struct wm_incident_conf c;

	memset(v, 0, sizeof(*v));
	wm_incident_conf_default(&c);
	v->inc = wm_incidents_new(&c);
	v->approvals = cJSON_CreateArray();
	v->services = cJSON_CreateArray();
	v->timeline = cJSON_CreateArray();
	return v->inc && v->approvals && v->services && v->timeline ? 0 : -1;
}

void
view_free(struct run_view *v)
{
	wm_incidents_free(v->inc);
	cJSON_Delete(v->approvals);
	cJSON_Delete(v->services);
	cJSON_Delete(v->timeline);
	v->inc = NULL;
	v->approvals = v->services = v->timeline = NULL;
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(s) ? s->valuestring : "";
}

static int64_t
num(const cJSON *o, const char *k)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(n) ? (int64_t)n->valuedouble : 0;
}

/* A services result: its services.NAME checks become the view's services. */
static int
view_services(struct run_view *v, const cJSON *rec)
{
	const cJSON *res = cJSON_GetObjectItemCaseSensitive(rec, "result"), *c;
	cJSON *arr = cJSON_CreateArray();

	if (!arr)
		return -1;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(res, "checks"))
	{
		const char *name = str(c, "name");
		cJSON *x;

		if (strncmp(name, "services.", 9) != 0 || !name[9])
			continue;
		if (!(x = cJSON_CreateObject()) || !cJSON_AddItemToArray(arr, x) ||
		    !cJSON_AddStringToObject(x, "name", name + 9) ||
		    !cJSON_AddStringToObject(x, "state", str(c, "state")) ||
		    !cJSON_AddStringToObject(x, "summary", str(c, "summary"))) {
			cJSON_Delete(arr);
			return -1;
		}
	}
	cJSON_Delete(v->services);
	v->services = arr;
	return 0;
}

/* A settled tick onto the timeline (the last RUN_TIMELINE of them). */
static int
view_timeline(struct run_view *v, const cJSON *rec, bool missed)
{
	cJSON *x = cJSON_CreateObject();

	if (!x || !cJSON_AddStringToObject(x, "tier", str(rec, "tier")) ||
	    !cJSON_AddNumberToObject(x, "at_ms", (double)num(rec, "at_ms")) ||
	    !cJSON_AddStringToObject(x, "state",
				     missed ? "missed" : wm_state_name((int)num(rec, "state"))) ||
	    !cJSON_AddBoolToObject(x, "late",
				   cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "late"))) ||
	    !cJSON_AddItemToArray(v->timeline, x)) {
		cJSON_Delete(x);
		return -1;
	}
	while (cJSON_GetArraySize(v->timeline) > RUN_TIMELINE)
		cJSON_DeleteItemFromArray(v->timeline, 0);
	return 0;
}

int
view_apply(const cJSON *rec, void *ctx)
{
	struct run_view *v = ctx;
	const char *type = str(rec, "type");

	if (!strcmp(type, "run_start")) {
		snprintf(v->target, sizeof(v->target), "%s", str(rec, "target"));
	} else if (!strcmp(type, "tick_end")) {
		snprintf(v->last_tier, sizeof(v->last_tier), "%s", str(rec, "tier"));
		v->last_at = num(rec, "at_ms");
		v->last_end_wall = num(rec, "wall_ms");
		v->last_state = (int)num(rec, "state");
		v->last_late = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "late"));
		v->have_last = true;
		return view_timeline(v, rec, false);
	} else if (!strcmp(type, "tick_missed")) {
		return view_timeline(v, rec, true);
	} else if (!strcmp(type, "result") && !strcmp(str(rec, "area"), "services")) {
		return view_services(v, rec);
	} else if (!strcmp(type, "note")) {
		v->notes++;
		v->user_issues +=
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "user_issue")) ? 1 : 0;
	} else if (!strcmp(type, "approve")) {
		cJSON *a = cJSON_CreateObject();

		if (!a || !cJSON_AddStringToObject(a, "role", str(rec, "role")) ||
		    !cJSON_AddStringToObject(a, "name", str(rec, "name")) ||
		    !cJSON_AddItemToArray(v->approvals, a)) {
			cJSON_Delete(a);
			return -1;
		}
	} else if (!strcmp(type, "stop")) {
		v->stopped = true;
	} else if (!strcmp(type, "driver")) {
		v->stopped = false;
	} else if (!strcmp(type, "incident")) {
		/* a damaged incident record is the incidents' business; the
		 * status shows what could be read */
		(void)wm_incidents_replay(rec, v->inc);
	}
	return 0;
}

/* {tier, at_ms, ...} helpers: NULL members stay out. */
static cJSON *
tick_obj(const char *tier, int64_t at)
{
	cJSON *o = cJSON_CreateObject();

	if (o && (!cJSON_AddStringToObject(o, "tier", tier) ||
		  !cJSON_AddNumberToObject(o, "at_ms", (double)at))) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *
view_status(const struct run_view *v, const struct wm_journal_state *st,
	    const struct wm_schedule *plan, const struct wm_clock *clk, const char *dir,
	    const struct run_live *live)
{
	cJSON *o = cJSON_CreateObject(), *x, *arr;
	int64_t now = wm_clock_offset_ms(clk), next, done = 0, missed = 0, due = 0, planned = 0;
	bool ok = o != NULL;

	for (size_t i = 0; i < plan->n_tiers; i++)
		for (size_t k = 0; k < plan->tier[i].n_at; k++) {
			const struct wm_journal_tick *t =
			    wm_journal_tick(st, plan->tier[i].name, plan->tier[i].at[k]);

			planned++;
			due += plan->tier[i].at[k] <= now;
			done += t && t->ended;
			missed += t && t->missed;
		}
	ok = ok && cJSON_AddNumberToObject(o, "v", 1) && cJSON_AddStringToObject(o, "run", dir) &&
	     cJSON_AddStringToObject(o, "target", v->target) &&
	     cJSON_AddStringToObject(o, "state",
				     st->ended	  ? "ended"
				     : live	  ? "running"
				     : v->stopped ? "stopped"
						  : "not running");
	if (ok && live) {
		ok = (x = cJSON_AddObjectToObject(o, "driver")) &&
		     cJSON_AddNumberToObject(x, "pid", (double)live->pid) &&
		     cJSON_AddNumberToObject(x, "since_wall_ms", (double)live->since_wall_ms) &&
		     cJSON_AddStringToObject(o, "phase", live->phase);
	} else if (ok) {
		ok = cJSON_AddNullToObject(o, "driver") &&
		     cJSON_AddStringToObject(o, "phase", "idle");
	}
	ok = ok && cJSON_AddNumberToObject(o, "start_wall_ms", (double)st->start_wall_ms) &&
	     cJSON_AddNumberToObject(o, "scale", (double)st->scale) &&
	     cJSON_AddNumberToObject(o, "now_ms", (double)now) &&
	     cJSON_AddNumberToObject(o, "end_ms", (double)wm_schedule_end(plan));
	if (ok && live && live->tier) {
		ok = (x = tick_obj(live->tier, live->at_ms)) &&
		     cJSON_AddNumberToObject(x, "attempt", live->attempt) &&
		     cJSON_AddItemToObject(o, "tick", x);
	} else if (ok) {
		ok = cJSON_AddNullToObject(o, "tick");
	}
	if (ok && v->have_last) {
		ok = (x = tick_obj(v->last_tier, v->last_at)) &&
		     cJSON_AddStringToObject(x, "state", wm_state_name(v->last_state)) &&
		     cJSON_AddBoolToObject(x, "late", v->last_late) &&
		     cJSON_AddNumberToObject(x, "end_wall_ms", (double)v->last_end_wall) &&
		     cJSON_AddItemToObject(o, "last", x);
	} else if (ok) {
		ok = cJSON_AddNullToObject(o, "last");
	}
	if (ok && !st->ended && wm_schedule_next(plan, now, &next)) {
		ok = (x = cJSON_AddObjectToObject(o, "next")) &&
		     cJSON_AddNumberToObject(x, "at_ms", (double)next) &&
		     cJSON_AddNumberToObject(x, "wall_ms", (double)wm_clock_wall_at(clk, next)) &&
		     (arr = cJSON_AddArrayToObject(x, "tiers"));
		for (size_t i = 0; ok && i < plan->n_tiers; i++)
			for (size_t k = 0; ok && k < plan->tier[i].n_at; k++)
				if (plan->tier[i].at[k] == next)
					ok = cJSON_AddItemToArray(
					    arr, cJSON_CreateString(plan->tier[i].name));
	} else if (ok) {
		ok = cJSON_AddNullToObject(o, "next");
	}
	ok = ok && (x = cJSON_AddObjectToObject(o, "ticks")) &&
	     cJSON_AddNumberToObject(x, "done", (double)done) &&
	     cJSON_AddNumberToObject(x, "missed", (double)missed) &&
	     cJSON_AddNumberToObject(x, "due", (double)due) &&
	     cJSON_AddNumberToObject(x, "planned", (double)planned) &&
	     (arr = cJSON_AddArrayToObject(o, "incidents"));
	for (size_t i = 0; ok && i < wm_incidents_count(v->inc); i++) {
		const struct wm_incident *inc = wm_incidents_get(v->inc, i);

		if (inc->state != WM_INC_RESOLVED)
			ok = cJSON_AddItemToArray(arr, wm_incident_json(inc));
	}
	ok = ok && cJSON_AddItemToObject(o, "services", cJSON_Duplicate(v->services, true)) &&
	     cJSON_AddItemToObject(o, "timeline", cJSON_Duplicate(v->timeline, true));
	ok = ok && cJSON_AddNumberToObject(o, "notes", (double)v->notes) &&
	     cJSON_AddNumberToObject(o, "user_issues", (double)v->user_issues) &&
	     cJSON_AddItemToObject(o, "approvals", cJSON_Duplicate(v->approvals, true));
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* "T+2h30m" of a plan offset held in member k of o. */
static const char *
off_of(const cJSON *o, const char *k, char *buf, size_t len)
{
	wm_schedule_offset_str(num(o, k), buf, len);
	return buf;
}

/* "23:01:05Z" of wall ms. */
static const char *
clock_of(int64_t ms, char *buf, size_t len)
{
	char t[WM_TIME_BUF];

	if (wm_time_format(ms, t, sizeof(t)) != 0)
		snprintf(t, sizeof(t), "?");
	snprintf(buf, len, "%.8sZ", strlen(t) > 11 ? t + 11 : t);
	return buf;
}

/* "services:   OK backend frontend; CRITICAL redis (exited)": by state,
 * the worst first, the summary of those not OK. */
static void
print_services(FILE *f, const cJSON *svc)
{
	static const char *const order[] = {"CRITICAL", "UNKNOWN", "WARNING", "OK"};
	const cJSON *x;
	bool any = false;

	if (!cJSON_GetArraySize(svc)) {
		fputs("services:   none seen yet\n", f);
		return;
	}
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		bool first = true;

		cJSON_ArrayForEach(x, svc)
		{
			if (strcmp(str(x, "state"), order[i]) != 0)
				continue;
			if (first)
				fprintf(f, "%s%s %s", any ? "; " : "services:   ", order[i],
					str(x, "name"));
			else
				fprintf(f, ", %s", str(x, "name"));
			if (i < 3 && *str(x, "summary"))
				fprintf(f, " (%s)", str(x, "summary"));
			first = false;
			any = true;
		}
	}
	fputc('\n', f);
}

void
status_print(FILE *f, const cJSON *st, int64_t now_wall_ms)
{
	const cJSON *drv = cJSON_GetObjectItemCaseSensitive(st, "driver");
	const cJSON *tick = cJSON_GetObjectItemCaseSensitive(st, "tick");
	const cJSON *last = cJSON_GetObjectItemCaseSensitive(st, "last");
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(st, "next");
	const cJSON *ticks = cJSON_GetObjectItemCaseSensitive(st, "ticks");
	const cJSON *incs = cJSON_GetObjectItemCaseSensitive(st, "incidents");
	const cJSON *apps = cJSON_GetObjectItemCaseSensitive(st, "approvals"), *x;
	char a[32], b[32], c[32];
	int n;

	fprintf(f, "run:        %s\n", str(st, "run"));
	fprintf(f, "target:     %s, %s", str(st, "target"), str(st, "state"));
	if (cJSON_IsObject(drv))
		fprintf(f, " (driver pid %" PRId64 ", %s)", num(drv, "pid"), str(st, "phase"));
	fprintf(f, "\nplan:       %s of %s", off_of(st, "now_ms", a, sizeof(a)),
		off_of(st, "end_ms", b, sizeof(b)));
	if (num(st, "scale") > 1)
		fprintf(f, " (--time-scale %" PRId64 ")", num(st, "scale"));
	fprintf(f,
		"; ticks %" PRId64 " done, %" PRId64 " missed of %" PRId64 " due, %" PRId64
		" planned\n",
		num(ticks, "done"), num(ticks, "missed"), num(ticks, "due"), num(ticks, "planned"));
	if (cJSON_IsObject(tick))
		fprintf(f, "running:    %s %s (attempt %" PRId64 ")\n", str(tick, "tier"),
			off_of(tick, "at_ms", a, sizeof(a)), num(tick, "attempt"));
	if (cJSON_IsObject(last))
		fprintf(f, "last tick:  %s %s: %s%s, ended %s\n", str(last, "tier"),
			off_of(last, "at_ms", a, sizeof(a)), str(last, "state"),
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(last, "late")) ? " (late)"
										     : "",
			clock_of(num(last, "end_wall_ms"), b, sizeof(b)));
	else
		fputs("last tick:  none yet\n", f);
	if (cJSON_IsObject(next)) {
		int64_t in = (num(next, "wall_ms") - now_wall_ms + 999) / 1000;
		const cJSON *t;

		fprintf(f, "next tick:  %s", off_of(next, "at_ms", a, sizeof(a)));
		cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(next, "tiers"))
		    fprintf(f, " %s", cJSON_IsString(t) ? t->valuestring : "?");
		fprintf(f, " at %s (in %" PRId64 " s)\n",
			clock_of(num(next, "wall_ms"), c, sizeof(c)), in > 0 ? in : 0);
	} else {
		fputs("next tick:  none (the plan is over)\n", f);
	}
	print_services(f, cJSON_GetObjectItemCaseSensitive(st, "services"));
	n = 0;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(st, "timeline"))
	{
		fprintf(f, "%s%-7s %-14s %s%s\n",
			n++ ? "            " : "timeline:   ", off_of(x, "at_ms", a, sizeof(a)),
			str(x, "tier"), str(x, "state"),
			cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(x, "late")) ? " (late)" : "");
	}
	if (!cJSON_GetArraySize(incs))
		fputs("incidents:  none open\n", f);
	cJSON_ArrayForEach(x, incs)
	{
		fprintf(f, "incident:   %s %s %s: %s, level %" PRId64 " (%s)%s%s\n", str(x, "id"),
			str(x, "kind"), str(x, "subject"), str(x, "state"), num(x, "level"),
			str(x, "role"), *str(x, "detail") ? ": " : "", str(x, "detail"));
	}
	fprintf(f, "people:     %" PRId64 " notes (%" PRId64 " user issues), %d approvals",
		num(st, "notes"), num(st, "user_issues"), cJSON_GetArraySize(apps));
	cJSON_ArrayForEach(x, apps)
	    fprintf(f, "%s %s (%s)", x == apps->child ? ":" : ",", str(x, "role"), str(x, "name"));
	fputc('\n', f);
}

static bool line_shown;

void
status_line(const char *text)
{
	static int tty = -1;

	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty)
		return;
	if (line_shown)
		fputs("\r\033[K", stderr);
	line_shown = false;
	if (text && *text) {
		fprintf(stderr, "%s: %.*s", wm_prog_name(), 110, text);
		line_shown = true;
	}
	fflush(stderr);
}

void
status_say(const char *fmt, ...)
{
	va_list ap;

	if (line_shown)
		status_line(NULL);
	fprintf(stderr, "%s: ", wm_prog_name());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
