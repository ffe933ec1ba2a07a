/* ssh_exec.c - run a command on the remote host over an exec channel,
 * bounded in time and in output.  The session lock is held only around each
 * libssh call, so tunnels keep flowing meanwhile. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libssh/libssh.h>

#include "transport/ssh.h"

long wm_ssh_now_ms(void);
ssh_channel wm_ssh_open_exec(struct wm_ssh *s, const char *cmd);

/* A session channel running cmd; call with s->lock held.  NULL + s->err on failure. */
ssh_channel
wm_ssh_open_exec(struct wm_ssh *s, const char *cmd)
{
	ssh_channel ch = ssh_channel_new(s->session);

	if (!ch) {
		wm_err_set(&s->err, WM_ENOMEM, "ssh: cannot make a channel");
		return NULL;
	}
	if (ssh_channel_open_session(ch) != SSH_OK || ssh_channel_request_exec(ch, cmd) != SSH_OK) {
		wm_err_set(&s->err, WM_ECONN, "ssh %s: exec: %s", s->host,
			   ssh_get_error(s->session));
		ssh_channel_free(ch);
		return NULL;
	}
	return ch;
}

struct outbuf {
	char *buf;
	size_t len, max;
};

static int
append(struct outbuf *o, const char *p, size_t n)
{
	if (o->len + n > o->max)
		return -1;
	memcpy(o->buf + o->len, p, n);
	o->len += n;
	o->buf[o->len] = '\0';
	return 0;
}

/* One non-blocking read of each stream; 1 at EOF, -1 on error or overflow. */
static int
drain(struct wm_ssh *s, ssh_channel ch, struct outbuf *out, struct outbuf *err)
{
	char tmp[16384];
	int n, m, eof;

	pthread_mutex_lock(&s->lock);
	n = ssh_channel_read_nonblocking(ch, tmp, sizeof(tmp), 0);
	if (n > 0 && append(out, tmp, (size_t)n) < 0) {
		pthread_mutex_unlock(&s->lock);
		return wm_err_set(&s->err, WM_ETOOBIG, "ssh exec: output larger than %zu bytes",
				  out->max);
	}
	m = ssh_channel_read_nonblocking(ch, tmp, sizeof(tmp), 1);
	if (m > 0)
		append(err, tmp, (size_t)m < err->max - err->len ? (size_t)m : err->max - err->len);
	eof = ssh_channel_is_eof(ch) || ssh_channel_is_closed(ch);
	pthread_mutex_unlock(&s->lock);
	if (n == SSH_ERROR || m == SSH_ERROR)
		return wm_err_set(&s->err, WM_ECONN, "ssh exec: %s", ssh_get_error(s->session));
	if (n > 0 || m > 0)
		return 0;
	return eof ? 1 : 2;
}

int
wm_ssh_exec(struct wm_ssh *s, const char *const argv[], size_t max, char **out, size_t *outlen,
	    int *status, char *errline, size_t errsize)
{
	char cmd[8192], ebuf[1024];
	struct outbuf o = {.max = max}, e = {.buf = ebuf, .max = sizeof(ebuf) - 1};
	long deadline = wm_ssh_now_ms() + s->timeout_ms;
	ssh_channel ch;
	int rc;

	*out = NULL;
	ebuf[0] = '\0';
	if (wm_ssh_quote(argv, cmd, sizeof(cmd), &s->err) < 0)
		return -1;
	o.buf = malloc(max + 1);
	if (!o.buf)
		return wm_err_set(&s->err, WM_ENOMEM, "out of memory");
	o.buf[0] = '\0';
	pthread_mutex_lock(&s->lock);
	ch = wm_ssh_open_exec(s, cmd);
	pthread_mutex_unlock(&s->lock);
	if (!ch)
		goto out_free_buf;
	while ((rc = drain(s, ch, &o, &e)) != 1) {
		if (rc < 0)
			goto out_close;
		if (wm_ssh_now_ms() > deadline) {
			wm_err_set(&s->err, WM_ETIMEDOUT, "ssh exec %s: no end within %ld ms",
				   argv[0], s->timeout_ms);
			goto out_close;
		}
		if (rc == 2)
			poll(NULL, 0, 5);
	}
	pthread_mutex_lock(&s->lock);
	*status = ssh_channel_get_exit_status(ch);
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	pthread_mutex_unlock(&s->lock);
	if (errline)
		snprintf(errline, errsize, "%.*s", (int)strcspn(ebuf, "\n"), ebuf);
	*out = o.buf;
	if (outlen)
		*outlen = o.len;
	return 0;
out_close:
	pthread_mutex_lock(&s->lock);
	ssh_channel_close(ch);
	ssh_channel_free(ch);
	pthread_mutex_unlock(&s->lock);
out_free_buf:
	free(o.buf);
	return -1;
}
