/* session.h - one target as a program or a driver works with it.
 *
 * A session is opened from (configuration file, target name or -H spec,
 * timeout) and owns everything a check needs to reach the target: the
 * configuration, the target, the one SSH connection (opened on first use,
 * kept alive, reopened when it dropped), the Docker client, the tunnels, and
 * a log hook for the -v messages and the configuration's warnings (the
 * library never prints: the caller's hook decides).
 *
 * Time: the caller sets a monotonic deadline per check run (a one-shot
 * program once, from --timeout; wm-run per check or per tick), and every
 * client call takes the smaller of its own timeout and what remains of that
 * deadline (wm_session_budget_ms).  A session is used by one thread at a
 * time.
 */
#ifndef WM_SESSION_H
#define WM_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "conf/conf.h"
#include "clients/docker.h"
#include "base/err.h"

#define WM_SESSION_DEFAULT_TIMEOUT_MS 10000
/* An SSH connection idle this long is checked with a keepalive before use. */
#define WM_SESSION_KEEPALIVE_MS 15000

/* What the log hook is told, by importance: an error that does not stop the
 * check (a sample that could not be saved), a warning (the configuration's),
 * then what -v (level 1) and -vv (level 2) show. */
enum wm_log_level {
	WM_LOG_ERROR = -1,
	WM_LOG_WARNING = 0,
	WM_LOG_VERBOSE = 1,
	WM_LOG_DEBUG = 2,
};

struct wm_session_opts {
	const char *config; /* file; NULL: the search order of warunginmon.conf(5) */
	const char *target; /* -t NAME; NULL: $WM_TARGET, else the default target */
	const char *host;   /* -H [USER@]HOST[:PORT] applied to the target, or NULL */
	int64_t timeout_ms; /* > 0: every operation's timeout; 0: [general] timeout,
			       else WM_SESSION_DEFAULT_TIMEOUT_MS */
	/* Called with one line, no newline; NULL: nothing is said. */
	void (*log)(void *arg, enum wm_log_level level, const char *msg);
	void *log_arg;
	int verbose; /* the highest level the hook wants (the -v count) */
	/* Called when the private tunnel directory is made (a remote target),
	 * so that a watchdog can remove it if it ends the process; NULL: none. */
	void (*tunnel_dir)(void *arg, const char *dir);
};

struct wm_session;

/* Load the configuration, say its warnings through the log hook, select the
 * target and apply -H.  NULL with err on a configuration problem, an
 * unknown target or a bad -H (WM_ECONFIG, WM_EINVAL, WM_ENOTFOUND) or
 * WM_ENOMEM.  Nothing is connected yet. */
struct wm_session *wm_session_open(const struct wm_session_opts *o, struct wm_err *err);
/* Close the Docker client, the tunnels and the SSH connection; free the
 * configuration.  NULL is fine. */
void wm_session_close(struct wm_session *s);

const struct wm_config *wm_session_config(const struct wm_session *s);
/* The target, -H applied; owned by the session. */
const struct wm_target *wm_session_target(const struct wm_session *s);
/* The target's name for results and the state directory ("local", ...). */
const char *wm_session_target_name(const struct wm_session *s);
/* The compose project: the target's, else the current directory's name;
 * NULL when neither can be told. */
const char *wm_session_project(const struct wm_session *s);
/* Whether the target is reached over SSH. */
bool wm_session_is_remote(const struct wm_session *s);

/* The operations' timeout (--timeout, else [general] timeout, else 10 s). */
int64_t wm_session_timeout_ms(const struct wm_session *s);
/* Set the deadline of the check run (CLOCK_MONOTONIC ms, wm_monotonic_ms);
 * 0: none, every operation gets its own timeout. */
void wm_session_set_deadline(struct wm_session *s, int64_t deadline_ms);
/* The deadline: now + the operations' timeout + extra_ms. */
void wm_session_start(struct wm_session *s, int64_t extra_ms);
/* What an operation may take: the smaller of own_ms (<= 0: the session's
 * timeout) and what remains of the deadline, at least 1 ms so that a call
 * after the deadline fails at once with its own timeout error. */
