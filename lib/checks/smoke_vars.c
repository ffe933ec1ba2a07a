/* smoke_vars.c - {{NAME}} in wm-smoke's steps: finding the references,
 * the values of one run, the expansion, and masking them in output
 * (smoke.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/smoke.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

bool
wm_smoke_ref_next(const char **pos, const char **name, size_t *len)
{
	const char *p = *pos;

	while (p && (p = strstr(p, "{{"))) {
		const char *n = p + 2 + strspn(p + 2, " \t");
		size_t l = strspn(n, NAME_CHARS);
		const char *e = n + l + strspn(n + l, " \t");

		if (l > 0 && e[0] == '}' && e[1] == '}') {
			*name = n;
			*len = l;
			*pos = e + 2;
			return true;
		}
		p += 2;
	}
	*pos = NULL;
	return false;
}

int
wm_smoke_vars_set(struct wm_smoke_vars *v, const char *name, const char *value,
		  enum wm_smoke_mask mask)
{
	struct wm_smoke_var *x = NULL;
	char *nv = strdup(value);

	if (!nv)
		return -1;
	for (size_t i = 0; i < v->n && !x; i++)
		if (strcmp(v->v[i].name, name) == 0)
			x = &v->v[i];
	if (!x) {
		if (v->n == WM_SMOKE_VARS_MAX || !(v->v[v->n].name = strdup(name))) {
			free(nv);
			return -1;
		}
		x = &v->v[v->n++];
		x->mask = WM_MASK_NEVER;
	} else {
		free(x->value);
	}
	x->value = nv;
	if (mask > x->mask)
		x->mask = mask;
	return 0;
}

const char *
wm_smoke_vars_get(const struct wm_smoke_vars *v, const char *name, size_t len)
{
	for (size_t i = 0; v && i < v->n; i++)
		if (strlen(v->v[i].name) == len && strncmp(v->v[i].name, name, len) == 0)
			return v->v[i].value;
	return NULL;
}

void
wm_smoke_vars_free(struct wm_smoke_vars *v)
{
	for (size_t i = 0; v && i < v->n; i++) {
		free(v->v[i].name);
		if (v->v[i].value) /* a secret does not outlive the run in memory */
			memset(v->v[i].value, 0, strlen(v->v[i].value));
		free(v->v[i].value);
	}
	if (v)
		v->n = 0;
}

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = (b->len + n + 1) * 2;
		char *ns = realloc(b->s, cap);

		if (!ns) {
			b->oom = true;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* value inside a JSON string: quote, backslash and control characters
 * escaped, the rest (UTF-8 included) as it is. */
static void
put_json(struct buf *b, const char *value)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		char esc[8];

		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			put(b, esc, 2);
		} else if (*p < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			put(b, esc, 6);
		} else {
			put(b, (const char *)p, 1);
		}
	}
}

char *
wm_smoke_expand(const char *text, const struct wm_smoke_vars *v, bool json, struct wm_err *err)
{
	struct buf b = {0};
	const char *pos = text, *last = text, *name;
	size_t len;

	if (!text)
		return NULL;
	put(&b, "", 0);
	while (wm_smoke_ref_next(&pos, &name, &len)) {
		const char *value = wm_smoke_vars_get(v, name, len);
		const char *open = name;

		while (open > last && !(open[0] == '{' && open[-1] == '{'))
			open--;
		if (!value) {
			free(b.s);
			wm_err_set(err, WM_ENOTFOUND, "{{%.*s}} has no value", (int)len, name);
			return NULL;
		}
		put(&b, last, (size_t)(open - 1 - last));
		if (json)
			put_json(&b, value);
		else
			put(&b, value, strlen(value));
		last = pos;
	}
	put(&b, last, strlen(last));
	if (b.oom) {
		free(b.s);
		wm_err_set(err, WM_ENOMEM, "out of memory");
		return NULL;
	}
	return b.s;
}

static bool
masked(const struct wm_smoke_var *x)
{
	size_t n = strlen(x->value);

	return n > 0 &&
	       (x->mask == WM_MASK_ALWAYS || (x->mask == WM_MASK_LONG && n >= WM_SMOKE_MASK_MIN));
}

char *
wm_smoke_mask(const char *text, const struct wm_smoke_vars *v)
{
	struct buf b = {0};
	const char *p = text ? text : "";

	put(&b, "", 0);
	while (*p) {
		size_t skip = 0;

		for (size_t i = 0; v && i < v->n && !skip; i++) {
			size_t n = strlen(v->v[i].value);

			if (masked(&v->v[i]) && strncmp(p, v->v[i].value, n) == 0)
				skip = n;
		}
		if (skip) {
			put(&b, "***", 3);
			p += skip;
		} else {
			put(&b, p++, 1);
		}
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	wm_redact(b.s);
	return b.s;
}

void
wm_smoke_mask_buf(char *buf, size_t size, const struct wm_smoke_vars *v)
{
	char *m = wm_smoke_mask(buf, v);

	if (m) {
		snprintf(buf, size, "%s", m);
		free(m);
	} else { /* no memory to mask with: say nothing rather than a secret */
		snprintf(buf, size, "(not shown: out of memory)");
	}
}
