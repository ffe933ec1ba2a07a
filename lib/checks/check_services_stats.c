/* check_services_stats.c - the services check's --stats: CPU and memory of
 * each running container from its cgroup counters, read on the Docker host
 * by one fixed command over the session (lib/clients/cgroup.h: instant, and
 * nothing for dockerd to compute), CPU % over the window since the previous
 * sample in the state directory (a first one: since the container started).
 * The Engine API's stats call (a one-second snapshot that waits for the
 * engine's collection) only for containers whose files cannot be read; the
 * check's data says which (stats_source) and why (stats_fallback). */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/duration.h"
#include "checks/check_services_int.h"
#include "clients/cgroup.h"
#include "model/threshold.h"
#include "store/sample.h"

/* Stats requests at once: the engine answers each after two of its
 * one-second collection ticks, so all of a deployment's at once take ~2 s.
 * Over ssh each is a channel; sshd's MaxSessions (default 10) counts them
 * only with the dial-stdio fallback (exec sessions): 8 + the main one fit. */
#define STATS_PARALLEL 8
#define CGROUP_OUT_MAX (256 * 1024)

struct stats_job {
	const char *svc;
	const char *socket;
	long timeout_ms;
	int64_t deadline_ms; /* the session's */
	const char *id;
	struct wm_check *check;
	struct wm_cgroup_sample cg;
	bool from_cgroup; /* else the Engine API's stats call */
	char why[320];	  /* why not the cgroup counters */
	struct wm_stats st;
	struct wm_err err;
	int rc;
	pthread_t thread;
	bool started;
};

/* One stats request per thread: the engine takes about a second per
 * container (it waits for two samples), so they run side by side, each with
 * its own client on the same socket (or tunnel). */
