/* fuzz_threshold.c - Nagios ranges (-w/-c and the configuration's thresholds).
 * The input is "WARN\nCRIT": each is parsed alone, then both evaluate a metric. */
#include "config.h"

#include <math.h>

#include "fuzz.h"
#include "model/threshold.h"

static const double probes[] = {0, -1, 1, 10, 1e308, -1e308, INFINITY, -INFINITY, NAN};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char *nl = strchr(text, '\n');
	struct wm_range r;
	struct wm_err err = {0};
	struct wm_metric m = {.name = "x", .unit = "", .min = NAN, .max = NAN};

	if (nl)
		*nl = '\0';
	if (wm_range_parse(text, &r, &err) == 0) {
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			(void)wm_range_alerts(&r, probes[i]);
	}
	m.warn = text;
	m.crit = nl ? nl + 1 : NULL;
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		m.value = probes[i];
		(void)wm_metric_eval(&m);
	}
	free(text);
	return 0;
}
