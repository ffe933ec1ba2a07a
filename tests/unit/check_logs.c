/* check_logs.c - errors, security and perf's logs from one read of each log
 * (wm_logs_check_run), against a fake Docker engine on a unix socket that
 * counts the reads of a window it answers: one per container for both areas
 * together, where the two units run one after the other read the shared
 * services twice.  The figures of both results are the same either way. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>

#include "base/duration.h"
#include "checks/checks.h"
#include "session/session.h"
#include "unit.h"

static char dir[64], sock[96], counts[96], conf[96];
static pid_t engine;
static char lines[4][8192]; /* the log of each container, timestamped */

/* admin-nginx is outside the target's services (only a target without a
 * services key reads it): a name that ends like nginx but is not nginx */
static const char *const ids[4] = {"nginx1", "backend1", "redis1", "admin1"};
static const char *const svcs[4] = {"nginx", "backend", "redis", "admin-nginx"};

static void
put(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void
answer(int fd, const char *type, const char *body, size_t len)
{
	char h[256];
	int n = snprintf(h, sizeof h,
			 "HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: %s\r\n"
			 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
			 type, len);

	put(fd, h, (size_t)n);
	put(fd, body, len);
}

/* The stdout frames of a log: 8-byte header (stream 1, big-endian length). */
static void
answer_logs(int fd, const char *text)
{
	static char body[16384];
	size_t k = 0, n = strlen(text);

	const unsigned char hdr[8] = {1,
				      0,
				      0,
				      0,
				      (unsigned char)(n >> 24),
				      (unsigned char)(n >> 16),
				      (unsigned char)(n >> 8),
				      (unsigned char)n};

	memcpy(body, hdr, sizeof hdr);
	k = sizeof hdr;
	memcpy(body + k, text, n);
	answer(fd, "application/vnd.docker.multiplexed-stream", body, k + n);
}

static void
serve(int fd)
{
	char req[4096], path[2048], body[2048];
	size_t k = 0;
	ssize_t r;

	while (k < sizeof req - 1 && (r = read(fd, req + k, sizeof req - 1 - k)) > 0) {
		k += (size_t)r;
		req[k] = '\0';
		if (strstr(req, "\r\n\r\n"))
			break;
	}
	req[k] = '\0';
	if (sscanf(req, "GET %2047s", path) != 1)
		return;
	if (strstr(path, "/_ping")) {
		answer(fd, "text/plain", "OK", 2);
	} else if (strstr(path, "/containers/json")) {
		int n = snprintf(body, sizeof body, "[");

		for (int i = 0; i < 4; i++)
			n += snprintf(
			    body + n, sizeof body - (size_t)n,
			    "%s{\"Id\":\"%s\",\"Names\":[\"/p-%s-1\"],\"State\":\"running\","
			    "\"Labels\":{\"com.docker.compose.project\":\"p\","
			    "\"com.docker.compose.service\":\"%s\"}}",
			    i ? "," : "", ids[i], svcs[i], svcs[i]);
		n += snprintf(body + n, sizeof body - (size_t)n, "]");
		answer(fd, "application/json", body, (size_t)n);
	} else {
		for (int i = 0; i < 4; i++) {
			char pre[64];

			snprintf(pre, sizeof pre, "/containers/%s/", ids[i]);
			if (!strstr(path, pre))
				continue;
			if (strstr(path, "/logs?")) {
				/* a read of the window; not the client's tail=N probes
				 * for the tail that holds it (lib/clients/docker_logs.c) */
				FILE *f = strstr(path, "&since=") ? fopen(counts, "a") : NULL;

				if (f) {
					fprintf(f, "%s\n", svcs[i]);
					fclose(f);
				}
				answer_logs(fd, lines[i]);
			} else {
				int n =
				    snprintf(body, sizeof body,
					     "{\"Id\":\"%s\",\"Name\":\"/p-%s-1\","
					     "\"RestartCount\":0,\"State\":{\"Status\":\"running\","
					     "\"Running\":true},\"Config\":{\"Tty\":false}}",
					     ids[i], svcs[i]);
				answer(fd, "application/json", body, (size_t)n);
			}
		}
	}
}

/* Docker's RFC 3339 nano time of unix ms t. */
static void
stamp(int64_t t, char *buf, size_t size)
{
	time_t s = (time_t)(t / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), size - strlen(buf), ".%03d000000Z", (int)(t % 1000));
}

/* n lines of fmt (printf with the line number) into lines[c], a second apart
 * from two minutes ago. */
