/* duration.c - durations, RFC 3339 / unix-seconds times, and clocks. */
#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/duration.h"

struct unit {
	const char *name;
	int64_t ms;
};

/* Longest names first so that "ms" is not read as "m" followed by junk. */
static const struct unit units[] = {
    {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}, {"w", 604800000},
};

static const struct unit *
unit_at(const char *p, size_t *ulen)
{
	size_t n = 0;

	while (isalpha((unsigned char)p[n]))
		n++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strlen(units[i].name) == n && strncmp(p, units[i].name, n) == 0) {
			*ulen = n;
			return &units[i];
		}
	}
	return NULL;
}

/* Read a run of digits as a non-negative integer; -1 on overflow, 0 digits read
 * leaves *len 0. */
static int
read_digits(const char *p, int64_t *v, size_t *len)
{
	int64_t x = 0;
	size_t n = 0;

	while (isdigit((unsigned char)p[n])) {
		if (__builtin_mul_overflow(x, 10, &x) || __builtin_add_overflow(x, p[n] - '0', &x))
			return -1;
		n++;
	}
	*v = x;
	*len = n;
	return 0;
}

int
wm_duration_parse(const char *s, int64_t *ms, struct wm_err *err)
{
	const char *p = s;
	int64_t total = 0;

	if (!s || !*s)
		return wm_err_set(err, WM_EINVAL, "empty duration");
	while (*p) {
		int64_t v, part;
		size_t n, ulen = 0;
		const struct unit *u;

		if (read_digits(p, &v, &n) < 0)
			return wm_err_set(err, WM_EINVAL, "duration '%s' is too large", s);
		if (n == 0)
			return wm_err_set(
			    err, WM_EINVAL,
			    "invalid duration '%s' (expected e.g. 90s, 30m, 4h, 1d, 1h30m)", s);
		p += n;
		if (*p == '\0' && p - n == s) {
			u = &units[1]; /* a bare number is seconds */
		} else if (!(u = unit_at(p, &ulen))) {
			return wm_err_set(err, WM_EINVAL,
					  "invalid duration '%s' (units: ms, s, m, h, d, w)", s);
		}
		p += ulen;
		if (__builtin_mul_overflow(v, u->ms, &part) ||
		    __builtin_add_overflow(total, part, &total))
			return wm_err_set(err, WM_EINVAL, "duration '%s' is too large", s);
	}
	*ms = total;
	return 0;
}

static void
civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* Exactly n digits at p into *v. */
static int
fixed_digits(const char *p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		x = x * 10 + (p[i] - '0');
	}
	*v = x;
	return 0;
}

/* ".123456" -> milliseconds (truncated); advances *pp.  No digits is an error. */
static int
read_fraction(const char **pp, int64_t *frac_ms)
{
	const char *p = *pp + 1;
	int64_t v = 0;
	int n = 0;

	while (isdigit((unsigned char)*p)) {
		if (n < 3)
			v = v * 10 + (*p - '0');
		n++;
		p++;
	}
	if (n == 0)
		return -1;
	for (; n < 3; n++)
		v *= 10;
	*frac_ms = v;
	*pp = p;
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dm[m - 1];
}

/* YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM); 't', 'z' and ' ' accepted too. */
static int
parse_rfc3339(const char *s, int64_t *ms)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	int64_t frac = 0;
	const char *p = s;

	if (fixed_digits(p, 4, &y) || p[4] != '-' || fixed_digits(p + 5, 2, &mo) || p[7] != '-' ||
	    fixed_digits(p + 8, 2, &d) || !strchr("Tt ", p[10]) || p[10] == '\0' ||
	    fixed_digits(p + 11, 2, &h) || p[13] != ':' || fixed_digits(p + 14, 2, &mi) ||
	    p[16] != ':' || fixed_digits(p + 17, 2, &sec))
		return -1;
	p += 19;
	if (*p == '.' && read_fraction(&p, &frac) < 0)
		return -1;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (fixed_digits(p + 1, 2, &oh) || p[3] != ':' || fixed_digits(p + 4, 2, &om))
			return -1;
		p += 6;
	} else {
		return -1;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
	    sec > 60 || oh > 23 || om > 59)
		return -1;
	*ms = ((wm_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	       sign * (oh * 3600 + om * 60)) *
		  1000 +
	      frac;
	return 0;
}

/* All digits, optionally ".digits": unix seconds. */
static int
parse_unix(const char *s, int64_t *ms)
{
	const char *p = s;
	int64_t v, frac = 0;
	size_t n;

	if (read_digits(p, &v, &n) < 0 || n == 0)
		return -1;
	p += n;
	if (*p == '.' && read_fraction(&p, &frac) < 0)
		return -1;
	if (*p || __builtin_mul_overflow(v, 1000, &v) || __builtin_add_overflow(v, frac, &v))
		return -1;
	*ms = v;
	return 0;
}

int
wm_time_parse(const char *s, int64_t now_ms, int64_t *ms, struct wm_err *err)
{
	int64_t d;

	if (!s || !*s)
		return wm_err_set(err, WM_EINVAL, "empty time");
	if (strcmp(s, "now") == 0) {
		*ms = now_ms;
		return 0;
	}
	if (parse_unix(s, ms) == 0 || parse_rfc3339(s, ms) == 0)
		return 0;
	if (isdigit((unsigned char)s[0]) && wm_duration_parse(s, &d, NULL) == 0) {
		if (__builtin_sub_overflow(now_ms, d, ms))
			return wm_err_set(err, WM_EINVAL, "time '%s' is out of range", s);
		return 0;
	}
	return wm_err_set(err, WM_EINVAL,
			  "invalid time '%s' (expected RFC 3339, unix seconds, 'now' or a "
			  "duration ago such as 1h)",
			  s);
}

int
wm_time_format(int64_t ms, char *buf, size_t len)
{
	int64_t days, secs, y;
	int m, d, n;

	/* Years 0000..9999 only; this also keeps the arithmetic below in range. */
	if (ms < INT64_C(-62167219200000) || ms > INT64_C(253402300799999))
		return -1;
	days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
	secs = (ms - days * 86400000) / 1000;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		return -1;
	n = snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", (int)y, m, d,
		     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
		     (int)((ms - days * 86400000) % 1000));
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int64_t
clock_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
wm_now_ms(void)
{
	return clock_ms(CLOCK_REALTIME);
}

int64_t
wm_monotonic_ms(void)
{
	return clock_ms(CLOCK_MONOTONIC);
}
