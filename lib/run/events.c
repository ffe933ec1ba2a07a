/* events.c - the /events thread (see events.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/events.h"

struct wm_events {
	pthread_t thread;
	bool started;
	atomic_bool stop;
	int wake[2];   /* driver -> thread: stop, or a new path */
	int notify[2]; /* thread -> driver: something pending */
	pthread_mutex_t lock;
	char path[256];
	char project[208];
	struct wm_docker_event *q; /* ring of WM_EVENTS_QUEUE_MAX */
	size_t head, n;
	bool signalled;
	struct wm_events_status st;
	/* the last delivered event, to drop its repeat after a resubscription */
	int64_t last_ns;
	char last_id[72], last_action[24];
	bool path_changed;
	int64_t backoff_min, backoff_max;
};

int64_t
wm_events_backoff_max(int64_t interval_ms)
{
	int64_t half = interval_ms / 2;

	return half < 250 ? 250 : half > WM_EVENTS_BACKOFF_MAX_MS ? WM_EVENTS_BACKOFF_MAX_MS : half;
}

/* Make the driver's descriptor readable (once until drained); lock held. */
static void
signal_driver(struct wm_events *ev)
{
	if (!ev->signalled) {
		ssize_t w = write(ev->notify[1], "!", 1);

		ev->signalled = w == 1;
	}
}

static int
on_event(void *arg, const struct wm_docker_event *e)
{
	struct wm_events *ev = arg;

	pthread_mutex_lock(&ev->lock);
	ev->st.connected = true;
	if (e->time_ns < ev->last_ns || (e->time_ns == ev->last_ns && !strcmp(e->id, ev->last_id) &&
					 !strcmp(e->action, ev->last_action))) {
		pthread_mutex_unlock(&ev->lock);
		return 0; /* replayed by since= after a reconnect */
	}
	ev->last_ns = e->time_ns;
	snprintf(ev->last_id, sizeof(ev->last_id), "%s", e->id);
	snprintf(ev->last_action, sizeof(ev->last_action), "%s", e->action);
	ev->st.since_ns = e->time_ns;
	if (ev->n == WM_EVENTS_QUEUE_MAX) {
		ev->head = (ev->head + 1) % WM_EVENTS_QUEUE_MAX;
		ev->n--;
		ev->st.dropped++;
	}
	ev->q[(ev->head + ev->n) % WM_EVENTS_QUEUE_MAX] = *e;
	ev->n++;
	signal_driver(ev);
	pthread_mutex_unlock(&ev->lock);
	return 0;
}

/* Empty the wake pipe; true when a stop was asked. */
static bool
drain_wake(struct wm_events *ev)
{
	char buf[64];

	while (read(ev->wake[0], buf, sizeof(buf)) > 0)
		;
	return atomic_load(&ev->stop);
}

static void *
run(void *arg)
{
	struct wm_events *ev = arg;
	int64_t backoff = ev->backoff_min;
	bool first = true;

	while (!atomic_load(&ev->stop)) {
		struct wm_docker_events_opts o = {.stop_fd = ev->wake[0],
						  .connect_timeout_ms = 10000};
		struct wm_err err = {0};
		char path[256];
		int rc;

		pthread_mutex_lock(&ev->lock);
		snprintf(path, sizeof(path), "%s", ev->path);
		o.since_ns = ev->st.since_ns;
		ev->path_changed = false;
		if (!first)
			ev->st.reconnects++;
		pthread_mutex_unlock(&ev->lock);
		first = false;
		o.socket_path = path;
		o.project = ev->project;
		rc = wm_docker_events_stream(&o, on_event, ev, &err);
		if (rc == 0) { /* woken: stop, or a new path */
			if (drain_wake(ev))
				break;
			backoff = ev->backoff_min;
			continue;
		}
		pthread_mutex_lock(&ev->lock);
		if (ev->st.connected)
			backoff = ev->backoff_min;
		ev->st.connected = false;
		snprintf(ev->st.error, sizeof(ev->st.error), "%s", err.msg);
		signal_driver(ev);
		pthread_mutex_unlock(&ev->lock);
		/* Wait the backoff, unless woken (stop, or a new path). */
		{
			struct pollfd p = {.fd = ev->wake[0], .events = POLLIN};

			if (poll(&p, 1, (int)backoff) > 0 && drain_wake(ev))
				break;
		}
		backoff = backoff * 2 > ev->backoff_max ? ev->backoff_max : backoff * 2;
	}
	return NULL;
}

