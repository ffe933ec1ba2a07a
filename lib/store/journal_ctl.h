/* journal_ctl.h - the run directory's control socket: requests, replies, and
 * the client's side of the exchange (warunginmon(7), The control socket).
 *
 * One request per connection: a JSON object on one line (at most
 * WM_CTL_LINE_MAX bytes with its newline), one reply line, then the driver
 * closes.  Requests come from other processes of the same user (the socket
 * is 0600 in a 0700 directory) but are parsed as untrusted input all the
 * same (tests/fuzz/fuzz_ctl.c).
 */
#ifndef WM_JOURNAL_CTL_H
#define WM_JOURNAL_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "base/err.h"

#define WM_CTL_LINE_MAX (64u * 1024)
#define WM_CTL_TEXT_MAX 4096 /* a note's text, an ack's note */
#define WM_CTL_ID_MAX 16     /* "INC-12" */
#define WM_CTL_ROLE_MAX 64
#define WM_CTL_NAME_MAX 128

enum wm_ctl_cmd { WM_CTL_STATUS, WM_CTL_ACK, WM_CTL_NOTE, WM_CTL_APPROVE, WM_CTL_STOP };

/* What a failed request's reply says in "code". */
#define WM_CTL_INVALID "invalid"
#define WM_CTL_NOT_FOUND "not-found"
#define WM_CTL_REFUSED "refused"
#define WM_CTL_IO "io"

struct wm_ctl_req {
	enum wm_ctl_cmd cmd;
	char id[WM_CTL_ID_MAX];	    /* ack: the incident */
	char text[WM_CTL_TEXT_MAX]; /* note: the text; ack: the note ("" for none) */
	bool user_issue;	    /* note */
	char role[WM_CTL_ROLE_MAX]; /* approve: [a-z0-9_-] */
	char name[WM_CTL_NAME_MAX]; /* approve: who signs */
};

/* The command's name ("status", …), and back (-1 when unknown). */
const char *wm_ctl_cmd_name(enum wm_ctl_cmd c);
int wm_ctl_cmd_parse(const char *name);

/* Check the members of a request (WM_EINVAL naming what is wrong): the
 * client checks before sending, the driver after parsing. */
int wm_ctl_check(const struct wm_ctl_req *req, struct wm_err *err);
/* Parse one request line (without or with its newline) into *req.  Returns
 * 0, or -1 with WM_EINVAL (not one JSON object, an unknown "cmd", a missing
 * or bad member, a line over WM_CTL_LINE_MAX) or WM_ENOMEM. */
int wm_ctl_parse(const char *line, size_t len, struct wm_ctl_req *req, struct wm_err *err);
/* The request as one line with its newline (malloc'd), or NULL (ENOMEM). */
char *wm_ctl_format(const struct wm_ctl_req *req);

/* Reply lines (malloc'd, with the newline; NULL when out of memory):
 * {"v":1,"ok":true,"seq":N} (status, when not NULL, is added as "status"
 * and consumed), and {"v":1,"ok":false,"code":CODE,"error":TEXT}. */
char *wm_ctl_reply_ok(int64_t seq, cJSON *status);
char *wm_ctl_reply_err(const char *code, const char *text);

/* The client: connect to the socket at path, send req, read the reply within
 * timeout_ms.  Returns the reply object (caller frees), or NULL: WM_ENOTFOUND
 * when nothing listens there (no socket, or refused: no driver runs), else
 * WM_EIO / WM_ETIMEDOUT / WM_EPROTO (a reply that is not one JSON object). */
cJSON *wm_ctl_call(const char *path, const struct wm_ctl_req *req, int64_t timeout_ms,
		   struct wm_err *err);

#endif
