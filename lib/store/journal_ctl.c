/* journal_ctl.c - the control socket's requests and replies, and its client. */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "base/duration.h"
#include "store/journal_ctl.h"

static const char *const cmd_names[] = {"status", "ack", "note", "approve", "stop"};

const char *
wm_ctl_cmd_name(enum wm_ctl_cmd c)
{
	return (unsigned)c < sizeof(cmd_names) / sizeof(cmd_names[0]) ? cmd_names[c] : "?";
}

int
wm_ctl_cmd_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++)
		if (!strcmp(name, cmd_names[i]))
			return (int)i;
	return -1;
}

/* Text without control characters other than tab (a note is one record's
 * member, shown on terminals). */
static bool
printable(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return false;
	return true;
}

int
wm_ctl_check(const struct wm_ctl_req *r, struct wm_err *err)
{
	size_t n;

	switch (r->cmd) {
	case WM_CTL_STATUS:
	case WM_CTL_STOP:
		return 0;
	case WM_CTL_ACK:
		n = strlen(r->id);
		if (n < 5 || strncmp(r->id, "INC-", 4) != 0 ||
		    strspn(r->id + 4, "0123456789") != n - 4)
			return wm_err_set(err, WM_EINVAL, "an incident id is INC-N");
		if (!printable(r->text))
			return wm_err_set(err, WM_EINVAL, "the note holds control characters");
		return 0;
	case WM_CTL_NOTE:
		if (!r->text[0])
			return wm_err_set(err, WM_EINVAL, "an empty note");
		if (!printable(r->text))
			return wm_err_set(err, WM_EINVAL, "the note holds control characters");
		return 0;
	case WM_CTL_APPROVE:
		n = strlen(r->role);
		if (!n || strspn(r->role, "abcdefghijklmnopqrstuvwxyz0123456789_-") != n)
			return wm_err_set(err, WM_EINVAL,
					  "a role is a name of [a-z0-9_-] (an [approver] section)");
		if (!r->name[0] || !printable(r->name))
			return wm_err_set(err, WM_EINVAL, "approve needs the approver's name");
		return 0;
	}
	return wm_err_set(err, WM_EINVAL, "unknown command");
}

/* Copy the string member key of o into buf (size len); absent is "".
 * -1 when it is not a string or does not fit. */
static int
get_str(const cJSON *o, const char *key, char *buf, size_t len, struct wm_err *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	buf[0] = '\0';
	if (!v)
		return 0;
	if (!cJSON_IsString(v) || !v->valuestring)
		return wm_err_set(err, WM_EINVAL, "\"%s\" is not a string", key);
	if (strlen(v->valuestring) >= len)
		return wm_err_set(err, WM_EINVAL, "\"%s\" is longer than %zu bytes", key, len - 1);
	memcpy(buf, v->valuestring, strlen(v->valuestring) + 1);
	return 0;
}

int
wm_ctl_parse(const char *line, size_t len, struct wm_ctl_req *req, struct wm_err *err)
{
	const char *end = NULL;
	const cJSON *c, *ui, *v;
	char cmd[16];
	cJSON *o;
	int rc = -1, k;

	memset(req, 0, sizeof(*req));
	if (len && line[len - 1] == '\n')
		len--;
	if (len + 1 > WM_CTL_LINE_MAX)
		return wm_err_set(err, WM_EINVAL, "a request over %u bytes", WM_CTL_LINE_MAX);
	if (memchr(line, '\n', len) || memchr(line, '\0', len))
		return wm_err_set(err, WM_EINVAL, "a request is one line of JSON");
	o = cJSON_ParseWithLengthOpts(line, len, &end, 0);
	if (!o || end != line + len || !cJSON_IsObject(o)) {
		wm_err_set(err, WM_EINVAL, "a request is one JSON object");
		goto out;
	}
	v = cJSON_GetObjectItemCaseSensitive(o, "v");
	if (v && (!cJSON_IsNumber(v) || v->valuedouble != 1)) {
		wm_err_set(err, WM_EINVAL, "unknown protocol version");
		goto out;
	}
	c = cJSON_GetObjectItemCaseSensitive(o, "cmd");
	if (!cJSON_IsString(c) || strlen(c->valuestring) >= sizeof(cmd) ||
	    (k = wm_ctl_cmd_parse(c->valuestring)) < 0) {
		wm_err_set(err, WM_EINVAL, "no known \"cmd\" (status, ack, note, approve, stop)");
		goto out;
	}
	req->cmd = (enum wm_ctl_cmd)k;
	ui = cJSON_GetObjectItemCaseSensitive(o, "user_issue");
	if (ui && !cJSON_IsBool(ui)) {
		wm_err_set(err, WM_EINVAL, "\"user_issue\" is not true or false");
		goto out;
	}
	req->user_issue = cJSON_IsTrue(ui);
	/* only the members of the command: the rest is ignored */
	if ((req->cmd == WM_CTL_ACK && (get_str(o, "id", req->id, sizeof(req->id), err) ||
					get_str(o, "note", req->text, sizeof(req->text), err))) ||
	    (req->cmd == WM_CTL_NOTE && get_str(o, "text", req->text, sizeof(req->text), err)) ||
	    (req->cmd == WM_CTL_APPROVE &&
	     (get_str(o, "role", req->role, sizeof(req->role), err) ||
	      get_str(o, "name", req->name, sizeof(req->name), err))) ||
	    wm_ctl_check(req, err))
		goto out;
	if (req->cmd != WM_CTL_NOTE)
		req->user_issue = false;
	rc = 0;
out:
	cJSON_Delete(o);
	return rc;
}

