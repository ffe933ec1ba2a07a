/* check_cli.c - the common options: parsing, validation, threshold
 * overrides, host specs, and the getopt table programs paste. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "model/threshold.h"
#include "unit.h"

START_TEST(test_defaults)
{
	struct wm_cli cli;

	memset(&cli, 0xff, sizeof(cli));
	wm_cli_defaults(&cli);
	ck_assert_int_eq(cli.format, WM_FORMAT_TEXT);
	ck_assert(cli.timeout == 10.0);
	ck_assert_ptr_null(cli.target);
	ck_assert_ptr_null(cli.host);
	ck_assert_ptr_null(cli.config);
	ck_assert_ptr_null(cli.output);
	ck_assert_int_eq(cli.verbose, 0);
	ck_assert(!cli.color);
	ck_assert_uint_eq(cli.nwarn + cli.ncrit, 0);
}
END_TEST

/* Run getopt_long over argv with the table a program would build. */
static int
parse(struct wm_cli *cli, int argc, char **argv, struct wm_err *err)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"since", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	int c, rc, own = 0;

	wm_cli_defaults(cli);
	optind = 0; /* glibc: full reset between tests */
	opterr = 0;
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS "s:", longopts, NULL)) != -1) {
		rc = wm_cli_option(cli, c, optarg, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			own++;
	}
	return own;
}

START_TEST(test_getopt_table)
{
	char *argv[] = {"wm-x",	       "--format=nagios",
			"-t",	       "prod",
			"-H",	       "ops@db1:2222",
			"--config",    "/etc/x",
			"-w",	       "hit_rate=85:",
			"--critical",  "70:",
			"--timeout",   "2.5",
			"-vv",	       "--output",
			"/tmp/x.prom", "--since",
			"1h",	       "--verbose",
			NULL};
	struct wm_cli cli;
	struct wm_err err = {0};

	ck_assert_int_eq(parse(&cli, 20, argv, &err), 1); /* --since is the program's */
	ck_assert_int_eq(cli.format, WM_FORMAT_NAGIOS);
	ck_assert_str_eq(cli.target, "prod");
	ck_assert_str_eq(cli.host, "ops@db1:2222");
	ck_assert_str_eq(cli.config, "/etc/x");
	ck_assert_str_eq(cli.output, "/tmp/x.prom");
	ck_assert(cli.timeout == 2.5);
	ck_assert_int_eq(cli.verbose, 3);
	ck_assert_uint_eq(cli.nwarn, 1);
	ck_assert_str_eq(cli.warn[0], "hit_rate=85:");
	ck_assert_str_eq(cli.crit[0], "70:");
}
END_TEST

START_TEST(test_json_and_help)
{
	char *argv[] = {"wm-x", "-j", "-h", "-V", NULL};
	struct wm_cli cli;
	struct wm_err err = {0};

	/* -h and -V are left to the program (they print) */
	ck_assert_int_eq(parse(&cli, 4, argv, &err), 2);
	ck_assert_int_eq(cli.format, WM_FORMAT_JSON);
	ck_assert_int_eq(wm_cli_option(&cli, '?', NULL, &err), 0);
	ck_assert_int_eq(wm_cli_option(&cli, WM_OPT_PROG, "x", &err), 0);
	ck_assert_int_eq(wm_cli_option(&cli, WM_OPT_FORMAT, "openmetrics", &err), 1);
	ck_assert_int_eq(cli.format, WM_FORMAT_OPENMETRICS);
}
END_TEST

