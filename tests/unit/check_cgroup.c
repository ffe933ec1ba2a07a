/* check_cgroup.c - the cgroup counters' command and the parser of its output. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "clients/cgroup.h"
#include "unit.h"

#define FIX WM_TEST_SRCDIR "/tests/fixtures/cgroup/"
#define REDIS "bab97c0776c2455408eb924bb33144f31e3a220db20465bf1e602e904000376f"
#define PG "2d1350a2ae6020ff8bb77d8dbdd440cf97349bf78e8450e81f86f9f901e505fd"
#define OTHER "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(65536);

	ck_assert_msg(f != NULL, "cannot open %s", path);
	*len = fread(buf, 1, 65535, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

START_TEST(test_id_valid)
{
	ck_assert(wm_cgroup_id_valid(REDIS));
	ck_assert(!wm_cgroup_id_valid(NULL));
	ck_assert(!wm_cgroup_id_valid(""));
	ck_assert(!wm_cgroup_id_valid("bab97c0776c2")); /* short id */
	ck_assert(!wm_cgroup_id_valid(REDIS "0"));	/* 65 digits */
	ck_assert(!wm_cgroup_id_valid("BAB97C0776C2455408EB924BB33144F31E3A220DB20465BF1E602E90400"
				      "0376F")); /* upper case */
	ck_assert(!wm_cgroup_id_valid("bab97c0776c2455408eb924bb33144f31e3a220db20465bf1e602e9040;"
				      "rm -r"));
}
END_TEST

START_TEST(test_argv)
{
	const char *ids[] = {REDIS, PG}, *bad[] = {REDIS, "$(reboot)"}, *argv[12];
	const char *paths[] = {"/", "-x; reboot"};
	const char *many[WM_CGROUP_MAX_IDS + 1];
	struct wm_err e = {0};

	ck_assert_int_eq(wm_cgroup_argv(ids, 2, NULL, 0, argv, &e), 0);
	ck_assert_str_eq(argv[0], "sh");
	ck_assert_str_eq(argv[1], "-c");
	ck_assert(strstr(argv[2], "grep -sH") != NULL);
	ck_assert(strstr(argv[2], REDIS) == NULL); /* the script never holds data */
	ck_assert_str_eq(argv[4], REDIS);
	ck_assert_str_eq(argv[5], PG);
	ck_assert_str_eq(argv[6], "--");
	ck_assert_ptr_null(argv[7]);
	/* df's paths after "--", as arguments */
	ck_assert_int_eq(wm_cgroup_argv(ids, 2, paths, 2, argv, &e), 0);
	ck_assert_str_eq(argv[7], "/");
	ck_assert_str_eq(argv[8], "-x; reboot");
	ck_assert_ptr_null(argv[9]);
	ck_assert_int_eq(wm_cgroup_argv(bad, 2, NULL, 0, argv, &e), -1);
	ck_assert_int_eq(e.code, WM_EINVAL);
	for (size_t i = 0; i <= WM_CGROUP_MAX_IDS; i++)
		many[i] = REDIS;
	ck_assert_int_eq(wm_cgroup_argv(many, WM_CGROUP_MAX_IDS + 1, NULL, 0, argv, &e), -1);
}
END_TEST

