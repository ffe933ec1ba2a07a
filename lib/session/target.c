/* target.c - one connection to a target, local or over SSH. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/exec.h"
#include "transport/ssh.h"
#include "session/target.h"

struct wm_target_conn *
wm_target_connect(const struct wm_target *t, long timeout_ms)
{
	struct wm_target_conn *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->t = t;
	h->timeout_ms = timeout_ms > 0 ? timeout_ms : 10000;
	if (!t->host)
		return h;
	h->ssh = wm_ssh_connect(&(struct wm_ssh_opts){.host = t->host,
						      .user = t->user,
						      .port = t->port,
						      .identity = t->identity,
						      .known_hosts = t->known_hosts,
						      .config = getenv("WM_SSH_CONFIG"),
						      .timeout_ms = h->timeout_ms});
	if (!h->ssh)
		wm_err_set(&h->err, WM_ENOMEM, "out of memory");
	else if (!wm_ssh_ok(h->ssh))
		h->err = h->ssh->err;
	return h;
}

bool
wm_target_ok(const struct wm_target_conn *h)
{
	return h && h->err.code == WM_EOK;
}

bool
wm_target_is_remote(const struct wm_target_conn *h)
{
	return h->ssh != NULL;
}

void
wm_target_close(struct wm_target_conn *h)
{
	if (!h)
		return;
	wm_docker_free(h->docker); /* before the tunnel it talks through */
	wm_ssh_close(h->ssh);
	free(h);
}

const char *
wm_target_local_socket(const struct wm_target *t)
{
	const char *dh = getenv("DOCKER_HOST");

	if (t && t->docker_socket && *t->docker_socket)
		return strncmp(t->docker_socket, "unix://", 7) == 0 ? t->docker_socket + 7
								    : t->docker_socket;
	if (dh && strncmp(dh, "unix://", 7) == 0 && dh[7])
		return dh + 7;
	return WM_DOCKER_SOCKET_DEFAULT;
}

struct wm_docker *
wm_target_docker(struct wm_target_conn *h)
{
	const char *sock = h->t->docker_socket && *h->t->docker_socket ? h->t->docker_socket
								       : WM_DOCKER_SOCKET_DEFAULT;

	if (h->docker)
		return h->docker;
	if (!wm_target_ok(h))
		return NULL;
	if (h->ssh) {
		if (strncmp(sock, "unix://", 7) == 0)
			sock += 7;
		if (wm_ssh_tunnel_unix(h->ssh, sock, h->docker_path, sizeof(h->docker_path)) < 0) {
			h->err = h->ssh->err;
			return NULL;
		}
	} else {
		snprintf(h->docker_path, sizeof(h->docker_path), "%s",
			 wm_target_local_socket(h->t));
	}
	h->docker = wm_docker_new(h->docker_path, h->timeout_ms);
	if (!h->docker)
		wm_err_set(&h->err, WM_ENOMEM, "out of memory");
	return h->docker;
}

int
wm_target_tcp_endpoint(struct wm_target_conn *h, const char *hostport, const char *sockname,
		       char *out, size_t size, bool *is_unix)
{
	char host[256];
	const char *colon = strrchr(hostport, ':');
	char *end;
	long port;

	*is_unix = hostport[0] == '/';
	if (!h->ssh || *is_unix) {
		if ((size_t)snprintf(out, size, "%s", hostport) >= size)
			return wm_err_set(&h->err, WM_EINVAL, "endpoint too long");
		if (*is_unix && h->ssh)
			return wm_ssh_tunnel_unix(h->ssh, hostport, out, size) < 0
				   ? (h->err = h->ssh->err, -1)
				   : 0;
		return 0;
	}
	port = colon ? strtol(colon + 1, &end, 10) : 0;
	if (!colon || *end || port <= 0 || port > 65535 || colon == hostport ||
	    (size_t)(colon - hostport) >= sizeof(host))
		return wm_err_set(&h->err, WM_EINVAL, "bad endpoint '%s' (want host:port)",
				  hostport);
	/* "[::1]:6379" -> "::1" */
	snprintf(host, sizeof(host), "%.*s", (int)(colon - hostport), hostport);
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		memmove(host, host + 1, strlen(host));
		host[strlen(host) - 1] = '\0';
	}
	*is_unix = true;
	if (wm_ssh_tunnel_tcp(h->ssh, host, (int)port, sockname, out, size) < 0) {
		h->err = h->ssh->err;
		return -1;
	}
	return 0;
}

int
wm_target_exec(struct wm_target_conn *h, const char *const argv[], size_t max, char **out,
	       int *status, char *errline, size_t errsize)
{
	struct wm_exec_result res;

	if (h->ssh) {
		if (wm_ssh_exec(h->ssh, argv, max, out, NULL, status, errline, errsize) < 0) {
			h->err = h->ssh->err;
			return -1;
		}
		return 0;
	}
	if (wm_exec((char *const *)argv, NULL, h->timeout_ms, max, &res, &h->err) < 0)
		return -1;
	if (res.timed_out) {
		wm_exec_result_free(&res);
		return wm_err_set(&h->err, WM_ETIMEDOUT, "%s: no end within %ld ms", argv[0],
				  h->timeout_ms);
	}
	*status = res.status;
	if (errline)
		snprintf(errline, errsize, "%.*s", (int)strcspn(res.err_out, "\n"), res.err_out);
	*out = res.out;
	res.out = NULL;
	wm_exec_result_free(&res);
	return 0;
}

const char *
wm_target_project(const struct wm_target *t, char *buf, size_t size)
{
	char cwd[PATH_MAX];
	const char *base;

	if (t && t->project && *t->project)
		return t->project;
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	base = strrchr(cwd, '/');
	snprintf(buf, size, "%s", base && base[1] ? base + 1 : cwd);
	return buf;
}