static void
add_lines(int c, int n, const char *fmt, ...)
{
	int64_t t0 = wm_now_ms() - 120 * 1000;

	for (int i = 0; i < n; i++) {
		char ts[64], text[1024];
		size_t k = strlen(lines[c]);
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(text, sizeof text, fmt, ap);
		va_end(ap);
		stamp(t0 + i * 1000, ts, sizeof ts);
		snprintf(lines[c] + k, sizeof lines[c] - k, "%s %s\n", ts, text);
	}
}

static void
setup(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int ls;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/wm-logs-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock, sizeof sock, "%s/docker.sock", dir);
	snprintf(counts, sizeof counts, "%s/counts", dir);
	snprintf(conf, sizeof conf, "%s/config", dir);
	memset(lines, 0, sizeof lines);
	/* 12 failed logins from one client within 12 s: a brute force; a 500 */
	add_lines(0, 12,
		  "10.0.0.2 - - [01/Jan/2026:00:00:00 +0000] \"POST /api/auth/login HTTP/1.1\" 401 "
		  "40 \"-\" \"curl\" \"198.51.100.23\" rt=0.004 uct=\"0.000\" urt=\"0.004\"");
	add_lines(0, 1,
		  "10.0.0.2 - - [01/Jan/2026:00:00:00 +0000] \"GET /api/orders HTTP/1.1\" 500 "
		  "40 \"-\" \"curl\" \"-\" rt=0.004 uct=\"0.000\" urt=\"0.004\"");
	add_lines(1, 2,
		  "{\"level\":\"warn\",\"message\":\"Supervisor store access denied\","
		  "\"service\":\"warungin\",\"timestamp\":\"2026-01-01 00:00:00\"}");
	add_lines(1, 3,
		  "{\"level\":\"error\",\"message\":\"Error [api.orders]: boom %d\","
		  "\"service\":\"warungin\",\"timestamp\":\"2026-01-01 00:00:00\"}");
	/* a refusal known only by its status, after the level, message and time
	 * (a lazy parse for errors alone never reads it; security needs it) */
	add_lines(1, 2,
		  "{\"level\":\"warn\",\"message\":\"Request refused\","
		  "\"timestamp\":\"2026-01-01 00:00:00\",\"status\":401,\"path\":\"/api/x\"}");
	add_lines(3, 5,
		  "10.0.0.9 - - [01/Jan/2026:00:00:00 +0000] \"GET /admin HTTP/1.1\" 200 "
		  "40 \"-\" \"curl\" \"-\" rt=0.004 uct=\"0.000\" urt=\"0.004\"");
	/* perf's: a slow request's duration in a JSON field (duration_fields) */
	add_lines(
	    1, 3,
	    "{\"level\":\"warn\",\"message\":\"Slow request detected\",\"path\":\"/api/orders\","
	    "\"method\":\"GET\",\"duration\":\"2500ms\",\"timestamp\":\"2026-01-01 00:00:00\"}");
	add_lines(2, 2, "1:M 01 Jan 2026 00:00:00.000 * Background saving started");
	ck_assert_int_ge(ls = socket(AF_UNIX, SOCK_STREAM, 0), 0);
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock);
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
	ck_assert_int_eq(listen(ls, 16), 0);
	ck_assert_int_ge(engine = fork(), 0);
	if (engine == 0) {
		for (;;) {
			int fd = accept(ls, NULL, NULL);

			if (fd < 0)
				_exit(0);
			serve(fd);
			close(fd);
		}
	}
	close(ls);
	ck_assert_ptr_nonnull(f = fopen(conf, "w"));
	fprintf(f,
		"[general]\ndefault_target = t\n[target t]\ndocker_socket = %s\nproject = p\n"
		"services = nginx, backend, redis\n",
		sock);
	fclose(f);
	chmod(conf, 0600);
}

static void
teardown(void)
{
	kill(engine, SIGKILL);
	waitpid(engine, NULL, 0);
	wm_unit_rm_tree(dir);
}

/* How many log requests each service got: "nginx backend redis". */
static void
requests(int *n)
{
	FILE *f = fopen(counts, "r");
	char line[64];

	n[0] = n[1] = n[2] = 0;
	while (f && fgets(line, sizeof line, f))
		for (int i = 0; i < 3; i++)
			n[i] += strncmp(line, svcs[i], strlen(svcs[i])) == 0;
	if (f)
		fclose(f);
	unlink(counts);
}

