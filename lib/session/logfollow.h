/* logfollow.h - following the logs of a compose project through the Engine
 * API: a cursor per container, polled.
 *
 * Each poll lists the project's containers and streams each wanted one's
 * logs from just after the last line seen of it (the Engine API's since is
 * inclusive, so the next poll starts 1 ms after it; lines sharing that
 * millisecond but arriving later are the one blind spot).  The cursor learns
 * the last line's time from its own analyzer on the stream.
 */
#ifndef WM_LOGFOLLOW_H
#define WM_LOGFOLLOW_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "logs/logstream.h"
#include "session/session.h"

#define WM_LOGFOLLOW_MAX_CONTAINERS 64 /* more are not followed */

struct wm_logfollow;

/* Follow from start_ms (unix ms; the lines after it).  NULL when out of
 * memory. */
struct wm_logfollow *wm_logfollow_new(int64_t start_ms);
void wm_logfollow_free(struct wm_logfollow *f);
/* The analyzer that moves the cursor: add it to the stream given to
 * wm_logfollow_poll. */
struct wm_log_analyzer wm_logfollow_analyzer(struct wm_logfollow *f);
/* One poll into ls, of the services wanted(arg, service) says yes to
 * (wanted NULL: all).  A container whose logs cannot be read is said
 * through the session's log hook (WM_LOG_ERROR) and retried next poll.
 * -1 with err when the containers cannot be listed. */
int wm_logfollow_poll(struct wm_logfollow *f, struct wm_session *s, struct wm_logstream *ls,
		      bool (*wanted)(void *arg, const char *service), void *arg,
		      const volatile sig_atomic_t *stop, struct wm_err *err);

#endif
