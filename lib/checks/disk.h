/* disk.h - file system use: statvfs locally, `df -P` output from a remote host. */
#ifndef WM_DISK_H
#define WM_DISK_H

#include <stddef.h>

#include "base/err.h"

struct wm_disk {
	char path[256];	 /* the path asked about (local) or the mount point (df) */
	char fs[256];	 /* df's first column (the device); "" locally */
	double size;	 /* bytes */
	double used;	 /* bytes */
	double avail;	 /* bytes available to unprivileged users */
	double used_pct; /* used / (used + avail) * 100, as df's Capacity */
};

/* statvfs(path). */
int wm_disk_stat(const char *path, struct wm_disk *out, struct wm_err *err);

/* Parse POSIX `df -P` output (header line, then "fs 1024-blocks used avail
 * cap% mount" rows; a mount point may contain blanks) into at most max rows.
 * Returns the number of rows, or -1 on malformed output. */
int wm_disk_parse_df(const char *text, struct wm_disk *out, size_t max, struct wm_err *err);

#endif
