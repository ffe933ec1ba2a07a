/* ssh_tunnel.c - tunnels as local unix sockets, served by one pump thread.
 *
 * Each tunnel listens on a socket in a private 0700 directory (mkdtemp in
 * $TMPDIR, else /tmp).
 * The pump polls the listening sockets and the accepted connections; each
 * accepted connection gets its own channel (direct-streamlocal, dial-stdio
 * exec, or direct-tcpip).  All channel I/O runs in the pump, each libssh
 * call under s->lock, so exec calls from other threads interleave safely.
 *
 * The pump blocks in poll(2) until something happens: a local socket is
 * readable, the session's socket is, or the wake pipe was written.  Channel
 * data that another thread's libssh call took off the session's socket
 * (an exec channel's read processes every packet that arrives) is not
 * visible to poll(2); so each tunnel channel has libssh callbacks for data,
 * EOF and close that only write the wake pipe (the data stays in the
 * channel's buffer for the pump to read), whichever thread runs them.  A
 * stream held open for hours (Docker's events) then costs no CPU between
 * events, where polling every 5 ms cost ~0.5 % of a core.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <libssh/callbacks.h>
#include <libssh/libssh.h>

#include "transport/ssh.h"

#define MAX_TUNNELS 16
#define MAX_CONNS 64

long wm_ssh_now_ms(void);
void wm_ssh_pump_stop(struct wm_ssh *s);
ssh_channel wm_ssh_open_exec(struct wm_ssh *s, const char *cmd);

struct tunnel {
	int lfd;
	char path[108];
	bool tcp;
	char remote[256]; /* unix socket path, or tcp host */
	int port;
	bool dial_stdio;   /* direct-streamlocal refused: use docker system dial-stdio */
	ssh_channel spare; /* opened to probe the tunnel, kept for the first client */
	char refused[160]; /* why the last connection's channel failed ("": it did not; s->lock) */
};

struct conn {
	int fd;
	ssh_channel ch;
	bool local_eof, remote_eof;
};

struct wm_ssh_pump {
	pthread_t thread;
	bool started;
	atomic_bool stop;
	int wake[2];
	pthread_mutex_t tlock; /* guards the tunnel list (added to while running) */
	struct tunnel t[MAX_TUNNELS];
	size_t nt;
	struct conn c[MAX_CONNS];
	size_t nc;
	int sfd;				/* the session's socket, for poll(2) */
	struct ssh_channel_callbacks_struct cb; /* wake the pump; shared by its channels */
};

/* A channel callback (any thread, under s->lock): wake the pump, consume
 * nothing. */
static void
pump_wake(struct wm_ssh_pump *p)
{
	if (write(p->wake[1], "x", 1) < 0) {
		/* the pipe is full: the pump is awake anyway */
	}
}

static int
on_data(ssh_session session, ssh_channel ch, void *data, uint32_t len, int is_stderr, void *arg)
{
	(void)session, (void)ch, (void)data, (void)len, (void)is_stderr;
	pump_wake(arg);
	return 0; /* left in the channel's buffer for the pump's read */
}

static void
on_eof(ssh_session session, ssh_channel ch, void *arg)
{
	(void)session, (void)ch;
	pump_wake(arg);
}

/* A channel for one local connection; call with s->lock held. */
static ssh_channel
open_channel(struct wm_ssh *s, struct tunnel *t)
{
	ssh_channel ch;
	char cmd[400];

	if (t->dial_stdio) {
		snprintf(cmd, sizeof(cmd), "docker -H 'unix://%s' system dial-stdio", t->remote);
		return wm_ssh_open_exec(s, cmd);
	}
	ch = ssh_channel_new(s->session);
	if (!ch)
		return NULL;
	if ((t->tcp ? ssh_channel_open_forward(ch, t->remote, t->port, "127.0.0.1", 0)
		    : ssh_channel_open_forward_unix(ch, t->remote, "127.0.0.1", 0)) != SSH_OK) {
		/* A refused channel (nothing listens at the far end: redis
		 * stopped) fails that one connection, which its client sees
		 * closed; the SSH connection stands.  Only a session that is
		 * gone marks s->err, which makes the next use log in again. */
		snprintf(t->refused, sizeof(t->refused), "%s", ssh_get_error(s->session));
		if (!ssh_is_connected(s->session))
			wm_err_set(&s->err, WM_ECONN, "ssh %s: forwarding to %s%s%.0d: %s", s->host,
				   t->remote, t->tcp ? ":" : "", t->port,
				   ssh_get_error(s->session));
		ssh_channel_free(ch);
		return NULL;
	}
	return ch;
}

