/* check_promtext.c - the Prometheus text format parser on the world's
 * /api/metrics output, on the exposition-format documentation's corners
 * (promtool-valid), and on what it must refuse with a line number. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "base/file.h"
#include "model/promtext.h"
#include "unit.h"

static struct wm_prom_doc *
parse_file(const char *name, char **text, size_t *len)
{
	char path[512];
	struct wm_err e = {0};
	struct wm_prom_doc *d;

	snprintf(path, sizeof(path), "%s/tests/fixtures/prom/%s", WM_TEST_SRCDIR, name);
	ck_assert_msg(wm_file_read(path, 1 << 20, text, len, &e) == 0, "%s", e.msg);
	d = wm_prom_parse(*text, *len, &e);
	ck_assert_msg(d != NULL, "%s: %s", name, e.msg);
	return d;
}

/* Sample lines counted the simple way: not blank, not a comment. */
static size_t
count_sample_lines(const char *t, size_t len)
{
	size_t n = 0;

	for (const char *p = t; p < t + len;) {
		const char *nl = memchr(p, '\n', (size_t)(t + len - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(t + len - p);

		while (l && (*p == ' ' || *p == '\t')) {
			p++;
			l--;
		}
		if (l && *p != '#')
			n++;
		p += l + 1;
	}
	return n;
}

START_TEST(test_promtext_world)
{
	char *text;
	size_t len, nh;
	struct wm_prom_doc *d = parse_file("world-metrics.prom", &text, &len);
	const struct wm_prom_family *f;
	struct wm_prom_hist *h;
	struct wm_err e = {0};

	ck_assert_uint_eq(d->nsamples, count_sample_lines(text, len));
	ck_assert_uint_eq(d->nsamples, 79);
	/* three histograms (redis has no series yet), two counters, two gauges */
	ck_assert_uint_eq(d->nfamilies, 7);
	f = wm_prom_family_find(d, "warungin_http_request_duration_seconds");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->type, WM_PROM_HISTOGRAM);
	ck_assert_str_eq(f->help, "Duration of HTTP requests in seconds");
	ck_assert_uint_eq(f->nsamples, 4 * 12); /* 4 series x (10 buckets + sum + count) */
	f = wm_prom_family_find(d, "warungin_redis_operation_duration_seconds");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->nsamples, 0);
	ck_assert_ptr_null(wm_prom_family_find(d, "warungin_http_request_duration_seconds_bucket"));
	f = wm_prom_family_find(d, "warungin_process_start_time_seconds");
	ck_assert_int_eq(f->type, WM_PROM_GAUGE);

	/* lines 53-76: the DB histogram, two series sorted by label set */
	ck_assert_int_eq(wm_prom_histograms(d, "warungin_db_query_duration_seconds", &h, &nh, &e),
			 0);
	ck_assert_uint_eq(nh, 2);
	ck_assert_str_eq(wm_prom_hist_label(&h[0], "operation"), "insert");
	ck_assert_ptr_null(wm_prom_hist_label(&h[0], "le"));
	ck_assert_uint_eq(h[0].nbuckets, 10);
	ck_assert(h[0].buckets[0].le == 0.1 && h[0].buckets[0].count == 64);
	ck_assert(h[0].buckets[1].le == 0.3 && h[0].buckets[1].count == 67);
	ck_assert(isinf(h[0].buckets[9].le) && h[0].buckets[9].count == 67);
	ck_assert(h[0].sum == 2.275494 && h[0].count == 67);
	ck_assert_str_eq(wm_prom_hist_label(&h[1], "operation"), "select");
	ck_assert(h[1].buckets[0].count == 128 && h[1].count == 133);
	wm_prom_hists_free(h, nh);

	ck_assert_int_eq(
	    wm_prom_histograms(d, "warungin_http_request_duration_seconds", &h, &nh, &e), 0);
	ck_assert_uint_eq(nh, 4);
	for (size_t i = 0; i < nh; i++) {
		ck_assert_uint_eq(h[i].nlabels, 3);
		ck_assert_str_eq(h[i].labels[0].name, "method"); /* sorted by name */
		ck_assert_str_eq(h[i].labels[2].name, "status_code");
		ck_assert(h[i].buckets[9].count == h[i].count);
	}
	wm_prom_hists_free(h, nh);
	ck_assert_int_eq(wm_prom_histograms(d, "nothing_here", &h, &nh, &e), 0);
	ck_assert_uint_eq(nh, 0);
	wm_prom_hists_free(h, nh);
	wm_prom_free(d);
	free(text);
}
END_TEST

