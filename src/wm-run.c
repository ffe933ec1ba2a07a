/* wm-run.c - the 24 hours: the runbook's plan of checks, journaled (cron mode).
 *
 * This first part runs ticks: `wm-run tick` runs what the plan says is due
 * now (missed ticks are journaled as missed, the most recent of each tier
 * runs late) and `wm-run tick --tier NAME` runs one tier now.  Each tick runs
 * the check units in-process over one session, journals every result, and
 * prints one line per area.  The journal and the run directory are
 * warunginmon(7)'s RUN DIRECTORY; `--print-crontab` prints the plan for cron.
 * The driver (start, the watch, incidents, notifications, status) is to come.
 */
#include "config.h"

#include <errno.h>
#include <dirent.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "checks/checks.h"
#include "base/clock.h"
#include "conf/conf.h"
#include "conf/conf_sections.h"
#include "base/duration.h"
#include "base/file.h"
#include "store/journal.h"
#include "common/prog.h"
#include "render/render.h"
#include "model/result.h"
#include "model/schedule.h"
#include "session/session.h"

struct opts {
	struct wm_cli cli;
	const char *tier;    /* --tier */
	const char *run_dir; /* --run */
	const char *at;	     /* --at */
	int64_t scale;	     /* --time-scale */
	bool print_crontab;
};

enum { OPT_TIER = WM_OPT_PROG, OPT_RUN, OPT_AT, OPT_TIME_SCALE, OPT_PRINT_CRONTAB };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]... tick\n"
	       "  or:  %s --print-crontab [--at=TIME]\n",
	       wm_prog_name(), wm_prog_name());
	fputs("Run the 24-hour post-deployment plan of checks, one tick at a time, into a\n"
	      "journal that survives crashes (cron mode).\n\n"
	      "Commands:\n"
	      "  tick                     run what is due now (idempotent); with --tier,\n"
	      "                           run that tier now\n\n"
	      "Options:\n"
	      "      --tier=NAME          full, quick, standard, comprehensive, security,\n"
	      "                           performance or smoke\n"
	      "      --run=DIR            the run directory (default: the target's latest\n"
	      "                           run, else a new one)\n"
	      "      --at=TIME            T+0 of a new run (default: now)\n"
	      "      --time-scale=N       run the 24 hours N times faster (a new run)\n"
	      "      --print-crontab      print the plan as crontab lines and exit\n",
	      stdout);
	wm_usage_common(stdout);
	exit(0);
}

static const char *
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"tier", required_argument, NULL, OPT_TIER},
	    {"run", required_argument, NULL, OPT_RUN},
	    {"at", required_argument, NULL, OPT_AT},
	    {"time-scale", required_argument, NULL, OPT_TIME_SCALE},
	    {"print-crontab", no_argument, NULL, OPT_PRINT_CRONTAB},
	    {NULL, 0, NULL, 0},
	};
	struct wm_err e = {0};
	int c;

	wm_cli_defaults(&o->cli);
	o->scale = 1;
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
			break;
		case OPT_PRINT_CRONTAB:
			o->print_crontab = true;
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	if (o->print_crontab) {
		if (optind < argc)
			wm_usage_error("unexpected argument '%s'", argv[optind]);
		return NULL;
	}
	if (optind >= argc)
		wm_usage_error("no command (tick)");
	if (strcmp(argv[optind], "tick") != 0)
		wm_usage_error("unknown command '%s'", argv[optind]);
	if (optind + 1 < argc)
		wm_usage_error("unexpected argument '%s'", argv[optind + 1]);
	return argv[optind];
}

/* --at, else now (wall ms). */
static int64_t
start_time(const struct opts *o)
{
	struct wm_err e = {0};
	int64_t now = wm_now_ms(), ms;

	if (!o->at)
		return now;
	if (wm_time_parse(o->at, now, &ms, &e) != 0)
		wm_usage_error("--at: %s", e.msg);
	return ms;
}

