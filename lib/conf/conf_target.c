/* conf_target.c - targets: built from the file and the environment, selected,
 * copied and overridden from the command line; per-target thresholds. */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf_int.h"

static void
free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
wm_target_free(struct wm_target *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->host);
	free(t->user);
	free(t->identity);
	free(t->known_hosts);
	free(t->docker_socket);
	free(t->project);
	free_list(t->services, t->nservices);
	free(t->redis);
	free(t->redis_password_file);
	free(t->postgres);
	free(t->postgres_password_file);
	free(t->base_url);
	free(t->metrics_url);
	free_list(t->never_shrink, t->nnever_shrink);
	free_list(t->disk_paths, t->ndisk_paths);
	free((char *)t->section);
	free(t);
}

int
conf_split_list(const char *value, char ***out, size_t *n)
{
	char **v = NULL;
	size_t count = 0;
	const char *p = value;

	*out = NULL;
	*n = 0;
	while (p && *p) {
		size_t len;
		char **nv;

		p += strspn(p, ", \t");
		len = strcspn(p, ", \t");
		if (len == 0)
			break;
		nv = realloc(v, (count + 2) * sizeof(*v));
		if (!nv || !(nv[count] = strndup(p, len))) {
			free_list(nv ? nv : v, count);
			return -1;
		}
		v = nv;
		v[++count] = NULL;
		p += len;
	}
	*out = v;
	*n = count;
	return 0;
}

/* strdup that maps NULL to NULL and records failure in *oom. */
static char *
dup_or_null(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*oom = true;
	return d;
}

