/* check_docker.c - the Engine API parsers on fixtures, the frame
 * demultiplexer across arbitrary chunk boundaries, the CLI's stats math, and
 * the tail that bounds a logs request with since (against a fake log). */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/docker.h"
#include "base/file.h"
#include "unit.h"

static char *
fixture(const char *name, size_t *len)
{
	char path[512];
	struct wm_err e = {0};
	char *buf = NULL;

	snprintf(path, sizeof(path), "%s/tests/fixtures/docker/%s", WM_TEST_SRCDIR, name);
	ck_assert_msg(wm_file_read(path, 1 << 20, &buf, len, &e) == 0, "%s: %s", path, e.msg);
	return buf;
}

START_TEST(test_list_v143)
{
	struct wm_container *c;
	struct wm_err e = {0};
	size_t n, len;
	char *j = fixture("list_v1.43.json", &len);

	ck_assert_int_eq(wm_docker_parse_list(j, len, &c, &n, &e), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(c[0].name, "relay-relay-1");
	ck_assert_str_eq(c[0].service, "relay");
	ck_assert_str_eq(c[0].state, "running");
	ck_assert_str_eq(c[1].service, "postgres");
	ck_assert_str_eq(c[1].state, "exited");
	ck_assert_str_eq(c[1].status, "Exited (137) 5 minutes ago");
	ck_assert_uint_eq(strlen(c[1].id), 64);
	wm_docker_containers_free(c, n);
	free(j);
}
END_TEST

START_TEST(test_list_v124_no_compose_labels)
{
	struct wm_container *c;
	struct wm_err e = {0};
	size_t n, len;
	char *j = fixture("docker_v1.24_containers_json.json", &len);

	ck_assert_int_eq(wm_docker_parse_list(j, len, &c, &n, &e), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_str_eq(c[0].name, "boring_feynman");
	ck_assert_ptr_null(c[0].service);
	wm_docker_containers_free(c, n);
	free(j);
}
END_TEST

START_TEST(test_list_bad)
{
	static const char *const bad[] = {
	    "{\"Id\":\"x\"}",						/* not an array */
	    "[{\"Id\":\"ab\",\"State\":\"running\",\"Names\":[\"/a\"]", /* truncated */
	    "[{\"Id\":12,\"State\":\"running\"}]",			/* Id a number */
	    "[{\"Id\":\"ab\",\"State\":true}]",				/* State a bool */
	    "[{\"Id\":\"ab\",\"State\":\"running\",\"Names\":\"/a\"}]", /* Names a string */
	    "[{\"Id\":\"ab\",\"State\":\"running\",\"Labels\":[]}]",	/* Labels an array */
	    "[{\"Id\":\"ab\",\"State\":\"running\",\"Labels\":{\"com.docker.compose.service\":1}}]",
	    "[{\"State\":\"running\"}]", /* Id missing */
	    "[1]",
	    "",
	};
	struct wm_container *c;
	struct wm_err e = {0};
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wm_err_clear(&e);
		ck_assert_msg(wm_docker_parse_list(bad[i], strlen(bad[i]), &c, &n, &e) == -1,
			      "accepted %s", bad[i]);
		ck_assert_int_eq(e.code, WM_EPROTO);
		ck_assert_ptr_null(c);
		ck_assert(e.msg[0] != '\0');
	}
}
END_TEST

START_TEST(test_inspect_healthy)
{
	struct wm_inspect in;
	struct wm_err e = {0};
	size_t len;
	char *j = fixture("inspect_healthy.json", &len);

	ck_assert_int_eq(wm_docker_parse_inspect(j, len, &in, &e), 0);
	ck_assert_str_eq(in.status, "running");
	ck_assert(in.running && !in.oom_killed && !in.restarting);
	ck_assert_str_eq(in.health, "healthy");
	ck_assert_int_eq(in.probe_exit, 0);
	ck_assert_str_eq(in.probe_output, "/var/run/postgresql:5432 - accepting connections\n");
	ck_assert_str_eq(in.started_at, "2024-06-01T09:59:58.118827154Z");
	ck_assert_str_eq(in.name, "relay-postgres-1");
	ck_assert_str_eq(in.service, "postgres");
	ck_assert_int_eq(in.restart_count, 0);
	wm_docker_inspect_clear(&in);
	free(j);
}
END_TEST

START_TEST(test_inspect_v124_no_health)
{
	struct wm_inspect in;
	struct wm_err e = {0};
	size_t len;
	char *j = fixture("docker_v1.24_container_inspect.json", &len);

	ck_assert_int_eq(wm_docker_parse_inspect(j, len, &in, &e), 0);
	ck_assert_ptr_null(in.health); /* no healthcheck is not unhealthy */
	ck_assert_int_eq(in.exit_code, 9);
	ck_assert_int_eq(in.restart_count, 1);
	ck_assert_str_eq(in.name, "boring_euclid");
	ck_assert_ptr_null(in.service);
	wm_docker_inspect_clear(&in);
	free(j);
}
END_TEST

START_TEST(test_inspect_unhealthy_real_probe)
{
	/* The real Health object of research data, wrapped in a State. */
	struct wm_inspect in;
	struct wm_err e = {0};
	size_t len, n;
	char *h = fixture("docker_state_health_unhealthy.json", &len);
	char *doc = malloc(len + 256);

	n = (size_t)snprintf(
	    doc, len + 256,
	    "{\"State\":{\"Status\":\"running\",\"Running\":true,\"OOMKilled\":true,"
	    "\"ExitCode\":0,\"Health\":%s},\"RestartCount\":3}",
	    h);
	ck_assert_int_eq(wm_docker_parse_inspect(doc, n, &in, &e), 0);
	ck_assert_str_eq(in.health, "unhealthy");
	ck_assert_int_eq(in.failing_streak, 20);
	ck_assert_int_eq(in.probe_exit, 1);
	ck_assert_ptr_nonnull(
	    strstr(in.probe_output, "curl: (22) The requested URL returned error: 404"));
	ck_assert(in.oom_killed);
	ck_assert_int_eq(in.restart_count, 3);
	wm_docker_inspect_clear(&in);
	free(doc);
	free(h);
}
END_TEST

START_TEST(test_inspect_bad)
{
	static const char *const bad[] = {
	    "[{\"State\":{\"Status\":\"running\"}}]", /* the CLI's array, not the API object */
	    "{\"State\":{\"Status\":\"running\",\"Running\":\"yes\"}}",
	    "{\"State\":{\"Status\":\"running\",\"ExitCode\":\"0\"}}",
	    "{\"State\":{\"Status\":\"running\",\"Health\":\"healthy\"}}",
	    "{\"State\":{\"Status\":\"running\",\"Health\":{\"Status\":\"unhealthy\",\"Log\":{}}}}",
	    "{\"State\":{\"Status\":\"running\",\"Health\":{\"Status\":\"x\",\"Log\":[{\"Output\":"
	    "5}]}}}",
	    "{\"State\":{\"Status\":\"running\"},\"RestartCount\":\"1\"}",
	    "{\"State\":{\"Status\":\"running\"},\"Config\":{\"Tty\":1}}",
	    "{\"State\":{\"Running\":true}}", /* Status missing */
	    "{\"RestartCount\":0}",	      /* State missing */
	    "{\"State\":{\"Status\":\"runn",  /* truncated */
	};
	struct wm_inspect in;
	struct wm_err e = {0};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		wm_err_clear(&e);
		ck_assert_msg(wm_docker_parse_inspect(bad[i], strlen(bad[i]), &in, &e) == -1,
			      "accepted %s", bad[i]);
		ck_assert_int_eq(e.code, WM_EPROTO);
		ck_assert_ptr_null(in.status);
	}
}
END_TEST

