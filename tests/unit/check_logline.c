/* check_logline.c - the line parser and the log stream on the real formats:
 * Warungin's backend lines, compose/Docker prefixes, nginx, PostgreSQL,
 * Redis, Apache (against loghub's ground truth), hostile bytes, huge lines,
 * empty input and window boundaries. */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logs/accesslog.h"
#include "logs/classify.h"
#include "logs/groups.h"
#include "logs/logline.h"
#include "logs/logstream.h"
#include "unit.h"

#define FIX WM_TEST_SRCDIR "/tests/fixtures/logs/"

static void
parse(struct wm_logline *ll, const char *s, unsigned flags)
{
	wm_logline_parse(ll, s, strlen(s), flags);
}

static int
msg_is(const struct wm_logline *ll, const char *want)
{
	char buf[4096];
	const char *m;
	size_t n = wm_logline_message(ll, buf, sizeof buf, &m);

	return n == strlen(want) && memcmp(m, want, n) == 0;
}

START_TEST(test_winston)
{
	struct wm_logline ll;

	parse(&ll,
	      "{\"email\":\"admin@warungin.com\",\"hashLength\":60,\"level\":\"error\","
	      "\"message\":\"Password comparison failed:\",\"passwordLength\":4,"
	      "\"service\":\"warungin\",\"timestamp\":\"2025-12-31 10:20:11\"}",
	      0);
	ck_assert_int_eq(ll.format, WM_LOGFMT_JSON);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert(ll.structured);
	ck_assert(msg_is(&ll, "Password comparison failed:"));
	ck_assert_int_eq(ll.ts_ms, 1767176411000LL); /* 2025-12-31T10:20:11Z */
	ck_assert_int_eq(ll.docker_ts_ms, -1);
}
END_TEST

START_TEST(test_json_stack_trace)
{
	struct wm_logline ll;
	char buf[512];
	const char *m;
	size_t n;

	parse(&ll,
	      "{\"level\":\"error\",\"message\":\"Error [orders]:\\nTypeError: x \\\"y\\\"\\n"
	      "    at f (/app/a.js:1:2)\",\"stack\":\"TypeError\\n at g\",\"statusCode\":500}",
	      0);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert(ll.msg_escaped);
	n = wm_logline_message(&ll, buf, sizeof buf, &m);
	ck_assert_str_eq(m, "Error [orders]:\nTypeError: x \"y\"\n    at f (/app/a.js:1:2)");
	ck_assert_uint_eq(n, strlen(m));
	ck_assert_int_eq(ll.status, 500);
	/* \u escapes, also truncated ones, never overrun */
	parse(&ll, "{\"msg\":\"caf\\u00e9 \\u12\",\"level\":\"info\"}", 0);
	n = wm_logline_message(&ll, buf, 8, &m);
	ck_assert_uint_lt(n, 8);
	ck_assert_uint_eq(strlen(buf), n);
}
END_TEST

START_TEST(test_pino)
{
	struct wm_logline ll;

	parse(
	    &ll,
	    "{\"level\":40,\"time\":\"2026-02-25T08:31:43.643Z\",\"service\":\"warungin-nest\","
	    "\"context\":\"Performance\",\"msg\":\"SLOW REQUEST: GET /api/orders - 1532ms (200)\"}",
	    0);
	ck_assert_int_eq(ll.level, WM_LVL_WARN);
	ck_assert_int_eq(ll.ts_ms, 1772008303643LL);
	ck_assert(msg_is(&ll, "SLOW REQUEST: GET /api/orders - 1532ms (200)"));
	parse(&ll, "{\"level\":50,\"time\":1761645224054,\"msg\":\"x\"}", 0);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert_int_eq(ll.ts_ms, 1761645224054LL);
	parse(&ll, "{\"level\":60,\"msg\":\"bye\"}", 0);
	ck_assert_int_eq(ll.level, WM_LVL_CRITICAL);
	/* found by fuzzing: a time beyond int64 ms (inf here) was cast regardless (UB) */
	parse(&ll, "{\"level\":30,\"time\":1e999,\"msg\":\"x\"}", 0);
	ck_assert_int_eq(ll.ts_ms, -1);
	parse(&ll, "{\"level\":30,\"time\":1e300,\"msg\":\"x\"}", 0);
	ck_assert_int_eq(ll.ts_ms, -1);
	parse(&ll, "{\"level\":30,\"time\":1761645224.5,\"msg\":\"x\"}", 0);
	ck_assert_int_eq(ll.ts_ms, 1761645224500LL);
	parse(&ll, "{\"severity\":\"FATAL\",\"message\":\"x\"}", 0);
	ck_assert_int_eq(ll.level, WM_LVL_CRITICAL);
	parse(&ll, "{\"lvl\":\"warning\",\"msg\":\"x\"}", 0);
	ck_assert_int_eq(ll.level, WM_LVL_WARN);
	/* a JSON line without a level is not structured */
	parse(&ll, "{\"message\":\"an error\"}", 0);
	ck_assert(!ll.structured);
}
END_TEST

