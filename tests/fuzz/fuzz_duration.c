/* fuzz_duration.c - durations, points in time (--since/--until, config) and the
 * ISO 8601 reader of log lines; every time parsed is formatted back. */
#include "config.h"

#include "duration.h"
#include "fuzz.h"
#include "logline.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char buf[WM_TIME_BUF];
	struct wm_err err = { 0 };
	int64_t ms;

	if (wm_duration_parse(s, &ms, &err) == 0)
		(void)wm_time_format(ms, buf, sizeof(buf));
	if (wm_time_parse(s, 1795824000000, &ms, &err) == 0)
		(void)wm_time_format(ms, buf, sizeof(buf));
	if (wm_logline_parse_iso(s, size, &ms) > 0)
		(void)wm_time_format(ms, buf, sizeof(buf));
	free(s);
	return 0;
}