static void
conn_close(struct wm_ssh *s, struct wm_ssh_pump *p, size_t i)
{
	pthread_mutex_lock(&s->lock);
	ssh_channel_close(p->c[i].ch);
	ssh_channel_free(p->c[i].ch);
	pthread_mutex_unlock(&s->lock);
	close(p->c[i].fd);
	p->c[i] = p->c[--p->nc];
}

static void
accept_one(struct wm_ssh *s, struct wm_ssh_pump *p, struct tunnel *t)
{
	int fd = accept4(t->lfd, NULL, NULL, SOCK_CLOEXEC);
	ssh_channel ch;

	if (fd < 0)
		return;
	if (p->nc == MAX_CONNS) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&s->lock);
	ch = t->spare ? t->spare : open_channel(s, t);
	t->spare = NULL;
	pthread_mutex_unlock(&s->lock);
	if (!ch) {
		close(fd); /* the client sees the connection closed */
		return;
	}
	pthread_mutex_lock(&s->lock);
	ssh_set_channel_callbacks(ch, &p->cb);
	pthread_mutex_unlock(&s->lock);
	p->c[p->nc++] = (struct conn){.fd = fd, .ch = ch};
}

static bool
send_all(int fd, const char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		b += w;
		n -= (size_t)w;
	}
	return true;
}

/* Local -> remote for a readable local fd. */
static void
local_to_remote(struct wm_ssh *s, struct conn *c)
{
	char buf[32768];
	ssize_t n = read(c->fd, buf, sizeof(buf));

	pthread_mutex_lock(&s->lock);
	if (n > 0) {
		if (ssh_channel_write(c->ch, buf, (uint32_t)n) == SSH_ERROR)
			c->remote_eof = c->local_eof = true;
	} else if (n == 0 || errno != EINTR) {
		c->local_eof = true;
		ssh_channel_send_eof(c->ch);
	}
	pthread_mutex_unlock(&s->lock);
}

/* Remote -> local; true when something moved. */
static bool
remote_to_local(struct wm_ssh *s, struct conn *c)
{
	char buf[32768], drop[1024];
	int n, eof;

	pthread_mutex_lock(&s->lock);
	n = ssh_channel_read_nonblocking(c->ch, buf, sizeof(buf), 0);
	/* A dial-stdio exec's stderr is dropped, so its window never fills. */
	ssh_channel_read_nonblocking(c->ch, drop, sizeof(drop), 1);
	eof = ssh_channel_is_eof(c->ch) || ssh_channel_is_closed(c->ch);
	pthread_mutex_unlock(&s->lock);
	if (n > 0 && !send_all(c->fd, buf, (size_t)n)) {
		c->remote_eof = c->local_eof = true;
		return true;
	}
	if (n < 0 || (n == 0 && eof)) {
		c->remote_eof = true;
		shutdown(c->fd, SHUT_WR);
	}
	return n > 0;
}

/* One round: accept, local -> remote, remote -> local until quiet, reap. */
static void
pump_once(struct wm_ssh *s, struct wm_ssh_pump *p)
{
	struct pollfd pfd[2 + MAX_TUNNELS + MAX_CONNS];
	size_t nt, n = 0;
	bool moved = false;

	pfd[n++] = (struct pollfd){.fd = p->wake[0], .events = POLLIN};
	/* the session's socket too, so an answer wakes us at once */
	pfd[n++] = (struct pollfd){.fd = p->nc ? p->sfd : -1, .events = POLLIN};
	pthread_mutex_lock(&p->tlock);
	nt = p->nt;
	for (size_t i = 0; i < nt; i++)
		pfd[n++] = (struct pollfd){.fd = p->t[i].lfd, .events = POLLIN};
	pthread_mutex_unlock(&p->tlock);
	for (size_t i = 0; i < p->nc; i++)
		pfd[n++] =
		    (struct pollfd){.fd = p->c[i].local_eof ? -1 : p->c[i].fd, .events = POLLIN};
	/* Channel data another thread took off the session's socket wakes us
	 * through the channels' callbacks (see the top); the timeout is only a
	 * safety net. */
	poll(pfd, n, p->nc ? 1000 : 250);
	if (pfd[0].revents & POLLIN) {
		char drop[64];

		while (read(p->wake[0], drop, sizeof(drop)) > 0)
			;
	}
	for (size_t i = 0; i < nt; i++)
		if (pfd[2 + i].revents & POLLIN)
			accept_one(s, p, &p->t[i]);
	for (size_t i = 0; i < p->nc && 2 + nt + i < n; i++)
		if (pfd[2 + nt + i].revents & (POLLIN | POLLHUP | POLLERR))
			local_to_remote(s, &p->c[i]);
	do {
		moved = false;
		for (size_t i = 0; i < p->nc; i++)
			if (!p->c[i].remote_eof)
				moved |= remote_to_local(s, &p->c[i]);
	} while (moved && !atomic_load(&p->stop));
	for (size_t i = p->nc; i-- > 0;)
		if (p->c[i].local_eof && p->c[i].remote_eof)
			conn_close(s, p, i);
}