START_TEST(test_plain_text)
{
	struct wm_logline ll;

	parse(&ll, "🚀 Starting Warungin Backend...", 0);
	ck_assert_int_eq(ll.format, WM_LOGFMT_TEXT);
	ck_assert(!ll.structured);
	ck_assert_int_eq(ll.ts_ms, -1);
	parse(&ll, "INFO:     Started server process [1]", 0);
	ck_assert_int_eq(ll.level, WM_LVL_INFO);
	ck_assert(msg_is(&ll, "Started server process [1]"));
	parse(&ll, "06:48:52.683 [error] Postgrex.Protocol failed to connect: FATAL 28P01", 0);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert(ll.structured);
	parse(&ll, "level=warn ts=2025-12-31T10:00:00.5Z caller=x.go:1 msg=\"disk almost full\"",
	      0);
	ck_assert_int_eq(ll.format, WM_LOGFMT_LOGFMT);
	ck_assert_int_eq(ll.level, WM_LVL_WARN);
	ck_assert_int_eq(ll.ts_ms, 1767175200500LL);
	ck_assert(msg_is(&ll, "disk almost full"));
}
END_TEST

START_TEST(test_compose_and_docker_prefix)
{
	struct wm_logline ll;
	const char *l =
	    "warungin-backend  | 2025-12-31T10:15:02.123456789Z {\"level\":\"warn\","
	    "\"message\":\"Slow request detected\",\"timestamp\":\"2025-12-31 10:15:01\"}";

	parse(&ll, l, WM_LOGLINE_COMPOSE);
	ck_assert_uint_eq(ll.service_len, strlen("warungin-backend"));
	ck_assert(memcmp(ll.service, "warungin-backend", ll.service_len) == 0);
	ck_assert_int_eq(ll.docker_ts_ms, 1767176102123LL);
	ck_assert_int_eq(ll.ts_ms, ll.docker_ts_ms); /* Docker's time wins */
	ck_assert_int_eq(ll.level, WM_LVL_WARN);
	/* without the flag the prefix is text */
	parse(&ll, l, 0);
	ck_assert_ptr_null(ll.service);
	/* Compose v1 with colours around the prefix */
	parse(&ll, "\x1b[36mgrafana_1   |\x1b[0m mkdir: can't create directory",
	      WM_LOGLINE_COMPOSE);
	ck_assert_uint_eq(ll.service_len, 9);
	ck_assert(memcmp(ll.service, "grafana_1", 9) == 0);
	ck_assert(msg_is(&ll, "mkdir: can't create directory"));
	/* "Attaching to ..." has no prefix */
	parse(&ll, "Attaching to a_1, b_1", WM_LOGLINE_COMPOSE);
	ck_assert_ptr_null(ll.service);
	/* --no-log-prefix --timestamps, and a CR line end */
	parse(&ll, "2024-06-01T10:00:00.000000000Z Starting server...\r", WM_LOGLINE_COMPOSE);
	ck_assert_int_eq(ll.docker_ts_ms, 1717236000000LL);
	ck_assert(msg_is(&ll, "Starting server..."));
	/* an empty message: the timestamp ends the line (fast path), and an
	 * offset form (generic path) */
	parse(&ll, "2024-06-01T10:00:00.999999999Z", 0);
	ck_assert_int_eq(ll.docker_ts_ms, 1717236000999LL);
	ck_assert_uint_eq(ll.msg_len, 0);
	parse(&ll, "2024-06-01T12:00:00.5+02:00 x", 0);
	ck_assert_int_eq(ll.docker_ts_ms, 1717236000500LL);
	ck_assert(msg_is(&ll, "x"));
	parse(&ll, "2024-13-01T10:00:00.000000000Z bad month", 0);
	ck_assert_int_eq(ll.docker_ts_ms, -1);
}
END_TEST

