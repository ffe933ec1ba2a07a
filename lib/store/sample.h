/* sample.h - windows between two samples of cumulative counters.
 *
 * wm-cache and wm-db keep their previous sample as a flat JSON object in the
 * state directory (lib/store/statedir.h).  These helpers read it back, compute
 * counter deltas that survive resets, and describe the window in words
 * ("over the last 1h 2m", "since Redis started 3d 4h ago (first sample)").
 */
#ifndef WM_SAMPLE_H
#define WM_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

/* The window of a cumulative counter: cur - prev, or cur when it went back
 * (a restart or a statistics reset) or when there is no previous value
 * (prev NAN).  Returns 1 when the counter was reset, else 0. */
int wm_sample_delta(double prev, double cur, double *delta);

/* A number of doc (NAN when doc is NULL or key absent or not a number). */
double wm_sample_num(const cJSON *doc, const char *key);
/* A string of doc ("" when absent). */
const char *wm_sample_str(const cJSON *doc, const char *key);

/* "3d 4h", "1h 2m", "2m 5s", "42s", "0.5s": short human durations. */
void wm_sample_fmt_duration(double seconds, char *buf, size_t size);

#endif
