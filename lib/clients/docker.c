/* docker.c - the Engine API client's I/O: libcurl over a unix socket.
 *
 * One CURL handle per client, reused, so a run talks over one connection
 * (one tunnel channel when the socket is an ssh tunnel).  The parsing lives
 * in docker_parse.c and docker_demux.c.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "transport/curl_body.h"
#include "transport/curl_lazy.h"
#include "clients/docker.h"
#include "base/duration.h"

struct wm_docker *
wm_docker_new(const char *socket_path, long timeout_ms)
{
	struct wm_docker *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000;
	d->socket_path = strdup(socket_path ? socket_path : "");
	if (!d->socket_path)
		wm_err_set(&d->err, WM_ENOMEM, "out of memory");
	else if (!(d->cu = wm_curl_get(&d->err))) {
		/* d->err says why libcurl could not be loaded */
	} else if (!(d->curl = d->cu->easy_init()))
		wm_err_set(&d->err, WM_ENOMEM, "out of memory");
	else if (!*socket_path)
		wm_err_set(&d->err, WM_EINVAL, "no docker socket given");
	else if (strlen(socket_path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		wm_err_set(&d->err, WM_EINVAL, "docker socket path too long: %s", socket_path);
	return d;
}

void
wm_docker_free(struct wm_docker *d)
{
	if (!d)
		return;
	if (d->curl)
		d->cu->easy_cleanup(d->curl);
	free(d->socket_path);
	free(d);
}

/* No CURL handle (libcurl missing, or out of memory): say so again, since
 * d->err may have been overwritten since wm_docker_new. */
static int
no_handle(struct wm_docker *d)
{
	if (!wm_curl_get(&d->err))
		return -1;
	return wm_err_set(&d->err, WM_ENOMEM, "out of memory");
}

/* Connect once ourselves: curl only says "Couldn't connect", while errno
 * tells a missing socket from a permission problem (a one-line reason). */
static int
probe_socket(struct wm_docker *d)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd, rc = 0;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", d->socket_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return wm_err_errno(&d->err, WM_EIO, errno, "socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;

		rc = wm_err_errno(&d->err, e == EACCES || e == EPERM ? WM_EPERM : WM_ECONN, e,
				  "connecting to docker at %s", d->socket_path);
	}
	close(fd);
	return rc;
}

/* Api-Version header of /_ping. */
static size_t
ping_header(char *p, size_t size, size_t nmemb, void *arg)
{
	char *api = arg;
	size_t n = size * nmemb, k = strlen("Api-Version:");

	if (n > k && strncasecmp(p, "Api-Version:", k) == 0) {
		const char *v = p + k;
		size_t len;

		while (*v == ' ')
			v++;
		len = strcspn(v, "\r\n ");
		if (len > 0 && len < 16)
			snprintf(api, 16, "%.*s", (int)len, v);
	}
	return n;
}

static int
curl_fail(struct wm_docker *d, CURLcode rc, const char *what, const char *ebuf)
{
	int code = rc == CURLE_OPERATION_TIMEDOUT ? WM_ETIMEDOUT
		   : rc == CURLE_COULDNT_CONNECT  ? WM_ECONN
						  : WM_EIO;

	if (rc == CURLE_OPERATION_TIMEDOUT)
		return wm_err_set(&d->err, code, "%s: no answer from docker within %ld ms", what,
				  wm_docker_timeout(d));
	return wm_err_set(&d->err, code, "%s: %s", what, *ebuf ? ebuf : d->cu->easy_strerror(rc));
}

long
wm_docker_timeout(const struct wm_docker *d)
{
	int64_t left;

	if (d->deadline_ms <= 0)
		return d->timeout_ms;
	left = d->deadline_ms - wm_monotonic_ms();
	if (left < 1)
		left = 1;
	return left < d->timeout_ms ? (long)left : d->timeout_ms;
}

/* Prepare the handle for GET of path (prefixed by the API version unless raw). */
static void
setup(struct wm_docker *d, const char *path, bool versioned, long timeout_ms, char *ebuf)
{
	char url[1024];
	long budget = wm_docker_timeout(d);

	snprintf(url, sizeof(url), "http://docker%s%s%s", versioned ? "/v" : "",
		 versioned ? d->api : "", path);
	d->cu->easy_reset(d->curl);
	d->cu->easy_setopt(d->curl, CURLOPT_URL, url);
	d->cu->easy_setopt(d->curl, CURLOPT_UNIX_SOCKET_PATH, d->socket_path);
	d->cu->easy_setopt(d->curl, CURLOPT_NOSIGNAL, 1L);
	d->cu->easy_setopt(d->curl, CURLOPT_CONNECTTIMEOUT_MS, budget);
	d->cu->easy_setopt(d->curl, CURLOPT_TIMEOUT_MS, timeout_ms < budget ? timeout_ms : budget);
	d->cu->easy_setopt(d->curl, CURLOPT_ERRORBUFFER, ebuf);
	d->cu->easy_setopt(d->curl, CURLOPT_PROTOCOLS_STR, "http");
	ebuf[0] = '\0';
}

/* A non-200 answer: the engine's {"message": ...} when there is one. */
static int
http_fail(struct wm_docker *d, long status, const struct wm_curl_body *b, const char *what)
{
	const char *msg = "", *m;
	size_t len = 0;

	if (b->buf && (m = strstr(b->buf, "\"message\":\""))) {
		msg = m + strlen("\"message\":\"");
		len = strcspn(msg, "\"");
	}
	return wm_err_set(&d->err, status == 404 ? WM_ENOTFOUND : WM_EPROTO, "%s: HTTP %ld%s%.*s",
			  what, status, len ? ": " : "", (int)len, msg);
}

