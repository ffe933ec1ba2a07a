/* check_http.c - the HTTP client against real loopback servers: a forked
 * server that misbehaves on purpose (http_server.h) over TCP and a unix
 * socket, and `openssl s_server` for TLS.  The world's backend and nginx are
 * exercised by tests/integration/http-world.test. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include "base/duration.h"
#include "clients/http.h"
#include "http_server.h"
#include "unit.h"

static pid_t srv = -1, usrv = -1;
static int port;
static char tmpdir[] = "/tmp/wm-check-http.XXXXXX";
static char sock[256];

static void
setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(sock, sizeof(sock), "%s/s", tmpdir);
	srv = ts_start_tcp(&port);
	usrv = ts_start_unix(sock);
	ck_assert(srv > 0 && usrv > 0);
}

static void
teardown(void)
{
	ts_stop(srv);
	ts_stop(usrv);
	wm_unit_rm_tree(tmpdir);
}

/* One request to path on the TCP server (or the unix one). */
static int
get(struct wm_http_req *rq, const char *path, struct wm_http_resp *r, struct wm_err *e)
{
	static char url[256];
	struct wm_http *h = wm_http_new(e);
	int rc;

	ck_assert_msg(h != NULL, "%s", e->msg);
	if (rq->unix_socket)
		snprintf(url, sizeof(url), "http://backend.invalid%s", path);
	else
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	rq->url = url;
	rc = wm_http_request(h, rq, r, e);
	wm_http_free(h);
	return rc;
}

