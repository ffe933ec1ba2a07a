/* fuzz_logline.c - the log pipeline of wm-errors on hostile lines: the stream
 * reader fed in random chunks (lines split and cut there), each line parsed (with
 * and without the compose prefix), classified by the default or a per-service
 * classifier, its message unescaped and sanitized, grouped by signature in a
 * tiny table (so evictions happen); then the groups are sorted.  Byte 0 picks
 * the options (classifiers, compose prefix, a time window, a stream service,
 * zone overrides and the outside analyzer, a first line longer than
 * WM_LOGLINE_MAX). */
#include "config.h"

#include "logs/classify.h"
#include "fuzz.h"
#include "logs/groups.h"
#include "logs/logline.h"
#include "logs/logstream.h"

static struct wm_classify_set *set; /* compiled once: PCRE2 compilation is slow */

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct wm_err err = {0};
	struct wm_classifier *deflt = wm_classifier_new(NULL, NULL, NULL, &err);
	struct wm_classifier *backend =
	    wm_classifier_new("\\bFATAL\\b", "(?i)\\bexception\\b", "", &err);

	(void)argc;
	(void)argv;
	if (!deflt || !backend)
		abort();
	set = wm_classify_set_new(deflt);
	if (!set || wm_classify_set_add(set, "backend", backend, &err) != 0)
		abort();
	return 0;
}

static void
one_line(void *ctx, const struct wm_logline *ll)
{
	struct wm_groups *g = ctx;
	char buf[256], clean[512];
	const char *msg;
	size_t n = wm_logline_message(ll, buf, sizeof(buf), &msg);

	(void)wm_utf8_sanitize(msg, n, clean, sizeof(clean));
	(void)wm_groups_signature(msg, n, clean, sizeof(clean));
	if (ll->service)
		(void)wm_logline_service_is(ll->service, ll->service_len, "backend");
	(void)wm_level_name(ll->level);
	wm_groups_add(g, ll);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wm_groups *g = wm_groups_new(3);
	struct wm_log_analyzer a = {one_line, NULL};
	struct wm_logstream *ls;
	struct wm_err err = {0};
	const struct wm_group **sorted;
	unsigned seed = size ? data[0] : 0;
	size_t n, off = 0;

	if (!g)
		abort();
	a.ctx = g;
	ls = wm_logstream_new(seed & 1 ? set : NULL, seed & 2 ? WM_LOGLINE_COMPOSE : 0);
	if (!ls || wm_logstream_add(ls, &a, &err) != 0)
		abort();
	if (seed & 4)
		wm_logstream_set_window(ls, 1717200000000, 1717300000000);
	if (seed & 8 && wm_logstream_set_service(ls, "backend") != 0)
		abort();
	if ((seed & 0x30) == 0x10) { /* zone overrides, lines outside the window */
		static struct wm_zone_overrides z;

		if (wm_zone_overrides_parse(&z, "CST=-06:00, IST=+05:30", &err) != 0)
			abort();
		wm_logstream_set_zones(ls, &z);
		wm_logstream_set_outside(ls, &a);
	}
	if ((seed & 0xf0) == 0xf0) { /* rarely: a line longer than WM_LOGLINE_MAX, continued */
		static char run[WM_LOGLINE_MAX + 7];

		memset(run, 'x', sizeof(run));
		wm_logstream_feed(ls, run, sizeof(run));
	}
	while (off < size) { /* chunks of 1..64 bytes, or the rest */
		size_t chunk;

		seed = seed * 1103515245u + 12345u;
		chunk = (seed >> 16) % 5 == 0 ? size - off : 1 + (seed >> 16) % 64;
		if (chunk > size - off)
			chunk = size - off;
		wm_logstream_feed(ls, (const char *)data + off, chunk);
		off += chunk;
	}
	wm_logstream_flush(ls);
	(void)wm_logstream_stats(ls);
	(void)wm_level_parse((const char *)data, size < 16 ? size : 16);
	sorted = wm_groups_sorted(g, &n);
	free(sorted);
	wm_logstream_free(ls);
	wm_groups_free(g);
	return 0;
}
