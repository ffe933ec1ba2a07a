/* logfollow.c - a cursor per container over polls of the Engine API. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session/logfollow.h"

struct seen {
	char id[72];
	int64_t last_ms;
};

struct wm_logfollow {
	int64_t start_ms;
	int64_t last_ms; /* Docker time of the last line of the current container */
	struct seen seen[WM_LOGFOLLOW_MAX_CONTAINERS];
	size_t nseen;
};

struct wm_logfollow *
wm_logfollow_new(int64_t start_ms)
{
	struct wm_logfollow *f = calloc(1, sizeof(*f));

	if (f)
		f->start_ms = start_ms;
	return f;
}

void
wm_logfollow_free(struct wm_logfollow *f)
{
	free(f);
}

static void
on_line(void *ctx, const struct wm_logline *ll)
{
	struct wm_logfollow *f = ctx;

	if (ll->docker_ts_ms > f->last_ms)
		f->last_ms = ll->docker_ts_ms;
}

struct wm_log_analyzer
wm_logfollow_analyzer(struct wm_logfollow *f)
{
	return (struct wm_log_analyzer){on_line, f};
}

/* The last time seen for a container id, remembered across polls. */
static int64_t *
last_of(struct wm_logfollow *f, const char *id)
{
	for (size_t i = 0; i < f->nseen; i++)
		if (strcmp(f->seen[i].id, id) == 0)
			return &f->seen[i].last_ms;
	if (f->nseen >= WM_LOGFOLLOW_MAX_CONTAINERS)
		return NULL;
	snprintf(f->seen[f->nseen].id, sizeof f->seen[f->nseen].id, "%s", id);
	f->seen[f->nseen].last_ms = f->start_ms;
	return &f->seen[f->nseen++].last_ms;
}

int
wm_logfollow_poll(struct wm_logfollow *f, struct wm_session *s, struct wm_logstream *ls,
		  bool (*wanted)(void *arg, const char *service), void *arg,
		  const volatile sig_atomic_t *stop, struct wm_err *err)
{
	struct wm_docker *d = wm_session_docker(s, err);
	struct wm_container *cts = NULL;
	size_t n = 0;
	char since[32];

	if (!d)
		return -1;
	if (wm_docker_list(d, wm_session_project(s), &cts, &n) < 0) {
		*err = d->err;
		return -1;
	}
	for (size_t i = 0; i < n && !(stop && *stop); i++) {
		const char *svc = cts[i].service ? cts[i].service : cts[i].name;
		int64_t *last = last_of(f, cts[i].id);
		struct wm_docker_logs_opts lo = {since, NULL, -1, true, false, -1};
		struct wm_err e = {0};

		if (!last || (wanted && !wanted(arg, svc)))
			continue;
		snprintf(since, sizeof since, "%lld.%03lld", (long long)((*last + 1) / 1000),
			 (long long)((*last + 1) % 1000));
		f->last_ms = *last;
		if (wm_logstream_docker(ls, d, cts[i].id, svc, &lo, stop, &e) < 0)
			wm_session_log(s, WM_LOG_ERROR, "%s", e.msg);
		*last = f->last_ms;
	}
	wm_docker_containers_free(cts, n);
	return 0;
}
