/* events.h - a thread holding the Engine API's /events stream for the watch.
 *
 * The thread sleeps in poll(2) on the stream (clients/docker_events.h) and
 * queues every container event of the project; a descriptor (wm_events_fd)
 * becomes readable when something is queued or the stream's state changed,
 * so the driver's own poll() wakes within milliseconds of Docker seeing a
 * container die, at no polling cost.  When the stream drops (the engine
 * restarted, the SSH connection went) the thread reconnects with a backoff
 * (1 s doubling to 30 s) and resubscribes with since= the last event's time,
 * so nothing that happened meanwhile is lost; an event seen twice across a
 * reconnect is delivered once.
 */
#ifndef WM_RUN_EVENTS_H
#define WM_RUN_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "clients/docker_events.h"

#define WM_EVENTS_QUEUE_MAX 1024 /* past this the oldest are dropped (counted) */

struct wm_events;

/* The stream's state as the thread last saw it. */
struct wm_events_status {
	bool connected;		    /* the answer's headers are in: live */
	int64_t since_ns;	    /* the last event's time (the resubscription's since) */
	long reconnects;	    /* streams opened after the first */
	long dropped;		    /* events lost to a full queue */
	char error[WM_ERR_MSG_MAX]; /* why the last stream ended, "" when none */
};

/* Start the thread on socket_path for project, replaying from since_ns (<= 0:
 * from now).  NULL with err (WM_ENOMEM, WM_EIO). */
struct wm_events *wm_events_start(const char *socket_path, const char *project, int64_t since_ns,
				  struct wm_err *err);
/* Readable while events or a state change are pending (for poll()). */
int wm_events_fd(const struct wm_events *ev);
/* Take up to cap queued events, oldest first (and clear the descriptor when
 * the queue is empty); *st gets the stream's state when st is not NULL. */
size_t wm_events_drain(struct wm_events *ev, struct wm_docker_event *out, size_t cap,
		       struct wm_events_status *st);
/* The socket moved (the session reconnected its tunnel): reconnect there. */
int wm_events_set_path(struct wm_events *ev, const char *socket_path);
/* Stop and join the thread, free everything (NULL is fine). */
void wm_events_stop(struct wm_events *ev);

#endif