static void *
pump_main(void *arg)
{
	struct wm_ssh *s = arg;

	while (!atomic_load(&s->pump->stop))
		pump_once(s, s->pump);
	return NULL;
}

/* The tunnel directory's template: in $TMPDIR when it is an absolute path
 * short enough for the socket names (a unix socket path has 108 bytes),
 * else in /tmp. */
static void
dir_template(char *dir, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	size_t n = tmp ? strlen(tmp) : 0;

	while (n > 1 && tmp[n - 1] == '/')
		n--;
	if (!tmp || tmp[0] != '/' || n > WM_SSH_TMPDIR_MAX)
		tmp = "/tmp", n = 4;
	snprintf(dir, size, "%.*s/wm-ssh-XXXXXX", (int)n, tmp);
}

static int
pump_start(struct wm_ssh *s)
{
	struct wm_ssh_pump *p;
	char dir[WM_SSH_TMPDIR_MAX + 32];

	if (s->pump)
		return 0;
	dir_template(dir, sizeof(dir));
	if (!mkdtemp(dir)) /* mode 0700 */
		return wm_err_errno(&s->err, WM_EIO, errno, "making the tunnel directory");
	p = calloc(1, sizeof(*p));
	s->dir = strdup(dir);
	if (!p || !s->dir) {
		free(p);
		rmdir(dir);
		return wm_err_set(&s->err, WM_ENOMEM, "out of memory");
	}
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(p);
		rmdir(dir);
		return wm_err_errno(&s->err, WM_EIO, errno, "pipe");
	}
	pthread_mutex_init(&p->tlock, NULL);
	p->sfd = ssh_get_fd(s->session);
	p->cb = (struct ssh_channel_callbacks_struct){.userdata = p,
						      .channel_data_function = on_data,
						      .channel_eof_function = on_eof,
						      .channel_close_function = on_eof};
	ssh_callbacks_init(&p->cb);
	s->pump = p;
	if (pthread_create(&p->thread, NULL, pump_main, s) != 0)
		return wm_err_set(&s->err, WM_EIO, "cannot start the tunnel thread");
	p->started = true;
	return 0;
}

void
wm_ssh_pump_stop(struct wm_ssh *s)
{
	struct wm_ssh_pump *p = s->pump;

	if (!p)
		return;
	atomic_store(&p->stop, true);
	if (write(p->wake[1], "x", 1) < 0) {
		/* the thread still sees stop within one poll period */
	}
	if (p->started)
		pthread_join(p->thread, NULL);
	while (p->nc > 0)
		conn_close(s, p, p->nc - 1);
	for (size_t i = 0; i < p->nt; i++) {
		close(p->t[i].lfd);
		unlink(p->t[i].path);
		if (p->t[i].spare) {
			pthread_mutex_lock(&s->lock);
			ssh_channel_close(p->t[i].spare);
			ssh_channel_free(p->t[i].spare);
			pthread_mutex_unlock(&s->lock);
		}
	}
	close(p->wake[0]);
	close(p->wake[1]);
	pthread_mutex_destroy(&p->tlock);
	if (s->dir)
		rmdir(s->dir);
	free(s->dir);
	s->dir = NULL;
	free(p);
	s->pump = NULL;
}

/* Bind a listening socket for t at dir/name. */
static int
listen_at(struct wm_ssh *s, struct tunnel *t, const char *name)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int n = snprintf(t->path, sizeof(t->path), "%s/%s", s->dir, name);

	if (n < 0 || (size_t)n >= sizeof(t->path) || strchr(name, '/'))
		return wm_err_set(&s->err, WM_EINVAL, "bad tunnel socket name %s", name);
	memcpy(sa.sun_path, t->path, sizeof(t->path));
	t->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (t->lfd < 0)
		return wm_err_errno(&s->err, WM_EIO, errno, "socket");
	if (bind(t->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || chmod(t->path, 0600) < 0 ||
	    listen(t->lfd, 16) < 0) {
		int e = errno;

		close(t->lfd);
		unlink(t->path);
		return wm_err_errno(&s->err, WM_EIO, e, "tunnel socket %s", t->path);
	}
	return 0;
}

