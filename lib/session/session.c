/* session.c - one target: configuration, connection, deadline, log hook. */
#include "config.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "conf/conf_sections.h"
#include "base/duration.h"
#include "session/session.h"
#include "transport/ssh.h"
#include "store/statedir.h"
#include "session/target.h"

struct wm_session {
	struct wm_session_opts o; /* the hooks; the strings are not kept */
	struct wm_config *cfg;
	struct wm_target *t; /* our copy, -H applied */
	int64_t timeout_ms;
	int64_t deadline_ms;		/* monotonic; 0: none */
	struct wm_target_conn *conn;	/* opened on first use */
	int64_t last_use_ms;		/* of conn, for the keepalive */
	bool dir_told;			/* the tunnel directory went to the hook */
	const struct wm_thresholds *th; /* of the current check run, borrowed */
	char project[256];
	char mark[32];	 /* "wm-self=TOKEN", made on first use */
	char agent[128]; /* the User-Agent carrying it */
};

void
wm_session_log(const struct wm_session *s, enum wm_log_level level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!s->o.log || (int)level > s->o.verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->o.log(s->o.log_arg, level, msg);
}

/* --timeout, else [general] timeout (a duration > 0, checked when the file
 * was loaded), else the default. */
static int64_t
session_timeout(const struct wm_session_opts *o, const struct wm_config *cfg)
{
	const char *v = wm_config_get(cfg, "general", "timeout");
	int64_t ms;

	if (o->timeout_ms > 0)
		return o->timeout_ms;
	if (v && wm_duration_parse(v, &ms, NULL) == 0 && ms > 0)
		return ms;
	return WM_SESSION_DEFAULT_TIMEOUT_MS;
}

struct wm_session *
wm_session_open(const struct wm_session_opts *o, struct wm_err *err)
{
	struct wm_session *s = calloc(1, sizeof(*s));
	const struct wm_target *t;
	const char *const *warnings;
	size_t n;

	if (!s) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	s->o = *o;
	s->o.config = s->o.target = s->o.host = NULL;
	s->cfg = wm_config_load(o->config, err);
	if (!s->cfg)
		goto out_close;
	warnings = wm_config_warnings(s->cfg, &n);
	for (size_t i = 0; i < n; i++)
		wm_session_log(s, WM_LOG_WARNING, "%s", warnings[i]);
	s->timeout_ms = session_timeout(o, s->cfg);
	t = wm_config_target(s->cfg, o->target, err);
	if (!t)
		goto out_close;
	s->t = wm_target_dup(t);
	if (!s->t) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_close;
	}
	if (o->host && wm_target_from_hostspec(s->t, o->host, err) < 0)
		goto out_close;
	return s;

out_close:
	wm_session_close(s);
	return NULL;
}

void
wm_session_close(struct wm_session *s)
{
	if (!s)
		return;
	wm_target_close(s->conn);
	wm_target_free(s->t);
	wm_config_free(s->cfg);
	free(s);
}

const struct wm_config *
wm_session_config(const struct wm_session *s)
{
	return s->cfg;
}

const struct wm_target *
wm_session_target(const struct wm_session *s)
{
	return s->t;
}

const char *
wm_session_target_name(const struct wm_session *s)
{
	return s->t->name;
}

const char *
wm_session_project(const struct wm_session *s)
{
	struct wm_session *w = (struct wm_session *)s; /* a cache, not a change */

	return wm_target_project(s->t, w->project, sizeof(w->project));
}

bool
wm_session_is_remote(const struct wm_session *s)
{
	return s->t->host != NULL;
}

int64_t
wm_session_timeout_ms(const struct wm_session *s)
{
	return s->timeout_ms;
}

void
wm_session_set_thresholds(struct wm_session *s, const struct wm_thresholds *th)
{
	s->th = th;
}

const struct wm_thresholds *
wm_session_thresholds(const struct wm_session *s)
{
	return s->th;
}

void
wm_session_set_deadline(struct wm_session *s, int64_t deadline_ms)
{
	s->deadline_ms = deadline_ms;
}

void
wm_session_start(struct wm_session *s, int64_t extra_ms)
{
	s->deadline_ms = wm_monotonic_ms() + s->timeout_ms + (extra_ms > 0 ? extra_ms : 0);
}

int64_t
wm_session_budget_ms(const struct wm_session *s, int64_t own_ms)
{
	int64_t left;

	if (own_ms <= 0)
		own_ms = s->timeout_ms;
	if (s->deadline_ms <= 0)
		return own_ms;
	left = s->deadline_ms - wm_monotonic_ms();
	if (left < 1)
		left = 1;
	return left < own_ms ? left : own_ms;
}

