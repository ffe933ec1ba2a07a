/* file.h - small file helpers shared by renderers, the state directory and the journal. */
#ifndef WM_FILE_H
#define WM_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "base/err.h"

/* Write len bytes to path atomically: a temporary file in the same directory,
 * fsync, rename over path, fsync of the directory.  A reader sees the old
 * content or the new one, never a mix.  mode is applied to the new file. */
int wm_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			 struct wm_err *err);

/* Read at most max bytes of path into a NUL-terminated malloc'd buffer
 * (*out, length in *len).  A larger file is WM_ETOOBIG.  Caller frees *out. */
int wm_file_read(const char *path, size_t max, char **out, size_t *len, struct wm_err *err);

/* mkdir -p with mode for every component created. */
int wm_file_mkdirs(const char *path, mode_t mode, struct wm_err *err);

#endif
