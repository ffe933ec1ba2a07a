/* security_report.c - the judged checks from the security analyzer. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/security_int.h"
#include "model/threshold.h"

struct wm_security_row *
wm_security_table(const struct wm_security *s, int table, size_t *n)
{
	size_t all;
	struct sec_entry **v;
	struct wm_security_row *rows;

	*n = 0;
	if (table < 0 || table >= WM_SECT_COUNT || !(v = sec_table_sorted(&s->t[table], &all)))
		return NULL;
	if (all > s->o.top)
		all = s->o.top;
	if ((rows = calloc(all ? all : 1, sizeof *rows))) {
		for (size_t i = 0; i < all; i++) {
			rows[i].key = v[i]->key;
			rows[i].count = v[i]->count;
			rows[i].count_2xx = v[i]->count_2xx;
			rows[i].first_ms = v[i]->first_ms;
			rows[i].last_ms = v[i]->last_ms;
		}
		*n = all;
	}
	free(v);
	return rows;
}

static size_t
brutes_of(const struct sec_table *t, bool account, struct wm_security_brute *out, size_t k)
{
	size_t n;
	struct sec_entry **v = sec_table_sorted(t, &n);

	for (size_t i = 0; v && i < n; i++)
		if (v[i]->over) {
			out[k].who = v[i]->key;
			out[k].account = account;
			out[k].failures = v[i]->count;
			out[k].max_window = v[i]->max_window;
			out[k].first_ms = v[i]->first_ms;
			out[k].last_ms = v[i]->last_ms;
			k++;
		}
	free(v);
	return k;
}

struct wm_security_brute *
wm_security_brutes(const struct wm_security *s, size_t *n)
{
	struct wm_security_brute *b = calloc(2 * s->o.slots, sizeof *b);

	*n = 0;
	if (!b)
		return NULL;
	*n = brutes_of(&s->brute_client, false, b, 0);
	*n = brutes_of(&s->brute_account, true, b, *n);
	return b;
}

size_t
wm_security_brute_accounts(const struct wm_security *s, const struct wm_security_brute *b,
			   char (*out)[64], size_t cap, bool *ambiguous)
{
	int64_t from = b->first_ms - 1000, to = b->last_ms + 1000;
	size_t k = 0;

	*ambiguous = false;
	/* another client failing logins in the same span makes the join unsure */
	for (size_t i = 0; i < s->brute_client.slots; i++) {
		const struct sec_entry *e = &s->brute_client.e[i];

		if (e->used && strcmp(e->key, b->who) != 0 && e->last_ms >= from &&
		    e->first_ms <= to)
			*ambiguous = true;
	}
	for (size_t i = 0; i < s->join_n; i++) {
		const struct sec_join *j = &s->join[i];
		bool seen = false;

		if (j->ts_ms < from || j->ts_ms > to)
			continue;
		for (size_t m = 0; m < k && !seen; m++)
			seen = strcmp(out[m], j->account) == 0;
		if (!seen && k < cap)
			snprintf(out[k++], sizeof out[0], "%s", j->account);
	}
	return k;
}

static bool
add_rows(const struct wm_security *s, cJSON *data, const char *key, int table, bool with_2xx)
{
	size_t n;
	struct wm_security_row *r = wm_security_table(s, table, &n);
	cJSON *arr = cJSON_AddArrayToObject(data, key);

	if (!r || !arr) {
		free(r);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o)
			break;
		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, "key", r[i].key);
		cJSON_AddNumberToObject(o, "count", (double)r[i].count);
		if (with_2xx)
			cJSON_AddNumberToObject(o, "answered_2xx", (double)r[i].count_2xx);
		cJSON_AddItemToObject(o, "first_seen", wm_json_time(r[i].first_ms));
		cJSON_AddItemToObject(o, "last_seen", wm_json_time(r[i].last_ms));
	}
	if (s->t[table].evicted)
		cJSON_AddBoolToObject(data, "approximate", true);
	free(r);
	return true;
}