START_TEST(test_stats_v2)
{
	struct wm_stats s;
	struct wm_err e = {0};
	size_t len;
	char *j = fixture("stats_v2.json", &len);

	ck_assert_int_eq(wm_docker_parse_stats(j, len, &s, &e), 0);
	ck_assert(s.running);
	ck_assert_double_eq_tol(s.cpu_percent, 20.0, 1e-9);
	ck_assert_double_eq(s.mem_used, 104857600.0);
	ck_assert_double_eq(s.mem_limit, 1073741824.0);
	ck_assert_double_eq_tol(s.mem_percent, 9.765625, 1e-9);
	ck_assert_int_eq(s.pids, 12);
	free(j);
}
END_TEST

START_TEST(test_stats_v1)
{
	struct wm_stats s;
	struct wm_err e = {0};
	size_t len;
	char *j = fixture("docker_v1.24_container_stats.json", &len);

	ck_assert_int_eq(wm_docker_parse_stats(j, len, &s, &e), 0);
	/* no online_cpus: the length of percpu_usage (4) */
	ck_assert_double_eq_tol(
	    s.cpu_percent,
	    (100215355.0 - 100093996.0) / (739306590000000.0 - 9492140000000.0) * 4 * 100, 1e-15);
	ck_assert_double_eq(s.mem_used, 6537216.0); /* total_inactive_file 0 */
	ck_assert_double_eq(s.mem_limit, 67108864.0);
	free(j);
}
END_TEST

