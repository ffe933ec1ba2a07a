/* disk.c - file system use, the same numbers df shows. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#include "checks/disk.h"

static void
set_pct(struct wm_disk *d)
{
	/* df rounds the capacity up; we keep the exact ratio. */
	d->used_pct = d->used + d->avail > 0 ? d->used / (d->used + d->avail) * 100.0 : 0.0;
}

int
wm_disk_stat(const char *path, struct wm_disk *out, struct wm_err *err)
{
	struct statvfs sv;

	memset(out, 0, sizeof(*out));
	snprintf(out->path, sizeof(out->path), "%s", path);
	if (statvfs(path, &sv) < 0)
		return wm_err_errno(err, errno == ENOENT ? WM_ENOTFOUND : WM_EIO, errno, "%s",
				    path);
	out->size = (double)sv.f_blocks * sv.f_frsize;
	out->used = (double)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
	out->avail = (double)sv.f_bavail * sv.f_frsize;
	set_pct(out);
	return 0;
}

/* One number column: digits only. */
static int
number(const char **p, double *v)
{
	char *end;
	unsigned long long n;

	while (**p == ' ' || **p == '\t')
		(*p)++;
	if (**p < '0' || **p > '9')
		return -1;
	errno = 0;
	n = strtoull(*p, &end, 10);
	if (errno || (*end != ' ' && *end != '\t' && *end != '%'))
		return -1;
	*v = (double)n;
	*p = end;
	return 0;
}

static int
parse_row(const char *line, size_t len, struct wm_disk *d)
{
	char buf[1024];
	const char *p = buf;
	double pct;
	size_t fslen;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	memset(d, 0, sizeof(*d));
	fslen = strcspn(buf, " \t");
	if (fslen == 0 || fslen >= sizeof(d->fs))
		return -1;
	memcpy(d->fs, buf, fslen);
	p += fslen;
	if (number(&p, &d->size) < 0 || number(&p, &d->used) < 0 || number(&p, &d->avail) < 0 ||
	    number(&p, &pct) < 0 || *p != '%')
		return -1;
	p++;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '/' || strlen(p) >= sizeof(d->path))
		return -1;
	snprintf(d->path, sizeof(d->path), "%s", p);
	d->size *= 1024;
	d->used *= 1024;
	d->avail *= 1024;
	set_pct(d);
	return 0;
}

int
wm_disk_parse_df(const char *text, struct wm_disk *out, size_t max, struct wm_err *err)
{
	const char *line = text, *nl;
	size_t n = 0, lineno = 1;

	if (strncmp(text, "Filesystem", 10) != 0)
		return wm_err_set(err, WM_EPROTO, "df -P: no header line");
	for (line = strchr(text, '\n'); line && line[1]; line = nl) {
		size_t len;

		line++;
		lineno++;
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		if (len == 0)
			continue;
		if (n == max)
			return wm_err_set(err, WM_ETOOBIG, "df -P: more than %zu rows", max);
		if (parse_row(line, len, &out[n]) < 0)
			return wm_err_set(err, WM_EPROTO, "df -P: line %zu: malformed: %.60s",
					  lineno, line);
		n++;
	}
	return (int)n;
}
