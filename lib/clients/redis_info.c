/* redis_info.c - the INFO parser (pure: bytes in, fields out). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "clients/redis.h"

static char *
dup_range(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static bool
valid_key(const char *p, size_t n)
{
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '_' && p[i] != '-' && p[i] != '.')
			return false;
	return true;
}

static int
parse_ll(const char *s, long long *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* "keys=1,expires=0,avg_ttl=0[,subexpiry=0][,...]" into db; -1 when keys is
 * missing or a known sub-field is not a number. */
static int
parse_keyspace(const char *name, const char *value, struct wm_redis_db *db)
{
	char buf[512], *save = NULL, *tok;
	bool have_keys = false;
	char *end;

	errno = 0;
	db->index = strtol(name + 2, &end, 10);
	if (errno || end == name + 2 || *end || db->index < 0)
		return -1;
	db->keys = db->expires = db->avg_ttl = 0;
	db->subexpiry = -1;
	if (strlen(value) >= sizeof(buf))
		return -1;
	memcpy(buf, value, strlen(value) + 1);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');
		long long *slot = NULL;

		if (!eq)
			return -1;
		*eq = '\0';
		if (!strcmp(tok, "keys"))
			slot = &db->keys, have_keys = true;
		else if (!strcmp(tok, "expires"))
			slot = &db->expires;
		else if (!strcmp(tok, "avg_ttl"))
			slot = &db->avg_ttl;
		else if (!strcmp(tok, "subexpiry"))
			slot = &db->subexpiry;
		if (slot && parse_ll(eq + 1, slot) < 0)
			return -1;
	}
	return have_keys ? 0 : -1;
}

static int
add_field(struct wm_redis_info *info, size_t *cap, const char *section, const char *key,
	  size_t klen, const char *val, size_t vlen)
{
	struct wm_redis_field *f;

	if (info->nfields == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		void *p = realloc(info->fields, ncap * sizeof(*info->fields));

		if (!p)
			return -1;
		info->fields = p;
		*cap = ncap;
	}
	f = &info->fields[info->nfields];
	f->section = strdup(section);
	f->key = dup_range(key, klen);
	f->value = dup_range(val, vlen);
	if (!f->section || !f->key || !f->value) {
		free(f->section);
		free(f->key);
		free(f->value);
		return -1;
	}
	info->nfields++;
	return 0;
}

static int
add_db(struct wm_redis_info *info, const struct wm_redis_field *f)
{
	struct wm_redis_db db;
	void *p;

	if (strncmp(f->key, "db", 2) || parse_keyspace(f->key, f->value, &db) < 0) {
		info->nskipped++;
		return 0;
	}
	if (info->ndbs >= WM_REDIS_DBS_MAX)
		return 0;
	p = realloc(info->dbs, (info->ndbs + 1) * sizeof(*info->dbs));
	if (!p)
		return -1;
	info->dbs = p;
	info->dbs[info->ndbs++] = db;
	return 0;
}

/* Skip "$<len>\r\n" when present; returns the payload length it announced
 * (or 0 when there was no header). */
static size_t
skip_resp_header(const char **p, const char *end)
{
	const char *q = *p + 1;
	size_t n = 0;

	if (*p >= end || **p != '$')
		return 0;
	while (q < end && isdigit((unsigned char)*q) && n < WM_REDIS_INFO_MAX * 2)
		n = n * 10 + (size_t)(*q++ - '0');
	if (q < end && *q == '\r')
		q++;
	if (q >= end || *q != '\n' || q == *p + 1)
		return 0;
	*p = q + 1;
	return n;
}

/* One line [line, eol) without its terminator. */
static int
parse_line(struct wm_redis_info *info, size_t *cap, char *section, size_t secsize, const char *line,
	   size_t n)
{
	const char *colon;

	if (n > 0 && line[n - 1] == '\r')
		n--;
	if (n == 0)
		return 0;
	if (line[0] == '#') {
		size_t i = 1;

		while (i < n && line[i] == ' ')
			i++;
		if (n - i >= secsize)
			n = i + secsize - 1;
		memcpy(section, line + i, n - i);
		section[n - i] = '\0';
		return 0;
	}
	colon = memchr(line, ':', n);
	if (!colon || !valid_key(line, (size_t)(colon - line)) || memchr(line, '\0', n) ||
	    info->nfields >= WM_REDIS_FIELDS_MAX) {
		info->nskipped++;
		return 0;
	}
	if (add_field(info, cap, section, line, (size_t)(colon - line), colon + 1,
		      n - (size_t)(colon - line) - 1) < 0)
		return -1;
	if (!strcmp(section, "Keyspace"))
		return add_db(info, &info->fields[info->nfields - 1]);
	return 0;
}

struct wm_redis_info *
wm_redis_info_parse(const char *buf, size_t len, struct wm_err *err)
{
	struct wm_redis_info *info;
	const char *p = buf, *end = buf + len, *start;
	char section[64] = "";
	size_t cap = 0, announced;

	if (!buf || len > WM_REDIS_INFO_MAX) {
		wm_err_set(err, WM_ETOOBIG, "INFO reply larger than %u bytes", WM_REDIS_INFO_MAX);
		return NULL;
	}
	info = calloc(1, sizeof(*info));
	if (!info)
		goto out_nomem;
	announced = skip_resp_header(&p, end);
	start = p;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol) {
			info->truncated = true; /* Redis ends every line; this one was cut */
			break;
		}
		if (parse_line(info, &cap, section, sizeof(section), p, (size_t)(eol - p)) < 0)
			goto out_free_info;
		p = eol + 1;
	}
	if (announced && (size_t)(end - start) < announced)
		info->truncated = true;
	if (info->nfields == 0) {
		wm_err_set(err, WM_EPROTO, "not a Redis INFO reply: no key:value field");
		wm_redis_info_free(info);
		return NULL;
	}
	return info;

out_free_info:
	wm_redis_info_free(info);
out_nomem:
	wm_err_set(err, WM_ENOMEM, "out of memory parsing INFO");
	return NULL;
}

void
wm_redis_info_free(struct wm_redis_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->nfields; i++) {
		free(info->fields[i].section);
		free(info->fields[i].key);
		free(info->fields[i].value);
	}
	free(info->fields);
	free(info->dbs);
	free(info);
}

const char *
wm_redis_info_get(const struct wm_redis_info *info, const char *key)
{
	if (!info)
		return NULL;
	for (size_t i = info->nfields; i-- > 0;)
		if (!strcmp(info->fields[i].key, key))
			return info->fields[i].value;
	return NULL;
}

int
wm_redis_info_ll(const struct wm_redis_info *info, const char *key, long long *out)
{
	const char *v = wm_redis_info_get(info, key);

	return v ? parse_ll(v, out) : -1;
}

int
wm_redis_info_double(const struct wm_redis_info *info, const char *key, double *out)
{
	const char *v = wm_redis_info_get(info, key);
	char *end;
	double d;

	if (!v)
		return -1;
	errno = 0;
	d = strtod(v, &end);
	if (errno || end == v || *end)
		return -1;
	*out = d;
	return 0;
}
