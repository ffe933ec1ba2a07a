/* duration.h - durations and points in time: one parser for every --since/--until.
 *
 * All values are milliseconds.  Durations: "90s", "30m", "4h", "1d", "500ms", "2w",
 * combined "1h30m"; a bare number is seconds.  Times: RFC 3339 ("2026-11-28T00:13:41Z",
 * "…T07:13:41.5+07:00"), unix seconds ("1764288821", "1764288821.250"), "now", or a
 * duration meaning "that long before now".
 */
#ifndef WM_DURATION_H
#define WM_DURATION_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Enough for "2026-11-28T00:13:41.123Z" and any year up to 9999. */
#define WM_TIME_BUF 32

/* Parse a non-negative duration into *ms.  Negatives, overflow, unknown units,
 * empty input and trailing junk are WM_EINVAL. */
int wm_duration_parse(const char *s, int64_t *ms, struct wm_err *err);

/* Parse a point in time (see above) into *ms since the epoch.  A duration is
 * taken as now_ms minus that duration. */
int wm_time_parse(const char *s, int64_t now_ms, int64_t *ms, struct wm_err *err);

/* Write ms since the epoch as RFC 3339 UTC with milliseconds
 * ("2026-11-28T00:13:41.123Z").  Returns 0, or -1 when buf is too small
 * (WM_TIME_BUF always suffices) or the year is outside 0..9999. */
int wm_time_format(int64_t ms, char *buf, size_t len);

/* Wall-clock time (CLOCK_REALTIME) and a clock for measuring intervals
 * (CLOCK_MONOTONIC), both in milliseconds. */
int64_t wm_now_ms(void);
int64_t wm_monotonic_ms(void);

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil), so no time zone or TZ variable is involved.  Inline: the
 * log line parser calls it once per line. */
static inline int64_t
wm_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

#endif
