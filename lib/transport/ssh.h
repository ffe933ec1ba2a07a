/* ssh.h - the SSH transport (libssh): one session per target, exec channels
 * and tunnels exposed as local unix sockets.
 *
 * Host keys are checked strictly against known_hosts: an unknown key or a
 * changed one is WM_EHOSTKEY with the SHA256 fingerprint and what to do;
 * nothing is ever accepted silently.  ~/.ssh/config, ssh-agent and identity
 * files are honoured (libssh's own config parser and publickey_auto).
 *
 * A tunnel is a unix socket in a private 0700 directory; a pump thread
 * accepts local connections and opens one channel per connection, so
 * libcurl, hiredis and libpq use a tunnel unchanged.  Every libssh call on
 * the session is serialised by s->lock (libssh sessions are not thread-safe).
 */
#ifndef WM_SSH_H
#define WM_SSH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* The longest $TMPDIR the tunnel directory goes into (else /tmp). */
#define WM_SSH_TMPDIR_MAX 64

struct ssh_session_struct;
struct wm_ssh_pump;

struct wm_ssh_opts {
	const char *host;	 /* required; may be a ~/.ssh/config Host alias */
	const char *user;	 /* NULL: config, else the local user */
	int port;		 /* 0: config, else 22 */
	const char *identity;	 /* extra identity file, NULL for none */
	const char *known_hosts; /* NULL: ~/.ssh/known_hosts (or the config's) */
	const char *config;	 /* ssh config file; NULL the default, "" none */
	long timeout_ms;	 /* every step (connect, auth, channel, exec) */
};

struct wm_ssh {
	struct wm_err err;
	struct ssh_session_struct *session;
	pthread_mutex_t lock; /* serialises libssh calls on session */
	long timeout_ms;
	char *host; /* as given, for messages */
	int port;
	struct wm_ssh_pump *pump; /* the tunnels, NULL until the first */
	char *dir;		  /* private tunnel directory, NULL until the first */
};

/* Connect, check the host key, authenticate.  Returns a handle even on
 * failure (s->err; WM_EHOSTKEY, WM_EAUTH, WM_ECONN, WM_ETIMEDOUT); NULL only
 * when out of memory.  Use wm_ssh_ok() to tell. */
struct wm_ssh *wm_ssh_connect(const struct wm_ssh_opts *o);
/* Takes s->lock: never call it with the lock held. */
bool wm_ssh_ok(struct wm_ssh *s);
/* Send a keepalive (an SSH_MSG_IGNORE, flushed within the timeout) and see
 * that the connection still stands: 0, or -1 when it is gone. */
int wm_ssh_keepalive(struct wm_ssh *s);
/* Stop the tunnels, close every channel and the session, remove the
 * tunnel directory.  NULL is fine. */
void wm_ssh_close(struct wm_ssh *s);

/* Join argv into a command line for the remote shell, each word single-quoted
 * ('\'' for a quote).  -1 when it does not fit in size. */
int wm_ssh_quote(const char *const argv[], char *buf, size_t size, struct wm_err *err);

/* Run argv on the remote host.  stdout (at most max bytes, else WM_ETOOBIG)
 * into *out (NUL-terminated, caller frees), the first line of stderr into
 * errline (may be NULL), the exit status into *status.  Bounded by the
 * session's timeout. */
int wm_ssh_exec(struct wm_ssh *s, const char *const argv[], size_t max, char **out, size_t *outlen,
		int *status, char *errline, size_t errsize);

/* A local socket forwarding to the remote unix socket remote_path
 * (direct-streamlocal; when the server refuses it, `docker -H unix://PATH
 * system dial-stdio` over an exec channel).  The local path goes to out. */
int wm_ssh_tunnel_unix(struct wm_ssh *s, const char *remote_path, char *out, size_t size);
/* A local socket forwarding to host:port as seen from the remote host
 * (direct-tcpip), named name inside the tunnel directory (NULL: generated;
 * libpq wants ".s.PGSQL.<port>").  The local path goes to out. */
int wm_ssh_tunnel_tcp(struct wm_ssh *s, const char *host, int port, const char *name, char *out,
		      size_t size);
/* Did the SSH server refuse the channel of a connection to the tunnel at
 * local (nothing listening at the far end: redis stopped) since the last
 * call?  The client only saw its connection closed; why gets libssh's
 * words.  False when it did not, or local is no tunnel of s. */
bool wm_ssh_tunnel_refused(struct wm_ssh *s, const char *local, char *why, size_t size);
/* The private tunnel directory (NULL before the first tunnel). */
const char *wm_ssh_tunnel_dir(const struct wm_ssh *s);

#endif
