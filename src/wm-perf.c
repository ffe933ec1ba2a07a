/* wm-perf - how fast does the application answer, and is it getting slower?
 *
 * Response-time p50/p95/p99, max, mean, requests per minute, the 5xx share
 * and the trend against the previous window from the application's own
 * Prometheus histograms (the bucket increases since the previous run, kept
 * in the state directory, computed as PromQL's histogram_quantile does), and
 * the DB query p95.  Every figure names its source.  The check is the
 * library unit wm_perf_run (lib/checks/check_perf.c); this is its command
 * line.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/duration.h"
#include "checks/checks.h"
#include "common/cli.h"
#include "common/prog.h"

struct opts {
	struct wm_cli cli;
	struct wm_perf_check_opts perf;
};

enum { OPT_NO_APP = WM_OPT_PROG, OPT_NO_DB, OPT_NO_LOGS, OPT_SAMPLE, OPT_SINCE };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]...\n", wm_prog_name());
	fputs("Check response times: p50/p95/p99, max, mean, requests per minute, the 5xx\n"
	      "share and the trend since the previous run from the application's Prometheus\n"
	      "histograms, the access log, the JSON durations of the logs and timed requests,\n"
	      "and the DB query p95; every figure names its source.\n\n"
	      "Options:\n"
	      "      --no-app             do not read the application's histograms\n"
	      "      --no-db              leave out the DB query p95 (perf.db)\n"
	      "      --no-logs            do not read the logs (access log, JSON durations)\n"
	      "      --sample=N           also time N requests to [perf] sample_urls\n"
	      "      --since=WHEN         the logs from WHEN (default: since the previous run,\n"
	      "                           else the last hour)\n",
	      stdout);
	wm_usage_common(stdout);
	fputs("\nThe histograms come from the target's 'metrics_url', the logs from [perf]\n"
	      "log_services (nginx's access log, the backend's JSON durations).  Default "
	      "thresholds: p99 warning above 2 s, DB query p95\n"
	      "warning above 0.5 s, degradation (p99 over the previous window's) above 2.\n",
	      stdout);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"no-app", no_argument, NULL, OPT_NO_APP},
	    {"no-db", no_argument, NULL, OPT_NO_DB},
	    {"no-logs", no_argument, NULL, OPT_NO_LOGS},
	    {"sample", required_argument, NULL, OPT_SAMPLE},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {NULL, 0, NULL, 0},
	};
	struct wm_err err = {0};
	char *end;
	long n;
	int c;

	*o = (struct opts){0};
	wm_cli_defaults(&o->cli);
	while ((c = wm_prog_getopt(argc, argv, &o->cli, longopts, usage)) != -1) {
		switch (c) {
		case OPT_NO_APP:
			o->perf.no_app = true;
			break;
		case OPT_NO_DB:
			o->perf.no_db = true;
			break;
		case OPT_NO_LOGS:
			o->perf.no_logs = true;
			break;
		case OPT_SAMPLE:
			n = strtol(optarg, &end, 10);
			if (end == optarg || *end || n < 1 || n > 10000)
				wm_usage_error("--sample: a count from 1 to 10000, not '%s'",
					       optarg);
			o->perf.sample = (int)n;
			break;
		case OPT_SINCE:
			if (wm_time_parse(optarg, wm_now_ms(), &o->perf.since_ms, &err) < 0)
				wm_usage_error("--since: %s", err.msg);
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
	return wm_prog_run(&o.cli, wm_check_find("perf"), &o.perf, 0);
}
