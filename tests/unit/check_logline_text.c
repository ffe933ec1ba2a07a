/* check_logline_text.c - what a text line's own time and level are (issue
 * 11 items 3, 4, 9): zone names and offsets after the time, colour codes
 * anywhere in the line, and the "time level message" layouts whose level
 * must win over the words of the message. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "logs/classify.h"
#include "base/err.h"
#include "logs/logline.h"
#include "logs/logstream.h"
#include "unit.h"

static void
parse(struct wm_logline *ll, const char *s)
{
	wm_logline_parse(ll, s, strlen(s), 0);
}

/* Unix ms of 2021-03-03 08:56:00.580 read as UTC. */
#define LOCAL 1614761760580LL
#define HOUR 3600000LL

START_TEST(test_zones)
{
	static const struct {
		const char *line;
		long long ts; /* -1: no time */
	} cases[] = {
	    {"2021-03-03 08:56:00.580 CET [1] db= LOG:  x", LOCAL - 1 * HOUR},
	    {"2021-03-03 08:56:00.580 CEST [1] db= LOG:  x", LOCAL - 2 * HOUR},
	    {"2021-03-03 08:56:00.580 MSK [1] db= LOG:  x", LOCAL - 3 * HOUR},
	    {"2021-03-03 08:56:00.580 AEST something", LOCAL - 10 * HOUR},
	    {"2021-03-03 08:56:00.580 PST something", LOCAL + 8 * HOUR},
	    {"2021-03-03 08:56:00.580 EST something", LOCAL + 5 * HOUR},
	    {"2021-03-03 08:56:00.580 WIB something", LOCAL - 7 * HOUR},
	    {"2021-03-03 08:56:00.580 +0100 something", LOCAL - 1 * HOUR},
	    {"2021-03-03 08:56:00.580 -05:30 something", LOCAL + 5 * HOUR + 30 * 60000},
	    {"2021-03-03T08:56:00.580+05:30 something", LOCAL - 5 * HOUR - 30 * 60000},
	    {"2021-03-03 08:56:00.580 UTC something", LOCAL},
	    /* an upper-case word that is no zone: the time as written (UTC) */
	    {"2021-03-03 08:56:00.580 INFO something", LOCAL},
	    {"2021-03-03 08:56:00.580 ERROR: something", LOCAL},
	    /* names of several zones hours apart: no time */
	    {"2021-03-03 08:56:00.580 CST [1] db= LOG:  x", -1},
	    {"2021-03-03 08:56:00.580 IST something", -1},
	    {"2021-03-03 08:56:00.580 BST something", -1},
	};
	struct wm_logline ll;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parse(&ll, cases[i].line);
		ck_assert_msg(ll.ts_ms == cases[i].ts, "%s: ts %lld, want %lld", cases[i].line,
			      (long long)ll.ts_ms, cases[i].ts);
	}
	/* the ambiguous line's level is still read, and the rest is the message */
	parse(&ll, "2021-03-03 08:56:00.580 IST ERROR: disk full");
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert(ll.msg_len == 9 && memcmp(ll.msg, "disk full", 9) == 0);
}
END_TEST

START_TEST(test_zone_overrides)
{
	struct wm_zone_overrides z;
	struct wm_err err = {0};
	struct wm_logline ll;

	ck_assert_int_eq(wm_zone_overrides_parse(&z, "CST=-06:00, IST=+0530", &err), 0);
	ck_assert_uint_eq(z.n, 2);
	parse(&ll, "2021-03-03 08:56:00.580 CST x");
	ck_assert(wm_zone_overrides_apply(&z, &ll));
	ck_assert_int_eq(ll.ts_ms, LOCAL + 6 * HOUR);
	parse(&ll, "2021-03-03 08:56:00.580 IST x");
	ck_assert(wm_zone_overrides_apply(&z, &ll));
	ck_assert_int_eq(ll.ts_ms, LOCAL - 5 * HOUR - 30 * 60000);
	parse(&ll, "2021-03-03 08:56:00.580 BST x");
	ck_assert(!wm_zone_overrides_apply(&z, &ll));
	ck_assert_int_eq(ll.ts_ms, -1);
	/* Docker's own time wins over the line's: no override */
	wm_logline_parse(&ll, "2021-03-03T07:00:00.000000000Z 2021-03-03 08:56:00.580 CST x",
			 strlen("2021-03-03T07:00:00.000000000Z 2021-03-03 08:56:00.580 CST x"), 0);
	ck_assert(!wm_zone_overrides_apply(&z, &ll));
	ck_assert_int_eq(ll.ts_ms, 1614754800000LL);
	ck_assert_int_eq(wm_zone_overrides_parse(&z, "XYZ=+01:00", &err), -1);
	ck_assert_int_eq(wm_zone_overrides_parse(&z, "CST=six", &err), -1);
	ck_assert_int_eq(wm_zone_overrides_parse(&z, "CST=+25:00", &err), -1);
	ck_assert_int_eq(wm_zone_overrides_parse(&z, "cst=+01:00", &err), -1);
}
END_TEST

