/* err.h - the error context every libwarunginmon handle carries.
 *
 * The library never prints and never exits.  A function that fails returns -1
 * (or NULL) and fills the caller's struct wm_err; the program decides what the
 * failure means (usually UNKNOWN) and how to say it.  Modelled on hiredis'
 * redisContext.err/errstr.
 */
#ifndef WM_ERR_H
#define WM_ERR_H

#include <stddef.h>

enum wm_errcode {
	WM_EOK = 0,
	WM_EINVAL,    /* bad argument, bad syntax, bad value */
	WM_ENOMEM,    /* allocation failed */
	WM_EIO,	      /* read/write/system call failed (see msg) */
	WM_ETIMEDOUT, /* our own timeout expired */
	WM_ECONN,     /* could not connect: refused, unreachable, reset */
	WM_EAUTH,     /* authentication refused */
	WM_EHOSTKEY,  /* unknown or changed ssh host key */
	WM_EPROTO,    /* peer answered something we cannot parse */
	WM_ENOTFOUND, /* no such file, container, key, table */
	WM_EPERM,     /* permission denied, insecure secrets file */
	WM_ECONFIG,   /* configuration problem */
	WM_ETOOBIG,   /* input exceeds a documented bound */
	WM_EBUSY,     /* held by someone else: another driver has the run's lock */
	WM_ENOHOST,   /* a host name did not resolve (no such name, or no answer
		       * from the resolver in time): we could not look */
};

#define WM_ERR_MSG_MAX 256

struct wm_err {
	int code;		  /* enum wm_errcode; WM_EOK when no error */
	char msg[WM_ERR_MSG_MAX]; /* one line, no trailing newline */
};

/* Fill e (if not NULL) with code and a printf-style message; returns -1 so
 * callers can write `return wm_err_set(e, WM_EINVAL, "...")`. */
int wm_err_set(struct wm_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Like wm_err_set, appending ": strerror(errnum)". */
int wm_err_errno(struct wm_err *e, int code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefix an existing message with "what: " (for context on the way up). */
void wm_err_prefix(struct wm_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void wm_err_clear(struct wm_err *e);
/* Append "what: why" to buf, a "; "-separated list of what went wrong
 * ("backend: no such container; redis: timeout"), cut at size. */
void wm_why_append(char *buf, size_t size, const char *what, const char *why);
/* A short stable name for a code ("timeout", "auth", ...). */
const char *wm_err_name(int code);

#endif