START_TEST(test_parse_v1)
{
	const char *ids[] = {PG, OTHER, REDIS};
	struct wm_cgroup_sample s[3];
	struct wm_err e = {0};
	double total;
	size_t len;
	char *out = slurp(FIX "v1-world.txt", &len);

	ck_assert_int_eq(wm_cgroup_parse(out, len, ids, 3, s, &total, &e), 2);
	ck_assert_double_eq(total, 24684096.0 * 1024);
	ck_assert_int_eq(s[2].version, 1);
	ck_assert_double_eq(s[2].cpu_ns, 968788041.0);
	ck_assert_double_eq(s[2].mem_usage, 4038656.0);
	ck_assert_double_eq(s[2].inactive_file, 8192.0);
	ck_assert_int_eq(s[2].pids, 5);
	/* the engine's numbers: usage - total_inactive_file, limit capped at MemTotal */
	ck_assert_double_eq(wm_cgroup_mem_used(&s[2]), 4038656.0 - 8192);
	ck_assert_double_eq(wm_cgroup_mem_limit(&s[2], total), 25276514304.0);
	ck_assert_int_eq(s[0].version, 1);
	ck_assert_double_eq(s[0].cpu_ns, 1166411047.0);
	ck_assert_double_eq(wm_cgroup_mem_used(&s[0]), 41267200.0 - 3452928);
	ck_assert_int_eq(s[0].pids, 7);
	/* a container whose files are not there: nothing, never zeros */
	ck_assert_int_eq(s[1].version, 0);
	ck_assert(s[1].cpu_ns < 0 && s[1].mem_usage < 0 && s[1].pids < 0);
	ck_assert(wm_cgroup_mem_used(&s[1]) < 0);
	free(out);
}
END_TEST

START_TEST(test_parse_v2)
{
	const char *ids[] = {REDIS, PG};
	struct wm_cgroup_sample s[2];
	struct wm_err e = {0};
	double total;
	size_t len;
	char *out = slurp(FIX "v2-world.txt", &len);

	ck_assert_int_eq(wm_cgroup_parse(out, len, ids, 2, s, &total, &e), 2);
	ck_assert_int_eq(s[0].version, 2);
	ck_assert_double_eq(s[0].cpu_ns, 999668.0 * 1000); /* usage_usec */
	ck_assert(s[0].mem_limit < 0);			   /* "max" */
	ck_assert_double_eq(wm_cgroup_mem_limit(&s[0], total), 25276514304.0);
	ck_assert_double_eq(wm_cgroup_mem_used(&s[0]), 4038656.0 - 8192);
	ck_assert_int_eq(s[1].version, 2);
	ck_assert_double_eq(s[1].cpu_ns, 1193578.0 * 1000);
	ck_assert_double_eq(wm_cgroup_mem_limit(&s[1], total), 536870912.0);
	ck_assert_int_eq(s[1].pids, 7);
	free(out);
}
END_TEST

START_TEST(test_parse_odd)
{
	const char *ids[] = {REDIS};
	struct wm_cgroup_sample s[1];
	struct wm_err e = {0};
	double total;
	/* v1 memory.stat: total_inactive_file, not the group's own inactive_file */
	static const char v1stat[] =
	    "/proc/meminfo:MemTotal: 1000 kB\n"
	    "/sys/fs/cgroup/memory/docker/" REDIS "/memory.stat:inactive_file 1\n"
	    "/sys/fs/cgroup/memory/docker/" REDIS "/memory.stat:total_inactive_file 300\n"
	    "/sys/fs/cgroup/memory/docker/" REDIS "/memory.usage_in_bytes:1000\n"
	    "/sys/fs/cgroup/memory/docker/" REDIS "/memory.limit_in_bytes:2048\n";
	static const char bad[] = "/proc/meminfo:MemTotal: x kB\n"
				  "/sys/fs/cgroup/cpuacct/docker/" REDIS "/cpuacct.usage:12a\n"
				  "/sys/fs/cgroup/cpuacct/docker/" REDIS "/cpuacct.usage:-5\n"
				  "/sys/fs/cgroup/docker/" REDIS "/cpu.stat:usage_usec\n"
				  "/sys/fs/cgroup/docker/" REDIS "/memory.current:\n"
				  "/sys/fs/cgroup/docker/" REDIS "/pids.current:99999999999\n";

	ck_assert_int_eq(wm_cgroup_parse(v1stat, strlen(v1stat), ids, 1, s, &total, &e), 0);
	ck_assert_double_eq(total, 1024000.0);
	ck_assert_double_eq(wm_cgroup_mem_used(&s[0]), 700.0);
	ck_assert_double_eq(wm_cgroup_mem_limit(&s[0], total), 2048.0);
	ck_assert_int_eq(wm_cgroup_parse(bad, strlen(bad), ids, 1, s, &total, &e), 0);
	ck_assert(total < 0);
	ck_assert(s[0].cpu_ns < 0 && s[0].mem_usage < 0 && s[0].pids < 0);
	/* df's output after the mark is not read as counters */
	{
		static const char withdf[] =
		    "/proc/meminfo:MemTotal: 1000 kB\n" WM_CGROUP_DF_MARK "\n"
		    "/sys/fs/cgroup/cpuacct/docker/" REDIS "/cpuacct.usage:5\n";

		ck_assert_int_eq(wm_cgroup_parse(withdf, strlen(withdf), ids, 1, s, &total, &e), 0);
		ck_assert(s[0].cpu_ns < 0);
	}
	/* not the command's output (sh or grep missing, a message) */
	ck_assert_int_eq(wm_cgroup_parse("sh: 1: grep: not found\n", 23, ids, 1, s, &total, &e),
			 -1);
	ck_assert_int_eq(e.code, WM_EPROTO);
	ck_assert_int_eq(wm_cgroup_parse("", 0, ids, 1, s, &total, &e), -1);
}
END_TEST