START_TEST(test_promtext_corners)
{
	char *text;
	size_t len, nh;
	struct wm_prom_doc *d = parse_file("edge-cases.prom", &text, &len);
	const struct wm_prom_family *f;
	const struct wm_prom_sample *s;
	struct wm_prom_hist *h;
	struct wm_err e = {0};

	ck_assert_uint_eq(d->nsamples, count_sample_lines(text, len));
	f = wm_prom_family_find(d, "http_requests_total");
	ck_assert_str_eq(f->help,
			 "The total number of HTTP requests, with a \\ and a\nsecond line.");
	ck_assert_int_eq(f->type, WM_PROM_COUNTER);
	s = &d->samples[0];
	ck_assert_str_eq(s->name, "http_requests_total");
	ck_assert_str_eq(wm_prom_label(s, "method"), "post");
	ck_assert(s->value == 1027 && s->has_ts && s->ts_ms == 1395066363000LL);
	ck_assert_uint_eq(s->line, 4);
	ck_assert(d->samples[1].value == 3);
	s = &d->samples[2];
	ck_assert_str_eq(wm_prom_label(s, "path"), "C:\\DIR\\FILE.TXT");
	ck_assert_str_eq(wm_prom_label(s, "error"), "Cannot find file:\n\"FILE.TXT\"");
	ck_assert(s->value == 1.458255915e9 && !s->has_ts);
	ck_assert(d->samples[3].value == 12.47 && d->samples[3].nlabels == 0);
	s = &d->samples[4];
	ck_assert(isinf(s->value) && s->value > 0 && s->ts_ms == -3982045);
	ck_assert(isnan(d->samples[5].value));
	ck_assert_uint_eq(d->samples[5].nlabels, 1); /* trailing comma */
	ck_assert(isinf(d->samples[6].value) && d->samples[6].value < 0);
	f = wm_prom_family_find(d, "rpc_duration_seconds");
	ck_assert_int_eq(f->type, WM_PROM_SUMMARY);
	ck_assert_uint_eq(f->nsamples, 7);
	ck_assert_int_eq(wm_prom_histograms(d, "http_request_duration_seconds", &h, &nh, &e), 0);
	ck_assert_uint_eq(nh, 1);
	ck_assert_uint_eq(h[0].nlabels, 0);
	ck_assert_uint_eq(h[0].nbuckets, 6);
	ck_assert(h[0].buckets[2].le == 0.2 && h[0].buckets[2].count == 100392);
	ck_assert(h[0].sum == 53423 && h[0].count == 144320);
	wm_prom_hists_free(h, nh);
	wm_prom_free(d);
	free(text);
}
END_TEST

static struct wm_prom_doc *
parse_str(const char *t)
{
	struct wm_err e = {0};
	struct wm_prom_doc *d = wm_prom_parse(t, strlen(t), &e);

	ck_assert_msg(d != NULL, "refused %s: %s", t, e.msg);
	return d;
}

