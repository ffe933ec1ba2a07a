/* logstream.h - one log stream, read once, fed to any number of analyzers.
 *
 * Bytes go in (from a file, stdin, or the Engine API's logs endpoint through
 * lib/clients/docker.h, which has already demultiplexed them); out come parsed,
 * classified lines inside the time window, each handed to every analyzer in
 * the order they were added.  wm-errors, wm-security and wm-perf each add
 * one analyzer; wm-run shares one stream per service per tick among them.
 *
 * Lines are split on \n (a trailing \r dropped); a line longer than
 * WM_LOGLINE_MAX is cut there, flagged truncated and counted, and the rest of
 * it skipped, so memory is bounded by one line buffer whatever the input.
 * The window is [since, until) on the line's time (Docker's timestamp when
 * present).  A line with no time (none at all, or in an ambiguous zone such
 * as CST) is counted untimed; with a window it goes to the outside analyzer,
 * never into the window, without one it is let through.
 */
#ifndef WM_LOGSTREAM_H
#define WM_LOGSTREAM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "logs/classify.h"
#include "clients/docker.h"
#include "base/err.h"
#include "logs/logline.h"

struct wm_log_analyzer {
	void (*line)(void *ctx, const struct wm_logline *ll);
	void *ctx;
};

#define WM_LOGSTREAM_MAX_ANALYZERS 8

struct wm_logstream_stats {
	uint64_t bytes;	    /* bytes fed (frame headers included) */
	uint64_t lines;	    /* lines parsed */
	uint64_t truncated; /* lines cut at WM_LOGLINE_MAX */
	uint64_t outside;   /* lines dropped by the window */
	uint64_t untimed;   /* lines without a time (outside any window) */
	uint64_t delivered; /* lines handed to the analyzers */
};

struct wm_logstream;

/* classes: borrowed, NULL = the structured level only (unstructured lines
 * stay WM_LVL_UNKNOWN).  flags: WM_LOGLINE_COMPOSE to recognise the
 * `docker compose logs` prefix.  NULL when out of memory. */
struct wm_logstream *wm_logstream_new(struct wm_classify_set *classes, unsigned flags);
void wm_logstream_free(struct wm_logstream *s);
int wm_logstream_add(struct wm_logstream *s, const struct wm_log_analyzer *a, struct wm_err *err);
/* One analyzer (copied) that sees the lines the window drops, so that a
 * service quiet in the window is still known to exist; none by default. */
void wm_logstream_set_outside(struct wm_logstream *s, const struct wm_log_analyzer *a);
/* What zone names mean here (borrowed; NULL: the table's meaning only). */
void wm_logstream_set_zones(struct wm_logstream *s, const struct wm_zone_overrides *z);
/* Window in unix ms; -1 leaves that side open. */
void wm_logstream_set_window(struct wm_logstream *s, int64_t since_ms, int64_t until_ms);
/* Service of lines that carry no compose prefix (copied; NULL for none).
 * Also ends any partial line of the previous service. */
int wm_logstream_set_service(struct wm_logstream *s, const char *service);
/* Feed any chunk of input; lines complete in it are delivered now. */
void wm_logstream_feed(struct wm_logstream *s, const char *buf, size_t len);
/* Feed one line already split (no newline); cut at WM_LOGLINE_MAX. */
void wm_logstream_line(struct wm_logstream *s, const char *line, size_t len);
/* End of input: deliver a last line without a newline. */
void wm_logstream_flush(struct wm_logstream *s);
/* Read fd to end of file (then flush), or until *stop becomes non-zero
 * (stop may be NULL).  -1 with err on a read error. */
int wm_logstream_read_fd(struct wm_logstream *s, int fd, const volatile sig_atomic_t *stop,
			 struct wm_err *err);
/* Stream the logs of container id (o: since/until/tail/follow, timestamps
 * should be on so the window uses Docker's time) into s, its lines tagged
 * with service.  Stops early when *stop becomes non-zero (stop may be NULL).
 * -1 with err (the client's reason) on failure. */
int wm_logstream_docker(struct wm_logstream *s, struct wm_docker *d, const char *id,
			const char *service, const struct wm_docker_logs_opts *o,
			const volatile sig_atomic_t *stop, struct wm_err *err);
const struct wm_logstream_stats *wm_logstream_stats(const struct wm_logstream *s);

#endif