int
wm_docker_ping(struct wm_docker *d)
{
	struct wm_curl_body b = {.max = 4096};
	char ebuf[CURL_ERROR_SIZE], api[16] = "";
	long status = 0;
	CURLcode rc;

	if (!d->curl)
		return no_handle(d);
	if (d->err.code == WM_ENOMEM || d->err.code == WM_EINVAL)
		return -1;
	wm_err_clear(&d->err);
	if (probe_socket(d) < 0)
		return -1;
	setup(d, "/_ping", false, d->timeout_ms, ebuf);
	d->cu->easy_setopt(d->curl, CURLOPT_WRITEFUNCTION, wm_curl_body_write);
	d->cu->easy_setopt(d->curl, CURLOPT_WRITEDATA, &b);
	d->cu->easy_setopt(d->curl, CURLOPT_HEADERFUNCTION, ping_header);
	d->cu->easy_setopt(d->curl, CURLOPT_HEADERDATA, api);
	rc = d->cu->easy_perform(d->curl);
	d->cu->easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &status);
	free(b.buf);
	if (rc != CURLE_OK)
		return curl_fail(d, rc, "docker /_ping", ebuf);
	if (status != 200)
		return wm_err_set(&d->err, WM_EPROTO, "docker /_ping: HTTP %ld", status);
	if (!*api || wm_docker_api_cmp(api, "1.12") < 0)
		snprintf(d->api, sizeof(d->api), "%s", WM_DOCKER_API_FALLBACK);
	else if (wm_docker_api_cmp(api, WM_DOCKER_API_MAX) > 0)
		snprintf(d->api, sizeof(d->api), "%s", WM_DOCKER_API_MAX);
	else
		snprintf(d->api, sizeof(d->api), "%s", api);
	return 0;
}

/* GET a versioned path into b (bounded); 0 on HTTP 200. */
static int
get_json(struct wm_docker *d, const char *path, struct wm_curl_body *b, const char *what)
{
	char ebuf[CURL_ERROR_SIZE];
	long status = 0;
	CURLcode rc;

	if (!*d->api && wm_docker_ping(d) < 0)
		return -1;
	b->max = WM_DOCKER_BODY_MAX;
	setup(d, path, true, d->timeout_ms, ebuf);
	d->cu->easy_setopt(d->curl, CURLOPT_WRITEFUNCTION, wm_curl_body_write);
	d->cu->easy_setopt(d->curl, CURLOPT_WRITEDATA, b);
	rc = d->cu->easy_perform(d->curl);
	d->cu->easy_getinfo(d->curl, CURLINFO_RESPONSE_CODE, &status);
	if (b->toobig)
		return wm_err_set(&d->err, WM_ETOOBIG, "%s: response larger than %u bytes", what,
				  WM_DOCKER_BODY_MAX);
	if (rc != CURLE_OK)
		return curl_fail(d, rc, what, ebuf);
	if (status != 200)
		return http_fail(d, status, b, what);
	if (!b->buf)
		return wm_err_set(&d->err, WM_EPROTO, "%s: empty response", what);
	return 0;
}

int
wm_docker_check_id(struct wm_docker *d, const char *id)
{
	if (!id || !*id || strlen(id) > 128 ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
		strlen(id))
		return wm_err_set(&d->err, WM_EINVAL, "bad container id: %.64s", id ? id : "");
	return 0;
}

int
wm_docker_list(struct wm_docker *d, const char *project, struct wm_container **out, size_t *n)
{
	struct wm_curl_body b = {0};
	char filt[512], path[1024], *enc;
	int rc;

	*out = NULL;
	*n = 0;
	if (!project || !*project || strpbrk(project, "\"\\") || strlen(project) > 200)
		return wm_err_set(&d->err, WM_EINVAL, "bad compose project name");
	if (!d->curl)
		return no_handle(d);
	snprintf(filt, sizeof(filt), "{\"label\":[\"com.docker.compose.project=%s\"]}", project);
	enc = d->cu->easy_escape(d->curl, filt, 0);
	if (!enc)
		return wm_err_set(&d->err, WM_ENOMEM, "out of memory");
	snprintf(path, sizeof(path), "/containers/json?all=1&filters=%s", enc);
	d->cu->free(enc);
	rc = get_json(d, path, &b, "listing containers");
	if (rc == 0)
		rc = wm_docker_parse_list(b.buf, b.len, out, n, &d->err);
	free(b.buf);
	return rc;
}

int
wm_docker_inspect(struct wm_docker *d, const char *id, struct wm_inspect *out)
{
	struct wm_curl_body b = {0};
	char path[256];
	int rc;

	memset(out, 0, sizeof(*out));
	out->probe_exit = -1;
	if (wm_docker_check_id(d, id) < 0)
		return -1;
	snprintf(path, sizeof(path), "/containers/%s/json", id);
	rc = get_json(d, path, &b, "inspecting container");
	if (rc == 0 && (rc = wm_docker_parse_inspect(b.buf, b.len, out, &d->err)) < 0)
		wm_err_prefix(&d->err, "inspect %.12s", id);
	free(b.buf);
	return rc;
}

int
wm_docker_stats(struct wm_docker *d, const char *id, struct wm_stats *out)
{
	struct wm_curl_body b = {0};
	char path[256];
	int rc;

	memset(out, 0, sizeof(*out));
	if (wm_docker_check_id(d, id) < 0)
		return -1;
	snprintf(path, sizeof(path), "/containers/%s/stats?stream=false", id);
	rc = get_json(d, path, &b, "container stats");
	if (rc == 0 && (rc = wm_docker_parse_stats(b.buf, b.len, out, &d->err)) < 0)
		wm_err_prefix(&d->err, "stats %.12s", id);
	free(b.buf);
	return rc;
}
