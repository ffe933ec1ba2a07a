/* accesslog.c - nginx access-log lines by their log_format (see accesslog.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "logs/accesslog.h"
#include "logs/logline_int.h"

static const struct {
	const char *name;
	enum wm_accesslog_var which;
} vars[] = {
    {"remote_addr", WM_ALV_REMOTE_ADDR},
    {"remote_user", WM_ALV_REMOTE_USER},
    {"time_local", WM_ALV_TIME_LOCAL},
    {"time_iso8601", WM_ALV_TIME_ISO8601},
    {"msec", WM_ALV_MSEC},
    {"request", WM_ALV_REQUEST},
    {"request_method", WM_ALV_METHOD},
    {"request_uri", WM_ALV_URI},
    {"uri", WM_ALV_PATH},
    {"document_uri", WM_ALV_PATH},
    {"args", WM_ALV_ARGS},
    {"query_string", WM_ALV_ARGS},
    {"status", WM_ALV_STATUS},
    {"body_bytes_sent", WM_ALV_BYTES},
    {"bytes_sent", WM_ALV_BYTES},
    {"http_referer", WM_ALV_REFERER},
    {"http_user_agent", WM_ALV_USER_AGENT},
    {"http_x_forwarded_for", WM_ALV_XFF},
    {"proxy_add_x_forwarded_for", WM_ALV_XFF},
    {"request_time", WM_ALV_REQUEST_TIME},
    {"upstream_response_time", WM_ALV_UPSTREAM_TIME},
};

static bool
name_char(char c)
{
	return wm_isalpha(c) || wm_isdigit(c) || c == '_';
}

static int
add_literal(struct wm_accesslog_format *f, const char *s, size_t n, struct wm_err *err)
{
	struct wm_accesslog_item *it;

	if (n == 0)
		return 0;
	if (n > WM_ACCESSLOG_LIT_MAX)
		return wm_err_set(err, WM_EINVAL, "log_format: a literal of more than %d bytes",
				  WM_ACCESSLOG_LIT_MAX);
	if (f->n >= WM_ACCESSLOG_MAX_ITEMS)
		return wm_err_set(err, WM_EINVAL, "log_format: more than %d items",
				  WM_ACCESSLOG_MAX_ITEMS);
	it = &f->item[f->n++];
	it->var = false;
	it->len = (unsigned char)n;
	memcpy(it->lit, s, n);
	return 0;
}

static int
add_var(struct wm_accesslog_format *f, const char *name, size_t n, struct wm_err *err)
{
	struct wm_accesslog_item *it;

	if (n == 0)
		return wm_err_set(err, WM_EINVAL, "log_format: '$' without a variable name");
	if (f->n >= WM_ACCESSLOG_MAX_ITEMS)
		return wm_err_set(err, WM_EINVAL, "log_format: more than %d items",
				  WM_ACCESSLOG_MAX_ITEMS);
	it = &f->item[f->n++];
	it->var = true;
	it->which = WM_ALV_OTHER;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (strlen(vars[i].name) == n && memcmp(vars[i].name, name, n) == 0)
			it->which = (unsigned char)vars[i].which;
	return 0;
}

int
wm_accesslog_format_parse(struct wm_accesslog_format *f, const char *spec, struct wm_err *err)
{
	size_t lit = 0, i = 0, n = strlen(spec);
	bool status = false;

	memset(f, 0, sizeof *f);
	while (i < n) {
		size_t start, end;

		if (spec[i] != '$') {
			i++;
			continue;
		}
		if (add_literal(f, spec + lit, i - lit, err) < 0)
			return -1;
		if (i + 1 < n && spec[i + 1] == '{') {
			const char *close = memchr(spec + i + 2, '}', n - i - 2);

			if (!close)
				return wm_err_set(err, WM_EINVAL, "log_format: '${' without '}'");
			start = i + 2;
			end = (size_t)(close - spec);
			i = end + 1;
		} else {
			start = i + 1;
			for (end = start; end < n && name_char(spec[end]); end++)
				;
			i = end;
		}
		if (add_var(f, spec + start, end - start, err) < 0)
			return -1;
		status |= f->item[f->n - 1].which == WM_ALV_STATUS;
		lit = i;
	}
	if (add_literal(f, spec + lit, n - lit, err) < 0)
		return -1;
	if (!status)
		return wm_err_set(err, WM_EINVAL, "log_format: no $status");
	return 0;
}

double
wm_accesslog_seconds(const char *p, size_t n)
{
	double sum = 0;
	bool got = false;

	for (size_t i = 0; i < n;) {
		double v = 0, scale = 0.1;
		bool digits = false;

		while (i < n && !wm_isdigit(p[i]))
			i++;
		for (; i < n && wm_isdigit(p[i]); i++, digits = true)
			if (v < 1e12)
				v = v * 10 + (p[i] - '0');
		if (i < n && p[i] == '.')
			for (i++; i < n && wm_isdigit(p[i]); i++, scale /= 10)
				v += (p[i] - '0') * scale;
		if (!digits)
			break;
		sum += v;
		got = true;
	}
	return got ? sum : -1;
}

static struct wm_al_str
str(const char *p, size_t n)
{
	struct wm_al_str s = {NULL, 0};

	if (n > 0 && !(n == 1 && p[0] == '-'))
		s.p = p, s.len = n;
	return s;
}

/* "01/May/2025:01:52:14 +0000" */
static bool
time_local(const char *s, size_t n, int64_t *ms)
{
	int d, mo, y, h, mi, sec, oh, om, off = 0;

	if (n < 20 || !wm_ll_digits(s, n, 0, 2, &d) || s[2] != '/' ||
	    !(mo = wm_ll_month(s, n, 3)) || s[6] != '/' || !wm_ll_digits(s, n, 7, 4, &y) ||
	    s[11] != ':' || !wm_ll_digits(s, n, 12, 2, &h) || !wm_ll_digits(s, n, 15, 2, &mi) ||
	    !wm_ll_digits(s, n, 18, 2, &sec))
		return false;
	if (n >= 26 && (s[21] == '+' || s[21] == '-') && wm_ll_digits(s, n, 22, 2, &oh) &&
	    wm_ll_digits(s, n, 24, 2, &om))
		off = (s[21] == '-' ? -1 : 1) * (oh * 60 + om);
	*ms = wm_ll_utc_ms(y, mo, d, h, mi, sec, 0) - (int64_t)off * 60000;
	return true;
}