static char **
dup_list(char *const *v, size_t n, bool *oom)
{
	char **d;

	if (!v)
		return NULL;
	d = calloc(n + 1, sizeof(*d));
	if (!d) {
		*oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		d[i] = dup_or_null(v[i], oom);
	return d;
}

struct wm_target *
wm_target_dup(const struct wm_target *t)
{
	struct wm_target *d = calloc(1, sizeof(*d));
	bool oom = false;

	if (!d || !t) {
		free(d);
		return NULL;
	}
	d->name = dup_or_null(t->name, &oom);
	d->host = dup_or_null(t->host, &oom);
	d->user = dup_or_null(t->user, &oom);
	d->port = t->port;
	d->identity = dup_or_null(t->identity, &oom);
	d->known_hosts = dup_or_null(t->known_hosts, &oom);
	d->docker_socket = dup_or_null(t->docker_socket, &oom);
	d->docker_socket_set = t->docker_socket_set;
	d->project = dup_or_null(t->project, &oom);
	d->services = dup_list(t->services, t->nservices, &oom);
	d->nservices = d->services ? t->nservices : 0;
	d->redis = dup_or_null(t->redis, &oom);
	d->redis_password_file = dup_or_null(t->redis_password_file, &oom);
	d->postgres = dup_or_null(t->postgres, &oom);
	d->postgres_password_file = dup_or_null(t->postgres_password_file, &oom);
	d->base_url = dup_or_null(t->base_url, &oom);
	d->metrics_url = dup_or_null(t->metrics_url, &oom);
	d->never_shrink = dup_list(t->never_shrink, t->nnever_shrink, &oom);
	d->nnever_shrink = d->never_shrink ? t->nnever_shrink : 0;
	d->disk_paths = dup_list(t->disk_paths, t->ndisk_paths, &oom);
	d->ndisk_paths = d->disk_paths ? t->ndisk_paths : 0;
	d->section = dup_or_null(t->section, &oom);
	if (oom) {
		wm_target_free(d);
		return NULL;
	}
	return d;
}

/* "~/x" -> "$HOME/x"; anything else copied. */
static char *
expand_home(const char *path, bool *oom)
{
	const char *home = getenv("HOME");
	char *d;
	size_t n;

	if (!path)
		return NULL;
	if (path[0] != '~' || path[1] != '/' || !home || !*home)
		return dup_or_null(path, oom);
	n = strlen(home) + strlen(path);
	d = malloc(n);
	if (!d) {
		*oom = true;
		return NULL;
	}
	snprintf(d, n, "%s%s", home, path + 1);
	return d;
}

/* Replace *field with value (copied) when value is set and not empty. */
static void
set_field(char **field, const char *value, bool *oom)
{
	if (!value || !*value)
		return;
	free(*field);
	*field = dup_or_null(value, oom);
}

static char *
cwd_basename(bool *oom)
{
	char cwd[PATH_MAX];
	const char *b;

	if (!getcwd(cwd, sizeof(cwd)))
		return dup_or_null("default", oom);
	b = strrchr(cwd, '/');
	b = b && b[1] ? b + 1 : "default";
	return dup_or_null(b, oom);
}

/* Environment over file (DESIGN §3 precedence); DOCKER_HOST and
 * COMPOSE_PROJECT_NAME describe this machine, so only local targets take them. */
static void
apply_env(struct wm_config *cfg, struct wm_target *t, bool *oom)
{
	const char *dh = getenv("DOCKER_HOST");

	if (!t->host) {
		if (dh && strncmp(dh, "unix://", 7) == 0 && dh[7]) {
			set_field(&t->docker_socket, dh + 7, oom);
			t->docker_socket_set = false; /* this host's, not for -H */
		} else if (dh && *dh)
			conf_add_warning(cfg, "DOCKER_HOST=%s is not a unix:// socket; ignored",
					 dh);
		set_field(&t->project, getenv("COMPOSE_PROJECT_NAME"), oom);
	}
	set_field(&t->redis, getenv("WM_REDIS"), oom);
	set_field(&t->postgres, getenv("WM_POSTGRES"), oom);
	set_field(&t->base_url, getenv("WM_BASE_URL"), oom);
	set_field(&t->metrics_url, getenv("WM_METRICS_URL"), oom);
}

/* A target from section "target NAME" (or the built-in local one when section
 * is NULL): defaults, then the file, then the environment. */
static struct wm_target *
build_target(struct wm_config *cfg, const char *name, const char *section)
{
	struct wm_target *t = calloc(1, sizeof(*t));
	bool oom = false;
	char sec[128];
	const char *v;

	if (!t)
		return NULL;
	snprintf(sec, sizeof(sec), "target %s", name);
	t->name = dup_or_null(name, &oom);
	t->section = dup_or_null(sec, &oom);
	if (section) {
		t->host = dup_or_null(wm_config_get(cfg, sec, "host"), &oom);
		t->user = dup_or_null(wm_config_get(cfg, sec, "user"), &oom);
		if ((v = wm_config_get(cfg, sec, "port")))
			t->port = (int)strtol(v, NULL, 10); /* checked while parsing */
		t->identity = expand_home(wm_config_get(cfg, sec, "identity"), &oom);
		t->known_hosts = expand_home(wm_config_get(cfg, sec, "known_hosts"), &oom);
		t->docker_socket = dup_or_null(wm_config_get(cfg, sec, "docker_socket"), &oom);
		t->docker_socket_set = t->docker_socket != NULL;
		t->project = dup_or_null(wm_config_get(cfg, sec, "project"), &oom);
		t->redis = dup_or_null(wm_config_get(cfg, sec, "redis"), &oom);
		t->redis_password_file =
		    expand_home(wm_config_get(cfg, sec, "redis_password_file"), &oom);
		t->postgres = dup_or_null(wm_config_get(cfg, sec, "postgres"), &oom);
		t->postgres_password_file =
		    expand_home(wm_config_get(cfg, sec, "postgres_password_file"), &oom);
		t->base_url = dup_or_null(wm_config_get(cfg, sec, "base_url"), &oom);
		t->metrics_url = dup_or_null(wm_config_get(cfg, sec, "metrics_url"), &oom);
		if (conf_split_list(wm_config_get(cfg, sec, "services"), &t->services,
				    &t->nservices) < 0 ||
		    conf_split_list(wm_config_get(cfg, sec, "never_shrink"), &t->never_shrink,
				    &t->nnever_shrink) < 0 ||
		    conf_split_list(wm_config_get(cfg, sec, "disk_paths"), &t->disk_paths,
				    &t->ndisk_paths) < 0)
			oom = true;
	}
	apply_env(cfg, t, &oom);
	if (!t->docker_socket)
		t->docker_socket = dup_or_null(WM_DOCKER_SOCKET_DEFAULT, &oom);
	if (!t->project)
		t->project = cwd_basename(&oom);
	if (oom) {
		wm_target_free(t);
		return NULL;
	}
	return t;
}

static int
add_target(struct wm_config *cfg, const char *name, const char *section)
{
	struct wm_target **v = realloc(cfg->targets, (cfg->ntargets + 1) * sizeof(*v));
	const char **names;

	if (!v)
		return -1;
	cfg->targets = v;
	names = realloc(cfg->names, (cfg->ntargets + 2) * sizeof(*names));
	if (!names)
		return -1;
	cfg->names = names;
	if (!(v[cfg->ntargets] = build_target(cfg, name, section)))
		return -1;
	names[cfg->ntargets] = v[cfg->ntargets]->name;
	names[++cfg->ntargets] = NULL;
	return 0;
}

int
conf_build_targets(struct wm_config *cfg, struct wm_err *err)
{
	bool have_local = false;

	for (size_t i = 0; i < cfg->nsections; i++) {
		const char *s = cfg->sections[i];

		if (strncmp(s, "target ", 7) != 0)
			continue;
		if (strcmp(s + 7, WM_TARGET_LOCAL) == 0)
			have_local = true;
		if (add_target(cfg, s + 7, s) < 0)
			return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	cfg->nfiletargets = cfg->ntargets;
	if (!have_local && add_target(cfg, WM_TARGET_LOCAL, NULL) < 0)
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	return 0;
}

const char *const *
wm_config_target_names(const struct wm_config *cfg, size_t *n)
{
	*n = cfg ? cfg->ntargets : 0;
	return cfg ? cfg->names : NULL;
}

static const struct wm_target *
find_target(const struct wm_config *cfg, const char *name)
{
	for (size_t i = 0; i < cfg->ntargets; i++) {
		if (strcmp(cfg->targets[i]->name, name) == 0)
			return cfg->targets[i];
	}
	return NULL;
}

const struct wm_target *
wm_config_target(const struct wm_config *cfg, const char *name, struct wm_err *err)
{
	const char *env = getenv("WM_TARGET");
	const struct wm_target *t;
	char known[WM_ERR_MSG_MAX / 2];
	size_t off = 0;

	if (!cfg) {
		wm_err_set(err, WM_EINVAL, "no configuration");
		return NULL;
	}
	if (!name || !*name)
		name = env && *env ? env : wm_config_get(cfg, "general", "default_target");
	known[0] = '\0';
	for (size_t i = 0; i < cfg->nfiletargets && off < sizeof(known); i++)
		off += (size_t)snprintf(known + off, sizeof(known) - off, "%s%s", i ? ", " : "",
					cfg->targets[i]->name);
	/* Several targets and nothing chosen: checking the built-in "local"
	 * instead would be a silent guess (unless the file defines "local"). */
	if ((!name || !*name) && cfg->nfiletargets > 1 && cfg->nfiletargets == cfg->ntargets - 1) {
		wm_err_set(err, WM_ECONFIG,
			   "%s defines %zu targets (%s) and none is chosen: name one with -t "
			   "NAME, $WM_TARGET or [general] default_target",
			   cfg->path ? cfg->path : "the configuration", cfg->nfiletargets, known);
		return NULL;
	}
	if (!name || !*name)
		name = cfg->nfiletargets == 1 ? cfg->targets[0]->name : WM_TARGET_LOCAL;
	if ((t = find_target(cfg, name)))
		return t;
	for (size_t i = cfg->nfiletargets; i < cfg->ntargets && off < sizeof(known); i++)
		off += (size_t)snprintf(known + off, sizeof(known) - off, "%s%s", i ? ", " : "",
					cfg->targets[i]->name);
	wm_err_set(err, WM_ECONFIG, "unknown target '%s' (known: %s)", name, known);
	return NULL;
}

static bool
valid_host(const char *h, size_t n, bool v6)
{
	if (n == 0 || h[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];

		if (!isalnum(c) && c != '.' && c != '-' && c != '_' && !(v6 && c == ':'))
			return false;
	}
	return true;
}

int
wm_target_from_hostspec(struct wm_target *t, const char *spec, struct wm_err *err)
{
	const char *at, *h, *port = NULL;
	size_t hlen;
	bool v6 = false, oom = false;
	long p = 0;
	char *host, *user = NULL;

	if (!spec || !*spec)
		return wm_err_set(err, WM_EINVAL, "empty host");
	at = strrchr(spec, '@');
	h = at ? at + 1 : spec;
	if (at &&
	    (at == spec || strcspn(spec, " \t\n\r/:@") < (size_t)(at - spec) || spec[0] == '-'))
		return wm_err_set(err, WM_EINVAL, "invalid user in '%s'", spec);
	if (*h == '[') { /* [v6addr] or [v6addr]:port */
		const char *close = strchr(h, ']');

		if (!close || (close[1] && close[1] != ':'))
			return wm_err_set(err, WM_EINVAL,
					  "invalid host '%s' (expected [user@]host[:port])", spec);
		v6 = true;
		hlen = (size_t)(close - h - 1);
		port = close[1] ? close + 2 : NULL;
		h++;
	} else if (strchr(h, ':') && strchr(h, ':') == strrchr(h, ':')) {
		hlen = (size_t)(strchr(h, ':') - h);
		port = h + hlen + 1;
	} else { /* a bare IPv6 address has several colons and no port */
		v6 = strchr(h, ':') != NULL;
		hlen = strlen(h);
	}
	if (!valid_host(h, hlen, v6))
		return wm_err_set(err, WM_EINVAL,
				  "invalid host in '%s' (expected [user@]host[:port])", spec);
	if (port) {
		char *end;

		p = strtol(port, &end, 10);
		if (end == port || *end || p < 1 || p > 65535)
			return wm_err_set(err, WM_EINVAL, "invalid port in '%s' (expected 1-65535)",
					  spec);
	}
	host = strndup(h, hlen);
	if (at)
		user = strndup(spec, (size_t)(at - spec));
	if (!host || (at && !user)) {
		free(host);
		free(user);
		return wm_err_set(err, WM_ENOMEM, "out of memory");
	}
	if (!t->host && !t->docker_socket_set) { /* was local: the remote engine's socket */
		free(t->docker_socket);
		t->docker_socket = dup_or_null(WM_DOCKER_SOCKET_DEFAULT, &oom);
	}
	free(t->host);
	t->host = host;
	if (user) {
		free(t->user);
		t->user = user;
	}
	if (port)
		t->port = (int)p;
	return oom ? wm_err_set(err, WM_ENOMEM, "out of memory") : 0;
}

const char *
wm_config_threshold(const struct wm_config *cfg, const struct wm_target *t, const char *metric,
		    bool critical)
{
	char key[160];
	const char *v = NULL;
	int n;

	if (!cfg || !metric)
		return NULL;
	n = snprintf(key, sizeof(key), "%s.%s", metric, critical ? "critical" : "warning");
	if (n < 0 || (size_t)n >= sizeof(key))
		return NULL;
	if (t && t->section)
		v = wm_config_get(cfg, t->section, key);
	return v ? v : wm_config_get(cfg, "thresholds", key);
}