int64_t wm_session_budget_ms(const struct wm_session *s, int64_t own_ms);

struct wm_thresholds;
/* The threshold policy of the current check run (threshold_policy.h: -w/-c,
 * the configuration, the area), set by wm_check_run for the time of the run
 * so that a unit judging as it collects (errors, the services' stats) uses
 * it; NULL outside a run.  Borrowed. */
void wm_session_set_thresholds(struct wm_session *s, const struct wm_thresholds *th);
const struct wm_thresholds *wm_session_thresholds(const struct wm_session *s);

/* Say fmt through the log hook. */
void wm_session_log(const struct wm_session *s, enum wm_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Open the connection to the target now (for a remote one: the SSH
 * handshake, host key check and authentication; nothing for a local one),
 * so that a failure can be told apart from the Docker client's.  Every
 * other call opens it on first use anyway. */
int wm_session_connect(struct wm_session *s, struct wm_err *err);
/* The Docker client of the target: the local socket, or a tunnel to the
 * remote one through the SSH connection (made on first use).  Owned by the
 * session; its timeout is the current budget.  NULL with err. */
struct wm_docker *wm_session_docker(struct wm_session *s, struct wm_err *err);
/* The socket path the Docker client uses ("" before wm_session_docker). */
const char *wm_session_docker_path(const struct wm_session *s);
/* Where this process connects for hostport ("host:port" or a unix socket
 * path as seen from the target): itself locally; through the SSH connection
 * a tunnel socket, named sockname in the tunnel directory when not NULL
 * (libpq wants ".s.PGSQL.<port>").  *is_unix says which. */
int wm_session_reach(struct wm_session *s, const char *hostport, const char *sockname, char *out,
		     size_t size, bool *is_unix, struct wm_err *err);
/* After a client failed over the tunnel at local (wm_session_reach's out):
 * did the SSH server refuse to connect to the far end (nothing listening
 * there)?  Then why says so in libssh's words; false otherwise. */
bool wm_session_tunnel_refused(struct wm_session *s, const char *local, char *why, size_t size);
/* Run argv on the target (lib/base/exec.h locally, an exec channel over SSH):
 * stdout (at most max bytes) into *out (caller frees), the exit status, the
 * first line of stderr into errline. */
int wm_session_exec(struct wm_session *s, const char *const argv[], size_t max, char **out,
		    int *status, char *errline, size_t errsize, struct wm_err *err);
/* A driver's tick: send a keepalive on an idle SSH connection and drop it
 * when the peer is gone, so the next use reconnects.  0 when the connection
 * is fine or not open; -1 when it was dropped. */
int wm_session_keepalive(struct wm_session *s);

/* The previous sample NAME of the target from the state directory, or NULL
 * on a first run (a corrupt or unreadable one is ignored like a first run,
 * said at WM_LOG_VERBOSE).  The caller frees it. */
cJSON *wm_session_sample_load(const struct wm_session *s, const char *name);
/* Keep next (NULL: nothing) as the sample for the next run; a failure is said
 * at WM_LOG_ERROR: it costs the next run its deltas, not this run its answer. */
void wm_session_sample_save(const struct wm_session *s, const char *name, const cJSON *next);

/* The suite's own requests (warunginmon(7) "The suite's own requests"):
 * every HTTP request a check sends carries wm_session_agent as its
 * User-Agent, "warunginmon/VERSION (self-check; wm-self=TOKEN)", and the
 * log analyzers leave out the access-log lines whose User-Agent holds
 * wm_session_self_mark, "wm-self=TOKEN".  TOKEN is 16 random hex digits
 * kept per target in the state directory (sample WM_SESSION_AGENT_SAMPLE),
 * so a client cannot pass for the suite by naming it: only by knowing the
 * token.  Made on first use; never NULL. */
#define WM_SESSION_AGENT_SAMPLE "agent"
const char *wm_session_self_mark(struct wm_session *s);
const char *wm_session_agent(struct wm_session *s);

#endif
