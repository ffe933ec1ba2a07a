/* events.h - a thread holding the Engine API's /events stream for the watch.
 *
 * The thread sleeps in poll(2) on the stream (clients/docker_events.h) and
 * queues every container event of the project; a descriptor (wm_events_fd)
 * becomes readable when something is queued or the stream's state changed,
 * so the driver's own poll() wakes within milliseconds of Docker seeing a
 * container die, at no polling cost.  When the stream drops (the engine
 * restarted, the SSH connection went) the thread reconnects with a backoff
 * (1 s doubling to 30 s, or to wm_events_backoff_max of the watch's interval)
 * and resubscribes with since= the last event's time,
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

/* Where a stream starts and how fast it retries. */
struct wm_events_opts {
	int64_t since_ns; /* replay from then (<= 0: from now) */
	/* the event at since_ns was delivered already (a resumed run): id and
	 * action, not delivered again; "" when none */
	char last_id[72], last_action[24];
	int64_t backoff_max_ms; /* 0: WM_EVENTS_BACKOFF_MAX_MS */
};

#define WM_EVENTS_BACKOFF_MIN_MS 1000
#define WM_EVENTS_BACKOFF_MAX_MS 30000

/* The reconnect backoff's bound for a watch round every interval_ms: half a
 * round (a compressed day's 2 s rounds retry every second, not every 30 s),
 * between 250 ms and WM_EVENTS_BACKOFF_MAX_MS. */
int64_t wm_events_backoff_max(int64_t interval_ms);

/* Start the thread on socket_path for project (o NULL: from now, the default
 * backoff).  NULL with err (WM_ENOMEM, WM_EIO). */
struct wm_events *wm_events_start(const char *socket_path, const char *project,
				  const struct wm_events_opts *o, struct wm_err *err);
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