/* Give the clients of the connection the current budget. */
static void
conn_budget(struct wm_session *s)
{
	long ms = (long)wm_session_budget_ms(s, 0);

	s->conn->timeout_ms = ms;
	if (s->conn->ssh)
		s->conn->ssh->timeout_ms = ms;
	s->last_use_ms = wm_monotonic_ms();
}

/* Tell the hook about the tunnel directory once it exists. */
static void
tell_dir(struct wm_session *s)
{
	const char *dir = s->conn && s->conn->ssh ? wm_ssh_tunnel_dir(s->conn->ssh) : NULL;

	if (dir && !s->dir_told && s->o.tunnel_dir)
		s->o.tunnel_dir(s->o.log_arg, dir);
	s->dir_told = dir != NULL;
}

static void
drop_conn(struct wm_session *s)
{
	wm_target_close(s->conn);
	s->conn = NULL;
	s->dir_told = false;
}

int
wm_session_keepalive(struct wm_session *s)
{
	if (!s->conn || !s->conn->ssh || !wm_target_ok(s->conn))
		return 0;
	if (wm_ssh_keepalive(s->conn->ssh) == 0) {
		s->last_use_ms = wm_monotonic_ms();
		return 0;
	}
	wm_session_log(s, WM_LOG_VERBOSE,
		       "ssh %s: the connection dropped; reconnecting on next use", s->t->host);
	drop_conn(s);
	return -1;
}

/* The connection, opened on first use (the SSH handshake for a remote
 * target); one that failed, or went idle and then dead, is opened again. */
static struct wm_target_conn *
session_conn(struct wm_session *s, struct wm_err *err)
{
	if (s->conn && !wm_target_ok(s->conn))
		drop_conn(s);
	if (s->conn && s->conn->ssh && wm_monotonic_ms() - s->last_use_ms > WM_SESSION_KEEPALIVE_MS)
		wm_session_keepalive(s);
	if (!s->conn) {
		s->conn = wm_target_connect(s->t, (long)wm_session_budget_ms(s, 0));
		if (!s->conn)
			goto out_nomem;
		if (s->conn->ssh)
			wm_session_log(s, WM_LOG_DEBUG, "ssh %s: connected", s->t->host);
	}
	if (!wm_target_ok(s->conn)) {
		*err = s->conn->err;
		return NULL;
	}
	conn_budget(s);
	return s->conn;

out_nomem:
	wm_err_set(err, WM_ENOMEM, "out of memory");
	return NULL;
}

int
wm_session_connect(struct wm_session *s, struct wm_err *err)
{
	return session_conn(s, err) ? 0 : -1;
}

struct wm_docker *
wm_session_docker(struct wm_session *s, struct wm_err *err)
{
	struct wm_target_conn *h = session_conn(s, err);
	struct wm_docker *d;

	if (!h)
		return NULL;
	d = wm_target_docker(h);
	tell_dir(s);
	if (!d) {
		*err = h->err;
		return NULL;
	}
	/* each request: its own timeout, or what remains of the deadline */
	d->timeout_ms = (long)s->timeout_ms;
	d->deadline_ms = s->deadline_ms;
	return d;
}

const char *
wm_session_docker_path(const struct wm_session *s)
{
	return s->conn ? s->conn->docker_path : "";
}

int
wm_session_reach(struct wm_session *s, const char *hostport, const char *sockname, char *out,
		 size_t size, bool *is_unix, struct wm_err *err)
{
	struct wm_target_conn *h;
	int rc;

	if (!s->t->host) { /* local: no connection needed */
		*is_unix = hostport[0] == '/';
		if ((size_t)snprintf(out, size, "%s", hostport) >= size)
			return wm_err_set(err, WM_EINVAL, "endpoint too long");
		return 0;
	}
	if (!(h = session_conn(s, err)))
		return -1;
	rc = wm_target_tcp_endpoint(h, hostport, sockname, out, size, is_unix);
	tell_dir(s);
	if (rc < 0)
		*err = h->err;
	return rc;
}

bool
wm_session_tunnel_refused(struct wm_session *s, const char *local, char *why, size_t size)
{
	return s->conn && s->conn->ssh && wm_ssh_tunnel_refused(s->conn->ssh, local, why, size);
}

