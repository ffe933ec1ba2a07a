/* err.c - the error context. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"

/* Set e's code and message (e not NULL). */
static void __attribute__((format(printf, 3, 0)))
vset(struct wm_err *e, int code, const char *fmt, va_list ap)
{
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
}

int
wm_err_set(struct wm_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
wm_err_errno(struct wm_err *e, int code, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t n;

	if (!e)
		return -1;
	va_start(ap, fmt);
	vset(e, code, fmt, ap);
	va_end(ap);
	n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(errnum));
	return -1;
}

void
wm_err_prefix(struct wm_err *e, const char *fmt, ...)
{
	char head[WM_ERR_MSG_MAX], old[WM_ERR_MSG_MAX];
	va_list ap;

	if (!e)
		return;
	va_start(ap, fmt);
	vsnprintf(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	/* Truncation is intended: the message stays one bounded line. */
	snprintf(e->msg, sizeof(e->msg), "%.*s: %.*s", 120, head, WM_ERR_MSG_MAX - 124, old);
}

void
wm_err_clear(struct wm_err *e)
{
	if (!e)
		return;
	e->code = WM_EOK;
	e->msg[0] = '\0';
}

const char *
wm_err_name(int code)
{
	static const char *const names[] = {
	    [WM_EOK] = "ok",
	    [WM_EINVAL] = "invalid",
	    [WM_ENOMEM] = "nomem",
	    [WM_EIO] = "io",
	    [WM_ETIMEDOUT] = "timeout",
	    [WM_ECONN] = "connect",
	    [WM_EAUTH] = "auth",
	    [WM_EHOSTKEY] = "hostkey",
	    [WM_EPROTO] = "protocol",
	    [WM_ENOTFOUND] = "notfound",
	    [WM_EPERM] = "permission",
	    [WM_ECONFIG] = "config",
	    [WM_ETOOBIG] = "toobig",
	    [WM_EBUSY] = "busy",
	    [WM_ENOHOST] = "resolve",
	};

	if (code < 0 || (size_t)code >= sizeof(names) / sizeof(names[0]) || !names[code])
		return "error";
	return names[code];
}

void
wm_why_append(char *buf, size_t size, const char *what, const char *why)
{
	size_t k = strnlen(buf, size);

	if (k + 1 < size)
		snprintf(buf + k, size - k, "%s%s: %s", k ? "; " : "", what, why);
}
