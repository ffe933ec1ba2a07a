/* security.c - the security analyzer on the log stream (see security.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfield.h"
#include "checks/perf.h"
#include "checks/security_int.h"

static void
defaults(struct wm_security_opts *o)
{
	if (!o->access_format)
		o->access_format = WM_ACCESSLOG_WORLD;
	if (!o->brute_fails)
		o->brute_fails = WM_SECURITY_BRUTE_FAILS;
	if (o->brute_fails > WM_SECURITY_BRUTE_FAILS_MAX)
		o->brute_fails = WM_SECURITY_BRUTE_FAILS_MAX;
	if (!o->brute_window_s)
		o->brute_window_s = WM_SECURITY_BRUTE_WINDOW_S;
	if (o->denied_warn_per_h == 0)
		o->denied_warn_per_h = WM_SECURITY_DENIED_WARN_PER_H;
	if (!o->login_paths)
		o->login_paths = WM_SECURITY_LOGIN_PATHS;
	if (!o->scanner_paths)
		o->scanner_paths = WM_SECURITY_SCANNER_PATHS;
	if (!o->words)
		o->words = WM_SECURITY_WORDS;
	if (!o->top)
		o->top = WM_SECURITY_TOP;
	if (!o->slots)
		o->slots = WM_SECURITY_SLOTS;
}

struct wm_security *
wm_security_new(const struct wm_security_opts *o, struct wm_err *err)
{
	struct wm_security *s = calloc(1, sizeof *s);

	if (!s) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	s->o = *o;
	defaults(&s->o);
	s->c.first_ms = s->c.last_ms = -1;
	s->attempt_ms = -1;
	if (wm_accesslog_format_parse(&s->fmt, s->o.access_format, err) < 0)
		goto out_free;
	for (size_t i = 0; i < s->fmt.n; i++)
		s->fmt_upstream |=
		    s->fmt.item[i].var && s->fmt.item[i].which == WM_ALV_UPSTREAM_TIME;
	for (int i = 0; i < WM_SECT_COUNT; i++)
		if (sec_table_init(&s->t[i], s->o.slots, 0) < 0)
			goto out_nomem;
	if (sec_table_init(&s->brute_client, s->o.slots, s->o.brute_fails) < 0 ||
	    sec_table_init(&s->brute_account, s->o.slots, s->o.brute_fails) < 0 ||
	    !(s->join = calloc(WM_SECURITY_JOIN, sizeof *s->join)))
		goto out_nomem;
	return s;
out_nomem:
	wm_err_set(err, WM_ENOMEM, "out of memory");
out_free:
	wm_security_free(s);
	return NULL;
}

void
wm_security_free(struct wm_security *s)
{
	if (!s)
		return;
	for (int i = 0; i < WM_SECT_COUNT; i++)
		sec_table_free(&s->t[i]);
	sec_table_free(&s->brute_client);
	sec_table_free(&s->brute_account);
	free(s->join);
	free(s);
}

const struct wm_security_opts *
wm_security_options(const struct wm_security *s)
{
	return &s->o;
}

const struct wm_security_counts *
wm_security_counts(const struct wm_security *s)
{
	return &s->c;
}

static void hit(struct wm_security *s, int table, int64_t ts, bool ok2xx, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Count key (printf-style, cut at SEC_KEY_MAX) in one table. */
static void
hit(struct wm_security *s, int table, int64_t ts, bool ok2xx, const char *fmt, ...)
{
	char key[SEC_KEY_MAX];
	struct sec_entry *e;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(key, sizeof key, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	e = sec_table_hit(&s->t[table], key, strlen(key), ts);
	if (e && ok2xx)
		e->count_2xx++;
}

/* A failed login by who (client address or masked account) at ts. */
static void
failed_login(struct wm_security *s, struct sec_table *t, const char *who, size_t len, int64_t ts)
{
	struct sec_entry *e = sec_table_hit(t, who, len, ts);

	if (!e)
		return;
	if (sec_table_fail(t, e, ts, s->o.brute_fails, (int64_t)s->o.brute_window_s * 1000) &&
	    !e->over) {
		e->over = true;
		if (t == &s->brute_client)
			s->c.brute_forces++;
		else
			s->c.brute_accounts++;
	}
}

/* A value nginx escaped (\xHH) or a client sent: printable ASCII only in keys. */
static int
clean(const char *p, size_t n, char *out, size_t cap)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < cap; i++)
		out[k++] = (unsigned char)p[i] >= ' ' && (unsigned char)p[i] < 0x7f ? p[i] : '?';
	out[k] = '\0';
	return (int)k;
}

