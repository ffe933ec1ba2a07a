/* rundir.c - the run directory of a target, the session, and the run_start. */
#include "config.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "base/file.h"
#include "common/prog.h"
#include "conf/conf_sections.h"
#include "session/session.h"
#include "store/journal_plan.h"
#include "wm-run.h"

int64_t
run_start_time(const struct run_opts *o)
{
	struct wm_err e = {0};
	int64_t now = wm_now_ms(), ms;

	if (!o->at)
		return now;
	if (wm_time_parse(o->at, now, &ms, &e) != 0)
		wm_usage_error("--at: %s", e.msg);
	return ms;
}

/* The session's log hook: "wm-run: [warning: ]msg" on stderr. */
static void
session_log(void *arg, enum wm_log_level level, const char *msg)
{
	(void)arg;
	status_say("%s%s", level == WM_LOG_WARNING ? "warning: " : "", msg);
}

struct wm_session *
run_session(const struct run_opts *o, void (*tunnel_fn)(void *arg, const char *dir), void *arg,
	    struct wm_err *err)
{
	struct wm_session_opts so = {
	    .config = o->cli.config,
	    .target = o->cli.target,
	    .host = o->cli.host,
	    .timeout_ms = o->cli.timeout_set ? (int64_t)(o->cli.timeout * 1000) : 0,
	    .log = session_log,
	    .log_arg = arg,
	    .verbose = o->cli.verbose,
	    .tunnel_dir = tunnel_fn,
	};

	return wm_session_open(&so, err);
}

/* FNV-1a 64 of the configuration file: the run_start's digest, so a later
 * reader sees when the configuration changed under a run. */
void
run_digest(const struct wm_session *s, char *buf, size_t len)
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

/* Does the run in dir have its run_end?  (An unreadable journal is left to
 * the opener to report.) */
static bool
run_ended(const char *dir)
{
	struct wm_journal_state st;
	bool ended = wm_journal_read(dir, &st, NULL, NULL, NULL) == 0 && st.ended;

	wm_journal_state_free(&st);
	return ended;
}

void
run_find(struct wm_session *s, const struct run_opts *o, int64_t start, bool new_if_ended,
	 char *dir, size_t len)
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
		if (!new_if_ended || !run_ended(dir))
			return;
	}
	if (wm_journal_run_dir(state, wm_session_target_name(s), start, dir, len, &e))
		wm_die(WM_UNKNOWN, "%s", e.msg);
}

int
run_begin(struct wm_journal *j, struct wm_session *s, const struct run_opts *o,
	  const struct wm_schedule *plan, struct wm_clock *clk, struct wm_err *err)
{
	const struct wm_journal_state *st = wm_journal_state_of(j);
	char digest[WM_JOURNAL_DIGEST_MAX];
	int64_t start = run_start_time(o);
	cJSON *f;
	int rc;

	if (st->started) {
		if (o->at || o->scale_set)
			status_say("resuming the run started at T+0 = %" PRId64
				   " ms (scale %" PRId64 "): --at and --time-scale apply to "
				   "a new run only",
				   st->start_wall_ms, st->scale);
		return wm_clock_set(clk, st->scale, st->start_wall_ms, err);
	}
	run_digest(s, digest, sizeof(digest));
	if (wm_clock_set(clk, o->scale, start, err) != 0)
		return -1;
	f = cJSON_CreateObject();
	if (!f || !cJSON_AddNumberToObject(f, "start_wall_ms", (double)start) ||
	    !cJSON_AddNumberToObject(f, "scale", (double)o->scale) ||
	    !cJSON_AddStringToObject(f, "digest", digest) ||
	    !cJSON_AddStringToObject(f, "target", wm_session_target_name(s)) ||
	    !cJSON_AddItemToObject(f, "plan", wm_journal_plan_json(plan))) {
		cJSON_Delete(f);
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	rc = wm_journal_append(j, "run_start", f, err);
	cJSON_Delete(f);
	return rc;
}

int
run_plan_of(const struct wm_config *cfg, struct wm_schedule *plan, struct wm_err *err)
{
	if (wm_config_plan(cfg, plan, err) == 0)
		return 0;
	wm_err_prefix(err, "the plan");
	return -1;
}

void
run_plan(const struct wm_config *cfg, struct wm_schedule *plan)
{
	struct wm_err e = {0};

	if (run_plan_of(cfg, plan, &e) != 0)
		wm_die(WM_UNKNOWN, "%s", e.msg);
}

bool
run_approver_known(const struct wm_config *cfg, const char *role, struct wm_err *err)
{
	struct wm_approver *a = NULL;
	size_t n = 0;
	bool ok = false;

	if (!cfg || wm_config_approvers(cfg, &a, &n, err) != 0)
		return !cfg;
	ok = n == 0;
	for (size_t i = 0; i < n && !ok; i++)
		ok = !strcmp(a[i].name, role);
	if (!ok) {
		char known[256] = "";

		for (size_t i = 0; i < n; i++)
			snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
				 i ? ", " : "", a[i].name);
		wm_err_set(err, WM_ENOTFOUND, "no [approver %s] section (known: %s)", role, known);
	}
	wm_approvers_free(a, n);
	return ok;
}
