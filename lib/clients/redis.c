/* redis.c - a small Redis client over hiredis 0.14 (connect, AUTH, PING, INFO, probe). */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "base/duration.h"
#include "clients/redis.h"
#include "transport/resolve.h"

struct wm_redis {
	redisContext *ctx;
	char where[300]; /* endpoint, for messages */
};

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
copy_str(char *dst, size_t size, const char *src, size_t n)
{
	if (n >= size)
		return -1;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

static int
parse_port(const char *s, int *port)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 65535)
		return -1;
	*port = (int)v;
	return 0;
}

int
wm_redis_endpoint_parse(const char *s, struct wm_redis_endpoint *ep, struct wm_err *err)
{
	const char *host = s, *colon;
	size_t hlen;

	memset(ep, 0, sizeof(*ep));
	ep->port = 6379;
	if (!s || !*s)
		return wm_err_set(err, WM_EINVAL, "empty Redis address");
	if (!strncmp(s, "unix:", 5))
		s += 5;
	if (*s == '/') {
		if (copy_str(ep->path, sizeof(ep->path), s, strlen(s)) < 0)
			return wm_err_set(err, WM_EINVAL, "Redis socket path too long");
		return 0;
	}
	if (!strncmp(s, "redis://", 8))
		host = s + 8;
	/* redis://:PASSWORD@host: a host never holds '@'; refuse it without
	 * echoing the value, whose password would reach every output */
	if (strchr(host, '@'))
		return wm_err_set(err, WM_EINVAL,
				  "Redis address with a user or password (not shown): put the "
				  "password in redis_password_file or WM_REDIS_PASSWORD");
	if (*host == '[') {
		const char *rb = strchr(host, ']');

		if (!rb)
			return wm_err_set(err, WM_EINVAL, "bad Redis address '%s'", s);
		hlen = (size_t)(rb - host - 1);
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (rb[1] && !colon)
			return wm_err_set(err, WM_EINVAL, "bad Redis address '%s'", s);
		host++;
	} else {
		colon = strrchr(host, ':');
		if (colon && strchr(host, ':') != colon)
			colon = NULL; /* bare IPv6 without brackets: no port */
		hlen = colon ? (size_t)(colon - host) : strlen(host);
	}
	if (colon &&
	    (colon[1] == '\0' || strchr(colon + 1, '/') || parse_port(colon + 1, &ep->port) < 0))
		return wm_err_set(err, WM_EINVAL, "bad port in Redis address '%s'", s);
	if (hlen == 0 || copy_str(ep->host, sizeof(ep->host), host, hlen) < 0)
		return wm_err_set(err, WM_EINVAL, "bad host in Redis address '%s'", s);
	return 0;
}

void
wm_redis_endpoint_format(const struct wm_redis_endpoint *ep, char *buf, size_t size)
{
	if (ep->path[0])
		snprintf(buf, size, "%s", ep->path);
	else if (strchr(ep->host, ':'))
		snprintf(buf, size, "[%s]:%d", ep->host, ep->port);
	else
		snprintf(buf, size, "%s:%d", ep->host, ep->port);
}

/* Map a failed hiredis context to our codes. */
static int
ctx_error(const struct wm_redis *r, struct wm_err *err, const char *what)
{
	const redisContext *c = r->ctx;
	int code = WM_EIO;

	if (!c)
		return wm_err_set(err, WM_ENOMEM, "%s %s: out of memory", what, r->where);
	if (c->err == REDIS_ERR_IO &&
	    (errno == EAGAIN || errno == ETIMEDOUT || strstr(c->errstr, "timed out")))
		code = WM_ETIMEDOUT;
	else if (c->err == REDIS_ERR_IO || c->err == REDIS_ERR_EOF)
		code = WM_ECONN;
	else if (c->err == REDIS_ERR_PROTOCOL)
		code = WM_EPROTO;
	if (code == WM_ETIMEDOUT)
		return wm_err_set(err, code, "%s %s: no answer within the timeout", what, r->where);
	return wm_err_set(err, code, "%s %s: %s", what, r->where,
			  c->errstr[0] ? c->errstr : "connection lost");
}

/* A reply that must not be an error; an error reply becomes err. */
static redisReply *
command(struct wm_redis *r, struct wm_err *err, const char *what, const char *fmt, ...)
{
	redisReply *rep;
	va_list ap;

	va_start(ap, fmt);
	rep = redisvCommand(r->ctx, fmt, ap);
	va_end(ap);
	if (!rep) {
		ctx_error(r, err, what);
		return NULL;
	}
	if (rep->type == REDIS_REPLY_ERROR) {
		/* Any refusal of AUTH itself, or a command refused for want of it. */
		bool auth = !strncmp(rep->str, "NOAUTH", 6) || !strncmp(rep->str, "WRONGPASS", 9) ||
			    (!strncmp(fmt, "AUTH", 4) && !strncmp(rep->str, "ERR", 3));

		wm_err_set(err, auth ? WM_EAUTH : WM_EPROTO, "%s %s: %.*s", what, r->where, 160,
			   rep->str);
		freeReplyObject(rep);
		return NULL;
	}
	return rep;
}

