/* fuzz_perf.c - the perf analyzer on hostile log lines: the input through a
 * log stream to the analyzer (nginx timings, JSON duration fields, NestJS
 * slow-request messages, "took ..."), then the report; also the duration and
 * route parsers and wm_jsonfield on the raw bytes.  Byte 0 picks two routes
 * at most (the "(other)" overflow) and seconds for bare numbers. */
#include "config.h"

#include "fuzz.h"
#include "base/jsonfield.h"
#include "logs/logstream.h"
#include "checks/perf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned pick = size ? data[0] : 0;
	struct wm_perf_opts o = {
	    .max_routes = pick & 1 ? 2 : 0,
	    .number_unit_s = pick & 2 ? 1 : 0,
	    .fields = pick & 4 ? "ms,t" : NULL,
	};
	struct wm_err err = {0};
	struct wm_perf *p = wm_perf_new(&o, &err);
	struct wm_logstream *ls = wm_logstream_new(NULL, WM_LOGLINE_COMPOSE);
	struct wm_result *r = wm_result_new("wm-perf", "0", NULL);
	struct wm_log_analyzer a;
	const char *text = (const char *)data + (size ? 1 : 0), *v;
	size_t n = size ? size - 1 : 0, vl;
	char route[WM_PERF_ROUTE_MAX];
	double sec;
	bool str;

	if (!p || !ls || !r)
		abort();
	a = wm_perf_analyzer(p);
	if (wm_logstream_add(ls, &a, &err) != 0)
		abort();
	wm_logstream_feed(ls, text, n);
	wm_logstream_flush(ls);
	if (wm_perf_report(p, r, "in 1h", NULL, NULL) != 0)
		abort();
	(void)wm_perf_duration(text, n, 1e-3, &sec);
	(void)wm_perf_route(text, n / 2, text + n / 2, n - n / 2, route, sizeof route);
	if (wm_jsonfield(text, n, "duration", &v, &vl, &str) && (v < text || v + vl > text + n))
		abort();
	wm_result_free(r);
	wm_logstream_free(ls);
	wm_perf_free(p);
	return 0;
}
