/* wm-report.c - the report of a run: the hourly log, the go-live verdict and
 * the sign-off sheet, computed from wm-run's journal (lib/run/report.h), or
 * from wm-* results piped in.  The exit status is the verdict: 0 PASS,
 * 1 PASS with warnings, 2 FAIL, 3 cannot judge. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/duration.h"
#include "base/file.h"
#include "common/cli.h"
#include "common/prog.h"
#include "conf/conf.h"
#include "conf/conf_sections.h"
#include "session/session.h"
#include "run/report.h"
#include "store/journal.h"
#include "store/statedir.h"

#define RUNS_MAX 8
#define STDIN_MAX (64u << 20)

struct opts {
	struct wm_cli cli;
	int format; /* enum wm_report_format */
	bool stdin_in;
	const char *run_id;    /* --run */
	double critical_limit; /* -1: not given */
	const char *dirs[RUNS_MAX];
	size_t ndirs;
};

enum { OPT_STDIN = WM_OPT_PROG, OPT_RUN, OPT_CRITICAL_LIMIT };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]... [RUN_DIR]...\n"
	       "  or:  %s [OPTION]... --stdin\n",
	       wm_prog_name(), wm_prog_name());
	fputs("Report on a 24-hour run: the hourly status log, every success criterion with\n"
	      "its measured value, the incidents, the checklist, the sign-off sheet, and the\n"
	      "go-live verdict.  Without RUN_DIR, the target's latest run.  Several RUN_DIRs\n"
	      "are reported side by side.\n\n"
	      "Options:\n"
	      "      --run=ID             the target's run ID (its directory's name,\n"
	      "                           YYYYMMDDTHHMMSSZ) instead of the latest\n"
	      "      --stdin              read a journal, or wm-* results (-j), from stdin\n"
	      "      --format=FORMAT      text, markdown, json or html (default text)\n"
	      "      --critical-limit=N   critical log lines allowed over the day (default:\n"
	      "                           [report] critical_limit, else 0)\n\n"
	      "Exit status: 0 PASS, 1 PASS with warnings, 2 FAIL, 3 cannot judge.\n",
	      stdout);
	wm_usage_common(stdout);
	exit(0);
}

static void
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
	    WM_CLI_LONGOPTS,
	    {"stdin", no_argument, NULL, OPT_STDIN},
	    {"run", required_argument, NULL, OPT_RUN},
	    {"critical-limit", required_argument, NULL, OPT_CRITICAL_LIMIT},
	    {NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	wm_cli_defaults(&o->cli);
	o->format = WM_REPORT_TEXT;
	o->critical_limit = -1; /* not given */
	while ((c = getopt_long(argc, argv, WM_CLI_SHORTOPTS, longopts, NULL)) != -1) {
		/* The report's own formats, before the common option sees them. */
		if (c == WM_OPT_FORMAT) {
			if ((o->format = wm_report_format_parse(optarg)) < 0)
				wm_usage_error(
				    "unknown format '%s' (expected text, markdown, json or "
				    "html)",
				    optarg);
			continue;
		}
		if (c == 'j') {
			o->format = WM_REPORT_JSON;
			continue;
		}
		if (wm_prog_option(&o->cli, c, optarg, usage))
			continue;
		switch (c) {
		case OPT_STDIN:
			o->stdin_in = true;
			break;
		case OPT_RUN:
			o->run_id = optarg;
			break;
		case OPT_CRITICAL_LIMIT:
			errno = 0;
			o->critical_limit = strtod(optarg, &end);
			if (end == optarg || *end || errno || !(o->critical_limit >= 0))
				wm_usage_error("invalid critical limit '%s' (a number >= 0)",
					       optarg);
			break;
		default:
			usage(WM_UNKNOWN);
		}
	}
	for (; optind < argc; optind++) {
		if (o->ndirs == RUNS_MAX)
			wm_usage_error("at most %d runs side by side", RUNS_MAX);
		o->dirs[o->ndirs++] = argv[optind];
	}
	if (o->stdin_in && (o->ndirs || o->run_id))
		wm_usage_error("--stdin takes no RUN_DIR nor --run");
	if (o->run_id && o->ndirs)
		wm_usage_error("--run and RUN_DIR exclude each other");
	if (o->format == WM_REPORT_HTML && o->ndirs > 1)
		wm_usage_error("--format=html reports one run");
}

