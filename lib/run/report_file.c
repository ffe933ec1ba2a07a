/* report_file.c - a run directory into a report, and a report into a file:
 * what wm-report does for one run, and what wm-run calls to write the
 * report at T+24 and refresh the HTML after each tick. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "conf/conf.h"
#include "conf/conf_sections.h"
#include "run/report.h"
#include "store/journal.h"

/* Is p the runbook's plan (a configuration without [tier] changes)? */
static bool
same_plan(const struct wm_schedule *p)
{
	struct wm_schedule *d = malloc(sizeof(*d));
	bool same = d != NULL;

	if (d)
		wm_schedule_default(d);
	for (size_t i = 0; same && i < p->n_tiers; i++) {
		const struct wm_schedule_tier *a = &p->tier[i], *b = &d->tier[i];

		same = i < d->n_tiers && !strcmp(a->name, b->name) && a->checks == b->checks &&
		       a->window_ms == b->window_ms && a->grace_ms == b->grace_ms &&
		       a->n_at == b->n_at && !memcmp(a->at, b->at, a->n_at * sizeof(a->at[0]));
	}
	same = same && p->n_tiers == d->n_tiers;
	free(d);
	return same;
}

int
wm_report_opts_config(const struct wm_config *cfg, struct wm_report_opts *o, struct wm_err *err)
{
	struct wm_approver *a = NULL;
	size_t n = 0;
	int64_t ms;

	wm_report_opts_default(o);
	/* [report]: values checked when the file was loaded (FILE:LINE) */
	wm_config_number(cfg, "report", "critical_limit", &o->critical_limit);
	wm_config_number(cfg, "report", "coverage_min", &o->cover_min);
	if (cfg && wm_config_duration(cfg, "report", "observation_window", &ms) == 0 && ms > 0)
		o->cover_gap_ms = ms;
	/* the plan a journal without its own was run on, as far as the
	 * configuration still tells it */
	if (cfg && wm_config_path(cfg)) {
		if (wm_config_plan(cfg, &o->plan, err) != 0)
			return -1;
		o->plan_from = same_plan(&o->plan) ? WM_REPORT_PLAN_DEFAULT : WM_REPORT_PLAN_CONFIG;
		o->plan_ms = wm_schedule_end(&o->plan);
		snprintf(o->plan_file, sizeof(o->plan_file), "%s", wm_config_path(cfg));
	}
	if (!cfg || wm_config_approvers(cfg, &a, &n, NULL) != 0 || n == 0)
		return 0;
	o->n_approvers = 0;
	for (size_t i = 0; i < n && i < WM_REPORT_APPROVERS_MAX; i++) {
		struct wm_report_approver *x = &o->approvers[o->n_approvers++];

		snprintf(x->name, sizeof(x->name), "%s", a[i].name);
		snprintf(x->title, sizeof(x->title), "%s", a[i].title ? a[i].title : a[i].name);
		x->required = a[i].required;
	}
	wm_approvers_free(a, n);
	return 0;
}

int
wm_report_read_run(struct wm_report *r, const char *dir, struct wm_err *err)
{
	char path[4096], *buf = NULL;
	size_t len = 0;
	cJSON *base;
	int rc;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_FILE) >= sizeof(path))
		return wm_err_set(err, WM_EINVAL, "run directory name too long");
	if (wm_file_read(path, WM_JOURNAL_FILE_MAX, &buf, &len, err))
		return -1;
	rc = wm_report_read_journal(r, buf, len, err);
	free(buf);
	if (rc)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, WM_JOURNAL_BASELINE);
	if (wm_file_read(path, 1u << 20, &buf, &len, NULL) != 0)
		return 0; /* no baseline (yet): the report says so */
	base = cJSON_ParseWithLength(buf, len);
	free(buf);
	r->baseline_bad = !base;
	rc = base ? wm_report_set_baseline(r, base, err) : 0;
	cJSON_Delete(base);
	return rc;
}

int
wm_report_write_run(const char *dir, const struct wm_report_opts *o, enum wm_report_format f,
		    const char *path, struct wm_err *err)
{
	struct wm_report *r = wm_report_new(o);
	char *text = NULL;
	size_t len = 0;
	FILE *mem;
	int rc = -1;

	if (!r)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	if (wm_report_read_run(r, dir, err) || wm_report_finish(r, err))
		goto out_free;
	if (!(mem = open_memstream(&text, &len))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_free;
	}
	rc = wm_report_render(r, f, mem);
	if (fclose(mem) || rc) {
		rc = wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_free;
	}
	rc = wm_file_write_atomic(path, text, len, 0644, err);
out_free:
	free(text);
	wm_report_free(r);
	return rc;
}

int
wm_report_write_files(const char *dir, const struct wm_config *cfg, struct wm_err *err)
{
	static const struct {
		enum wm_report_format f;
		const char *name;
	} out[] = {{WM_REPORT_HTML, "report.html"}, {WM_REPORT_TEXT, "report.txt"}};
	struct wm_report_opts ro;
	struct wm_err e = {0};
	char path[4200];
	int rc = 0;

	if (wm_report_opts_config(cfg, &ro, err) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, out[i].name) >= sizeof(path))
			return wm_err_set(err, WM_EINVAL, "run directory name too long");
		if (wm_report_write_run(dir, &ro, out[i].f, path, &e) != 0 && rc == 0)
			rc = wm_err_set(err, e.code, "%s not written: %s", path, e.msg);
	}
	return rc;
}
