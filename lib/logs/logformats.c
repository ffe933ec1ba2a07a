/* logformats.c - recognisers for the structured line formats (see logline.h).
 * Each one checks the shape cheaply first and gives up (returns false,
 * leaving the level alone) on the first byte that does not fit. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "logs/logline_int.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* ---- JSON: a flat scan of the top-level object, nested values skipped ---- */

struct jscan {
	const char *s;
	size_t n, i;
};

static void
jws(struct jscan *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t'))
		j->i++;
}

/* At a quote: the string's inside in p and len; *esc (when esc is not NULL)
 * says whether it holds a backslash, which only a message needs to know. */
static bool
jstring(struct jscan *j, const char **p, size_t *len, bool *esc)
{
	const char *start = j->s + j->i + 1, *end = j->s + j->n, *q = start;

	/* memchr to each quote; a quote after an odd run of backslashes is escaped */
	for (;;) {
		const char *b;

		q = q < end ? memchr(q, '"', (size_t)(end - q)) : NULL;
		if (!q)
			return false;
		for (b = q; b > start && b[-1] == '\\'; b--)
			;
		if ((q - b) % 2 == 0)
			break;
		q++;
	}
	*p = start;
	*len = (size_t)(q - start);
	if (esc)
		*esc = memchr(start, '\\', *len) != NULL;
	j->i = (size_t)(q - j->s) + 1;
	return true;
}

/* Skip any value; nested objects and arrays by depth counting (no recursion). */
static bool
jskip(struct jscan *j)
{
	int depth = 0;

	if (j->i >= j->n)
		return false;
	if (j->s[j->i] != '{' && j->s[j->i] != '[') {
		while (j->i < j->n && j->s[j->i] != ',' && j->s[j->i] != '}' && j->s[j->i] != ' ')
			j->i++;
		return true;
	}
	while (j->i < j->n) {
		char c = j->s[j->i];

		if (c == '"') {
			const char *p;
			size_t l;

			if (!jstring(j, &p, &l, NULL))
				return false;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0) {
			j->i++;
			return true;
		}
		j->i++;
	}
	return false;
}

/* k[0..kl) is the literal name (a macro: the length is known at compile time) */
#define key_is(k, kl, name) ((kl) == sizeof(name) - 1 && memcmp((k), (name), (kl)) == 0)

static double
jnumber(const char *p, size_t n, bool *ok)
{
	char tmp[40];
	char *end;
	double v;

	*ok = false;
	if (n == 0 || n >= sizeof tmp)
		return 0;
	if (n <= 15) {
		/* plain digits (pino's level and time): exact in a double, no strtod */
		int64_t iv = 0;
		size_t k;

		for (k = 0; k < n && wm_isdigit(p[k]); k++)
			iv = iv * 10 + (p[k] - '0');
		if (k == n) {
			*ok = true;
			return (double)iv;
		}
	}
	memcpy(tmp, p, n);
	tmp[n] = '\0';
	v = strtod(tmp, &end);
	*ok = end != tmp;
	return v;
}

/* winston's colorize() inside JSON: "\u001b[31merror\u001b[39m".  The level
 * without its escaped colour codes; WM_LVL_UNKNOWN when it is none. */
static int
coloured_level(const char *v, size_t vl)
{
	char word[16];
	size_t n = 0, i = 0;

	while (i < vl) {
		if (i + 7 <= vl && memcmp(v + i, "\\u001b[", 7) == 0) {
			for (i += 7; i < vl && v[i] != 'm'; i++)
				;
			i++;
		} else if (n < sizeof word) {
			word[n++] = v[i++];
		} else {
			return WM_LVL_UNKNOWN;
		}
	}
	return wm_level_parse(word, n);
}