/* The approvers of the configuration ([approver NAME]), else the runbook's. */
static void
report_opts(const struct opts *o, const struct wm_config *cfg, struct wm_report_opts *ro)
{
	struct wm_approver *a = NULL;
	size_t n = 0;

	const char *limit = cfg ? wm_config_get(cfg, "report", "critical_limit") : NULL;
	char *end;

	wm_report_opts_default(ro);
	if (limit) { /* [report] critical_limit, unless --critical-limit */
		ro->critical_limit = strtod(limit, &end);
		if (end == limit || *end || !(ro->critical_limit >= 0))
			wm_die(WM_UNKNOWN, "%s: [report] critical_limit: '%s' is not a number >= 0",
			       wm_config_path(cfg) ? wm_config_path(cfg) : "configuration", limit);
	}
	if (o->critical_limit >= 0)
		ro->critical_limit = o->critical_limit;
	if (!cfg || wm_config_approvers(cfg, &a, &n, NULL) != 0 || n == 0)
		return;
	ro->n_approvers = 0;
	for (size_t i = 0; i < n && i < WM_REPORT_APPROVERS_MAX; i++) {
		struct wm_report_approver *x = &ro->approvers[ro->n_approvers++];

		snprintf(x->name, sizeof(x->name), "%s", a[i].name);
		snprintf(x->title, sizeof(x->title), "%s", a[i].title ? a[i].title : a[i].name);
		x->required = a[i].required;
	}
	wm_approvers_free(a, n);
}

/* The target's runs directory: STATE/runs/TARGET. */
static void
runs_dir(const struct wm_session *s, char *buf, size_t len)
{
	char state[4096], safe[256];
	struct wm_err e = {0};

	if (wm_config_state_dir(wm_session_config(s), state, sizeof(state), NULL, &e))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	if (wm_state_sanitise(wm_session_target_name(s), safe, sizeof(safe)))
		wm_die(WM_UNKNOWN, "target name too long");
	if ((size_t)snprintf(buf, len, "%s/runs/%s", state, safe) >= len)
		wm_die(WM_UNKNOWN, "state directory name too long");
}

