/* check_state.c - the state directory: round trip, atomicity, first run, corrupt files. */
#include "config.h"

#include <dirent.h>
#include <sched.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/file.h"
#include "store/statedir.h"
#include "unit.h"

static char tmp[256];

/* Every test gets its own empty state directory through $WM_STATE_DIR. */
static void
setup(void)
{
	snprintf(tmp, sizeof(tmp), "%s/wm-state-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmp));
	setenv("WM_STATE_DIR", tmp, 1);
}

static void
teardown(void)
{
	wm_unit_rm_tree(tmp);
	unsetenv("WM_STATE_DIR");
}

/* Names in dir, sorted by readdir order, joined with spaces. */
static void
list_dir(const char *dir, char *out, size_t len)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t off = 0;

	out[0] = '\0';
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		off += (size_t)snprintf(out + off, len - off, "%s%s", off ? " " : "", de->d_name);
	}
	closedir(d);
}

START_TEST(test_state_dir_choice)
{
	char buf[PATH_MAX], want[PATH_MAX];
	struct stat st;

	ck_assert_int_eq(wm_state_dir(buf, sizeof(buf), NULL), 0);
	ck_assert_str_eq(buf, tmp);
	unsetenv("WM_STATE_DIR");
	snprintf(want, sizeof(want), "%s/xdg", tmp);
	setenv("XDG_STATE_HOME", want, 1);
	ck_assert_int_eq(wm_state_dir(buf, sizeof(buf), NULL), 0);
	snprintf(want, sizeof(want), "%s/xdg/warunginmon", tmp);
	ck_assert_str_eq(buf, want);
	ck_assert_int_eq(stat(want, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	unsetenv("XDG_STATE_HOME");
	if (geteuid() != 0) {
		snprintf(want, sizeof(want), "%s/home", tmp);
		setenv("HOME", want, 1);
		ck_assert_int_eq(wm_state_dir(buf, sizeof(buf), NULL), 0);
		snprintf(want, sizeof(want), "%s/home/.local/state/warunginmon", tmp);
		ck_assert_str_eq(buf, want);
	} else {
		/* root gets /var/lib/warunginmon, whatever HOME says.  The test must
		 * not create system directories: a child asks in a mount namespace of
		 * its own with a tmpfs on /var/lib, and reports by its exit status. */
		pid_t pid;
		int status = -1;

		snprintf(want, sizeof(want), "%s/home", tmp);
		setenv("HOME", want, 1);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			if (unshare(CLONE_NEWNS) < 0 ||
			    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
			    mount("wm-test", "/var/lib", "tmpfs", 0, "size=1m") < 0)
				_exit(10);
			if (wm_state_dir(buf, sizeof(buf), NULL) < 0)
				_exit(11);
			if (strcmp(buf, "/var/lib/warunginmon") != 0)
				_exit(12);
			if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode) ||
			    (st.st_mode & 0777) != 0700)
				_exit(13);
			_exit(0);
		}
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		/* 10: no mount namespace; 11: failed; 12: another path; 13: not a 0700 dir */
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "as root: child status %d (see the test)", status);
	}
	setenv("WM_STATE_DIR", tmp, 1);
}
END_TEST

START_TEST(test_round_trip)
{
	cJSON *doc = cJSON_CreateObject(), *back;
	char path[PATH_MAX], names[256];
	struct stat st;
	struct wm_err e = {0};

	cJSON_AddNumberToObject(doc, "time_ms", 1795824821123.0);
	cJSON_AddNumberToObject(doc, "keyspace_hits", 12345);
	ck_assert_int_eq(wm_state_save("prod", "redis", doc, &e), 0);
	back = wm_state_load("prod", "redis", &e);
	ck_assert_ptr_nonnull(back);
	ck_assert_double_eq(cJSON_GetObjectItem(back, "keyspace_hits")->valuedouble, 12345);
	ck_assert_double_eq(cJSON_GetObjectItem(back, "time_ms")->valuedouble, 1795824821123.0);
	cJSON_Delete(back);
	/* Overwrite: the new sample replaces the old, and no temp file is left. */
	cJSON_ReplaceItemInObject(doc, "keyspace_hits", cJSON_CreateNumber(99));
	ck_assert_int_eq(wm_state_save("prod", "redis", doc, &e), 0);
	back = wm_state_load("prod", "redis", &e);
	ck_assert_double_eq(cJSON_GetObjectItem(back, "keyspace_hits")->valuedouble, 99);
	cJSON_Delete(back);
	snprintf(path, sizeof(path), "%s/prod", tmp);
	list_dir(path, names, sizeof(names));
	ck_assert_str_eq(names, "redis.json");
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof(path), "%s/prod/redis.json", tmp);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	cJSON_Delete(doc);
}
END_TEST