static const struct {
	int opt;
	const char *arg;
	const char *msg;
} invalid[] = {
    {WM_OPT_FORMAT, "xml",
     "invalid format 'xml' (expected text, json, ndjson, nagios, "
     "prometheus or openmetrics)"},
    {WM_OPT_TIMEOUT, "0",
     "invalid timeout '0' (expected a duration > 0, e.g. 10, 2.5, "
     "500ms, 1m)"},
    {WM_OPT_TIMEOUT, "-1", NULL},
    {WM_OPT_TIMEOUT, "10x", NULL},
    {WM_OPT_TIMEOUT, "", NULL},
    {WM_OPT_TIMEOUT, "nan", NULL},
    {WM_OPT_TIMEOUT, "inf", NULL},
    {WM_OPT_TIMEOUT, "0.0", NULL},
    {WM_OPT_TIMEOUT, "1.2.3", NULL},
    {WM_OPT_TIMEOUT, ".", NULL},
    {'w', "abc", "invalid threshold range 'abc' (expected N, N:, ~:N, N:M or @N:M)"},
    {'w', "=10", "invalid threshold '=10': empty metric name"},
    {'c', "p99=20:10", "invalid threshold range '20:10': start is greater than end"},
    {'c', "p99=", "empty threshold range"},
    {'H', "", NULL},
    {'H', "user@", NULL},
    {'H', "@host", NULL},
    {'H', "host:0", NULL},
    {'H', "host:65536", NULL},
    {'H', "host:22x", NULL},
    {'H', "host:", NULL},
    {'H', "-oProxyCommand=x", NULL},
    {'H', "[::1", NULL},
    {'H', "a b", "invalid host in 'a b' (expected [user@]host[:port])"},
    {'t', "", "empty target name"},
    {WM_OPT_CONFIG, "", NULL},
    {WM_OPT_OUTPUT, "", NULL},
};

START_TEST(test_invalid)
{
	struct wm_cli cli;
	struct wm_err err = {0};

	wm_cli_defaults(&cli);
	ck_assert_msg(wm_cli_option(&cli, invalid[_i].opt, invalid[_i].arg, &err) == -1,
		      "accepted '%s'", invalid[_i].arg);
	ck_assert_int_eq(err.code, WM_EINVAL);
	if (invalid[_i].msg)
		ck_assert_str_eq(err.msg, invalid[_i].msg);
	else
		ck_assert_str_ne(err.msg, "");
	/* nothing was stored */
	ck_assert_int_eq(cli.format, WM_FORMAT_TEXT);
	ck_assert(cli.timeout == 10.0);
	ck_assert_uint_eq(cli.nwarn + cli.ncrit, 0);
	ck_assert_ptr_null(cli.host);
}
END_TEST

START_TEST(test_timeouts)
{
	struct wm_cli cli;

	wm_cli_defaults(&cli);
	ck_assert_int_eq(wm_cli_option(&cli, WM_OPT_TIMEOUT, "500ms", NULL), 1);
	ck_assert(cli.timeout == 0.5);
	ck_assert_int_eq(wm_cli_option(&cli, WM_OPT_TIMEOUT, "2m", NULL), 1);
	ck_assert(cli.timeout == 120);
	ck_assert_int_eq(wm_cli_option(&cli, WM_OPT_TIMEOUT, "3s", NULL), 1);
	ck_assert(cli.timeout == 3);
	ck_assert_int_eq(wm_cli_option(&cli, WM_OPT_TIMEOUT, "2.5", NULL), 1);
	ck_assert(cli.timeout == 2.5);
	/* -H forms accepted (validated by wm_target_from_hostspec) */
	ck_assert_int_eq(wm_cli_option(&cli, 'H', "ops@10.0.0.1:2222", NULL), 1);
	ck_assert_int_eq(wm_cli_option(&cli, 'H', "root@[::1]:22", NULL), 1);
	ck_assert_int_eq(wm_cli_option(&cli, 'H', "db1", NULL), 1);
	ck_assert_str_eq(cli.host, "db1");
}
END_TEST

START_TEST(test_too_many_thresholds)
{
	struct wm_cli cli;
	struct wm_err err = {0};

	wm_cli_defaults(&cli);
	for (int i = 0; i < WM_CLI_MAX_THRESHOLDS; i++)
		ck_assert_int_eq(wm_cli_option(&cli, 'w', "10", &err), 1);
	ck_assert_int_eq(wm_cli_option(&cli, 'w', "10", &err), -1);
	ck_assert_str_eq(err.msg, "too many thresholds (at most 32)");
	ck_assert_uint_eq(cli.nwarn, WM_CLI_MAX_THRESHOLDS);
}
END_TEST

