/* http_server.h - loopback servers that misbehave on purpose, for
 * check_http.c: real sockets (TCP on 127.0.0.1 and a unix socket), one
 * forked process per connection, paths that choose the behaviour:
 *
 *   /echo        200, "X-Test: yes", body = "METHOD PATH\n" + request
 *                headers + "\n" + request body
 *   /redirect    302 to /echo
 *   /status/500  500 with a body
 *   /big         200 with 2 MiB of 'x' (Content-Length given)
 *   /reset       headers promising 1000 bytes, 100 sent, then a TCP reset
 *   /short       the same, closed normally (FIN) after 100 bytes
 *   /garbage     "SSH-2.0-OpenSSH_9.2" and close: not HTTP
 *   /silent      reads the request, never answers
 *   /headers     300 response header lines
 *   /json        200, the request body as an application/json answer
 *   /slow        200 "late" after 300 ms
 *
 * Header only (static functions), for one test program. */
#ifndef WM_TEST_HTTP_SERVER_H
#define WM_TEST_HTTP_SERVER_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void
ts_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			_exit(0);
		p += w;
		n -= (size_t)w;
	}
}

static void ts_printf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
ts_printf(int fd, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ts_write_all(fd, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/* Read one request: head into req (NUL-terminated), body after it. */
static size_t
ts_read_request(int fd, char *req, size_t size, char **body, size_t *blen)
{
	size_t len = 0, want = 0;
	char *end = NULL;

	while (len + 1 < size) {
		ssize_t r = read(fd, req + len, size - 1 - len);

		if (r <= 0)
			break;
		len += (size_t)r;
		req[len] = '\0';
		if (!end && (end = strstr(req, "\r\n\r\n"))) {
			const char *cl = strcasestr(req, "\r\nContent-Length:");

			want = (size_t)(end + 4 - req) +
			       (cl && cl < end ? strtoul(cl + 17, NULL, 10) : 0);
		}
		if (end && len >= want)
			break;
	}
	req[len] = '\0';
	*body = end ? end + 4 : req + len;
	*blen = (size_t)(req + len - *body);
	return len;
}

static void
ts_serve(int fd)
{
	static char req[1 << 16];
	char *body, path[256] = "", method[16] = "";
	size_t blen;
	struct linger lg = {1, 0};

	ts_read_request(fd, req, sizeof(req), &body, &blen);
	sscanf(req, "%15s %255s", method, path);
	if (!strcmp(path, "/echo")) {
		char *eol = strstr(req, "\r\n"), *end = strstr(req, "\r\n\r\n");
		size_t hl = eol && end ? (size_t)(end - eol - 2) : 0;

		ts_printf(fd,
			  "HTTP/1.1 200 OK\r\nX-Test:  yes \r\nContent-Type: text/plain\r\n"
			  "Content-Length: %zu\r\n\r\n%s %s\n",
			  strlen(method) + strlen(path) + 2 + hl + 1 + blen, method, path);
		if (hl)
			ts_write_all(fd, eol + 2, hl);
		ts_write_all(fd, "\n", 1);
		ts_write_all(fd, body, blen);
	} else if (!strcmp(path, "/json")) {
		ts_printf(fd,
			  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
			  "Content-Length: %zu\r\n\r\n",
			  blen);
		ts_write_all(fd, body, blen);
	} else if (!strcmp(path, "/slow")) {
		usleep(300000);
		ts_printf(fd, "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nlate");
	} else if (!strcmp(path, "/redirect")) {
		ts_printf(
		    fd, "HTTP/1.1 302 Found\r\nLocation: /echo\r\nContent-Length: 5\r\n\r\nmoved");
	} else if (!strcmp(path, "/status/500")) {
		ts_printf(fd,
			  "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops");
	} else if (!strcmp(path, "/big")) {
		static char chunk[65536];

		memset(chunk, 'x', sizeof(chunk));
		ts_printf(fd, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", 2 << 20);
		for (int i = 0; i < 32; i++)
			ts_write_all(fd, chunk, sizeof(chunk));
	} else if (!strcmp(path, "/reset") || !strcmp(path, "/short")) {
		static char part[100];

		memset(part, 'y', sizeof(part));
		ts_printf(fd, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
		ts_write_all(fd, part, sizeof(part));
		usleep(100000);
		if (!strcmp(path, "/reset"))
			setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	} else if (!strcmp(path, "/garbage")) {
		ts_printf(fd, "SSH-2.0-OpenSSH_9.2\r\n");
	} else if (!strcmp(path, "/silent")) {
		sleep(60);
	} else if (!strcmp(path, "/headers")) {
		ts_printf(fd, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n");
		for (int i = 0; i < 300; i++)
			ts_printf(fd, "X-H-%d: v%d\r\n", i, i);
		ts_printf(fd, "\r\n");
	} else {
		ts_printf(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
	}
	close(fd);
	_exit(0);
}

/* Fork a server on listening socket lfd; its process group is its pid. */
static pid_t
ts_start(int lfd)
{
	pid_t pid = fork();

	if (pid != 0) {
		if (pid > 0)
			setpgid(pid, pid); /* also here: no race with ts_stop */
		close(lfd);
		return pid;
	}
	setpgid(0, 0);
	signal(SIGCHLD, SIG_IGN); /* no zombies */
	for (;;) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		if (fork() == 0) {
			close(lfd);
			ts_serve(fd);
		}
		close(fd);
	}
}

/* A TCP server on 127.0.0.1; its port into *port. */
static pid_t
ts_start_tcp(int *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t sl = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) < 0)
		return -1;
	*port = ntohs(sa.sin_port);
	return ts_start(fd);
}

static pid_t
ts_start_unix(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	if (strlen(path) >= sizeof(sa.sun_path))
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 16) < 0)
		return -1;
	return ts_start(fd);
}

static void
ts_stop(pid_t pid)
{
	if (pid > 0) {
		kill(-pid, SIGKILL); /* the server and its connections */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

#endif
