/* fuzz_time.c - libFuzzer target: durations and times.  Whatever parses must
 * be sane: a duration is never negative, and a time that formats parses back
 * to the same millisecond.  The log lines' ISO 8601 reader gets the same bytes,
 * and so does the parser of [general] time_zones.
 * Build and run with scripts/fuzz. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "logs/logline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64], buf[WM_TIME_BUF];
	int64_t ms, back;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (wm_duration_parse(s, &ms, NULL) == 0 && ms < 0)
		abort();
	if (wm_time_parse(s, INT64_C(1795824821000), &ms, NULL) == 0 &&
	    wm_time_format(ms, buf, sizeof(buf)) == 0 &&
	    (wm_time_parse(buf, 0, &back, NULL) != 0 || back != ms))
		abort();
	if (wm_logline_parse_iso((const char *)data, size, &ms) > 0)
		(void)wm_time_format(ms, buf, sizeof(buf));
	/* [general] time_zones: at most WM_ZONE_OVERRIDES_MAX names it knows */
	{
		struct wm_zone_overrides z;

		if (wm_zone_overrides_parse(&z, s, NULL) == 0 && z.n > WM_ZONE_OVERRIDES_MAX)
			abort();
	}
	return 0;
}