static void
json_value(struct wm_logline *ll, const char *k, size_t kl, const char *v, size_t vl, bool str,
	   bool esc)
{
	bool ok;
	double d;
	int64_t ms;

	if (key_is(k, kl, "level") || key_is(k, kl, "severity") || key_is(k, kl, "lvl") ||
	    key_is(k, kl, "loglevel") || key_is(k, kl, "log.level")) {
		int lvl = str ? wm_level_parse(v, vl) : wm_level_from_number(jnumber(v, vl, &ok));

		if (lvl == WM_LVL_UNKNOWN && str && vl > 6 && v[0] == '\\')
			lvl = coloured_level(v, vl);

		if (lvl != WM_LVL_UNKNOWN && !ll->structured) {
			ll->level = lvl;
			ll->structured = true;
		}
	} else if (str && (key_is(k, kl, "message") || key_is(k, kl, "msg"))) {
		/* "message" over "msg"; of two alike, the first (as level and time) */
		if (ll->msg == ll->text || (key_is(k, kl, "message") && !ll->msg_is_message)) {
			ll->msg_is_message = key_is(k, kl, "message");
			ll->msg = v;
			ll->msg_len = vl;
			ll->msg_escaped = esc;
		}
	} else if (key_is(k, kl, "timestamp") || key_is(k, kl, "time") || key_is(k, kl, "ts") ||
		   key_is(k, kl, "@timestamp")) {
		if (ll->ts_ms >= 0)
			return;
		if (str && wm_ll_iso(v, vl, &ms, ll) > 0)
			ll->ts_ms = ms;
		else if (!str && (d = jnumber(v, vl, &ok), ok) && d > 0 && d < 1e15)
			/* seconds or ms; 1e15 ms (year 33658) bounds the cast (1e999 is inf) */
			ll->ts_ms = (int64_t)(d < 1e11 ? d * 1000 : d);
	} else if (!str && (key_is(k, kl, "statusCode") || key_is(k, kl, "status"))) {
		d = jnumber(v, vl, &ok);
		if (ok && d >= 100 && d < 1000)
			ll->status = (int)d;
	} else if (str && key_is(k, kl, "method")) {
		ll->method = v, ll->method_len = vl;
	} else if (str && key_is(k, kl, "path")) {
		ll->path = v, ll->path_len = vl;
	} else if (str && key_is(k, kl, "ip")) {
		ll->ip = v, ll->ip_len = vl;
	}
}

bool
wm_ll_json(struct wm_logline *ll, const char *s, size_t n, bool lazy)
{
	struct jscan j = {s, n, 0};
	int keys = 0;

	jws(&j);
	if (j.i >= n || s[j.i] != '{')
		return false;
	j.i++;
	for (;;) {
		const char *k, *v;
		size_t kl, vl;
		bool msgkey;

		jws(&j);
		if (j.i >= n || s[j.i] != '"' || !jstring(&j, &k, &kl, NULL))
			break;
		jws(&j);
		if (j.i >= n || s[j.i] != ':')
			break;
		j.i++;
		jws(&j);
		if (j.i < n && s[j.i] == '"') {
			if (!jstring(&j, &v, &vl, NULL))
				break;
			msgkey = key_is(k, kl, "message") || key_is(k, kl, "msg");
			json_value(ll, k, kl, v, vl, true, msgkey && memchr(v, '\\', vl) != NULL);
		} else {
			size_t start = j.i;

			if (!jskip(&j))
				break;
			json_value(ll, k, kl, s + start, j.i - start, false, false);
		}
		keys++;
		if (lazy && ll->structured && ll->msg_is_message && ll->ts_ms >= 0)
			break; /* nothing after can change level, message or time */
		jws(&j);
		if (j.i >= n || s[j.i] != ',')
			break;
		j.i++;
	}
	if (keys == 0)
		return false;
	ll->format = WM_LOGFMT_JSON;
	return true;
}

/* ---- logfmt: key=value pairs, value bare or "quoted" ---- */

