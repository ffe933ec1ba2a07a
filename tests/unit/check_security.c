/* check_security.c - the security analyzer on the research's exact backend
 * lines, on the world's nginx lines (brute force, attacks, rates and the
 * states they give), and on the real honeypot log against awk and a second,
 * sort-based brute-force count computed here. */
#define _GNU_SOURCE /* timegm */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/probe.h"
#include "checks/security.h"
#include "stream.h"
#include "unit.h"

struct run {
	struct wm_security *s;
	struct wm_logstream *ls;
};

static void
start(struct run *r, const struct wm_security_opts *o)
{
	struct wm_err err = {0};

	r->s = wm_security_new(o, &err);
	ck_assert_msg(r->s != NULL, "%s", err.msg);
	r->ls = wm_unit_stream(wm_security_analyzer(r->s));
}

static void
feed(struct run *r, const char *text)
{
	wm_logstream_feed(r->ls, text, strlen(text));
	wm_logstream_flush(r->ls);
}

static void
stop(struct run *r)
{
	wm_logstream_free(r->ls);
	wm_security_free(r->s);
}

static enum wm_state
state_of(struct wm_result *res, const char *check)
{
	struct wm_check *c = wm_result_find_check(res, check);

	ck_assert_msg(c != NULL, "no check %s", check);
	return c->state;
}

/* research/warungin.md §2, §4, §5: the exact production lines. */
static const char backend[] =
    "{\"email\":\"admin@warungin.com\",\"level\":\"info\",\"message\":\"Login "
    "attempt:\",\"passwordLength\":8,\"service\":\"warungin\",\"timestamp\":\"2025-12-31 "
    "10:20:11\"}\n"
    "{\"level\":\"info\",\"message\":\"Password comparison "
    "result:\",\"service\":\"warungin\",\"timestamp\":\"2025-12-31 10:20:11\"}\n"
    "{\"email\":\"admin@warungin.com\",\"hashLength\":60,\"hashStart\":\"$2a$10$Q1w2e3r4t5y6u\","
    "\"level\":\"error\",\"message\":\"Password comparison "
    "failed:\",\"passwordLength\":4,\"role\":\"SUPER_ADMIN\",\"service\":\"warungin\","
    "\"timestamp\":\"2025-12-31 10:20:11\"}\n"
    "{\"code\":null,\"issues\":null,\"level\":\"error\",\"message\":\"Auth route error [LOGIN]: "
    "Password salah\",\"method\":\"POST\",\"name\":\"AppError\",\"path\":\"/login\","
    "\"service\":\"warungin\",\"stack\":\"AppError: Password salah\\n    at login "
    "(/app/dist/src/services/auth.service.js:98:15)\",\"statusCode\":401,\"timestamp\":\"2025-"
    "12-31 10:20:11\",\"userId\":null}\n"
    "{\"level\":\"warn\",\"message\":\"2FA required but not enabled for admin "
    "role\",\"path\":\"/\",\"role\":\"ADMIN_TENANT\",\"service\":\"warungin\",\"timestamp\":"
    "\"2025-12-31 10:22:30\",\"userId\":\"6f1c2a9e-...\"}\n"
    "{\"allowedStoreIds\":[\"b7e1...\",\"c9d2...\"],\"level\":\"warn\",\"message\":\"Supervisor "
    "store access denied\",\"method\":\"GET\",\"path\":\"/\",\"requestedStoreId\":\"a1f0...\","
    "\"service\":\"warungin\",\"timestamp\":\"2025-12-31 10:25:03\",\"userId\":\"2d4e...\"}\n"
    "{\"level\":\"warn\",\"message\":\"Supervisor bulk operation denied on unauthorized "
    "stores\",\"path\":\"/\",\"service\":\"warungin\",\"timestamp\":\"2025-12-31 10:25:04\"}\n"
    "{\"code\":\"STORE_NOT_ASSIGNED\",\"level\":\"error\",\"message\":\"Auth middleware error "
    "[STORE_NOT_ASSIGNED]: Store not assigned for CASHIER user\",\"service\":\"warungin\","
    "\"timestamp\":\"2025-12-31 10:26:00\"}\n"
    "{\"level\":\"info\",\"message\":\"2FA enabled successfully\",\"service\":\"warungin\","
    "\"timestamp\":\"2025-12-31 10:27:00\"}\n"
    "{\"ip\":\"203.0.113.9\",\"level\":\"warn\",\"message\":\"Auth rate limit exceeded:\","
    "\"path\":\"/api/auth/login\",\"retryAfter\":900,\"service\":\"warungin\",\"timestamp\":"
    "\"2025-12-31 10:28:00\"}\n"
    "{\"level\":\"warn\",\"message\":\"Route not found:\",\"method\":\"GET\",\"path\":\"/metrics\","
    "\"query\":{},\"service\":\"warungin\",\"timestamp\":\"2025-12-31 10:25:15\"}\n"
    "{\"level\":\"warn\",\"message\":\"Unauthorized: Token expired\",\"service\":\"warungin\","
    "\"timestamp\":\"2025-12-31 10:29:00\"}\n"
    "{\"level\":\"warn\",\"message\":\"Forbidden: Insufficient permissions\",\"service\":"
    "\"warungin\",\"timestamp\":\"2025-12-31 10:29:01\"}\n";