START_TEST(test_http_echo)
{
	const char *hdrs[] = {"X-Probe: 1", "Accept: text/plain", NULL};
	struct wm_http_req rq = {.headers = hdrs, .timeout_ms = 5000};
	struct wm_http_resp r;
	struct wm_err e = {0};

	ck_assert_msg(get(&rq, "/echo", &r, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strncmp(r.body, "GET /echo\n", 10) == 0, "%s", r.body);
	ck_assert(strstr(r.body, "\r\nX-Probe: 1\r\n") != NULL);
	ck_assert(strstr(r.body, "Host: 127.0.0.1:") != NULL);
	ck_assert_uint_eq(r.body_len, strlen(r.body));
	ck_assert_str_eq(wm_http_resp_header(&r, "x-test"), "yes"); /* trimmed, any case */
	ck_assert_str_eq(wm_http_resp_header(&r, "Content-Type"), "text/plain");
	ck_assert_ptr_null(wm_http_resp_header(&r, "X-None"));
	ck_assert(!r.headers_truncated);
	/* libcurl's clock: ordered, a real total, no TLS */
	ck_assert(r.t.connect_ms >= r.t.dns_ms && r.t.first_byte_ms >= r.t.connect_ms);
	ck_assert(r.t.total_ms >= r.t.first_byte_ms && r.t.total_ms > 0 && r.t.total_ms < 5000);
	ck_assert(r.t.tls_ms == 0);
	wm_http_resp_free(&r);
	wm_http_resp_free(&r); /* twice is fine */
}
END_TEST

START_TEST(test_http_methods_and_body)
{
	struct wm_http_req rq = {.body = "{\"a\":1}", .body_len = 7};
	struct wm_http_resp r;
	struct wm_err e = {0};

	/* a body without a method: POST, Content-Length, no Expect: 100-continue */
	ck_assert_msg(get(&rq, "/echo", &r, &e) == 0, "%s", e.msg);
	ck_assert_msg(strncmp(r.body, "POST /echo\n", 11) == 0, "%s", r.body);
	ck_assert(strstr(r.body, "Content-Length: 7\r\n") != NULL);
	ck_assert(strstr(r.body, "Expect") == NULL);
	ck_assert_uint_ge(r.body_len, 7);
	ck_assert(memcmp(r.body + r.body_len - 7, "{\"a\":1}", 7) == 0);
	wm_http_resp_free(&r);
	rq.method = "PUT";
	ck_assert_int_eq(get(&rq, "/echo", &r, &e), 0);
	ck_assert(strncmp(r.body, "PUT /echo\n", 10) == 0);
	wm_http_resp_free(&r);
	rq = (struct wm_http_req){.method = "DELETE"};
	ck_assert_int_eq(get(&rq, "/echo", &r, &e), 0);
	ck_assert(strncmp(r.body, "DELETE /echo\n", 13) == 0);
	wm_http_resp_free(&r);
	rq.method = "HEAD";
	ck_assert_int_eq(get(&rq, "/echo", &r, &e), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.body_len, 0);
	ck_assert_str_eq(r.body, "");
	wm_http_resp_free(&r);
	/* an HTTP error status is an answer, not a failure */
	rq.method = NULL;
	ck_assert_int_eq(get(&rq, "/status/500", &r, &e), 0);
	ck_assert_int_eq(r.status, 500);
	ck_assert_str_eq(r.body, "oops");
	wm_http_resp_free(&r);
}
END_TEST

START_TEST(test_http_unix_socket)
{
	struct wm_http_req rq = {.unix_socket = sock};
	struct wm_http_resp r;
	struct wm_err e = {0};

	/* the URL's host is only a name: the Host header, not where we connect */
	ck_assert_msg(get(&rq, "/echo", &r, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(r.status, 200);
	ck_assert(strstr(r.body, "Host: backend.invalid\r\n") != NULL);
	wm_http_resp_free(&r);
	rq.unix_socket = "/nonexistent/wm.sock";
	ck_assert_int_eq(get(&rq, "/echo", &r, &e), -1);
	ck_assert_int_eq(e.code, WM_ECONN);
}
END_TEST

START_TEST(test_http_redirects)
{
	struct wm_http_req rq = {0};
	struct wm_http_resp r;
	struct wm_err e = {0};

	ck_assert_int_eq(get(&rq, "/redirect", &r, &e), 0);
	ck_assert_int_eq(r.status, 302); /* not followed unless asked */
	ck_assert_str_eq(wm_http_resp_header(&r, "Location"), "/echo");
	ck_assert_int_eq(r.redirects, 0);
	wm_http_resp_free(&r);
	rq.follow_redirects = true;
	ck_assert_int_eq(get(&rq, "/redirect", &r, &e), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.redirects, 1);
	ck_assert(strncmp(r.body, "GET /echo\n", 10) == 0);
	ck_assert_ptr_null(wm_http_resp_header(&r, "Location")); /* the last response's */
	ck_assert_str_eq(wm_http_resp_header(&r, "X-Test"), "yes");
	wm_http_resp_free(&r);
}
END_TEST

START_TEST(test_http_timeout_and_deadline)
{
	struct wm_http_req rq = {.timeout_ms = 300};
	struct wm_http_resp r;
	struct wm_err e = {0};
	int64_t t0 = wm_monotonic_ms(), dt;

	ck_assert_int_eq(get(&rq, "/silent", &r, &e), -1);
	dt = wm_monotonic_ms() - t0;
	ck_assert_int_eq(e.code, WM_ETIMEDOUT);
	ck_assert_msg(strstr(e.msg, "no answer within 300 ms") != NULL, "%s", e.msg);
	ck_assert_msg(dt >= 250 && dt < 3000, "took %lld ms", (long long)dt);
	ck_assert_ptr_null(r.body);
	/* the deadline is nearer than the timeout: it wins */
	rq.timeout_ms = 10000;
	rq.deadline_ms = wm_monotonic_ms() + 400;
	t0 = wm_monotonic_ms();
	ck_assert_int_eq(get(&rq, "/silent", &r, &e), -1);
	dt = wm_monotonic_ms() - t0;
	ck_assert_int_eq(e.code, WM_ETIMEDOUT);
	ck_assert_msg(dt >= 300 && dt < 3000, "took %lld ms", (long long)dt);
	/* past the deadline: fails at once, even against a server that answers */
	rq.deadline_ms = wm_monotonic_ms() - 1;
	t0 = wm_monotonic_ms();
	ck_assert_int_eq(get(&rq, "/big", &r, &e), -1);
	ck_assert_int_eq(e.code, WM_ETIMEDOUT);
	ck_assert_msg(strstr(e.msg, "within 1 ms") != NULL, "%s", e.msg);
	/* "at once" with slack for sanitizers on a loaded machine: no connect, no wait */
	dt = wm_monotonic_ms() - t0;
	ck_assert_msg(dt < 3000, "took %lld ms", (long long)dt);
}
END_TEST

START_TEST(test_http_bad_answers)
{
	struct wm_http_req rq = {.timeout_ms = 5000};
	struct wm_http_resp r;
	struct wm_err e = {0};

	/* a body over the bound: refused, nothing kept */
	rq.body_max = 1 << 20;
	ck_assert_int_eq(get(&rq, "/big", &r, &e), -1);
	ck_assert_int_eq(e.code, WM_ETOOBIG);
	ck_assert_msg(strstr(e.msg, "larger than 1048576 bytes") != NULL, "%s", e.msg);
	ck_assert_ptr_null(r.body);
	rq.body_max = 4 << 20;
	ck_assert_int_eq(get(&rq, "/big", &r, &e), 0);
	ck_assert_uint_eq(r.body_len, 2 << 20);
	ck_assert(r.body[0] == 'x' && r.body[r.body_len - 1] == 'x' && r.body[r.body_len] == '\0');
	wm_http_resp_free(&r);
	rq.body_max = 0;
	/* reset in the middle of the body */
	ck_assert_int_eq(get(&rq, "/reset", &r, &e), -1);
	ck_assert_msg(e.code == WM_ECONN, "%d %s", e.code, e.msg);
	ck_assert_msg(strstr(e.msg, "reset") != NULL, "%s", e.msg);
	/* closed before the promised length */
	ck_assert_int_eq(get(&rq, "/short", &r, &e), -1);
	ck_assert_msg(e.code == WM_EPROTO, "%d %s", e.code, e.msg);
	/* not HTTP at all */
	ck_assert_int_eq(get(&rq, "/garbage", &r, &e), -1);
	ck_assert_msg(e.code == WM_EPROTO, "%d %s", e.code, e.msg);
	/* too many response headers: the first WM_HTTP_HEADERS_COUNT kept */
	ck_assert_int_eq(get(&rq, "/headers", &r, &e), 0);
	ck_assert(r.headers_truncated);
	ck_assert_uint_eq(r.nheaders, WM_HTTP_HEADERS_COUNT);
	ck_assert_str_eq(wm_http_resp_header(&r, "X-H-0"), "v0");
	wm_http_resp_free(&r);
}
END_TEST

START_TEST(test_http_refusals)
{
	struct wm_http *h;
	struct wm_http_req rq = {0};
	struct wm_http_resp r;
	struct wm_err e = {0};
	const char *bad_hdr[] = {"X-A: 1\r\nX-Injected: 2", NULL};
	const char *bad_auth[] = {"Authorization: Bearer hunter6\r\n", NULL};
	int fd;
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t sl = sizeof(sa);
	char url[128];

	h = wm_http_new(&e);
	rq.url = "ftp://127.0.0.1/";
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	/* the refusal names the URL without its password or query */
	rq.url = "ftp://user:hunter5@127.0.0.1/x?token=abc";
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_msg(strstr(e.msg, "ftp://127.0.0.1/x") && !strstr(e.msg, "hunter5") &&
			  !strstr(e.msg, "token"),
		      "%s", e.msg);
	rq.url = "file:///etc/passwd";
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	rq.url = "http://127.0.0.1:1/";
	rq.method = "GET /x HTTP/1.0\r\n";
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	rq.method = NULL;
	rq.headers = bad_hdr;
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	/* ... and a refused header by its name only */
	rq.headers = bad_auth;
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_str_eq(e.msg, "bad request header: Authorization");
	rq.headers = NULL;
	/* a port nobody listens on (bound, not listening: refused) */
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert(bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	getsockname(fd, (struct sockaddr *)&sa, &sl);
	snprintf(url, sizeof(url), "http://user:secret@127.0.0.1:%d/x?token=abc",
		 ntohs(sa.sin_port));
	rq.url = url;
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_int_eq(e.code, WM_ECONN);
	/* the message names the URL without its credentials or query */
	ck_assert_msg(strstr(e.msg, "http://127.0.0.1:") == e.msg, "%s", e.msg);
	ck_assert_msg(!strstr(e.msg, "secret") && !strstr(e.msg, "token"), "%s", e.msg);
	close(fd);
	wm_http_free(h);
	wm_http_free(NULL);
}
END_TEST

/* Run argv, wait for it; its exit status. */
static int
run(char *const argv[])
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A self-signed certificate for 127.0.0.1 and `openssl s_server -www`. */
START_TEST(test_http_tls)
{
	char crt[300], key[300], url[128], portarg[32];
	struct wm_http_req rq = {.timeout_ms = 5000};
	struct wm_http_resp r;
	struct wm_err e = {0};
	struct wm_http *h;
	int tport = 0, rc = -1;
	pid_t tls;

	snprintf(crt, sizeof(crt), "%s/c.pem", tmpdir);
	snprintf(key, sizeof(key), "%s/k.pem", tmpdir);
	{
		char *gen[] = {"openssl",
			       "req",
			       "-x509",
			       "-newkey",
			       "ec",
			       "-pkeyopt",
			       "ec_paramgen_curve:P-256",
			       "-nodes",
			       "-days",
			       "2",
			       "-subj",
			       "/CN=127.0.0.1",
			       "-addext",
			       "subjectAltName=IP:127.0.0.1,DNS:localhost",
			       "-keyout",
			       key,
			       "-out",
			       crt,
			       NULL};

		ck_assert_int_eq(run(gen), 0);
	}
	{ /* a free port: bind to 0, read it, close */
		struct sockaddr_in sa = {.sin_family = AF_INET};
		socklen_t sl = sizeof(sa);
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		bind(fd, (struct sockaddr *)&sa, sizeof(sa));
		getsockname(fd, (struct sockaddr *)&sa, &sl);
		tport = ntohs(sa.sin_port);
		close(fd);
	}
	snprintf(portarg, sizeof(portarg), "127.0.0.1:%d", tport);
	tls = fork();
	if (tls == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		execlp("openssl", "openssl", "s_server", "-www", "-accept", portarg, "-cert", crt,
		       "-key", key, "-quiet", (char *)NULL);
		_exit(127);
	}
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", tport);
	rq.url = url;
	h = wm_http_new(&e);
	/* until s_server listens: up to 20 s, as a loaded machine with sanitizers
	 * may take that long to start it; stop early if it died (port taken) */
	for (int64_t until = wm_monotonic_ms() + 20000;;) {
		rq.insecure = true;
		rc = wm_http_request(h, &rq, &r, &e);
		if (rc == 0 || e.code != WM_ECONN || wm_monotonic_ms() > until)
			break;
		ck_assert_msg(waitpid(tls, NULL, WNOHANG) == 0, "openssl s_server on %s exited",
			      portarg);
		usleep(100000);
	}
	/* insecure: answered, and the TLS handshake is in the timings */
	ck_assert_msg(rc == 0, "%s", e.msg);
	ck_assert_int_eq(r.status, 200);
	ck_assert(r.t.tls_ms >= r.t.connect_ms && r.t.tls_ms > 0);
	wm_http_resp_free(&r);
	/* verified by default: a self-signed certificate is refused */
	rq.insecure = false;
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
	ck_assert_msg(strstr(e.msg, "certificate") != NULL, "%s", e.msg);
	/* ... and accepted when it is the configured CA */
	rq.ca_file = crt;
	ck_assert_msg(wm_http_request(h, &rq, &r, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(r.status, 200);
	wm_http_resp_free(&r);
	/* a CA file that is not there: a configuration problem */
	rq.ca_file = "/nonexistent/ca.pem";
	ck_assert_int_eq(wm_http_request(h, &rq, &r, &e), -1);
	ck_assert_msg(e.code == WM_ECONFIG || e.code == WM_EPROTO, "%d %s", e.code, e.msg);
	wm_http_free(h);
	kill(tls, SIGKILL);
	waitpid(tls, NULL, 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("http");
	TCase *tc = tcase_create("loopback");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_http_echo);
	tcase_add_test(tc, test_http_methods_and_body);
	tcase_add_test(tc, test_http_unix_socket);
	tcase_add_test(tc, test_http_redirects);
	tcase_add_test(tc, test_http_timeout_and_deadline);
	tcase_add_test(tc, test_http_bad_answers);
	tcase_add_test(tc, test_http_refusals);
	tcase_add_test(tc, test_http_tls);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