START_TEST(test_nginx)
{
	struct wm_logline ll;

	parse(&ll,
	      "172.18.0.1 - - [01/Jun/2024:10:00:06 +0000] \"GET /api/slow HTTP/1.1\" 200 77 "
	      "\"-\" \"curl/8.5.0\" rt=3.012 uct=\"0.000, 0.001\" uht=\"-, 2.998\" "
	      "urt=\"0.004, 3.001\"",
	      0);
	ck_assert_int_eq(ll.format, WM_LOGFMT_NGINX_ACCESS);
	ck_assert_int_eq(ll.status, 200);
	ck_assert_int_eq(ll.level, WM_LVL_INFO);
	ck_assert(ll.ip_len == 10 && memcmp(ll.ip, "172.18.0.1", 10) == 0);
	ck_assert(ll.method_len == 3 && memcmp(ll.method, "GET", 3) == 0);
	ck_assert(ll.path_len == 9 && memcmp(ll.path, "/api/slow", 9) == 0);
	ck_assert(fabs(ll.request_time - 3.012) < 1e-9);
	ck_assert(fabs(ll.upstream_response_time - 3.005) < 1e-9);
	ck_assert_int_eq(ll.ts_ms, 1717236006000LL);
	ck_assert(ll.agent_len == 10 && memcmp(ll.agent, "curl/8.5.0", 10) == 0);
	ck_assert(!wm_accesslog_self(ll.agent, ll.agent_len, "wm-self=0011"));
	parse(&ll,
	      "::1 - - [01/May/2025:01:52:14 +0700] \"GET /api/health HTTP/1.1\" 502 150 \"-\" "
	      "\"curl/8.5.0\" \"-\"",
	      0);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert_int_eq(ll.ts_ms, 1746064334000LL - 7 * 3600000LL);
	ck_assert(ll.request_time < 0 && ll.upstream_response_time < 0);
	parse(&ll, "1.2.3.4 - - [01/May/2025:01:52:14 +0000] \"GET /x HTTP/1.1\" 404 1 \"-\" \"-\"",
	      0);
	ck_assert_int_eq(ll.level, WM_LVL_INFO); /* 4xx: info; wm-security reads status */
	ck_assert_int_eq(ll.status, 404);
	ck_assert(ll.agent_len == 1 && ll.agent[0] == '-');
	parse(&ll,
	      "1.2.3.4 - - [01/May/2025:01:52:14 +0000] \"GET /api/orders HTTP/1.1\" 401 1 "
	      "\"http://x/\" \"warunginmon/1.0 (self-check; wm-self=0011)\" \"-\" rt=0.001",
	      0);
	ck_assert(wm_accesslog_self(ll.agent, ll.agent_len, "wm-self=0011"));
	ck_assert(!wm_accesslog_self(ll.agent, ll.agent_len, "wm-self=0012"));
	ck_assert(!wm_accesslog_self(ll.agent, ll.agent_len, ""));
	ck_assert(!wm_accesslog_self(ll.agent, ll.agent_len, NULL));
	parse(&ll, "1.2.3.4 - - [01/May/2025:01:52:14 +0000] \"GET /x HTTP/1.1\" 404 1", 0);
	ck_assert_ptr_null(ll.agent); /* a line cut before its agent */
	parse(&ll,
	      "2025/05/01 01:52:14 [error] 20#20: *1 connect() failed (113: Host is "
	      "unreachable) while connecting to upstream",
	      0);
	ck_assert_int_eq(ll.format, WM_LOGFMT_NGINX_ERROR);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert(msg_is(&ll, "connect() failed (113: Host is unreachable) while connecting to "
			      "upstream"));
	parse(&ll, "2025/04/10 21:35:04 [emerg] 1#1: bind() to 0.0.0.0:80 failed", 0);
	ck_assert_int_eq(ll.level, WM_LVL_CRITICAL);
	parse(&ll, "2025/04/10 21:35:04 [warn] 1#1: duplicate MIME type \"text/css\"", 0);
	ck_assert_int_eq(ll.level, WM_LVL_WARN);
}
END_TEST

