/* docker_logs.c - stream a container's logs line by line.
 *
 * libcurl hands the body over in chunks as it arrives; each chunk goes
 * through the demultiplexer straight to the caller's callback, so memory
 * stays constant for logs of any size and --follow works.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "transport/curl_lazy.h"
#include "clients/docker.h"

struct logs_ctx {
	struct wm_docker *d;
	struct wm_docker_demux demux;
	wm_docker_line_fn fn;
	void *arg;
	long status;	   /* HTTP status, 0 until known */
	char errbody[512]; /* start of a non-200 body */
	size_t errlen;
	bool corrupt;
};

static size_t
logs_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct logs_ctx *c = arg;
	size_t n = size * nmemb;

	if (c->status == 0)
		c->d->cu->easy_getinfo(c->d->curl, CURLINFO_RESPONSE_CODE, &c->status);
	if (c->status != 200) {
		size_t room = sizeof(c->errbody) - 1 - c->errlen, k = n < room ? n : room;

		memcpy(c->errbody + c->errlen, p, k);
		c->errlen += k;
		c->errbody[c->errlen] = '\0';
		return n;
	}
	if (wm_docker_demux_feed(&c->demux, p, n, c->fn, c->arg, &c->d->err) < 0) {
		c->corrupt = true;
		return 0;
	}
	return c->demux.stopped ? 0 : n;
}

static int
logs_path(struct wm_docker *d, const char *id, const struct wm_docker_logs_opts *o, char *path,
	  size_t size)
{
	const char *num = "0123456789.";
	char tail[32] = "all";
	int n;

	if ((o->since && strspn(o->since, num) != strlen(o->since)) ||
	    (o->until && strspn(o->until, num) != strlen(o->until)))
		return wm_err_set(&d->err, WM_EINVAL, "since/until must be unix seconds");
	if (o->tail >= 0)
		snprintf(tail, sizeof(tail), "%ld", o->tail);
	n = snprintf(
	    path, size, "/containers/%s/logs?stdout=1&stderr=1&timestamps=%d&tail=%s%s%s%s%s%s", id,
	    o->timestamps ? 1 : 0, tail, o->since ? "&since=" : "", o->since ? o->since : "",
	    o->until ? "&until=" : "", o->until ? o->until : "", o->follow ? "&follow=1" : "");
	if (n < 0 || (size_t)n >= size)
		return wm_err_set(&d->err, WM_EINVAL, "logs request too long");
	return 0;
}

/* TTY or not: the caller's word, else inspect's Config.Tty. */
static int
want_raw(struct wm_docker *d, const char *id, int tty, bool *raw)
{
	struct wm_inspect in;

	if (tty >= 0) {
		*raw = tty == 1;
		return 0;
	}
	if (wm_docker_inspect(d, id, &in) < 0)
		return -1;
	*raw = in.tty;
	wm_docker_inspect_clear(&in);
	return 0;
}

int
wm_docker_logs(struct wm_docker *d, const char *id, const struct wm_docker_logs_opts *o,
	       wm_docker_line_fn fn, void *arg)
{
	struct logs_ctx c = {.d = d, .fn = fn, .arg = arg};
	char path[512], url[700], ebuf[CURL_ERROR_SIZE] = "";
	bool raw;
	CURLcode rc;

	if (wm_docker_check_id(d, id) < 0 || (!*d->api && wm_docker_ping(d) < 0))
		return -1;
	if (want_raw(d, id, o->tty, &raw) < 0 || logs_path(d, id, o, path, sizeof(path)) < 0)
		return -1;
	if (wm_docker_demux_init(&c.demux, raw, &d->err) < 0)
		return -1;
	snprintf(url, sizeof(url), "http://docker/v%s%s", d->api, path);
	d->cu->easy_reset(d->curl);
	d->cu->easy_setopt(d->curl, CURLOPT_URL, url);
	d->cu->easy_setopt(d->curl, CURLOPT_UNIX_SOCKET_PATH, d->socket_path);
	d->cu->easy_setopt(d->curl, CURLOPT_NOSIGNAL, 1L);
	d->cu->easy_setopt(d->curl, CURLOPT_CONNECTTIMEOUT_MS, wm_docker_timeout(d));
	/* A followed stream may stay quiet for hours: no overall timeout then. */
	d->cu->easy_setopt(d->curl, CURLOPT_TIMEOUT_MS, o->follow ? 0L : wm_docker_timeout(d));
	d->cu->easy_setopt(d->curl, CURLOPT_ERRORBUFFER, ebuf);
	d->cu->easy_setopt(d->curl, CURLOPT_WRITEFUNCTION, logs_write);
	d->cu->easy_setopt(d->curl, CURLOPT_WRITEDATA, &c);
	rc = d->cu->easy_perform(d->curl);
	if (c.status == 0)
		d->cu->easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &c.status);
	if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && c.demux.stopped))
		wm_docker_demux_finish(&c.demux, c.status == 200 ? fn : NULL, arg);
	else
		wm_docker_demux_finish(&c.demux, NULL, NULL);
	if (c.corrupt)
		return -1;
	if (rc == CURLE_WRITE_ERROR && c.demux.stopped)
		return 0;
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return wm_err_set(&d->err, WM_ETIMEDOUT, "logs of %.12s: no end within %ld ms", id,
				  d->timeout_ms);
	if (rc != CURLE_OK)
		return wm_err_set(&d->err, rc == CURLE_COULDNT_CONNECT ? WM_ECONN : WM_EIO,
				  "logs of %.12s: %s", id, *ebuf ? ebuf : d->cu->easy_strerror(rc));
	if (c.status != 200)
		return wm_err_set(&d->err, c.status == 404 ? WM_ENOTFOUND : WM_EPROTO,
				  "logs of %.12s: HTTP %ld: %.200s", id, c.status, c.errbody);
	return 0;
}