static void
target(struct wm_accesslog_entry *e, const char *p, size_t n)
{
	const char *q = memchr(p, '?', n);

	if (q) {
		e->path = str(p, (size_t)(q - p));
		e->query.p = q + 1;
		e->query.len = n - (size_t)(q - p) - 1;
	} else {
		e->path = str(p, n);
	}
}

/* "GET /path?q HTTP/1.1"; anything else (a TLS hello, "-") leaves them absent. */
static void
request(struct wm_accesslog_entry *e, const char *p, size_t n)
{
	const char *sp = memchr(p, ' ', n), *sp2;
	size_t ml, rest;

	if (!sp || (ml = (size_t)(sp - p)) == 0 || ml > 16)
		return;
	for (size_t i = 0; i < ml; i++)
		if (!wm_isupper(p[i]))
			return;
	rest = n - ml - 1;
	sp2 = memchr(sp + 1, ' ', rest);
	e->method = str(p, ml);
	if (sp2) {
		target(e, sp + 1, (size_t)(sp2 - sp - 1));
		e->proto = str(sp2 + 1, n - (size_t)(sp2 + 1 - p));
	} else {
		target(e, sp + 1, rest);
	}
}

static bool
integer(const char *p, size_t n, int64_t *out)
{
	int64_t v = 0;

	if (n == 0 || n > 18)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!wm_isdigit(p[i]))
			return false;
		v = v * 10 + (p[i] - '0');
	}
	*out = v;
	return true;
}

/* Store one variable's value; false when it cannot be that variable. */
static bool
assign(struct wm_accesslog_entry *e, int which, const char *p, size_t n)
{
	int64_t v;

	switch (which) {
	case WM_ALV_REMOTE_ADDR:
		e->addr = str(p, n);
		break;
	case WM_ALV_REMOTE_USER:
		e->user = str(p, n);
		break;
	case WM_ALV_TIME_LOCAL:
		return time_local(p, n, &e->ts_ms);
	case WM_ALV_TIME_ISO8601:
		return wm_logline_parse_iso(p, n, &e->ts_ms) > 0;
	case WM_ALV_MSEC: {
		double s = wm_accesslog_seconds(p, n);

		if (s < 0 || s > 1e11)
			return false;
		e->ts_ms = (int64_t)(s * 1000 + 0.5);
		break;
	}
	case WM_ALV_REQUEST:
		request(e, p, n);
		break;
	case WM_ALV_METHOD:
		e->method = str(p, n);
		break;
	case WM_ALV_URI:
		target(e, p, n);
		break;
	case WM_ALV_PATH:
		e->path = str(p, n);
		break;
	case WM_ALV_ARGS:
		e->query = str(p, n);
		break;
	case WM_ALV_STATUS:
		if (n != 3 || !integer(p, n, &v) || v < 100)
			return false;
		e->status = (int)v;
		break;
	case WM_ALV_BYTES:
		if (integer(p, n, &v))
			e->bytes = v;
		break;
	case WM_ALV_REFERER:
		e->referer = str(p, n);
		break;
	case WM_ALV_USER_AGENT:
		e->agent = str(p, n);
		break;
	case WM_ALV_XFF:
		e->xff = str(p, n);
		break;
	case WM_ALV_REQUEST_TIME:
		e->request_time = wm_accesslog_seconds(p, n);
		break;
	case WM_ALV_UPSTREAM_TIME:
		e->upstream_time = wm_accesslog_seconds(p, n);
		break;
	default:
		break;
	}
	return true;
}