START_TEST(test_stats_stopped_and_bad)
{
	static const char stopped[] = "{\"read\":\"0001-01-01T00:00:00Z\",\"cpu_stats\":{"
				      "\"cpu_usage\":{\"total_usage\":0}},\"memory_stats\":{}}";
	static const char *const bad[] = {
	    "{\"cpu_stats\":{\"cpu_usage\":{\"total_usage\":\"5\"}}}",
	    "{\"memory_stats\":{\"usage\":\"1\"}}",
	    "{\"memory_stats\":{\"stats\":{\"inactive_file\":true}}}",
	    "{\"cpu_stats\":[]}",
	    "{\"cpu_stats\":{\"cpu_usage\":{\"percpu_usage\":5}}}",
	    "{\"read\":5}",
	    "{\"memory_stats\":{\"usage\":1",
	    "{\"cpu_stats\":{\"online_cpus\":-4}}",
	    "{\"memory_stats\":{\"usage\":1e400}}",
	};
	struct wm_stats s;
	struct wm_err e = {0};

	ck_assert_int_eq(wm_docker_parse_stats(stopped, strlen(stopped), &s, &e), 0);
	ck_assert(!s.running);
	ck_assert_double_eq(s.cpu_percent, 0.0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(wm_docker_parse_stats(bad[i], strlen(bad[i]), &s, &e) == -1,
			      "accepted %s", bad[i]);
}
END_TEST

START_TEST(test_sample_compute)
{
	struct wm_docker_sample a, b;
	struct wm_stats st;
	struct wm_err e = {0};
	size_t len;
	char *j = fixture("stats_v2.json", &len);

	ck_assert_int_eq(wm_docker_parse_sample(j, len, &b, &e), 0);
	ck_assert_double_eq(b.cpu_total, 5100000000.0);
	ck_assert_double_eq(b.pre_system, 800000000000.0);
	ck_assert_double_eq(b.ncpu, 4);
	/* between two samples of our own: the same formula over our interval */
	a = b;
	a.cpu_total = 4900000000.0;
	a.system = 798000000000.0;
	wm_docker_stats_compute(&a, &b, &st);
	ck_assert_double_eq_tol(st.cpu_percent, 2e8 / 4e9 * 4 * 100, 1e-9);
	ck_assert_double_eq(st.mem_used, 104857600.0);
	wm_docker_stats_compute(NULL, &b, &st);
	ck_assert_double_eq_tol(st.cpu_percent, 20.0, 1e-9);
	free(j);
}
END_TEST

START_TEST(test_cpu_mem_math)
{
	ck_assert_double_eq(wm_docker_cpu_percent(200, 100, 1000, 500, 2), 40.0);
	ck_assert_double_eq(wm_docker_cpu_percent(100, 100, 1000, 500, 2), 0.0); /* no cpu delta */
	ck_assert_double_eq(wm_docker_cpu_percent(200, 100, 500, 500, 2),
			    0.0); /* no system delta */
	/* v1: total_inactive_file wins over inactive_file */
	ck_assert_double_eq(wm_docker_mem_used(1000, 300, 100), 700);
	/* v1 key not below usage: the v2 key is tried next, as in the CLI */
	ck_assert_double_eq(wm_docker_mem_used(1000, 2000, 100), 900);
	/* v2 */
	ck_assert_double_eq(wm_docker_mem_used(1000, -1, 400), 600);
	ck_assert_double_eq(wm_docker_mem_used(1000, -1, 1000), 1000);
	ck_assert_double_eq(wm_docker_mem_used(1000, -1, -1), 1000);
}
END_TEST

struct lines {
	char buf[4096];
	size_t len;
	int n;
	int stop_after;
};

static int
collect(void *arg, int stream, const char *line, size_t len)
{
	struct lines *l = arg;

	l->len += (size_t)snprintf(l->buf + l->len, sizeof(l->buf) - l->len, "%d:%.*s|", stream,
				   (int)len, line);
	l->n++;
	return l->stop_after && l->n >= l->stop_after;
}

/* Two frames from research/formats.md §5.3, then a line split over two
 * stdout frames, interleaved with stderr, and an unterminated last line. */
static size_t
frames(char *out)
{
	static const char *const parts[][2] = {
	    {"\x01", "2024-06-01T10:00:00.000000000Z ready\n"},
	    {"\x02", "2024-06-01T10:00:01.000000000Z oops\n"},
	    {"\x01", "hel"},
	    {"\x02", "err\n"},
	    {"\x01", "lo\nlast"},
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		size_t len = strlen(parts[i][1]);

		memcpy(out + n, (const char[]){parts[i][0][0], 0, 0, 0, 0, 0, 0, (char)len}, 8);
		memcpy(out + n + 8, parts[i][1], len);
		n += 8 + len;
	}
	return n;
}

static const char expect_lines[] = "1:2024-06-01T10:00:00.000000000Z ready|"
				   "2:2024-06-01T10:00:01.000000000Z oops|2:err|1:hello|1:last|";

START_TEST(test_demux_chunks)
{
	char in[512];
	size_t n = frames(in);

	/* every chunk size, so boundaries fall inside headers and payloads */
	for (size_t chunk = 1; chunk <= n; chunk++) {
		struct wm_docker_demux m;
		struct lines l = {.len = 0};
		struct wm_err e = {0};

		ck_assert_int_eq(wm_docker_demux_init(&m, false, &e), 0);
		for (size_t off = 0; off < n; off += chunk)
			ck_assert_int_eq(wm_docker_demux_feed(&m, in + off,
							      off + chunk > n ? n - off : chunk,
							      collect, &l, &e),
					 0);
		wm_docker_demux_finish(&m, collect, &l);
		ck_assert_msg(strcmp(l.buf, expect_lines) == 0, "chunk %zu: %s", chunk, l.buf);
	}
}
END_TEST

/* Pieces of one long line: how many, their total and the longest. */
struct pieces {
	int n;
	size_t total, longest;
};

static int
count_piece(void *arg, int stream, const char *line, size_t len)
{
	struct pieces *p = arg;

	(void)stream;
	(void)line;
	p->n++;
	p->total += len;
	if (len > p->longest)
		p->longest = len;
	return 0;
}

START_TEST(test_demux_raw_bad_stop_long)
{
	struct wm_docker_demux m;
	struct lines l = {.len = 0};
	struct pieces pieces;
	struct wm_err e = {0};
	char *big;

	ck_assert_int_eq(wm_docker_demux_init(&m, true, &e), 0);
	wm_docker_demux_feed(&m, "a\nb", 3, collect, &l, &e);
	wm_docker_demux_feed(&m, "c\n", 2, collect, &l, &e);
	wm_docker_demux_finish(&m, collect, &l);
	ck_assert_str_eq(l.buf, "0:a|0:bc|");

	ck_assert_int_eq(wm_docker_demux_init(&m, false, &e), 0);
	ck_assert_int_eq(wm_docker_demux_feed(&m, "\x07\0\0\0\0\0\0\1x", 9, collect, &l, &e), -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
	wm_docker_demux_finish(&m, NULL, NULL);

	/* stop on request */
	l = (struct lines){.stop_after = 1};
	ck_assert_int_eq(wm_docker_demux_init(&m, true, &e), 0);
	wm_docker_demux_feed(&m, "1\n2\n3\n", 6, collect, &l, &e);
	ck_assert(m.stopped);
	ck_assert_int_eq(l.n, 1);
	wm_docker_demux_finish(&m, collect, &l);
	ck_assert_int_eq(l.n, 1);

	/* a line longer than the bound arrives in pieces, memory stays bounded:
	 * 2 * MAX + 10 bytes are 2 full pieces, then the 10 left at the end */
	big = malloc(WM_DOCKER_LINE_MAX * 2 + 10);
	memset(big, 'x', WM_DOCKER_LINE_MAX * 2 + 10);
	memset(&pieces, 0, sizeof(pieces));
	ck_assert_int_eq(wm_docker_demux_init(&m, true, &e), 0);
	wm_docker_demux_feed(&m, big, WM_DOCKER_LINE_MAX * 2 + 10, count_piece, &pieces, &e);
	ck_assert_int_eq(pieces.n, 2);
	ck_assert_uint_eq(m.linelen[0], 10);
	wm_docker_demux_finish(&m, count_piece, &pieces);
	ck_assert_int_eq(pieces.n, 3);
	ck_assert_uint_eq(pieces.total, WM_DOCKER_LINE_MAX * 2 + 10);
	ck_assert_uint_le(pieces.longest, WM_DOCKER_LINE_MAX);
	free(big);
}
END_TEST

START_TEST(test_api_cmp_and_new)
{
	struct wm_docker *d;

	ck_assert_int_eq(wm_docker_api_cmp("1.41", "1.43"), -1);
	ck_assert_int_eq(wm_docker_api_cmp("1.9", "1.10"), -1);
	ck_assert_int_eq(wm_docker_api_cmp("1.50", "1.43"), 1);
	ck_assert_int_eq(wm_docker_api_cmp("1.43", "1.43"), 0);
	d = wm_docker_new("/nonexistent/docker.sock", 500);
	ck_assert_ptr_nonnull(d);
	ck_assert_int_eq(wm_docker_ping(d), -1);
	ck_assert_int_eq(d->err.code, WM_ECONN);
	ck_assert_ptr_nonnull(strstr(d->err.msg, "/nonexistent/docker.sock"));
	ck_assert_int_eq(wm_docker_check_id(d, "../../images"), -1);
	ck_assert_int_eq(wm_docker_check_id(d, "warungin-redis-1"), 0);
	wm_docker_free(d);
	wm_docker_free(NULL);
}
END_TEST

/* A log of `lines` lines, line k at time t0 + k * step seconds, for
 * wm_docker_tail_cover: a probe answers the first of the last n lines (n -1:
 * of all), with until_since nothing when that line is after since, as the
 * engine does with until. */
struct fake_log {
	long lines, probes, last_n;
	double t0, step, since;
	bool bad_time, fail;
};

static int
fake_first(void *arg, long n, bool until_since, char *line, size_t cap, size_t *len)
{
	struct fake_log *f = arg;
	long k = n < 0 || f->lines - n < 0 ? 0 : f->lines - n;
	double t = f->t0 + (double)k * f->step;
	time_t sec = (time_t)t;
	struct tm tm;
	char stamp[40];

	f->probes++;
	f->last_n = n;
	*len = 0;
	if (f->fail)
		return -1;
	if (f->lines == 0 || (until_since && t > f->since))
		return 0;
	gmtime_r(&sec, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	*len = (size_t)snprintf(line, cap, "%s%s.%09ldZ line %ld", f->bad_time ? "x" : "", stamp,
				(long)((t - (double)sec) * 1e9 + 0.5), k);
	return 0;
}

START_TEST(test_log_time)
{
	double t;

	ck_assert(wm_docker_log_time("2024-06-01T10:00:00.123456789Z x", 32, &t));
	ck_assert(fabs(t - 1717236000.123456789) < 1e-6);
	ck_assert(wm_docker_log_time("1970-01-01T00:00:01Z", 20, &t));
	ck_assert(t == 1.0);
	ck_assert(wm_docker_log_time("2024-02-29T23:59:59.5Z", 22, &t));
	ck_assert(t == 1709251199.5);
	ck_assert(!wm_docker_log_time("2024-06-01T10:00:00.123", 23, &t)); /* no Z */
	ck_assert(!wm_docker_log_time("2024-13-01T10:00:00Z", 20, &t));
	ck_assert(!wm_docker_log_time("2024-06-01 10:00:00Z", 20, &t));
	ck_assert(!wm_docker_log_time("2024-06-01T10:00:0xZ", 20, &t));
	ck_assert(!wm_docker_log_time("2024-06-01T10:00", 16, &t));
	ck_assert(!wm_docker_log_time("hello", 5, &t));
}
END_TEST

START_TEST(test_tail_cover)
{
	/* 1 M lines one second apart; the window holds the last 10 000 */
	struct fake_log f = {.lines = 1000000, .t0 = 1.7e9, .step = 1};
	long n;

	f.since = f.t0 + (double)(f.lines - 10000);
	n = wm_docker_tail_cover(fake_first, &f, f.since, 1024, 1L << 26);
	ck_assert_int_eq(n, 16384); /* 1024 .. 16384: the first older than since */
	ck_assert_int_eq(f.probes, 1 + 5);
	/* the tail holds the window: its first line is older than since */
	ck_assert(f.t0 + (double)(f.lines - n) < f.since);
	/* and half of it would not have */
	ck_assert(f.t0 + (double)(f.lines - n / 2) >= f.since);
	/* a line exactly at since is in the window: not yet covered */
	f.probes = 0;
	f.since = f.t0 + (double)(f.lines - 1024);
	ck_assert_int_eq(wm_docker_tail_cover(fake_first, &f, f.since, 1024, 1L << 26), 2048);
	/* the window starts before the log: all of it, after one probe */
	f = (struct fake_log){.lines = 3000, .t0 = 1.7e9, .step = 0.001, .since = 1.0e9};
	ck_assert_int_eq(wm_docker_tail_cover(fake_first, &f, f.since, 1024, 1L << 26), -1);
	ck_assert_int_eq(f.probes, 1);
	ck_assert_int_eq(f.last_n, -1);
	/* the window starts inside a log shorter than the first tail */
	f = (struct fake_log){.lines = 500, .t0 = 1.7e9, .step = 1, .since = 1.7e9 + 100};
	ck_assert_int_eq(wm_docker_tail_cover(fake_first, &f, f.since, 1024, 1L << 26), 1024);
	/* an empty log, a log whose lines have no time, a probe that fails, max */
	f = (struct fake_log){.lines = 0};
	ck_assert_int_eq(wm_docker_tail_cover(fake_first, &f, 1.7e9, 1024, 1L << 26), -1);
	f = (struct fake_log){
	    .lines = 10, .t0 = 1.7e9, .step = 1, .bad_time = true, .since = 1.8e9};
	ck_assert_int_eq(wm_docker_tail_cover(fake_first, &f, f.since, 1024, 1L << 26), -1);
	f = (struct fake_log){.lines = 10, .t0 = 1.7e9, .step = 1, .fail = true};
	ck_assert_int_eq(wm_docker_tail_cover(fake_first, &f, 1.8e9, 1024, 1L << 26), -2);
	f = (struct fake_log){.lines = 1L << 20, .t0 = 1.7e9, .step = 1};
	f.since = f.t0 + (double)(f.lines - 100000);
	ck_assert_int_eq(wm_docker_tail_cover(fake_first, &f, f.since, 1024, 4096), -1);
	ck_assert_int_eq(f.last_n, 4096);
}
END_TEST

static Suite *
docker_suite(void)
{
	Suite *s = suite_create("docker");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_list_v143);
	tcase_add_test(tc, test_list_v124_no_compose_labels);
	tcase_add_test(tc, test_list_bad);
	tcase_add_test(tc, test_inspect_healthy);
	tcase_add_test(tc, test_inspect_v124_no_health);
	tcase_add_test(tc, test_inspect_unhealthy_real_probe);
	tcase_add_test(tc, test_inspect_bad);
	tcase_add_test(tc, test_stats_v2);
	tcase_add_test(tc, test_stats_v1);
	tcase_add_test(tc, test_stats_stopped_and_bad);
	tcase_add_test(tc, test_cpu_mem_math);
	tcase_add_test(tc, test_sample_compute);
	tcase_add_test(tc, test_demux_chunks);
	tcase_add_test(tc, test_demux_raw_bad_stop_long);
	tcase_add_test(tc, test_api_cmp_and_new);
	tcase_add_test(tc, test_log_time);
	tcase_add_test(tc, test_tail_cover);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(docker_suite());
}