START_TEST(test_postgres_redis)
{
	struct wm_logline ll;

	parse(&ll,
	      "2025-07-07 14:48:41 UTC [1]: [7-1] user=, db=, app=, client= LOG:  database "
	      "system is ready to accept connections",
	      0);
	ck_assert_int_eq(ll.format, WM_LOGFMT_POSTGRES);
	ck_assert_int_eq(ll.level, WM_LVL_INFO);
	ck_assert_int_eq(ll.ts_ms, 1751899721000LL);
	ck_assert(msg_is(&ll, "database system is ready to accept connections"));
	parse(&ll, "FATAL:  password authentication failed for user \"x\"", 0);
	ck_assert_int_eq(ll.level, WM_LVL_CRITICAL);
	parse(&ll, "2021-03-03 08:56:00.580 CET [8235] db= ERROR:  la relation n'existe pas", 0);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert_int_eq(ll.ts_ms, 1614758160580LL); /* 08:56 CET = 07:56 UTC */
	parse(&ll, "2021-03-03 08:56:00.580 CST [8235] db= ERROR:  x", 0);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	ck_assert_int_eq(ll.ts_ms, -1); /* CST: US, China or Cuba? */
	ck_assert(ll.zone_len == 3 && memcmp(ll.zone, "CST", 3) == 0);
	parse(&ll,
	      "2025-07-07 14:50:00 UTC [1]: [8-1] user=, db=, app=, client= PANIC:  could not "
	      "write",
	      0);
	ck_assert_int_eq(ll.level, WM_LVL_CRITICAL);
	parse(&ll, "1:M 07 Jul 2025 14:54:00.386 * Running mode=standalone, port=6379.", 0);
	ck_assert_int_eq(ll.format, WM_LOGFMT_REDIS);
	ck_assert_int_eq(ll.level, WM_LVL_INFO);
	ck_assert_int_eq(ll.ts_ms, 1751900040386LL);
	parse(&ll, "1:C 20 Jan 2025 22:49:10.998 # WARNING Memory overcommit must be enabled!", 0);
	ck_assert_int_eq(ll.level, WM_LVL_WARN);
	parse(&ll, "1:M 07 Jul 2025 14:54:00.388 . debug", 0);
	ck_assert_int_eq(ll.level, WM_LVL_DEBUG);
}
END_TEST

/* Is s[0..n) valid UTF-8 without control bytes but tab? */
static int
valid_utf8(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	for (size_t i = 0; i < n;) {
		size_t k = u[i] < 0x80		   ? 1
			   : (u[i] & 0xe0) == 0xc0 ? 2
			   : (u[i] & 0xf0) == 0xe0 ? 3
			   : (u[i] & 0xf8) == 0xf0 ? 4
						   : 0;

		if (k == 0 || i + k > n || (u[i] < 0x20 && u[i] != '\t'))
			return 0;
		for (size_t j = 1; j < k; j++)
			if ((u[i + j] & 0xc0) != 0x80)
				return 0;
		i += k;
	}
	return 1;
}

