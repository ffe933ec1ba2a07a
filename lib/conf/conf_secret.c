/* conf_secret.c - secrets files (checked like ssh checks keys) and redaction. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"

int
wm_secret_read(const char *path, char *buf, size_t len, struct wm_err *err)
{
	char expanded[PATH_MAX];
	const char *home = getenv("HOME");
	struct stat st;
	size_t n = 0;
	int fd;

	if (len == 0)
		return wm_err_set(err, WM_EINVAL, "%s: no room for the secret", path);
	buf[0] = '\0';
	if (strncmp(path, "~/", 2) == 0 && home && *home) {
		int w = snprintf(expanded, sizeof(expanded), "%s%s", home, path + 1);

		if (w < 0 || (size_t)w >= sizeof(expanded))
			return wm_err_set(err, WM_EINVAL, "%s: path too long", path);
		path = expanded;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return wm_err_errno(err, errno == ENOENT ? WM_ENOTFOUND : WM_EPERM, errno, "%s",
				    path);
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return wm_err_errno(err, WM_EIO, e, "%s", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return wm_err_set(err, WM_EPERM, "%s: secrets file is not a regular file", path);
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return wm_err_set(
		    err, WM_EPERM,
		    "%s: secrets file is owned by uid %u, not by you (uid %u); refused", path,
		    (unsigned)st.st_uid, (unsigned)geteuid());
	}
	if (st.st_mode & 077) {
		close(fd);
		return wm_err_set(err, WM_EPERM,
				  "%s: secrets file has mode %04o, group/other may access it; "
				  "refused (chmod 600 it)",
				  path, (unsigned)(st.st_mode & 07777));
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, len - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			buf[0] = '\0';
			return wm_err_errno(err, WM_EIO, e, "%s", path);
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == len) {
			close(fd);
			memset(buf, 0, len);
			return wm_err_set(err, WM_ETOOBIG, "%s: secret longer than %zu bytes", path,
					  len - 1);
		}
	}
	close(fd);
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return 0;
}

int
wm_secret_get(const struct wm_target *t, const char *file_key_value, const char *env_name,
	      char *buf, size_t len, struct wm_err *err)
{
	const char *v;

	if (len == 0)
		return wm_err_set(err, WM_EINVAL, "no room for the secret");
	buf[0] = '\0';
	if (file_key_value && *file_key_value) {
		if (wm_secret_read(file_key_value, buf, len, err) < 0) {
			if (t && t->name)
				wm_err_prefix(err, "target %s", t->name);
			return -1;
		}
		return 0;
	}
	v = env_name ? getenv(env_name) : NULL;
	if (v && *v) {
		if (strlen(v) >= len)
			return wm_err_set(err, WM_ETOOBIG, "$%s: secret longer than %zu bytes",
					  env_name, len - 1);
		memcpy(buf, v, strlen(v) + 1);
	}
	return 0;
}

/* Overwrite s[from, to) with "***" and close the gap; a value shorter than
 * three characters is starred in place.  Returns the index after the mask. */
static size_t
mask(char *s, size_t from, size_t to)
{
	size_t n = to - from;

	if (n == 0)
		return from;
	if (n < 3) {
		memset(s + from, '*', n);
		return to;
	}
	memcpy(s + from, "***", 3);
	memmove(s + from + 3, s + to, strlen(s + to) + 1);
	return from + 3;
}

static bool
word_at(const char *s, size_t i, const char *w)
{
	return strncasecmp(s + i, w, strlen(w)) == 0;
}

enum { SCHEME = 1, TO_EOL = 2 };

/* After a secret-looking key name ending at i: optional closing quote, blanks,
 * '=' or ':', blanks, then the value (quoted, or up to a delimiter; with
 * SCHEME after a "Bearer "/"Basic " word; with TO_EOL to the end of line). */
static size_t
redact_value(char *s, size_t i, int flags)
{
	size_t v, end;
	char q = 0;

	while (isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-')
		i++; /* the rest of the key: password_hash, access_token... */
	if (s[i] == '"' || s[i] == '\'')
		i++;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] != '=' && s[i] != ':')
		return i;
	i++;
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (s[i] == '"' || s[i] == '\'')
		q = s[i++];
	if ((flags & SCHEME) && (word_at(s, i, "bearer ") || word_at(s, i, "basic ")))
		i += word_at(s, i, "bearer ") ? 7 : 6;
	v = i;
	end = v;
	if (q)
		end += strcspn(s + v, q == '"' ? "\"\r\n" : "'\r\n");
	else if (flags & TO_EOL)
		end += strcspn(s + v, "\r\n");
	else
		end += strcspn(s + v, " \t\r\n&;,\"'}");
	/* a {{capture}} of a smoke step is filled in at run time: no secret
	 * here, but a literal one elsewhere in the same value still is */
	if (memmem(s + v, end - v, "{{", 2))
		return end;
	return mask(s, v, end);
}

/* scheme://user:pass@host -> scheme://user:***@host */
static size_t
redact_userinfo(char *s, size_t i)
{
	size_t start = i + 3, colon = 0, j;

	for (j = start; s[j] && !strchr("/?# \t\r\n\"'@", s[j]); j++) {
		if (s[j] == ':' && !colon)
			colon = j;
	}
	if (s[j] != '@' || !colon)
		return start;
	return mask(s, colon + 1, j);
}

void
wm_redact(char *s)
{
	static const struct {
		const char *key;
		int flags;
	} keys[] = {
	    {"password", 0},	{"passwd", 0}, {"pwd", 0},
	    {"secret", 0},	{"token", 0},  {"api_key", 0},
	    {"api-key", 0},	{"apikey", 0}, {"authorization", SCHEME},
	    {"cookie", TO_EOL},
	};
	size_t i = 0;

	if (!s)
		return;
	while (s[i]) {
		size_t next = i + 1;

		if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
			next = redact_userinfo(s, i);
		} else {
			for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
				if (word_at(s, i, keys[k].key)) {
					next =
					    redact_value(s, i + strlen(keys[k].key), keys[k].flags);
					break;
				}
			}
		}
		i = next > i ? next : i + 1;
	}
}
