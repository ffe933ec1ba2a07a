/* state.c - the state directory and previous samples (DESIGN §3, State). */
#include "config.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "store/statedir.h"

#define STATE_APP "warunginmon"

int
wm_state_dir_default(char *buf, size_t len, struct wm_err *err)
{
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (xdg && *xdg == '/')
		n = snprintf(buf, len, "%s/%s", xdg, STATE_APP);
	else if (geteuid() == 0)
		n = snprintf(buf, len, "/var/lib/%s", STATE_APP);
	else if (home && *home == '/')
		n = snprintf(buf, len, "%s/.local/state/%s", home, STATE_APP);
	else
		return wm_err_set(err, WM_ECONFIG,
				  "no state directory: set WM_STATE_DIR, XDG_STATE_HOME or HOME");
	if (n < 0 || (size_t)n >= len)
		return wm_err_set(err, WM_EINVAL, "state directory path too long");
	return 0;
}

int
wm_state_dir(char *buf, size_t len, struct wm_err *err)
{
	const char *env = getenv("WM_STATE_DIR");
	int n;

	if (env && *env) {
		n = snprintf(buf, len, "%s", env);
		if (n < 0 || (size_t)n >= len)
			return wm_err_set(err, WM_EINVAL, "state directory path too long");
	} else if (wm_state_dir_default(buf, len, err) < 0) {
		return -1;
	}
	return wm_file_mkdirs(buf, 0700, err);
}

int
wm_state_sanitise(const char *s, char *buf, size_t len)
{
	size_t i;

	if (len < 2)
		return -1;
	if (!s || !*s)
		s = "_";
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '-' || c == '_' || (c == '.' && i > 0);

		if (i + 1 >= len)
			return -1;
		buf[i] = ok ? (char)c : '_';
	}
	buf[i] = '\0';
	return 0;
}

/* STATE_DIR/TARGET (created) and STATE_DIR/TARGET/NAME.json into path;
 * STATE_DIR is in (created), or wm_state_dir's when in is NULL. */
static int
state_path(const char *in, const char *target, const char *name, bool create, char *path,
	   size_t len, struct wm_err *err)
{
	char dir[PATH_MAX], t[NAME_MAX], f[NAME_MAX - 8];
	int n;

	if (in && (size_t)snprintf(dir, sizeof(dir), "%s", in) >= sizeof(dir))
		return wm_err_set(err, WM_EINVAL, "state directory path too long");
	if (in ? create && wm_file_mkdirs(dir, 0700, err) < 0
	       : wm_state_dir(dir, sizeof(dir), err) < 0)
		return -1;
	if (wm_state_sanitise(target ? target : "local", t, sizeof(t)) < 0 ||
	    wm_state_sanitise(name, f, sizeof(f)) < 0)
		return wm_err_set(err, WM_EINVAL, "state name too long");
	n = snprintf(path, len, "%s/%s", dir, t);
	if (n < 0 || (size_t)n >= len)
		return wm_err_set(err, WM_EINVAL, "state path too long");
	if (create && wm_file_mkdirs(path, 0700, err) < 0)
		return -1;
	n = snprintf(path, len, "%s/%s/%s.json", dir, t, f);
	if (n < 0 || (size_t)n >= len)
		return wm_err_set(err, WM_EINVAL, "state path too long");
	return 0;
}

int
wm_state_path_in(const char *dir, const char *target, const char *name, char *path, size_t len,
		 struct wm_err *err)
{
	return state_path(dir, target, name, false, path, len, err);
}

int
wm_state_path(const char *target, const char *name, char *path, size_t len, struct wm_err *err)
{
	return state_path(NULL, target, name, false, path, len, err);
}

cJSON *
wm_state_load(const char *target, const char *name, struct wm_err *err)
{
	return wm_state_load_in(NULL, target, name, err);
}

int
wm_state_save(const char *target, const char *name, const cJSON *doc, struct wm_err *err)
{
	return wm_state_save_in(NULL, target, name, doc, err);
}

cJSON *
wm_state_load_in(const char *dir, const char *target, const char *name, struct wm_err *err)
{
	char path[PATH_MAX];
	struct wm_err e = {0};
	char *text = NULL;
	size_t len;
	cJSON *doc;

	if (state_path(dir, target, name, false, path, sizeof(path), err) < 0)
		return NULL;
	if (wm_file_read(path, WM_STATE_MAX_BYTES, &text, &len, &e) < 0) {
		if (e.code == WM_ENOTFOUND)
			wm_err_set(err, WM_ENOTFOUND, "%s: no previous sample", path);
		else if (err)
			*err = e;
		return NULL;
	}
	doc = cJSON_ParseWithLength(text, len);
	free(text);
	if (!doc)
		wm_err_set(err, WM_EPROTO, "%s: corrupt state file (not JSON)", path);
	return doc;
}

int
wm_state_save_in(const char *dir, const char *target, const char *name, const cJSON *doc,
		 struct wm_err *err)
{
	char path[PATH_MAX];
	char *text;
	int rc;

	if (state_path(dir, target, name, true, path, sizeof(path), err) < 0)
		return -1;
	text = cJSON_PrintUnformatted(doc);
	if (!text)
		return wm_err_set(err, WM_ENOMEM, "%s: cannot serialise state", path);
	rc = wm_file_write_atomic(path, text, strlen(text), 0600, err);
	cJSON_free(text);
	return rc;
}

int
wm_counter_delta(double prev, double cur, double *delta)
{
	if (cur < prev) {
		*delta = cur;
		return 1;
	}
	*delta = cur - prev;
	return 0;
}