START_TEST(test_hostile_bytes)
{
	static const char bad[] =
	    "{\"level\":\"error\",\"message\":\"\xff\xfe bad \xc3\x28 \x00 nul "
	    "\xed\xa0\x80 surrogate\"}\n\x1b[99";
	struct wm_logline ll;
	char out[256];
	size_t n;

	wm_logline_parse(&ll, bad, sizeof bad - 1, WM_LOGLINE_COMPOSE);
	ck_assert_int_eq(ll.level, WM_LVL_ERROR);
	n = wm_utf8_sanitize(ll.text, ll.text_len, out, sizeof out);
	ck_assert(valid_utf8(out, n));
	ck_assert_ptr_nonnull(strstr(out, " nul "));
	ck_assert_ptr_nonnull(strstr(out, "\xef\xbf\xbd")); /* U+FFFD */
	/* sanitize never overruns a tiny buffer, even mid-sequence */
	for (size_t cap = 1; cap < 8; cap++) {
		n = wm_utf8_sanitize("\xe2\x82\xac\xe2\x82\xac", 6, out, cap);
		ck_assert_uint_lt(n, cap);
		ck_assert(valid_utf8(out, n));
	}
	/* every prefix of a tricky line parses without reading past its end */
	for (size_t len = 0; len < sizeof bad; len++) {
		char *copy = malloc(len ? len : 1);

		memcpy(copy, bad, len);
		wm_logline_parse(&ll, copy, len, WM_LOGLINE_COMPOSE);
		free(copy);
	}
}
END_TEST

/* Random lines from the tokens the recognisers look for, each in a buffer of
 * exactly its size (ASan catches a read past the end): never a crash, every
 * pointer inside the line, every level in range, and the whole pipeline
 * (message, sanitising, signature, grouping, classifying) survives them. */
START_TEST(test_garbage_lines)
{
	static const char *const tok[] = {
	    "{",
	    "}",
	    "\"",
	    "\\",
	    "\\u00",
	    "\"level\":",
	    "50",
	    "\"msg\":\"",
	    "\"time\":",
	    "error",
	    " fatal ",
	    "[",
	    "]",
	    " | ",
	    "web-1  | ",
	    "\x1b[36m",
	    "\x1b[0m",
	    ":",
	    "2024-06-01T10:00:00.123456789Z ",
	    "1:M 07 Jul 2025 14:54:00.386 ",
	    "* ",
	    "# ",
	    " LOG:  ",
	    "FATAL:  ",
	    "2025/05/01 01:52:14 ",
	    "[error] ",
	    "20#20: *1 ",
	    "1.2.3.4 - - [01/Jun/2024:10:00:01 +0000] \"GET / HTTP/1.1\" ",
	    "502 ",
	    " urt=\"",
	    " rt=",
	    "level=",
	    "msg=\"",
	    "\xff",
	    "\xc3",
	    " ",
	    "0x1f",
	    "a@b.c",
	    "::1",
	};
	struct wm_classifier *c = wm_classifier_new(NULL, NULL, NULL, NULL);
	struct wm_groups *g = wm_groups_new(16);
	unsigned seed = 77;
	size_t structured = 0;

	for (int i = 0; i < 3000; i++) {
		char text[600], *line, buf[64], sig[64];
		const char *m;
		size_t len = 0;
		struct wm_logline ll;

		for (int k = 0; k < 12; k++) {
			seed = seed * 1103515245u + 12345u;
			len += (size_t)snprintf(text + len, sizeof text - len, "%s",
						tok[(seed >> 16) % (sizeof tok / sizeof tok[0])]);
		}
		if (i % 7 == 0) /* a NUL inside */
			text[len / 2] = '\0';
		line = malloc(len);
		ck_assert_ptr_nonnull(line);
		memcpy(line, text, len);
		wm_logline_parse(&ll, line, len, WM_LOGLINE_COMPOSE);
		ck_assert(ll.level >= 0 && ll.level < WM_LVL_COUNT);
		ck_assert(ll.text >= line && ll.text + ll.text_len <= line + len);
		ck_assert(ll.msg >= line && ll.msg + ll.msg_len <= line + len);
		ck_assert(!ll.service ||
			  (ll.service >= line && ll.service + ll.service_len <= line + len));
		ck_assert(!ll.path || (ll.path >= line && ll.path + ll.path_len <= line + len));
		structured += ll.structured;
		wm_logline_message(&ll, buf, sizeof buf, &m);
		wm_utf8_sanitize(ll.text, ll.text_len, buf, sizeof buf);
		wm_groups_signature(ll.msg, ll.msg_len, sig, sizeof sig);
		wm_classify(c, &ll);
		wm_groups_add(g, &ll);
		free(line);
	}
	ck_assert_uint_gt(structured, 300); /* the recognisers were reached */
	ck_assert_uint_eq(wm_groups_total(g), 3000);
	wm_groups_free(g);
	wm_classifier_free(c);
}
END_TEST

