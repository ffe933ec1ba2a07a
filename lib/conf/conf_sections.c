/* conf_sections.c - [probe], [step], [role], [approver] and state_dir
 * gathered from the loaded file (conf_sections.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_int.h"
#include "conf/conf_sections.h"
#include "base/duration.h"
#include "store/statedir.h"

/* strdup of a value that may be NULL; *oom on failure. */
static char *
dup(const char *s, bool *oom)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = true;
	return d;
}

static void
free_strv(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

/* A K_LINES value ("a\nb") as an array. */
static char **
split_lines(const char *value, size_t *n, bool *oom)
{
	char **v;
	size_t count = 0;

	*n = 0;
	if (!value)
		return NULL;
	for (const char *p = value; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		count++;
	if (!(v = calloc(count + 1, sizeof(*v)))) {
		*oom = true;
		return NULL;
	}
	for (const char *p = value; p && *n < count;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (!(v[*n] = strndup(p, len)))
			*oom = true;
		(*n)++;
		p = nl ? nl + 1 : NULL;
	}
	return v;
}

int
wm_config_lines(const struct wm_config *cfg, const char *section, const char *key, char ***out,
		size_t *n)
{
	bool oom = false;

	*out = split_lines(wm_config_get(cfg, section, key), n, &oom);
	if (oom) {
		wm_config_list_free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static char **
list(const struct wm_config *cfg, const char *section, const char *key, size_t *n, bool *oom)
{
	char **v = NULL;

	if (conf_split_list(wm_config_get(cfg, section, key), &v, n) < 0)
		*oom = true;
	return v;
}

static int64_t
duration_or(const struct wm_config *cfg, const char *section, const char *key, int64_t dflt)
{
	int64_t ms;

	return wm_config_duration(cfg, section, key, &ms) == 0 ? ms : dflt;
}

/* The first line of the section (that of its first key), for messages. */
static int
section_line(const struct wm_config *cfg, const char *section)
{
	for (size_t i = 0; i < cfg->nentries; i++)
		if (strcmp(cfg->entries[i].section, section) == 0)
			return cfg->entries[i].line;
	return 0;
}

static int
gather_captures(const struct wm_config *cfg, const char *section, struct wm_http_spec *s, bool *oom)
{
	for (size_t i = 0; i < cfg->nentries; i++) {
		const struct conf_entry *e = &cfg->entries[i];
		struct wm_capture *c, *v;

		if (strcmp(e->section, section) || strncmp(e->key, "capture ", 8))
			continue;
		if (!(v = realloc(s->captures, (s->ncaptures + 1) * sizeof(*v)))) {
			*oom = true;
			return -1;
		}
		s->captures = v;
		c = &v[s->ncaptures++];
		c->header = strncmp(e->value, "header:", 7) == 0;
		c->name = dup(e->key + 8, oom);
		c->from = dup(e->value + (c->header ? 7 : 5), oom); /* checked at load */
	}
	return 0;
}

static void
fill_spec(const struct wm_config *cfg, const char *section, const char *name,
	  struct wm_http_spec *s, bool *oom)
{
	const char *method = wm_config_get(cfg, section, "method");

	s->name = dup(name, oom);
	s->line = section_line(cfg, section);
	s->method = dup(method ? method : "GET", oom);
	s->url = dup(wm_config_get(cfg, section, "url"), oom);
	s->headers = split_lines(wm_config_get(cfg, section, "header"), &s->nheaders, oom);
	s->body = dup(wm_config_get(cfg, section, "body"), oom);
	s->body_file = dup(wm_config_get(cfg, section, "body_file"), oom);
	s->credentials_file = dup(wm_config_get(cfg, section, "credentials_file"), oom);
	s->expect_status = list(cfg, section, "expect_status", &s->nexpect_status, oom);
	s->expect_headers =
	    split_lines(wm_config_get(cfg, section, "expect_header"), &s->nexpect_headers, oom);
	s->expect_json =
	    split_lines(wm_config_get(cfg, section, "expect_json"), &s->nexpect_json, oom);
	s->expect_body = dup(wm_config_get(cfg, section, "expect_body"), oom);
	s->max_time_ms = duration_or(cfg, section, "max_time", -1);
	s->protection = dup(wm_config_get(cfg, section, "protection"), oom);
	s->enabled = wm_config_bool(cfg, section, "enabled", true);
	s->after = list(cfg, section, "after", &s->nafter, oom);
	s->direct = wm_config_bool(cfg, section, "direct", false);
	s->type = dup(wm_config_get(cfg, section, "type"), oom);
	s->user = dup(wm_config_get(cfg, section, "user"), oom);
	gather_captures(cfg, section, s, oom);
}

/* Every section "KIND NAME" in file order, through fill(). */
static int
gather(const struct wm_config *cfg, const char *kind, size_t elem, void **out, size_t *n,
       void (*fill)(const struct wm_config *, const char *, const char *, void *, bool *),
       struct wm_err *err)
{
	size_t klen = strlen(kind), count = 0;
	char *v = NULL;
	bool oom = false;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; cfg && i < cfg->nsections; i++) {
		const char *s = cfg->sections[i];
		char *nv;

		if (strncmp(s, kind, klen) || s[klen] != ' ')
			continue;
		if (!(nv = realloc(v, (count + 1) * elem))) {
			oom = true;
			break;
		}
		v = nv;
		memset(v + count * elem, 0, elem);
		fill(cfg, s, s + klen + 1, v + count * elem, &oom);
		count++;
	}
	*out = v;
	*n = count;
	return oom ? wm_err_set(err, WM_ENOMEM, "out of memory") : 0;
}

static void
fill_http(const struct wm_config *cfg, const char *section, const char *name, void *p, bool *oom)
{
	fill_spec(cfg, section, name, p, oom);
}

int
wm_config_probes(const struct wm_config *cfg, struct wm_http_spec **out, size_t *n,
		 struct wm_err *err)
{
	if (gather(cfg, "probe", sizeof(**out), (void **)out, n, fill_http, err) < 0) {
		wm_http_specs_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static const struct wm_http_spec *
find_step(const struct wm_http_spec *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* Depth-first walk of "after": state 1 = on the path, 2 = done. */
static int
walk(const struct wm_config *cfg, const struct wm_http_spec *v, size_t n, size_t i, char *state,
     struct wm_err *err)
{
	if (state[i] == 2)
		return 0;
	if (state[i] == 1)
		return wm_err_set(err, WM_ECONFIG, "%s:%d: [step %s]: 'after' makes a cycle",
				  wm_config_path(cfg), v[i].line, v[i].name);
	state[i] = 1;
	for (size_t a = 0; a < v[i].nafter; a++) {
		const struct wm_http_spec *d = find_step(v, n, v[i].after[a]);

		if (!d)
			return wm_err_set(err, WM_ECONFIG,
					  "%s:%d: [step %s]: after = %s: no such step",
					  wm_config_path(cfg), v[i].line, v[i].name, v[i].after[a]);
		if (walk(cfg, v, n, (size_t)(d - v), state, err) < 0)
			return -1;
	}
	state[i] = 2;
	return 0;
}

int
wm_config_steps(const struct wm_config *cfg, struct wm_http_spec **out, size_t *n,
		struct wm_err *err)
{
	char *state;
	int rc = 0;

	if (gather(cfg, "step", sizeof(**out), (void **)out, n, fill_http, err) < 0)
		goto out_free;
	if (!(state = calloc(*n + 1, 1))) {
		wm_err_set(err, WM_ENOMEM, "out of memory");
		goto out_free;
	}
	for (size_t i = 0; i < *n && rc == 0; i++)
		rc = walk(cfg, *out, *n, i, state, err);
	free(state);
	if (rc == 0)
		return 0;
out_free:
	wm_http_specs_free(*out, *n);
	*out = NULL;
	*n = 0;
	return -1;
}

void
wm_http_specs_free(struct wm_http_spec *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		struct wm_http_spec *s = &v[i];

		free(s->name);
		free(s->method);
		free(s->url);
		free_strv(s->headers, s->nheaders);
		free(s->body);
		free(s->body_file);
		free(s->credentials_file);
		free_strv(s->expect_status, s->nexpect_status);
		free_strv(s->expect_headers, s->nexpect_headers);
		free_strv(s->expect_json, s->nexpect_json);
		free(s->expect_body);
		free(s->protection);
		for (size_t c = 0; c < s->ncaptures; c++) {
			free(s->captures[c].name);
			free(s->captures[c].from);
		}
		free(s->captures);
		free_strv(s->after, s->nafter);
		free(s->type);
		free(s->user);
	}
	free(v);
}

static void
fill_role(const struct wm_config *cfg, const char *section, const char *name, void *p, bool *oom)
{
	struct wm_role *r = p;
	const char *title = wm_config_get(cfg, section, "title");
	const char *level = wm_config_get(cfg, section, "level");

	r->name = dup(name, oom);
	r->title = dup(title ? title : name, oom);
	r->level = level ? level[0] - '0' : 0; /* one digit 1-9, checked at load */
	r->contacts = list(cfg, section, "contacts", &r->ncontacts, oom);
	r->response_ms = duration_or(cfg, section, "response_time", -1);
	r->handles = list(cfg, section, "handles", &r->nhandles, oom);
	r->command = dup(wm_config_get(cfg, section, "command"), oom);
}

/* By level, unset (0) last, file order within a level: a stable sort. */
static void
sort_roles(struct wm_role *v, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct wm_role r = v[i];
		int key = r.level ? r.level : 10;
		size_t j = i;

		for (; j > 0 && (v[j - 1].level ? v[j - 1].level : 10) > key; j--)
			v[j] = v[j - 1];
		v[j] = r;
	}
}

int
wm_config_roles(const struct wm_config *cfg, struct wm_role **out, size_t *n, struct wm_err *err)
{
	if (gather(cfg, "role", sizeof(**out), (void **)out, n, fill_role, err) < 0) {
		wm_roles_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	sort_roles(*out, *n);
	return 0;
}

void
wm_roles_free(struct wm_role *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].title);
		free_strv(v[i].contacts, v[i].ncontacts);
		free_strv(v[i].handles, v[i].nhandles);
		free(v[i].command);
	}
	free(v);
}

static void
fill_approver(const struct wm_config *cfg, const char *section, const char *name, void *p,
	      bool *oom)
{
	struct wm_approver *a = p;
	const char *title = wm_config_get(cfg, section, "title");

	a->name = dup(name, oom);
	a->title = dup(title ? title : name, oom);
	a->contacts = list(cfg, section, "contacts", &a->ncontacts, oom);
	a->signs_for = list(cfg, section, "signs_for", &a->nsigns_for, oom);
	a->required = wm_config_bool(cfg, section, "required", true);
}

int
wm_config_approvers(const struct wm_config *cfg, struct wm_approver **out, size_t *n,
		    struct wm_err *err)
{
	if (gather(cfg, "approver", sizeof(**out), (void **)out, n, fill_approver, err) < 0) {
		wm_approvers_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
wm_approvers_free(struct wm_approver *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].title);
		free_strv(v[i].contacts, v[i].ncontacts);
		free_strv(v[i].signs_for, v[i].nsigns_for);
	}
	free(v);
}

int
wm_config_state_dir(const struct wm_config *cfg, char *buf, size_t len, enum wm_origin *from,
		    struct wm_err *err)
{
	const char *env = getenv("WM_STATE_DIR");
	const char *key = wm_config_get(cfg, "general", "state_dir");
	const char *home = getenv("HOME");
	enum wm_origin scratch;
	int n;

	if (!from)
		from = &scratch;
	if (env && *env) {
		*from = WM_FROM_ENV;
		n = snprintf(buf, len, "%s", env);
	} else if (key && *key) {
		*from = WM_FROM_FILE;
		if (strncmp(key, "~/", 2) == 0 && home && *home)
			n = snprintf(buf, len, "%s%s", home, key + 1);
		else
			n = snprintf(buf, len, "%s", key);
	} else {
		*from = WM_FROM_DEFAULT;
		return wm_state_dir_default(buf, len, err);
	}
	if (n < 0 || (size_t)n >= len)
		return wm_err_set(err, WM_EINVAL, "state directory path too long");
	return 0;
}