static void
access_line(struct wm_security *s, const struct wm_accesslog_entry *a, int64_t ts)
{
	struct wm_al_str who = wm_accesslog_client(a, !s->o.no_trust_private);
	char client[64], path[96], method[16], route[96];
	bool login, ok2xx = a->status >= 200 && a->status < 300;
	unsigned shape = 0;

	s->c.access_lines++;
	if (wm_accesslog_self(a->agent.p, a->agent.len, s->o.self_mark)) {
		s->c.self_lines++; /* our probes' 401s are by design, not an attack */
		return;
	}
	clean(who.p ? who.p : "-", who.p ? who.len : 1, client, sizeof client);
	clean(a->path.p ? a->path.p : "-", a->path.p ? a->path.len : 1, path, sizeof path);
	clean(a->method.p ? a->method.p : "-", a->method.p ? a->method.len : 1, method,
	      sizeof method);
	login = a->path.p && wm_security_path_in(a->path.p, a->path.len, s->o.login_paths);
	/* ids masked: one row per route, not per tenant or order */
	if (a->path.p)
		wm_perf_route(method, strlen(method), a->path.p, a->path.len, route, sizeof route);
	else
		snprintf(route, sizeof route, "%s -", method);
	if (a->status == 401 || a->status == 403) {
		if (a->status == 401)
			s->c.unauthorized++;
		else
			s->c.forbidden++;
		hit(s, WM_SECT_DENIED_PATH, ts, false, "%d %s", a->status, route);
		hit(s, WM_SECT_DENIED_CLIENT, ts, false, "%s", client);
	}
	if (a->status == 429)
		s->c.rate_limited++;
	if (a->status == 401 && a->path.p &&
	    wm_security_path_in(a->path.p, a->path.len, WM_SECURITY_2FA_VERIFY))
		s->c.tfa_verify_failed++;
	if (login && (a->status == 401 || a->status == 429))
		failed_login(s, &s->brute_client, client, strlen(client), ts);
	if (a->path.p) {
		/* path and query are contiguous in the line */
		const char *end = a->query.p ? a->query.p + a->query.len : a->path.p + a->path.len;

		shape = wm_security_attack_shape(a->path.p, (size_t)(end - a->path.p),
						 s->o.scanner_paths);
	}
	if (shape) {
		/* a 2xx nginx answered itself (no upstream) is a static fallback */
		bool stat = ok2xx && s->fmt_upstream && a->upstream_time < 0;
		int first = -1;

		for (int k = 0; k < WM_ATTACK_COUNT; k++)
			if (shape & (1u << k)) {
				s->c.attacks[k]++;
				s->c.attacks_2xx[k] += ok2xx && !stat;
				s->c.attacks_static[k] += stat;
				if (first < 0)
					first = k;
			}
		hit(s, WM_SECT_ATTACK, ts, ok2xx && !stat, "%s %s %s", wm_attack_name(first),
		    method, path);
		hit(s, WM_SECT_ATTACK_CLIENT, ts, ok2xx && !stat, "%s", client);
	}
}

static bool
starts(const char *m, size_t n, const char *p)
{
	size_t pl = strlen(p);

	return n >= pl && memcmp(m, p, pl) == 0;
}

static bool
has(const char *m, size_t n, const char *p)
{
	size_t pl = strlen(p);

	for (size_t i = 0; i + pl <= n; i++)
		if (m[i] == p[0] && memcmp(m + i, p, pl) == 0)
			return true;
	return false;
}

static void
join_push(struct wm_security *s, const char *account, int64_t ts)
{
	struct sec_join *j = &s->join[s->join_next];

	j->ts_ms = ts;
	snprintf(j->account, sizeof j->account, "%s", account);
	s->join_next = (s->join_next + 1) % WM_SECURITY_JOIN;
	if (s->join_n < WM_SECURITY_JOIN)
		s->join_n++;
}

/* A backend failed login: the account of the "Login attempt:" just before
 * it on the same stream (within 5 s), masked. */
