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
#include <sys/stat.h>
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
	const char *run_id;	    /* --run */
	double critical_limit;	    /* -1: not given */
	const char *dirs[RUNS_MAX]; /* RUN operands: directories, journal files, "-" */
	size_t ndirs;
};

/* The reports made, side by side, and their names. */
struct runs {
	const struct wm_report_opts *ro;
	struct wm_report *r[RUNS_MAX];
	const char *names[RUNS_MAX];
	char stdin_names[RUNS_MAX][32];
	size_t n;
};

enum { OPT_STDIN = WM_OPT_PROG, OPT_RUN, OPT_CRITICAL_LIMIT };

static void __attribute__((noreturn)) usage(int status)
{
	if (status)
		wm_try_help();
	printf("Usage: %s [OPTION]... [RUN]...\n"
	       "  or:  %s [OPTION]... --stdin [RUN]...\n",
	       wm_prog_name(), wm_prog_name());
	fputs("Report on a 24-hour run: the hourly status log, every success criterion with\n"
	      "its measured value, the incidents, the checklist, the sign-off sheet, and the\n"
	      "go-live verdict.  A RUN is a run directory, a journal file, or - (stdin).\n"
	      "Without RUN, the target's latest run.  Several runs (several RUNs, or several\n"
	      "journals one after another on stdin) are compared side by side, this\n"
	      "deployment first; the exit status is the first one's.\n\n"
	      "Options:\n"
	      "      --run=ID             the target's run ID (its directory's name,\n"
	      "                           YYYYMMDDTHHMMSSZ) instead of the latest\n"
	      "      --stdin              read journals, or wm-* results (-j), from stdin\n"
	      "                           (the first run, before any RUN)\n"
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
	if (o->stdin_in) /* stdin is this deployment: first */
		o->dirs[o->ndirs++] = "-";
	for (; optind < argc; optind++) {
		if (o->ndirs == RUNS_MAX)
			wm_usage_error("at most %d runs side by side", RUNS_MAX);
		if (!strcmp(argv[optind], "-") && o->ndirs && !strcmp(o->dirs[0], "-"))
			wm_usage_error("stdin is read once (--stdin and - are the same)");
		o->dirs[o->ndirs++] = argv[optind];
	}
	if (o->run_id && o->ndirs)
		wm_usage_error("--run excludes RUN and --stdin");
}

/* The configuration's [report] critical_limit and approvers, then
 * --critical-limit. */
static void
report_opts(const struct opts *o, const struct wm_config *cfg, struct wm_report_opts *ro)
{
	struct wm_err e = {0};

	if (wm_report_opts_config(cfg, ro, &e))
		wm_die(WM_UNKNOWN, "%s", e.msg);
	if (o->critical_limit >= 0)
		ro->critical_limit = o->critical_limit;
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

/* A new report named name in runs (name is kept, not copied). */
static struct wm_report *
new_report(struct runs *rs, const char *name)
{
	struct wm_report *r;

	if (rs->n == RUNS_MAX)
		wm_usage_error("at most %d runs side by side", RUNS_MAX);
	if (!(r = wm_report_new(rs->ro)))
		wm_die(WM_UNKNOWN, "out of memory");
	rs->names[rs->n] = name;
	return rs->r[rs->n++] = r;
}

/* Does the line at p (up to end) hold a run_start record: a journal's start. */
static bool
run_start_at(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	cJSON *rec;
	bool yes;

	if (len < 5 || strncmp(p, "{\"v\":", 5) != 0 || !memmem(p, len, "\"run_start\"", 11))
		return false;
	rec = cJSON_ParseWithLength(p, len);
	yes = rec && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(rec, "type")) &&
	      !strcmp(cJSON_GetObjectItemCaseSensitive(rec, "type")->valuestring, "run_start");
	cJSON_Delete(rec);
	return yes;
}

/* stdin's journals one after another (each starts with its run_start
 * record: cat A/journal.jsonl B/journal.jsonl | wm-report --stdin), each a
 * run of its own. */
static void
read_stdin_journals(struct runs *rs, const char *buf, size_t len)
{
	const char *end = buf + len, *p = buf, *q;
	size_t first = rs->n, k = 0;

	while (p < end) {
		for (q = memchr(p, '\n', (size_t)(end - p));
		     q && q + 1 < end && !run_start_at(q + 1, end);
		     q = memchr(q + 1, '\n', (size_t)(end - q - 1)))
			;
		q = q && q + 1 < end ? q + 1 : end;
		snprintf(rs->stdin_names[rs->n], sizeof(rs->stdin_names[0]), "stdin#%zu", ++k);
		read_journal_text(new_report(rs, rs->stdin_names[rs->n]), p, (size_t)(q - p),
				  "stdin");
		p = q;
	}
	if (rs->n == first + 1)
		rs->names[first] = "stdin";
}

/* stdin: journals (the first line a run_start record), or wm-* results
 * one after another (-j documents, ndjson lines, or a JSON array of them). */
static void
read_stdin(struct runs *rs)
{
	char *buf = NULL;
	size_t len = 0, n = 0;
	struct wm_err e = {0};
	const char *p, *end;
	int64_t t0 = -1;
	struct wm_report *r;

	if (wm_file_read("/dev/stdin", STDIN_MAX, &buf, &len, &e))
		wm_die(WM_UNKNOWN, "stdin: %s", e.msg);
	p = buf + strspn(buf, " \t\r\n");
	if (run_start_at(p, buf + len)) {
		read_stdin_journals(rs, p, (size_t)(buf + len - p));
		free(buf);
		return;
	}
	r = new_report(rs, "stdin");
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
					break;
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
			if (wm_report_add_result(r, doc, at, 0, &e) == 0)
				n++;
		}
		cJSON_Delete(doc);
		if (e.code) {
			free(buf);
			wm_die(WM_UNKNOWN, "stdin: result %zu: %s", n + 1, e.msg);
		}
	}
	free(buf);
	if (n == 0)
		wm_die(WM_UNKNOWN, "stdin: no wm-* result");
}

