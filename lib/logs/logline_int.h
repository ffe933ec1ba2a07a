/* logline-int.h - private helpers shared by logline.c and logformats.c. */
#ifndef WM_LOGLINE_INT_H
#define WM_LOGLINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "logs/logline.h"

static inline bool
wm_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool
wm_isupper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool
wm_isalpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

#if defined(__GNUC__)
#define WM_LL_INLINE static inline __attribute__((always_inline))
#else
#define WM_LL_INLINE static inline
#endif

/* Read exactly nd digits at s[i..]; false when they are not all there.
 * Always inline: every timestamp of every line goes through here, and with
 * constant nd the loop unrolls. */
WM_LL_INLINE bool
wm_ll_digits(const char *s, size_t n, size_t i, int nd, int *out)
{
	int v = 0;

	if (i + (size_t)nd > n)
		return false;
	for (int k = 0; k < nd; k++) {
		if (!wm_isdigit(s[i + k]))
			return false;
		v = v * 10 + (s[i + k] - '0');
	}
	*out = v;
	return true;
}

/* Month from a three-letter English abbreviation at s[i..]; 0 when none. */
int wm_ll_month(const char *s, size_t n, size_t i);
/* Unix ms from broken-down UTC fields. */
int64_t wm_ll_utc_ms(int y, int mon, int d, int h, int mi, int sec, int ms);

/* The zone after a time at s[i..] (see logline_zone.c): minutes east in
 * *off and the bytes it takes; 0 when there is none (read as UTC); negative
 * (-bytes) when it is a name of several zones.  A name is recorded in ll (may
 * be NULL) with local_ms, the time read as if UTC. */
#define WM_LL_ZONE_NONE 0
#define WM_LL_ZONE_KNOWN 1
#define WM_LL_ZONE_AMBIGUOUS 2
long wm_ll_zone(const char *s, size_t n, size_t i, int *off, struct wm_logline *ll,
		int64_t local_ms);
/* An abbreviation s[0..n): WM_LL_ZONE_KNOWN with *off, _AMBIGUOUS or _NONE. */
int wm_ll_zone_lookup(const char *s, size_t n, int *off);
/* wm_logline_parse_iso recording a zone name in ll: an ambiguous zone
 * consumes its bytes and gives *ms = -1. */
size_t wm_ll_iso(const char *s, size_t n, int64_t *ms, struct wm_logline *ll);

/* Format recognisers: each returns true when body[0..n) is its format and has
 * filled ll (format, level, structured, msg, ts_ms when the line has one). */
/* lazy: stop once level, message ("message", not "msg") and time are known
 * (WM_LOGLINE_LAZY); the keys after them are not read. */
bool wm_ll_json(struct wm_logline *ll, const char *s, size_t n, bool lazy);
bool wm_ll_logfmt(struct wm_logline *ll, const char *s, size_t n);
bool wm_ll_nginx_access(struct wm_logline *ll, const char *s, size_t n);
bool wm_ll_nginx_error(struct wm_logline *ll, const char *s, size_t n);
bool wm_ll_apache_error(struct wm_logline *ll, const char *s, size_t n);
bool wm_ll_postgres(struct wm_logline *ll, const char *s, size_t n);
bool wm_ll_redis(struct wm_logline *ll, const char *s, size_t n);

#endif