static int
metric(struct wm_check *c, const char *name, double v, const char *unit,
       wm_security_threshold_fn fn, void *arg, const char *dwarn, const char *dcrit)
{
	const char *w = fn ? fn(arg, name, false) : NULL;
	const char *k = fn ? fn(arg, name, true) : NULL;
	struct wm_metric *m = wm_check_add_metric(c, name, v, unit);

	if (!m || wm_metric_set_thresholds(m, w ? w : dwarn, k ? k : dcrit) < 0)
		return -1;
	m->min = 0;
	return 0;
}

#define M(c, name, v, unit, dw, dc)                                                                \
	do {                                                                                       \
		if (metric(c, name, (double)(v), unit, fn, arg, dw, dc) < 0)                       \
			return -1;                                                                 \
	} while (0)

static uint64_t
sum(const uint64_t *v)
{
	uint64_t t = 0;

	for (int i = 0; i < WM_ATTACK_COUNT; i++)
		t += v[i];
	return t;
}

/* Hours the rates are over: the window, else the lines' span, but at least
 * an hour (ten failures in one second, or in a ten-second window, are not
 * 36 000 an hour). */
static double
hours(const struct wm_security *s)
{
	double span;

	if (s->o.window_ms > 0)
		span = (double)s->o.window_ms / 3.6e6;
	else
		span = s->c.first_ms >= 0 ? (double)(s->c.last_ms - s->c.first_ms) / 3.6e6 : 0;
	return span > 1 ? span : 1;
}

/* The counts per attack kind as one object {"sqli": n, ...}. */
static bool
kinds(cJSON *d, const char *key, const uint64_t *v)
{
	cJSON *o = cJSON_AddObjectToObject(d, key);

	for (int a = 0; o && a < WM_ATTACK_COUNT; a++)
		if (!cJSON_AddNumberToObject(o, wm_attack_name(a), (double)v[a]))
			return false;
	return o != NULL;
}

/* A data object of counts by key: "key1", n1, "key2", n2, ..., NULL. */
static bool
counts(struct wm_check *k, const char *key, ...)
{
	cJSON *d = wm_check_data(k), *o = d ? cJSON_AddObjectToObject(d, key) : NULL;
	const char *name;
	bool ok = o != NULL;
	va_list ap;

	va_start(ap, key);
	while (ok && (name = va_arg(ap, const char *)))
		ok = cJSON_AddNumberToObject(o, name, (double)va_arg(ap, uint64_t)) != NULL;
	va_end(ap);
	return ok;
}