static void *
stats_main(void *arg)
{
	struct stats_job *j = arg;
	struct wm_docker *d = wm_docker_new(j->socket, j->timeout_ms);

	if (!d) {
		j->rc = wm_err_set(&j->err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	d->deadline_ms = j->deadline_ms;
	j->rc = wm_docker_stats(d, j->id, &j->st);
	j->err = d->err;
	wm_docker_free(d);
	return NULL;
}

static int
add_metrics(const struct svc_ctx *x, struct wm_check *c, double cpu, double mem_pct, double used,
	    double limit, long pids)
{
	struct wm_metric *m = wm_check_add_metric(c, "cpu", cpu, "%");

	if (!m || svc_thresholds(x, c, m) < 0)
		return -1;
	m = wm_check_add_metric(c, "memory", mem_pct, "%");
	if (!m || svc_thresholds(x, c, m) < 0)
		return -1;
	if (!wm_check_add_metric(c, "memory_used", used, "B") ||
	    !wm_check_add_metric(c, "memory_limit", limit, "B") ||
	    (pids >= 0 && !wm_check_add_metric(c, "pids", (double)pids, "")))
		return -1;
	wm_check_eval(c);
	return 0;
}

static int
stats_metrics(const struct svc_ctx *x, struct stats_job *j)
{
	cJSON *data = wm_check_data(j->check);

	cJSON_AddStringToObject(data, "stats_source", "Engine API stats");
	cJSON_AddStringToObject(data, "stats_fallback", j->why);
	if (j->rc < 0) {
		char *was = strdup(j->check->summary);

		if (!was)
			return -1;
		wm_check_set(j->check, wm_state_worst(j->check->state, WM_UNKNOWN), "%s; stats: %s",
			     was, j->err.msg);
		free(was);
		cJSON_AddStringToObject(data, "stats_error", j->err.msg);
		return 0;
	}
	return add_metrics(x, j->check, j->st.cpu_percent, j->st.mem_percent, j->st.mem_used,
			   j->st.mem_limit, j->st.pids);
}

/* df's part of the command's output into df, as svc_disk_read fills it
 * (nothing when df did not run: svc_disk_read then runs it alone). */
static void
df_part(struct svc_df *df, int exec_rc, const struct wm_err *e, const char *out, int status,
	const char *errline)
{
	const char *part = out ? wm_cgroup_df_part(out, strlen(out)) : NULL;

	if (exec_rc < 0) {
		df->ran = true;
		df->rc = -1;
		df->err = *e;
	} else if (part) {
		df->ran = true;
		df->out = strdup(part);
		df->rc = df->out ? 0 : wm_err_set(&df->err, WM_ENOMEM, "out of memory");
		df->status = status;
		snprintf(df->errline, sizeof(df->errline), "%s", errline);
	}
}

/* The counters of jobs[0..n) (n <= WM_CGROUP_MAX_IDS) in one command, and
 * df's output when df is not NULL. */
static void
cgroup_read(struct svc_ctx *x, struct stats_job *jobs, size_t n, double *mem_total,
	    struct svc_df *df)
{
	const char *ids[WM_CGROUP_MAX_IDS], *argv[WM_CGROUP_MAX_IDS + WM_CGROUP_MAX_PATHS + 6];
	const char *const *paths = NULL;
	struct wm_cgroup_sample cg[WM_CGROUP_MAX_IDS];
	char *out = NULL, errline[256] = "";
	int status = 0, rc = -1, xrc = -1;
	size_t np = 0;
	struct wm_err e = {0};

	if (df)
		paths = svc_disk_paths(x, &np);
	for (size_t i = 0; i < n; i++)
		ids[i] = jobs[i].id;
	if (wm_cgroup_argv(ids, n, paths, np, argv, &e) == 0 &&
	    (xrc = wm_session_exec(x->s, argv, CGROUP_OUT_MAX, &out, &status, errline,
				   sizeof(errline), &e)) == 0)
		rc = wm_cgroup_parse(out ? out : "", out ? strlen(out) : 0, ids, n, cg, mem_total,
				     &e);
	if (df)
		df_part(df, xrc, &e, out, status, errline);
	free(out);
	for (size_t i = 0; i < n; i++) {
		struct stats_job *j = &jobs[i];

		if (rc < 0)
			snprintf(j->why, sizeof(j->why), "cgroup files not read: %.250s",
				 *errline ? errline : e.msg);
		else if (cg[i].version == 0 || cg[i].mem_usage < 0)
			snprintf(j->why, sizeof(j->why),
				 "no cgroup %s of container %.12s under /sys/fs/cgroup",
				 cg[i].version ? "memory counter" : "CPU counter", j->id);
		j->from_cgroup = rc >= 0 && cg[i].version > 0 && cg[i].mem_usage >= 0;
		j->cg = j->from_cgroup ? cg[i] : j->cg;
	}
}

/* CPU % of j from the previous sample of the same container (same id and
 * start), else since the container started.  Records this sample in
 * x->next.  -1 (j->why set) when neither window can be told. */
static int
cpu_window(struct svc_ctx *x, struct stats_job *j, int64_t now_ms, double *pct)
{
	const cJSON *p = x->prev ? cJSON_GetObjectItemCaseSensitive(x->prev, j->svc) : NULL;
	cJSON *next = cJSON_GetObjectItemCaseSensitive(x->next, j->svc);
	const char *started = wm_sample_str(next, "started_at");
	double prev_ns = wm_sample_num(p, "cpu_ns"), prev_at = wm_sample_num(p, "cpu_at_ms");
	char dur[48], words[160];
	double window_s;
	int64_t start_ms;

	if (next) {
		cJSON_AddNumberToObject(next, "cpu_ns", j->cg.cpu_ns);
		cJSON_AddNumberToObject(next, "cpu_at_ms", (double)now_ms);
	}
	*pct = -1;
	if (p && strcmp(wm_sample_str(p, "id"), j->id) == 0 &&
	    strcmp(wm_sample_str(p, "started_at"), started) == 0 && !isnan(prev_ns) &&
	    !isnan(prev_at) &&
	    (*pct = wm_cgroup_cpu_percent(prev_ns, j->cg.cpu_ns, (double)now_ms - prev_at)) >= 0) {
		window_s = ((double)now_ms - prev_at) / 1000.0;
		wm_sample_fmt_duration(window_s, dur, sizeof(dur));
		snprintf(words, sizeof(words), "over the last %s", dur);
	} else if (*started && strncmp(started, "0001-", 5) != 0 &&
		   wm_time_parse(started, now_ms, &start_ms, NULL) == 0 &&
		   (*pct = wm_cgroup_cpu_percent(0, j->cg.cpu_ns, (double)(now_ms - start_ms))) >=
		       0) {
		window_s = (double)(now_ms - start_ms) / 1000.0;
		wm_sample_fmt_duration(window_s, dur, sizeof(dur));
		snprintf(words, sizeof(words), "since the container started %s ago (%s)", dur,
			 p ? "restart or no CPU counter in the previous sample" : "first sample");
	} else {
		snprintf(j->why, sizeof(j->why),
			 "no window for the CPU counter (no previous sample, start time %s)",
			 *started ? started : "unknown");
		return -1;
	}
	cJSON_AddStringToObject(wm_check_data(j->check), "cpu_window", words);
	cJSON_AddNumberToObject(wm_check_data(j->check), "cpu_window_s", window_s);
	return 0;
}

/* The metrics of a job read from the cgroup files; 1 when the stats API
 * must be asked after all (j->why says why). */
static int
cgroup_metrics(struct svc_ctx *x, struct stats_job *j, double mem_total, int64_t now_ms)
{
	double cpu, used = wm_cgroup_mem_used(&j->cg),
		    limit = wm_cgroup_mem_limit(&j->cg, mem_total);
	char src[16];

	if (!(limit > 0)) {
		snprintf(j->why, sizeof(j->why), "no memory limit of container %.12s: %s", j->id,
			 "no cgroup limit and no MemTotal in /proc/meminfo");
		return 1;
	}
	if (cpu_window(x, j, now_ms, &cpu) < 0)
		return 1;
	snprintf(src, sizeof(src), "cgroup v%d", j->cg.version);
	cJSON_AddStringToObject(wm_check_data(j->check), "stats_source", src);
	return add_metrics(x, j->check, cpu, used / limit * 100.0, used, limit, j->cg.pids) < 0 ? -1
												: 0;
}

/* Wait for the started jobs among the first n. */
static void
join_window(struct stats_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (jobs[i].started) {
			pthread_join(jobs[i].thread, NULL);
			jobs[i].started = false;
		}
}

/* The Engine API's stats of the jobs that need it, STATS_PARALLEL at once. */
static void
api_stats(struct stats_job *jobs, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (jobs[i].from_cgroup)
			continue;
		if (k > 0 && k % STATS_PARALLEL == 0)
			join_window(jobs, i);
		jobs[i].started = pthread_create(&jobs[i].thread, NULL, stats_main, &jobs[i]) == 0;
		if (!jobs[i].started)
			stats_main(&jobs[i]);
		k++;
	}
	join_window(jobs, n);
}

struct svc_stats {
	struct stats_job *jobs;
	size_t n;
	double mem_total; /* the host's, bytes; -1 unknown */
	int64_t read_ms;  /* when the counters were read */
};

struct svc_stats *
svc_stats_read(struct svc_ctx *x, struct svc_df *df)
{
	struct svc_stats *st = calloc(1, sizeof(*st));

	if (!st || !(st->jobs = calloc(x->nexpected ? x->nexpected : 1, sizeof(*st->jobs)))) {
		free(st);
		return NULL;
	}
	st->mem_total = -1;
	for (size_t i = 0; i < x->nexpected; i++) {
		const struct wm_container *ct = svc_container(x, x->expected[i]);

		if (!ct || strcmp(ct->state, "running") != 0)
			continue;
		st->jobs[st->n++] = (struct stats_job){.svc = x->expected[i],
						       .socket = wm_session_docker_path(x->s),
						       .timeout_ms = x->d->timeout_ms,
						       .deadline_ms = x->d->deadline_ms,
						       .id = ct->id};
	}
	/* df with the first command (remote --disk), even with no container */
	if (!wm_session_is_remote(x->s))
		df = NULL;
	for (size_t i = 0; i < st->n || (i == 0 && df); i += WM_CGROUP_MAX_IDS)
		cgroup_read(x, st->jobs + i,
			    st->n - i < WM_CGROUP_MAX_IDS ? st->n - i : WM_CGROUP_MAX_IDS,
			    &st->mem_total, i == 0 ? df : NULL);
	st->read_ms = wm_now_ms();
	return st;
}

int
svc_stats_finish(struct svc_ctx *x, struct svc_stats *st, struct wm_result *r)
{
	struct stats_job *jobs = st->jobs;
	size_t n = 0;
	int rc = 0;

	/* the jobs of containers whose service check exists (every one, but
	 * when out of memory) */
	for (size_t i = 0; i < st->n; i++) {
		char name[300];

		snprintf(name, sizeof(name), "services.%s", jobs[i].svc);
		if ((jobs[i].check = wm_result_find_check(r, name)))
			jobs[n++] = jobs[i];
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		int got = jobs[i].from_cgroup
			      ? cgroup_metrics(x, &jobs[i], st->mem_total, st->read_ms)
			      : 1;

		rc = got < 0 ? -1 : 0;
		jobs[i].from_cgroup = got == 0;
		if (got > 0)
			wm_session_log(x->s, WM_LOG_VERBOSE, "stats of %s from the Engine API: %s",
				       jobs[i].svc, jobs[i].why);
	}
	if (rc == 0)
		api_stats(jobs, n);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (!jobs[i].from_cgroup && stats_metrics(x, &jobs[i]) < 0)
			rc = -1;
	svc_stats_free(st);
	return rc;
}

void
svc_stats_free(struct svc_stats *st)
{
	if (st)
		free(st->jobs);
	free(st);
}

/* Without --stats: keep the previous CPU sample of a container that is
 * still the same, so the next --stats run has its window. */
void
svc_carry_cpu(struct svc_ctx *x)
{
	for (cJSON *n = x->next ? x->next->child : NULL; n && x->prev; n = n->next) {
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(x->prev, n->string);
		double ns = wm_sample_num(p, "cpu_ns"), at = wm_sample_num(p, "cpu_at_ms");

		if (p && !isnan(ns) && !isnan(at) &&
		    strcmp(wm_sample_str(p, "id"), wm_sample_str(n, "id")) == 0 &&
		    strcmp(wm_sample_str(p, "started_at"), wm_sample_str(n, "started_at")) == 0) {
			cJSON_AddNumberToObject(n, "cpu_ns", ns);
			cJSON_AddNumberToObject(n, "cpu_at_ms", at);
		}
	}
}
