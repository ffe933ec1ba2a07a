/* inprocess.c - the in-process proof of the check units (issue 9): every
 * check of the table (lib/checks/checks.h) run in one process over ONE session,
 * as wm-run will, each result written as the program would print it with
 * -j, so inprocess.test can compare them with the programs run one by one.
 *
 *   inprocess [--config FILE] [-t TARGET] [--timeout SECONDS] [--since WHEN]
 *             [--until WHEN] DIR [NAME...]
 *
 * (--since and --until: the errors check's window, as wm-errors takes them)
 * writes DIR/wm-NAME.json for each check NAME (default: all of the table).
 * Each check run gets its own deadline from --timeout, as a program's does;
 * the configuration's warnings and the units' -v messages go to stderr.
 * Exit 0 when every check ran (whatever its state), 3 otherwise.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "base/duration.h"
#include "render/render.h"
#include "model/result.h"
#include "session/session.h"

static void
say(void *arg, enum wm_log_level level, const char *msg)
{
	(void)arg;
	fprintf(stderr, "inprocess: %s%s\n", level == WM_LOG_WARNING ? "warning: " : "", msg);
}

/* --since and --until for the errors check, as wm-errors takes them. */
static const char *since, *until;

/* Each unit's options as its program's defaults (no option given). */
static const void *
default_opts(const char *name)
{
	static const struct wm_services_check_opts services;
	static const struct wm_cache_check_opts cache;
	static const struct wm_db_check_opts db;
	static struct wm_errors_check_opts errors;

	if (strcmp(name, "errors") == 0) {
		struct wm_err err = {0};
		int which;

		wm_errors_check_defaults(&errors, wm_now_ms());
		if (wm_errors_check_window(&errors, since, until, false, wm_now_ms(), &which,
					   &err) < 0) {
			fprintf(stderr, "inprocess: the window: %s\n", err.msg);
			exit(3);
		}
		return &errors;
	}
	if (strcmp(name, "services") == 0)
		return &services;
	if (strcmp(name, "cache") == 0)
		return &cache;
	if (strcmp(name, "db") == 0)
		return &db;
	return NULL;
}

/* Run one check of the table into DIR/wm-NAME.json. */
static int
run_one(struct wm_session *s, const struct wm_check_def *def, const char *dir)
{
	struct wm_err err = {0};
	char tool[64], path[4096];
	struct wm_result *r;
	int rc = -1;

	snprintf(tool, sizeof(tool), "wm-%s", def->name);
	snprintf(path, sizeof(path), "%s/%s.json", dir, tool);
	r = wm_result_new(tool, PACKAGE_VERSION, wm_session_target_name(s));
	if (!r)
		return -1;
	wm_session_start(s, 0);
	if (wm_check_run(def, s, default_opts(def->name), NULL, r, &err) < 0) {
		fprintf(stderr, "inprocess: %s: %s\n", def->name, err.msg);
		goto out_free;
	}
	wm_result_finish(r);
	if (wm_render_file(r, WM_FORMAT_JSON, 0, path, &err) < 0) {
		fprintf(stderr, "inprocess: %s: %s\n", path, err.msg);
		goto out_free;
	}
	rc = 0;
out_free:
	wm_result_free(r);
	return rc;
}

int
main(int argc, char **argv)
{
	struct wm_session_opts so = {.log = say, .verbose = WM_LOG_VERBOSE};
	struct wm_session *s;
	struct wm_err err = {0};
	size_t n, ran = 0;
	const struct wm_check_def *defs = wm_checks(&n);
	int i = 1, rc = 0;

	for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
		if (strcmp(argv[i], "--config") == 0)
			so.config = argv[i + 1];
		else if (strcmp(argv[i], "-t") == 0)
			so.target = argv[i + 1];
		else if (strcmp(argv[i], "--since") == 0)
			since = argv[i + 1];
		else if (strcmp(argv[i], "--until") == 0)
			until = argv[i + 1];
		else if (strcmp(argv[i], "--timeout") == 0)
			so.timeout_ms = (int64_t)(strtod(argv[i + 1], NULL) * 1000);
		else
			break;
	}
	if (i >= argc) {
		fprintf(stderr,
			"usage: inprocess [--config FILE] [-t TARGET] [--timeout S] [--since W] "
			"[--until W] DIR [NAME...]\n");
		return 3;
	}
	s = wm_session_open(&so, &err);
	if (!s) {
		fprintf(stderr, "inprocess: %s\n", err.msg);
		return 3;
	}
	for (size_t k = 0; k < n; k++) {
		bool wanted = i + 1 >= argc;

		for (int a = i + 1; a < argc; a++)
			wanted |= strcmp(argv[a], defs[k].name) == 0;
		if (!wanted)
			continue;
		ran++;
		if (run_one(s, &defs[k], argv[i]) < 0)
			rc = 3;
	}
	wm_session_close(s);
	if (ran == 0) {
		fprintf(stderr, "inprocess: no such check\n");
		rc = 3;
	}
	return rc;
}
