/* fuzz_security.c - the security analyzer on hostile log lines: the input
 * through a log stream (compose prefixes on), every line to the analyzer, then
 * the report built and its tables read.  Byte 0 picks tiny tables (evictions),
 * a brute-force limit of 2, and X-Forwarded-For trusted or not. */
#include "config.h"

#include "fuzz.h"
#include "logs/logstream.h"
#include "checks/security.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned pick = size ? data[0] : 0;
	struct wm_security_opts o = {
	    .slots = pick & 1 ? 4 : 64,
	    .brute_fails = pick & 2 ? 2 : 0,
	    .no_trust_private = pick & 4,
	    .top = 3,
	};
	struct wm_err err = {0};
	struct wm_security *s = wm_security_new(&o, &err);
	struct wm_logstream *ls = wm_logstream_new(NULL, WM_LOGLINE_COMPOSE);
	struct wm_result *r = wm_result_new("wm-security", "0", NULL);
	struct wm_log_analyzer a;
	struct wm_security_row *rows;
	size_t n;

	if (!s || !ls || !r)
		abort();
	a = wm_security_analyzer(s);
	if (wm_logstream_add(ls, &a, &err) != 0)
		abort();
	if (size > 1)
		wm_logstream_feed(ls, (const char *)data + 1, size - 1);
	wm_logstream_flush(ls);
	if (wm_security_report(s, r, "in 1h", NULL, NULL) != 0)
		abort();
	for (int t = 0; t < WM_SECT_COUNT; t++) {
		rows = wm_security_table(s, t, &n);
		free(rows);
	}
	wm_result_free(r);
	wm_logstream_free(ls);
	wm_security_free(s);
	return 0;
}
