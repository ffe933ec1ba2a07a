/* conf.c - loading the INI configuration: search order, parsing, known keys. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "conf/conf_int.h"
#include "base/duration.h"
#include "base/file.h"

int
conf_add_warning(struct wm_config *cfg, const char *fmt, ...)
{
	char buf[WM_ERR_MSG_MAX], **w;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	w = realloc(cfg->warnings, (cfg->nwarnings + 2) * sizeof(*w));
	if (!w)
		return -1;
	cfg->warnings = w;
	if (!(w[cfg->nwarnings] = strdup(buf)))
		return -1;
	w[++cfg->nwarnings] = NULL;
	return 0;
}

/* Normalise a section name: trim, fold blanks to one space, drop quotes
 * around the name ([target "prod"]). */
static void
normalise_section(const char *in, char *out, size_t len)
{
	size_t o = 0;
	bool space = false;

	for (const char *p = in; *p && o + 1 < len; p++) {
		if (isspace((unsigned char)*p)) {
			space = o > 0;
			continue;
		}
		if (*p == '"')
			continue;
		if (space && o + 2 < len)
			out[o++] = ' ';
		space = false;
		out[o++] = *p;
	}
	out[o] = '\0';
}

/* inih truncates section names beyond 49 characters; refuse them instead. */
#define MAX_SECTION 48

/* Parsing context: our own line reader over the file's text, so that every
 * message carries its line number. */
struct parse {
	struct wm_config *cfg;
	const char *p, *end;
	int line;
	bool cont; /* the current line is indented: it continues a value */
	int err_line;
	char err_msg[WM_ERR_MSG_MAX];
	bool oom;
};

