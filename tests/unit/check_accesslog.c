/* check_accesslog.c - nginx access lines by log_format: the research's
 * fixtures field by field, the world's timed format, field positions of a
 * custom format, the client behind X-Forwarded-For, and the real honeypot log
 * against awk's reading of the same file. */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs/accesslog.h"
#include "stream.h"
#include "unit.h"

static struct wm_accesslog_format fmt;

static void
use(const char *spec)
{
	struct wm_err err = {0};

	ck_assert_msg(wm_accesslog_format_parse(&fmt, spec, &err) == 0, "%s", err.msg);
}

static bool
parse(struct wm_accesslog_entry *e, const char *line)
{
	return wm_accesslog_parse(&fmt, e, line, strlen(line));
}

static void
eq(struct wm_al_str s, const char *want)
{
	if (!want) {
		ck_assert_ptr_null(s.p);
		return;
	}
	ck_assert_ptr_nonnull(s.p);
	ck_assert_int_eq(s.len, strlen(want));
	ck_assert_msg(memcmp(s.p, want, s.len) == 0, "%.*s != %s", (int)s.len, s.p, want);
}

START_TEST(test_combined)
{
	struct wm_accesslog_entry e;

	use(WM_ACCESSLOG_COMBINED);
	ck_assert(parse(&e, "203.0.113.7 - - [01/Jun/2024:10:00:01 +0000] \"GET /api/items?page=2 "
			    "HTTP/1.1\" 200 5120 \"https://shop.example.com/\" \"Mozilla/5.0 (X11; "
			    "Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0\""));
	eq(e.addr, "203.0.113.7");
	eq(e.user, NULL);
	ck_assert_int_eq(e.ts_ms, 1717236001000LL); /* date -d '2024-06-01 10:00:01Z' +%s */
	eq(e.method, "GET");
	eq(e.path, "/api/items");
	eq(e.query, "page=2");
	eq(e.proto, "HTTP/1.1");
	ck_assert_int_eq(e.status, 200);
	ck_assert_int_eq(e.bytes, 5120);
	eq(e.referer, "https://shop.example.com/");
	eq(e.agent, "Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0");
	eq(e.xff, NULL);
	ck_assert(e.request_time < 0 && e.upstream_time < 0 && !e.partial);

	ck_assert(parse(&e, "172.18.0.1 - alice [01/Jun/2024:10:00:02 +0200] \"POST /login "
			    "HTTP/1.1\" 302 0 \"-\" \"curl/8.5.0\""));
	eq(e.user, "alice");
	ck_assert_int_eq(e.ts_ms, 1717236002000LL - 2 * 3600 * 1000);
	eq(e.query, NULL);
	eq(e.referer, NULL);
	ck_assert_int_eq(e.bytes, 0);
	/* trailing fields the format does not name are ignored */
	ck_assert(parse(&e,
			"172.18.0.1 - - [01/Jun/2024:10:00:03 +0000] \"GET / HTTP/1.1\" 200 615 "
			"\"-\" \"curl/8.5.0\" \"-\""));
	eq(e.path, "/");
}
END_TEST