START_TEST(test_promtext_lenient)
{
	struct wm_prom_doc *d;
	struct wm_prom_hist *h;
	size_t nh;
	struct wm_err e = {0};

	/* CRLF, no final newline, blanks around tokens, other comments */
	d = parse_str("# just a comment\r\n  # HELPER not help\r\nx{ a = \"1\" , } 2 \r\nx 3");
	ck_assert_uint_eq(d->nsamples, 2);
	ck_assert_str_eq(wm_prom_label(&d->samples[0], "a"), "1");
	ck_assert(d->samples[0].value == 2 && d->samples[1].value == 3);
	ck_assert_uint_eq(d->samples[1].line, 4);
	wm_prom_free(d);
	d = parse_str("");
	ck_assert_uint_eq(d->nsamples, 0);
	wm_prom_free(d);
	/* untyped histogram-shaped series (no TYPE line) still group; buckets
	 * out of order get sorted; 1e-3 and +Inf bounds */
	d = parse_str("y_bucket{le=\"+Inf\",r=\"a\"} 9\ny_bucket{r=\"a\",le=\"1e-3\"} 4\n"
		      "y_bucket{r=\"b\",le=\"+Inf\"} 1\ny_count{r=\"a\"} 9\n");
	ck_assert_int_eq(wm_prom_histograms(d, "y", &h, &nh, &e), 0);
	ck_assert_uint_eq(nh, 2);
	ck_assert_str_eq(wm_prom_hist_label(&h[0], "r"), "a");
	ck_assert(h[0].buckets[0].le == 1e-3 && h[0].buckets[0].count == 4);
	ck_assert(isinf(h[0].buckets[1].le) && h[0].count == 9 && isnan(h[0].sum));
	ck_assert(isnan(h[1].count));
	wm_prom_hists_free(h, nh);
	wm_prom_free(d);
	/* a duplicate bound in one series */
	d = parse_str("z_bucket{le=\"1\"} 1\nz_bucket{le=\"1.0\"} 2\n");
	ck_assert_int_eq(wm_prom_histograms(d, "z", &h, &nh, &e), -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
	ck_assert_msg(strstr(e.msg, "given twice") != NULL, "%s", e.msg);
	ck_assert_ptr_null(h);
	wm_prom_free(d);
	/* untyped z_bucket with a bad le: parsed, refused when grouped */
	d = parse_str("z_bucket{le=\"x\"} 1\n");
	ck_assert_int_eq(wm_prom_histograms(d, "z", &h, &nh, &e), -1);
	ck_assert_msg(strstr(e.msg, "line 1:") == e.msg, "%s", e.msg);
	wm_prom_free(d);
}
END_TEST

static void
bad(const char *t, size_t line, const char *what)
{
	struct wm_err e = {0};
	char want[32];

	ck_assert_msg(wm_prom_parse(t, strlen(t), &e) == NULL, "accepted %s", t);
	snprintf(want, sizeof(want), "line %zu: ", line);
	ck_assert_msg(strncmp(e.msg, want, strlen(want)) == 0, "%s: %s", t, e.msg);
	ck_assert_msg(strstr(e.msg, what) != NULL, "%s: '%s' lacks '%s'", t, e.msg, what);
}

START_TEST(test_promtext_refused)
{
	struct wm_err e = {0};
	char *big;

	bad("x 1\n# HELP x a\n# HELP x b\n", 3, "second HELP");
	bad("# TYPE x gauge\n# TYPE x counter\n", 2, "second TYPE");
	bad("# TYPE x untyped\n# TYPE x untyped\n", 2, "second TYPE");
	bad("x 1\n# TYPE x gauge\n", 2, "TYPE after its samples");
	bad("# TYPE x gauges\n", 1, "unknown type");
	bad("# TYPE x gauge extra\n", 1, "text after");
	bad("# TYPE\n", 1, "without a metric name");
	bad("x{a=\"1\",a=\"2\"} 1\n", 1, "given twice");
	bad("x{a=\"1} 1\n", 1, "unterminated");
	bad("x{a=\"\\t\"} 1\n", 1, "bad escape");
	bad("x{a=1} 1\n", 1, "quoted value");
	bad("x{1a=\"1\"} 1\n", 1, "bad label name");
	bad("x{a=\"1\" b=\"2\"} 1\n", 1, "expected , or }");
	bad("ok 1\nx\n", 2, "bad value");
	bad("x one\n", 1, "bad value");
	bad("x 1 2 3\n", 1, "text after");
	bad("x 1 12.5\n", 1, "bad timestamp");
	bad("x 1 99999999999999999999\n", 1, "bad timestamp");
	bad("9x 1\n", 1, "metric name");
	bad("\n\n{a=\"b\"} 1\n", 3, "metric name");
	bad("# TYPE h histogram\nh_bucket{x=\"1\"} 1\n", 2, "without a le label");
	bad("# TYPE h histogram\nh_bucket{le=\"fast\"} 1\n", 2, "not a float");
	bad("# TYPE s summary\ns 1\n", 2, "without a quantile label");
	/* strtod takes these, Prometheus does not: hex, NaN with a payload or sign */
	bad("x 0x10\n", 1, "bad value");
	bad("x -0X1p3\n", 1, "bad value");
	bad("x nan(123)\n", 1, "bad value");
	bad("x -NaN\n", 1, "bad value");
	bad("# TYPE h histogram\nh_bucket{le=\"0x10\"} 1\n", 2, "not a float");
	{ /* ... and what both take */
		static const char *const ok[] = {"NaN", "nan",	"+Inf", "-Inf",
						 "Inf", "-0.5", "1e-3", "0"};
		double v;

		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
			ck_assert_msg(wm_prom_parse_float(ok[i], strlen(ok[i]), &v) == 0, "%s",
				      ok[i]);
	}
	ck_assert_ptr_null(wm_prom_parse("x 1\nx\0 1\n", 9, &e));
	ck_assert_str_eq(e.msg, "line 2: NUL byte");
	/* the bounds */
	big = malloc(WM_PROM_LINE_MAX + 16);
	memset(big, 'a', WM_PROM_LINE_MAX + 8);
	memcpy(big + WM_PROM_LINE_MAX + 8, " 1\n", 4);
	ck_assert_ptr_null(wm_prom_parse(big, strlen(big), &e));
	ck_assert_int_eq(e.code, WM_ETOOBIG);
	free(big);
	ck_assert_ptr_null(wm_prom_parse("x 1", (size_t)WM_PROM_TEXT_MAX + 1, &e));
	ck_assert_int_eq(e.code, WM_ETOOBIG);
	{
		char many[2048] = "x{";

		for (int i = 0; i <= WM_PROM_LABELS_MAX; i++)
			snprintf(many + strlen(many), sizeof(many) - strlen(many), "l%d=\"v\",", i);
		snprintf(many + strlen(many), sizeof(many) - strlen(many), "} 1\n");
		ck_assert_ptr_null(wm_prom_parse(many, strlen(many), &e));
		ck_assert_int_eq(e.code, WM_ETOOBIG);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("promtext");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_promtext_world);
	tcase_add_test(tc, test_promtext_corners);
	tcase_add_test(tc, test_promtext_lenient);
	tcase_add_test(tc, test_promtext_refused);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