/* RUN_DIR, --run ID or the latest run (names sort by start). */
static void
find_run(const struct opts *o, const struct wm_session *s, char *dir, size_t len)
{
	char best[64] = "";
	struct dirent *de;
	DIR *d;
	size_t n;

	runs_dir(s, dir, len);
	n = strlen(dir);
	if (o->run_id) {
		if (strchr(o->run_id, '/') || !*o->run_id || o->run_id[0] == '.')
			wm_usage_error("--run: '%s' is not a run's name", o->run_id);
		if ((size_t)snprintf(dir + n, len - n, "/%s", o->run_id) >= len - n)
			wm_die(WM_UNKNOWN, "run directory name too long");
		return;
	}
	if (!(d = opendir(dir)))
		wm_die(WM_UNKNOWN, "no run of this target: %s: %s (wm-run start makes one)", dir,
		       strerror(errno));
	while ((de = readdir(d)))
		if (strlen(de->d_name) == 16 && de->d_name[8] == 'T' &&
		    strcmp(de->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", de->d_name);
	closedir(d);
	if (!*best)
		wm_die(WM_UNKNOWN, "no run of this target in %s (wm-run start makes one)", dir);
	snprintf(dir + n, len - n, "/%s", best);
}

/* A journal's text into r, with the run directory's baseline.json. */
static void
read_journal_text(struct wm_report *r, const char *buf, size_t len, const char *what)
{
	struct wm_err e = {0};

	if (wm_report_read_journal(r, buf, len, &e))
		wm_die(WM_UNKNOWN, "%s: %s", what, e.msg);
}

static void
read_run(struct wm_report *r, const char *dir, const struct wm_cli *cli)
{
	struct wm_err e = {0};

	wm_prog_verbose(cli, 1, "reading the run %s", dir);
	if (wm_report_read_run(r, dir, &e))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	if (r->baseline_bad)
		fprintf(stderr, "%s: %s/%s: not JSON, left out\n", wm_prog_name(), dir,
			WM_JOURNAL_BASELINE);
}

/* stdin: a journal (its first line a run_start record), or wm-* results
 * one after another (-j documents, ndjson lines, or a JSON array of them). */
static void
read_stdin(struct wm_report *r)
{
	char *buf = NULL;
	size_t len = 0, n = 0;
	struct wm_err e = {0};
	const char *p, *end;
	int64_t t0 = -1;

	if (wm_file_read("/dev/stdin", STDIN_MAX, &buf, &len, &e))
		wm_die(WM_UNKNOWN, "stdin: %s", e.msg);
	p = buf + strspn(buf, " \t\r\n");
	if (!strncmp(p, "{\"v\":", 5) && strstr(p, "\"run_start\"") &&
	    strstr(p, "\"run_start\"") < strchr(p, '\n')) {
		read_journal_text(r, buf, len, "stdin");
		free(buf);
		return;
	}
	for (p = buf; p < buf + len; p = end) {
		cJSON *doc, *item;

		p += strspn(p, " \t\r\n");
		if (p >= buf + len)
			break;
		if (!(doc = cJSON_ParseWithLengthOpts(p, (size_t)(buf + len - p), &end, 0)))
			wm_die(WM_UNKNOWN, "stdin: not JSON at byte %zu", (size_t)(p - buf));
		if (cJSON_IsArray(doc)) {
			cJSON_ArrayForEach(item, doc)
			{
				if (wm_report_add_result(r, item, 0, 0, &e))
					wm_die(WM_UNKNOWN, "stdin: result %zu: %s", n + 1, e.msg);
				n++;
			}
		} else {
			const cJSON *tm = cJSON_GetObjectItemCaseSensitive(doc, "time");
			int64_t at = 3600000, ms;

			/* placed on the plan by their time: the first one's window (an
			 * hour) starts at T+0 */
			if (cJSON_IsString(tm) &&
			    wm_time_parse(tm->valuestring, 0, &ms, NULL) == 0) {
				t0 = t0 < 0 ? ms : t0;
				at = ms - t0 + 3600000;
			}
			if (wm_report_add_result(r, doc, at, 0, &e))
				wm_die(WM_UNKNOWN, "stdin: result %zu: %s", n + 1, e.msg);
			n++;
		}
		cJSON_Delete(doc);
	}
	free(buf);
	if (n == 0)
		wm_die(WM_UNKNOWN, "stdin: no wm-* result");
}

/* Render to stdout or --output (atomically). */
static int
emit(const struct opts *o, const struct wm_report *const *r, const char *const *names, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = o->cli.output ? open_memstream(&text, &len) : stdout;
	struct wm_err e = {0};
	int rc;

	if (!f)
		wm_die(WM_UNKNOWN, "out of memory");
	rc = n == 1 ? wm_report_render(r[0], o->format, f)
		    : wm_report_render_compare(r, names, n, o->format, f);
	if (!o->cli.output) {
		if (rc)
			wm_prog_write_failed(errno);
		return 0;
	}
	if (fclose(f) || rc || wm_file_write_atomic(o->cli.output, text, len, 0644, &e))
		wm_die(WM_UNKNOWN, "%s: %s", o->cli.output, e.msg[0] ? e.msg : "out of memory");
	free(text);
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {0};
	struct wm_report *r[RUNS_MAX];
	struct wm_report_opts ro;
	struct wm_session *s;
	struct wm_err e = {0};
	char dir[4096];
	size_t n;
	int verdict;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	/* The configuration names the approvers, the state directory and the
	 * target whose runs are looked for (nothing is connected). */
	s = wm_prog_session(&o.cli);
	report_opts(&o, wm_session_config(s), &ro);
	if (!o.ndirs && !o.stdin_in) {
		find_run(&o, s, dir, sizeof(dir));
		o.dirs[o.ndirs++] = dir;
	}
	n = o.stdin_in ? 1 : o.ndirs;
	for (size_t i = 0; i < n; i++) {
		if (!(r[i] = wm_report_new(&ro)))
			wm_die(WM_UNKNOWN, "out of memory");
		if (o.stdin_in)
			read_stdin(r[i]);
		else
			read_run(r[i], o.dirs[i], &o.cli);
		if (wm_report_finish(r[i], &e))
			wm_die(WM_UNKNOWN, "%s", e.msg);
	}
	emit(&o, (const struct wm_report *const *)r,
	     o.stdin_in ? (const char *const[]){"stdin"} : o.dirs, n);
	/* Side by side (this deployment, then earlier ones): the first run's verdict. */
	verdict = (int)r[0]->verdict;
	for (size_t i = 0; i < n; i++)
		wm_report_free(r[i]);
	wm_session_close(s);
	return verdict;
}
