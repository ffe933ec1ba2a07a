/* http.c - the HTTP(S) client over libcurl (see http.h for what it does and
 * refuses).  The body bound is shared with the Docker client (curl_body.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "transport/curl_body.h"
#include "transport/curl_lazy.h"
#include "base/duration.h"
#include "clients/http.h"

struct wm_http {
	const struct wm_curl *cu;
	CURL *curl;
	char agent[WM_HTTP_AGENT_MAX]; /* the User-Agent sent */
};

/* Response headers while they arrive: those of the last response only. */
struct hdrs {
	struct wm_http_resp *resp;
	size_t bytes;
	bool nomem;
};

struct wm_http *
wm_http_new(struct wm_err *err)
{
	struct wm_http *h = calloc(1, sizeof(*h));

	if (!h) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	h->cu = wm_curl_get(err);
	if (!h->cu) {
		free(h);
		return NULL;
	}
	h->curl = h->cu->easy_init();
	if (!h->curl) {
		free(h);
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	snprintf(h->agent, sizeof(h->agent), "%s", WM_HTTP_AGENT);
	return h;
}

void
wm_http_set_agent(struct wm_http *h, const char *agent)
{
	snprintf(h->agent, sizeof(h->agent), "%s", agent && *agent ? agent : WM_HTTP_AGENT);
}

void
wm_http_free(struct wm_http *h)
{
	if (!h)
		return;
	h->cu->easy_cleanup(h->curl);
	free(h);
}

static void
headers_clear(struct wm_http_resp *r)
{
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	r->headers = NULL;
	r->nheaders = 0;
	r->headers_truncated = false;
}

void
wm_http_resp_free(struct wm_http_resp *r)
{
	if (!r)
		return;
	headers_clear(r);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

const char *
wm_http_resp_header(const struct wm_http_resp *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static char *
dup_trimmed(const char *s, size_t n)
{
	char *d;

	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* CURLOPT_HEADERFUNCTION: one line at a time, the status line included.  A
 * status line starts a new response (after a 1xx or a redirect): forget the
 * previous one's headers. */
static size_t
header_line(char *p, size_t size, size_t nmemb, void *arg)
{
	struct hdrs *hs = arg;
	struct wm_http_resp *r = hs->resp;
	size_t n = size * nmemb;
	const char *colon;
	struct wm_http_header *nh;

	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		headers_clear(r);
		hs->bytes = 0;
		return n;
	}
	colon = memchr(p, ':', n);
	if (!colon || colon == p)
		return n; /* the blank line at the end, or junk: not a header */
	if (hs->bytes + n > WM_HTTP_HEADERS_MAX || r->nheaders == WM_HTTP_HEADERS_COUNT) {
		r->headers_truncated = true;
		return n;
	}
	nh = realloc(r->headers, (r->nheaders + 1) * sizeof(*nh));
	if (!nh) {
		hs->nomem = true;
		return 0;
	}
	r->headers = nh;
	nh = &r->headers[r->nheaders];
	nh->name = dup_trimmed(p, (size_t)(colon - p));
	nh->value = dup_trimmed(colon + 1, n - (size_t)(colon - p) - 1);
	if (!nh->name || !nh->value) {
		free(nh->name);
		free(nh->value);
		hs->nomem = true;
		return 0;
	}
	r->nheaders++;
	hs->bytes += n;
	return n;
}

/* The smaller of the request's own timeout and what remains of the
 * deadline; at least 1 ms so that a call past the deadline fails at once
 * with a timeout instead of waiting forever (curl's 0 means no timeout). */
static int64_t
budget_ms(const struct wm_http_req *req)
{
	int64_t t = req->timeout_ms > 0 ? req->timeout_ms : WM_HTTP_TIMEOUT_MS;

	if (req->deadline_ms > 0) {
		int64_t left = req->deadline_ms - wm_monotonic_ms();

		if (left < t)
			t = left;
	}
	return t < 1 ? 1 : t;
}

static void url_for_msg(const char *url, char *buf, size_t size);

/* Messages never carry a URL's user:password@ or query, nor a header's value:
 * either may hold a secret. */
static int
check_req(const struct wm_http_req *req, struct wm_err *err)
{
	char url[256];

	if (!req->url || !(strncasecmp(req->url, "http://", 7) == 0 ||
			   strncasecmp(req->url, "https://", 8) == 0)) {
		url_for_msg(req->url ? req->url : "(none)", url, sizeof(url));
		return wm_err_set(err, WM_EINVAL, "not an http(s) URL: %.200s", url);
	}
	if (req->method &&
	    (!*req->method || strlen(req->method) > 16 ||
	     strspn(req->method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != strlen(req->method)))
		return wm_err_set(err, WM_EINVAL, "bad HTTP method: %.20s", req->method);
	if (req->unix_socket &&
	    strlen(req->unix_socket) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return wm_err_set(err, WM_EINVAL, "socket path too long: %s", req->unix_socket);
	for (size_t i = 0; req->headers && req->headers[i]; i++)
		if (strpbrk(req->headers[i], "\r\n") || !strchr(req->headers[i], ':'))
			return wm_err_set(err, WM_EINVAL, "bad request header: %.*s",
					  (int)strcspn(req->headers[i], ":\r\n") > 60
					      ? 60
					      : (int)strcspn(req->headers[i], ":\r\n"),
					  req->headers[i]);
	return 0;
}

/* The request's URL without user:password@ and query, for messages. */
static void
url_for_msg(const char *url, char *buf, size_t size)
{
	const char *s = strstr(url, "://"), *at, *end;
	size_t n;

	s = s ? s + 3 : url;
	end = s + strcspn(s, "/?#");
	at = memchr(s, '@', (size_t)(end - s));
	n = (size_t)(s - url);
	snprintf(buf, size, "%.*s%.*s", (int)n, url, (int)strcspn(at ? at + 1 : s, "?#"),
		 at ? at + 1 : s);
}

static int
curl_fail(const struct wm_http *h, CURLcode rc, const char *ebuf, const char *url, int64_t budget,
	  struct wm_err *err)
{
	const char *why = *ebuf ? ebuf : h->cu->easy_strerror(rc);
	int code;

	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return wm_err_set(err, WM_ETIMEDOUT, "%s: no answer within %lld ms", url,
				  (long long)budget);
	case CURLE_COULDNT_RESOLVE_HOST: /* nothing was asked: UNKNOWN (warunginmon(7)) */
	case CURLE_COULDNT_RESOLVE_PROXY:
		code = WM_ENOHOST;
		break;
	case CURLE_COULDNT_CONNECT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
		code = WM_ECONN;
		break;
	case CURLE_OUT_OF_MEMORY:
		code = WM_ENOMEM;
		break;
	case CURLE_URL_MALFORMAT:
		code = WM_EINVAL;
		break;
	case CURLE_SSL_CACERT_BADFILE:
		code = WM_ECONFIG;
		break;
	default: /* not HTTP (curl: "HTTP/0.9 not allowed"), cut short, TLS
		  * refused, too many redirects */
		code = WM_EPROTO;
		break;
	}
	return wm_err_set(err, code, "%s: %s", url, why);
}

static double
info_ms(const struct wm_http *h, CURLINFO what)
{
	curl_off_t us = 0;

	if (h->cu->easy_getinfo(h->curl, what, &us) != CURLE_OK)
		return 0;
	return (double)us / 1000.0;
}

static void
setup(struct wm_http *h, const struct wm_http_req *req, struct curl_slist *hl, int64_t budget,
      char *ebuf)
{
	const struct wm_curl *cu = h->cu;
	CURL *c = h->curl;
	const char *m = req->method ? req->method : req->body ? "POST" : "GET";

	cu->easy_reset(c); /* keeps the connection cache */
	cu->easy_setopt(c, CURLOPT_URL, req->url);
	cu->easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	cu->easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
	cu->easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->easy_setopt(c, CURLOPT_USERAGENT, h->agent);
	cu->easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)budget);
	cu->easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)budget);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYPEER, req->insecure ? 0L : 1L);
	cu->easy_setopt(c, CURLOPT_SSL_VERIFYHOST, req->insecure ? 0L : 2L);
	if (req->ca_file)
		cu->easy_setopt(c, CURLOPT_CAINFO, req->ca_file);
	if (req->unix_socket)
		cu->easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, req->unix_socket);
	if (req->fresh_connect) {
		cu->easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
		cu->easy_setopt(c, CURLOPT_FORBID_REUSE, 1L);
	}
	if (req->follow_redirects) {
		cu->easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		cu->easy_setopt(c, CURLOPT_MAXREDIRS,
				req->max_redirects > 0 ? req->max_redirects : 5L);
		cu->easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	}
	if (hl)
		cu->easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (strcmp(m, "HEAD") == 0) {
		cu->easy_setopt(c, CURLOPT_NOBODY, 1L);
	} else if (req->body) {
		cu->easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		cu->easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
		if (strcmp(m, "POST") != 0)
			cu->easy_setopt(c, CURLOPT_CUSTOMREQUEST, m);
	} else if (strcmp(m, "GET") != 0) {
		cu->easy_setopt(c, CURLOPT_CUSTOMREQUEST, m);
	}
	ebuf[0] = '\0';
}