static int parse_fail(struct parse *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int
parse_fail(struct parse *ps, const char *fmt, ...)
{
	va_list ap;

	if (ps->err_line == 0) {
		ps->err_line = ps->line;
		va_start(ap, fmt);
		vsnprintf(ps->err_msg, sizeof(ps->err_msg), fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* Remember a section the first time it is seen; warn about unknown kinds. */
static int
section_seen(struct parse *ps, const char *raw)
{
	struct wm_config *cfg = ps->cfg;
	char name[128], **s;
	const struct section_spec *sp;
	size_t klen;

	if (strlen(raw) > MAX_SECTION)
		return parse_fail(ps, "section name longer than %d characters", MAX_SECTION) - 1;
	normalise_section(raw, name, sizeof(name));
	for (size_t i = 0; i < cfg->nsections; i++) {
		if (strcmp(cfg->sections[i], name) == 0)
			return 0;
	}
	sp = conf_section_lookup(name, &klen);
	if (!sp)
		conf_add_warning(cfg, "%s:%d: unknown section [%s]", cfg->path, ps->line, name);
	else if (sp->named && name[klen] == '\0')
		return parse_fail(ps, "[%s] needs a name, e.g. [%s prod]", name, name) - 1;
	else if (!sp->named && name[klen] != '\0')
		return parse_fail(ps, "[%s] takes no name", name) - 1;
	else if (sp->named && name[klen + 1 + strspn(name + klen + 1, NAME_CHARS)] != '\0')
		return parse_fail(ps,
				  "[%s]: a name may only contain letters, digits, '.', '_' "
				  "and '-'",
				  name) -
		       1;
	s = realloc(cfg->sections, (cfg->nsections + 1) * sizeof(*s));
	if (!s || !(s[cfg->nsections] = strdup(name))) {
		if (s)
			cfg->sections = s;
		ps->oom = true;
		return -1;
	}
	cfg->sections = s;
	cfg->nsections++;
	return 0;
}

static char *
reader(char *str, int num, void *stream)
{
	struct parse *ps = stream;
	const char *nl;
	size_t n;

	if (ps->p >= ps->end || ps->err_line)
		return NULL;
	nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
	n = nl ? (size_t)(nl - ps->p) + 1 : (size_t)(ps->end - ps->p);
	ps->line++;
	if (n >= (size_t)num) {
		parse_fail(ps, "line longer than %d characters", num - 2);
		return NULL;
	}
	memcpy(str, ps->p, n);
	str[n] = '\0';
	ps->p += n;
	ps->cont = str[0] == ' ' || str[0] == '\t';
	/* Register sections here too, so that an empty [target x] exists. */
	if (str[0] == '[' && strchr(str, ']')) {
		char raw[128];

		snprintf(raw, sizeof(raw), "%.*s", (int)(strchr(str, ']') - str - 1), str + 1);
		if (section_seen(ps, raw) < 0)
			return NULL;
	}
	return str;
}

static int
check_value(struct parse *ps, const struct key_spec *k, const char *value)
{
	long v;
	char *end;
	int64_t ms;
	struct wm_err e = {0};

	switch (k->kind) {
	case K_PORT:
		v = strtol(value, &end, 10);
		if (end == value || *end || v < 1 || v > 65535)
			return parse_fail(ps, "%s: expected a port 1-65535, got '%s'", k->key,
					  value) -
			       1;
		break;
	case K_DURATION:
	case K_SPAN:
		if (wm_duration_parse(value, &ms, &e) < 0)
			return parse_fail(ps, "%s: %s", k->key, e.msg) - 1;
		if (k->kind == K_SPAN && ms <= 0)
			return parse_fail(ps, "%s: expected a duration above 0, got '%s'", k->key,
					  value) -
			       1;
		break;
	case K_BOOL:
		if (strcmp(value, "yes") && strcmp(value, "no") && strcmp(value, "true") &&
		    strcmp(value, "false") && strcmp(value, "1") && strcmp(value, "0"))
			return parse_fail(ps, "%s: expected yes or no, got '%s'", k->key, value) -
			       1;
		break;
	default: {
		char msg[WM_ERR_MSG_MAX];

		if (conf_check_http_value(k, value, msg, sizeof(msg)) < 0)
			return parse_fail(ps, "%s", msg) - 1;
		break;
	}
	}
	return 0;
}

/* Store (section, key, value).  A list key given again or continued on an
 * indented line adds to the list; a continued text value is joined with a
 * space (a long conninfo over several lines); any other repeated key is
 * replaced (the last one wins). */
static int
store(struct parse *ps, const char *section, const char *key, const char *value)
{
	bool list = conf_is_list_key(section, key);
	bool lines = conf_is_lines_key(section, key);
	struct wm_config *cfg = ps->cfg;
	struct conf_entry *e;

	for (size_t i = 0; i < cfg->nentries; i++) {
		char *v;
		size_t n;

		e = &cfg->entries[i];
		if (strcmp(e->section, section) || strcmp(e->key, key))
			continue;
		n = strlen(e->value) + strlen(value) + 3;
		v = malloc(n);
		if (!v)
			return -1;
		if (list && *e->value)
			snprintf(v, n, "%s, %s", e->value, value);
		else if (ps->cont && *e->value)
			snprintf(v, n, "%s %s", e->value, value);
		else if (lines) /* a repeated header = adds a line */
			snprintf(v, n, "%s\n%s", e->value, value);
		else
			snprintf(v, n, "%s", value);
		free(e->value);
		e->value = v;
		e->line = ps->line;
		return 0;
	}
	if (cfg->nentries == cfg->capentries) {
		size_t cap = cfg->capentries ? cfg->capentries * 2 : 16;

		e = realloc(cfg->entries, cap * sizeof(*e));
		if (!e)
			return -1;
		cfg->entries = e;
		cfg->capentries = cap;
	}
	e = &cfg->entries[cfg->nentries];
	e->section = strdup(section);
	e->key = strdup(key);
	e->value = strdup(value);
	e->line = ps->line;
	if (!e->section || !e->key || !e->value) {
		free(e->section);
		free(e->key);
		free(e->value);
		return -1;
	}
	cfg->nentries++;
	return 0;
}

/* Does the continued text v start with "KEY =" for a known KEY of sp? */
static bool
looks_like_key(const struct section_spec *sp, const char *v)
{
	char name[64];
	size_t n = strspn(v, "abcdefghijklmnopqrstuvwxyz0123456789_.");

	if (n == 0 || n >= sizeof(name))
		return false;
	memcpy(name, v, n);
	name[n] = '\0';
	v += n;
	v += strspn(v, " \t");
	return *v == '=' &&
	       (conf_key_lookup(sp, name) || (sp->thresholds && conf_is_threshold_key(name)));
}

static int
handler(void *user, const char *raw_section, const char *key, const char *value)
{
	struct parse *ps = user;
	char section[128];
	const struct section_spec *sp;
	const struct key_spec *k = NULL;
	size_t klen;

	if (!key)
		return 1;
	if (!*raw_section)
		return parse_fail(ps, "'%s' outside of any [section]", key);
	if (section_seen(ps, raw_section) < 0)
		return 0;
	normalise_section(raw_section, section, sizeof(section));
	sp = conf_section_lookup(section, &klen);
	if (!sp)
		return 1; /* the section was warned about once */
	if (!(k = conf_key_lookup(sp, key)) && !(sp->thresholds && conf_is_threshold_key(key))) {
		conf_add_warning(ps->cfg, "%s:%d: unknown key '%s' in [%s]", ps->cfg->path,
				 ps->line, key, section);
		return 1;
	}
	if (k && k->instead && !ps->cont)
		conf_add_warning(ps->cfg, "%s:%d: [%s] %s is replaced by %s (warunginmon.conf(5))",
				 ps->cfg->path, ps->line, section, key, k->instead);
	if (ps->cont && k && k->kind != K_TEXT && k->kind != K_LIST && k->kind != K_LINES &&
	    k->kind != K_STATUS)
		return parse_fail(ps, "%s: a single value; it cannot continue on an indented line",
				  key);
	if (ps->cont && looks_like_key(sp, value))
		conf_add_warning(ps->cfg,
				 "%s:%d: indented line continues the value of '%s'; "
				 "do not indent keys",
				 ps->cfg->path, ps->line, key);
	if (k && check_value(ps, k, value) < 0)
		return 0;
	if (store(ps, section, key, value) < 0) {
		ps->oom = true;
		return 0;
	}
	return 1;
}

static int
parse_text(struct wm_config *cfg, const char *text, size_t len, struct wm_err *err)
{
	struct parse ps = {.cfg = cfg, .p = text, .end = text + len};
	int rc;

	if (memchr(text, '\0', len))
		return wm_err_set(err, WM_ECONFIG, "%s: not a text file", cfg->path);
	rc = ini_parse_stream(reader, &ps, handler, &ps);
	if (ps.oom || rc == -2)
		return wm_err_set(err, WM_ENOMEM, "%s: out of memory", cfg->path);
	if (ps.err_line)
		return wm_err_set(err, WM_ECONFIG, "%s:%d: %s", cfg->path, ps.err_line, ps.err_msg);
	if (rc > 0)
		return wm_err_set(
		    err, WM_ECONFIG,
		    "%s:%d: syntax error (expected [section], key = value or a comment)", cfg->path,
		    rc);
	return 0;
}

/* The first existing file of the search order into path; 1 found, 0 none,
 * -1 error (an explicit or $WM_CONFIG file that is missing). */
static int
find_file(const char *explicit_path, char *path, size_t len, struct wm_err *err)
{
	const char *env = getenv("WM_CONFIG");
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	const char *what = explicit_path ? "--config" : "WM_CONFIG";

	if (explicit_path || (env && *env)) {
		snprintf(path, len, "%s", explicit_path ? explicit_path : env);
		if (access(path, F_OK) < 0)
			return wm_err_errno(err, WM_ECONFIG, errno, "%s (from %s)", path, what);
		return 1;
	}
	if (xdg && *xdg == '/')
		snprintf(path, len, "%s/warunginmon/config", xdg);
	else if (home && *home == '/')
		snprintf(path, len, "%s/.config/warunginmon/config", home);
	else
		path[0] = '\0';
	if (path[0] && access(path, F_OK) == 0)
		return 1;
	snprintf(path, len, "%s/warunginmon/config", WM_SYSCONFDIR);
	return access(path, F_OK) == 0;
}

/* Whoever can write the file can point the tools at another host.  Only a
 * world-writable file is warned about: group-writable is what umask 002 gives. */
static void
warn_if_writable(struct wm_config *cfg)
{
	struct stat st;

	if (stat(cfg->path, &st) == 0 && (st.st_mode & 002))
		conf_add_warning(cfg, "%s: writable by anyone (mode %04o)", cfg->path,
				 (unsigned)(st.st_mode & 07777));
}

/* The permission bits of path, -1 when it cannot be stat()ed. */
static int
file_mode(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* A config named path (NULL: none) with text parsed and targets built. */
static struct wm_config *
config_new(const char *path, const char *text, size_t len, struct wm_err *err)
{
	struct wm_config *cfg = calloc(1, sizeof(*cfg));

	if (!cfg || (path && !(cfg->path = strdup(path)))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_free_cfg;
	}
	if (path && parse_text(cfg, text, len, err) < 0)
		goto out_free_cfg;
	if (conf_check_thresholds(cfg) < 0) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_free_cfg;
	}
	if (conf_build_targets(cfg, err) < 0)
		goto out_free_cfg;
	return cfg;
out_free_cfg:
	wm_config_free(cfg);
	return NULL;
}

struct wm_config *
wm_config_parse(const char *name, const char *text, size_t len, struct wm_err *err)
{
	struct wm_config *cfg =
	    config_new(name ? name : "(string)", text ? text : "", text ? len : 0, err);

	if (cfg && conf_check_secrets(cfg, -1, err) < 0) { /* no file: a warning */
		wm_config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct wm_config *
wm_config_load(const char *explicit_path, struct wm_err *err)
{
	struct wm_config *cfg;
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	int found = find_file(explicit_path, path, sizeof(path), err);

	if (found < 0)
		return NULL;
	if (found && wm_file_read(path, WM_CONFIG_MAX_BYTES, &text, &len, err) < 0) {
		if (err)
			err->code = WM_ECONFIG;
		return NULL;
	}
	cfg = config_new(found ? path : NULL, text, len, err);
	free(text);
	if (cfg && found)
		warn_if_writable(cfg);
	if (cfg && found && conf_check_secrets(cfg, file_mode(path), err) < 0) {
		wm_config_free(cfg);
		return NULL;
	}
	return cfg;
}

void
wm_config_free(struct wm_config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nentries; i++) {
		free(cfg->entries[i].section);
		free(cfg->entries[i].key);
		free(cfg->entries[i].value);
	}
	free(cfg->entries);
	for (size_t i = 0; i < cfg->nsections; i++)
		free(cfg->sections[i]);
	free(cfg->sections);
	for (size_t i = 0; i < cfg->nwarnings; i++)
		free(cfg->warnings[i]);
	free(cfg->warnings);
	for (size_t i = 0; i < cfg->ntargets; i++)
		wm_target_free(cfg->targets[i]);
	free(cfg->targets);
	free(cfg->names);
	free(cfg->path);
	free(cfg);
}

const char *
wm_config_path(const struct wm_config *cfg)
{
	return cfg ? cfg->path : NULL;
}

const char *const *
wm_config_warnings(const struct wm_config *cfg, size_t *n)
{
	static const char *const none[] = {NULL};

	*n = cfg ? cfg->nwarnings : 0;
	return cfg && cfg->warnings ? (const char *const *)cfg->warnings : none;
}

const char *
wm_config_get(const struct wm_config *cfg, const char *section, const char *key)
{
	char norm[128];

	if (!cfg || !section || !key)
		return NULL;
	normalise_section(section, norm, sizeof(norm));
	for (size_t i = 0; i < cfg->nentries; i++) {
		if (strcmp(cfg->entries[i].section, norm) == 0 &&
		    strcmp(cfg->entries[i].key, key) == 0)
			return cfg->entries[i].value;
	}
	return NULL;
}

bool
wm_config_bool(const struct wm_config *cfg, const char *section, const char *key, bool dflt)
{
	const char *v = wm_config_get(cfg, section, key);

	if (!v)
		return dflt;
	return strcmp(v, "yes") == 0 || strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

int
wm_config_duration(const struct wm_config *cfg, const char *section, const char *key, int64_t *ms)
{
	const char *v = wm_config_get(cfg, section, key);

	if (!v)
		return 1;
	return wm_duration_parse(v, ms, NULL) == 0 ? 0 : 1; /* checked at load time */
}

int
wm_config_number(const struct wm_config *cfg, const char *section, const char *key, double *v)
{
	const char *val = wm_config_get(cfg, section, key);
	size_t klen;
	const struct section_spec *sp = conf_section_lookup(section, &klen);
	const struct key_spec *k = sp ? conf_key_lookup(sp, key) : NULL;
	char msg[WM_ERR_MSG_MAX];
	double x;

	if (!val || !k || (k->kind != K_NUMBER && k->kind != K_PERCENT) ||
	    conf_parse_number(k, val, &x, msg, sizeof(msg)) != 0) /* checked at load */
		return 1;
	*v = x;
	return 0;
}

int
wm_config_list(const struct wm_config *cfg, const char *section, const char *key, char ***list,
	       size_t *n)
{
	return conf_split_list(wm_config_get(cfg, section, key), list, n);
}

int
wm_config_split_list(const char *text, char ***list, size_t *n)
{
	return conf_split_list(text, list, n);
}

void
wm_config_list_free(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}