/* A JSON value as one line with its newline (consumes o). */
static char *
line_of(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL, *l = NULL;
	size_t n;

	cJSON_Delete(o);
	if (!s)
		return NULL;
	n = strlen(s);
	if ((l = realloc(s, n + 2))) {
		l[n] = '\n';
		l[n + 1] = '\0';
	} else {
		free(s);
	}
	return l;
}

char *
wm_ctl_format(const struct wm_ctl_req *r)
{
	cJSON *o = cJSON_CreateObject();
	bool ok = o && cJSON_AddNumberToObject(o, "v", 1) &&
		  cJSON_AddStringToObject(o, "cmd", wm_ctl_cmd_name(r->cmd));

	if (ok && r->cmd == WM_CTL_ACK)
		ok = cJSON_AddStringToObject(o, "id", r->id) &&
		     (!r->text[0] || cJSON_AddStringToObject(o, "note", r->text));
	if (ok && r->cmd == WM_CTL_NOTE)
		ok = cJSON_AddStringToObject(o, "text", r->text) &&
		     cJSON_AddBoolToObject(o, "user_issue", r->user_issue);
	if (ok && r->cmd == WM_CTL_APPROVE)
		ok = cJSON_AddStringToObject(o, "role", r->role) &&
		     cJSON_AddStringToObject(o, "name", r->name);
	if (!ok) {
		cJSON_Delete(o);
		return NULL;
	}
	return line_of(o);
}

char *
wm_ctl_reply_ok(int64_t seq, cJSON *status)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddNumberToObject(o, "v", 1) || !cJSON_AddTrueToObject(o, "ok") ||
	    !cJSON_AddNumberToObject(o, "seq", (double)seq) ||
	    (status && !cJSON_AddItemToObject(o, "status", status))) {
		cJSON_Delete(o);
		if (status && (!o || !cJSON_GetObjectItemCaseSensitive(o, "status")))
			cJSON_Delete(status);
		return NULL;
	}
	return line_of(o);
}

char *
wm_ctl_reply_err(const char *code, const char *text)
{
	cJSON *o = cJSON_CreateObject();

	if (!o || !cJSON_AddNumberToObject(o, "v", 1) || !cJSON_AddFalseToObject(o, "ok") ||
	    !cJSON_AddStringToObject(o, "code", code) ||
	    !cJSON_AddStringToObject(o, "error", text)) {
		cJSON_Delete(o);
		return NULL;
	}
	return line_of(o);
}

/* Wait for fd to be ready for events until deadline (monotonic ms). */
static int
wait_fd(int fd, short events, int64_t deadline, struct wm_err *err)
{
	for (;;) {
		struct pollfd p = {.fd = fd, .events = events};
		int64_t left = deadline - wm_monotonic_ms();
		int n;

		if (left <= 0)
			return wm_err_set(err, WM_ETIMEDOUT, "the driver did not answer in time");
		n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return wm_err_errno(err, WM_EIO, errno, "poll");
	}
}

cJSON *
wm_ctl_call(const char *path, const struct wm_ctl_req *req, int64_t timeout_ms, struct wm_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int64_t deadline = wm_monotonic_ms() + timeout_ms;
	char *line = NULL, *buf = NULL;
	size_t len = 0, cap = 0, off = 0;
	cJSON *reply = NULL;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return wm_err_set(err, WM_EINVAL, "%s: socket path too long", path), NULL;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return wm_err_errno(err, WM_EIO, errno, "socket"), NULL;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;

		close(fd);
		if (e == ENOENT || e == ECONNREFUSED)
			return wm_err_set(err, WM_ENOTFOUND, "no driver runs"), NULL;
		return wm_err_errno(err, WM_EIO, e, "%s", path), NULL;
	}
	if (!(line = wm_ctl_format(req))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out;
	}
	len = strlen(line);
	while (off < len) {
		ssize_t n;

		if (wait_fd(fd, POLLOUT, deadline, err))
			goto out;
		n = send(fd, line + off, len - off, MSG_NOSIGNAL);
		if (n < 0 && errno != EINTR && errno != EAGAIN) {
			wm_err_errno(err, WM_EIO, errno, "%s", path);
			goto out;
		}
		off += n > 0 ? (size_t)n : 0;
	}
	len = 0;
	for (;;) {
		ssize_t n;

		if (len + 4096 + 1 > cap) {
			char *p;

			cap = cap ? 2 * cap : 16384;
			if (cap > 64u << 20 || !(p = realloc(buf, cap))) {
				wm_err_set(err, WM_ETOOBIG, "the driver's reply is too long");
				goto out;
			}
			buf = p;
		}
		if (wait_fd(fd, POLLIN, deadline, err))
			goto out;
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			wm_err_errno(err, WM_EIO, errno, "%s", path);
			goto out;
		}
		if (n == 0 || memchr(buf + len, '\n', (size_t)n)) {
			len += (size_t)n;
			break;
		}
		len += (size_t)n;
	}
	buf[len] = '\0';
	reply = cJSON_Parse(buf ? buf : "");
	if (!cJSON_IsObject(reply)) {
		cJSON_Delete(reply);
		reply = NULL;
		wm_err_set(err, len ? WM_EPROTO : WM_EIO,
			   len ? "the driver's reply is not JSON"
			       : "the driver closed without a reply");
	}
out:
	free(line);
	free(buf);
	close(fd);
	return reply;
}
