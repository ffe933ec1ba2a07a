/* stream.h - what the analyzer suites share: a log stream feeding one
 * analyzer, a file fed through it, and the real honeypot log (or its first
 * 200 lines in the tree when $WM_REAL_LOGS is unset). */
#ifndef WM_UNIT_STREAM_H
#define WM_UNIT_STREAM_H

#include "logs/logstream.h"
#include "unit.h"

static inline struct wm_logstream *
wm_unit_stream(struct wm_log_analyzer a)
{
	struct wm_err err = {0};
	struct wm_logstream *ls = wm_logstream_new(NULL, WM_LOGLINE_COMPOSE);

	ck_assert_ptr_nonnull(ls);
	ck_assert_int_eq(wm_logstream_add(ls, &a, &err), 0);
	return ls;
}

static inline void
wm_unit_feed_file(struct wm_logstream *ls, const char *path)
{
	FILE *f = fopen(path, "r");
	char buf[65536];
	size_t n;

	ck_assert_msg(f != NULL, "%s", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		wm_logstream_feed(ls, buf, n);
	fclose(f);
	wm_logstream_flush(ls);
}

static inline const char *
wm_unit_honeypot(const char *suite)
{
	static char p[PATH_MAX];
	const char *d = wm_unit_real_logs(suite);

	if (d)
		snprintf(p, sizeof(p), "%s/nginx/honeypot_access.log", d);
	else
		snprintf(p, sizeof(p), "%s",
			 WM_TEST_SRCDIR "/tests/fixtures/logs/nginx_access_200.log");
	return p;
}

#endif
