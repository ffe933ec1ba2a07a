/* docker_events.c - the /events stream: the event parser, the HTTP answer
 * parser (pure, fuzzed), and the blocking reader over the unix socket. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "base/duration.h"
#include "clients/docker_events.h"

enum { ST_STATUS, ST_HEADERS, ST_BODY, ST_CHUNK_SIZE, ST_CHUNK_DATA, ST_CHUNK_END, ST_DONE };

#define HEADER_LINE_MAX 8192

static const char *const watched[] = {"die", "start", "stop", "kill", "oom", "health_status"};

/* Copy a string member of o into buf (truncated); "" when absent or not a string. */
static void
copy_str(const cJSON *o, const char *key, char *buf, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	snprintf(buf, len, "%s", cJSON_IsString(v) ? v->valuestring : "");
}

/* timeNano to the nanosecond: a double keeps only ~16 digits of its 19, so
 * read the digits from the text (the last "timeNano": member), else approx. */
static int64_t
nanos(const char *json, size_t len, int64_t approx)
{
	static const char key[] = "\"timeNano\":";
	const char *p = NULL;
	uint64_t v = 0; /* 19 digits fit in 64 unsigned bits, not always in signed */
	int digits = 0;

	for (size_t i = 0; i + sizeof(key) - 1 <= len; i++)
		if (!memcmp(json + i, key, sizeof(key) - 1))
			p = json + i + sizeof(key) - 1;
	if (!p)
		return approx;
	while (p < json + len && *p == ' ')
		p++;
	for (; p < json + len && *p >= '0' && *p <= '9' && digits < 19; p++, digits++)
		v = v * 10 + (*p - '0');
	/* The text must agree with the parsed number (same member, no exponent);
	 * approx is positive (checked by the caller), so the distance is exact. */
	if (digits < 10 || v > (uint64_t)INT64_MAX || approx <= 0)
		return approx;
	return (v > (uint64_t)approx ? v - (uint64_t)approx : (uint64_t)approx - v) < 1000000
		   ? (int64_t)v
		   : approx;
}

int
wm_docker_event_parse(const char *json, size_t len, struct wm_docker_event *ev, struct wm_err *err)
{
	cJSON *o = cJSON_ParseWithLength(json, len);
	const cJSON *type, *action, *actor, *attrs, *t;
	char act[64];
	const char *colon;
	int rc = 1;

	memset(ev, 0, sizeof(*ev));
	ev->exit_code = -1;
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return wm_err_set(err, WM_EPROTO, "event: not a JSON object");
	}
	type = cJSON_GetObjectItemCaseSensitive(o, "Type");
	action = cJSON_GetObjectItemCaseSensitive(o, "Action");
	actor = cJSON_GetObjectItemCaseSensitive(o, "Actor");
	if (!cJSON_IsString(type) || !cJSON_IsString(action) || !cJSON_IsObject(actor)) {
		cJSON_Delete(o);
		return wm_err_set(err, WM_EPROTO, "event: Type, Action or Actor missing");
	}
	if (strcmp(type->valuestring, "container") != 0)
		goto out;
	snprintf(act, sizeof(act), "%s", action->valuestring);
	if ((colon = strchr(act, ':'))) { /* "health_status: unhealthy" */
		const char *h = colon + 1 + strspn(colon + 1, " ");

		act[colon - act] = '\0';
		if (!strcmp(act, "health_status")) /* a health is only a health_status's */
			snprintf(ev->health, sizeof(ev->health), "%s", h);
	}
	for (size_t i = 0; i < sizeof(watched) / sizeof(watched[0]) && rc; i++)
		if (!strcmp(act, watched[i]))
			rc = 0;
	if (rc || (!strcmp(act, "health_status") && !*ev->health)) {
		rc = 1; /* not watched, or a health change without its status */
		goto out;
	}
	memcpy(ev->action, act, strlen(act) + 1); /* one of watched[]: fits */
	copy_str(actor, "ID", ev->id, sizeof(ev->id));
	attrs = cJSON_GetObjectItemCaseSensitive(actor, "Attributes");
	copy_str(attrs, "name", ev->name, sizeof(ev->name));
	copy_str(attrs, "com.docker.compose.service", ev->service, sizeof(ev->service));
	copy_str(attrs, "com.docker.compose.project", ev->project, sizeof(ev->project));
	copy_str(attrs, "signal", ev->signal, sizeof(ev->signal));
	t = cJSON_GetObjectItemCaseSensitive(attrs, "exitCode");
	if (cJSON_IsString(t)) {
		char *end;
		long v = strtol(t->valuestring, &end, 10);

		if (end != t->valuestring && !*end && v >= 0 && v < 100000)
			ev->exit_code = v;
	}
	if (!*ev->id) {
		rc = wm_err_set(err, WM_EPROTO, "event: a container event without Actor.ID");
		goto out;
	}
	t = cJSON_GetObjectItemCaseSensitive(o, "timeNano");
	if (cJSON_IsNumber(t) && t->valuedouble > 0 && t->valuedouble < 9e18)
		ev->time_ns = nanos(json, len, (int64_t)t->valuedouble);
	else if (cJSON_IsNumber(t = cJSON_GetObjectItemCaseSensitive(o, "time")) &&
		 t->valuedouble > 0 && t->valuedouble < 9e9)
		ev->time_ns = (int64_t)t->valuedouble * INT64_C(1000000000);
