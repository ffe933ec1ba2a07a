/* sdnotify.c - systemd's notify protocol over a datagram socket (see
 * sdnotify.h). */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run/sdnotify.h"

static int
watchdog(struct wm_sdnotify *n, const char *usec, const char *wpid, pid_t pid, struct wm_err *err)
{
	char *end;
	unsigned long long us, p;

	if (!usec || !*usec)
		return 0;
	errno = 0;
	us = strtoull(usec, &end, 10);
	if (errno || *end || end == usec || us == 0)
		return wm_err_set(err, WM_EINVAL,
				  "WATCHDOG_USEC: not a number of microseconds: %.40s", usec);
	if (wpid && *wpid) {
		p = strtoull(wpid, &end, 10);
		if (*end || end == wpid || p != (unsigned long long)pid)
			return 0; /* the watchdog of another process */
	}
	n->watchdog_ms = (int64_t)(us / 2000);
	if (n->watchdog_ms < 1)
		n->watchdog_ms = 1;
	return 0;
}

int
wm_sdnotify_open(struct wm_sdnotify *n, const char *socket_name, const char *watchdog_usec,
		 const char *watchdog_pid, pid_t pid, struct wm_err *err)
{
	size_t len = socket_name ? strlen(socket_name) : 0;

	memset(n, 0, sizeof(*n));
	n->fd = -1;
	if (!len)
		return 0;
	if (socket_name[0] != '/' && socket_name[0] != '@')
		return wm_err_set(
		    err, WM_EINVAL,
		    "NOTIFY_SOCKET: neither an absolute path nor an abstract '@name': "
		    "%.100s",
		    socket_name);
	if (len >= sizeof(n->addr.sun_path) || len < 2)
		return wm_err_set(err, WM_EINVAL, "NOTIFY_SOCKET: a bad length: %.100s",
				  socket_name);
	if (watchdog(n, watchdog_usec, watchdog_pid, pid, err) < 0)
		return -1;
	n->addr.sun_family = AF_UNIX;
	memcpy(n->addr.sun_path, socket_name, len);
	if (socket_name[0] == '@') {
		n->addr.sun_path[0] = '\0'; /* abstract: the name's bytes, no NUL after */
		n->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	} else {
		n->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1);
	}
	n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->fd < 0) {
		n->watchdog_ms = 0;
		return wm_err_set(err, WM_EIO, "NOTIFY_SOCKET %s: socket: %s", socket_name,
				  strerror(errno));
	}
	return 0;
}

bool
wm_sdnotify_on(const struct wm_sdnotify *n)
{
	return n->fd >= 0;
}

int
wm_sdnotify_send(struct wm_sdnotify *n, const char *text, struct wm_err *err)
{
	size_t len = strlen(text);

	if (n->fd < 0)
		return 0;
	if (sendto(n->fd, text, len, MSG_NOSIGNAL, (const struct sockaddr *)&n->addr,
		   n->addr_len) == (ssize_t)len)
		return 0;
	return wm_err_set(err, WM_EIO, "NOTIFY_SOCKET %s%s: %s", n->addr.sun_path[0] ? "" : "@",
			  n->addr.sun_path[0] ? n->addr.sun_path : n->addr.sun_path + 1,
			  strerror(errno));
}

void
wm_sdnotify_close(struct wm_sdnotify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
	n->watchdog_ms = 0;
}
