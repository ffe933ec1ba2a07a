/* fuzz_render.c - the five renderers on a result built from the input: names,
 * summaries, units and thresholds are arbitrary bytes, values arbitrary doubles
 * (NaN, infinities), the data object any JSON.  Output goes to /dev/null, the
 * summary and the ndjson line of each check are produced too. */
#include "config.h"

#include <stdio.h>

#include "fuzz.h"
#include "render/render.h"
#include "model/result.h"
#include "model/threshold.h"

static FILE *devnull;

static void
add_metric(struct wm_check *c, struct fuzz_in *in)
{
	char *name = fuzz_str(in), *unit = fuzz_str(in), *warn = NULL, *crit = NULL;
	unsigned flags = fuzz_byte(in);
	struct wm_metric *m = wm_check_add_metric(c, name, fuzz_double(in), unit);

	if (m && (flags & 3)) {
		warn = flags & 1 ? fuzz_str(in) : NULL;
		crit = flags & 2 ? fuzz_str(in) : NULL;
		(void)wm_metric_set_thresholds(m, warn, crit);
	}
	if (m && (flags & 4))
		m->min = fuzz_double(in);
	if (m && (flags & 8))
		m->max = fuzz_double(in);
	free(name);
	free(unit);
	free(warn);
	free(crit);
}

static void
add_check(struct wm_result *r, struct fuzz_in *in)
{
	char *name = fuzz_str(in), *summary = fuzz_str(in);
	unsigned flags = fuzz_byte(in);
	struct wm_check *c = wm_result_add_check(r, name);

	if (c) {
		wm_check_set(c, (enum wm_state)(flags & 3), "%s", summary);
		for (unsigned i = 0; i < ((flags >> 2) & 7); i++)
			add_metric(c, in);
		if (flags & 0x20) {
			char *json = fuzz_str(in);
			cJSON *d = wm_check_data(c), *v = cJSON_Parse(json);

			if (d && v)
				cJSON_AddItemToObject(d, name, v);
			else
				cJSON_Delete(v);
			free(json);
		}
		if (flags & 0x40)
			(void)wm_check_eval(c);
	}
	free(name);
	free(summary);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	char *tool = fuzz_str(&in), *target = fuzz_str(&in), *summary;
	unsigned flags = fuzz_byte(&in);
	struct wm_result *r = wm_result_new(tool, "0.1.0", target);

	if (!devnull && !(devnull = fopen("/dev/null", "w")))
		abort();
	if (!r)
		abort();
	if (flags & 1) {
		char *s = fuzz_str(&in);

		(void)wm_result_set_summary(r, "%s", s);
		free(s);
	}
	for (unsigned i = 0; i < ((flags >> 1) & 15) && in.n > 0; i++)
		add_check(r, &in);
	wm_result_finish(r);
	for (int f = WM_FORMAT_TEXT; f <= WM_FORMAT_OPENMETRICS; f++)
		(void)wm_render(r, (enum wm_format)f, devnull, (flags >> 5) & 3);
	summary = wm_render_summary(r);
	free(summary);
	for (size_t i = 0; i < r->nchecks; i++)
		(void)wm_render_check_line(r, r->checks[i], devnull);
	(void)wm_result_exit_code(r);
	wm_result_free(r);
	free(tool);
	free(target);
	return 0;
}