out:
	cJSON_Delete(o);
	return rc;
}

void
wm_docker_events_parser_init(struct wm_docker_events_parser *p)
{
	memset(p, 0, sizeof(*p));
	p->state = ST_STATUS;
}

void
wm_docker_events_parser_free(struct wm_docker_events_parser *p)
{
	free(p->line);
	p->line = NULL;
	p->len = p->cap = 0;
}

/* Append one byte to the line buffer (bounded by max: past it the line is
 * skipped until its end).  -1 on ENOMEM. */
static int
push(struct wm_docker_events_parser *p, char c, size_t max)
{
	if (p->skipping)
		return 0;
	if (p->len + 1 >= max) {
		p->skipping = true;
		p->len = 0;
		return 0;
	}
	if (p->len + 1 >= p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 512;
		char *n = realloc(p->line, cap);

		if (!n)
			return -1;
		p->line = n;
		p->cap = cap;
	}
	p->line[p->len++] = c;
	p->line[p->len] = '\0';
	return 0;
}

static int
status_line(struct wm_docker_events_parser *p, struct wm_err *err)
{
	const char *l = p->line ? p->line : "";
	char *end;

	if (strncmp(l, "HTTP/1.", 7) != 0 || !l[7] || l[8] != ' ')
		return wm_err_set(err, WM_EPROTO, "docker /events: not an HTTP answer");
	p->status = strtol(l + 9, &end, 10);
	if (end == l + 9 || p->status < 100 || p->status > 599)
		return wm_err_set(err, WM_EPROTO, "docker /events: bad status line");
	return 0;
}

static int
header_line(struct wm_docker_events_parser *p, struct wm_err *err)
{
	const char *l = p->line ? p->line : "", *v;

	if (!*l) {
		p->state = p->chunked ? ST_CHUNK_SIZE : ST_BODY;
		return 0;
	}
	if (!(v = strchr(l, ':')))
		return wm_err_set(err, WM_EPROTO, "docker /events: bad header line");
	if ((size_t)(v - l) == strlen("Transfer-Encoding") &&
	    !strncasecmp(l, "Transfer-Encoding", (size_t)(v - l)) && strcasestr(v, "chunked"))
		p->chunked = true;
	return 0;
}

static int
chunk_size(struct wm_docker_events_parser *p, struct wm_err *err)
{
	const char *l = p->size_line;
	uint64_t n = 0;
	size_t i = 0;

	for (; l[i] && strchr("0123456789abcdefABCDEF", l[i]); i++) {
		if (i >= 15)
			return wm_err_set(err, WM_EPROTO, "docker /events: chunk size too large");
		n = n * 16 + (uint64_t)(l[i] <= '9' ? l[i] - '0' : (l[i] | 0x20) - 'a' + 10);
	}
	if (i == 0 || (l[i] && l[i] != ';' && l[i] != ' '))
		return wm_err_set(err, WM_EPROTO, "docker /events: bad chunk size");
	p->chunk_left = n;
	p->state = n ? ST_CHUNK_DATA : ST_DONE;
	return 0;
}

/* A body byte: event lines, or the start of an error answer. */
static int
body_byte(struct wm_docker_events_parser *p, char c, wm_docker_event_fn fn, void *arg,
	  struct wm_err *err)
{
	struct wm_docker_event ev;
	struct wm_err perr = {0};
	int rc;

