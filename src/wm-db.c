/* wm-db - is PostgreSQL ready, answering fast, and is the data intact?
 *
 * Readiness (pg_isready's answers), connect latency, connections against
 * max_connections, long-running and idle-in-transaction sessions, the
 * runbook's database test, query latency from pg_stat_statements over the
 * window since the previous run, checksum failures, deadlocks, the rollback
 * ratio and the row counts of tables that must never shrink.  Every session
 * is read-only with a statement_timeout.  The check is the library unit
 * wm_db_run (lib/checks/check_db.c); this is its command line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "checks/checks.h"
#include "common/cli.h"
#include "common/prog.h"

struct opts {
	struct wm_cli cli;
	struct wm_db_check_opts db;
};

enum { OPT_RESET_HW = WM_OPT_PROG };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
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
	    {"reset-high-water", no_argument, NULL, OPT_RESET_HW},
	    {NULL, 0, NULL, 0},
	};
	int c;

	*o = (struct opts){0};
	wm_cli_defaults(&o->cli);
	while ((c = wm_prog_getopt(argc, argv, &o->cli, longopts, usage)) != -1) {
		switch (c) {
		case OPT_RESET_HW:
			o->db.reset_high_water = true;
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
}

int
main(int argc, char **argv)
{
	struct opts o;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	return wm_prog_run(&o.cli, wm_check_find("db"), &o.db, 0);
}