static int
auth_check(struct wm_security *s, struct wm_result *r, const char *window,
	   wm_security_threshold_fn fn, void *arg)
{
	const struct wm_security_counts *c = &s->c;
	struct wm_check *k = wm_result_add_check(r, "security.auth");
	bool nginx = c->access_lines > 0;
	uint64_t denied = nginx ? c->unauthorized + c->forbidden
				: c->backend_unauthorized + c->backend_forbidden + c->login_failed;
	char warn[32], most[96] = "";
	struct wm_security_row *top;
	size_t ntop = 0;
	cJSON *d;

	if (!k)
		return -1;
	if (s->o.denied_warn_per_h > 0)
		snprintf(warn, sizeof warn, "%g", s->o.denied_warn_per_h);
	M(k, "refused_per_hour", (double)denied / hours(s), "",
	  s->o.denied_warn_per_h > 0 ? warn : NULL, NULL);
	M(k, "unauthorized", c->unauthorized, "", NULL, NULL);
	M(k, "forbidden", c->forbidden, "", NULL, NULL);
	M(k, "backend_unauthorized", c->backend_unauthorized, "", NULL, NULL);
	M(k, "backend_forbidden", c->backend_forbidden, "", NULL, NULL);
	M(k, "failed_logins", c->login_failed, "", NULL, NULL);
	if (!counts(k, "refused", "401", c->unauthorized, "403", c->forbidden, NULL) ||
	    !counts(k, "backend_refused", "401", c->backend_unauthorized, "403",
		    c->backend_forbidden, NULL) ||
	    !(d = wm_check_data(k)) ||
	    !cJSON_AddStringToObject(d, "source", nginx ? "nginx" : "backend") ||
	    !add_rows(s, d, "paths", WM_SECT_DENIED_PATH, false) ||
	    !add_rows(s, d, "clients", WM_SECT_DENIED_CLIENT, false) ||
	    !add_rows(s, d, "messages", WM_SECT_MESSAGE, false) ||
	    !add_rows(s, d, "accounts", WM_SECT_ACCOUNT, false))
		return -1;
	wm_check_eval(k);
	top = wm_security_table(s, WM_SECT_DENIED_CLIENT, &ntop);
	if (ntop > 0)
		snprintf(most, sizeof most, ", most from %s (%llu)", top[0].key,
			 (unsigned long long)top[0].count);
	wm_check_set(k, k->state, "%llu refused (401/403, %s) %s, %.1f/h%s%s",
		     (unsigned long long)denied, nginx ? "nginx" : "backend", window,
		     (double)denied / hours(s), most,
		     k->state == WM_OK ? ": the protections answering" : "");
	free(top);
	return 0;
}

static int
brute_check(struct wm_security *s, struct wm_result *r, const char *window,
	    wm_security_threshold_fn fn, void *arg)
{
	struct wm_check *k = wm_result_add_check(r, "security.brute_force");
	size_t n;
	struct wm_security_brute *b;
	cJSON *d, *arr;

	if (!k)
		return -1;
	/* accounts count when no access log can name the client */
	M(k, "brute_forces", s->c.brute_forces + (s->c.access_lines ? 0 : s->c.brute_accounts), "",
	  NULL, "0");
	M(k, "brute_force_accounts", s->c.brute_accounts, "", NULL, NULL);
	if (!(b = wm_security_brutes(s, &n)))
		return -1;
	if (!(d = wm_check_data(k)) || !(arr = cJSON_AddArrayToObject(d, "incidents")) ||
	    !cJSON_AddNumberToObject(d, "fails", s->o.brute_fails) ||
	    !cJSON_AddNumberToObject(d, "window_s", s->o.brute_window_s)) {
		free(b);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject(), *accts;
		char acc[8][64];
		bool amb = false;
		size_t na = b[i].account ? 0 : wm_security_brute_accounts(s, &b[i], acc, 8, &amb);

		if (!o)
			break;
		cJSON_AddItemToArray(arr, o);
		cJSON_AddStringToObject(o, b[i].account ? "account" : "client", b[i].who);
		cJSON_AddNumberToObject(o, "failures", (double)b[i].failures);
		cJSON_AddNumberToObject(o, "most_in_window", (double)b[i].max_window);
		cJSON_AddItemToObject(o, "first_seen", wm_json_time(b[i].first_ms));
		cJSON_AddItemToObject(o, "last_seen", wm_json_time(b[i].last_ms));
		if (!b[i].account && (accts = cJSON_AddArrayToObject(o, "accounts"))) {
			for (size_t a = 0; a < na; a++)
				cJSON_AddItemToArray(accts, cJSON_CreateString(acc[a]));
			cJSON_AddBoolToObject(o, "accounts_ambiguous", amb);
		}
	}
	wm_check_eval(k);
	if (n > 0) {
		char acc[4][64], tried[300] = "", more[48] = "";
		bool amb = false;
		size_t na = b[0].account ? 0 : wm_security_brute_accounts(s, &b[0], acc, 4, &amb);

		for (size_t a = 0, w = 0; a < na && w < sizeof tried; a++)
			w += (size_t)snprintf(tried + w, sizeof tried - w, "%s%s",
					      a ? ", " : ", accounts tried: ", acc[a]);
		size_t same = 0;

		for (size_t i = 1; i < n; i++)
			same += b[i].account == b[0].account;
		if (same > 0)
			snprintf(more, sizeof more, "; %zu more", same);
		wm_check_set(k, k->state,
			     "brute force %s from %s%s: %llu failed logins, over the limit of %u "
			     "in %us%s%s%s",
			     window, b[0].account ? "account " : "", b[0].who,
			     (unsigned long long)b[0].failures, s->o.brute_fails,
			     s->o.brute_window_s, tried, amb ? " (ambiguous)" : "", more);
	} else
		wm_check_set(k, k->state, "no brute force %s (limit %u failed logins in %us)",
			     window, s->o.brute_fails, s->o.brute_window_s);
	free(b);
	return 0;
}