struct counter {
	size_t lines, truncated, maxlen;
	size_t level[WM_LVL_COUNT];
	int64_t first_ts, last_ts;
};

static void
count_line(void *ctx, const struct wm_logline *ll)
{
	struct counter *c = ctx;

	c->lines++;
	c->truncated += ll->truncated;
	if (ll->text_len > c->maxlen)
		c->maxlen = ll->text_len;
	c->level[ll->level]++;
	if (c->lines == 1)
		c->first_ts = ll->ts_ms;
	c->last_ts = ll->ts_ms;
}

static struct wm_logstream *
counting_stream(struct counter *c, struct wm_classify_set *cls, unsigned flags)
{
	struct wm_logstream *s = wm_logstream_new(cls, flags);
	struct wm_log_analyzer a = {count_line, c};

	memset(c, 0, sizeof *c);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(wm_logstream_add(s, &a, NULL), 0);
	return s;
}

START_TEST(test_huge_line)
{
	size_t big = 1u << 20;
	char *buf = malloc(big + 64);
	struct counter c;
	struct wm_logstream *s;
	int step = _i; /* 0: one chunk (no copy); 1: 4 KiB chunks (buffered) */

	memset(buf, 'e', big);
	memcpy(buf, "error ", 6);
	buf[big] = '\n';
	memcpy(buf + big + 1, "after\n", 6);
	s = counting_stream(&c, NULL, 0);
	if (step == 0) {
		wm_logstream_feed(s, buf, big + 7);
	} else {
		for (size_t o = 0; o < big + 7; o += 4096)
			wm_logstream_feed(s, buf + o, big + 7 - o < 4096 ? big + 7 - o : 4096);
	}
	wm_logstream_flush(s);
	ck_assert_uint_eq(c.lines, 2);
	ck_assert_uint_eq(c.truncated, 1);
	ck_assert_uint_eq(c.maxlen, WM_LOGLINE_MAX);
	ck_assert_uint_eq(wm_logstream_stats(s)->truncated, 1);
	ck_assert_uint_eq(wm_logstream_stats(s)->bytes, big + 7);
	wm_logstream_free(s);
	free(buf);
}
END_TEST

START_TEST(test_empty_input)
{
	struct counter c;
	struct wm_logstream *s = counting_stream(&c, NULL, 0);
	struct wm_logline ll;

	wm_logstream_feed(s, "", 0);
	wm_logstream_flush(s);
	ck_assert_uint_eq(c.lines, 0);
	wm_logstream_feed(s, "\n\n", 2);
	wm_logstream_flush(s);
	ck_assert_uint_eq(c.lines, 2);
	wm_logstream_free(s);
	wm_logline_parse(&ll, "", 0, WM_LOGLINE_COMPOSE);
	ck_assert_int_eq(ll.format, WM_LOGFMT_TEXT);
	ck_assert_uint_eq(ll.msg_len, 0);
}
END_TEST

