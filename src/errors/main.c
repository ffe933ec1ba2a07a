/* wm-errors - errors and critical errors per service in a time window.
 *
 * The runbook's "error check", "critical errors" and "recent logs": one log
 * stream per service (the Engine API, locally or over SSH; or a file/stdin in
 * `docker compose logs` form), parsed once, counted per level, grouped by
 * signature.  One check per service, judged by the runbook's criteria
 * (warning at 5 errors, critical at 1 critical line).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "duration.h"
#include "errors.h"
#include "prog.h"
#include "result.h"
#include "target.h"
#include "wm-errors.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

enum {
	OPT_SINCE = WM_OPT_PROG,
	OPT_UNTIL,
	OPT_FILE,
	OPT_CRITICALS,
	OPT_TAIL,
	OPT_TOP,
	OPT_LEVEL,
	OPT_PAT_CRIT,
	OPT_PAT_ERR,
	OPT_PAT_WARN,
};

static void __attribute__((noreturn)) usage(int status)
{
	FILE *out = stdout;

	if (status) {
		fprintf(stderr, "Try '%s --help' for more information.\n", wm_prog_name());
		exit(status);
	}
	fprintf(out, "Usage: %s [OPTION]... [SERVICE]...\n", wm_prog_name());
	fputs("Count errors and critical errors per service in a time window, grouped by\n"
	      "message, from the Docker Engine API of the target, or from FILE or standard\n"
	      "input ('-') in 'docker compose logs' form.  Services default to the expected\n"
	      "ones of the target (all found when none is configured).\n\n"
	      "Options:\n"
	      "      --since=WHEN         start of the window (default 1h: an hour ago)\n"
	      "      --until=WHEN         end of the window (default now)\n"
	      "      --file=FILE          read FILE ('-': standard input) instead of Docker\n"
	      "      --criticals          list the critical/fatal/panic lines\n"
	      "      --tail=N             show the last N lines of each service\n"
	      "  -f, --follow             stream new matching lines until interrupted\n"
	      "      --top=N              groups shown per service (default 10; 0: none)\n"
	      "      --level=LEVEL        lowest level grouped and followed (default error)\n"
	      "      --critical-pattern=RE\n"
	      "                           words that make a plain line critical\n"
	      "      --error-pattern=RE   words that make a plain line an error\n"
	      "      --warn-pattern=RE    words that make a plain line a warning\n"
	      "\nThresholds: -w/-c RANGE apply to the metric errors (default warning 4,\n"
	      "i.e. at 5 errors); -c critical_lines=RANGE (default 0: at 1 critical line).\n"
	      "WHEN is a duration before now (90s, 30m, 4h, 1d), RFC 3339 or unix seconds.\n",
	      out);
	wm_usage_common(out);
	exit(0);
}

static long
parse_count(const char *what, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 0 || v > 100000)
		wm_usage_error("invalid %s '%s'", what, arg);
	return v;
}

static void
own_option(struct errors_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_SINCE:
		o->since = arg;
		break;
	case OPT_UNTIL:
		o->until = arg;
		break;
	case OPT_FILE:
		if (!*arg) /* like every other empty option value */
			wm_usage_error("empty --file name");
		o->file = arg;
		break;
	case OPT_CRITICALS:
		o->criticals = true;
		break;
	case OPT_TAIL:
		o->tail = (size_t)parse_count("--tail", arg);
		break;
	case OPT_TOP:
		o->top = (size_t)parse_count("--top", arg);
		break;
	case 'f':
		o->follow = true;
		break;
	case OPT_LEVEL:
		o->level = wm_level_parse(arg, strlen(arg));
		if (o->level == WM_LVL_UNKNOWN)
			wm_usage_error("invalid --level '%s'", arg);
		break;
	case OPT_PAT_CRIT:
		o->pattern[0] = arg;
		break;
	case OPT_PAT_ERR:
		o->pattern[1] = arg;
		break;
	case OPT_PAT_WARN:
		o->pattern[2] = arg;
		break;
	default:
		usage(WM_UNKNOWN);
	}
}

