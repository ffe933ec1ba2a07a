/* perf_parse.c - durations in log text and routes with their ids masked. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "checks/perf.h"

static bool
digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
hexdigit(char c)
{
	return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const struct {
	const char *unit;
	double sec;
} units[] = {
    {"ms", 1e-3},	 {"s", 1},     {"sec", 1}, {"secs", 1}, {"seconds", 1}, {"us", 1e-6},
    {"\xc2\xb5s", 1e-6}, {"ns", 1e-9}, {"m", 60},  {"min", 60}, {"h", 3600},
};

bool
wm_perf_duration(const char *s, size_t n, double unit_s, double *sec)
{
	size_t i = 0, u;
	double v = 0, scale = 0.1;
	bool any = false;

	while (i < n && s[i] == ' ')
		i++;
	for (; i < n && digit(s[i]); i++, any = true)
		if (v < 1e15)
			v = v * 10 + (s[i] - '0');
	if (i < n && s[i] == '.')
		for (i++; i < n && digit(s[i]); i++, scale /= 10, any = true)
			v += (s[i] - '0') * scale;
	if (!any)
		return false;
	while (i < n && s[i] == ' ')
		i++;
	for (u = i; u < n && s[u] != ' ' && s[u] != ')' && s[u] != ',' && s[u] != '"'; u++)
		;
	if (u == i) {
		*sec = v * unit_s;
		return true;
	}
	for (size_t k = 0; k < sizeof units / sizeof units[0]; k++)
		if (strlen(units[k].unit) == u - i && memcmp(s + i, units[k].unit, u - i) == 0) {
			*sec = v * units[k].sec;
			return true;
		}
	return false;
}

/* Is the segment an id: digits, a UUID, or 16+ hex digits (Mongo ObjectId)? */
static bool
is_id(const char *p, size_t n)
{
	size_t hex = 0, dig = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		dig += digit(p[i]);
		hex += hexdigit(p[i]);
	}
	if (dig == n)
		return true;
	if (n == 36 && p[8] == '-' && p[13] == '-' && p[18] == '-' && p[23] == '-' && hex == 32)
		return true;
	return hex == n && n >= 16 && dig > 0;
}

size_t
wm_perf_route(const char *method, size_t ml, const char *target, size_t tl, char *out, size_t cap)
{
	const char *q = memchr(target, '?', tl);
	size_t n = q ? (size_t)(q - target) : tl, k = 0, i = 0;

	if (cap == 0)
		return 0;
	for (size_t j = 0; j < ml && k + 2 < cap; j++)
		out[k++] = method[j];
	if (ml > 0 && k + 1 < cap)
		out[k++] = ' ';
	while (i < n && k + 1 < cap) {
		size_t e = i;

		if (target[i] == '/') {
			out[k++] = '/';
			i++;
			continue;
		}
		while (e < n && target[e] != '/')
			e++;
		if (is_id(target + i, e - i)) {
			for (const char *m = ":id"; *m && k + 1 < cap; m++)
				out[k++] = *m;
		} else {
			for (size_t j = i; j < e && k + 1 < cap; j++)
				out[k++] = (unsigned char)target[j] >= ' ' &&
						   (unsigned char)target[j] < 0x7f
					       ? target[j]
					       : '?';
		}
		i = e;
	}
	out[k] = '\0';
	return k;
}