static struct wm_session *
session(void)
{
	struct wm_session_opts so = {.config = conf, .timeout_ms = 10000};
	struct wm_err err = {0};
	struct wm_session *s = wm_session_open(&so, &err);

	ck_assert_msg(s != NULL, "%s", err.msg);
	wm_session_start(s, 0);
	return s;
}

static double
metric(const struct wm_result *r, const char *check, const char *name)
{
	const struct wm_check *c = wm_result_find_check(r, check);

	ck_assert_msg(c != NULL, "no check %s", check);
	for (size_t i = 0; i < c->nmetrics; i++)
		if (strcmp(c->metrics[i].name, name) == 0)
			return c->metrics[i].value;
	ck_abort_msg("no metric %s of %s", name, check);
	return 0;
}

/* The figures both ways must show (the same lines were read). */
static void
assert_figures(const struct wm_result *re, const struct wm_result *rs)
{
	ck_assert_double_eq(metric(re, "errors.backend", "errors"), 3);
	ck_assert_double_eq(metric(re, "errors.nginx", "errors"), 1);
	ck_assert_double_eq(metric(re, "errors.redis", "errors"), 0);
	ck_assert_double_eq(metric(rs, "security.brute_force", "brute_forces"), 1);
	ck_assert_double_eq(metric(rs, "security.auth", "unauthorized"), 12);
	ck_assert_double_eq(metric(rs, "security.auth", "backend_unauthorized"), 2);
	ck_assert_double_eq(metric(rs, "security.store_guard", "store_denied"), 2);
	ck_assert_int_eq(wm_result_find_check(rs, "security.violations")->state, WM_CRITICAL);
	ck_assert_int_eq(wm_result_find_check(rs, "security.logs")->state, WM_OK);
}

START_TEST(test_one_read_serves_both)
{
	struct wm_session *s = session();
	struct wm_errors_check_opts eo;
	struct wm_security_check_opts so;
	struct wm_logs_check_opts lo = {.errors = &eo, .security = &so};
	struct wm_result *re = wm_result_new("wm-errors", "t", "t");
	struct wm_result *rs = wm_result_new("wm-security", "t", "t");
	struct wm_err err = {0};
	int n[3];

	wm_errors_check_defaults(&eo, wm_now_ms());
	wm_security_check_defaults(&so, wm_now_ms());
	so.no_probes = true;
	ck_assert_msg(wm_logs_check_run(s, &lo, NULL, NULL, re, rs, &err) == 0, "%s", err.msg);
	requests(n);
	ck_assert_msg(n[0] == 1 && n[1] == 1 && n[2] == 1, "log requests %d %d %d", n[0], n[1],
		      n[2]);
	assert_figures(re, rs);
	wm_result_free(re);
	wm_result_free(rs);

	/* the two units one after the other: nginx and backend read twice */
	re = wm_result_new("wm-errors", "t", "t");
	rs = wm_result_new("wm-security", "t", "t");
	ck_assert_int_eq(wm_check_run(wm_check_find("errors"), s, &eo, NULL, re, &err), 0);
	ck_assert_int_eq(wm_check_run(wm_check_find("security"), s, &so, NULL, rs, &err), 0);
	requests(n);
	ck_assert_msg(n[0] == 2 && n[1] == 2 && n[2] == 1, "log requests %d %d %d", n[0], n[1],
		      n[2]);
	assert_figures(re, rs);
	wm_result_free(re);
	wm_result_free(rs);
	wm_session_close(s);
}
END_TEST

/* errors told to read redis only: security reads its services apart. */
START_TEST(test_apart_when_errors_reads_less)
{
	struct wm_session *s = session();
	const char *only[] = {"redis"};
	struct wm_errors_check_opts eo;
	struct wm_security_check_opts so;
	struct wm_logs_check_opts lo = {.errors = &eo, .security = &so};
	struct wm_result *re = wm_result_new("wm-errors", "t", "t");
	struct wm_result *rs = wm_result_new("wm-security", "t", "t");
	struct wm_err err = {0};
	int n[3];

	wm_errors_check_defaults(&eo, wm_now_ms());
	eo.services = only;
	eo.nservices = 1;
	wm_security_check_defaults(&so, wm_now_ms());
	so.no_probes = true;
	ck_assert_msg(wm_logs_check_run(s, &lo, NULL, NULL, re, rs, &err) == 0, "%s", err.msg);
	requests(n);
	ck_assert_msg(n[0] == 1 && n[1] == 1 && n[2] == 1, "log requests %d %d %d", n[0], n[1],
		      n[2]);
	ck_assert_ptr_null(wm_result_find_check(re, "errors.backend"));
	ck_assert_double_eq(metric(rs, "security.auth", "unauthorized"), 12);
	ck_assert_double_eq(metric(rs, "security.auth", "backend_unauthorized"), 2);
	wm_result_free(re);
	wm_result_free(rs);
	wm_session_close(s);
}
END_TEST

