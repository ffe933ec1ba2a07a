/* check_services.c - the services check: the expected set, the project
 * check, and the order of the parts (check_services_svc.c, _extras.c). */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/check_services_int.h"

/* A check that says why the whole collection could not be done. */
static int
fail(struct wm_result *r, const char *name, const char *msg)
{
	struct wm_check *c = wm_result_add_check(r, name);

	if (!c)
		return -1;
	wm_check_set(c, WM_UNKNOWN, "%s", msg);
	wm_result_set_summary(r, "%s", msg);
	return 0;
}

/* The expected set: the config's, else every service seen. */
static int
expected_set(struct svc_ctx *x)
{
	x->declared = x->t->nservices > 0;
	x->expected = calloc(x->declared ? x->t->nservices : x->ncs + 1, sizeof(char *));
	if (!x->expected)
		return -1;
	if (x->declared) {
		for (size_t i = 0; i < x->t->nservices; i++)
			x->expected[x->nexpected++] = x->t->services[i];
		return 0;
	}
	for (size_t i = 0; i < x->ncs; i++) {
		const char *s = x->cs[i].service;
		bool dup = false;

		for (size_t j = 0; s && j < x->nexpected; j++)
			dup |= strcmp(x->expected[j], s) == 0;
		if (s && !dup)
			x->expected[x->nexpected++] = s;
	}
	return 0;
}

static bool
is_expected(const struct svc_ctx *x, const char *svc)
{
	for (size_t i = 0; svc && i < x->nexpected; i++)
		if (strcmp(x->expected[i], svc) == 0)
			return true;
	return false;
}

/* The project check: what was expected, what else runs, and the summary. */
static int
project_check(struct svc_ctx *x, struct wm_result *r, bool waited_ok)
{
	struct wm_check *c = wm_result_add_check(r, "services");
	cJSON *data, *exp, *extra;
	char summary[1024];
	size_t up = 0, len = 0;
	enum wm_state worst = WM_OK; /* the rollup never says OK over a bad service */

	if (!c || !(data = wm_check_data(c)))
		return -1;
	cJSON_AddStringToObject(data, "project", x->project);
	cJSON_AddBoolToObject(data, "expected_declared", x->declared);
	exp = cJSON_AddArrayToObject(data, "expected");
	extra = cJSON_AddArrayToObject(data, "unexpected");
	for (size_t i = 0; i < x->nexpected; i++) {
		char name[300];
		const struct wm_check *sc;

		cJSON_AddItemToArray(exp, cJSON_CreateString(x->expected[i]));
		snprintf(name, sizeof(name), "services.%s", x->expected[i]);
		sc = wm_result_find_check(r, name);
		up += sc && sc->state == WM_OK;
		worst = wm_state_worst(worst, sc ? sc->state : WM_UNKNOWN);
	}
	for (size_t i = 0; i < x->ncs; i++)
		if (!is_expected(x, x->cs[i].service))
			cJSON_AddItemToArray(extra, cJSON_CreateString(x->cs[i].name));
	len = (size_t)snprintf(summary, sizeof(summary), "%zu/%zu services OK (project %s%s)", up,
			       x->nexpected, x->project,
			       x->declared ? "" : ", expected set undeclared: every service seen");
	if (cJSON_GetArraySize(extra) > 0 && len < sizeof(summary))
		len += (size_t)snprintf(summary + len, sizeof(summary) - len,
					"; %d unexpected container(s)", cJSON_GetArraySize(extra));
	if (x->o->wait && len < sizeof(summary))
		snprintf(summary + len, sizeof(summary) - len, "%s",
			 waited_ok ? "; all up after --wait" : "; --wait timed out");
	wm_check_set(c, x->o->wait && !waited_ok ? WM_CRITICAL : worst, "%s", summary);
	return 0;
}

struct inspect_job {
	struct svc_ctx *x;
	struct wm_result *r;
	int rc;
};

static void *
inspect_main(void *arg)
{
	struct inspect_job *j = arg;

	j->rc = svc_collect_services(j->x, j->r);
	return NULL;
}

