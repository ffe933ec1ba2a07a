/* fuzz_schedule.c - libFuzzer target: the schedule's configuration values.
 * The input is "TIER\nKEY\nVALUE": configured onto the default plan; whatever
 * is accepted must leave a sane plan (offsets ascending and unique, at most
 * WM_SCHEDULE_TICKS_MAX), a due list that counts what it fills, and a crontab.
 * Build and run with scripts/fuzz. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/schedule.h"

static bool
odd(const char *tier, int64_t at_ms, void *ctx)
{
	(void)tier;
	(void)ctx;
	return (at_ms / 1000) & 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct wm_schedule s;
	struct wm_due due[16];
	char *in = fuzz_cstr(data, size), *key, *val, *cron;
	struct wm_err e = {0};
	int64_t at;
	size_t n;

	wm_schedule_default(&s);
	if (!(key = strchr(in, '\n')) || !(val = strchr(key + 1, '\n')))
		goto out;
	*key++ = '\0';
	*val++ = '\0';
	if (wm_schedule_configure(&s, in, key, val, &e) != 0) {
		if (e.code == WM_EOK || !e.msg[0])
			abort();
		goto out;
	}
	for (size_t i = 0; i < s.n_tiers; i++) {
		if (s.tier[i].n_at > WM_SCHEDULE_TICKS_MAX)
			abort();
		for (size_t k = 1; k < s.tier[i].n_at; k++)
			if (s.tier[i].at[k] <= s.tier[i].at[k - 1])
				abort();
	}
	n = wm_schedule_due(&s, wm_schedule_end(&s), odd, NULL, due, 16);
	for (size_t i = 1; i < n && i < 16; i++)
		if (due[i].at_ms < due[i - 1].at_ms)
			abort();
	if (wm_schedule_next(&s, -1, &at) && at < 0)
		abort(); /* durations are never negative */
	cron = wm_schedule_crontab(&s, INT64_C(1795824000000), -330, "wm-run tick %", &e);
	free(cron);
out:
	free(in);
	return 0;
}