static int
nonblocking_pipe(int fds[2])
{
	if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) < 0) {
		fds[0] = fds[1] = -1;
		return -1;
	}
	return 0;
}

struct wm_events *
wm_events_start(const char *socket_path, const char *project, const struct wm_events_opts *o,
		struct wm_err *err)
{
	struct wm_events *ev = calloc(1, sizeof(*ev));

	if (!ev || !(ev->q = calloc(WM_EVENTS_QUEUE_MAX, sizeof(*ev->q)))) {
		free(ev);
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	ev->wake[0] = ev->wake[1] = ev->notify[0] = ev->notify[1] = -1;
	if (strlen(socket_path) >= sizeof(ev->path) || !project ||
	    strlen(project) >= sizeof(ev->project)) {
		wm_err_set(err, WM_EINVAL, "docker events: socket path or project too long");
		wm_events_stop(ev);
		return NULL;
	}
	snprintf(ev->path, sizeof(ev->path), "%s", socket_path);
	snprintf(ev->project, sizeof(ev->project), "%s", project);
	ev->backoff_max = o && o->backoff_max_ms > 0 ? o->backoff_max_ms : WM_EVENTS_BACKOFF_MAX_MS;
	ev->backoff_min =
	    ev->backoff_max < WM_EVENTS_BACKOFF_MIN_MS ? ev->backoff_max : WM_EVENTS_BACKOFF_MIN_MS;
	if (o && o->since_ns > 0) {
		/* a resumed run: replay from its last event, not that one again */
		ev->st.since_ns = ev->last_ns = o->since_ns;
		snprintf(ev->last_id, sizeof(ev->last_id), "%s", o->last_id);
		snprintf(ev->last_action, sizeof(ev->last_action), "%s", o->last_action);
	}
	pthread_mutex_init(&ev->lock, NULL);
	if (nonblocking_pipe(ev->wake) || nonblocking_pipe(ev->notify)) {
		wm_err_errno(err, WM_EIO, errno, "pipe");
		wm_events_stop(ev);
		return NULL;
	}
	if ((errno = pthread_create(&ev->thread, NULL, run, ev)) != 0) {
		wm_err_errno(err, WM_EIO, errno, "docker events: starting the thread");
		wm_events_stop(ev);
		return NULL;
	}
	ev->started = true;
	return ev;
}

int
wm_events_fd(const struct wm_events *ev)
{
	return ev ? ev->notify[0] : -1;
}

size_t
wm_events_drain(struct wm_events *ev, struct wm_docker_event *out, size_t cap,
		struct wm_events_status *st)
{
	size_t k = 0;
	char buf[64];

	pthread_mutex_lock(&ev->lock);
	for (; k < cap && ev->n > 0; k++) {
		out[k] = ev->q[ev->head];
		ev->head = (ev->head + 1) % WM_EVENTS_QUEUE_MAX;
		ev->n--;
	}
	if (ev->n == 0) {
		while (read(ev->notify[0], buf, sizeof(buf)) > 0)
			;
		ev->signalled = false;
	}
	if (st)
		*st = ev->st;
	pthread_mutex_unlock(&ev->lock);
	return k;
}

int
wm_events_set_path(struct wm_events *ev, const char *socket_path)
{
	ssize_t w;

	if (strlen(socket_path) >= sizeof(ev->path))
		return -1;
	pthread_mutex_lock(&ev->lock);
	if (!strcmp(ev->path, socket_path)) {
		pthread_mutex_unlock(&ev->lock);
		return 0;
	}
	snprintf(ev->path, sizeof(ev->path), "%s", socket_path);
	ev->path_changed = true;
	pthread_mutex_unlock(&ev->lock);
	w = write(ev->wake[1], "p", 1);
	return w == 1 ? 0 : -1;
}

void
wm_events_stop(struct wm_events *ev)
{
	if (!ev)
		return;
	if (ev->started) {
		ssize_t w;

		atomic_store(&ev->stop, true);
		w = write(ev->wake[1], "s", 1);
		(void)w;
		pthread_join(ev->thread, NULL);
		pthread_mutex_destroy(&ev->lock);
	}
	for (int i = 0; i < 2; i++) {
		if (ev->wake[i] >= 0)
			close(ev->wake[i]);
		if (ev->notify[i] >= 0)
			close(ev->notify[i]);
	}
	free(ev->q);
	free(ev);
}