/* An explicit directory ([general] state_dir through the session) is used
 * instead of WM_STATE_DIR's, and created on the first save. */
START_TEST(test_explicit_dir)
{
	cJSON *doc = cJSON_CreateObject(), *back;
	char dir[PATH_MAX], path[PATH_MAX];
	struct stat st;
	struct wm_err e = {0};

	snprintf(dir, sizeof(dir), "%s/from-key/sub", tmp);
	cJSON_AddNumberToObject(doc, "n", 7);
	ck_assert_ptr_null(wm_state_load_in(dir, "prod", "redis", &e));
	ck_assert_int_eq(e.code, WM_ENOTFOUND);
	ck_assert_int_eq(wm_state_save_in(dir, "prod", "redis", doc, &e), 0);
	ck_assert_int_eq(wm_state_path_in(dir, "prod", "redis", path, sizeof(path), &e), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	back = wm_state_load_in(dir, "prod", "redis", &e);
	ck_assert_ptr_nonnull(back);
	ck_assert_double_eq(cJSON_GetObjectItem(back, "n")->valuedouble, 7);
	cJSON_Delete(back);
	ck_assert_ptr_null(wm_state_load("prod", "redis", &e)); /* not in WM_STATE_DIR */
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_first_run)
{
	struct wm_err e = {0};

	ck_assert_ptr_null(wm_state_load("prod", "redis", &e));
	ck_assert_int_eq(e.code, WM_ENOTFOUND);
	ck_assert_ptr_null(wm_state_load(NULL, "services", NULL)); /* NULL err is fine */
}
END_TEST

START_TEST(test_corrupt)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct wm_err e = {0};

	snprintf(dir, sizeof(dir), "%s/prod", tmp);
	ck_assert_int_eq(wm_file_mkdirs(dir, 0700, NULL), 0);
	snprintf(path, sizeof(path), "%s/redis.json", dir);
	ck_assert_int_eq(wm_file_write_atomic(path, "{\"hits\": 12", 11, 0600, NULL), 0);
	ck_assert_ptr_null(wm_state_load("prod", "redis", &e));
	ck_assert_int_eq(e.code, WM_EPROTO);
	ck_assert_ptr_nonnull(strstr(e.msg, "corrupt"));
	/* Empty file: also corrupt, not a crash. */
	ck_assert_int_eq(wm_file_write_atomic(path, "", 0, 0600, NULL), 0);
	ck_assert_ptr_null(wm_state_load("prod", "redis", &e));
	ck_assert_int_eq(e.code, WM_EPROTO);
	/* A directory where the file should be: an error, not a crash. */
	unlink(path);
	ck_assert_int_eq(mkdir(path, 0700), 0);
	ck_assert_ptr_null(wm_state_load("prod", "redis", &e));
	ck_assert_int_ne(e.code, WM_EOK);
	rmdir(path);
}
END_TEST

START_TEST(test_sanitise)
{
	char buf[64], names[512];
	cJSON *doc = cJSON_CreateTrue();

	ck_assert_int_eq(wm_state_sanitise("prod", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "prod");
	ck_assert_int_eq(wm_state_sanitise("../../etc/passwd", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "_._.._etc_passwd");
	ck_assert_int_eq(wm_state_sanitise("..", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "_.");
	ck_assert_int_eq(wm_state_sanitise(".hidden", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "_hidden");
	ck_assert_int_eq(wm_state_sanitise("a b/c\\d", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "a_b_c_d");
	ck_assert_int_eq(wm_state_sanitise("", buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "_");
	ck_assert_int_eq(wm_state_sanitise("toolong", buf, 4), -1);
	/* A hostile target name stays inside the state directory. */
	ck_assert_int_eq(wm_state_save("../..", "../x", doc, NULL), 0);
	list_dir(tmp, names, sizeof(names));
	ck_assert_str_eq(names, "_._..");
	snprintf(names, sizeof(names), "%s/_._..", tmp);
	list_dir(names, buf, sizeof(buf));
	ck_assert_str_eq(buf, "_._x.json");
	cJSON_Delete(doc);
}
END_TEST

START_TEST(test_counter_delta)
{
	double d = -1;

	ck_assert_int_eq(wm_counter_delta(100, 150, &d), 0);
	ck_assert_double_eq(d, 50);
	ck_assert_int_eq(wm_counter_delta(100, 100, &d), 0);
	ck_assert_double_eq(d, 0);
	ck_assert_int_eq(wm_counter_delta(1000, 30, &d), 1); /* restart: count since reset */
	ck_assert_double_eq(d, 30);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_state_dir_choice);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_explicit_dir);
	tcase_add_test(tc, test_first_run);
	tcase_add_test(tc, test_corrupt);
	tcase_add_test(tc, test_sanitise);
	tcase_add_test(tc, test_counter_delta);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