static int
attack_check(struct wm_security *s, struct wm_result *r, const char *window,
	     wm_security_threshold_fn fn, void *arg)
{
	const struct wm_security_counts *c = &s->c;
	struct wm_check *k = wm_result_add_check(r, "security.attacks");
	cJSON *d;

	if (!k)
		return -1;
	M(k, "attacks_2xx", sum(c->attacks_2xx), "", NULL, "0");
	M(k, "attacks", sum(c->attacks), "", NULL, NULL);
	M(k, "attacks_static_2xx", sum(c->attacks_static), "", NULL, NULL);
	/* by kind: labels in Prometheus (render_family.c), not names */
	if (!(d = wm_check_data(k)) || !kinds(d, "kinds", c->attacks) ||
	    !kinds(d, "kinds_2xx", c->attacks_2xx) ||
	    !kinds(d, "kinds_static_2xx", c->attacks_static) ||
	    !add_rows(s, d, "requests", WM_SECT_ATTACK, true) ||
	    !add_rows(s, d, "clients", WM_SECT_ATTACK_CLIENT, true))
		return -1;
	wm_check_eval(k);
	wm_check_set(
	    k, k->state, "%llu attack-shaped requests %s, %llu answered 2xx by the backend",
	    (unsigned long long)sum(c->attacks), window, (unsigned long long)sum(c->attacks_2xx));
	return 0;
}

static int
small_checks(struct wm_security *s, struct wm_result *r, const char *window,
	     wm_security_threshold_fn fn, void *arg)
{
	const struct wm_security_counts *c = &s->c;
	struct wm_check *k;
	cJSON *d;

	if (!(k = wm_result_add_check(r, "security.2fa")))
		return -1;
	M(k, "2fa_refused", c->tfa_required, "", NULL, NULL);
	M(k, "2fa_enabled", c->tfa_enabled, "", NULL, NULL);
	M(k, "2fa_verify_failed", c->tfa_verify_failed, "", NULL, NULL);
	if (!counts(k, "events", "refused", c->tfa_required, "enabled", c->tfa_enabled,
		    "verify_failed", c->tfa_verify_failed, NULL))
		return -1;
	wm_check_eval(k);
	wm_check_set(k, k->state,
		     "%llu admin requests refused for lacking 2FA, %llu bad codes, "
		     "%llu enabled %s",
		     (unsigned long long)c->tfa_required, (unsigned long long)c->tfa_verify_failed,
		     (unsigned long long)c->tfa_enabled, window);
	if (!(k = wm_result_add_check(r, "security.store_guard")))
		return -1;
	M(k, "store_denied", c->store_denied, "", NULL, NULL);
	M(k, "store_bulk_denied", c->store_bulk_denied, "", NULL, NULL);
	M(k, "store_not_assigned", c->store_not_assigned, "", NULL, NULL);
	M(k, "store_access_denied_code", c->store_code, "", NULL, NULL);
	if (!counts(k, "denials", "supervisor", c->store_denied, "bulk", c->store_bulk_denied,
		    "not_assigned", c->store_not_assigned, "code_only", c->store_code, NULL))
		return -1;
	wm_check_eval(k);
	wm_check_set(k, k->state,
		     "%llu supervisor store denials, %llu bulk, %llu store-less "
		     "refusals %s",
		     (unsigned long long)c->store_denied, (unsigned long long)c->store_bulk_denied,
		     (unsigned long long)c->store_not_assigned, window);
	if (!(k = wm_result_add_check(r, "security.rate_limit")))
		return -1;
	M(k, "rate_limited", c->rate_limited, "", NULL, NULL);
	M(k, "backend_rate_limited", c->backend_rate_limited, "", NULL, NULL);
	if (!counts(k, "sources", "nginx", c->rate_limited, "backend", c->backend_rate_limited,
		    NULL))
		return -1;
	wm_check_eval(k);
	wm_check_set(k, k->state, "%llu answers 429, %llu rate-limit lines %s",
		     (unsigned long long)c->rate_limited,
		     (unsigned long long)c->backend_rate_limited, window);
	if (!(k = wm_result_add_check(r, "security.words")))
		return -1;
	M(k, "intrusion_words", c->words, "", NULL, "0");
	if (!(d = wm_check_data(k)) || !add_rows(s, d, "lines", WM_SECT_WORD, false))
		return -1;
	wm_check_eval(k);
	wm_check_set(k, k->state, "%llu lines with an intrusion word (%s) %s",
		     (unsigned long long)c->words, *s->o.words ? s->o.words : "none", window);
	return 0;
}