static void
parse_args(int argc, char **argv, struct errors_opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"file", required_argument, NULL, OPT_FILE},
	    {"criticals", no_argument, NULL, OPT_CRITICALS},
	    {"tail", required_argument, NULL, OPT_TAIL},
	    {"follow", no_argument, NULL, 'f'},
	    {"top", required_argument, NULL, OPT_TOP},
	    {"level", required_argument, NULL, OPT_LEVEL},
	    {"critical-pattern", required_argument, NULL, OPT_PAT_CRIT},
	    {"error-pattern", required_argument, NULL, OPT_PAT_ERR},
	    {"warn-pattern", required_argument, NULL, OPT_PAT_WARN},
	    {NULL, 0, NULL, 0},
	};
	int c;

	memset(o, 0, sizeof *o);
	wm_cli_defaults(&o->cli);
	o->top = 10;
	o->level = WM_LVL_ERROR;
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS "f", longopts, NULL)) != -1)
		if (!wm_prog_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	for (; optind < argc; optind++) {
		if (strcmp(argv[optind], "-") == 0) {
			if (o->file && strcmp(o->file, "-") != 0)
				wm_usage_error("both --file and '-' given");
			o->file = "-";
		} else if (o->nservices < ERRORS_MAX_ARGS) {
			o->services[o->nservices++] = argv[optind];
		} else {
			wm_usage_error("too many services");
		}
	}
}

/* The window: [since, until).  Docker input defaults to the last hour; a file
 * is taken whole unless a bound is given (its lines may be from any day). */
static void
parse_window(struct errors_opts *o, int64_t now)
{
	struct wm_err err = {0};

	o->since_ms = o->until_ms = -1;
	if (o->since && wm_time_parse(o->since, now, &o->since_ms, &err) < 0)
		wm_usage_error("--since: %s", err.msg);
	if (o->until && wm_time_parse(o->until, now, &o->until_ms, &err) < 0)
		wm_usage_error("--until: %s", err.msg);
	/* Docker's default: the hour before the end (now, or --until) */
	if (!o->since && !o->file && !o->follow)
		o->since_ms = (o->until ? o->until_ms : now) - 3600 * 1000;
	if (o->since && o->until && o->until_ms <= o->since_ms)
		wm_usage_error("--until must be later than --since");
	if (o->since && o->until)
		snprintf(o->window, sizeof o->window, "since %s until %s", o->since, o->until);
	else if (o->since)
		snprintf(o->window, sizeof o->window, "since %s", o->since);
	else if (o->until && o->since_ms >= 0)
		snprintf(o->window, sizeof o->window, "in 1h until %s", o->until);
	else if (o->until)
		snprintf(o->window, sizeof o->window, "until %s", o->until);
	else if (o->since_ms >= 0)
		snprintf(o->window, sizeof o->window, "in 1h");
	else
		snprintf(o->window, sizeof o->window, "in the input");
}

/* The threshold policy of this run: area errors, "errors" the primary metric. */
static void
thresholds_of(const struct errors_run *run, struct wm_thresholds *th)
{
	*th = (struct wm_thresholds){.cfg = run->cfg, .target = run->target, .area = "errors",
				     .primary = "errors"};
	wm_cli_thresholds(&run->o->cli, th);
}

/* Thresholds by the suite's resolver (threshold_policy.h), the service being
 * the instance; NULL: the runbook default. */
static const char *
threshold(void *arg, const char *service, const char *metric, bool critical)
{
	struct wm_thresholds th;

	thresholds_of(arg, &th);
	return wm_thresholds_get(&th, metric, service, critical, NULL);
}

/* The patterns for one [errors NAME] section; the command line wins. */
static struct wm_classifier *
classifier_for(const struct errors_run *run, const char *name, bool only_if_set)
{
	static const char *const keys[3] = {"critical_pattern", "error_pattern", "warn_pattern"};
	const char *pat[3];
	char section[128];
	struct wm_err err = {0};
	struct wm_classifier *c;
	bool set = false;

	snprintf(section, sizeof section, "errors %s", name);
	for (int k = 0; k < 3; k++) {
		const char *v = run->cfg ? wm_config_get(run->cfg, section, keys[k]) : NULL;

		set |= v != NULL;
		pat[k] = run->o->pattern[k] ? run->o->pattern[k] : v;
	}
	if (only_if_set && !set)
		return NULL;
	if (!(c = wm_classifier_new(pat[0], pat[1], pat[2], &err)))
		wm_usage_error("[%s]: %s", section, err.msg);
	return c;
}

/* A classifier per service with an [errors SERVICE] section (the services
 * named, else the target's), and [errors all] (or the defaults) for the rest. */
