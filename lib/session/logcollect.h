/* logcollect.h - the log collector of a check run: list the compose
 * project's containers once, then stream the window of each wanted one
 * through one log stream to every analyzer on it (errors today; security
 * and perf next), so that a driver reads each log once per tick.
 *
 * Over SSH the Engine API is reached through the session's tunnel.  An
 * expected service without any container is reported, not skipped (Docker
 * does not list a service that was never created).
 */
#ifndef WM_LOGCOLLECT_H
#define WM_LOGCOLLECT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "logs/logstream.h"
#include "session/session.h"

struct wm_logcollect_opts {
	int64_t since_ms, until_ms;  /* the window, unix ms; -1: open */
	const char *const *expected; /* the services read (none: every container) */
	size_t nexpected;
	const volatile sig_atomic_t *stop; /* stop early when non-zero; may be NULL */
};

/* What the analyzers' owner is told, service by service. */
struct wm_logcollect_hooks {
	void *arg;
	/* the logs of service svc are about to be read; -1 (ENOMEM) stops */
	int (*service)(void *arg, const char *svc);
	/* svc could not be read (why), or an expected service has no
	 * container; -1 (ENOMEM) stops */
	int (*problem)(void *arg, const char *svc, const char *why);
};

/* Where the collection failed as a whole. */
enum wm_logcollect_stage { WM_LOGCOLLECT_OK, WM_LOGCOLLECT_TARGET, WM_LOGCOLLECT_DOCKER };

/* Collect the window of every wanted container of the session's project
 * into ls.  Returns 0 (a service that could not be read went to
 * h->problem), or -1 with err and *stage: the target could not be reached
 * (WM_LOGCOLLECT_TARGET), Docker could not list the containers
 * (WM_LOGCOLLECT_DOCKER), or out of memory (WM_LOGCOLLECT_OK, WM_ENOMEM). */
int wm_logcollect_docker(struct wm_session *s, struct wm_logstream *ls,
			 const struct wm_logcollect_opts *o, const struct wm_logcollect_hooks *h,
			 enum wm_logcollect_stage *stage, struct wm_err *err);

#endif