int
wm_session_exec(struct wm_session *s, const char *const argv[], size_t max, char **out, int *status,
		char *errline, size_t errsize, struct wm_err *err)
{
	struct wm_target_conn *h = session_conn(s, err);

	if (!h)
		return -1;
	if (wm_target_exec(h, argv, max, out, status, errline, errsize) < 0) {
		*err = h->err;
		return -1;
	}
	return 0;
}

/* $WM_STATE_DIR, [general] state_dir, the default (conf_sections.h); NULL
 * (wm_state_dir's own) when it cannot be told. */
static const char *
state_dir(const struct wm_session *s, char *buf, size_t len)
{
	return wm_config_state_dir(s->cfg, buf, len, NULL, NULL) == 0 ? buf : NULL;
}

cJSON *
wm_session_sample_load(const struct wm_session *s, const char *name)
{
	struct wm_err err = {0};
	char dir[PATH_MAX], path[PATH_MAX];
	const char *d = state_dir(s, dir, sizeof(dir));
	cJSON *prev = wm_state_load_in(d, s->t->name, name, &err);

	if (!prev && err.code != WM_ENOTFOUND)
		wm_session_log(s, WM_LOG_VERBOSE, "ignoring the previous sample: %s", err.msg);
	else if (!prev)
		wm_session_log(s, WM_LOG_VERBOSE, "%s", err.msg); /* "PATH: no previous sample" */
	else if (s->o.log && s->o.verbose >= WM_LOG_VERBOSE &&
		 wm_state_path_in(d, s->t->name, name, path, sizeof(path), NULL) == 0)
		wm_session_log(s, WM_LOG_VERBOSE, "previous sample loaded from %s", path);
	return prev;
}

void
wm_session_sample_save(const struct wm_session *s, const char *name, const cJSON *next)
{
	struct wm_err err = {0};
	char dir[PATH_MAX], path[PATH_MAX];
	const char *d = state_dir(s, dir, sizeof(dir));

	if (!next)
		return;
	if (wm_state_save_in(d, s->t->name, name, next, &err) < 0)
		wm_session_log(s, WM_LOG_ERROR, "saving the sample: %s", err.msg);
	else if (s->o.log && s->o.verbose >= WM_LOG_VERBOSE &&
		 wm_state_path_in(d, s->t->name, name, path, sizeof(path), NULL) == 0)
		wm_session_log(s, WM_LOG_VERBOSE, "sample saved to %s", path);
}

/* The target's token: the state directory's "agent" sample (made on first
 * use, mode 0600), so that every program and every run against the target
 * marks its requests alike; a token of this session alone when the sample
 * cannot be read or kept (said at WM_LOG_VERBOSE). */
static void
mark_make(struct wm_session *s)
{
	struct wm_err err = {0};
	char dir[PATH_MAX], tok[17];
	const char *d = state_dir(s, dir, sizeof(dir));
	cJSON *doc = wm_state_load_in(d, s->t->name, WM_SESSION_AGENT_SAMPLE, &err);
	const cJSON *t = doc ? cJSON_GetObjectItemCaseSensitive(doc, "token") : NULL;
	unsigned char r[8] = {0};

	if (cJSON_IsString(t) && strlen(t->valuestring) == 16 &&
	    strspn(t->valuestring, "0123456789abcdef") == 16) {
		snprintf(s->mark, sizeof(s->mark), "wm-self=%s", t->valuestring);
		cJSON_Delete(doc);
		return;
	}
	cJSON_Delete(doc);
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) /* never short for 8 bytes */
		memset(r, 0, sizeof(r));
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(tok + 2 * i, 3, "%02x", r[i]);
	snprintf(s->mark, sizeof(s->mark), "wm-self=%s", tok);
	if (!(doc = cJSON_CreateObject()) || !cJSON_AddStringToObject(doc, "token", tok) ||
	    wm_state_save_in(d, s->t->name, WM_SESSION_AGENT_SAMPLE, doc, &err) < 0)
		wm_session_log(s, WM_LOG_VERBOSE,
			       "the mark of the suite's requests holds for this run only: %s",
			       err.code ? err.msg : "out of memory");
	cJSON_Delete(doc);
}

const char *
wm_session_self_mark(struct wm_session *s)
{
	if (!s->mark[0])
		mark_make(s);
	return s->mark;
}

const char *
wm_session_agent(struct wm_session *s)
{
	if (!s->agent[0])
		snprintf(s->agent, sizeof(s->agent), "warunginmon/%s (self-check; %s)",
			 PACKAGE_VERSION, wm_session_self_mark(s));
	return s->agent;
}
