/* wm-db - is PostgreSQL ready, answering fast, and is the data intact?
 *
 * Readiness (pg_isready's answers), connect latency, connections against
 * max_connections, long-running and idle-in-transaction sessions, the
 * runbook's database test, query latency from pg_stat_statements over the
 * window since the previous run, checksum failures, deadlocks, the rollback
 * ratio and the row counts of tables that must never shrink.  Every session
 * is read-only with a statement_timeout.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "db.h"
#include "endpoint.h"
#include "prog.h"
#include "result.h"
#include "session.h"

enum { OPT_RESET_HW = WM_OPT_PROG };

struct opts {
	struct wm_cli cli;
	bool reset_high_water;
};

static void __attribute__((noreturn))
usage(int status)
{
	if (status) {
		fprintf(stderr, "Try '%s --help' for more information.\n", wm_prog_name());
		exit(status);
	}
	printf("Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Check PostgreSQL: readiness, connections, sessions, a timed query, query\n"
	      "latency from pg_stat_statements since the previous run, and integrity\n"
	      "(checksum failures, deadlocks, rollbacks, tables that must never shrink).\n\n"
	      "Options:\n"
	      "      --reset-high-water   take the current row counts of the never_shrink\n"
	      "                           tables as their high-water marks (after a loss\n"
	      "                           is understood)\n",
	      stdout);
	wm_usage_common(stdout);
	fputs("\nThe server comes from the target's 'postgres' conninfo, the password from\n"
	      "'postgres_password_file', PGPASSWORD, ~/.pgpass or PGPASSFILE.  Tables named\n"
	      "by 'never_shrink' are CRITICAL while their row count is below the most ever\n"
	      "counted (the high-water mark).\n"
	      "Default threshold: p95 warning above 0.5 s (an estimate, see wm-db(1)).\n",
	      stdout);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		WM_CLI_LONGOPTS,
		{ "reset-high-water", no_argument, NULL, OPT_RESET_HW },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	wm_cli_defaults(&o->cli);
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (wm_prog_option(&o->cli, c, optarg, usage))
			continue;
		if (c == OPT_RESET_HW) {
			o->reset_high_water = true;
			continue;
		}
		usage(WM_UNKNOWN);
	}
	if (optind < argc)
		wm_usage_error("unexpected argument '%s'", argv[optind]);
}

static int
run(struct wm_session *s, const void *arg, struct wm_result *r)
{
	const struct wm_target *t = wm_session_target(s);
	int64_t budget = wm_session_budget_ms(s, 0);
	char pw[WM_SECRET_MAX], host[256], port[16], label[300];
	struct wm_db_opts dbo = {
		.never_shrink = t->never_shrink,
		.nnever_shrink = t->nnever_shrink,
		.label = label,
		.reset_high_water = ((const struct opts *)arg)->reset_high_water,
	};
	struct wm_err err = { 0 };
	cJSON *prev, *next = NULL;
	int rc;

	/* The file only: libpq reads PGPASSWORD, ~/.pgpass and PGPASSFILE itself. */
	if (wm_secret_get(t, t->postgres_password_file, NULL, pw, sizeof(pw), &err) < 0 ||
	    wm_endpoint_pg(s, host, sizeof(host), port, sizeof(port), label, sizeof(label),
			    &err) < 0)
		return wm_result_unknown(r, "pg.ready", &err);
	dbo.params.conninfo = t->postgres;
	dbo.params.host = host[0] ? host : NULL;
	dbo.params.port = port[0] ? port : NULL;
	dbo.params.password = pw[0] ? pw : NULL;
	dbo.params.timeout_s = (int)((budget + 999) / 1000);
	dbo.params.statement_timeout_ms = (int)budget;
	prev = wm_session_sample_load(s, WM_DB_STATE_NAME);
	rc = wm_db_collect(r, &dbo, prev, &next);
	memset(pw, 0, sizeof(pw));
	if (rc == 0)
		wm_session_sample_save(s, WM_DB_STATE_NAME, next);
	cJSON_Delete(prev);
	cJSON_Delete(next);
	return rc;
}

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	return wm_prog_run(&o.cli, &(struct wm_prog_check){
					.area = "db", .primary = "p95", .run = run, .opts = &o});
}