static int
add_tunnel(struct wm_ssh *s, struct tunnel *t, const char *name, char *out, size_t size)
{
	struct wm_ssh_pump *p;

	if (!wm_ssh_ok(s) && s->err.code == WM_EOK)
		return wm_err_set(&s->err, WM_ECONN, "ssh %s: not connected", s->host);
	if (pump_start(s) < 0)
		return -1;
	p = s->pump;
	pthread_mutex_lock(&p->tlock);
	for (size_t i = 0; i < p->nt; i++)
		if (strcmp(p->t[i].remote, t->remote) == 0 && p->t[i].port == t->port) {
			snprintf(out, size, "%s", p->t[i].path); /* reuse */
			pthread_mutex_unlock(&p->tlock);
			if (t->spare) {
				pthread_mutex_lock(&s->lock);
				ssh_channel_close(t->spare);
				ssh_channel_free(t->spare);
				pthread_mutex_unlock(&s->lock);
				t->spare = NULL;
			}
			return 0;
		}
	pthread_mutex_unlock(&p->tlock);
	if (p->nt == MAX_TUNNELS)
		return wm_err_set(&s->err, WM_ETOOBIG, "too many tunnels");
	if (listen_at(s, t, name) < 0)
		return -1;
	if ((size_t)snprintf(out, size, "%s", t->path) >= size) {
		close(t->lfd);
		unlink(t->path);
		return wm_err_set(&s->err, WM_EINVAL, "tunnel path too long");
	}
	pthread_mutex_lock(&p->tlock);
	p->t[p->nt++] = *t;
	pthread_mutex_unlock(&p->tlock);
	if (write(p->wake[1], "x", 1) < 0) {
		/* the pump picks the tunnel up within one poll period anyway */
	}
	return 0;
}

int
wm_ssh_tunnel_unix(struct wm_ssh *s, const char *remote_path, char *out, size_t size)
{
	struct tunnel t = {.lfd = -1};
	char name[32];
	ssh_channel ch;

	if (!wm_ssh_ok(s))
		return -1;
	if (snprintf(t.remote, sizeof(t.remote), "%s", remote_path) >= (int)sizeof(t.remote) ||
	    strpbrk(remote_path, "'\n"))
		return wm_err_set(&s->err, WM_EINVAL, "bad remote socket path");
	/* Try direct-streamlocal once now, to pick the fallback before any
	 * client connects; the channel serves the first client. */
	pthread_mutex_lock(&s->lock);
	ch = open_channel(s, &t);
	pthread_mutex_unlock(&s->lock);
	if (!ch)
		t.dial_stdio = true;
	t.spare = ch;
	wm_err_clear(&s->err);
	snprintf(name, sizeof(name), "unix-%zu.sock", s->pump ? s->pump->nt : 0);
	if (add_tunnel(s, &t, name, out, size) == 0)
		return 0;
	if (t.spare) {
		pthread_mutex_lock(&s->lock);
		ssh_channel_close(ch);
		ssh_channel_free(ch);
		pthread_mutex_unlock(&s->lock);
	}
	return -1;
}

int
wm_ssh_tunnel_tcp(struct wm_ssh *s, const char *host, int port, const char *name, char *out,
		  size_t size)
{
	struct tunnel t = {.lfd = -1, .tcp = true, .port = port};
	char gen[32];

	if (!wm_ssh_ok(s))
		return -1;
	if (port <= 0 || port > 65535 || !host || !*host ||
	    snprintf(t.remote, sizeof(t.remote), "%s", host) >= (int)sizeof(t.remote))
		return wm_err_set(&s->err, WM_EINVAL, "bad tunnel endpoint %s:%d", host ? host : "",
				  port);
	if (!name) {
		snprintf(gen, sizeof(gen), "tcp-%zu.sock", s->pump ? s->pump->nt : 0);
		name = gen;
	}
	return add_tunnel(s, &t, name, out, size);
}

bool
wm_ssh_tunnel_refused(struct wm_ssh *s, const char *local, char *why, size_t size)
{
	struct wm_ssh_pump *p = s ? s->pump : NULL;
	bool found = false;

	if (!p || !local)
		return false;
	pthread_mutex_lock(&p->tlock);
	pthread_mutex_lock(&s->lock);
	for (size_t i = 0; i < p->nt && !found; i++)
		if (strcmp(p->t[i].path, local) == 0 && p->t[i].refused[0]) {
			snprintf(why, size, "%s", p->t[i].refused);
			p->t[i].refused[0] = '\0';
			found = true;
		}
	pthread_mutex_unlock(&s->lock);
	pthread_mutex_unlock(&p->tlock);
	return found;
}

const char *
wm_ssh_tunnel_dir(const struct wm_ssh *s)
{
	return s ? s->dir : NULL;
}
