/* logcollect.c - one read of each wanted container's logs per check run. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "session/logcollect.h"

/* Unix seconds with milliseconds, as the Engine API takes them. */
static void
api_time(int64_t ms, char *buf, size_t size)
{
	snprintf(buf, size, "%lld.%03lld", (long long)(ms / 1000), (long long)(ms % 1000));
}

/* Is the container's service one we watch?  With no expected list, all are. */
static bool
wanted(const struct wm_logcollect_opts *o, const char *service)
{
	if (o->nexpected == 0)
		return true;
	for (size_t i = 0; i < o->nexpected; i++)
		if (service && strcmp(service, o->expected[i]) == 0)
			return true;
	return false;
}

/* Expected services without any container are reported, not skipped. */
static int
mark_missing(const struct wm_logcollect_opts *o, const struct wm_logcollect_hooks *h,
	     const struct wm_container *cts, size_t n)
{
	for (size_t i = 0; i < o->nexpected; i++) {
		size_t k;

		for (k = 0; k < n; k++)
			if (cts[k].service && strcmp(cts[k].service, o->expected[i]) == 0)
				break;
		if (k == n &&
		    h->problem(h->arg, o->expected[i], "no container for this service") < 0)
			return -1;
	}
	return 0;
}

/* Stream one container's window into ls; a failure marks the service. */
static int
stream_container(struct wm_logstream *ls, struct wm_docker *d, const struct wm_container *ct,
		 const struct wm_logcollect_opts *o, const struct wm_logcollect_hooks *h)
{
	char since[32], until[32];
	struct wm_docker_logs_opts lo = {since, o->until_ms >= 0 ? until : NULL, -1, true, false,
					 -1};
	struct wm_err err = {0};
	const char *svc = ct->service ? ct->service : ct->name;

	api_time(o->since_ms, since, sizeof since);
	api_time(o->until_ms, until, sizeof until);
	if (h->service(h->arg, svc) < 0)
		return -1;
	if (wm_logstream_docker(ls, d, ct->id, svc, &lo, o->stop, &err) < 0)
		return h->problem(h->arg, svc, err.msg);
	return 0;
}

int
wm_logcollect_docker(struct wm_session *s, struct wm_logstream *ls,
		     const struct wm_logcollect_opts *o, const struct wm_logcollect_hooks *h,
		     enum wm_logcollect_stage *stage, struct wm_err *err)
{
	const char *project = wm_session_project(s);
	struct wm_container *cts = NULL;
	struct wm_docker *d;
	size_t n = 0;
	int rc;

	*stage = WM_LOGCOLLECT_TARGET;
	if (wm_session_connect(s, err) < 0)
		return -1;
	*stage = WM_LOGCOLLECT_DOCKER;
	if (!(d = wm_session_docker(s, err)))
		return -1;
	if (wm_docker_list(d, project, &cts, &n) < 0) {
		*err = d->err;
		return -1;
	}
	*stage = WM_LOGCOLLECT_OK;
	rc = mark_missing(o, h, cts, n);
	for (size_t i = 0; rc == 0 && i < n && !(o->stop && *o->stop); i++)
		if (wanted(o, cts[i].service))
			rc = stream_container(ls, d, &cts[i], o, h);
	wm_docker_containers_free(cts, n);
	if (rc < 0)
		wm_err_set(err, WM_ENOMEM, "out of memory");
	return rc;
}