static int
print_crontab(const struct opts *o)
{
	struct wm_schedule *plan = malloc(sizeof(*plan));
	int64_t start = start_time(o);
	time_t t = (time_t)(start / 1000);
	struct tm tm;
	char cmd[512], *text;
	struct wm_err e = {0};

	if (!plan || !localtime_r(&t, &tm))
		wm_die(WM_UNKNOWN, "out of memory");
	wm_schedule_default(plan);
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

/* FNV-1a 64 of the configuration file: the run_start's digest, so a later
 * reader sees when the configuration changed under a run. */
static void
config_digest(const struct wm_session *s, char *buf, size_t len)
{
	const char *path = wm_config_path(wm_session_config(s));
	uint64_t h = UINT64_C(14695981039346656037);
	char *text = NULL;
	size_t n = 0;

	if (path && wm_file_read(path, 16u << 20, &text, &n, NULL) == 0)
		for (size_t i = 0; i < n; i++)
			h = (h ^ (unsigned char)text[i]) * UINT64_C(1099511628211);
	free(text);
	snprintf(buf, len, "fnv1a64:%016" PRIx64, h);
}

/* The target's latest run directory under STATE/runs/TARGET (names sort by
 * start), or a new one starting at start. */
static void
find_run(struct wm_session *s, const struct opts *o, int64_t start, char *dir, size_t len)
{
	char state[4096], best[64] = "";
	struct wm_err e = {0};
	struct dirent *de;
	DIR *d;

	if (o->run_dir) {
		snprintf(dir, len, "%s", o->run_dir);
		return;
	}
	if (wm_config_state_dir(wm_session_config(s), state, sizeof(state), NULL, &e) != 0 ||
	    wm_journal_run_dir(state, wm_session_target_name(s), start, dir, len, &e) != 0)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	*strrchr(dir, '/') = '\0';
	if ((d = opendir(dir))) {
		while ((de = readdir(d)))
			if (strlen(de->d_name) == 16 && de->d_name[8] == 'T' &&
			    strcmp(de->d_name, best) > 0)
				snprintf(best, sizeof(best), "%s", de->d_name);
		closedir(d);
	}
	if (*best) {
		size_t n = strlen(dir);

		snprintf(dir + n, len - n, "/%s", best);
	} else if (wm_journal_run_dir(state, wm_session_target_name(s), start, dir, len, &e)) {
		wm_die(WM_UNKNOWN, "%s", e.msg);
	}
}

/* The result r as the JSON object -j prints, or NULL. */
static cJSON *
result_json(const struct wm_result *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cJSON *j = NULL;

	if (!f)
		return NULL;
	if (wm_render(r, WM_FORMAT_JSON, f, 0) == 0 && fclose(f) == 0)
		j = cJSON_Parse(buf);
	else
		fclose(f);
	free(buf);
	return j;
}

struct tick {
	struct wm_session *s;
	struct wm_journal *j;
	const struct wm_clock *clk;
	const struct wm_schedule_tier *tier;
	int64_t at_ms;
	int attempt;
	struct wm_result *out; /* one check per area, what is printed */
};

/* Run one area's unit into its own result, journal it, and say it in out. */
static enum wm_state
run_area(struct tick *t, const char *area, const void *opts)
{
	const struct wm_check_def *def = wm_check_find(area);
	struct wm_result *r;
	struct wm_check *c;
	struct wm_err e = {0};
	char name[64], off[32], *sum;
	cJSON *f, *res;
	enum wm_state st;

	snprintf(name, sizeof(name), "wm-%s", area);
	r = wm_result_new(name, PACKAGE_VERSION, wm_session_target_name(t->s));
	if (!r)
		wm_die(WM_UNKNOWN, "out of memory");
	wm_session_start(t->s, 0);
	if (!def)
		wm_check_set(wm_result_add_check(r, area), WM_UNKNOWN,
			     "not available: %s is not built", name);
	else if (wm_check_run(def, t->s, opts, NULL, r, &e) != 0)
		wm_result_unknown(r, area, &e);
	wm_result_finish(r);
	st = wm_result_state(r);
	f = cJSON_CreateObject();
	res = result_json(r);
	if (!f || !res || !cJSON_AddStringToObject(f, "tier", t->tier->name) ||
	    !cJSON_AddNumberToObject(f, "at_ms", (double)t->at_ms) ||
	    !cJSON_AddNumberToObject(f, "attempt", t->attempt) ||
	    !cJSON_AddStringToObject(f, "area", area) || !cJSON_AddItemToObject(f, "result", res))
		wm_die(WM_UNKNOWN, "out of memory");
	if (wm_journal_append(t->j, "result", f, &e) != 0)
		wm_die(WM_UNKNOWN, "%s", e.msg);
	cJSON_Delete(f);
	sum = wm_render_summary(r);
	wm_schedule_offset_str(t->at_ms, off, sizeof(off));
	snprintf(name, sizeof(name), "%s.%s", t->tier->name, area);
	if (!(c = wm_result_add_check(t->out, name)))
		wm_die(WM_UNKNOWN, "out of memory");
	wm_check_set(c, st, "%s %s: %s", t->tier->name, off, sum ? sum : wm_state_name(st));
	free(sum);
	wm_result_free(r);
	return st;
}

/* One tick: start record, the tier's areas, end record. */
static void
run_tick(struct tick *t, bool late)
{
	const unsigned ck = t->tier->checks;
	enum wm_state worst = WM_OK;
	struct wm_err e = {0};

	if (wm_journal_append_tick(t->j, "tick_start", t->tier->name, t->at_ms, t->attempt, 0,
				   false, &e))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	if (ck & ((1u << WM_SCHED_SERVICES) | (1u << WM_SCHED_RESTARTS) |
		  (1u << WM_SCHED_RESOURCES) | (1u << WM_SCHED_DISK))) {
		struct wm_services_check_opts so = {
		    .stats = ck & (1u << WM_SCHED_RESOURCES),
		    .disk = ck & (1u << WM_SCHED_DISK),
		};
		worst = wm_state_worst(worst, run_area(t, "services", &so));
	}
	if (ck & ((1u << WM_SCHED_ERRORS) | (1u << WM_SCHED_CRITICALS) | (1u << WM_SCHED_LOGS))) {
		struct wm_errors_check_opts eo;
		int64_t now = wm_clock_wall_ms(t->clk);

		wm_errors_check_defaults(&eo, now);
		/* The window is planned time: at --time-scale N it reads 1/N of it. */
		eo.since_ms = now - wm_clock_real_span(t->clk, t->tier->window_ms);
		snprintf(eo.window, sizeof(eo.window), "in %" PRId64 " min",
			 t->tier->window_ms / 60000);
		eo.criticals = ck & (1u << WM_SCHED_CRITICALS);
		eo.tail = ck & (1u << WM_SCHED_LOGS) ? 5 : 0;
		worst = wm_state_worst(worst, run_area(t, "errors", &eo));
	}
	if (ck & (1u << WM_SCHED_CACHE)) {
		struct wm_cache_check_opts co = {0};

		worst = wm_state_worst(worst, run_area(t, "cache", &co));
	}
	if (ck & (1u << WM_SCHED_DB)) {
		struct wm_db_check_opts dbo = {0};

		worst = wm_state_worst(worst, run_area(t, "db", &dbo));
	}
	/* Areas whose unit has not landed: said, never skipped in silence. */
	if (ck & (1u << WM_SCHED_SECURITY))
		worst = wm_state_worst(worst, run_area(t, "security", NULL));
	if (ck & (1u << WM_SCHED_PERF))
		worst = wm_state_worst(worst, run_area(t, "perf", NULL));
	if (ck & (1u << WM_SCHED_SMOKE))
		worst = wm_state_worst(worst, run_area(t, "smoke", NULL));
	if (wm_journal_append_tick(t->j, "tick_end", t->tier->name, t->at_ms, t->attempt,
				   (int)worst, late, &e))
		wm_die(WM_UNKNOWN, "%s", e.msg);
}

static int
tick(struct opts *o)
{
	struct wm_schedule *plan = malloc(sizeof(*plan));
	struct wm_session *s = wm_prog_session(&o->cli);
	struct wm_journal_state st;
	struct wm_clock clk;
	struct wm_err e = {0};
	struct wm_due due[64];
	struct tick t = {.s = s, .clk = &clk};
	char dir[4096];
	int64_t start = start_time(o);
	size_t n;

	if (!plan)
		wm_die(WM_UNKNOWN, "out of memory");
	wm_schedule_default(plan);
	wm_clock_init_real(&clk);
	find_run(s, o, start, dir, sizeof(dir));
	if (!(t.j = wm_journal_open(dir, &clk, &st, &e)))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	if (st.torn_bytes)
		fprintf(stderr, "%s: %s: the last record was cut mid-write (%zu bytes dropped)\n",
			wm_prog_name(), dir, st.torn_bytes);
	if (!st.started) {
		char digest[WM_JOURNAL_DIGEST_MAX];
		cJSON *f = cJSON_CreateObject();

		config_digest(s, digest, sizeof(digest));
		if (wm_clock_set(&clk, o->scale, start, &e) || !f ||
		    !cJSON_AddNumberToObject(f, "start_wall_ms", (double)start) ||
		    !cJSON_AddNumberToObject(f, "scale", (double)o->scale) ||
		    !cJSON_AddStringToObject(f, "digest", digest) ||
		    !cJSON_AddStringToObject(f, "target", wm_session_target_name(s)) ||
		    wm_journal_append(t.j, "run_start", f, &e))
			wm_die(WM_UNKNOWN, "%s: %s", dir, e.msg[0] ? e.msg : "out of memory");
		cJSON_Delete(f);
	} else if (wm_clock_set(&clk, st.scale, st.start_wall_ms, &e)) {
		wm_die(WM_UNKNOWN, "%s: %s", dir, e.msg);
	}
	t.out = wm_result_new(wm_prog_name(), PACKAGE_VERSION, wm_session_target_name(s));
	if (!t.out)
		wm_die(WM_UNKNOWN, "out of memory");
	if (o->tier) {
		const struct wm_journal_tick *jt;

		if (!(t.tier = wm_schedule_find(plan, o->tier)))
			wm_usage_error("unknown tier '%s'", o->tier);
		t.at_ms = wm_clock_offset_ms(&clk);
		jt = wm_journal_tick(&st, o->tier, t.at_ms);
		if (jt && (jt->ended || jt->missed))
			wm_die(WM_UNKNOWN, "%s at this moment ran already", o->tier);
		t.attempt = jt ? jt->attempts + 1 : 1;
		run_tick(&t, false);
	} else {
		n = wm_schedule_due(plan, wm_clock_offset_ms(&clk), wm_journal_settled, &st, due,
				    sizeof(due) / sizeof(due[0]));
		for (size_t i = 0; i < n && i < sizeof(due) / sizeof(due[0]); i++) {
			const struct wm_journal_tick *jt;

			t.tier = &plan->tier[due[i].tier];
			t.at_ms = due[i].at_ms;
			if (due[i].status == WM_TICK_MISSED) {
				if (wm_journal_append_tick(t.j, "tick_missed", t.tier->name,
							   t.at_ms, 0, 0, false, &e))
					wm_die(WM_UNKNOWN, "%s", e.msg);
				continue;
			}
			jt = wm_journal_tick(&st, t.tier->name, t.at_ms);
			t.attempt = jt ? jt->attempts + 1 : 1;
			run_tick(&t, due[i].status == WM_TICK_LATE);
		}
		if (n == 0) {
			int64_t next;
			char off[32] = "the end of the plan";

			if (wm_schedule_next(plan, wm_clock_offset_ms(&clk), &next))
				wm_schedule_offset_str(next, off, sizeof(off));
			wm_check_set(wm_result_add_check(t.out, "tick"), WM_OK,
				     "nothing due; next at %s", off);
		}
	}
	wm_result_set_summary(t.out, "%s", dir);
	wm_journal_close(t.j);
	wm_journal_state_free(&st);
	free(plan);
	{
		int rc = wm_prog_emit(t.out, &o->cli);

		wm_result_free(t.out);
		wm_session_close(s);
		return rc;
	}
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	const char *cmd;

	wm_prog_init(argc, argv);
	cmd = parse_args(argc, argv, &o);
	if (!cmd)
		return print_crontab(&o);
	return tick(&o);
}
