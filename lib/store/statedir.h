/* state.h - the state directory: per-target previous samples, written atomically.
 *
 * Layout: STATE_DIR/TARGET/NAME.json, mode 0600 in 0700 directories.  TARGET and
 * NAME are sanitised into file names (only [A-Za-z0-9._-], no leading dot, so no
 * path traversal).  A sample carries its own timestamp (the caller stores e.g.
 * "time_ms" in the document) so callers compute rates and deltas themselves.
 */
#ifndef WM_STATE_H
#define WM_STATE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "base/err.h"

/* Largest state file wm_state_load accepts. */
#define WM_STATE_MAX_BYTES (16u * 1024 * 1024)

/* The state directory, created (mode 0700) if missing:
 * $WM_STATE_DIR, else $XDG_STATE_HOME/warunginmon, else /var/lib/warunginmon
 * for root, else ~/.local/state/warunginmon. */
int wm_state_dir(char *buf, size_t len, struct wm_err *err);

/* The default without $WM_STATE_DIR, not created: $XDG_STATE_HOME/warunginmon,
 * /var/lib/warunginmon for root, ~/.local/state/warunginmon.  (With a
 * configuration, wm_config_state_dir of conf_sections.h adds [general]
 * state_dir between the environment and this.) */
int wm_state_dir_default(char *buf, size_t len, struct wm_err *err);

/* Load TARGET/NAME.json (target NULL = "local").  Returns a document the caller
 * frees with cJSON_Delete, or NULL with WM_ENOTFOUND on the first run, or NULL
 * with WM_EPROTO for a corrupt file (or WM_EIO, WM_ETOOBIG). */
cJSON *wm_state_load(const char *target, const char *name, struct wm_err *err);

/* The file of sample NAME of target (NULL = "local") into path: where
 * wm_state_load reads and wm_state_save writes.  Creates the state directory
 * (not the target's). */
int wm_state_path(const char *target, const char *name, char *path, size_t len, struct wm_err *err);

/* Save doc as TARGET/NAME.json atomically (temp file, fsync, rename), mode 0600. */
int wm_state_save(const char *target, const char *name, const cJSON *doc, struct wm_err *err);

/* The same three in the state directory dir (NULL: wm_state_dir's), e.g. the
 * one wm_config_state_dir resolves with [general] state_dir; dir is created
 * (mode 0700) when saving. */
cJSON *wm_state_load_in(const char *dir, const char *target, const char *name, struct wm_err *err);
int wm_state_save_in(const char *dir, const char *target, const char *name, const cJSON *doc,
		     struct wm_err *err);
int wm_state_path_in(const char *dir, const char *target, const char *name, char *path, size_t len,
		     struct wm_err *err);

/* Copy s into buf as a safe file name component (see above).  Returns 0, or
 * -1 when buf is too small. */
int wm_state_sanitise(const char *s, char *buf, size_t len);

/* Delta of a cumulative counter between two samples.  Returns 1 when the counter
 * was reset (cur < prev; *delta = cur, the count since the reset), else 0. */
int wm_counter_delta(double prev, double cur, double *delta);

#endif