struct wm_redis *
wm_redis_connect(const struct wm_redis_endpoint *ep, const char *password, int timeout_ms,
		 struct wm_err *err)
{
	struct timeval tv = {timeout_ms / 1000, (timeout_ms % 1000) * 1000};
	struct wm_redis *r = calloc(1, sizeof(*r));
	char addr[WM_RESOLVE_ADDR_MAX] = "";
	struct wm_err re = {0};
	redisReply *rep;

	if (!r) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	if (ep->label[0])
		snprintf(r->where, sizeof(r->where), "%s", ep->label);
	else
		wm_redis_endpoint_format(ep, r->where, sizeof(r->where));
	errno = 0;
	if (ep->path[0])
		r->ctx = redisConnectUnixWithTimeout(ep->path, tv);
	else if (wm_resolve(ep->host, timeout_ms > 0 ? wm_monotonic_ms() + timeout_ms : 0, NULL,
			    addr, sizeof(addr), &re) < 0) {
		/* hiredis's own getaddrinfo would ignore the timeout; a name
		 * that does not resolve is WM_ENOHOST, not a Redis that is down */
		wm_err_set(err, re.code, "connecting to %s: %s", r->where, re.msg);
		goto out_free_r;
	} else
		r->ctx = redisConnectWithTimeout(addr[0] ? addr : ep->host, ep->port, tv);
	if (!r->ctx || r->ctx->err) {
		ctx_error(r, err, "connecting to");
		goto out_free_r;
	}
	if (redisSetTimeout(r->ctx, tv) != REDIS_OK) {
		ctx_error(r, err, "setting the timeout on");
		goto out_free_r;
	}
	if (password && *password) {
		rep = command(r, err, "authenticating to", "AUTH %s", password);
		if (!rep)
			goto out_free_r;
		freeReplyObject(rep);
	}
	return r;

out_free_r:
	wm_redis_free(r);
	return NULL;
}

void
wm_redis_free(struct wm_redis *r)
{
	if (!r)
		return;
	if (r->ctx)
		redisFree(r->ctx);
	free(r);
}

int
wm_redis_ping(struct wm_redis *r, double *ms, struct wm_err *err)
{
	double t0 = now_ms();
	redisReply *rep = command(r, err, "PING", "PING");
	int ok;

	if (!rep)
		return -1;
	*ms = now_ms() - t0;
	ok = rep->type == REDIS_REPLY_STATUS && !strcmp(rep->str, "PONG");
	freeReplyObject(rep);
	if (!ok)
		return wm_err_set(err, WM_EPROTO, "PING %s: unexpected reply", r->where);
	return 0;
}

struct wm_redis_info *
wm_redis_info(struct wm_redis *r, const char *section, struct wm_err *err)
{
	struct wm_redis_info *info;
	redisReply *rep;

	rep =
	    section ? command(r, err, "INFO", "INFO %s", section) : command(r, err, "INFO", "INFO");
	if (!rep)
		return NULL;
	if (rep->type != REDIS_REPLY_STRING) {
		freeReplyObject(rep);
		wm_err_set(err, WM_EPROTO, "INFO %s: not a bulk string", r->where);
		return NULL;
	}
	info = wm_redis_info_parse(rep->str, rep->len, err);
	freeReplyObject(rep);
	if (!info)
		wm_err_prefix(err, "INFO %s", r->where);
	return info;
}

int
wm_redis_probe(struct wm_redis *r, const char *key, int ttl_s, double *ms, struct wm_err *err)
{
	char value[64];
	double t0 = now_ms();
	redisReply *rep;
	int same;

	snprintf(value, sizeof(value), "%ld.%d", (long)time(NULL), (int)getpid());
	rep = command(r, err, "SET on", "SET %s %s EX %d", key, value, ttl_s);
	if (!rep)
		return -1;
	freeReplyObject(rep);
	rep = command(r, err, "GET on", "GET %s", key);
	if (!rep)
		return -1;
	same = rep->type == REDIS_REPLY_STRING && !strcmp(rep->str, value);
	freeReplyObject(rep);
	rep = command(r, err, "DEL on", "DEL %s", key);
	if (!rep)
		return -1;
	freeReplyObject(rep);
	*ms = now_ms() - t0;
	if (!same)
		return wm_err_set(err, WM_EPROTO, "probe %s: GET did not return the value just SET",
				  r->where);
	return 0;
}

void
wm_redis_probe_key(char *buf, size_t size)
{
	char host[128] = "localhost";

	if (gethostname(host, sizeof(host) - 1) < 0)
		snprintf(host, sizeof(host), "localhost");
	host[sizeof(host) - 1] = '\0';
	snprintf(buf, size, "warunginmon:probe:%s:%d", host, (int)getpid());
}