	if (p->status != 200) {
		size_t n = strlen(p->errbody);

		if (n + 1 < sizeof(p->errbody) && c != '\n' && c != '\r')
			p->errbody[n] = c;
		return 0;
	}
	if (c != '\n')
		return push(p, c, WM_DOCKER_EVENT_LINE_MAX)
			   ? wm_err_set(err, WM_ENOMEM, "out of memory")
			   : 0;
	if (p->skipping) {
		p->skipping = false;
		p->skipped++;
		return 0;
	}
	if (p->len == 0)
		return 0;
	rc = wm_docker_event_parse(p->line, p->len, &ev, &perr);
	p->len = 0;
	if (rc < 0)
		p->skipped++;
	else if (rc == 0 && fn(arg, &ev) != 0)
		return -1;
	return 0;
}

/* A complete header-part line in p->line: act on it. */
static int
head_line(struct wm_docker_events_parser *p, struct wm_err *err)
{
	int rc;

	if (p->len && p->line[p->len - 1] == '\r')
		p->line[--p->len] = '\0';
	if (p->skipping)
		return wm_err_set(err, WM_EPROTO, "docker /events: header line too long");
	switch (p->state) {
	case ST_STATUS:
		rc = status_line(p, err);
		p->state = ST_HEADERS;
		break;
	default: /* ST_HEADERS */
		rc = header_line(p, err);
	}
	p->len = 0;
	return rc;
}

/* A byte of a chunk's size line or of the CRLF after its data: kept apart
 * from p->line, which holds an event line that may go on in the next chunk. */
static int
chunk_byte(struct wm_docker_events_parser *p, char c, struct wm_err *err)
{
	if (p->state == ST_CHUNK_END) {
		if (c == '\n')
			p->state = ST_CHUNK_SIZE;
		else if (c != '\r')
			return wm_err_set(err, WM_EPROTO,
					  "docker /events: chunk not followed by CRLF");
		return 0;
	}
	if (c != '\n') {
		if (p->size_len + 1 < sizeof(p->size_line)) /* the rest: an extension */
			p->size_line[p->size_len++] = c;
		p->size_line[p->size_len] = '\0';
		return 0;
	}
	if (p->size_len && p->size_line[p->size_len - 1] == '\r')
		p->size_line[--p->size_len] = '\0';
	p->size_len = 0;
	return chunk_size(p, err);
}

int
wm_docker_events_feed(struct wm_docker_events_parser *p, const char *buf, size_t len,
		      wm_docker_event_fn fn, void *arg, struct wm_err *err)
{
	for (size_t i = 0; i < len; i++) {
		char c = buf[i];

		switch (p->state) {
		case ST_BODY:
			if (body_byte(p, c, fn, arg, err))
				return -1;
			break;
		case ST_CHUNK_DATA:
			if (body_byte(p, c, fn, arg, err))
				return -1;
			if (--p->chunk_left == 0)
				p->state = ST_CHUNK_END;
			break;
		case ST_CHUNK_SIZE:
		case ST_CHUNK_END:
			if (chunk_byte(p, c, err))
				return -1;
			break;
		case ST_DONE:
			break;
		default: /* a line of the status or the headers */
			if (c != '\n') {
				if (push(p, c, HEADER_LINE_MAX))
					return wm_err_set(err, WM_ENOMEM, "out of memory");
			} else if (head_line(p, err)) {
				return -1;
			}
		}
	}
	if (p->status && p->status != 200 && p->state >= ST_BODY &&
	    (p->state == ST_DONE || strlen(p->errbody) > 0))
		return wm_err_set(err, WM_EPROTO, "docker /events: HTTP %ld: %s", p->status,
				  p->errbody);
	return p->state == ST_DONE ? 1 : 0;
}

int
wm_docker_events_path(const struct wm_docker_events_opts *o, char *buf, size_t len,
		      struct wm_err *err)
{
	char filt[600], enc[1800], since[48] = "";
	size_t k = 0;
	int n;