bool
wm_ll_logfmt(struct wm_logline *ll, const char *s, size_t n)
{
	size_t i = 0;
	int pairs = 0;

	while (i < n) {
		size_t ks = i, kl, vs, vl;
		bool q = false;

		while (i < n && (wm_isalpha(s[i]) || s[i] == '_' || s[i] == '.'))
			i++;
		kl = i - ks;
		if (kl == 0 || i >= n || s[i] != '=')
			break;
		vs = ++i;
		if (i < n && s[i] == '"') {
			q = true;
			for (vs = ++i; i < n && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			vl = (i < n ? i : n) - vs;
			i++;
		} else {
			while (i < n && s[i] != ' ')
				i++;
			vl = i - vs;
		}
		json_value(ll, s + ks, kl, s + vs, vs + vl <= n ? vl : n - vs, true, q);
		pairs++;
		while (i < n && s[i] == ' ')
			i++;
	}
	if (pairs < 2 || !ll->structured)
		return false;
	ll->format = WM_LOGFMT_LOGFMT;
	return true;
}

/* ---- nginx access log: combined / main / timed ---- */

static const char *
find_char(const char *s, size_t n, size_t i, char c)
{
	return i < n ? memchr(s + i, c, n - i) : NULL;
}

/* "0.002, 0.004 : 0.010" -> sum; "-" -> -1. */
static double
sum_times(const char *p, size_t n)
{
	double sum = 0;
	int got = 0;

	for (size_t i = 0; i < n;) {
		char tmp[24];
		size_t k = 0;
		char *end;

		while (i < n && !(wm_isdigit(p[i]) || p[i] == '.'))
			i++;
		while (i < n && (wm_isdigit(p[i]) || p[i] == '.') && k + 1 < sizeof tmp)
			tmp[k++] = p[i++];
		if (k == 0)
			break;
		tmp[k] = '\0';
		sum += strtod(tmp, &end);
		got = 1;
	}
	return got ? sum : -1;
}

/* The timing fields " rt=..." and " urt=\"...\"" after the status: found
 * from their '=' (memchr: most access lines have few or none) instead of
 * from every space.  A field starts at a space p with i <= p < n - 4, so its
 * '=' is at p + 3 (rt) or p + 4 (urt, which also needs p + 6 < n); a later
 * field of the same name wins, as when they were looked for space by space. */
static void
access_timing(struct wm_logline *ll, const char *s, size_t n, size_t i)
{
	const char *eq;

	if (n < 4)
		return;
	for (size_t e = i + 3; e + 1 < n && (eq = memchr(s + e, '=', n - 1 - e)) != NULL;
	     e = (size_t)(eq - s) + 1) {
		size_t j, p;

		e = (size_t)(eq - s);
		if (s[e - 3] == ' ' && s[e - 2] == 'r' && s[e - 1] == 't') {
			p = e - 3;
			for (j = p + 4; j < n && s[j] != ' '; j++)
				;
			ll->request_time = sum_times(s + p + 4, j - p - 4);
		} else if (e >= i + 4 && e + 2 < n && s[e - 4] == ' ' && s[e - 3] == 'u' &&
			   s[e - 2] == 'r' && s[e - 1] == 't' && s[e + 1] == '"') {
			const char *q = find_char(s, n, e + 2, '"');

			p = e - 4;
			j = q ? (size_t)(q - s) : n;
			ll->upstream_response_time = sum_times(s + p + 6, j - p - 6);
		}
	}
}

/* The combined format's user agent, from i at $bytes:
 * the second quoted field ('"$http_referer" "$http_user_agent"'); nginx
 * writes a '"' inside a value as \x22, so a value ends at the next '"'. */
static void
access_agent(struct wm_logline *ll, const char *s, size_t n, size_t i)
{
	const char *sp = find_char(s, n, i, ' '), *q;

	if (!sp || (size_t)(sp - s) + 2 >= n || sp[1] != '"')
		return;
	q = find_char(s, n, (size_t)(sp - s) + 2, '"'); /* the referer's end */
	if (!q || (size_t)(q - s) + 3 >= n || q[1] != ' ' || q[2] != '"')
		return;
	i = (size_t)(q - s) + 3;
	if (!(q = find_char(s, n, i, '"')))
		return;
	ll->agent = s + i;
	ll->agent_len = (size_t)(q - s) - i;
}

bool
wm_ll_nginx_access(struct wm_logline *ll, const char *s, size_t n)
{
	const char *sp1, *lb, *rb, *q1, *q2;
	size_t i, rs;
	int d, mo, y, h, mi, sec, st;

	sp1 = find_char(s, n, 0, ' ');
	if (!sp1 || sp1 == s || sp1 - s > 64)
		return false;
	/* the '[' must be within 300 bytes of the first space: look no further */
	lb = find_char(s, (size_t)(sp1 - s) + 301 < n ? (size_t)(sp1 - s) + 301 : n,
		       (size_t)(sp1 - s), '[');
	if (!lb || lb[-1] != ' ')
		return false;
	i = (size_t)(lb - s) + 1;
	if (i + 21 > n)
		return false;
	if (!wm_ll_digits(s, n, i, 2, &d) || s[i + 2] != '/' || !(mo = wm_ll_month(s, n, i + 3)) ||
	    !wm_ll_digits(s, n, i + 7, 4, &y) || !wm_ll_digits(s, n, i + 12, 2, &h) ||
	    !wm_ll_digits(s, n, i + 15, 2, &mi) || !wm_ll_digits(s, n, i + 18, 2, &sec))
		return false;
	rb = find_char(s, n, i, ']');
	if (!rb || rb + 3 > s + n || rb[1] != ' ' || rb[2] != '"')
		return false;
	q1 = rb + 2;
	q2 = find_char(s, n, (size_t)(q1 - s) + 1, '"');
	if (!q2 || !wm_ll_digits(s, n, (size_t)(q2 - s) + 2, 3, &st) || q2[1] != ' ')
		return false;
	ll->format = WM_LOGFMT_NGINX_ACCESS;
	ll->structured = true;
	ll->status = st;
	ll->level = st >= 500 ? WM_LVL_ERROR : WM_LVL_INFO;
	ll->ip = s;
	ll->ip_len = (size_t)(sp1 - s);
	{
		int off = 0, oh, om;
		size_t z = i + 21;

		if (z + 5 <= n && (s[z] == '+' || s[z] == '-') &&
		    wm_ll_digits(s, n, z + 1, 2, &oh) && wm_ll_digits(s, n, z + 3, 2, &om))
			off = (s[z] == '-' ? -1 : 1) * (oh * 60 + om);
		if (ll->ts_ms < 0)
			ll->ts_ms = wm_ll_utc_ms(y, mo, d, h, mi, sec, 0) - (int64_t)off * 60000;
	}
	/* request line: METHOD PATH PROTO */
	rs = (size_t)(q1 - s) + 1;
	{
		const char *m_end = find_char(s, (size_t)(q2 - s), rs, ' ');

		if (m_end) {
			const char *p_end =
			    find_char(s, (size_t)(q2 - s), (size_t)(m_end - s) + 1, ' ');

			ll->method = s + rs;
			ll->method_len = (size_t)(m_end - s) - rs;
			ll->path = m_end + 1;
			ll->path_len = (size_t)((p_end ? p_end : q2) - ll->path);
		}
	}
	ll->msg = q1;
	ll->msg_len = (size_t)(q2 - q1) + 5;
	access_timing(ll, s, n, (size_t)(q2 - s) + 5);
	access_agent(ll, s, n, (size_t)(q2 - s) + 6); /* after "$status " */
	return true;
}

/* ---- nginx error log: "2025/05/01 01:52:14 [error] 20#20: *1 ..." ---- */

static bool
bracket_level(struct wm_logline *ll, const char *s, size_t n, size_t i, size_t *after)
{
	const char *rb;
	size_t ws;
	int lvl;

	if (i >= n || s[i] != '[')
		return false;
	rb = find_char(s, n, i + 1, ']');
	if (!rb || (size_t)(rb - s) - i > 24)
		return false;
	/* Apache 2.4 writes "[core:error]": the level is after the last ':' */
	for (ws = (size_t)(rb - s); ws > i + 1 && s[ws - 1] != ':'; ws--)
		;
	lvl = wm_level_parse(s + ws, (size_t)(rb - s) - ws);
	if (lvl == WM_LVL_UNKNOWN)
		return false;
	ll->level = lvl;
	ll->structured = true;
	*after = (size_t)(rb - s) + 1;
	while (*after < n && s[*after] == ' ')
		(*after)++;
	return true;
}

bool
wm_ll_nginx_error(struct wm_logline *ll, const char *s, size_t n)
{
	int y, mo, d, h, mi, sec;
	size_t after;

	if (n < 21 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[19] != ' ' ||
	    !wm_ll_digits(s, n, 0, 4, &y) || !wm_ll_digits(s, n, 5, 2, &mo) ||
	    !wm_ll_digits(s, n, 8, 2, &d) || !wm_ll_digits(s, n, 11, 2, &h) ||
	    !wm_ll_digits(s, n, 14, 2, &mi) || !wm_ll_digits(s, n, 17, 2, &sec))
		return false;
	if (!bracket_level(ll, s, n, 20, &after))
		return false;
	ll->format = WM_LOGFMT_NGINX_ERROR;
	if (ll->ts_ms < 0)
		ll->ts_ms = wm_ll_utc_ms(y, mo, d, h, mi, sec, 0);
	/* skip "pid#tid: " and "*cid " so the message groups across workers */
	{
		const char *colon = find_char(s, n, after, ':');

		if (colon && colon - s - after < 24 &&
		    find_char(s, (size_t)(colon - s), after, '#'))
			after = (size_t)(colon - s) + 1;
		while (after < n && s[after] == ' ')
			after++;
		if (after < n && s[after] == '*') {
			while (after < n && s[after] != ' ')
				after++;
			while (after < n && s[after] == ' ')
				after++;
		}
	}
	ll->msg = s + after;
	ll->msg_len = n - after;
	return true;
}

/* ---- Apache error log: "[Sun Dec 04 04:47:44 2005] [error] ..." ---- */

bool
wm_ll_apache_error(struct wm_logline *ll, const char *s, size_t n)
{
	const char *rb;
	size_t after;
	int mo, d, h, mi, sec, y;

	if (n < 3 || s[0] != '[')
		return false;
	rb = find_char(s, n < 64 ? n : 64, 1, ']');
	if (!rb || rb + 2 >= s + n || rb[1] != ' ')
		return false;
	if (!bracket_level(ll, s, n, (size_t)(rb - s) + 2, &after))
		return false;
	ll->format = WM_LOGFMT_APACHE_ERROR;
	/* "Www Mmm dd hh:mm:ss yyyy" (2.2; 2.4 adds .micro before the year) */
	if (ll->ts_ms < 0 && (mo = wm_ll_month(s, n, 5)) && wm_ll_digits(s, n, 9, 2, &d) &&
	    wm_ll_digits(s, n, 12, 2, &h) && wm_ll_digits(s, n, 15, 2, &mi) &&
	    wm_ll_digits(s, n, 18, 2, &sec) && wm_ll_digits(s, n, (size_t)(rb - s) - 4, 4, &y))
		ll->ts_ms = wm_ll_utc_ms(y, mo, d, h, mi, sec, 0);
	ll->msg = s + after;
	ll->msg_len = n - after;
	return true;
}

/* ---- PostgreSQL: "<prefix> SEVERITY:  message" ---- */

#define PG(w, l)                                                                                   \
	{                                                                                          \
		w, sizeof(w) - 1, l                                                                \
	}
static const struct {
	const char *word;
	size_t len;
	int level;
} pg_sev[] = {
    PG("LOG", WM_LVL_INFO),	  PG("INFO", WM_LVL_INFO),     PG("NOTICE", WM_LVL_INFO),
    PG("STATEMENT", WM_LVL_INFO), PG("DETAIL", WM_LVL_INFO),   PG("HINT", WM_LVL_INFO),
    PG("CONTEXT", WM_LVL_INFO),	  PG("LOCATION", WM_LVL_INFO), PG("QUERY", WM_LVL_INFO),
    PG("WARNING", WM_LVL_WARN),	  PG("ERROR", WM_LVL_ERROR),   PG("FATAL", WM_LVL_CRITICAL),
    PG("PANIC", WM_LVL_CRITICAL), PG("DEBUG1", WM_LVL_DEBUG),  PG("DEBUG2", WM_LVL_DEBUG),
    PG("DEBUG3", WM_LVL_DEBUG),	  PG("DEBUG4", WM_LVL_DEBUG),  PG("DEBUG5", WM_LVL_DEBUG),
};
#undef PG

/* The severity word ending at the colon s[w] ("ERROR" in "... ERROR:  "):
 * its level, and its start in *start; -1 when there is none. */
static int
pg_word(const char *s, size_t w, size_t *start)
{
	size_t i = w;

	while (i > 0 && (wm_isupper(s[i - 1]) || wm_isdigit(s[i - 1])))
		i--;
	if (i == w || !wm_isupper(s[i]) || (i > 0 && s[i - 1] != ' '))
		return -1;
	for (size_t k = 0; k < sizeof pg_sev / sizeof pg_sev[0]; k++)
		if (pg_sev[k].len == w - i && memcmp(pg_sev[k].word, s + i, w - i) == 0) {
			*start = i;
			return pg_sev[k].level;
		}
	return -1;
}

/* The next ":  " at or after i that starts before end (and fits in n):
 * its offset, or n when there is none (pg_next).  16 offsets at a time with
 * SSE2: bit j of pg_colons16 says s[j..j+3) is ":  " (reads s[0..18)). */
#if defined(__SSE2__)
static inline unsigned
pg_colons16(const char *s)
{
	__m128i c = _mm_loadu_si128((const __m128i *)(const void *)s),
		s1 = _mm_loadu_si128((const __m128i *)(const void *)(s + 1)),
		s2 = _mm_loadu_si128((const __m128i *)(const void *)(s + 2)),
		sp = _mm_set1_epi8(' ');

	return (unsigned)_mm_movemask_epi8(
	    _mm_and_si128(_mm_cmpeq_epi8(c, _mm_set1_epi8(':')),
			  _mm_and_si128(_mm_cmpeq_epi8(s1, sp), _mm_cmpeq_epi8(s2, sp))));
}
#endif

static size_t
pg_next(const char *s, size_t n, size_t end, size_t i)
{
#if defined(__SSE2__)
	unsigned m;

	for (; i < end && i + 16 + 2 <= n; i += 16)
		if ((m = pg_colons16(s + i)) != 0) {
			i += (size_t)__builtin_ctz(m);
			return i < end ? i : n;
		}
	if (i < end && n >= 18) {
		/* the last offsets: the last 16, without those before i */
		size_t k = n - 18;

		if ((m = pg_colons16(s + k) & (~0u << (i - k))) != 0) {
			i = k + (size_t)__builtin_ctz(m);
			return i < end ? i : n;
		}
		return n;
	}
#endif
	for (; i < end && i + 3 <= n; i++)
		if (s[i] == ':' && s[i + 1] == ' ' && s[i + 2] == ' ')
			return i;
	return n;
}

/* The first upper-case word starting in the first 512 bytes (after a space
 * or at the start) that is a severity followed by ":  ".  Found from the
 * ":  " (pg_next) rather than by trying every byte: each word ends at one
 * colon, so the colons in order give the words in order, and no severity is
 * longer than 9 bytes, so no colon past 512 + 9 can end a word that starts
 * before 512. */
bool
wm_ll_postgres(struct wm_logline *ll, const char *s, size_t n)
{
	size_t lim = n < 512 ? n : 512, end = n < lim + 10 ? n : lim + 10, w, start;
	int lvl;
	int64_t ms;

	for (w = pg_next(s, n, end, 0); w < n; w = pg_next(s, n, end, w + 1)) {
		if ((lvl = pg_word(s, w, &start)) < 0 || start >= lim)
			continue;
		ll->format = WM_LOGFMT_POSTGRES;
		ll->level = lvl;
		ll->structured = true;
		if (ll->ts_ms < 0 && wm_ll_iso(s, n, &ms, ll) > 0)
			ll->ts_ms = ms;
		for (w += 3; w < n && s[w] == ' '; w++)
			;
		ll->msg = s + w;
		ll->msg_len = n - w;
		return true;
	}
	return false;
}

/* ---- Redis: "1:M 07 Jul 2025 14:54:00.386 * message" ---- */

bool
wm_ll_redis(struct wm_logline *ll, const char *s, size_t n)
{
	size_t i = 0;
	int d, mo, y, h, mi, sec, ms;

	while (i < n && i < 10 && wm_isdigit(s[i]))
		i++;
	if (i == 0 || i + 30 > n || s[i] != ':' || s[i + 2] != ' ' ||
	    (s[i + 1] != 'X' && s[i + 1] != 'C' && s[i + 1] != 'S' && s[i + 1] != 'M'))
		return false;
	i += 3;
	if (!wm_ll_digits(s, n, i, 2, &d) || !(mo = wm_ll_month(s, n, i + 3)) ||
	    !wm_ll_digits(s, n, i + 7, 4, &y) || !wm_ll_digits(s, n, i + 12, 2, &h) ||
	    !wm_ll_digits(s, n, i + 15, 2, &mi) || !wm_ll_digits(s, n, i + 18, 2, &sec) ||
	    !wm_ll_digits(s, n, i + 21, 3, &ms) || s[i + 24] != ' ' || s[i + 26] != ' ')
		return false;
	switch (s[i + 25]) {
	case '.':
	case '-':
		ll->level = WM_LVL_DEBUG;
		break;
	case '*':
		ll->level = WM_LVL_INFO;
		break;
	case '#':
		ll->level = WM_LVL_WARN;
		break;
	default:
		return false;
	}
	ll->format = WM_LOGFMT_REDIS;
	ll->structured = true;
	if (ll->ts_ms < 0)
		ll->ts_ms = wm_ll_utc_ms(y, mo, d, h, mi, sec, ms);
	ll->msg = s + i + 27;
	ll->msg_len = n - i - 27;
	return true;
}