static struct wm_classify_set *
make_classes(const struct errors_run *run)
{
	const struct errors_opts *o = run->o;
	const char *const *names =
	    o->nservices ? o->services : (const char *const *)run->target->services;
	size_t n = o->nservices ? o->nservices : run->target->nservices;
	struct wm_classify_set *set = wm_classify_set_new(classifier_for(run, "all", false));
	struct wm_err err = {0};

	if (!set)
		wm_die(WM_UNKNOWN, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct wm_classifier *c = classifier_for(run, names[i], true);

		if (c && wm_classify_set_add(set, names[i], c, &err) < 0)
			wm_die(WM_UNKNOWN, "%s", err.msg);
	}
	return set;
}

/* [general] time_zones: what ambiguous zone names in log lines mean here. */
static void
load_zones(struct errors_run *run)
{
	const char *zones = run->cfg ? wm_config_get(run->cfg, "general", "time_zones") : NULL;
	struct wm_err err = {0};

	if (zones && wm_zone_overrides_parse(&run->zones, zones, &err) < 0)
		wm_die(WM_UNKNOWN, "%s", err.msg);
}

/* The expected services: the arguments, else the target's list. */
static void
expected_services(struct errors_run *run, struct wm_errors_opts *eo)
{
	if (run->o->nservices > 0) {
		eo->expected = run->o->services;
		eo->nexpected = run->o->nservices;
		eo->only_expected = true;
	} else if (run->target && !run->o->file) {
		eo->expected = (const char *const *)run->target->services;
		eo->nexpected = run->target->nservices;
	}
}

int
main(int argc, char **argv)
{
	struct errors_opts o;
	struct errors_run run = {.o = &o};
	struct wm_errors_opts eo = {0};
	struct wm_thresholds th;
	struct wm_err err = {0};
	struct sigaction sa;
	struct wm_result *r;
	int rc;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	parse_window(&o, wm_now_ms());
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	run.stop = &stop;
	run.s = wm_prog_session(&o.cli);
	run.cfg = wm_session_config(run.s);
	run.target = wm_session_target(run.s);
	thresholds_of(&run, &th); /* an unknown name (-c error=5) is exit 3 */
	if (wm_thresholds_check(&th, &err) < 0)
		wm_die(WM_UNKNOWN, "%s", err.msg);
	load_zones(&run);
	run.classes = make_classes(&run);
	expected_services(&run, &eo);
	eo.project = wm_session_project(run.s);
	eo.top = o.top;
	eo.no_groups = o.top == 0;
	eo.group_level = o.level;
	eo.tail = o.tail;
	eo.criticals = o.criticals ? 20 : 0;
	if (!(run.errors = wm_errors_new(&eo)))
		wm_die(WM_UNKNOWN, "out of memory");
	r = wm_result_new(wm_prog_name(), PACKAGE_VERSION, run.target->name);
	if (!r || wm_result_set_project(r, o.file ? NULL : eo.project) < 0)
		wm_die(WM_UNKNOWN, "out of memory");
	if (o.follow) {
		rc = errors_follow(&run, r);
	} else {
		/* Docker: the deadline bounds every request, the watchdog the
		 * rest; a file or stdin is read whole, however long it takes */
		if (!o.file) {
			wm_prog_watchdog(&o.cli, run.target->name, 0);
			wm_session_start(run.s, 0);
		}
		if (o.file ? errors_from_file(&run, r) : errors_from_docker(&run, r))
			wm_die(WM_UNKNOWN, "out of memory");
		if (wm_errors_report(run.errors, r, o.window, threshold, &run) < 0)
			wm_die(WM_UNKNOWN, "out of memory");
		if (o.cli.verbose)
			fprintf(
			    stderr,
			    "%s: %llu bytes, %llu lines: %llu in the window, %llu outside, %llu "
			    "without a time (%s), %llu truncated at %d bytes\n",
			    wm_prog_name(), (unsigned long long)run.stats.bytes,
			    (unsigned long long)run.stats.lines,
			    (unsigned long long)run.stats.delivered,
			    (unsigned long long)run.stats.outside,
			    (unsigned long long)run.stats.untimed,
			    o.since_ms >= 0 || o.until_ms >= 0 ? "not counted" : "counted",
			    (unsigned long long)run.stats.truncated, WM_LOGLINE_MAX);
		rc = wm_prog_emit(r, &o.cli);
		if (o.cli.format == WM_FORMAT_TEXT && !o.cli.output)
			errors_print_details(&run, stdout);
	}
	wm_result_free(r);
	wm_errors_free(run.errors);
	wm_classify_set_free(run.classes);
	wm_session_close(run.s);
	return rc;
}