START_TEST(test_cpu_percent)
{
	/* 1.5 s of CPU in 60 s: 2.5 % of one core; two busy cores: 200 % */
	ck_assert_double_eq_tol(wm_cgroup_cpu_percent(1e9, 2.5e9, 60000), 2.5, 1e-9);
	ck_assert_double_eq_tol(wm_cgroup_cpu_percent(0, 120e9, 60000), 200.0, 1e-9);
	ck_assert_double_eq(wm_cgroup_cpu_percent(5e9, 5e9, 1000), 0.0);
	ck_assert(wm_cgroup_cpu_percent(5e9, 4e9, 1000) < 0); /* went back: a new container */
	ck_assert(wm_cgroup_cpu_percent(1, 2, 0) < 0);	      /* no window */
	ck_assert(wm_cgroup_cpu_percent(-1, 2, 10) < 0);
}
END_TEST

/* The command itself on this machine, for a container that does not exist
 * and df of "/": sh and grep run, MemTotal is said, the container has no
 * counters, df's output follows the mark (and is not read as counters). */
START_TEST(test_script_runs)
{
	const char *ids[] = {OTHER}, *paths[] = {"/"}, *argv[10];
	const char *df;
	struct wm_cgroup_sample s[1];
	struct wm_err e = {0};
	char buf[4096];
	double total;
	size_t len;
	FILE *p;
	int fd[2], status;
	pid_t pid;

	ck_assert_int_eq(wm_cgroup_argv(ids, 1, paths, 1, argv, &e), 0);
	ck_assert_int_eq(pipe(fd), 0);
	if ((pid = fork()) == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(fd[1]);
	p = fdopen(fd[0], "r");
	len = fread(buf, 1, sizeof(buf) - 1, p);
	buf[len] = '\0';
	fclose(p);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(wm_cgroup_parse(buf, len, ids, 1, s, &total, &e), 0);
	ck_assert_msg(total > 0, "no MemTotal in: %s", buf);
	ck_assert_int_eq(s[0].version, 0);
	ck_assert_int_eq(WEXITSTATUS(status), 0); /* df's */
	df = wm_cgroup_df_part(buf, len);
	ck_assert_msg(df && strncmp(df, "Filesystem", 10) == 0, "no df output in: %s", buf);
	ck_assert_ptr_null(wm_cgroup_df_part("/proc/meminfo:MemTotal: 1 kB\n", 29));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cgroup");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_id_valid);
	tcase_add_test(tc, test_argv);
	tcase_add_test(tc, test_parse_v1);
	tcase_add_test(tc, test_parse_v2);
	tcase_add_test(tc, test_parse_odd);
	tcase_add_test(tc, test_cpu_percent);
	tcase_add_test(tc, test_script_runs);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