/* perf's durations ride on the errors read (wm-run's full tier): no log is
 * read again when perf reports, and its figures are those of its own read. */
START_TEST(test_perf_rides_on_the_read)
{
	struct wm_session *s = session();
	struct wm_errors_check_opts eo;
	struct wm_perf_check_opts po = {.no_app = true, .no_db = true};
	struct wm_logs_check_opts lo = {.errors = &eo};
	struct wm_result *re = wm_result_new("wm-errors", "t", "t");
	struct wm_result *rp = wm_result_new("wm-perf", "t", "t");
	struct wm_err err = {0};
	int n[3];

	wm_errors_check_defaults(&eo, wm_now_ms());
	po.since_ms = eo.since_ms;
	ck_assert_ptr_nonnull(po.logs = lo.perf = wm_perf_logs_new(s, eo.since_ms, -1));
	ck_assert_msg(wm_logs_check_run(s, &lo, NULL, NULL, re, NULL, &err) == 0, "%s", err.msg);
	requests(n);
	ck_assert_msg(n[0] == 1 && n[1] == 1 && n[2] == 1, "log requests %d %d %d", n[0], n[1],
		      n[2]);
	ck_assert_double_eq(metric(re, "errors.backend", "errors"), 3);
	ck_assert_int_eq(wm_check_run(wm_check_find("perf"), s, &po, NULL, rp, &err), 0);
	requests(n);
	ck_assert_msg(n[0] == 0 && n[1] == 0 && n[2] == 0, "perf read again: %d %d %d", n[0], n[1],
		      n[2]);
	ck_assert_double_eq(metric(rp, "perf.nginx", "requests"), 13);
	ck_assert_double_eq(metric(rp, "perf.log", "tail_requests"), 3);
	wm_perf_logs_free(po.logs);
	wm_result_free(rp);

	/* perf alone reads nginx and backend itself, and finds the same */
	rp = wm_result_new("wm-perf", "t", "t");
	po.logs = NULL;
	ck_assert_int_eq(wm_check_run(wm_check_find("perf"), s, &po, NULL, rp, &err), 0);
	requests(n);
	ck_assert_msg(n[0] == 1 && n[1] == 1 && n[2] == 0, "perf's own read: %d %d %d", n[0], n[1],
		      n[2]);
	ck_assert_double_eq(metric(rp, "perf.nginx", "requests"), 13);
	ck_assert_double_eq(metric(rp, "perf.log", "tail_requests"), 3);
	wm_result_free(re);
	wm_result_free(rp);
	wm_session_close(s);
}
END_TEST

/* A target without a services key: errors reads every container, perf's
 * reader takes nginx's lines only (not admin-nginx's), and a perf service
 * without a container is said, as perf's own read says it. */