START_TEST(test_strip_ansi)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"12:00:01 \x1b[31merror\x1b[0m: disk full", "12:00:01 error: disk full"},
	    {"level=\x1b[31mFATAL\x1b[0m msg=x", "level=FATAL msg=x"},
	    {"\x1b[1;38;5;196mred\x1b[39m", "red"},
	    {"lone \x1b at end \x1b", "lone at end "},
	    {"cut \x1b[31", "cut "},
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *in = cases[i].in, *esc = strchr(in, '\x1b');
		char out[128];
		size_t n = wm_logline_strip_ansi(in, strlen(in), (size_t)(esc - in), out);

		ck_assert_msg(n == strlen(cases[i].out) && memcmp(out, cases[i].out, n) == 0,
			      "case %zu: got '%.*s'", i, (int)n, out);
	}
}
END_TEST

/* winston's colorize() before json(): the colour codes are escaped inside
 * the level string. */
START_TEST(test_json_coloured_level)
{
	struct wm_logline ll;

	parse(&ll, "{\"level\":\"\\u001b[31merror\\u001b[39m\",\"message\":\"boom\"}");
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert(ll.structured);
	parse(&ll, "{\"level\":\"\\u001b[32minfo\\u001b[39m\",\"message\":\"an error\"}");
	ck_assert_int_eq(ll.level, WM_LVL_INFO);
	parse(&ll, "{\"level\":\"\\u001b[32mnonsense\\u001b[39m\",\"message\":\"x\"}");
	ck_assert(!ll.structured);
}
END_TEST

struct seen {
	int level[8];
	char text[8][256];
	size_t n;
};

static void
record(void *ctx, const struct wm_logline *ll)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->level[s->n] = ll->level;
		snprintf(s->text[s->n], sizeof s->text[0], "%.*s", (int)ll->text_len, ll->text);
		s->n++;
	}
}

/* Through a stream with the default classifier: coloured levels count, no
 * colour code is left in the text that is shown, and the layout's level
 * wins over words of the message. */
START_TEST(test_stream_levels)
{
	static const char in[] =
	    "web-1  | 12:00:01 \x1b[31merror\x1b[0m: disk full\n"
	    "web-1  | level=\x1b[31mFATAL\x1b[0m msg=\"boom\"\n"
	    "web-1  | [12:00:01.000] \x1b[31mERROR\x1b[39m (123 on host): \x1b[36mfailed\x1b[39m\n"
	    "web-1  | [2025-01-20 22:49:31.317] INFO  No response / error from config server\n"
	    "web-1  | 2025-01-20 22:49:31.317 | WARNING  | mod:f:12 - an error word\n"
	    "web-1  | [22:49:31.317] INFO (1 on h): fatal words inside\n";
	static const int want[] = {WM_LVL_ERROR, WM_LVL_CRITICAL, WM_LVL_ERROR,
				   WM_LVL_INFO,	 WM_LVL_WARN,	  WM_LVL_INFO};
	struct wm_err err = {0};
	struct wm_classifier *c = wm_classifier_new(NULL, NULL, NULL, &err);
	struct wm_classify_set *set = wm_classify_set_new(c);
	struct wm_logstream *s = wm_logstream_new(set, WM_LOGLINE_COMPOSE);
	struct seen seen = {0};
	struct wm_log_analyzer a = {record, &seen};

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(wm_logstream_add(s, &a, &err), 0);
	wm_logstream_feed(s, in, sizeof in - 1);
	wm_logstream_flush(s);
	ck_assert_uint_eq(seen.n, 6);
	for (size_t i = 0; i < 6; i++) {
		ck_assert_msg(seen.level[i] == want[i], "line %zu: level %d, want %d", i,
			      seen.level[i], want[i]);
		ck_assert_msg(!strchr(seen.text[i], '\x1b') && !strstr(seen.text[i], "[0m") &&
				  !strstr(seen.text[i], "[39m"),
			      "line %zu keeps a colour code: %s", i, seen.text[i]);
	}
	wm_logstream_free(s);
	wm_classify_set_free(set);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logline_text");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_zones);
	tcase_add_test(tc, test_zone_overrides);
	tcase_add_test(tc, test_strip_ansi);
	tcase_add_test(tc, test_json_coloured_level);
	tcase_add_test(tc, test_stream_levels);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
