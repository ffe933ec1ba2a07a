/* http_expect.c - what an HTTP answer must show (http_expect.h): the one
 * judging of statuses, JSON fields, headers and body patterns behind
 * wm-smoke's steps and wm-security's probes. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/http_expect.h"

#define JSON_DEPTH 64 /* cJSON's own nesting limit is 1000: enough for an answer */

bool
wm_expect_status_in(const char *list, long status)
{
	char code[4];

	snprintf(code, sizeof code, "%03ld", status >= 0 && status < 1000 ? status : 0);
	while (*list) {
		size_t n;

		list += strspn(list, ", \t");
		n = strcspn(list, ", \t");
		if (n == 3 && list[0] == code[0] &&
		    (list[1] == code[1] || list[1] == 'x' || list[1] == 'X') &&
		    (list[2] == code[2] || list[2] == 'x' || list[2] == 'X'))
			return true;
		list += n;
	}
	return false;
}

cJSON *
wm_expect_json_parse(const char *body, size_t len)
{
	while (len && isspace((unsigned char)*body)) {
		body++;
		len--;
	}
	if (!len || (*body != '{' && *body != '['))
		return NULL;
	return cJSON_ParseWithLength(body, len);
}

/* One step of a path: ".key", "key" at the start, or "[N]". */
const cJSON *
wm_expect_json_path(const cJSON *root, const char *path, bool *bad)
{
	const cJSON *node = root;
	const char *p = path;
	int depth = 0;
	bool scratch;

	if (!bad)
		bad = &scratch;
	*bad = false;
	if (p[0] == '$')
		p += p[1] == '.' ? 2 : 1;
	if (!*p && p == path) {
		*bad = true;
		return NULL;
	}
	while (*p) {
		if (++depth > JSON_DEPTH) {
			*bad = true;
			return NULL;
		}
		if (*p == '[') {
			char *end;
			long i = strtol(p + 1, &end, 10);

			if (end == p + 1 || *end != ']' || i < 0 || !isdigit((unsigned char)p[1])) {
				*bad = true;
				return NULL;
			}
			node = cJSON_IsArray(node) ? cJSON_GetArrayItem(node, (int)i) : NULL;
			p = end + 1;
		} else {
			size_t len;
			char key[256];

			if (*p == '.' && p != path)
				p++;
			len = strcspn(p, ".[");
			if (len == 0 || len >= sizeof(key)) {
				*bad = true;
				return NULL;
			}
			memcpy(key, p, len);
			key[len] = '\0';
			node = cJSON_IsObject(node) ? cJSON_GetObjectItemCaseSensitive(node, key)
						    : NULL;
			p += len;
		}
		if (*p && *p != '.' && *p != '[') {
			*bad = true;
			return NULL;
		}
	}
	return node;
}

bool
wm_expect_json_equals(const cJSON *node, const char *text)
{
	size_t n = strlen(text);

	if (n >= 2 && text[0] == '"' && text[n - 1] == '"')
		return cJSON_IsString(node) && strlen(node->valuestring) == n - 2 &&
		       strncmp(node->valuestring, text + 1, n - 2) == 0;
	if (cJSON_IsString(node))
		return strcmp(node->valuestring, text) == 0;
	if (cJSON_IsNumber(node)) {
		char *end;
		double v = strtod(text, &end);

		return end != text && *end == '\0' && isfinite(v) && v == node->valuedouble;
	}
	if (cJSON_IsBool(node))
		return strcmp(text, cJSON_IsTrue(node) ? "true" : "false") == 0;
	if (cJSON_IsNull(node))
		return strcmp(text, "null") == 0;
	return false;
}

/* text without surrounding blanks, into buf. */
static void
trimmed(const char *s, size_t n, char *buf, size_t size)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	snprintf(buf, size, "%.*s", (int)n, s);
}

void
wm_expect_split(const char *line, char sep, char *key, size_t ksize, char *value, size_t vsize,
		bool *has)
{
	const char *e = strchr(line, sep);

	*has = e != NULL;
	trimmed(line, e ? (size_t)(e - line) : strlen(line), key, ksize);
	if (e)
		trimmed(e + 1, strlen(e + 1), value, vsize);
	else
		value[0] = '\0';
}

const char *
wm_expect_header(const struct wm_http_header *h, size_t nh, const char *name, size_t len)
{
	for (size_t i = 0; i < nh; i++)
		if (h[i].name && strlen(h[i].name) == len && strncasecmp(h[i].name, name, len) == 0)
			return h[i].value ? h[i].value : "";
	return NULL;
}

static pcre2_code *
compile(const char *pattern, char *msg, size_t size)
{
	int code;
	PCRE2_SIZE at;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &at, NULL);

	if (!re) {
		PCRE2_UCHAR why[120];

		pcre2_get_error_message(code, why, sizeof(why));
		snprintf(msg, size, "pattern '%.60s': %s at offset %zu", pattern, (char *)why,
			 (size_t)at);
	}
	return re;
}

int
wm_expect_pattern_check(const char *pattern, char *msg, size_t size)
{
	pcre2_code *re = compile(pattern, msg, size);

	pcre2_code_free(re);
	return re ? 0 : -1;
}

int
wm_expect_body(const char *pattern, const char *body, size_t len, char *msg, size_t size)
{
	pcre2_code *re = compile(pattern, msg, size);
	pcre2_match_data *md;
	int rc;

	if (!re)
		return -1;
	if (!(md = pcre2_match_data_create_from_pattern(re, NULL))) {
		pcre2_code_free(re);
		snprintf(msg, size, "out of memory");
		return -1;
	}
	rc = pcre2_match(re, (PCRE2_SPTR)(body ? body : ""), body ? len : 0, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	if (rc >= 0)
		return 0;
	if (rc == PCRE2_ERROR_NOMATCH) {
		snprintf(msg, size, "the body (%zu bytes) does not match '%.80s'", len, pattern);
		return 1;
	}
	snprintf(msg, size, "matching '%.60s': PCRE2 error %d", pattern, rc);
	return -1;
}