START_TEST(test_perf_every_container)
{
	struct wm_session *s;
	struct wm_errors_check_opts eo;
	struct wm_perf_check_opts po = {.no_app = true, .no_db = true};
	struct wm_logs_check_opts lo = {.errors = &eo};
	struct wm_result *re = wm_result_new("wm-errors", "t", "t");
	struct wm_result *rp = wm_result_new("wm-perf", "t", "t");
	struct wm_err err = {0};
	const struct wm_check *c;
	FILE *f = fopen(conf, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f,
		"[general]\ndefault_target = t\n[target t]\ndocker_socket = %s\nproject = p\n"
		"[perf]\nlog_services = nginx, backend, ghost\n",
		sock);
	fclose(f);
	s = session();
	wm_errors_check_defaults(&eo, wm_now_ms());
	po.since_ms = eo.since_ms;
	ck_assert_ptr_nonnull(po.logs = lo.perf = wm_perf_logs_new(s, eo.since_ms, -1));
	ck_assert_msg(wm_logs_check_run(s, &lo, NULL, NULL, re, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(wm_check_run(wm_check_find("perf"), s, &po, NULL, rp, &err), 0);
	ck_assert_double_eq(metric(rp, "perf.nginx", "requests"), 13);
	ck_assert_ptr_nonnull(c = wm_result_find_check(rp, "perf.logs"));
	ck_assert_int_eq(c->state, WM_UNKNOWN);
	ck_assert_msg(strstr(c->summary, "ghost: no container for this service"), "%s", c->summary);
	wm_perf_logs_free(po.logs);
	wm_result_free(re);
	wm_result_free(rp);
	wm_session_close(s);
}
END_TEST

/* The errors unit gives up before reading (its configuration): perf was
 * not fed, so it reads its logs itself rather than reporting none. */
START_TEST(test_perf_errors_gave_up)
{
	struct wm_session *s;
	struct wm_errors_check_opts eo;
	struct wm_perf_check_opts po = {.no_app = true, .no_db = true};
	struct wm_logs_check_opts lo = {.errors = &eo};
	struct wm_result *re = wm_result_new("wm-errors", "t", "t");
	struct wm_result *rp = wm_result_new("wm-perf", "t", "t");
	struct wm_err err = {0};
	FILE *f = fopen(conf, "a");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "[errors backend]\ncritical_pattern = (foo\n");
	fclose(f);
	s = session();
	wm_errors_check_defaults(&eo, wm_now_ms());
	po.since_ms = eo.since_ms;
	ck_assert_ptr_nonnull(po.logs = lo.perf = wm_perf_logs_new(s, eo.since_ms, -1));
	wm_logs_check_run(s, &lo, NULL, NULL, re, NULL, &err);
	ck_assert_int_eq(wm_result_state(re), WM_UNKNOWN);
	ck_assert_int_eq(wm_check_run(wm_check_find("perf"), s, &po, NULL, rp, &err), 0);
	ck_assert_double_eq(metric(rp, "perf.nginx", "requests"), 13);
	wm_perf_logs_free(po.logs);
	wm_result_free(re);
	wm_result_free(rp);
	wm_session_close(s);
}
END_TEST

/* An engine that is gone: security's logs are UNKNOWN, never "no violation". */
START_TEST(test_engine_gone)
{
	struct wm_session *s;
	struct wm_errors_check_opts eo;
	struct wm_security_check_opts so;
	struct wm_logs_check_opts lo = {.errors = &eo, .security = &so};
	struct wm_result *re = wm_result_new("wm-errors", "t", "t");
	struct wm_result *rs = wm_result_new("wm-security", "t", "t");
	struct wm_err err = {0};

	kill(engine, SIGKILL);
	waitpid(engine, NULL, 0);
	unlink(sock);
	s = session();
	wm_errors_check_defaults(&eo, wm_now_ms());
	wm_security_check_defaults(&so, wm_now_ms());
	so.no_probes = true;
	ck_assert_msg(wm_logs_check_run(s, &lo, NULL, NULL, re, rs, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(wm_result_find_check(rs, "security.violations")->state, WM_UNKNOWN);
	ck_assert_int_eq(wm_result_find_check(rs, "security.logs")->state, WM_UNKNOWN);
	ck_assert_int_eq(wm_result_find_check(re, "errors.backend")->state, WM_UNKNOWN);
	wm_result_free(re);
	wm_result_free(rs);

	/* perf riding on the failed read: its logs UNKNOWN, no figure */
	{
		struct wm_perf_check_opts po = {.no_app = true, .no_db = true};
		struct wm_logs_check_opts lp = {.errors = &eo};
		const struct wm_check *c;

		re = wm_result_new("wm-errors", "t", "t");
		rs = wm_result_new("wm-perf", "t", "t");
		po.since_ms = eo.since_ms;
		ck_assert_ptr_nonnull(po.logs = lp.perf = wm_perf_logs_new(s, eo.since_ms, -1));
		ck_assert_int_eq(wm_logs_check_run(s, &lp, NULL, NULL, re, NULL, &err), 0);
		ck_assert_int_eq(wm_check_run(wm_check_find("perf"), s, &po, NULL, rs, &err), 0);
		ck_assert_ptr_nonnull(c = wm_result_find_check(rs, "perf.logs"));
		ck_assert_int_eq(c->state, WM_UNKNOWN);
		ck_assert_ptr_null(wm_result_find_check(rs, "perf.nginx"));
		wm_perf_logs_free(po.logs);
		wm_result_free(re);
		wm_result_free(rs);
	}
	wm_session_close(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("logs");
	TCase *tc = tcase_create("core");

	signal(SIGPIPE, SIG_IGN);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_one_read_serves_both);
	tcase_add_test(tc, test_apart_when_errors_reads_less);
	tcase_add_test(tc, test_perf_rides_on_the_read);
	tcase_add_test(tc, test_perf_every_container);
	tcase_add_test(tc, test_perf_errors_gave_up);
	tcase_add_test(tc, test_engine_gone);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
