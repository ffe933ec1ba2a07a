/* main.c - wm-run: the 24 hours after a deployment, the runbook's plan of
 * checks journaled in a run directory that survives crashes.
 *
 *   tick      cron mode: run what is due now (or --tier now) and exit
 *   start     the driver: the whole plan over one session, resumable
 *   status    where the run stands (through the driver's socket, else from
 *             the journal); --follow redraws it
 *   ack, note, approve, stop   people's input, to the driver or under the lock
 */
#include "config.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/duration.h"
#include "common/prog.h"
#include "run/report.h"
#include "session/session.h"
#include "wm-run.h"

enum {
	OPT_TIER = WM_OPT_PROG,
	OPT_RUN,
	OPT_AT,
	OPT_TIME_SCALE,
	OPT_PRINT_CRONTAB,
	OPT_WATCH_INTERVAL,
	OPT_FOLLOW,
	OPT_NOTE,
	OPT_USER_ISSUE,
	OPT_NAME,
};

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]... start\n"
	       "  or:  %s [OPTION]... tick\n"
	       "  or:  %s [OPTION]... status [--follow]\n"
	       "  or:  %s [OPTION]... ack ID [--note=TEXT]\n"
	       "  or:  %s [OPTION]... note TEXT [--user-issue]\n"
	       "  or:  %s [OPTION]... approve ROLE --name=NAME\n"
	       "  or:  %s [OPTION]... stop\n"
	       "  or:  %s --print-crontab [--at=TIME]\n",
	       wm_prog_name(), wm_prog_name(), wm_prog_name(), wm_prog_name(), wm_prog_name(),
	       wm_prog_name(), wm_prog_name(), wm_prog_name());
	fputs("Run the 24-hour post-deployment plan of checks against one target, into a\n"
	      "journal that survives crashes.\n\n"
	      "Commands:\n"
	      "  start                    drive the run: every tick at its planned time over\n"
	      "                           one session, until the plan ends (resumes a run)\n"
	      "  tick                     run what is due now (idempotent); with --tier,\n"
	      "                           run that tier now (cron mode)\n"
	      "  status                   where the run stands, the last and next tick, the\n"
	      "                           open incidents\n"
	      "  ack ID                   acknowledge an incident\n"
	      "  note TEXT                an operator's note for the hourly log\n"
	      "  approve ROLE             a sign-off of ROLE, by --name\n"
	      "  stop                     stop the driver after the record in hand\n\n"
	      "Options:\n"
	      "      --tier=NAME          full, quick, standard, comprehensive, security,\n"
	      "                           performance or smoke\n"
	      "      --run=DIR            the run directory (default: the target's latest\n"
	      "                           run, else a new one)\n"
	      "      --at=TIME            T+0 of a new run (default: now)\n"
	      "      --time-scale=N       run the 24 hours N times faster (a new run)\n"
	      "      --watch-interval=SECONDS  between two watch rounds (real time,\n"
	      "                           default 60)\n"
	      "      --follow             status: a live view until q, ^C or the driver ends\n"
	      "      --note=TEXT          ack: why, or what is being done\n"
	      "      --user-issue         note: a problem users reported\n"
	      "      --name=NAME          approve: who signs\n"
	      "      --print-crontab      print the plan as crontab lines and exit\n",
	      stdout);
	wm_usage_common(stdout);
	exit(0);
}

static const char *const commands[] = {"tick", "start",	  "status", "ack",
				       "note", "approve", "stop",   NULL};