START_TEST(test_window)
{
	/* 10:00:00.000 inclusive, 10:00:02.000 exclusive; a line without a time
	 * is not in the window (nobody can say it is) */
	static const char in[] = "2025-12-31T09:59:59.999999999Z before\n"
				 "2025-12-31T10:00:00.000000000Z first\n"
				 "no time here\n"
				 "2025-12-31T10:00:01.999000000Z last\n"
				 "2025-12-31T10:00:02.000000000Z after\n";
	struct counter c;
	struct wm_logstream *s = counting_stream(&c, NULL, 0);
	const struct wm_logstream_stats *st = wm_logstream_stats(s);

	wm_logstream_set_window(s, 1767175200000LL, 1767175202000LL);
	for (size_t i = 0; i < sizeof in - 1; i++) /* byte by byte */
		wm_logstream_feed(s, in + i, 1);
	wm_logstream_flush(s);
	ck_assert_uint_eq(c.lines, 2);
	ck_assert_uint_eq(st->outside, 2);
	ck_assert_uint_eq(st->untimed, 1);
	ck_assert_int_eq(c.first_ts, 1767175200000LL);
	ck_assert_int_eq(c.last_ts, 1767175201999LL);
	wm_logstream_free(s);
}
END_TEST

START_TEST(test_iso)
{
	int64_t ms;

	ck_assert_uint_eq(wm_logline_parse_iso("2024-06-01T10:00:00.123456789Z", 30, &ms), 30);
	ck_assert_int_eq(ms, 1717236000123LL);
	ck_assert_uint_gt(wm_logline_parse_iso("2024-06-01T12:00:00+02:00", 25, &ms), 0);
	ck_assert_int_eq(ms, 1717236000000LL);
	ck_assert_uint_gt(wm_logline_parse_iso("2024-06-01T12:00:00+0200", 24, &ms), 0);
	ck_assert_int_eq(ms, 1717236000000LL);
	ck_assert_uint_eq(wm_logline_parse_iso("2024-06-01 10:00:00 UTC", 23, &ms), 23);
	ck_assert_int_eq(ms, 1717236000000LL);
	ck_assert_uint_eq(wm_logline_parse_iso("2024-13-01T10:00:00Z", 20, &ms), 0);
	ck_assert_uint_eq(wm_logline_parse_iso("2024-06-01T10", 13, &ms), 0);
	ck_assert_uint_eq(wm_logline_parse_iso("1970-01-01T00:00:00Z", 20, &ms), 20);
	ck_assert_int_eq(ms, 0);
}
END_TEST

/* Stream a whole file through a default classifier. */
static void
stream_file(const char *path, struct counter *c, unsigned flags)
{
	struct wm_classifier *cl = wm_classifier_new(NULL, NULL, NULL, NULL);
	struct wm_classify_set *set = wm_classify_set_new(cl);
	struct wm_logstream *s = counting_stream(c, set, flags);
	struct wm_err err = {0};
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "open %s", path);
	ck_assert_int_eq(wm_logstream_read_fd(s, fd, NULL, &err), 0);
	close(fd);
	ck_assert_uint_eq(wm_logstream_stats(s)->lines, c->lines);
	wm_logstream_free(s);
	wm_classify_set_free(set);
}

START_TEST(test_apache_ground_truth)
{
	/* loghub's Apache_2k ground truth gives each line's level (notice or
	 * error).  The level is an explicit "[error]" field, so the parser must
	 * agree on at least 99.5 % of lines (at most 10 of 2000): less means a
	 * format bug, not a judgement call.  It agrees on all of them today. */
	FILE *log = fopen(FIX "apache_2k.log", "r"), *lv = fopen(FIX "apache_2k.levels", "r");
	char line[8192], want[32];
	size_t total = 0, agree = 0;

	ck_assert_ptr_nonnull(log);
	ck_assert_ptr_nonnull(lv);
	while (fgets(line, sizeof line, log) && fgets(want, sizeof want, lv)) {
		struct wm_logline ll;
		int expect = strncmp(want, "error", 5) == 0 ? WM_LVL_ERROR : WM_LVL_INFO;

		wm_logline_parse(&ll, line, strcspn(line, "\n"), 0);
		total++;
		agree += ll.format == WM_LOGFMT_APACHE_ERROR && ll.level == expect;
	}
	fclose(log);
	fclose(lv);
	ck_assert_uint_eq(total, 2000);
	ck_assert_msg(agree * 1000 >= total * 995, "agreement %zu/%zu", agree, total);
}
END_TEST

