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

#include "base/duration.h"
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

/* One request of the logs endpoint, its lines to fn. */
static int
logs_request(struct wm_docker *d, const char *id, const struct wm_docker_logs_opts *o, bool raw,
	     wm_docker_line_fn fn, void *arg)
{
	struct logs_ctx c = {.d = d, .fn = fn, .arg = arg};
	char path[512], url[700], ebuf[CURL_ERROR_SIZE] = "";
	CURLcode rc;

	if (logs_path(d, id, o, path, sizeof(path)) < 0)
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

bool
wm_docker_log_time(const char *s, size_t n, double *sec)
{
	int v[6] = {0};
	static const unsigned char at[6] = {0, 5, 8, 11, 14, 17}, nd[6] = {4, 2, 2, 2, 2, 2};
	double frac = 0, scale = 0.1;
	size_t i = 19;

	if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
		return false;
	for (int k = 0; k < 6; k++)
		for (int j = 0; j < nd[k]; j++) {
			char c = s[at[k] + j];

			if (c < '0' || c > '9')
				return false;
			v[k] = v[k] * 10 + (c - '0');
		}
	if (v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31 || v[3] > 23 || v[4] > 59 || v[5] > 60)
		return false;
	if (s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, scale /= 10)
			frac += (s[i] - '0') * scale;
	if (i >= n || s[i] != 'Z')
		return false;
	*sec =
	    (double)(((wm_days_from_civil(v[0], v[1], v[2]) * 24 + v[3]) * 60 + v[4]) * 60 + v[5]) +
	    frac;
	return true;
}

long
wm_docker_tail_cover(wm_docker_first_fn probe, void *arg, double since, long start, long max)
{
	char line[256];
	size_t len;
	double t;

	if (probe(arg, -1, false, line, sizeof line, &len) < 0)
		return -2;
	if (len == 0 || !wm_docker_log_time(line, len, &t) || t >= since)
		return -1; /* empty, or all of it in the window */
	for (long n = start > 0 ? start : 1; n <= max; n *= 2) {
		if (probe(arg, n, true, line, sizeof line, &len) < 0)
			return -2;
		if (len == 0)
			continue; /* the first of the last n is after since */
		if (!wm_docker_log_time(line, len, &t))
			return -1;
		if (t < since)
			return n;
	}
	return -1;
}

struct first_ctx {
	char *line;
	size_t cap, len;
};

/* wm_docker_line_fn: keep the first line, then stop the stream */
static int
first_line(void *arg, int stream, const char *line, size_t len)
{
	struct first_ctx *f = arg;

	(void)stream;
	f->len = len < f->cap ? len : f->cap;
	memcpy(f->line, line, f->len);
	if (f->len == 0) /* an empty line is still a line: not "no line" */
		f->line[f->len++] = ' ';
	return 1;
}

struct probe_ctx {
	struct wm_docker *d;
	const char *id;
	const char *since;
	bool raw;
};

/* wm_docker_first_fn over the Engine API: tail=n (until=since), timestamps on,
 * the first line */
static int
probe_first(void *arg, long n, bool until_since, char *line, size_t cap, size_t *len)
{
	struct probe_ctx *p = arg;
	struct wm_docker_logs_opts o = {.tail = n,
					.timestamps = true,
					.tty = p->raw ? 1 : 0,
					.until = until_since ? p->since : NULL};
	struct first_ctx f = {line, cap, 0};

	if (logs_request(p->d, p->id, &o, p->raw, first_line, &f) < 0)
		return -1;
	*len = f.len;
	return 0;
}

int
wm_docker_logs(struct wm_docker *d, const char *id, const struct wm_docker_logs_opts *o,
	       wm_docker_line_fn fn, void *arg)
{
	struct wm_docker_logs_opts bounded = *o;
	char path[512];
	bool raw;

	if (wm_docker_check_id(d, id) < 0 || (!*d->api && wm_docker_ping(d) < 0))
		return -1;
	if (want_raw(d, id, o->tty, &raw) < 0 || logs_path(d, id, o, path, sizeof(path)) < 0)
		return -1; /* (the path: since and until checked before any probe) */
	if (o->since && o->tail < 0 && !o->follow) {
		struct probe_ctx p = {d, id, o->since, raw};

		bounded.tail = wm_docker_tail_cover(probe_first, &p, strtod(o->since, NULL),
						    WM_DOCKER_TAIL_START, WM_DOCKER_TAIL_MAX);
		if (bounded.tail == -2)
			return -1;
	}
	return logs_request(d, id, &bounded, raw, fn, arg);
}