/* The request headers as a curl list; "Expect:" removes curl's 100-continue
 * wait for bodies over 1 KiB (a second of latency on servers that ignore it). */
static int
make_headers(const struct wm_http *h, const struct wm_http_req *req, struct curl_slist **out)
{
	struct curl_slist *l = NULL, *n;

	for (size_t i = 0; req->headers && req->headers[i]; i++) {
		n = h->cu->slist_append(l, req->headers[i]);
		if (!n)
			goto out_nomem;
		l = n;
	}
	if (req->body) {
		n = h->cu->slist_append(l, "Expect:");
		if (!n)
			goto out_nomem;
		l = n;
	}
	*out = l;
	return 0;
out_nomem:
	h->cu->slist_free_all(l);
	return -1;
}

int
wm_http_request(struct wm_http *h, const struct wm_http_req *req, struct wm_http_resp *resp,
		struct wm_err *err)
{
	struct wm_curl_body b = {.max = req->body_max ? req->body_max : WM_HTTP_BODY_MAX};
	struct hdrs hs = {.resp = resp};
	struct curl_slist *hl = NULL;
	char ebuf[CURL_ERROR_SIZE], url[256];
	int64_t budget;
	CURLcode rc;
	int ret = -1;

	memset(resp, 0, sizeof(*resp));
	if (check_req(req, err) < 0)
		return -1;
	url_for_msg(req->url, url, sizeof(url));
	if (make_headers(h, req, &hl) < 0)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	budget = budget_ms(req);
	setup(h, req, hl, budget, ebuf);
	h->cu->easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, wm_curl_body_write);
	h->cu->easy_setopt(h->curl, CURLOPT_WRITEDATA, &b);
	h->cu->easy_setopt(h->curl, CURLOPT_HEADERFUNCTION, header_line);
	h->cu->easy_setopt(h->curl, CURLOPT_HEADERDATA, &hs);
	rc = h->cu->easy_perform(h->curl);
	h->cu->easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &resp->status);
	h->cu->easy_getinfo(h->curl, CURLINFO_REDIRECT_COUNT, &resp->redirects);
	resp->t.dns_ms = info_ms(h, CURLINFO_NAMELOOKUP_TIME_T);
	resp->t.connect_ms = info_ms(h, CURLINFO_CONNECT_TIME_T);
	resp->t.tls_ms = info_ms(h, CURLINFO_APPCONNECT_TIME_T);
	resp->t.first_byte_ms = info_ms(h, CURLINFO_STARTTRANSFER_TIME_T);
	resp->t.total_ms = info_ms(h, CURLINFO_TOTAL_TIME_T);
	resp->t.redirect_ms = info_ms(h, CURLINFO_REDIRECT_TIME_T);
	/* no dangling pointers into this frame in the reused handle */
	h->cu->easy_setopt(h->curl, CURLOPT_ERRORBUFFER, NULL);
	h->cu->easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	if (b.toobig)
		wm_err_set(err, WM_ETOOBIG, "%s: body larger than %zu bytes", url, b.max);
	else if (b.nomem || hs.nomem)
		wm_err_set(err, WM_ENOMEM, "out of memory");
	else if (rc != CURLE_OK)
		curl_fail(h, rc, ebuf, url, budget, err);
	else
		ret = 0;
	h->cu->slist_free_all(hl);
	if (ret < 0) {
		free(b.buf);
		wm_http_resp_free(resp);
		return -1;
	}
	if (!b.buf) {
		b.buf = calloc(1, 1);
		if (!b.buf) {
			wm_http_resp_free(resp);
			return wm_err_set(err, WM_ENOMEM, "out of memory");
		}
	}
	resp->body = b.buf;
	resp->body_len = b.len;
	return 0;
}
