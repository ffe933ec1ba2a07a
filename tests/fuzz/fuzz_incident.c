/* fuzz_incident.c - libFuzzer target: the compose depends_on label, an
 * incident record read back from a journal, and the state machine driven by
 * an arbitrary sequence of observations.  Input: "LABEL\nJSON\nEVENTS" where
 * each EVENTS byte picks an operation, a kind and a subject.  Invariants: at
 * most one incident per (kind, subject), no notification key twice, levels in
 * range, a consequence never notified, time only moves forward.
 * Build and run with scripts/fuzz. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/incident.h"

static const char *const subjects[] = {"postgres", "backend", "nginx", "redis"};

static void
check(const struct wm_incidents *set, const struct wm_incident_actions *acts, size_t from)
{
	for (size_t i = 0; i < wm_incidents_count(set); i++) {
		const struct wm_incident *a = wm_incidents_get(set, i);

		if (a->level < 0 || a->level >= WM_INCIDENT_LEVELS)
			abort();
		for (size_t k = i + 1; k < wm_incidents_count(set); k++) {
			const struct wm_incident *b = wm_incidents_get(set, k);

			if (!strcmp(a->id, b->id) ||
			    (a->kind == b->kind && !strcmp(a->subject, b->subject)))
				abort();
		}
	}
	for (size_t i = from; i < acts->n; i++) {
		if (acts->a[i].notify && acts->a[i].act == WM_ACT_ATTACH)
			abort();
		for (size_t k = 0; acts->a[i].notify && k < i; k++)
			if (acts->a[k].notify && !strcmp(acts->a[k].key, acts->a[i].key))
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char names[8][WM_INCIDENT_SUBJECT_MAX], *in = fuzz_cstr(data, size), *json, *ev;
	const char *deps[8];
	struct wm_incident_actions acts = {0};
	struct wm_incidents *set = wm_incidents_new(NULL);
	struct wm_err e = {0};
	int64_t now = 0;
	int n;

	if (!set)
		abort();
	json = strchr(in, '\n');
	if (json)
		*json++ = '\0';
	n = wm_depends_parse(in, names, 8, &e);
	if (n < -1 || n > 8 || (n == -1 && !e.msg[0]))
		abort();
	for (int i = 0; i < n; i++)
		deps[i] = names[i];
	if (n > 0 && wm_incidents_set_deps(set, "backend", deps, (size_t)n, &e))
		abort(); /* what parses is a valid dependency list */
	ev = json ? strchr(json, '\n') : NULL;
	if (ev)
		*ev++ = '\0';
	if (json) {
		cJSON *o = cJSON_Parse(json);

		if (o && wm_incidents_restore(set, o, &e) == 0) {
			cJSON *back = wm_incident_json(wm_incidents_get(set, 0));

			if (!back)
				abort();
			cJSON_Delete(back);
		}
		cJSON_Delete(o);
	}
	for (const unsigned char *p = (const unsigned char *)ev; p && *p; p++) {
		enum wm_incident_kind k = (enum wm_incident_kind)((*p >> 2) % WM_INC_NKINDS);
		const char *s = subjects[(*p >> 5) & 3];
		size_t from = acts.n;

		now += (*p & 0x1c) * 7000;
		switch (*p & 3) {
		case 0:
			wm_incidents_fail(set, now, k, s, "x", &acts);
			break;
		case 1:
			wm_incidents_ok(set, now, k, s, &acts);
			break;
		case 2:
			if (wm_incidents_count(set))
				wm_incidents_ack(
				    set, now,
				    wm_incidents_get(set, *p % wm_incidents_count(set))->id, &acts,
				    &e);
			break;
		default:
			wm_incidents_advance(set, now, &acts);
		}
		/* Restored incidents may carry any counters: check what we made. */
		if (!json || !*json)
			check(set, &acts, from);
	}
	wm_incident_actions_free(&acts);
	wm_incidents_free(set);
	free(in);
	return 0;
}
