/* exec.h - local command execution without a shell.
 *
 * argv[0] is looked up in PATH and run directly (posix_spawnp): no shell ever
 * sees the arguments, so ";", "$" and quotes are plain characters.  stdout and
 * stderr are captured separately up to a bound, stdin is fed from a string (or
 * /dev/null), and the child runs in its own process group, which is killed
 * (SIGTERM, then SIGKILL after a short grace) when the timeout expires.  The
 * child is always reaped.
 */
#ifndef WM_EXEC_H
#define WM_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct wm_exec_result {
	int status;	/* exit code, or 128+signal when killed by a signal */
	bool timed_out; /* our timeout expired and we killed the group */
	char *out;	/* captured stdout, NUL-terminated, never NULL after success */
	size_t out_len;
	bool truncated; /* stdout or stderr exceeded max_out (the rest was drained) */
	char *err_out;	/* captured stderr, NUL-terminated, never NULL after success */
	size_t err_len;
};

/* Run argv with stdin_data (NULL = /dev/null) and a timeout (<= 0: none).
 * max_out bounds each of stdout and stderr.  Returns 0 when the command ran
 * (whatever its exit status, also on timeout: see res->timed_out), -1 when it
 * could not be started (WM_ENOTFOUND for a missing program) or on a system
 * error.  Free res with wm_exec_result_free in both cases. */
int wm_exec(char *const argv[], const char *stdin_data, int64_t timeout_ms, size_t max_out,
	    struct wm_exec_result *res, struct wm_err *err);

void wm_exec_result_free(struct wm_exec_result *res);

#endif
