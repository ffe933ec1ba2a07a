/* logline_zone.c - the time zone after a log line's own time: "Z", numeric
 * offsets ("+02:00", " +0100"), and abbreviations ("CET", "AEST") from a table
 * of the unambiguous ones.  CST, IST, BST and the like name several zones
 * hours apart: the table knows them as ambiguous, so the line's time stays
 * unresolved (the line is counted "without a time") unless the configuration
 * says what they mean here ([general] time_zones, wm_zone_overrides_parse). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "logs/logline_int.h"

#define AMBIGUOUS 9999 /* an offset no zone has */

/* Minutes east of UTC.  Standard and daylight names are distinct entries, so
 * a log that prints CEST in summer is read right. */
static const struct {
	char name[6];
	short off;
} zone_table[] = {
    {"UTC", 0},		{"GMT", 0},	    {"UT", 0},		{"WET", 0},	{"WEST", 60},
    {"CET", 60},	{"CEST", 120},	    {"MET", 60},	{"MEST", 120},	{"EET", 120},
    {"EEST", 180},	{"MSK", 180},	    {"TRT", 180},	{"WAT", 60},	{"CAT", 120},
    {"SAST", 120},	{"EAT", 180},	    {"GST", AMBIGUOUS}, {"PKT", 300},	{"NPT", 345},
    {"ICT", 420},	{"WIB", 420},	    {"WITA", 480},	{"WIT", 540},	{"AWST", 480},
    {"HKT", 480},	{"SGT", 480},	    {"PHT", 480},	{"MYT", 480},	{"KST", 540},
    {"JST", 540},	{"ACST", 570},	    {"ACDT", 630},	{"AEST", 600},	{"AEDT", 660},
    {"NZST", 720},	{"NZDT", 780},	    {"HST", -600},	{"AKST", -540}, {"AKDT", -480},
    {"PST", -480},	{"PDT", -420},	    {"MST", -420},	{"MDT", -360},	{"EST", -300},
    {"EDT", -240},	{"ADT", -180},	    {"NST", -210},	{"NDT", -150},	{"BRT", -180},
    {"ART", -180},	{"CST", AMBIGUOUS}, /* US Central, China, Cuba */
    {"CDT", AMBIGUOUS},			    /* US Central, Cuba */
    {"IST", AMBIGUOUS},			    /* India, Ireland, Israel */
    {"BST", AMBIGUOUS},			    /* British summer, Bangladesh */
    {"AST", AMBIGUOUS},			    /* Atlantic, Arabia */
    {"SST", AMBIGUOUS},			    /* Samoa, Singapore */
};

int
wm_ll_zone_lookup(const char *s, size_t n, int *off)
{
	for (size_t k = 0; k < sizeof zone_table / sizeof zone_table[0]; k++)
		if (n < sizeof zone_table[k].name && zone_table[k].name[n] == '\0' &&
		    memcmp(zone_table[k].name, s, n) == 0) {
			if (zone_table[k].off == AMBIGUOUS)
				return WM_LL_ZONE_AMBIGUOUS;
			*off = zone_table[k].off;
			return WM_LL_ZONE_KNOWN;
		}
	return WM_LL_ZONE_NONE;
}

/* "+hh:mm" / "+hhmm" / "+hh" at s[i..]: minutes east in *off; bytes, 0 if none. */
static size_t
numeric_offset(const char *s, size_t n, size_t i, int *off)
{
	int hh, mm = 0;
	size_t j = i + 3;

	if (i >= n || (s[i] != '+' && s[i] != '-') || !wm_ll_digits(s, n, i + 1, 2, &hh) || hh > 14)
		return 0;
	if (j < n && s[j] == ':' && wm_ll_digits(s, n, j + 1, 2, &mm))
		j += 3;
	else if (wm_ll_digits(s, n, j, 2, &mm))
		j += 2;
	if (mm > 59 || (j < n && wm_isdigit(s[j])))
		return 0;
	*off = (s[i] == '-' ? -1 : 1) * (hh * 60 + mm);
	return j - i;
}

long
wm_ll_zone(const char *s, size_t n, size_t i, int *off, struct wm_logline *ll, int64_t local_ms)
{
	size_t k, len;
	int found;

	*off = 0;
	if (i >= n)
		return 0;
	if (s[i] == 'Z')
		return 1;
	if ((k = numeric_offset(s, n, i, off)) > 0)
		return (long)k;
	if (s[i] != ' ' || i + 1 >= n)
		return 0;
	if ((k = numeric_offset(s, n, i + 1, off)) > 0)
		return (long)k + 1;
	for (len = 0; i + 1 + len < n && len < 5 && wm_isupper(s[i + 1 + len]); len++)
		;
	if (len < 2 || (i + 1 + len < n && wm_isalpha(s[i + 1 + len])))
		return 0;
	found = wm_ll_zone_lookup(s + i + 1, len, off);
	if (found == WM_LL_ZONE_NONE)
		return 0; /* an upper-case word ("INFO"), not a zone */
	if (ll) {
		ll->zone = s + i + 1;
		ll->zone_len = len;
		ll->zone_local_ms = local_ms;
	}
	return found == WM_LL_ZONE_AMBIGUOUS ? -(long)(len + 1) : (long)(len + 1);
}

/* ---- overrides from the configuration ---- */

int
wm_zone_overrides_parse(struct wm_zone_overrides *z, const char *list, struct wm_err *err)
{
	const char *p = list;

	z->n = 0;
	while (p && *p) {
		size_t len = 0, k;
		int off = 0, ignored;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (wm_isupper(p[len]) && len < 5)
			len++;
		if (len < 2 || p[len] != '=')
			return wm_err_set(err, WM_ECONFIG,
					  "time_zones: '%.20s' is not NAME=+HH:MM (NAME: 2 to 5 "
					  "upper-case letters)",
					  p);
		if (wm_ll_zone_lookup(p, len, &ignored) == WM_LL_ZONE_NONE)
			return wm_err_set(err, WM_ECONFIG,
					  "time_zones: %.*s is not a zone name warunginmon "
					  "recognises in logs",
					  (int)len, p);
		k = numeric_offset(p, len + 1 + strlen(p + len + 1), len + 1, &off);
		if (k == 0 || (p[len + 1 + k] && p[len + 1 + k] != ',' && p[len + 1 + k] != ' '))
			return wm_err_set(err, WM_ECONFIG, "time_zones: %.*s: bad offset '%.8s'",
					  (int)len, p, p + len + 1);
		if (z->n >= WM_ZONE_OVERRIDES_MAX)
			return wm_err_set(err, WM_ECONFIG, "time_zones: more than %d zones",
					  WM_ZONE_OVERRIDES_MAX);
		memcpy(z->v[z->n].name, p, len);
		z->v[z->n].name[len] = '\0';
		z->v[z->n].off_min = off;
		z->n++;
		p += len + 1 + k;
	}
	return 0;
}

bool
wm_zone_overrides_apply(const struct wm_zone_overrides *z, struct wm_logline *ll)
{
	if (!z || ll->zone_len == 0 || ll->docker_ts_ms >= 0)
		return false;
	for (size_t k = 0; k < z->n; k++)
		if (strlen(z->v[k].name) == ll->zone_len &&
		    memcmp(z->v[k].name, ll->zone, ll->zone_len) == 0) {
			ll->ts_ms = ll->zone_local_ms - (int64_t)z->v[k].off_min * 60000;
			return true;
		}
	return false;
}