/* Where the value starting at s[i] ends: at the first full occurrence of lit,
 * or where the rest of the line is a proper prefix of lit (the line stops
 * inside it); n when neither. */
static size_t
value_end(const char *s, size_t n, size_t i, const char *lit, size_t ll)
{
	const char *p;

	for (; i < n && (p = memchr(s + i, lit[0], n - i)) != NULL; i++) {
		size_t at = (size_t)(p - s), room = n - at;

		i = at;
		if (memcmp(p, lit, room < ll ? room : ll) == 0)
			return at;
	}
	return n;
}

static void
entry_init(struct wm_accesslog_entry *e)
{
	memset(e, 0, sizeof *e);
	e->ts_ms = -1;
	e->bytes = -1;
	e->request_time = -1;
	e->upstream_time = -1;
}

bool
wm_accesslog_parse(const struct wm_accesslog_format *f, struct wm_accesslog_entry *e, const char *s,
		   size_t n)
{
	size_t i = 0;

	entry_init(e);
	if (n > 0 && s[n - 1] == '\r')
		n--;
	for (size_t k = 0; k < f->n; k++) {
		const struct wm_accesslog_item *it = &f->item[k];
		const struct wm_accesslog_item *next = k + 1 < f->n ? &f->item[k + 1] : NULL;
		size_t end;

		if (i >= n && k > 0) { /* the line stopped at an item boundary */
			e->partial = true;
			break;
		}
		if (!it->var) {
			size_t room = n - i;

			if (room >= it->len ? memcmp(s + i, it->lit, it->len) != 0
					    : memcmp(s + i, it->lit, room) != 0 || k == 0)
				return false;
			i += room < it->len ? room : it->len;
			continue;
		}
		if (!next) {
			end = n;
		} else if (next->var) {
			const char *sp = memchr(s + i, ' ', n - i);

			end = sp ? (size_t)(sp - s) : n;
		} else {
			end = value_end(s, n, i, next->lit, next->len);
			if (end == n && k + 2 < f->n)
				return false; /* the literal after it is not there */
		}
		if (!assign(e, it->which, s + i, end - i))
			return false;
		i = end;
	}
	return e->status != 0;
}

static bool
ipv4(const char *s, size_t n, unsigned char o[4])
{
	size_t i = 0;

	for (int k = 0; k < 4; k++) {
		unsigned v = 0;
		size_t d = 0;

		for (; i < n && wm_isdigit(s[i]) && d < 3; i++, d++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (d == 0 || v > 255 || (k < 3 && (i >= n || s[i++] != '.')))
			return false;
		o[k] = (unsigned char)v;
	}
	return i == n;
}

static bool
prefix_ci(const char *s, size_t n, const char *p)
{
	size_t pl = strlen(p);

	if (n < pl)
		return false;
	for (size_t i = 0; i < pl; i++)
		if ((s[i] | 0x20) != p[i])
			return false;
	return true;
}

bool
wm_accesslog_private(const char *s, size_t n)
{
	unsigned char o[4];

	if (prefix_ci(s, n, "::ffff:") && ipv4(s + 7, n - 7, o))
		;
	else if (!ipv4(s, n, o))
		return (n == 3 && memcmp(s, "::1", 3) == 0) || prefix_ci(s, n, "fc") ||
		       prefix_ci(s, n, "fd") || prefix_ci(s, n, "fe8") || prefix_ci(s, n, "fe9") ||
		       prefix_ci(s, n, "fea") || prefix_ci(s, n, "feb");
	return o[0] == 10 || o[0] == 127 || (o[0] == 172 && (o[1] & 0xf0) == 16) ||
	       (o[0] == 192 && o[1] == 168) || (o[0] == 169 && o[1] == 254) ||
	       (o[0] == 100 && (o[1] & 0xc0) == 64);
}

struct wm_al_str
wm_accesslog_client(const struct wm_accesslog_entry *e, bool trust_private)
{
	struct wm_al_str r = e->addr;
	size_t end;

	if (!trust_private || !e->xff.p ||
	    (e->addr.p && !wm_accesslog_private(e->addr.p, e->addr.len)))
		return r;
	/* right to left over "client, proxy1, proxy2" */
	end = e->xff.len;
	while (end > 0) {
		size_t start = end, a, b;

		while (start > 0 && e->xff.p[start - 1] != ',')
			start--;
		for (a = start; a < end && e->xff.p[a] == ' '; a++)
			;
		for (b = end; b > a && e->xff.p[b - 1] == ' '; b--)
			;
		if (b > a) {
			r.p = e->xff.p + a;
			r.len = b - a;
			if (!wm_accesslog_private(r.p, r.len))
				return r;
		}
		end = start > 0 ? start - 1 : 0;
	}
	return r;
}

bool
wm_accesslog_self(const char *agent, size_t len, const char *mark)
{
	size_t m = mark ? strlen(mark) : 0;

	return m && agent && memmem(agent, len, mark, m) != NULL;
}