/* An expected source that gave no line makes security.violations UNKNOWN:
 * "no violation" would be a claim about lines never read.  Violations found
 * in the lines read stand (their state kept), the silent source named. */
static void
missing(const struct wm_security *s, struct wm_check *k, uint64_t v, const char *window)
{
	const struct wm_security_counts *c = &s->c;
	unsigned ex = s->o.expect;
	bool acc = (ex & WM_SECURITY_EXPECT_ACCESS) && !c->access_lines;
	bool be = (ex & WM_SECURITY_EXPECT_BACKEND) && !c->backend_lines;

	if (!ex && !c->access_lines && !c->backend_lines)
		acc = be = true;
	if (!acc && !be)
		return;
	if (v)
		wm_check_set(k, k->state, "%s; no lines read from %s%s%s", k->summary,
			     acc ? "the nginx access log" : "", acc && be ? " or " : "",
			     be ? "the backend log" : "");
	else
		wm_check_set(k, WM_UNKNOWN, "no lines read from %s%s%s %s",
			     acc ? "the nginx access log" : "", acc && be ? " or " : "",
			     be ? "the backend log" : "", window);
}

int
wm_security_report(struct wm_security *s, struct wm_result *r, const char *window,
		   wm_security_threshold_fn fn, void *arg)
{
	const struct wm_security_counts *c = &s->c;
	uint64_t brutes = c->brute_forces + (c->access_lines ? 0 : c->brute_accounts);
	uint64_t a2 = sum(c->attacks_2xx), v = brutes + a2 + c->words;
	struct wm_check *k = wm_result_add_check(r, "security.violations");

	if (!k)
		return -1;
	M(k, "violations", v, "", NULL, "0");
	wm_check_eval(k);
	if (v)
		wm_check_set(k, k->state,
			     "%llu security violation(s) %s: %llu brute forces, %llu attack-shaped "
			     "requests answered 2xx, %llu intrusion words",
			     (unsigned long long)v, window, (unsigned long long)brutes,
			     (unsigned long long)a2, (unsigned long long)c->words);
	else
		wm_check_set(k, k->state, "no security violation %s", window);
	missing(s, k, v, window);
	if (auth_check(s, r, window, fn, arg) < 0 || brute_check(s, r, window, fn, arg) < 0 ||
	    attack_check(s, r, window, fn, arg) < 0 || small_checks(s, r, window, fn, arg) < 0)
		return -1;
	return 0;
}
