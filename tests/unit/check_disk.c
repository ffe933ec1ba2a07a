/* check_disk.c - df -P parsing and statvfs. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "checks/disk.h"
#include "unit.h"

START_TEST(test_df_parse)
{
	/* GNU coreutils df -P, with a mount point that holds a blank. */
	static const char out[] =
	    "Filesystem     1024-blocks     Used Available Capacity Mounted on\n"
	    "/dev/vda1         20509264 17398948   2044112      90% /\n"
	    "wm-world-disk        16384    15564       820      95% /var/tmp/my disk\n";
	struct wm_disk d[4];
	struct wm_err e = {0};

	ck_assert_int_eq(wm_disk_parse_df(out, d, 4, &e), 2);
	ck_assert_str_eq(d[0].fs, "/dev/vda1");
	ck_assert_str_eq(d[0].path, "/");
	ck_assert_double_eq(d[0].size, 20509264.0 * 1024);
	ck_assert_double_eq_tol(d[0].used_pct, 17398948.0 / (17398948.0 + 2044112.0) * 100, 1e-9);
	ck_assert_str_eq(d[1].path, "/var/tmp/my disk");
	ck_assert_double_eq_tol(d[1].used_pct, 94.99, 0.01);
	ck_assert_int_eq(wm_disk_parse_df(out, d, 1, &e), -1);
	ck_assert_int_eq(e.code, WM_ETOOBIG);
}
END_TEST

START_TEST(test_df_bad)
{
	static const char *const bad[] = {
	    "",
	    "df: /nope: No such file or directory\n",
	    "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 10 5 5 50 /\n",
	    "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 10 -5 5 50% /\n",
	    "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x 10 5 5 50%\n",
	    "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/x ten 5 5 50% /\n",
	};
	struct wm_disk d[4];
	struct wm_err e = {0};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(wm_disk_parse_df(bad[i], d, 4, &e) == -1, "accepted %s", bad[i]);
	ck_assert_int_eq(wm_disk_parse_df("Filesystem x\n", d, 4, &e), 0); /* header only */
}
END_TEST

START_TEST(test_stat)
{
	struct wm_disk d;
	struct wm_err e = {0};

	ck_assert_int_eq(wm_disk_stat("/", &d, &e), 0);
	ck_assert(d.size > 0 && d.used_pct >= 0 && d.used_pct <= 100);
	ck_assert_int_eq(wm_disk_stat("/nonexistent/dir", &d, &e), -1);
	ck_assert_int_eq(e.code, WM_ENOTFOUND);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("disk");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_df_parse);
	tcase_add_test(tc, test_df_bad);
	tcase_add_test(tc, test_stat);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