	if (!o->project || !*o->project || strlen(o->project) > 200 ||
	    strspn(o->project,
		   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
		strlen(o->project))
		return wm_err_set(err, WM_EINVAL, "bad compose project name");
	snprintf(filt, sizeof(filt),
		 "{\"type\":[\"container\"],\"label\":[\"com.docker.compose.project=%s\"],"
		 "\"event\":[\"die\",\"start\",\"stop\",\"kill\",\"oom\",\"health_status\"]}",
		 o->project);
	for (const char *s = filt; *s && k + 4 < sizeof(enc); s++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
			   *s)) {
			enc[k++] = *s;
		} else {
			snprintf(enc + k, 4, "%%%02X", (unsigned char)*s);
			k += 3;
		}
	}
	enc[k] = '\0';
	if (o->since_ns > 0)
		snprintf(since, sizeof(since), "&since=%lld.%09lld",
			 (long long)(o->since_ns / 1000000000),
			 (long long)(o->since_ns % 1000000000));
	n = snprintf(buf, len, "/events?filters=%s%s", enc, since);
	if (n < 0 || (size_t)n >= len)
		return wm_err_set(err, WM_EINVAL, "events request too long");
	return 0;
}

/* Connect to path without blocking longer than timeout_ms (or stop_fd). */
static int
connect_socket(const struct wm_docker_events_opts *o, struct wm_err *err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (!o->socket_path || !*o->socket_path || strlen(o->socket_path) >= sizeof(sa.sun_path))
		return wm_err_set(err, WM_EINVAL, "bad docker socket path");
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", o->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return wm_err_errno(err, WM_EIO, errno, "socket");
	/* A unix socket connects at once or fails (EAGAIN when the backlog is
	 * full is treated as refused): no timeout needed here. */
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		close(fd);
		return wm_err_errno(err, WM_ECONN, e, "docker events: connecting to %s",
				    o->socket_path);
	}
	return fd;
}

static int
send_all(int fd, const char *s, size_t n, struct wm_err *err)
{
	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return wm_err_errno(err, WM_ECONN, errno,
					    "docker events: sending the request");
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

int
wm_docker_events_stream(const struct wm_docker_events_opts *o, wm_docker_event_fn fn, void *arg,
			struct wm_err *err)
{
	struct wm_docker_events_parser p;
	char path[2200], req[2400], buf[16384];
	int64_t timeout = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000;
	int64_t deadline = wm_monotonic_ms() + timeout;
	int fd, rc = -1, n;

	if (wm_docker_events_path(o, path, sizeof(path), err) < 0)
		return -1;
	n = snprintf(req, sizeof(req),
		     "GET %s HTTP/1.0\r\nHost: docker\r\nUser-Agent: warunginmon\r\n\r\n", path);
	if (n < 0 || (size_t)n >= sizeof(req))
		return wm_err_set(err, WM_EINVAL, "events request too long");
	if ((fd = connect_socket(o, err)) < 0)
		return -1;
	if (send_all(fd, req, (size_t)n, err) < 0) {
		close(fd);
		return -1;
	}
	wm_docker_events_parser_init(&p);
	for (;;) {
		struct pollfd pfd[2] = {{.fd = fd, .events = POLLIN},
					{.fd = o->stop_fd, .events = POLLIN}};
		/* Until the headers are in, the engine must answer in time; then
		 * the stream may stay quiet for hours: block without a timeout. */
		int wait = p.state < ST_BODY ? (int)(deadline - wm_monotonic_ms()) : -1;
		ssize_t r;
		int f;

		if (p.state < ST_BODY && wait <= 0) {
			wm_err_set(err, WM_ETIMEDOUT, "docker events: no answer within %lld ms",
				   (long long)timeout);
			break;
		}
		if (poll(pfd, o->stop_fd >= 0 ? 2 : 1, wait) < 0) {
			if (errno == EINTR)
				continue;
			wm_err_errno(err, WM_EIO, errno, "poll");
			break;
		}
		if (o->stop_fd >= 0 && (pfd[1].revents & POLLIN)) {
			rc = 0;
			break;
		}
		if (!(pfd[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		r = recv(fd, buf, sizeof(buf), 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			wm_err_set(err, WM_ECONN, "docker events: the stream was closed%s",
				   p.state < ST_BODY ? " before the answer" : "");
			break;
		}
		f = wm_docker_events_feed(&p, buf, (size_t)r, fn, arg, err);
		if (f < 0)
			break;
		if (f > 0) {
			wm_err_set(err, WM_ECONN, "docker events: the stream ended");
			break;
		}
	}
	if (rc < 0 && p.status && p.status != 200 && err && err->code == WM_ECONN)
		wm_err_set(err, WM_EPROTO, "docker /events: HTTP %ld: %s", p.status, p.errbody);
	wm_docker_events_parser_free(&p);
	close(fd);
	return rc;
}
