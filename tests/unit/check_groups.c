/* check_groups.c - signatures, "47 x Password salah", bounded top-k. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logs/groups.h"
#include "unit.h"

static const char *
sig(const char *m)
{
	static char out[WM_GROUP_SIG_MAX];

	wm_groups_signature(m, strlen(m), out, sizeof out);
	return out;
}

START_TEST(test_signatures)
{
	ck_assert_str_eq(sig("Auth route error [LOGIN]: Password salah"),
			 "Auth route error [LOGIN]: Password salah");
	ck_assert_str_eq(sig("user 6f1c2a9e-1b2c-4d5e-8f90-0123456789ab not found"),
			 "user <uuid> not found");
	ck_assert_str_eq(sig("Login attempt: admin@warungin.com"), "Login attempt: <email>");
	ck_assert_str_eq(sig("client 203.0.113.7:51234 and ::1 and fe80::1"),
			 "client <ip> and <ip> and <ip>");
	ck_assert_str_eq(sig("object 0x7ffd1234 hash deadbeef42 word deadbeef"),
			 "object <hex> hash <hex> word deadbeef");
	ck_assert_str_eq(sig("SLOW REQUEST: GET /api/orders - 1532ms (200)"),
			 "SLOW REQUEST: GET /api/orders - <dur> (<n>)");
	ck_assert_str_eq(sig("relation \"orderz\" does not exist at character 15"),
			 "relation \"*\" does not exist at character <n>");
	ck_assert_str_eq(sig("can't open 'x.conf'"), "can't open '*'");
	ck_assert_str_eq(sig("GET /api/orders/42/items/7 took 0.5s"),
			 "GET /api/orders/<n>/items/<n> took <dur>");
	ck_assert_str_eq(sig("at 06:48:52.683 and 2025-12-31T10:00:00Z"), "at <time> and <time>");
	/* the first line only: stack frames differ between occurrences */
	ck_assert_str_eq(sig("Error [orders]:\n    at f (/app/a.js:1:2)"), "Error [orders]:");
	ck_assert_str_eq(sig(""), "");
}
END_TEST

static void
add_json(struct wm_groups *g, const char *svc, const char *line)
{
	struct wm_logline ll;

	wm_logline_parse(&ll, line, strlen(line), 0);
	ll.service = svc;
	ll.service_len = strlen(svc);
	wm_groups_add(g, &ll);
}

START_TEST(test_password_salah)
{
	struct wm_groups *g = wm_groups_new(16);
	const struct wm_group **v;
	size_t n;
	char line[512];

	for (int i = 0; i < 47; i++) {
		snprintf(
		    line, sizeof line,
		    "{\"level\":\"error\",\"message\":\"Auth route error [LOGIN]: Password salah\","
		    "\"userId\":\"%08x-0000-4000-8000-%012d\",\"timestamp\":\"2025-12-31 "
		    "10:%02d:11\"}",
		    i * 7919, i, 10 + i);
		add_json(g, "backend", line);
	}
	add_json(g, "backend", "{\"level\":\"error\",\"message\":\"Prisma Error\"}");
	add_json(g, "worker",
		 "{\"level\":\"error\",\"message\":\"Auth route error [LOGIN]: Password salah\"}");
	v = wm_groups_sorted(g, &n);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(v[0]->count, 47);
	ck_assert_uint_eq(v[0]->error, 0);
	ck_assert_str_eq(v[0]->service, "backend");
	ck_assert_str_eq(v[0]->signature, "Auth route error [LOGIN]: Password salah");
	ck_assert_int_eq(v[0]->level, WM_LVL_ERROR);
	ck_assert_int_eq(v[0]->first_ms, 1767175811000LL); /* 10:10:11 */
	ck_assert_int_eq(v[0]->last_ms, 1767178571000LL);  /* 10:56:11 */
	ck_assert_ptr_nonnull(strstr(v[0]->example, "00000000-0000-4000-8000-000000000000"));
	ck_assert_uint_eq(v[1]->count, 1);
	ck_assert_uint_eq(wm_groups_total(g), 49);
	free(v);
	wm_groups_free(g);
}
END_TEST

START_TEST(test_bounded)
{
	/* k = 8; one heavy hitter among 1000 distinct messages.  Space-saving
	 * guarantees: anything above total/k is kept, and true count lies in
	 * [count - error, count]. */
	struct wm_groups *g = wm_groups_new(8);
	const struct wm_group **v;
	size_t n, heavy = 0;
	char line[128];

	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof line,
			 "{\"level\":\"error\",\"message\":\"unique %c%c%c message\"}",
			 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676);
		add_json(g, "svc", line);
		if (i % 3 == 0) {
			add_json(g, "svc", "{\"level\":\"error\",\"message\":\"the heavy one\"}");
			heavy++;
		}
	}
	v = wm_groups_sorted(g, &n);
	ck_assert_uint_eq(n, 8);
	ck_assert_str_eq(v[0]->signature, "the heavy one");
	ck_assert_uint_ge(v[0]->count, heavy);
	ck_assert_uint_le(v[0]->count - v[0]->error, heavy);
	for (size_t i = 1; i < n; i++)
		ck_assert_uint_le(v[i]->count, v[i - 1]->count);
	ck_assert_uint_eq(wm_groups_total(g), 1000 + heavy);
	ck_assert_uint_gt(wm_groups_evicted(g), 900);
	free(v);
	wm_groups_free(g);
}
END_TEST

START_TEST(test_nginx_and_utf8)
{
	struct wm_groups *g = wm_groups_new(4);
	const struct wm_group **v;
	size_t n;
	static const char bad[] = "{\"level\":\"error\",\"message\":\"bad \xff\xfe bytes\"}";

	add_json(g, "nginx",
		 "1.2.3.4 - - [01/Jun/2024:10:00:01 +0000] \"GET /api/orders/41 HTTP/1.1\" "
		 "502 1 \"-\" \"-\"");
	add_json(g, "nginx",
		 "5.6.7.8 - - [01/Jun/2024:10:00:02 +0000] \"GET /api/orders/42 HTTP/1.1\" "
		 "502 1 \"-\" \"-\"");
	add_json(g, "nginx", bad);
	v = wm_groups_sorted(g, &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[0]->signature, "502 GET /api/orders/<n>");
	ck_assert_uint_eq(v[0]->count, 2);
	ck_assert_ptr_nonnull(strstr(v[1]->example, "\xef\xbf\xbd"));
	free(v);
	wm_groups_free(g);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("groups");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_signatures);
	tcase_add_test(tc, test_password_salah);
	tcase_add_test(tc, test_bounded);
	tcase_add_test(tc, test_nginx_and_utf8);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