/* RUN: "-", a run directory, or a journal file (with its directory's
 * baseline.json when it is the run's journal.jsonl). */
static void
read_input(struct runs *rs, const char *run, const struct wm_cli *cli)
{
	const char *base = strrchr(run, '/');
	struct stat st;
	char dir[4096], *buf = NULL;
	size_t len = 0;
	struct wm_err e = {0};

	if (!strcmp(run, "-")) {
		read_stdin(rs);
		return;
	}
	base = base ? base + 1 : run;
	if (stat(run, &st) == 0 && S_ISREG(st.st_mode) && !strcmp(base, WM_JOURNAL_FILE) &&
	    (size_t)(base - run) < sizeof(dir)) {
		snprintf(dir, sizeof(dir), "%.*s", base == run ? 1 : (int)(base - run - 1),
			 base == run ? "." : run);
		read_run(new_report(rs, run), dir, cli);
	} else if (stat(run, &st) == 0 && S_ISREG(st.st_mode)) {
		if (wm_file_read(run, WM_JOURNAL_FILE_MAX, &buf, &len, &e))
			wm_die(WM_UNKNOWN, "%s: %s", run, e.msg);
		read_journal_text(new_report(rs, run), buf, len, run);
		free(buf);
	} else {
		read_run(new_report(rs, run), run, cli);
	}
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
	struct runs rs = {0};
	struct wm_report_opts ro;
	struct wm_session *s;
	struct wm_err e = {0};
	char dir[4096];
	int verdict;

	wm_prog_init(argc, argv);
	parse_args(argc, argv, &o);
	/* The configuration names the approvers, the state directory and the
	 * target whose runs are looked for (nothing is connected). */
	s = wm_prog_session(&o.cli);
	report_opts(&o, wm_session_config(s), &ro);
	rs.ro = &ro;
	if (!o.ndirs) {
		find_run(&o, s, dir, sizeof(dir));
		o.dirs[o.ndirs++] = dir;
	}
	for (size_t i = 0; i < o.ndirs; i++)
		read_input(&rs, o.dirs[i], &o.cli);
	for (size_t i = 0; i < rs.n; i++)
		if (wm_report_finish(rs.r[i], &e))
			wm_die(WM_UNKNOWN, "%s", e.msg);
	emit(&o, (const struct wm_report *const *)rs.r, rs.names, rs.n);
	/* Side by side (this deployment, then earlier ones): the first run's verdict. */
	verdict = (int)rs.r[0]->verdict;
	for (size_t i = 0; i < rs.n; i++)
		wm_report_free(rs.r[i]);
	wm_session_close(s);
	return verdict;
}