START_TEST(test_fixture_counts)
{
	struct counter c;

	stream_file(FIX "pino_wikiactivity.log", &c, 0); /* 30 x32, 50 x3 */
	ck_assert_uint_eq(c.lines, 35);
	ck_assert_uint_eq(c.level[WM_LVL_ERROR], 3);
	ck_assert_uint_eq(c.level[WM_LVL_INFO], 32);
	stream_file(FIX "postgres_fr.log", &c, 0); /* FATAL 22, ERROR 3 */
	ck_assert_uint_eq(c.level[WM_LVL_CRITICAL], 22);
	ck_assert_uint_eq(c.level[WM_LVL_ERROR], 3);
	stream_file(FIX "nginx_error.log", &c, 0); /* all [error] */
	ck_assert_uint_eq(c.level[WM_LVL_ERROR], 130);
	ck_assert_uint_eq(c.lines, 130);
	stream_file(FIX "nginx_access_200.log", &c, 0); /* 86 x 502, the rest below 500 */
	ck_assert_uint_eq(c.level[WM_LVL_ERROR], 86);
	ck_assert_uint_eq(c.level[WM_LVL_INFO], 114);
	stream_file(FIX "redis.log", &c, 0); /* "error" appears only in bf-error-rate */
	ck_assert_uint_eq(c.level[WM_LVL_ERROR] + c.level[WM_LVL_CRITICAL], 0);
	ck_assert_uint_gt(c.level[WM_LVL_INFO], 500);
	stream_file(FIX "compose_timestamps.log", &c, WM_LOGLINE_COMPOSE);
	ck_assert_uint_eq(c.lines, 23);
	ck_assert_int_eq(c.first_ts, 1709207118451LL); /* 2024-02-29T11:45:18.451Z */
	stream_file(FIX "compose_ansi_v1.log", &c,
		    WM_LOGLINE_COMPOSE); /* last line: a bare ESC[0m */
	ck_assert_uint_eq(c.lines, 37);
	ck_assert_uint_eq(c.level[WM_LVL_UNKNOWN], 0);
	stream_file(FIX "warungin-backend.jsonl", &c, 0);
	ck_assert_uint_eq(c.level[WM_LVL_ERROR], 4);
	ck_assert_uint_eq(c.level[WM_LVL_CRITICAL], 1);
	ck_assert_uint_eq(c.level[WM_LVL_WARN], 6);
}
END_TEST

/* Every file of the shared acceptance corpus ($WM_REAL_LOGS, see unit.h):
 * parsed whole, every line classified, nothing lost. */
static void
walk(const char *dir, size_t *files)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d))) {
		char path[1024];
		struct stat st;
		struct counter c;

		if (e->d_name[0] == '.' || strstr(e->d_name, ".csv") ||
		    strcmp(e->d_name, "SOURCES.md") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(path, files);
			continue;
		}
		stream_file(path, &c, WM_LOGLINE_COMPOSE);
		ck_assert_msg(c.lines > 0, "%s: no lines", path);
		ck_assert_msg(c.level[WM_LVL_UNKNOWN] == 0, "%s: unclassified lines", path);
		(*files)++;
	}
	closedir(d);
}

START_TEST(test_shared_corpus)
{
	const char *dir = wm_unit_real_logs("check_logline");
	size_t files = 0;

	if (!dir)
		return;
	walk(dir, &files);
	ck_assert_msg(files >= 20, "%s: %zu log files, 20 at least", dir, files);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logline");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_winston);
	tcase_add_test(tc, test_json_stack_trace);
	tcase_add_test(tc, test_pino);
	tcase_add_test(tc, test_plain_text);
	tcase_add_test(tc, test_compose_and_docker_prefix);
	tcase_add_test(tc, test_nginx);
	tcase_add_test(tc, test_postgres_redis);
	tcase_add_test(tc, test_hostile_bytes);
	tcase_add_test(tc, test_garbage_lines);
	tcase_add_loop_test(tc, test_huge_line, 0, 2);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_window);
	tcase_add_test(tc, test_iso);
	tcase_add_test(tc, test_apache_ground_truth);
	tcase_add_test(tc, test_fixture_counts);
	tcase_add_test(tc, test_shared_corpus);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
