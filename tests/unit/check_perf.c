/* check_perf.c - durations from the logs: the research's slow-request lines
 * (a tail, and said so), the world's timed nginx lines against sort | awk
 * percentiles and a sed-masked route count, the honeypot log's throughput
 * against uniq -c. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/perf.h"
#include "stream.h"
#include "unit.h"

struct run {
	struct wm_perf *p;
	struct wm_logstream *ls;
};

static void
start(struct run *r, const struct wm_perf_opts *o)
{
	struct wm_err err = {0};

	r->p = wm_perf_new(o, &err);
	ck_assert_msg(r->p != NULL, "%s", err.msg);
	r->ls = wm_unit_stream(wm_perf_analyzer(r->p));
}

static void
stop(struct run *r)
{
	wm_logstream_free(r->ls);
	wm_perf_free(r->p);
}

static double
dur(const char *s, double unit)
{
	double v = -1;

	ck_assert_msg(wm_perf_duration(s, strlen(s), unit, &v), "%s", s);
	return v;
}

static const char *
route(const char *m, const char *t)
{
	static char out[WM_PERF_ROUTE_MAX];

	wm_perf_route(m, strlen(m), t, strlen(t), out, sizeof out);
	return out;
}

START_TEST(test_parse)
{
	double v;

	ck_assert_double_eq_tol(dur("1532ms", 1e-3), 1.532, 1e-12);
	ck_assert_double_eq_tol(dur("2.3s", 1e-3), 2.3, 1e-12);
	ck_assert_double_eq_tol(dur("850us", 1), 850e-6, 1e-15);
	ck_assert_double_eq_tol(dur("1.5 min", 1), 90, 1e-12);
	ck_assert_double_eq_tol(dur("87", 1e-3), 0.087, 1e-12);
	ck_assert_double_eq_tol(dur("0.25", 1), 0.25, 1e-12);
	ck_assert(!wm_perf_duration("fast", 4, 1, &v));
	ck_assert(!wm_perf_duration("12 parsecs", 10, 1, &v));
	ck_assert(!wm_perf_duration("", 0, 1, &v));
	ck_assert_str_eq(route("GET", "/api/orders/42?x=1"), "GET /api/orders/:id");
	ck_assert_str_eq(route("PUT", "/api/tenants/6f1c2a9e-1b2c-4d5e-8f90-0123456789ab/users"),
			 "PUT /api/tenants/:id/users");
	ck_assert_str_eq(route("GET", "/api/honeypot/html-interactions/6814a7e05e581d04834cd8b6"),
			 "GET /api/honeypot/html-interactions/:id");
	ck_assert_str_eq(route("GET", "/static/js/main.1004f3a6.js"),
			 "GET /static/js/main.1004f3a6.js");
	ck_assert_str_eq(route("GET", "/api/v2/deadbeefdeadbeef"), "GET /api/v2/deadbeefdeadbeef");
	ck_assert_str_eq(route("", "/"), "/");
}
END_TEST

/* research/warungin.md §2: winston's slow-request lines and NestJS's. */
START_TEST(test_research_tail)
{
	struct wm_perf_opts o = {0};
	struct run r;
	const struct wm_perf_stats *st;
	const struct wm_sketch *sk;
	struct wm_result *res = wm_result_new("wm-perf", "0", NULL);
	struct wm_check *c;
	size_t n;

	start(&r, &o);
	static const char lines[] =
	    "{\"duration\":\"1532ms\",\"level\":\"warn\",\"message\":\"Slow request "
	    "detected\",\"method\":\"GET\",\"path\":\"/api/orders\",\"query\":null,\"service\":"
	    "\"warungin\",\"statusCode\":200,\"threshold\":\"1000ms\",\"timestamp\":\"2025-12-31 "
	    "10:15:02\"}\n"
	    "{\"duration\":\"1210ms\",\"level\":\"warn\",\"message\":\"Slow request "
	    "detected\",\"method\":\"GET\",\"path\":\"/api/products\",\"query\":{\"limit\":\"20\","
	    "\"page\":\"1\"},\"service\":\"warungin\",\"statusCode\":200,\"threshold\":\"1000ms\","
	    "\"timestamp\":\"2025-12-31 10:16:40\"}\n"
	    "{\"level\":40,\"time\":\"2026-02-25T08:31:43.643Z\",\"service\":\"warungin-nest\","
	    "\"context\":\"Performance\",\"msg\":\"SLOW REQUEST: GET /api/orders - 1532ms "
	    "(200)\"}\n"
	    "{\"level\":\"info\",\"message\":\"Server running on port 3000\",\"service\":"
	    "\"warungin\",\"timestamp\":\"2025-12-31 09:12:04\"}\n";

	wm_logstream_feed(r.ls, lines, strlen(lines));
	wm_logstream_flush(r.ls);
	st = wm_perf_stats(r.p, WM_PERF_LOG);
	ck_assert_int_eq(st->count, 3);
	ck_assert(st->tail);
	ck_assert_double_eq_tol(st->threshold_s, 1.0, 1e-12);
	ck_assert_int_eq(wm_perf_stats(r.p, WM_PERF_NGINX)->count, 0);
	sk = wm_perf_sketch(r.p, WM_PERF_LOG);
	ck_assert_ptr_nonnull(sk);
	/* rank floor(q (n-1)) of 1.210, 1.532, 1.532 */
	ck_assert_double_eq_tol(wm_sketch_quantile(sk, 0.5), 1.532, 1.532 * 0.01);
	ck_assert_double_eq_tol(wm_sketch_quantile(sk, 0), 1.21, 1e-12);
	wm_perf_routes(r.p, WM_PERF_LOG, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(wm_perf_report(r.p, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(res->nchecks, 1);
	c = wm_result_find_check(res, "perf.log");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->state, WM_OK);
	ck_assert_msg(strncmp(c->summary, "tail only (slow requests): p99 1.5", 34) == 0, "%s",
		      c->summary);
	/* a tail's figures are not the requests': named tail_*, no default range */
	for (size_t i = 0; i < c->nmetrics; i++) {
		ck_assert_msg(strncmp(c->metrics[i].name, "tail_", 5) == 0, "%s",
			      c->metrics[i].name);
		ck_assert_ptr_null(c->metrics[i].warn);
	}
	ck_assert_uint_eq(c->nmetrics, 6); /* tail_requests, p50, p95, p99, max, mean */
	ck_assert(cJSON_IsString(cJSON_GetObjectItem(c->data, "sketch")));
	wm_result_free(res);
	stop(&r);
}
END_TEST

/* Run cmd, read doubles from its output into v (at most n); how many. */
static size_t
read_doubles(const char *cmd, double *v, size_t n)
{
	FILE *p = popen(cmd, "r");
	size_t k = 0;

	ck_assert_ptr_nonnull(p);
	while (k < n && fscanf(p, "%lf", &v[k]) == 1)
		k++;
	pclose(p);
	return k;
}

/* 3000 requests in the world's format over 50 minutes, ever more per
 * minute: skewed times, and 10 % (GET /api/orders/<id>) at 2.5 s as with the
 * world's fault slow:2500. */
START_TEST(test_world_timed_vs_sort)
{
	char path[] = "/tmp/check_perf_XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	unsigned seed = 12345;
	struct wm_perf_opts o = {0};
	struct run r;
	const struct wm_sketch *sk;
	const struct wm_perf_stats *st;
	const struct wm_perf_route *routes;
	struct wm_result *res = wm_result_new("wm-perf", "0", NULL);
	double want[8], q[3] = {0.5, 0.95, 0.99};
	char cmd[1024];
	size_t n;
	uint64_t orders = 0;

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 3000; i++) {
		double u, rt;
		int id, t;
		char req[64];

		seed = seed * 1103515245u + 12345u;
		u = ((seed >> 8) & 0xffff) / 65536.0;
		id = (int)(seed >> 20) % 500;
		if (i % 10 == 3)
			snprintf(req, sizeof req, "GET /api/orders/%d", id);
		else if (i % 2)
			snprintf(req, sizeof req, "GET /api/products?page=%d", i % 5);
		else
			snprintf(req, sizeof req, "POST /api/orders/%d/items", id);
		rt = i % 10 == 3 ? 2.5 : 0.005 + 0.2 * u * u * u + 0.01 * (i % 7);
		orders += i % 10 == 3;
		t = i * i / 3000; /* ever busier minutes */
		fprintf(
		    f,
		    "172.18.0.1 - - [31/Dec/2025:10:%02d:%02d +0000] \"%s HTTP/1.1\" %d 10 \"-\" "
		    "\"k6\" \"-\" rt=%.3f uct=\"0.000\" urt=\"%.3f\"\n",
		    t / 60, t % 60, req, i % 97 == 0 ? 502 : 200, rt, rt > 0.001 ? rt - 0.001 : 0);
	}
	fclose(f);

	start(&r, &o);
	wm_unit_feed_file(r.ls, path);
	st = wm_perf_stats(r.p, WM_PERF_NGINX);
	sk = wm_perf_sketch(r.p, WM_PERF_NGINX);
	ck_assert_ptr_nonnull(sk);
	ck_assert_int_eq(st->count, 3000);
	ck_assert_int_eq(wm_perf_stats(r.p, WM_PERF_UPSTREAM)->count, 3000);
	/* the reference: sort -n and the nearest rank floor(q (n-1)) */
	for (int k = 0; k < 3; k++) {
		snprintf(cmd, sizeof cmd,
			 "sed -n 's/.* rt=\\([0-9.]*\\) .*/\\1/p' %s | sort -g | awk -v q=%g "
			 "'{v[NR] = $1} END {i = int(q * (NR - 1)) + 1; print v[i]}'",
			 path, q[k]);
		ck_assert_int_eq(read_doubles(cmd, &want[k], 1), 1);
		ck_assert_msg(fabs(wm_sketch_quantile(sk, q[k]) - want[k]) <= 0.01 * want[k],
			      "q%g: %g, sort %g", q[k], wm_sketch_quantile(sk, q[k]), want[k]);
	}
	ck_assert_double_eq_tol(want[2], 2.5, 1e-9); /* 10 % at 2.5 s: p99 is one of them */
	/* routes: ids masked by sed, counted by sort | uniq -c */
	snprintf(cmd, sizeof cmd,
		 "awk -F'\"' '{print $2}' %s | sed -E 's/ HTTP.*//; s/[?].*//; "
		 "s#/[0-9]+(/|$)#/:id\\1#g' | sort | uniq -c | awk '{print $1}' | sort -n",
		 path);
	n = read_doubles(cmd, want, 8);
	ck_assert_int_eq(n, 3);
	routes = wm_perf_routes(r.p, WM_PERF_NGINX, &n);
	ck_assert_int_eq(n, 3);
	for (size_t i = 0; i < n; i++)
		if (strcmp(routes[i].name, "GET /api/orders/:id") == 0)
			ck_assert_int_eq(wm_sketch_count(routes[i].sk), orders);
	ck_assert_int_eq(orders, (uint64_t)want[0]);
	/* throughput: consecutive minutes by uniq -c, the first and last left out */
	snprintf(cmd, sizeof cmd,
		 "awk '{print substr($4, 2, 17)}' %s | uniq -c | sed '1d;$d' | awk '{print $1}' | "
		 "sort -n | sed -n '1p;$p'",
		 path);
	ck_assert_int_eq(read_doubles(cmd, want, 2), 2);
	ck_assert_int_eq(st->minute_min, (uint64_t)want[0]);
	ck_assert_int_eq(st->minute_max, (uint64_t)want[1]);
	ck_assert_int_eq(wm_perf_report(r.p, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(wm_result_find_check(res, "perf.nginx")->state, WM_WARNING);
	ck_assert_int_eq(wm_result_find_check(res, "perf.upstream")->state, WM_WARNING);
	ck_assert_ptr_null(wm_result_find_check(res, "perf.log"));
	ck_assert_msg(strstr(wm_result_find_check(res, "perf.nginx")->summary,
			     "slowest GET /api/orders/:id, p99 2.5") != NULL,
		      "%s", wm_result_find_check(res, "perf.nginx")->summary);
	wm_result_free(res);
	stop(&r);
	unlink(path);
}
END_TEST

START_TEST(test_honeypot_throughput)
{
	struct wm_perf_opts o = {0};
	struct run r;
	const struct wm_perf_stats *st;
	struct wm_result *res = wm_result_new("wm-perf", "0", NULL);
	double want[3];
	char cmd[8192];
	const char *path = wm_unit_honeypot("check_perf");

	start(&r, &o);
	wm_unit_feed_file(r.ls, path);
	st = wm_perf_stats(r.p, WM_PERF_NGINX);
	snprintf(cmd, sizeof cmd, "awk 'END {print NR}' '%s'", path);
	ck_assert_int_eq(read_doubles(cmd, want, 1), 1);
	ck_assert_int_eq(st->count, (uint64_t)want[0]);
	ck_assert_ptr_null(wm_perf_sketch(r.p, WM_PERF_NGINX)); /* main format: no times */
	snprintf(
	    cmd, sizeof cmd,
	    "awk '{print substr($4, 2, 17)}' '%s' | uniq -c | sed '1d;$d' | awk '{print $1}' | "
	    "sort -n | tail -n 1",
	    path);
	ck_assert_int_eq(read_doubles(cmd, want, 1), 1);
	ck_assert_int_eq(st->minute_max, (uint64_t)want[0]);
	ck_assert_int_eq(wm_perf_report(r.p, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(wm_result_state(res), WM_OK);
	ck_assert_ptr_nonnull(strstr(wm_result_find_check(res, "perf.nginx")->summary,
				     "no durations in this log format"));
	wm_result_free(res);
	stop(&r);
}
END_TEST

/* Nothing read is not "fast": UNKNOWN, for the sources the caller expected. */
START_TEST(test_nothing_read)
{
	struct wm_perf_opts o = {0};
	struct run r;
	struct wm_result *res = wm_result_new("wm-perf", "0", NULL);
	struct wm_check *c;
	static const char slow[] =
	    "{\"duration\":\"1532ms\",\"level\":\"warn\",\"message\":\"Slow request "
	    "detected\",\"method\":\"GET\",\"path\":\"/api/orders\",\"statusCode\":200,"
	    "\"threshold\":\"1000ms\",\"timestamp\":\"2025-12-31 10:15:02\"}\n";

	start(&r, &o);
	ck_assert_int_eq(wm_perf_report(r.p, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(res->nchecks, 1);
	c = wm_result_find_check(res, "perf.nginx");
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(c->state, WM_UNKNOWN);
	ck_assert_str_eq(c->summary, "no requests read from nginx, upstream or log in 1h");
	wm_result_free(res);
	stop(&r);
	/* nginx and upstream expected, only the backend's slow lines read */
	o.expect = WM_PERF_EXPECT(WM_PERF_NGINX) | WM_PERF_EXPECT(WM_PERF_UPSTREAM);
	start(&r, &o);
	res = wm_result_new("wm-perf", "0", NULL);
	wm_logstream_feed(r.ls, slow, strlen(slow));
	wm_logstream_flush(r.ls);
	ck_assert_int_eq(wm_perf_report(r.p, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(res->nchecks, 3);
	ck_assert_int_eq(wm_result_find_check(res, "perf.log")->state, WM_OK);
	c = wm_result_find_check(res, "perf.upstream");
	ck_assert_int_eq(c->state, WM_UNKNOWN);
	ck_assert_str_eq(c->summary, "no requests read from upstream in 1h");
	ck_assert_int_eq(wm_result_find_check(res, "perf.nginx")->state, WM_UNKNOWN);
	ck_assert_int_eq(wm_result_state(res), WM_UNKNOWN);
	wm_result_free(res);
	stop(&r);
}
END_TEST

/* The quietest full minute: a minute without a request between two with
 * some is 0, right after the first (partial) minute or later. */
START_TEST(test_silent_minute_is_quietest)
{
	static const int minutes[2][6] = {{3, 2, 0, 4, 5, 1}, {3, 0, 2, 4, 5, 1}};
	struct wm_perf_opts o = {0};
	char line[256];
	struct run r;

	for (int c = 0; c < 2; c++) {
		start(&r, &o);
		for (int m = 0; m < 6; m++)
			for (int k = 0; k < minutes[c][m]; k++) {
				snprintf(
				    line, sizeof line,
				    "172.18.0.1 - - [31/Dec/2025:10:%02d:%02d +0000] \"GET "
				    "/api/products HTTP/1.1\" 200 10 \"-\" \"k6\" \"-\" rt=0.010 "
				    "uct=\"0.000\" urt=\"0.009\"\n",
				    m, 10 + k);
				wm_logstream_feed(r.ls, line, strlen(line));
			}
		wm_logstream_flush(r.ls);
		ck_assert_int_eq(wm_perf_stats(r.p, WM_PERF_NGINX)->count, 15);
		ck_assert_int_eq(wm_perf_stats(r.p, WM_PERF_NGINX)->minute_max, 5);
		ck_assert_int_eq(wm_perf_stats(r.p, WM_PERF_NGINX)->minute_min, 0);
		stop(&r);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("perf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_research_tail);
	tcase_add_test(tc, test_world_timed_vs_sort);
	tcase_add_test(tc, test_honeypot_throughput);
	tcase_add_test(tc, test_silent_minute_is_quietest);
	tcase_add_test(tc, test_nothing_read);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(suite());
}
