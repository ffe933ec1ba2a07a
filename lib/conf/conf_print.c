/* conf_print.c - the effective configuration of one target, secrets masked,
 * each value with where it came from (--print-config; conf_print.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"
#include "conf/conf_print.h"
#include "conf/conf_sections.h"
#include "conf/threshold_policy.h"

/* Values line up at this column, their origin after it. */
#define VALUE_COL 40

static const struct conf_entry *
entry(const struct wm_config *cfg, const char *section, const char *key)
{
	for (size_t i = 0; cfg && section && i < cfg->nentries; i++)
		if (strcmp(cfg->entries[i].section, section) == 0 &&
		    strcmp(cfg->entries[i].key, key) == 0)
			return &cfg->entries[i];
	return NULL;
}

/* "key = value    ; origin", the value masked (wm_redact), continuation
 * lines of a multi-line value indented as the file would have them. */
static void line(FILE *out, const char *key, const char *value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
line(FILE *out, const char *key, const char *value, const char *fmt, ...)
{
	char *v = strdup(value ? value : "");
	va_list ap;
	int n;

	if (!v)
		return;
	wm_redact(v); /* leaves a {{capture}} alone, masks the rest */
	for (char *p = v; (p = strchr(p, '\n'));)
		*p = ' '; /* repeated header = lines: one per line would need the key again */
	n = fprintf(out, "%s = %s", key, v);
	fprintf(out, "%*s; ", n < VALUE_COL ? VALUE_COL - n : 1, "");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	free(v);
}

static void
from_file(FILE *out, const struct wm_config *cfg, const struct conf_entry *e)
{
	line(out, e->key, e->value, "%s:%d", cfg->path, e->line);
}

static const char *
env_if_set(const char *name)
{
	const char *v = name ? getenv(name) : NULL;

	return v && *v ? v : NULL;
}

/* One field of the target: effective value v; whence by what set it. */
static void
field(FILE *out, const struct wm_config *cfg, const struct wm_target *t, const char *key,
      const char *v, const char *env, const char *cli_what)
{
	const struct conf_entry *e = entry(cfg, t->section, key);
	const char *ev = env_if_set(env);

	if (!v)
		return;
	if (cli_what && (!e || strcmp(e->value, v) != 0) && (!ev || strcmp(ev, v) != 0))
		line(out, key, v, "command line (%s)", cli_what);
	else if (ev && (strcmp(ev, v) == 0 || (strncmp(ev, "unix://", 7) == 0 &&
					       strcmp(ev + 7, v) == 0))) /* DOCKER_HOST */
		line(out, key, v, "environment %s", env);
	else if (e) /* the effective value: ~/ expanded */
		line(out, key, v, "%s:%d", cfg->path, e->line);
	else
		line(out, key, v, "default");
}

static void
list_field(FILE *out, const struct wm_config *cfg, const struct wm_target *t, const char *key,
	   char *const *v, size_t n)
{
	const struct conf_entry *e = entry(cfg, t->section, key);
	char buf[1024];
	size_t off = 0;

	if (!n)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off < sizeof buf; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s", i ? ", " : "", v[i]);
	if (e)
		line(out, key, buf, "%s:%d", cfg->path, e->line);
	else
		line(out, key, buf, "default");
}

static void
print_general(FILE *out, const struct wm_config *cfg, const struct wm_print_opts *o)
{
	const struct conf_entry *e;
	char dir[4096];
	enum wm_origin from;
	static const char *const whence[] = {"default", "environment WM_STATE_DIR", "", ""};

	fputs("[general]\n", out);
	if ((e = entry(cfg, "general", "default_target")))
		from_file(out, cfg, e);
	if (o->timeout_ms >= 0) {
		char t[32];

		snprintf(t, sizeof t, "%.3gs", (double)o->timeout_ms / 1000.0);
		line(out, "timeout", t, "command line (--timeout)");
	} else if ((e = entry(cfg, "general", "timeout"))) {
		from_file(out, cfg, e);
	} else {
		line(out, "timeout", "10s", "default");
	}
	if (wm_config_state_dir(cfg, dir, sizeof dir, &from, NULL) == 0) {
		if (from == WM_FROM_FILE)
			line(out, "state_dir", dir, "%s:%d", cfg->path,
			     entry(cfg, "general", "state_dir")->line);
		else
			line(out, "state_dir", dir, "%s", whence[from]);
	}
}

static void
print_target(FILE *out, const struct wm_config *cfg, const struct wm_target *t,
	     const struct wm_print_opts *o)
{
	char port[16];
	bool local = !entry(cfg, t->section, "host");
	const struct conf_entry *e;
	int n;

	const char *env = env_if_set("WM_TARGET");
	char why[300];

	/* how the target was chosen, in wm_config_target's order */
	if (o->target && *o->target)
		snprintf(why, sizeof why, "chosen on the command line (-t)");
	else if (env)
		snprintf(why, sizeof why, "chosen by the environment (WM_TARGET)");
	else if ((e = entry(cfg, "general", "default_target")))
		snprintf(why, sizeof why, "chosen by default_target (%s:%d)", cfg->path, e->line);
	else if (cfg && cfg->nfiletargets == 1)
		snprintf(why, sizeof why, "the only target of the file");
	else
		snprintf(why, sizeof why, "built in (this host)");
	n = fprintf(out, "\n[target %s]", t->name);
	fprintf(out, "%*s; %s\n", n - 1 < VALUE_COL ? VALUE_COL - n + 1 : 1, "", why);
	field(out, cfg, t, "host", t->host, NULL, o->host ? "-H" : NULL);
	field(out, cfg, t, "user", t->user, NULL, o->host && strchr(o->host, '@') ? "-H" : NULL);
	snprintf(port, sizeof port, "%d", t->port);
	field(out, cfg, t, "port", t->port ? port : NULL, NULL, o->host ? "-H" : NULL);
	field(out, cfg, t, "identity", t->identity, NULL, NULL);
	field(out, cfg, t, "known_hosts", t->known_hosts, NULL, NULL);
	field(out, cfg, t, "docker_socket", t->docker_socket,
	      local && !(o->host && !t->docker_socket_set) ? "DOCKER_HOST" : NULL, NULL);
	field(out, cfg, t, "project", t->project, local ? "COMPOSE_PROJECT_NAME" : NULL, NULL);
	list_field(out, cfg, t, "services", t->services, t->nservices);
	field(out, cfg, t, "redis", t->redis, "WM_REDIS", NULL);
	field(out, cfg, t, "redis_password_file", t->redis_password_file, NULL, NULL);
	field(out, cfg, t, "postgres", t->postgres, "WM_POSTGRES", NULL);
	field(out, cfg, t, "postgres_password_file", t->postgres_password_file, NULL, NULL);
	field(out, cfg, t, "base_url", t->base_url, "WM_BASE_URL", NULL);
	field(out, cfg, t, "metrics_url", t->metrics_url, "WM_METRICS_URL", NULL);
	if ((e = entry(cfg, t->section, "tls_verify")))
		from_file(out, cfg, e);
	list_field(out, cfg, t, "never_shrink", t->never_shrink, t->nnever_shrink);
	list_field(out, cfg, t, "disk_paths", t->disk_paths, t->ndisk_paths);
	/* where the secrets would come from, never what they are */
	if (!t->redis_password_file && env_if_set("WM_REDIS_PASSWORD"))
		fputs("; redis password: from the environment (WM_REDIS_PASSWORD, set)\n", out);
	if (!t->postgres_password_file && env_if_set("PGPASSWORD"))
		fputs("; postgres password: from the environment (PGPASSWORD, set)\n", out);
}

static bool
is_threshold(const char *key)
{
	const char *dot = strrchr(key, '.');

	return dot && (strcmp(dot, ".warning") == 0 || strcmp(dot, ".critical") == 0);
}

/* The threshold keys that apply to this target, and -w/-c. */
static void
print_thresholds(FILE *out, const struct wm_config *cfg, const struct wm_target *t,
		 const struct wm_print_opts *o)
{
	fputs("\n[thresholds]\n", out);
	for (size_t i = 0; cfg && i < cfg->nentries; i++) {
		const struct conf_entry *e = &cfg->entries[i];
		struct wm_threshold_name n;
		const char *dot = strrchr(e->key, '.');
		bool old;

		if ((strcmp(e->section, "thresholds") && strcmp(e->section, t->section)) ||
		    !is_threshold(e->key))
			continue;
		old = wm_threshold_key_parse(e->key, (size_t)(dot - e->key), &n, NULL) == 1;
		line(out, e->key, e->value, "%s:%d%s%s", cfg->path, e->line,
		     strcmp(e->section, "thresholds") ? " [target]" : "", old ? " (old form)" : "");
	}
	for (size_t i = 0; i < o->nwarn; i++)
		fprintf(out, "; -w %s (command line, wins)\n", o->warn[i]);
	for (size_t i = 0; i < o->ncrit; i++)
		fprintf(out, "; -c %s (command line, wins)\n", o->crit[i]);
}

/* Every other section as the file has it: [smoke], [probe NAME]... */
static void
print_others(FILE *out, const struct wm_config *cfg)
{
	for (size_t s = 0; cfg && s < cfg->nsections; s++) {
		const char *sec = cfg->sections[s];
		bool header = false;

		if (!strcmp(sec, "general") || !strcmp(sec, "thresholds") ||
		    !strncmp(sec, "target ", 7))
			continue;
		for (size_t i = 0; i < cfg->nentries; i++) {
			if (strcmp(cfg->entries[i].section, sec))
				continue;
			if (!header)
				fprintf(out, "\n[%s]\n", sec);
			header = true;
			from_file(out, cfg, &cfg->entries[i]);
		}
	}
}

int
wm_config_print(const struct wm_config *cfg, const struct wm_target *t,
		const struct wm_print_opts *o, FILE *out, struct wm_err *err)
{
	static const struct wm_print_opts none = {.timeout_ms = -1};
	size_t nw;
	const char *const *w = wm_config_warnings(cfg, &nw);

	if (!o)
		o = &none;
	if (!t)
		return wm_err_set(err, WM_EINVAL, "no target to print");
	if (cfg && cfg->path)
		fprintf(out, "; configuration file: %s\n", cfg->path);
	else
		fputs("; no configuration file found: built-in defaults and the environment\n",
		      out);
	fputs("; secrets are masked; each value says where it came from\n", out);
	for (size_t i = 0; i < nw; i++)
		fprintf(out, "; warning: %s\n", w[i]);
	print_general(out, cfg, o);
	print_target(out, cfg, t, o);
	print_thresholds(out, cfg, t, o);
	print_others(out, cfg);
	if (fflush(out) != 0 || ferror(out))
		return wm_err_set(err, WM_EIO, "writing the configuration failed");
	return 0;
}
