/* check_services_int.h - the services check's parts (private to
 * lib/check_services*.c): the per-service checks, stats, disk, wait. */
#ifndef WM_CHECK_SERVICES_INT_H
#define WM_CHECK_SERVICES_INT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "checks/checks.h"
#include "conf/conf.h"
#include "clients/docker.h"
#include "model/result.h"
#include "session/session.h"

/* Everything one run works with; filled by wm_services_run. */
struct svc_ctx {
	const struct wm_services_check_opts *o;
	const struct wm_config *cfg;
	const struct wm_target *t;
	struct wm_session *s;
	struct wm_docker *d;
	const char *project;
	struct wm_container *cs; /* containers of the project */
	size_t ncs;
	const char **expected; /* expected services (declared or seen) */
	size_t nexpected;
	bool declared; /* the config names the expected set */
	cJSON *prev;   /* previous run's samples, or NULL */
	cJSON *next;   /* this run's samples */
};

/* Set m's (of check chk) thresholds as the run resolves them (-w/-c,
 * services.METRIC[.SERVICE] keys), else the runbook's default (the table
 * of lib/checks/checks.c). */
int svc_thresholds(const struct svc_ctx *x, const struct wm_check *chk, struct wm_metric *m);
/* The container of service svc (a running one first), or NULL. */
const struct wm_container *svc_container(const struct svc_ctx *x, const char *svc);

/* One check "services.NAME" per expected service.  Returns -1 on ENOMEM. */
int svc_collect_services(struct svc_ctx *x, struct wm_result *r);
/* Restarts since the previous run, from the counter and StartedAt changes;
 * records this run's sample in x->next.  -1 when there is no previous sample. */
long svc_restarts_since(struct svc_ctx *x, const char *svc, const char *id,
			const struct wm_inspect *in);
struct svc_df;
/* --stats, first half: the cgroup counters of the running containers, read
 * in one command over the session (no result needed, so the services can be
 * inspected meanwhile); with df (--disk on a remote target), df runs in the
 * same command and df is filled as svc_disk_read would.  NULL when out of
 * memory. */
struct svc_stats *svc_stats_read(struct svc_ctx *x, struct svc_df *df);
/* Second half: CPU and memory metrics on the service checks (the Engine
 * API's stats call for the containers whose counters could not be read).
 * Frees st. */
int svc_stats_finish(struct svc_ctx *x, struct svc_stats *st, struct wm_result *r);
void svc_stats_free(struct svc_stats *st);
/* Without --stats: carry the previous sample's CPU counter of containers
 * that are still the same into x->next. */
void svc_carry_cpu(struct svc_ctx *x);
/* --disk on a remote target, first half: `df -P PATH...` over the session
 * (nothing locally); second half: one check "disk:PATH" per file system. */
struct svc_df {
	bool ran;
	char *out;
	int status;
	char errline[256];
	struct wm_err err;
	int rc;
};
void svc_disk_read(struct svc_ctx *x, struct svc_df *df);
/* The paths --disk looks at: the target's disk_paths, else "/" (*np of them). */
const char *const *svc_disk_paths(const struct svc_ctx *x, size_t *np);
int svc_collect_disk(struct svc_ctx *x, struct svc_df *df, struct wm_result *r);
/* --wait: poll until every expected service runs and is healthy, or the
 * wait times out.  Returns true when ready. */
bool svc_wait(struct svc_ctx *x);

#endif
