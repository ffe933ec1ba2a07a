/* sdnotify.h - systemd's notify protocol (sd_notify(3)) without libsystemd:
 * datagrams of "KEY=VALUE" lines to the AF_UNIX socket named by
 * $NOTIFY_SOCKET, so that a Type=notify unit knows when `wm-run start` is
 * ready (READY=1), alive (WATCHDOG=1 with WatchdogSec=), what it is doing
 * (STATUS=...) and stopping (STOPPING=1).
 *
 * The socket is a path ("/run/systemd/notify") or, with a leading '@', an
 * abstract name (the '@' is a NUL byte in sun_path and the address ends with
 * the name: no NUL after it).  Without $NOTIFY_SOCKET (not started by
 * systemd, or a unit of another Type) everything here does nothing.
 * $WATCHDOG_USEC asks for WATCHDOG=1 more often than that; $WATCHDOG_PID,
 * when set, must be our pid (else the request is someone else's).
 */
#ifndef WM_SDNOTIFY_H
#define WM_SDNOTIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "base/err.h"

struct wm_sdnotify {
	int fd; /* -1: off */
	struct sockaddr_un addr;
	socklen_t addr_len;
	int64_t watchdog_ms; /* send WATCHDOG=1 at least this often; 0: not asked */
};

/* Set n up from the values of NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID
 * (each may be NULL: unset) for process pid.  0: ready (or off, without a
 * socket); -1 with err (WM_EINVAL) for a socket that is neither an absolute
 * path nor '@name', or too long, or a WATCHDOG_USEC that is not a number;
 * n is off then.  The watchdog interval is half of WATCHDOG_USEC, as
 * sd_watchdog_enabled(3) advises. */
int wm_sdnotify_open(struct wm_sdnotify *n, const char *socket, const char *watchdog_usec,
		     const char *watchdog_pid, pid_t pid, struct wm_err *err);
bool wm_sdnotify_on(const struct wm_sdnotify *n);
/* Send text ("READY=1\nSTATUS=..."), one datagram, without blocking.  0 (also
 * when off), or -1 with err naming the socket (the manager gone or its queue
 * full: the caller says so and goes on). */
int wm_sdnotify_send(struct wm_sdnotify *n, const char *text, struct wm_err *err);
void wm_sdnotify_close(struct wm_sdnotify *n);

#endif
