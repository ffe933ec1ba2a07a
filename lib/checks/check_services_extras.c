/* check_services_extras.c - the services check's --disk and --wait. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/disk.h"
#include "base/duration.h"
#include "checks/check_services_int.h"
#include "model/threshold.h"

#define MAX_DISKS 32

static int
disk_check(struct svc_ctx *x, struct wm_result *r, const struct wm_disk *dk)
{
	char name[300];
	struct wm_check *c;
	struct wm_metric *m;
	cJSON *data;

	snprintf(name, sizeof(name), "disk:%s", dk->path);
	if (!(c = wm_result_add_check(r, name)) || !(data = wm_check_data(c)))
		return -1;
	if (dk->avail >= 1073741824.0)
		wm_check_set(c, WM_OK, "%s: %.1f%% used, %.1f GiB free", dk->path, dk->used_pct,
			     dk->avail / 1073741824.0);
	else
		wm_check_set(c, WM_OK, "%s: %.1f%% used, %.1f MiB free", dk->path, dk->used_pct,
			     dk->avail / 1048576.0);
	cJSON_AddStringToObject(data, "path", dk->path);
	if (*dk->fs)
		cJSON_AddStringToObject(data, "filesystem", dk->fs);
	m = wm_check_add_metric(c, "disk", dk->used_pct, "%");
	if (!m || svc_thresholds(x, c, m) < 0)
		return -1;
	m->min = 0;
	m->max = 100;
	if (!wm_check_add_metric(c, "disk_free", dk->avail, "B") ||
	    !wm_check_add_metric(c, "disk_size", dk->size, "B"))
		return -1;
	return 0;
}

static int
disk_unknown(struct wm_result *r, const char *what, const char *msg)
{
	char name[300];
	struct wm_check *c;

	snprintf(name, sizeof(name), "disk:%s", what);
	if (!(c = wm_result_add_check(r, name)))
		return -1;
	wm_check_set(c, WM_UNKNOWN, "%s: %s", what, msg);
	return 0;
}

const char *const *
svc_disk_paths(const struct svc_ctx *x, size_t *np)
{
	static const char *const root[] = {"/"};

	*np = x->t->ndisk_paths ? x->t->ndisk_paths : 1;
	if (*np > MAX_DISKS)
		*np = MAX_DISKS;
	return x->t->ndisk_paths ? (const char *const *)x->t->disk_paths : root;
}

void
svc_disk_read(struct svc_ctx *x, struct svc_df *df)
{
	const char *argv[MAX_DISKS + 3] = {"df", "-P"};
	size_t np;
	const char *const *paths = svc_disk_paths(x, &np);

	if (!wm_session_is_remote(x->s))
		return;
	for (size_t i = 0; i < np; i++)
		argv[2 + i] = paths[i];
	df->ran = true;
	df->rc = wm_session_exec(x->s, argv, 64 * 1024, &df->out, &df->status, df->errline,
				 sizeof(df->errline), &df->err);
}

/* Remote: the output of `df -P PATH...` run by svc_disk_read. */
static int
disk_remote(struct svc_ctx *x, struct wm_result *r, struct svc_df *df)
{
	struct wm_disk dk[MAX_DISKS];
	struct wm_err e = {0};
	int n;

	if (df->rc < 0)
		return disk_unknown(r, "df", df->err.msg);
	n = wm_disk_parse_df(df->out, dk, MAX_DISKS, &e);
	if (n < 0)
		return disk_unknown(r, "df", *df->errline ? df->errline : e.msg);
	for (int i = 0; i < n; i++)
		if (disk_check(x, r, &dk[i]) < 0)
			return -1;
	/* df names each path it could not stat on stderr and exits 1 */
	if (df->status != 0 &&
	    disk_unknown(r, "df", *df->errline ? df->errline : "df -P failed") < 0)
		return -1;
	return 0;
}

int
svc_collect_disk(struct svc_ctx *x, struct svc_df *df, struct wm_result *r)
{
	size_t np;
	const char *const *paths = svc_disk_paths(x, &np);
	struct wm_disk dk;
	struct wm_err e = {0};

	if (df->ran)
		return disk_remote(x, r, df);
	for (size_t i = 0; i < np; i++) {
		int rc = wm_disk_stat(paths[i], &dk, &e) < 0 ? disk_unknown(r, paths[i], e.msg)
							     : disk_check(x, r, &dk);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Every expected service has a running container, healthy or without a healthcheck. */
static bool
all_ready(struct svc_ctx *x)
{
	for (size_t i = 0; i < x->nexpected; i++) {
		const struct wm_container *ct = svc_container(x, x->expected[i]);
		struct wm_inspect in;
		bool ok;

		if (!ct || strcmp(ct->state, "running") != 0 ||
		    wm_docker_inspect(x->d, ct->id, &in) < 0)
			return false;
		ok = in.running && !in.restarting &&
		     (!in.health || strcmp(in.health, "healthy") == 0);
		wm_docker_inspect_clear(&in);
		if (!ok)
			return false;
	}
	return true;
}

bool
svc_wait(struct svc_ctx *x)
{
	int64_t deadline = wm_monotonic_ms() + x->o->wait_ms;

	for (;;) {
		if (all_ready(x))
			return true;
		if (wm_monotonic_ms() >= deadline)
			return false;
		poll(NULL, 0, 1000);
		wm_docker_containers_free(x->cs, x->ncs);
		x->cs = NULL;
		x->ncs = 0;
		if (wm_docker_list(x->d, x->project, &x->cs, &x->ncs) < 0)
			return false;
	}
}
