/* target.h - where the deployment runs: this host, or a host over SSH.
 *
 * A connection to a target (struct wm_target from conf.h) yields everything a
 * program needs without caring which: a Docker client (the local socket, or a
 * tunnel to the remote one), TCP endpoints (unchanged locally, a tunnel socket
 * remotely), and command execution (lib/base/exec.h, or an exec channel).  A remote
 * target has exactly one SSH session per connection handle, shared by all of
 * these; a program opens one handle per target.
 */
#ifndef WM_TARGET_H
#define WM_TARGET_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "clients/docker.h"
#include "base/err.h"

struct wm_ssh;

struct wm_target_conn {
	struct wm_err err;
	const struct wm_target *t; /* borrowed; outlives the handle */
	long timeout_ms;
	struct wm_ssh *ssh;	  /* NULL for a local target */
	struct wm_docker *docker; /* made on first use */
	char docker_path[108];	  /* the socket the docker client uses */
};

/* Connect to t (SSH handshake, host key check and authentication for a
 * remote target; nothing for a local one).  The ssh client configuration is
 * ~/.ssh/config (of the passwd entry, as ssh(1) reads it), or the file named
 * by $WM_SSH_CONFIG.  Returns a handle even on failure
 * (h->err); NULL only when out of memory. */
struct wm_target_conn *wm_target_connect(const struct wm_target *t, long timeout_ms);
bool wm_target_ok(const struct wm_target_conn *h);
bool wm_target_is_remote(const struct wm_target_conn *h);
/* Close the docker client, the tunnels and the session.  NULL is fine. */
void wm_target_close(struct wm_target_conn *h);

/* The docker socket of a local target: t->docker_socket, else DOCKER_HOST
 * (unix://PATH), else /var/run/docker.sock. */
const char *wm_target_local_socket(const struct wm_target *t);

/* The target's Docker client, owned by h; NULL with h->err on failure. */
struct wm_docker *wm_target_docker(struct wm_target_conn *h);

/* Where to connect for hostport ("host:port" as seen from the target host).
 * Local: hostport itself.  Remote: the path of a tunnel socket, named
 * sockname in the tunnel directory when not NULL (libpq wants
 * ".s.PGSQL.<port>").  *is_unix says which. */
int wm_target_tcp_endpoint(struct wm_target_conn *h, const char *hostport, const char *sockname,
			   char *out, size_t size, bool *is_unix);

/* Run argv on the target: stdout (at most max bytes) into *out (caller
 * frees), exit status into *status, first stderr line into errline. */
int wm_target_exec(struct wm_target_conn *h, const char *const argv[], size_t max, char **out,
		   int *status, char *errline, size_t errsize);

/* The compose project: the target's, else the current directory's basename. */
const char *wm_target_project(const struct wm_target *t, char *buf, size_t size);

#endif