/* The service checks (one inspect per container, over the Docker socket or
 * its tunnel) are made in a thread while this one reads the cgroup counters
 * and runs df, in one command on the target: over ssh an exec channel is a
 * session on the host (~0.4 s on the test world), so one for both, and the
 * inspects do not wait for it, nor it for them.  Only this thread uses
 * the session; the other uses the Docker client and adds to r. */
static int
collect_parts(struct svc_ctx *x, struct wm_result *r)
{
	struct inspect_job ij = {x, r, 0};
	struct svc_stats *st = NULL;
	struct svc_df df = {0};
	pthread_t th;
	bool threaded =
	    (x->o->stats || x->o->disk) && pthread_create(&th, NULL, inspect_main, &ij) == 0;
	int rc;

	if (!threaded)
		ij.rc = svc_collect_services(x, r);
	if (x->o->stats) /* and df in the same command */
		st = svc_stats_read(x, x->o->disk ? &df : NULL);
	if (x->o->disk && !df.ran)
		svc_disk_read(x, &df);
	if (threaded)
		pthread_join(th, NULL);
	rc = ij.rc;
	if (rc == 0 && x->o->stats)
		rc = st ? svc_stats_finish(x, st, r) : -1;
	else if (x->o->stats)
		svc_stats_free(st);
	else if (rc == 0)
		svc_carry_cpu(x);
	if (rc == 0 && x->o->disk)
		rc = svc_collect_disk(x, &df, r);
	free(df.out);
	return rc;
}

static int
collect_all(struct svc_ctx *x, struct wm_result *r)
{
	bool waited_ok = true;
	int rc;

	if (wm_docker_list(x->d, x->project, &x->cs, &x->ncs) < 0)
		return fail(r, "services", x->d->err.msg);
	wm_session_log(x->s, WM_LOG_VERBOSE, "docker API %s; %zu container%s of project %s",
		       x->d->api, x->ncs, x->ncs == 1 ? "" : "s", x->project);
	if (expected_set(x) < 0)
		return -1;
	if (x->o->wait)
		waited_ok = svc_wait(x);
	x->prev = wm_session_sample_load(x->s, "services");
	x->next = cJSON_CreateObject();
	if (!x->next)
		return -1;
	rc = collect_parts(x, r);
	if (rc == 0)
		rc = project_check(x, r, waited_ok);
	wm_session_sample_save(x->s, "services", x->next);
	return rc;
}

/* -v: the docker socket, and for a remote target the ssh host and tunnel. */
static void
say_where(struct wm_session *s, const struct wm_target *t)
{
	char port[16] = "";

	if (!wm_session_is_remote(s)) {
		wm_session_log(s, WM_LOG_VERBOSE, "docker socket %s (local)",
			       wm_session_docker_path(s));
		return;
	}
	if (t->port) /* else ssh's default or ~/.ssh/config's */
		snprintf(port, sizeof(port), " port %d", t->port);
	wm_session_log(s, WM_LOG_VERBOSE, "ssh %s%s%s%s: docker socket %s through the tunnel %s",
		       t->user ? t->user : "", t->user ? "@" : "", t->host, port, t->docker_socket,
		       wm_session_docker_path(s));
}

int
wm_services_run(struct wm_session *s, const struct wm_services_check_opts *o, struct wm_result *r)
{
	struct svc_ctx x = {.o = o,
			    .s = s,
			    .cfg = wm_session_config(s),
			    .t = wm_session_target(s),
			    .project = wm_session_project(s)};
	struct wm_err err = {0};
	int rc;

	if (wm_result_set_project(r, x.project) < 0)
		return -1;
	if (!x.project) {
		rc = fail(r, "services", "cannot tell the compose project (set project=)");
	} else if (!(x.d = wm_session_docker(s, &err))) {
		rc = fail(r, "services", err.msg);
	} else {
		say_where(s, x.t);
		rc = collect_all(&x, r);
	}
	cJSON_Delete(x.prev);
	cJSON_Delete(x.next);
	free(x.expected);
	wm_docker_containers_free(x.cs, x.ncs);
	return rc;
}