START_TEST(test_backend_lines)
{
	struct wm_security_opts o = {0};
	struct run r;
	const struct wm_security_counts *c;
	struct wm_security_row *rows;
	size_t n;
	struct wm_result *res = wm_result_new("wm-security", "0", NULL);

	start(&r, &o);
	feed(&r, backend);
	c = wm_security_counts(r.s);
	ck_assert_int_eq(c->backend_lines, 13);
	ck_assert_int_eq(c->access_lines, 0);
	ck_assert_int_eq(c->login_failed, 1);
	ck_assert_int_eq(c->tfa_required, 1);
	ck_assert_int_eq(c->tfa_enabled, 1);
	ck_assert_int_eq(c->store_denied, 1);
	ck_assert_int_eq(c->store_bulk_denied, 1);
	ck_assert_int_eq(c->store_not_assigned, 1);
	ck_assert_int_eq(c->backend_rate_limited, 1);
	ck_assert_int_eq(c->backend_unauthorized, 1);
	ck_assert_int_eq(c->backend_forbidden, 2); /* Forbidden: + STORE_NOT_ASSIGNED */
	ck_assert_int_eq(c->words, 0);
	ck_assert_int_eq(c->brute_forces, 0);
	rows = wm_security_table(r.s, WM_SECT_ACCOUNT, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(rows[0].key, "a***@warungin.com"); /* never the clear address */
	free(rows);
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(wm_result_state(res), WM_OK);
	ck_assert_str_eq(wm_result_find_check(res, "security.auth")->summary,
			 "4 refused (401/403, backend) in 1h, 4.0/h: the protections answering");
	wm_result_free(res);
	stop(&r);
}
END_TEST

#define NG(ip, xff, t, req, st, urt)                                                               \
	ip " - - [31/Dec/2025:" t " +0000] \"" req " HTTP/1.1\" " st " 60 \"-\" \"curl/8.5.0\" "   \
	   "\"" xff "\" rt=0.010 uct=\"0.001\" urt=\"" urt "\"\n"

/* The suite's own requests (opts.self_mark): a brute force of ours is left
 * out, counted as self_lines; the same lines with another token are not. */
#define SELF_MARK "wm-self=00112233aabbccdd"
static void
login_flood(struct run *r, const char *agent)
{
	char buf[512];

	for (int i = 0; i < 12; i++) {
		snprintf(buf, sizeof buf,
			 "172.18.0.1 - - [31/Dec/2025:10:20:%02d +0000] \"POST /api/auth/login "
			 "HTTP/1.1\" 401 60 \"-\" \"%s\" \"-\" rt=0.010 uct=\"0.001\" "
			 "urt=\"0.004\"\n",
			 i * 2, agent);
		feed(r, buf);
	}
}

START_TEST(test_self_lines)
{
	struct wm_security_opts o = {.self_mark = SELF_MARK};
	struct run r;

	start(&r, &o);
	login_flood(&r, "warunginmon/1.0 (self-check; " SELF_MARK ")");
	ck_assert_int_eq(wm_security_counts(r.s)->self_lines, 12);
	ck_assert_int_eq(wm_security_counts(r.s)->unauthorized, 0);
	ck_assert_int_eq(wm_security_counts(r.s)->brute_forces, 0);
	ck_assert_int_eq(wm_security_counts(r.s)->access_lines, 12);
	login_flood(&r, "warunginmon/1.0 (self-check; wm-self=ffffffffffffffff)");
	ck_assert_int_eq(wm_security_counts(r.s)->self_lines, 12);
	ck_assert_int_eq(wm_security_counts(r.s)->unauthorized, 12);
	ck_assert_int_eq(wm_security_counts(r.s)->brute_forces, 1);
	stop(&r);
}
END_TEST

START_TEST(test_brute_force_and_join)
{
	struct wm_security_opts o = {0};
	struct run r;
	struct wm_result *res = wm_result_new("wm-security", "0", NULL);
	struct wm_security_brute *b;
	char buf[512], acc[4][64];
	bool amb = true;
	size_t n;

	start(&r, &o);
	/* nine failures in 4.5 minutes: under the limit of 10 in 5 min */
	for (int i = 0; i < 9; i++) {
		snprintf(buf, sizeof buf,
			 NG("172.18.0.1", "203.0.113.9", "10:%02d:%02d", "POST /api/auth/login",
			    "401", "0.004"),
			 i / 2, (i % 2) * 30);
		feed(&r, buf);
	}
	ck_assert_int_eq(wm_security_counts(r.s)->brute_forces, 0);
	/* a tenth 10 minutes later: still none (the window slides) */
	feed(&r,
	     NG("172.18.0.1", "203.0.113.9", "10:14:00", "POST /api/auth/login", "401", "0.004"));
	ck_assert_int_eq(wm_security_counts(r.s)->brute_forces, 0);
	/* ten within a minute, the last ones rate-limited (429 counts as tried) */
	for (int i = 0; i < 10; i++) {
		snprintf(buf, sizeof buf,
			 NG("172.18.0.1", "203.0.113.9, 10.0.0.3", "10:20:%02d",
			    "POST /api/auth/login", "%d", "0.004"),
			 i * 5, i < 8 ? 401 : 429);
		feed(&r, buf);
	}
	ck_assert_int_eq(wm_security_counts(r.s)->brute_forces, 1);
	ck_assert_int_eq(wm_security_counts(r.s)->rate_limited, 2);
	/* the backend's side of two of them: accounts joined by time */
	feed(&r,
	     "{\"email\":\"kasir@warungin.com\",\"level\":\"info\",\"message\":\"Login attempt:\","
	     "\"timestamp\":\"2025-12-31 10:20:05\"}\n"
	     "{\"level\":\"error\",\"message\":\"Auth route error [LOGIN]: Password salah\","
	     "\"statusCode\":401,\"timestamp\":\"2025-12-31 10:20:05\"}\n"
	     "{\"email\":\"Owner@Warungin.com\",\"level\":\"info\",\"message\":\"Login attempt:\","
	     "\"timestamp\":\"2025-12-31 10:20:10\"}\n"
	     "{\"level\":\"error\",\"message\":\"Auth route error [LOGIN]: Akun tidak "
	     "ditemukan. Silakan hubungi admin.\",\"statusCode\":401,\"timestamp\":\"2025-12-31 "
	     "10:20:10\"}\n");
	b = wm_security_brutes(r.s, &n);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(b[0].who, "203.0.113.9");
	ck_assert(!b[0].account);
	ck_assert_int_eq(b[0].failures, 20);
	ck_assert_int_eq(b[0].max_window, 10);
	n = wm_security_brute_accounts(r.s, &b[0], acc, 4, &amb);
	/* the span of the whole incident starts at 10:00: both accounts fall inside */
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(acc[0], "k***@warungin.com");
	ck_assert_str_eq(acc[1], "O***@warungin.com");
	ck_assert(!amb);
	free(b);
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(state_of(res, "security.brute_force"), WM_CRITICAL);
	ck_assert_int_eq(state_of(res, "security.violations"), WM_CRITICAL);
	ck_assert_int_eq(state_of(res, "security.auth"), WM_OK); /* 22 refusals in 1 h */
	ck_assert_str_eq(
	    wm_result_find_check(res, "security.brute_force")->summary,
	    "brute force in 1h from 203.0.113.9: 20 failed logins, over the limit of 10 "
	    "in 300s, accounts tried: k***@warungin.com, O***@warungin.com");
	wm_result_free(res);
	stop(&r);
}
END_TEST

START_TEST(test_attacks_and_rate)
{
	struct wm_security_opts o = {.window_ms = 3600 * 1000};
	struct run r;
	struct wm_result *res = wm_result_new("wm-security", "0", NULL);
	const struct wm_security_counts *c;
	struct wm_security_row *rows;
	size_t n;
	char buf[512];

	start(&r, &o);
	feed(&r,
	     NG("198.51.100.7", "-", "11:00:00", "GET /api/products?id=1%27%20OR%201=1--", "200",
		"0.020") NG("198.51.100.7", "-", "11:00:01", "GET /.env", "200", "-")
		 NG("198.51.100.7", "-", "11:00:02", "GET /wp-login.php", "404", "0.002") NG(
		     "198.51.100.7", "-", "11:00:03", "GET /static/..%252f..%252fetc/passwd", "400",
		     "-") NG("198.51.100.8", "-", "11:00:04",
			     "GET /api/products?q=union%2F**%2Fselect", "500", "0.003")
		     NG("198.51.100.8", "-", "11:00:05", "GET /api/orders?page=2", "200", "0.010"));
	c = wm_security_counts(r.s);
	ck_assert_int_eq(c->access_lines, 6);
	ck_assert_int_eq(c->attacks[WM_ATTACK_SQLI], 2);
	ck_assert_int_eq(c->attacks_2xx[WM_ATTACK_SQLI], 1);
	ck_assert_int_eq(c->attacks[WM_ATTACK_SCANNER], 2);
	ck_assert_int_eq(c->attacks_2xx[WM_ATTACK_SCANNER], 0);
	ck_assert_int_eq(c->attacks_static[WM_ATTACK_SCANNER], 1); /* the SPA's fallback */
	ck_assert_int_eq(c->attacks[WM_ATTACK_TRAVERSAL], 1);
	/* 2FA bad codes and a flood of 401s: 150 in the hour > 100/h */
	feed(&r, NG("198.51.100.9", "-", "11:01:00", "POST /api/2fa/verify", "401", "0.003"));
	for (int i = 0; i < 149; i++) {
		snprintf(
		    buf, sizeof buf,
		    NG("198.51.100.%d", "-", "11:%02d:%02d", "GET /api/orders", "401", "0.001"),
		    10 + i % 50, 2 + i / 60, i % 60);
		feed(&r, buf);
	}
	ck_assert_int_eq(c->tfa_verify_failed, 1);
	ck_assert_int_eq(c->unauthorized, 150);
	rows = wm_security_table(r.s, WM_SECT_DENIED_PATH, &n);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(rows[0].key, "401 GET /api/orders");
	ck_assert_int_eq(rows[0].count, 149);
	free(rows);
	ck_assert_int_eq(c->brute_forces, 0); /* /api/orders is no login path */
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(state_of(res, "security.attacks"), WM_CRITICAL);
	ck_assert_int_eq(state_of(res, "security.auth"), WM_WARNING);
	ck_assert_int_eq(state_of(res, "security.2fa"), WM_OK);
	ck_assert_str_eq(wm_result_find_check(res, "security.violations")->summary,
			 "1 security violation(s) in 1h: 0 brute forces, 1 attack-shaped requests "
			 "answered 2xx, 0 intrusion words");
	wm_result_free(res);
	stop(&r);
}
END_TEST

/* The backend alone (no access log): ten failed logins of one account in a
 * minute are a brute force on that account; with access lines the client's
 * incident is the violation and the account's is only shown. */
/* Nothing read is not "no violation": UNKNOWN, naming the silent source. */
START_TEST(test_nothing_read)
{
	struct wm_security_opts o = {0};
	struct run r;
	struct wm_result *res = wm_result_new("wm-security", "0", NULL);
	struct wm_check *c;

	start(&r, &o);
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	c = wm_result_find_check(res, "security.violations");
	ck_assert_int_eq(c->state, WM_UNKNOWN);
	ck_assert_str_eq(c->summary,
			 "no lines read from the nginx access log or the backend log in 1h");
	wm_result_free(res);
	stop(&r);
	/* both expected, only access lines: the backend log is named */
	o.expect = WM_SECURITY_EXPECT_ACCESS | WM_SECURITY_EXPECT_BACKEND;
	start(&r, &o);
	res = wm_result_new("wm-security", "0", NULL);
	feed(&r, NG("172.18.0.1", "-", "10:21:00", "GET /api/products", "200", "0.004"));
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	c = wm_result_find_check(res, "security.violations");
	ck_assert_int_eq(c->state, WM_UNKNOWN);
	ck_assert_str_eq(c->summary, "no lines read from the backend log in 1h");
	wm_result_free(res);
	/* ... and once it gave a line, the verdict is OK */
	res = wm_result_new("wm-security", "0", NULL);
	feed(&r, backend);
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(state_of(res, "security.violations"), WM_OK);
	wm_result_free(res);
	stop(&r);
	/* a violation in the lines read stands, the silent source named */
	start(&r, &o);
	res = wm_result_new("wm-security", "0", NULL);
	feed(&r, NG("198.51.100.7", "-", "11:00:00", "GET /api/products?id=1%27%20OR%201=1--",
		    "200", "0.020"));
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	c = wm_result_find_check(res, "security.violations");
	ck_assert_int_eq(c->state, WM_CRITICAL);
	ck_assert_str_eq(c->summary, "1 security violation(s) in 1h: 0 brute forces, 1 "
				     "attack-shaped requests answered 2xx, 0 intrusion words; no "
				     "lines read from the backend log");
	wm_result_free(res);
	stop(&r);
}
END_TEST

START_TEST(test_brute_account)
{
	struct wm_security_opts o = {0};
	struct run r;
	struct wm_result *res = wm_result_new("wm-security", "0", NULL);
	char buf[512];

	start(&r, &o);
	for (int i = 0; i < 10; i++) {
		snprintf(buf, sizeof buf,
			 "{\"email\":\"kasir@warungin.com\",\"level\":\"info\",\"message\":\"Login "
			 "attempt:\",\"timestamp\":\"2025-12-31 10:20:%02d\"}\n"
			 "{\"level\":\"error\",\"message\":\"Auth route error [LOGIN]: Password "
			 "salah\",\"statusCode\":401,\"timestamp\":\"2025-12-31 10:20:%02d\"}\n",
			 i * 5, i * 5);
		feed(&r, buf);
	}
	ck_assert_int_eq(wm_security_counts(r.s)->brute_accounts, 1);
	ck_assert_int_eq(wm_security_counts(r.s)->brute_forces, 0);
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(state_of(res, "security.violations"), WM_CRITICAL);
	ck_assert_int_eq(state_of(res, "security.brute_force"), WM_CRITICAL);
	wm_result_free(res);
	res = wm_result_new("wm-security", "0", NULL);
	feed(&r, NG("172.18.0.1", "-", "10:21:00", "GET /api/products", "200", "0.004"));
	ck_assert_int_eq(wm_security_report(r.s, res, "in 1h", NULL, NULL), 0);
	ck_assert_int_eq(state_of(res, "security.violations"), WM_OK);
	wm_result_free(res);
	stop(&r);
}
END_TEST

START_TEST(test_matchers)
{
	char out[64];
	const char *w;
	size_t wl;

	ck_assert(wm_security_word("Possible exploit attempt", 24, WM_SECURITY_WORDS, &w, &wl));
	ck_assert_int_eq(wl, 7);
	ck_assert(wm_security_word("VULNERABILITY found", 19, WM_SECURITY_WORDS, NULL, NULL));
	ck_assert(wm_security_word("data_breach", 11, WM_SECURITY_WORDS, NULL, NULL) == false);
	ck_assert(!wm_security_word("exploits and breaches", 21, WM_SECURITY_WORDS, NULL, NULL));
	ck_assert(!wm_security_word("unbreachable", 12, WM_SECURITY_WORDS, NULL, NULL));
	ck_assert(wm_security_word("(breach)", 8, WM_SECURITY_WORDS, NULL, NULL));
	ck_assert(!wm_security_word("exploit", 7, "", NULL, NULL));
	wm_security_mask_email("admin@warungin.com", 18, out, sizeof out);
	ck_assert_str_eq(out, "a***@warungin.com");
	wm_security_mask_email("nobody", 6, out, sizeof out);
	ck_assert_str_eq(out, "n***");
	wm_security_mask_email("@x", 2, out, sizeof out);
	ck_assert_str_eq(out, "***@x");
	ck_assert_uint_eq(wm_security_attack_shape("/api/x?id=1'%20or%20'1'='1", 26, NULL),
			  1u << WM_ATTACK_SQLI);
	ck_assert_uint_eq(wm_security_attack_shape("/a/%2e%2e/%2e%2e/etc/passwd", 27, NULL),
			  1u << WM_ATTACK_TRAVERSAL);
	ck_assert_uint_eq(wm_security_attack_shape("/s?q=%3Cscript%3Ealert(1)", 25, NULL),
			  1u << WM_ATTACK_XSS);
	ck_assert_uint_eq(wm_security_attack_shape("/cgi-bin/x?c=;wget%20http://x", 29, NULL),
			  1u << WM_ATTACK_CMD | 1u << WM_ATTACK_SCANNER);
	ck_assert_uint_eq(wm_security_attack_shape("/backend/.ENV", 13, NULL),
			  1u << WM_ATTACK_SCANNER);
	/* the scanner list applies to the path only, not to the query */
	ck_assert_uint_eq(wm_security_attack_shape("/search?q=/.env", 15, NULL), 0);
	ck_assert_uint_eq(wm_security_attack_shape("/api/orders?status=paid&page=2", 30, NULL), 0);
	ck_assert_uint_eq(wm_security_attack_shape("/api/products?search=o%27reilly", 31, NULL), 0);
	ck_assert(wm_security_path_in("/api/auth/login/", 16, WM_SECURITY_LOGIN_PATHS));
	ck_assert(wm_security_path_in("/api/2fa/verify", 15, WM_SECURITY_LOGIN_PATHS));
	ck_assert(!wm_security_path_in("/api/auth/logout", 16, WM_SECURITY_LOGIN_PATHS));
}
END_TEST

/* The honeypot log (real traffic, main format, no X-Forwarded-For) with its
 * two 401-answering endpoints taken as login paths: the analyzer's counts
 * against awk's, and its brute forces against a sort-and-scan count here. */
#define HP_LOGIN "/honeypot/log-interaction,/api/honeypot/angela/honey/angela"

static int
cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

START_TEST(test_honeypot)
{
	struct wm_security_opts o = {.login_paths = HP_LOGIN};
	const char *path = wm_unit_honeypot("check_security");
	struct run r;
	FILE *p;
	char cmd[8192], ip[64], when[32];
	long want401 = -1, want403 = -1, want_scan = -1, want_other = -1;
	int64_t times[4096];
	size_t nt = 0, want_brutes = 0;
	const struct wm_security_counts *c;

	start(&r, &o);
	wm_unit_feed_file(r.ls, path);
	c = wm_security_counts(r.s);

	snprintf(cmd, sizeof cmd,
		 "awk -F'\"' '{split($3, a, \" \"); s[a[1]]++} END {print s[401] + 0, s[403] + 0}' "
		 "'%s'",
		 path);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_int_eq(fscanf(p, "%ld %ld", &want401, &want403), 2);
	pclose(p);
	ck_assert_int_eq(c->unauthorized, want401);
	ck_assert_int_eq(c->forbidden, want403);
	ck_assert_int_eq(c->access_lines + c->other_lines + c->backend_lines, 0 + c->access_lines);

	/* scanner paths: the default list as one awk regex over the request's path */
	snprintf(
	    cmd, sizeof cmd,
	    "awk -F'\"' -v list='%s' 'BEGIN {gsub(/\\./, \"[.]\", list); gsub(/,/, \"|\", list)} "
	    "{split($2, r, \" \"); q = r[2]; sub(/[?].*/, \"\", q); if (tolower(q) ~ list) n++} "
	    "END {print n + 0}' '%s'",
	    WM_SECURITY_SCANNER_PATHS, path);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_int_eq(fscanf(p, "%ld", &want_scan), 1);
	pclose(p);
	ck_assert_int_eq(c->attacks[WM_ATTACK_SCANNER], want_scan);
	if (strstr(path, "real-logs")) /* GET /shell.php x 4 */
		ck_assert_int_eq(want_scan, 4);
	/* the other shapes: their strongest needles, by grep over the request lines */
	snprintf(cmd, sizeof cmd,
		 "awk -F'\"' '{print $2}' '%s' | grep -ciE \"union.*select|'(%%20| )or|\\.\\./|"
		 "etc/passwd|<script|%%3cscript|javascript:|[$][(]|/bin/sh\" || true",
		 path);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_int_eq(fscanf(p, "%ld", &want_other), 1);
	pclose(p);
	ck_assert_int_eq(c->attacks[WM_ATTACK_SQLI] + c->attacks[WM_ATTACK_TRAVERSAL] +
			     c->attacks[WM_ATTACK_XSS] + c->attacks[WM_ATTACK_CMD],
			 want_other);

	/* brute forces: awk lists the failures (client, time) on the login
	 * paths; here, per client, sorted times with 10 inside 300 s */
	snprintf(
	    cmd, sizeof cmd,
	    "awk -F'\"' '{split($1, h, \" \"); split($2, r, \" \"); q = r[2]; sub(/[?].*/, \"\", "
	    "q); split($3, a, \" \"); if ((a[1] == 401 || a[1] == 429) && (q == "
	    "\"/honeypot/log-interaction\" || q == \"/api/honeypot/angela/honey/angela\")) print "
	    "h[1], substr(h[4], 2)}' '%s' | sort -k1,1 -s",
	    path);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ip[0] = '\0';
	for (;;) {
		char nip[64];
		struct tm tm = {0};
		char mon[4];
		int got = fscanf(p, "%63s %31s", nip, when);

		if (got != 2 || strcmp(nip, ip) != 0) { /* a client's times are complete */
			qsort(times, nt, sizeof times[0], cmp64);
			for (size_t i = 0; i + 9 < nt; i++)
				if (times[i + 9] - times[i] <= 300) {
					want_brutes++;
					break;
				}
			nt = 0;
			if (got != 2)
				break;
			snprintf(ip, sizeof ip, "%s", nip);
		}
		ck_assert_int_eq(sscanf(when, "%d/%3s/%d:%d:%d:%d", &tm.tm_mday, mon, &tm.tm_year,
					&tm.tm_hour, &tm.tm_min, &tm.tm_sec),
				 6);
		tm.tm_year -= 1900;
		tm.tm_mon = (int)((strstr("JanFebMarAprMayJunJulAugSepOctNovDec", mon) -
				   "JanFebMarAprMayJunJulAugSepOctNovDec") /
				  3);
		if (nt < sizeof times / sizeof times[0])
			times[nt++] = (int64_t)timegm(&tm);
	}
	pclose(p);
	ck_assert_int_eq(c->brute_forces, want_brutes);
	if (strstr(path, "real-logs")) /* the whole log: there is one, 192.168.1.69 */
		ck_assert_int_eq(want_brutes, 1);
	stop(&r);
}
END_TEST

/* Probe answers as the world and Warungin give them (research/warungin.md
 * §4-5): refused as expected, got through, cannot be judged. */
START_TEST(test_probe_judge)
{
	struct wm_probe p = {.name = "2fa", .status = "403", .login = true};
	struct wm_http_header h[] = {
	    {"X-Content-Type-Options", "nosniff"},
	    {"Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"},
	    {"referrer-policy", "no-referrer"}};
	const char *ok2fa = "{\"error\":\"2FA Required\",\"message\":\"Two-factor ...\","
			    "\"requires2FA\":true,\"redirectTo\":\"/app/settings/2fa\"}";
	const char *perm = "{\"error\":\"Forbidden: Insufficient permissions\"}";
	char why[256];

	snprintf(p.json[0], sizeof p.json[0], "requires2FA = true");
	ck_assert_int_eq(wm_probe_judge(&p, 403, NULL, 0, ok2fa, strlen(ok2fa), why, sizeof why),
			 0);
	ck_assert_int_eq(wm_probe_judge(&p, 200, NULL, 0, "{}", 2, why, sizeof why), 1);
	ck_assert_str_eq(why, "answered 200, expected 403");
	/* refused, but not by the 2FA guard: the protection is not shown */
	ck_assert_int_eq(wm_probe_judge(&p, 403, NULL, 0, perm, strlen(perm), why, sizeof why), 1);
	ck_assert_str_eq(why, "no requires2FA in the answer");
	ck_assert_int_eq(wm_probe_judge(&p, 403, NULL, 0, "<html>", 6, why, sizeof why), 1);
	ck_assert_int_eq(wm_probe_judge(&p, 429, NULL, 0, "", 0, why, sizeof why), 2);
	ck_assert_int_eq(wm_probe_judge(&p, 502, NULL, 0, "", 0, why, sizeof why), 2);
	ck_assert_int_eq(wm_probe_judge(&p, 401, NULL, 0, "", 0, why, sizeof why), 2);
	/* store guard: code equals */
	memset(&p, 0, sizeof p);
	snprintf(p.status, sizeof p.status, "403");
	snprintf(p.json[0], sizeof p.json[0], "code = STORE_ACCESS_DENIED");
	ck_assert_int_eq(wm_probe_judge(&p, 403, NULL, 0,
					"{\"code\":\"STORE_ACCESS_DENIED\",\"allowedStores\":[]}",
					50, why, sizeof why),
			 0);
	ck_assert_int_eq(
	    wm_probe_judge(&p, 403, NULL, 0, "{\"code\":\"OTHER\"}", 16, why, sizeof why), 1);
	ck_assert_str_eq(why, "code is not STORE_ACCESS_DENIED");
	/* a path into arrays */
	snprintf(p.json[0], sizeof p.json[0], "data.items[1].id = 7");
	ck_assert_int_eq(wm_probe_judge(&p, 403, NULL, 0,
					"{\"data\":{\"items\":[{\"id\":1},{\"id\":7}]}}", 38, why,
					sizeof why),
			 0);
	/* headers: alternatives, contains, case */
	memset(&p, 0, sizeof p);
	snprintf(p.headers, sizeof p.headers, "%s", WM_PROBE_HEADERS);
	ck_assert_int_eq(wm_probe_judge(&p, 200, h, 3, "", 0, why, sizeof why), 0);
	ck_assert_int_eq(wm_probe_judge(&p, 200, h, 2, "", 0, why, sizeof why), 1);
	ck_assert_str_eq(why, "no Referrer-Policy header");
	h[1].value = "default-src 'self'";
	ck_assert_int_eq(wm_probe_judge(&p, 200, h, 3, "", 0, why, sizeof why), 1);
	ck_assert_str_eq(why,
			 "no X-Frame-Options | Content-Security-Policy: frame-ancestors header");
	/* a class of statuses */
	snprintf(p.status, sizeof p.status, "401, 4xx");
	p.headers[0] = '\0';
	ck_assert_int_eq(wm_probe_judge(&p, 418, NULL, 0, "", 0, why, sizeof why), 0);
	ck_assert_int_eq(wm_probe_judge(&p, 302, NULL, 0, "", 0, why, sizeof why), 1);
	/* [probe] expect_body (warunginmon.conf(5)): the refusal's own words */
	snprintf(p.body_pattern, sizeof p.body_pattern, "Token (tidak valid|invalid)");
	ck_assert_int_eq(
	    wm_probe_judge(&p, 401, NULL, 0, "{\"error\":\"Token invalid\"}", 25, why, sizeof why),
	    0);
	ck_assert_int_eq(wm_probe_judge(&p, 401, NULL, 0, "{}", 2, why, sizeof why), 1);
	ck_assert_str_eq(why, "the body (2 bytes) does not match 'Token (tidak valid|invalid)'");
	snprintf(p.body_pattern, sizeof p.body_pattern, "(unclosed");
	ck_assert_int_eq(wm_probe_judge(&p, 401, NULL, 0, "{}", 2, why, sizeof why), 2);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("security");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_backend_lines);
	tcase_add_test(tc, test_brute_force_and_join);
	tcase_add_test(tc, test_self_lines);
	tcase_add_test(tc, test_attacks_and_rate);
	tcase_add_test(tc, test_nothing_read);
	tcase_add_test(tc, test_brute_account);
	tcase_add_test(tc, test_matchers);
	tcase_add_test(tc, test_honeypot);
	tcase_add_test(tc, test_probe_judge);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(suite());
}
