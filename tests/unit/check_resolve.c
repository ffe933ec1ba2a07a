/* check_resolve.c - host names resolved by a deadline (lib/transport/resolve). */
#include "config.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "base/duration.h"
#include "transport/resolve.h"
#include "unit.h"

/* A resolver that knows one name, db.example = 192.0.2.7, and answers
 * after slow_ms. */
static int slow_ms;
static int calls;

static int
fake_alloc(const char *node, const char *service, const struct addrinfo *hints,
	   struct addrinfo **res)
{
	struct addrinfo h = {.ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM};
	struct timespec ts = {slow_ms / 1000, (long)(slow_ms % 1000) * 1000000L};

	(void)service, (void)hints;
	calls++;
	nanosleep(&ts, NULL);
	if (strcmp(node, "db.example"))
		return EAI_NONAME;
	return getaddrinfo("192.0.2.7", NULL, &h, res);
}

START_TEST(test_numeric_and_paths_need_no_lookup)
{
	const char *same[] = {"127.0.0.1", "::1", "/run/postgresql", "@abstract", ""};
	char addr[WM_RESOLVE_ADDR_MAX];
	struct wm_err e = {0};

	calls = 0;
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		ck_assert_int_eq(wm_resolve(same[i], 0, fake_alloc, addr, sizeof(addr), &e), 1);
		ck_assert_str_eq(addr, same[i]);
	}
	ck_assert_int_eq(calls, 0);
}
END_TEST

START_TEST(test_name_resolved)
{
	char addr[WM_RESOLVE_ADDR_MAX];
	struct wm_err e = {0};

	slow_ms = 0;
	ck_assert_int_eq(
	    wm_resolve("db.example", wm_monotonic_ms() + 5000, fake_alloc, addr, sizeof(addr), &e),
	    0);
	ck_assert_str_eq(addr, "192.0.2.7");
	ck_assert_int_eq(e.code, 0);
}
END_TEST

START_TEST(test_unknown_name_is_not_found)
{
	char addr[WM_RESOLVE_ADDR_MAX];
	struct wm_err e = {0};

	slow_ms = 0;
	ck_assert_int_eq(wm_resolve("nowhere.example", wm_monotonic_ms() + 5000, fake_alloc, addr,
				    sizeof(addr), &e),
			 -1);
	ck_assert_int_eq(e.code, WM_ENOHOST);
	ck_assert_ptr_nonnull(strstr(e.msg, "resolving nowhere.example: "));
}
END_TEST

/* A resolver that takes 3 s against a 300 ms deadline: the answer is
 * WM_ENOHOST ("no answer in time"), given well before the resolver is done (the bound is
 * generous: this asserts that the wait ends, not how fast). */
START_TEST(test_slow_resolver_bounded_by_deadline)
{
	char addr[WM_RESOLVE_ADDR_MAX];
	struct wm_err e = {0};
	int64_t t0 = wm_monotonic_ms();

	slow_ms = 3000;
	ck_assert_int_eq(wm_resolve("db.example", t0 + 300, fake_alloc, addr, sizeof(addr), &e),
			 -1);
	ck_assert_int_eq(e.code, WM_ENOHOST);
	ck_assert_str_eq(e.msg, "resolving db.example: no answer in time");
	ck_assert_int_lt(wm_monotonic_ms() - t0, 2500);
}
END_TEST

static Suite *
resolve_suite(void)
{
	Suite *s = suite_create("resolve");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_numeric_and_paths_need_no_lookup);
	tcase_add_test(tc, test_name_resolved);
	tcase_add_test(tc, test_unknown_name_is_not_found);
	tcase_add_test(tc, test_slow_resolver_bounded_by_deadline);
	tcase_set_timeout(tc, 30);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return wm_unit_run(resolve_suite());
}