static void
parse_args(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"tier", required_argument, NULL, OPT_TIER},
	    {"run", required_argument, NULL, OPT_RUN},
	    {"at", required_argument, NULL, OPT_AT},
	    {"time-scale", required_argument, NULL, OPT_TIME_SCALE},
	    {"print-crontab", no_argument, NULL, OPT_PRINT_CRONTAB},
	    {"watch-interval", required_argument, NULL, OPT_WATCH_INTERVAL},
	    {"follow", no_argument, NULL, OPT_FOLLOW},
	    {"note", required_argument, NULL, OPT_NOTE},
	    {"user-issue", no_argument, NULL, OPT_USER_ISSUE},
	    {"name", required_argument, NULL, OPT_NAME},
	    {NULL, 0, NULL, 0},
	};
	struct wm_err e = {0};
	size_t k;
	int c;

	wm_cli_defaults(&o->cli);
	o->scale = 1;
	o->watch_ms = 60000;
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (wm_prog_option(&o->cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_TIER:
			o->tier = optarg;
			break;
		case OPT_RUN:
			o->run_dir = optarg;
			break;
		case OPT_AT:
			o->at = optarg;
			break;
		case OPT_TIME_SCALE:
			if (wm_clock_parse_scale(optarg, &o->scale, &e))
				wm_usage_error("%s", e.msg);
			o->scale_set = true;
			break;
		case OPT_PRINT_CRONTAB:
			o->print_crontab = true;
			break;
		case OPT_WATCH_INTERVAL:
			if (wm_duration_parse(optarg, &o->watch_ms, &e) || o->watch_ms < 1000)
				wm_usage_error("--watch-interval: %s",
					       e.msg[0] ? e.msg : "at least 1 second");
			o->watch_set = true;
			break;
		case OPT_FOLLOW:
			o->follow = true;
			break;
		case OPT_NOTE:
			o->note = optarg;
			break;
		case OPT_USER_ISSUE:
			o->user_issue = true;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	if (o->print_crontab) {
		if (optind < argc)
			wm_usage_error("unexpected argument '%s'", argv[optind]);
		return;
	}
	if (optind >= argc)
		wm_usage_error("no command (start, tick, status, ack, note, approve, stop)");
	o->cmd = argv[optind++];
	for (k = 0; commands[k] && strcmp(commands[k], o->cmd); k++)
		;
	if (!commands[k])
		wm_usage_error("unknown command '%s'", o->cmd);
	if (!strcmp(o->cmd, "ack") || !strcmp(o->cmd, "note") || !strcmp(o->cmd, "approve")) {
		if (optind >= argc)
			wm_usage_error("%s needs %s", o->cmd,
				       o->cmd[0] == 'a' && o->cmd[1] == 'c' ? "an incident ID"
				       : o->cmd[0] == 'n'		    ? "the TEXT"
									    : "a ROLE");
		o->arg = argv[optind++];
	}
	if (optind < argc)
		wm_usage_error("unexpected argument '%s'", argv[optind]);
	if (!strcmp(o->cmd, "approve") && !o->name)
		wm_usage_error("approve needs --name=NAME");
	if (o->tier && strcmp(o->cmd, "tick") != 0)
		wm_usage_error("--tier is for tick");
	if (o->follow && strcmp(o->cmd, "status") != 0)
		wm_usage_error("--follow is for status");
}

static int
print_crontab(const struct run_opts *o)
{
	struct wm_schedule *plan = malloc(sizeof(*plan));
	int64_t start = run_start_time(o);
	time_t t = (time_t)(start / 1000);
	struct tm tm;
	char cmd[512], *text;
	struct wm_err e = {0};

	struct wm_config *cfg;

	if (!plan || !localtime_r(&t, &tm))
		wm_die(WM_UNKNOWN, "out of memory");
	if (!(cfg = wm_config_load(o->cli.config, &e)))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	run_plan(cfg, plan);
	wm_config_free(cfg);
	snprintf(cmd, sizeof(cmd), "%s tick%s%s", wm_prog_name(), o->cli.target ? " -t " : "",
		 o->cli.target ? o->cli.target : "");
	text = wm_schedule_crontab(plan, start, (int)(tm.tm_gmtoff / 60), cmd, &e);
	free(plan);
	if (!text)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	fputs(text, stdout);
	free(text);
	return 0;
}

static int
cron_one(void *ctx, const struct wm_schedule_tier *tier, int64_t at_ms, int attempt, bool late)
{
	struct tick *t = ctx;
	struct wm_err e = {0};

	t->tier = tier;
	t->at_ms = at_ms;
	t->attempt = attempt;
	t->late = late;
	if (tick_run(t, &e) != 0)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	return 0;
}

/* tick: what is due now, or --tier now, printed as one check per area. */
static int
tick(struct run_opts *o)
{
	struct wm_schedule *plan = malloc(sizeof(*plan));
	struct wm_session *s = wm_prog_session(&o->cli);
	const struct wm_journal_state *st;
	struct wm_clock clk;
	struct wm_err e = {0};
	struct tick t = {.s = s, .clk = &clk};
	char dir[4096];
	int rc;

	if (!plan)
		wm_die(WM_UNKNOWN, "out of memory");
	run_plan(wm_session_config(s), plan);
	wm_clock_init_real(&clk);
	run_find(s, o, run_start_time(o), false, dir, sizeof(dir));
	if (!(t.j = wm_journal_open(dir, &clk, NULL, &e)))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	st = wm_journal_state_of(t.j);
	if (st->torn_bytes)
		fprintf(stderr, "%s: %s: the last record was cut mid-write (%zu bytes dropped)\n",
			wm_prog_name(), dir, st->torn_bytes);
	if (run_begin(t.j, s, o, plan, &clk, &e) != 0)
		wm_die(WM_UNKNOWN, "%s: %s", dir, e.msg);
	t.out = wm_result_new(wm_prog_name(), PACKAGE_VERSION, wm_session_target_name(s));
	if (!t.out)
		wm_die(WM_UNKNOWN, "out of memory");
	if (o->tier) {
		const struct wm_journal_tick *jt;
		int64_t at = wm_clock_offset_ms(&clk);

		if (!(t.tier = wm_schedule_find(plan, o->tier)))
			wm_usage_error("unknown tier '%s'", o->tier);
		jt = wm_journal_tick(st, o->tier, at);
		if (jt && (jt->ended || jt->missed))
			wm_die(WM_UNKNOWN, "%s at this moment ran already", o->tier);
		cron_one(&t, t.tier, at, jt ? jt->attempts + 1 : 1, false);
	} else if ((rc = tick_due(plan, t.j, &clk, cron_one, &t, &e)) < 0) {
		wm_die(WM_UNKNOWN, "%s", e.msg);
	} else if (rc == 0) {
		int64_t next;
		char off[32] = "the end of the plan";

		if (wm_schedule_next(plan, wm_clock_offset_ms(&clk), &next))
			wm_schedule_offset_str(next, off, sizeof(off));
		wm_check_set(wm_result_add_check(t.out, "tick"), WM_OK, "nothing due; next at %s",
			     off);
	}
	wm_result_set_summary(t.out, "%s", dir);
	wm_journal_close(t.j);
	/* the report so far, as the driver writes it after every tick */
	if (wm_report_write_files(dir, wm_session_config(s), &e) != 0)
		fprintf(stderr, "%s: %s\n", wm_prog_name(), e.msg);
	free(plan);
	rc = wm_prog_emit(t.out, &o->cli);
	wm_result_free(t.out);
	wm_session_close(s);
	return rc;
}

int
main(int argc, char **argv)
{
	struct run_opts o = {0};

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	if (o.print_crontab)
		return print_crontab(&o);
	if (o.cli.print_config)
		wm_prog_session(&o.cli); /* prints the configuration and exits */
	if (!strcmp(o.cmd, "tick"))
		return tick(&o);
	if (!strcmp(o.cmd, "start"))
		return run_start(&o);
	return run_ctl(&o);
}
