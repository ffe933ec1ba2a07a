/* file.c - atomic writes, bounded reads, mkdir -p. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/file.h"

static int
write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
sync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int
wm_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
		     struct wm_err *err)
{
	char tmp[PATH_MAX];
	int fd, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp.XXXXXX", path);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return wm_err_set(err, WM_EINVAL, "%s: path too long", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return wm_err_errno(err, WM_EIO, errno, "%s", tmp);
	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		int e = errno;

		close(fd);
		unlink(tmp);
		return wm_err_errno(err, WM_EIO, e, "%s", path);
	}
	if (close(fd) < 0) {
		int e = errno;

		unlink(tmp);
		return wm_err_errno(err, WM_EIO, e, "%s", path);
	}
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return wm_err_errno(err, WM_EIO, e, "%s", path);
	}
	sync_parent(path);
	return 0;
}

int
wm_file_read(const char *path, size_t max, char **out, size_t *len, struct wm_err *err)
{
	size_t cap = 4096, n = 0;
	char *buf;
	int fd;

	*out = NULL;
	if (len)
		*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return wm_err_errno(err, errno == ENOENT ? WM_ENOTFOUND : WM_EIO, errno, "%s",
				    path);
	buf = malloc(cap);
	if (!buf)
		goto out_nomem;
	for (;;) {
		ssize_t r;

		if (n + 1 >= cap) {
			char *p;

			if (cap > max + 1) {
				free(buf);
				close(fd);
				return wm_err_set(err, WM_ETOOBIG, "%s: larger than %zu bytes",
						  path, max);
			}
			p = realloc(buf, cap * 2);
			if (!p)
				goto out_free_buf;
			buf = p;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			free(buf);
			close(fd);
			return wm_err_errno(err, WM_EIO, e, "%s", path);
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			free(buf);
			close(fd);
			return wm_err_set(err, WM_ETOOBIG, "%s: larger than %zu bytes", path, max);
		}
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len)
		*len = n;
	return 0;
out_free_buf:
	free(buf);
out_nomem:
	close(fd);
	return wm_err_set(err, WM_ENOMEM, "%s: out of memory", path);
}

int
wm_file_mkdirs(const char *path, mode_t mode, struct wm_err *err)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return wm_err_set(err, WM_EINVAL, "bad directory path");
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return wm_err_errno(err, WM_EIO, errno, "%s", buf);
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return wm_err_errno(err, WM_EIO, errno, "%s", buf);
	return 0;
}
