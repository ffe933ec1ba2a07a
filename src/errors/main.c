/* wm-errors - errors and critical errors per service in a time window.
 *
 * The runbook's "error check", "critical errors" and "recent logs": one log
 * stream per service (the Engine API, locally or over SSH; or a file/stdin in
 * `docker compose logs` form), parsed once, counted per level, grouped by
 * signature.  One check per service, judged by the runbook's criteria
 * (warning at 5 errors, critical at 1 critical line).  The check is the
 * library unit wm_errors_run (lib/checks/check_errors.c); this is its command
 * line, --follow (follow.c) and the text details (details.c).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "base/duration.h"
#include "common/prog.h"
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

	if (status)
		wm_try_help();
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
		o->eo.file = arg;
		break;
	case OPT_CRITICALS:
		o->eo.criticals = true;
		break;
	case OPT_TAIL:
		o->eo.tail = (size_t)parse_count("--tail", arg);
		break;
	case OPT_TOP:
		o->eo.top = (size_t)parse_count("--top", arg);
		break;
	case 'f':
		o->follow = true;
		break;
	case OPT_LEVEL:
		o->eo.level = wm_level_parse(arg, strlen(arg));
		if (o->eo.level == WM_LVL_UNKNOWN)
			wm_usage_error("invalid --level '%s'", arg);
		break;
	case OPT_PAT_CRIT:
		o->eo.pattern[0] = arg;
		break;
	case OPT_PAT_ERR:
		o->eo.pattern[1] = arg;
		break;
	case OPT_PAT_WARN:
		o->eo.pattern[2] = arg;
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
	wm_errors_check_defaults(&o->eo, wm_now_ms());
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS "f", longopts, NULL)) != -1)
		if (!wm_prog_option(&o->cli, c, optarg, usage))
			own_option(o, c, optarg);
	for (; optind < argc; optind++) {
		if (strcmp(argv[optind], "-") == 0) {
			if (o->eo.file && strcmp(o->eo.file, "-") != 0)
				wm_usage_error("both --file and '-' given");
			o->eo.file = "-";
		} else if (o->eo.nservices < ERRORS_MAX_ARGS) {
			o->services[o->eo.nservices++] = argv[optind];
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
	static const char *const what[] = {"", "--since: ", "--until: ", ""};
	struct wm_err err = {0};
	int which;

	if (wm_errors_check_window(&o->eo, o->since, o->until, o->follow, now, &which, &err) < 0)
		wm_usage_error("%s%s", what[which], err.msg);
	o->eo.services = o->services;
}

int
main(int argc, char **argv)
{
	struct errors_opts o;
	struct wm_errors *errors = NULL;
	struct wm_err err = {0};
	struct wm_session *s;
	struct sigaction sa;
	int rc;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	parse_window(&o, wm_now_ms());
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal; /* no SA_RESTART: a blocked read returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	o.eo.stop = &stop;
	o.eo.keep = &errors;
	s = wm_prog_session(&o.cli);
	/* a bad pattern is the command line's or the file's fault: say so first */
	if (!(o.eo.classes = wm_errors_classes(s, &o.eo, &err)))
		wm_usage_error("%s", err.msg);
	if (wm_errors_zones(s, &o.zones, &err) < 0)
		wm_die(WM_UNKNOWN, "%s", err.msg);
	if (o.follow) {
		rc = errors_follow(&o, s, &stop);
	} else {
		/* Docker: the deadline bounds every request, the watchdog the
		 * rest; a file or stdin is read whole, however long it takes */
		rc = wm_prog_check(&o.cli, s, wm_check_find("errors"), &o.eo, o.eo.file ? -1 : 0);
		if (errors && o.cli.format == WM_FORMAT_TEXT && !o.cli.output)
			errors_print_details(errors, stdout);
	}
	wm_errors_free(errors);
	wm_classify_set_free(o.eo.classes);
	wm_session_close(s);
	return rc;
}
