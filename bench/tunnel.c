/* tunnel.c - the CPU a held tunnel costs while nothing moves.
 *
 * Usage: bench/tunnel CONFIG TARGET SECONDS
 * Opens TARGET's session (an ssh target), asks Docker's /events through
 * the session's tunnel (the stream wm-run's watch holds for 24 h), waits
 * for the answer's header, then holds the stream SECONDS and prints this
 * process's user+sys CPU over that time (the tunnel pump's, mostly).  Built
 * by make check (so it cannot rot); run it by hand or by
 * bench/tunnel-idle.sh, on a build without --enable-sanitizers. */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "base/duration.h"
#include "session/session.h"

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static int
connect_to(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror(path);
		exit(3);
	}
	return fd;
}

int
main(int argc, char **argv)
{
	static const char req[] = "GET /events HTTP/1.1\r\nHost: docker\r\n\r\n";
	struct wm_session_opts o = {.timeout_ms = 30000};
	struct wm_err err = {0};
	struct wm_session *s;
	char buf[4096];
	double c0, c1;
	int64_t t0, end;
	long secs;
	int fd;

	if (argc != 4 || (secs = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: tunnel CONFIG TARGET SECONDS\n");
		return 3;
	}
	o.config = argv[1];
	o.target = argv[2];
	if (!(s = wm_session_open(&o, &err)) || !wm_session_docker(s, &err)) {
		fprintf(stderr, "tunnel: %s\n", err.msg);
		return 3;
	}
	fd = connect_to(wm_session_docker_path(s));
	if (write(fd, req, sizeof(req) - 1) != (ssize_t)(sizeof(req) - 1) ||
	    poll(&(struct pollfd){.fd = fd, .events = POLLIN}, 1, 30000) != 1 ||
	    read(fd, buf, sizeof(buf)) <= 0 || strncmp(buf, "HTTP/1.1 200", 12) != 0) {
		fprintf(stderr, "tunnel: no answer to GET /events\n");
		return 3;
	}
	c0 = cpu_s();
	t0 = wm_now_ms();
	end = t0 + secs * 1000;
	for (int64_t now = t0; now < end; now = wm_now_ms()) {
		struct pollfd p = {.fd = fd, .events = POLLIN};

		if (poll(&p, 1, (int)(end - now)) == 1 && read(fd, buf, sizeof(buf)) <= 0)
			break; /* the stream ended */
	}
	c1 = cpu_s();
	printf("held /events %.1f s: %.3f s CPU (%.3f %% of a core)\n",
	       (double)(wm_now_ms() - t0) / 1000.0, c1 - c0,
	       (c1 - c0) / ((double)(wm_now_ms() - t0) / 1000.0) * 100.0);
	close(fd);
	wm_session_close(s);
	return 0;
}