START_TEST(test_world_timed)
{
	struct wm_accesslog_entry e;

	use(WM_ACCESSLOG_WORLD);
	ck_assert(parse(&e, "172.18.0.1 - - [01/Jun/2024:10:00:04 +0000] \"GET /api/orders "
			    "HTTP/1.1\" 200 1834 \"-\" \"python-requests/2.32.3\" \"198.51.100.4\" "
			    "rt=0.048 uct=\"0.001\" urt=\"0.047\""));
	ck_assert_double_eq_tol(e.request_time, 0.048, 1e-12);
	ck_assert_double_eq_tol(e.upstream_time, 0.047, 1e-12);
	eq(e.xff, "198.51.100.4");
	ck_assert(!e.partial);
	/* retried upstream: the list is summed; static file: no upstream */
	ck_assert(parse(&e,
			"172.18.0.1 - - [01/Jun/2024:10:00:06 +0000] \"GET /api/slow HTTP/1.1\" "
			"200 77 \"-\" \"curl/8.5.0\" \"-\" rt=3.012 uct=\"0.000, 0.001\" "
			"urt=\"0.004, 3.001\""));
	ck_assert_double_eq_tol(e.upstream_time, 3.005, 1e-9);
	ck_assert(parse(&e, "172.18.0.1 - - [01/Jun/2024:10:00:05 +0000] \"GET /static/app.js "
			    "HTTP/1.1\" 200 48213 \"-\" \"Mozilla/5.0\" \"-\" rt=0.000 uct=\"-\" "
			    "urt=\"-\""));
	ck_assert_double_eq(e.request_time, 0);
	ck_assert(e.upstream_time < 0);
	/* the world's format reads combined and main lines: the missing fields are absent */
	ck_assert(parse(&e, "203.0.113.7 - - [01/Jun/2024:10:00:01 +0000] \"GET /x HTTP/1.1\" 404 "
			    "10 \"-\" \"curl/8.5.0\""));
	ck_assert(e.partial && e.status == 404 && e.request_time < 0);
	eq(e.agent, "curl/8.5.0");
	ck_assert(parse(&e, "::1 - - [01/May/2025:01:52:14 +0000] \"GET /api/health HTTP/1.1\" 502 "
			    "150 \"-\" \"curl/8.5.0\" \"-\""));
	ck_assert(e.partial && e.status == 502);
	eq(e.addr, "::1");
	/* a malformed request line: the fields are absent, the line still counts */
	ck_assert(parse(&e, "198.51.100.9 - - [01/Jun/2024:10:00:07 +0000] "
			    "\"\\x16\\x03\\x01\\x00\\xEE\\x01\" 400 157 \"-\" \"-\" \"-\" rt=0.001 "
			    "uct=\"-\" urt=\"-\""));
	ck_assert(e.status == 400 && !e.method.p && !e.path.p);
	ck_assert(
	    parse(&e, "198.51.100.9 - - [01/Jun/2024:10:00:07 +0000] \"-\" 400 0 \"-\" \"-\""));
	/* not access lines */
	ck_assert(!parse(&e, ""));
	ck_assert(!parse(&e, "2025/05/01 01:52:14 [error] 20#20: *1 connect() failed"));
	ck_assert(!parse(&e, "{\"level\":\"info\",\"message\":\"x\"}"));
	ck_assert(!parse(&e, "1.2.3.4 - - [01/Jun/2024:10:00:07 +0000] \"GET / HTTP/1.1\" 2x0 1"));
	ck_assert(!parse(&e, "1.2.3.4 - - [01/Jun/2024:10:00:07 +0000] \"GET / HTTP/1.1"));
	ck_assert(!parse(&e, "1.2.3.4 - - [01/Jun/2024:10:00:07 +0000]"));
	ck_assert(!parse(&e, "1.2.3.4 - - [yesterday] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""));
}
END_TEST

START_TEST(test_field_positions)
{
	struct wm_accesslog_entry e;
	struct wm_err err = {0};

	/* a JSON-ish and a reordered format: positions come from the format */
	use("$time_iso8601 ${status} $request_method $request_uri $http_x_forwarded_for "
	    "$request_time|$upstream_response_time|$remote_addr|$host");
	ck_assert(parse(&e, "2026-01-02T03:04:05+00:00 403 PUT /api/tenants/9?x=1 203.0.113.5 "
			    "0.250|0.249|10.0.0.2|pos.example"));
	ck_assert_int_eq(e.status, 403);
	ck_assert_int_eq(e.ts_ms, 1767323045000LL);
	eq(e.method, "PUT");
	eq(e.path, "/api/tenants/9");
	eq(e.query, "x=1");
	eq(e.addr, "10.0.0.2");
	ck_assert_double_eq_tol(e.request_time, 0.25, 1e-12);
	ck_assert_double_eq_tol(e.upstream_time, 0.249, 1e-12);
	use("$msec $status $uri?$args");
	ck_assert(parse(&e, "1746064334.123 200 /a?b=c"));
	ck_assert_int_eq(e.ts_ms, 1746064334123LL);
	eq(e.path, "/a");
	eq(e.query, "b=c");
	/* formats we refuse */
	ck_assert_int_eq(wm_accesslog_format_parse(&fmt, "$remote_addr $request", &err), -1);
	ck_assert_int_eq(wm_accesslog_format_parse(&fmt, "$ $status", &err), -1);
	ck_assert_int_eq(wm_accesslog_format_parse(&fmt, "${status", &err), -1);
	ck_assert_int_eq(wm_accesslog_format_parse(&fmt,
						   "$status [this literal is far too long "
						   "to be a separator] $request",
						   &err),
			 -1);
}
END_TEST

START_TEST(test_client_address)
{
	struct wm_accesslog_entry e;
	struct wm_al_str c;

	use(WM_ACCESSLOG_MAIN);
	ck_assert(parse(&e, "172.18.0.1 - - [01/Jun/2024:10:00:03 +0000] \"POST /api/auth/login "
			    "HTTP/1.1\" 401 60 \"-\" \"curl\" \"6.6.6.6, 203.0.113.9, 10.0.0.1\""));
	/* behind our own proxies: the rightmost address that is not one */
	c = wm_accesslog_client(&e, true);
	eq(c, "203.0.113.9");
	/* not trusting anything: the peer */
	c = wm_accesslog_client(&e, false);
	eq(c, "172.18.0.1");
	/* a public peer's X-Forwarded-For is the client's own claim: ignored */
	ck_assert(parse(&e,
			"198.51.100.1 - - [01/Jun/2024:10:00:03 +0000] \"GET / HTTP/1.1\" 200 1 "
			"\"-\" \"-\" \"1.1.1.1\""));
	eq(wm_accesslog_client(&e, true), "198.51.100.1");
	ck_assert(parse(&e, "127.0.0.1 - - [01/Jun/2024:10:00:03 +0000] \"GET / HTTP/1.1\" 200 1 "
			    "\"-\" \"-\" \"192.168.1.5 , 10.1.1.1\""));
	eq(wm_accesslog_client(&e, true), "192.168.1.5");
	ck_assert(wm_accesslog_private("172.31.255.255", 14));
	ck_assert(!wm_accesslog_private("172.32.0.1", 10));
	ck_assert(wm_accesslog_private("100.64.0.1", 10));
	ck_assert(!wm_accesslog_private("100.128.0.1", 11));
	ck_assert(wm_accesslog_private("::ffff:10.0.0.1", 15));
	ck_assert(wm_accesslog_private("fd00::1", 7));
	ck_assert(!wm_accesslog_private("2001:db8::1", 11));
	ck_assert(!wm_accesslog_private("10.0.0.256", 10));
	ck_assert_double_eq_tol(wm_accesslog_seconds("0.002, 0.004 : 0.010", 20), 0.016, 1e-12);
	ck_assert(wm_accesslog_seconds("-", 1) < 0);
}
END_TEST

/* The honeypot log through the default (world) format against awk's reading:
 * status from the field after the request's closing quote, the request's
 * method, and the bytes summed. */
START_TEST(test_honeypot_vs_awk)
{
	const char *path = wm_unit_honeypot("check_accesslog");
	FILE *f = fopen(path, "r"), *p;
	char line[16384], cmd[8192];
	long status[600] = {0}, want[600] = {0}, lines = 0, parsed = 0, posts = 0, want_posts = -1;
	long long bytes = 0, want_bytes = -1, want_lines = -1;
	struct wm_accesslog_entry e;
	int st;
	long cnt;

	ck_assert_ptr_nonnull(f);
	use(WM_ACCESSLOG_WORLD);
	while (fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, "\n");

		lines++;
		if (!wm_accesslog_parse(&fmt, &e, line, n))
			continue;
		parsed++;
		status[e.status]++;
		bytes += e.bytes > 0 ? e.bytes : 0;
		posts += e.method.len == 4 && memcmp(e.method.p, "POST", 4) == 0;
	}
	fclose(f);
	snprintf(cmd, sizeof cmd,
		 "awk -F'\"' '{split($3, a, \" \"); print a[1]}' '%s' | sort | uniq -c", path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fscanf(p, "%ld %d", &cnt, &st) == 2)
		if (st >= 100 && st < 600)
			want[st] = cnt;
	pclose(p);
	snprintf(cmd, sizeof cmd,
		 "awk -F'\"' '{split($3, a, \" \"); b += a[2]; if ($2 ~ /^POST /) q++} "
		 "END {print NR, b, q + 0}' '%s'",
		 path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%lld %lld %ld", &want_lines, &want_bytes, &want_posts), 3);
	pclose(p);
	ck_assert_int_eq(lines, want_lines);
	ck_assert_int_eq(parsed, lines);
	ck_assert_int_eq(bytes, want_bytes);
	ck_assert_int_eq(posts, want_posts);
	for (int s = 100; s < 600; s++)
		ck_assert_msg(status[s] == want[s], "status %d: %ld, awk %ld", s, status[s],
			      want[s]);
	if (strstr(path, "real-logs")) /* SOURCES.md's count: the reference itself is sane */
		ck_assert_int_eq(want[200], 1150);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("accesslog");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_combined);
	tcase_add_test(tc, test_world_timed);
	tcase_add_test(tc, test_field_positions);
	tcase_add_test(tc, test_client_address);
	tcase_add_test(tc, test_honeypot_vs_awk);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(suite());
}