static void
backend_login_failed(struct wm_security *s, int64_t ts)
{
	const char *acct =
	    s->attempt[0] && (ts < 0 || s->attempt_ms < 0 || ts - s->attempt_ms <= 5000)
		? s->attempt
		: "(unknown)";

	s->c.login_failed++;
	hit(s, WM_SECT_ACCOUNT, ts, false, "%s", acct);
	join_push(s, acct, ts);
	if (strcmp(acct, "(unknown)") != 0)
		failed_login(s, &s->brute_account, acct, strlen(acct), ts);
	s->attempt[0] = '\0';
}

static void
backend_line(struct wm_security *s, const struct wm_logline *ll, const char *m, size_t n,
	     int64_t ts)
{
	const char *v;
	size_t vl;
	bool counted = true, str;

	s->c.backend_lines++;
	if (starts(m, n, "Login attempt:")) {
		if (wm_jsonfield(ll->text, ll->text_len, "email", &v, &vl, &str) && str) {
			wm_security_mask_email(v, vl, s->attempt, sizeof s->attempt);
			s->attempt_ms = ts;
		}
		return;
	}
	if (starts(m, n, "2FA required but not enabled"))
		s->c.tfa_required++;
	else if (has(m, n, "2FA enabled successfully"))
		s->c.tfa_enabled++;
	else if (starts(m, n, "Auth route error [LOGIN]"))
		backend_login_failed(s, ts);
	else if (has(m, n, "STORE_NOT_ASSIGNED") ||
		 has(ll->text, ll->text_len, "\"code\":\"STORE_NOT_ASSIGNED\""))
		s->c.store_not_assigned++, s->c.backend_forbidden++;
	else if (starts(m, n, "Unauthorized:"))
		s->c.backend_unauthorized++;
	else if (starts(m, n, "Forbidden:"))
		s->c.backend_forbidden++;
	else if (starts(m, n, "Supervisor store access denied"))
		s->c.store_denied++;
	else if (starts(m, n, "Supervisor bulk operation denied"))
		s->c.store_bulk_denied++;
	else if (has(ll->text, ll->text_len, "STORE_ACCESS_DENIED"))
		s->c.store_code++;
	else if (has(m, n, "Too many login attempts") || has(m, n, "Rate limit exceeded") ||
		 has(m, n, "rate limit exceeded"))
		s->c.backend_rate_limited++;
	else if (ll->status == 401 && ll->format == WM_LOGFMT_JSON)
		s->c.backend_unauthorized++;
	else if (ll->status == 403 && ll->format == WM_LOGFMT_JSON)
		s->c.backend_forbidden++;
	else
		counted = false;
	if (counted) {
		char key[SEC_KEY_MAX];

		clean(m, n, key, 80);
		hit(s, WM_SECT_MESSAGE, ts, false, "%s", key);
	}
}

static void
on_line(void *ctx, const struct wm_logline *ll)
{
	struct wm_security *s = ctx;
	struct wm_accesslog_entry a;
	const char *m;
	size_t n;
	int64_t ts = ll->ts_ms;

	if (ts >= 0) {
		if (s->c.first_ms < 0 || ts < s->c.first_ms)
			s->c.first_ms = ts;
		if (ts > s->c.last_ms)
			s->c.last_ms = ts;
	}
	if ((ll->format == WM_LOGFMT_NGINX_ACCESS || ll->format == WM_LOGFMT_TEXT) &&
	    wm_accesslog_parse(&s->fmt, &a, ll->text, ll->text_len)) {
		access_line(s, &a, ts >= 0 ? ts : a.ts_ms);
		return;
	}
	n = wm_logline_message(ll, s->msg, sizeof s->msg, &m);
	if (ll->format == WM_LOGFMT_JSON)
		backend_line(s, ll, m, n, ts);
	else
		s->c.other_lines++;
	if (*s->o.words) {
		const char *w;
		size_t wl;
		char sig[SEC_KEY_MAX];

		if (wm_security_word(m, n, s->o.words, &w, &wl)) {
			s->c.words++;
			clean(m, n, sig, 80);
			hit(s, WM_SECT_WORD, ts, false, "%.*s: %s", (int)wl, w, sig);
		}
	}
}

struct wm_log_analyzer
wm_security_analyzer(struct wm_security *s)
{
	struct wm_log_analyzer a = {on_line, s};

	return a;
}
