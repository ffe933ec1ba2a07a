/* endpoint_http.c - where this process reaches a target's HTTP endpoints
 * (the application's /api/metrics, --sample's URLs). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "session/endpoint.h"

char *
wm_endpoint_url(const char *base, const char *url)
{
	size_t blen = strlen(base), ulen;
	char *u;

	if (strncmp(url, "http://", 7) == 0 || strncmp(url, "https://", 8) == 0)
		return strdup(url);
	while (blen && base[blen - 1] == '/')
		blen--;
	url += strspn(url, "/");
	ulen = strlen(url);
	if (!(u = malloc(blen + ulen + 2)))
		return NULL;
	memcpy(u, base, blen);
	u[blen] = '/';
	memcpy(u + blen + 1, url, ulen + 1);
	return u;
}

void
wm_endpoint_http_tls(const struct wm_session *s, struct wm_http_req *req, char *ca, size_t size)
{
	const struct wm_config *cfg = wm_session_config(s);
	const char *sec = wm_session_target(s)->section;
	const char *file = cfg && sec ? wm_config_get(cfg, sec, "ca_file") : NULL;
	const char *home = getenv("HOME");

	req->insecure = cfg && sec && !wm_config_bool(cfg, sec, "tls_verify", true);
	if (!file || !*file)
		return;
	if (strncmp(file, "~/", 2) == 0 && home)
		snprintf(ca, size, "%s%s", home, file + 1);
	else
		snprintf(ca, size, "%s", file);
	req->ca_file = ca;
}

/* The authority of url split into host:port (the default port of the
 * scheme when none), and the URL without its userinfo and query for labels. */
static int
split_url(const char *url, char *hostport, size_t hsize, char *label, size_t lsize,
	  struct wm_err *err)
{
	const char *p, *end, *at, *host;
	const char *port = NULL;
	size_t hl;
	bool tls;

	if (strncmp(url, "http://", 7) == 0)
		tls = false, p = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		tls = true, p = url + 8;
	else
		return wm_err_set(err, WM_EINVAL, "not an http:// or https:// URL: %.200s", url);
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	host = at ? at + 1 : p;
	if (*host == '[') { /* [v6]:port */
		const char *rb = memchr(host, ']', (size_t)(end - host));

		if (!rb)
			return wm_err_set(err, WM_EINVAL, "a bad IPv6 address in the URL");
		hl = (size_t)(rb + 1 - host);
		if (rb + 1 < end && rb[1] == ':')
			port = rb + 2;
	} else {
		const char *colon = memchr(host, ':', (size_t)(end - host));

		hl = colon ? (size_t)(colon - host) : (size_t)(end - host);
		port = colon ? colon + 1 : NULL;
	}
	if (hl == 0 || (port && (port == end || (size_t)(end - port) > 5)))
		return wm_err_set(err, WM_EINVAL, "no host or a bad port in the URL");
	snprintf(hostport, hsize, "%.*s:%.*s", (int)hl, host, port ? (int)(end - port) : 3,
		 port  ? port
		 : tls ? "443"
		       : "80");
	/* the query may hold a token: labels are printed, -v'd and put in data */
	snprintf(label, lsize, "%.*s%.*s", (int)(p - url), url, (int)strcspn(host, "?#"), host);
	return 0;
}

int
wm_endpoint_http(struct wm_session *s, const char *url, char *sock, size_t ssize, char *label,
		 size_t lsize, struct wm_err *err)
{
	const struct wm_target *t = wm_session_target(s);
	char hostport[300];
	bool is_unix;

	sock[0] = '\0';
	if (split_url(url, hostport, sizeof hostport, label, lsize, err) < 0)
		return -1;
	if (!t->host)
		return 0;
	if (wm_session_reach(s, hostport, NULL, sock, ssize, &is_unix, err) < 0)
		return -1;
	if (!is_unix)
		sock[0] = '\0';
	return 0;
}

struct wm_http *
wm_endpoint_http_client(struct wm_session *s, struct wm_err *err)
{
	struct wm_http *h = wm_http_new(err);

	if (h)
		wm_http_set_agent(h, wm_session_agent(s));
	return h;
}