START_TEST(test_threshold_lookup)
{
	struct wm_cli cli;

	wm_cli_defaults(&cli);
	ck_assert_ptr_null(wm_cli_threshold(&cli, "p99", false));
	ck_assert_ptr_null(wm_cli_threshold(&cli, NULL, true));
	wm_cli_option(&cli, 'w', "p99=~:2", NULL);
	wm_cli_option(&cli, 'w', "5", NULL);
	wm_cli_option(&cli, 'w', "p99=~:3", NULL);
	wm_cli_option(&cli, 'w', "p9=~:9", NULL);
	wm_cli_option(&cli, 'c', "@1:2", NULL);
	ck_assert_str_eq(wm_cli_threshold(&cli, "p99", false), "~:3"); /* last wins */
	ck_assert_str_eq(wm_cli_threshold(&cli, "p9", false), "~:9");  /* no prefix match */
	ck_assert_str_eq(wm_cli_threshold(&cli, NULL, false), "5");
	ck_assert_ptr_null(wm_cli_threshold(&cli, "p95", false));
	ck_assert_ptr_null(wm_cli_threshold(&cli, "p99", true));
	ck_assert_str_eq(wm_cli_threshold(&cli, NULL, true), "@1:2");
}
END_TEST

START_TEST(test_apply_thresholds)
{
	struct wm_cli cli;
	struct wm_result *r = wm_result_new("wm-x", "1", NULL);
	struct wm_check *c = wm_result_add_check(r, "redis.hit_rate");
	struct wm_metric *hit = wm_check_add_metric(c, "hit_rate", 80, "%");
	struct wm_metric *mem = wm_check_add_metric(c, "used", 10, "MB");

	wm_metric_set_thresholds(hit, "85:", "70:");
	wm_cli_defaults(&cli);
	ck_assert_int_eq(wm_cli_apply_thresholds(&cli, r, "hit_rate"), 0);
	ck_assert_int_eq(c->state, WM_WARNING); /* the defaults were evaluated */
	wm_cli_option(&cli, 'c', "90:", NULL);	/* bare: the primary metric */
	wm_cli_option(&cli, 'w', "used=~:5", NULL);
	ck_assert_int_eq(wm_cli_apply_thresholds(&cli, r, "hit_rate"), 0);
	ck_assert_str_eq(hit->warn, "85:");
	ck_assert_str_eq(hit->crit, "90:");
	ck_assert_str_eq(mem->warn, "~:5");
	ck_assert_ptr_null(mem->crit);
	ck_assert_int_eq(c->state, WM_CRITICAL);
	wm_result_free(r);
}
END_TEST

/* A configuration file with text, loaded; the file is removed again. */
static struct wm_config *
load(const char *text)
{
	char path[] = "/tmp/check_cli.XXXXXX";
	int fd = mkstemp(path);
	struct wm_err err = {0};
	struct wm_config *cfg;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	cfg = wm_config_load(path, &err);
	unlink(path);
	ck_assert_msg(cfg != NULL, "%s", err.msg);
	return cfg;
}

/* Precedence: command line > target section > [thresholds] > collector. */
START_TEST(test_thresholds_precedence)
{
	struct wm_config *cfg = load("[thresholds]\nhit_rate.warning = 90:\n"
				     "hit_rate.critical = 60:\np95.warning = ~:100\n"
				     "[target prod]\nhit_rate.critical = 80:\n");
	const struct wm_target *t = wm_config_target(cfg, "prod", NULL);
	struct wm_result *r = wm_result_new("wm-x", "1", "prod");
	struct wm_check *c = wm_result_add_check(r, "cache");
	struct wm_metric *hit = wm_check_add_metric(c, "hit_rate", 82, "%");
	struct wm_metric *p95 = wm_check_add_metric(c, "p95", 50, "ms");
	struct wm_metric *other = wm_check_add_metric(c, "other", 1, "");
	struct wm_cli cli;
	struct wm_err err = {0};

	ck_assert_ptr_nonnull(t);
	wm_metric_set_thresholds(hit, "85:", "70:");
	wm_metric_set_thresholds(p95, "~:500", "~:1000");
	wm_metric_set_thresholds(other, "0:", NULL);
	wm_cli_defaults(&cli);
	wm_cli_option(&cli, 'w', "p95=~:10", NULL);
	ck_assert_int_eq(wm_thresholds_apply(r, cfg, t, &cli, NULL, "hit_rate", &err), 0);
	ck_assert_str_eq(hit->warn, "90:");  /* [thresholds] over the default */
	ck_assert_str_eq(hit->crit, "80:");  /* target section over [thresholds] */
	ck_assert_str_eq(p95->warn, "~:10"); /* command line over everything */
	ck_assert_str_eq(p95->crit, "~:1000");
	ck_assert_str_eq(other->warn, "0:"); /* untouched */
	ck_assert_ptr_null(other->crit);
	ck_assert_int_eq(c->state, WM_WARNING); /* 82 < 90 but >= 80; p95 50 > 10 */
	/* without a configuration only the command line applies: the collector's
	 * defaults stay, -w p95 wins */
	wm_metric_set_thresholds(hit, "85:", "70:");
	wm_metric_set_thresholds(p95, "~:500", "~:1000");
	ck_assert_int_eq(wm_thresholds_apply(r, NULL, NULL, &cli, NULL, NULL, &err), 0);
	ck_assert_str_eq(hit->warn, "85:");
	ck_assert_str_eq(hit->crit, "70:");
	ck_assert_str_eq(p95->warn, "~:10");
	ck_assert_str_eq(p95->crit, "~:1000");
	wm_result_free(r);
	wm_config_free(cfg);
}
END_TEST

/* An area-scoped key (cache.hit_rate) is more specific than the bare metric
 * name and wins over it, in the target section and in [thresholds]. */
START_TEST(test_thresholds_area)
{
	struct wm_config *cfg = load("[thresholds]\nhit_rate.warning = 90:\n"
				     "cache.hit_rate.warning = 95:\ncache.hit_rate.critical = 9:x\n"
				     "[target prod]\ncache.ping_time.critical = ~:7\n");
	const struct wm_target *t = wm_config_target(cfg, "prod", NULL);
	struct wm_result *r = wm_result_new("wm-x", "1", "prod");
	struct wm_check *c = wm_result_add_check(r, "cache");
	struct wm_metric *hit = wm_check_add_metric(c, "hit_rate", 92, "%");
	struct wm_metric *ping = wm_check_add_metric(c, "ping_time", 5, "ms");
	struct wm_err err = {0};

	/* the bad scoped critical range is reported with its scoped key */
	ck_assert_int_eq(wm_thresholds_apply(r, cfg, t, NULL, "cache", NULL, &err), -1);
	ck_assert_msg(strstr(err.msg, "cache.hit_rate.critical") != NULL, "%s", err.msg);
	wm_config_free(cfg);
	cfg = load("[thresholds]\nhit_rate.warning = 90:\ncache.hit_rate.warning = 95:\n"
		   "[target prod]\ncache.ping_time.critical = ~:7\n");
	t = wm_config_target(cfg, "prod", NULL);
	wm_err_clear(&err);
	ck_assert_int_eq(wm_thresholds_apply(r, cfg, t, NULL, "cache", NULL, &err), 0);
	ck_assert_str_eq(hit->warn, "95:"); /* scoped over bare */
	ck_assert_str_eq(ping->crit, "~:7");
	ck_assert_int_eq(c->state, WM_WARNING);
	/* another area sees only the bare key */
	ck_assert_int_eq(wm_thresholds_apply(r, cfg, t, NULL, "db", NULL, &err), 0);
	ck_assert_str_eq(hit->warn, "90:");
	wm_result_free(r);
	wm_config_free(cfg);
}
END_TEST

START_TEST(test_thresholds_bad_config)
{
	struct wm_config *cfg = load("[thresholds]\nhit_rate.warning = 90:80\n");
	struct wm_result *r = wm_result_new("wm-x", "1", NULL);
	struct wm_check *c = wm_result_add_check(r, "cache");
	struct wm_err err = {0};

	wm_check_add_metric(c, "hit_rate", 82, "%");
	ck_assert_int_eq(wm_thresholds_apply(r, cfg, NULL, NULL, NULL, NULL, &err), -1);
	ck_assert_int_eq(err.code, WM_ECONFIG);
	ck_assert_msg(strstr(err.msg, ": hit_rate.warning: invalid threshold range '90:80': "
				      "start is greater than end") != NULL,
		      "%s", err.msg);
	wm_result_free(r);
	wm_config_free(cfg);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_getopt_table);
	tcase_add_test(tc, test_json_and_help);
	tcase_add_loop_test(tc, test_invalid, 0, (int)(sizeof(invalid) / sizeof(invalid[0])));
	tcase_add_test(tc, test_timeouts);
	tcase_add_test(tc, test_too_many_thresholds);
	tcase_add_test(tc, test_threshold_lookup);
	tcase_add_test(tc, test_apply_thresholds);
	tcase_add_test(tc, test_thresholds_precedence);
	tcase_add_test(tc, test_thresholds_area);
	tcase_add_test(tc, test_thresholds_bad_config);
	/* generous: the machine running the tests may be busy (ASan, -j) */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return wm_unit_run(s);
}
