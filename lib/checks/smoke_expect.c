/* smoke_expect.c - what an answer must show, and the values captured from
 * it (smoke.h): statuses, headers, JSON paths, a body pattern.  Pure: an
 * answer in, a verdict and a reason out. */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "checks/smoke.h"

#define JSON_DEPTH 64 /* cJSON's own nesting limit is 1000: enough for an answer */

cJSON *
wm_smoke_json(const struct wm_http_resp *resp)
{
	const char *p = resp->body;
	size_t n = resp->body_len;

	while (n && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	if (!n || (*p != '{' && *p != '['))
		return NULL;
	return cJSON_ParseWithLength(p, n);
}

bool
wm_smoke_status_ok(char *const *set, size_t n, long status)
{
	char s[8];

	if (n == 0)
		return status >= 200 && status <= 299;
	snprintf(s, sizeof(s), "%03ld", status);
	for (size_t i = 0; i < n; i++) {
		/* an item of a list key: "200", "2xx"; blanks and commas around */
		for (const char *p = set[i]; *p;) {
			size_t len;

			p += strspn(p, ", \t");
			len = strcspn(p, ", \t");
			if (len == 3 && p[0] == s[0] &&
			    ((p[1] == 'x' && p[2] == 'x') || (p[1] == s[1] && p[2] == s[2])))
				return true;
			p += len;
		}
	}
	return false;
}

/* One step of a path: ".key", "key" at the start, or "[N]". */
const cJSON *
wm_smoke_json_path(const cJSON *root, const char *path, bool *bad)
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

bool
wm_smoke_json_equals(const cJSON *node, const char *text)
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

/* "PATH = VALUE" -> path and value (value "" and *eq false for "PATH"). */
static void
split_json_line(const char *line, char *path, size_t psize, char *value, size_t vsize, bool *eq)
{
	const char *e = strchr(line, '=');

	*eq = e != NULL;
	trimmed(line, e ? (size_t)(e - line) : strlen(line), path, psize);
	if (e)
		trimmed(e + 1, strlen(e + 1), value, vsize);
	else
		value[0] = '\0';
}

int
wm_smoke_expect_json_check(const char *line, char *msg, size_t size)
{
	char path[256], value[256];
	bool eq, bad;

	split_json_line(line, path, sizeof(path), value, sizeof(value), &eq);
	wm_smoke_json_path(NULL, path, &bad);
	if (!path[0] || bad) {
		snprintf(msg, size, "bad JSON path '%.100s' (e.g. token, data.items[0].id)", path);
		return -1;
	}
	return 0;
}

/* A node as a short text for "got ...". */
static void
describe(const cJSON *node, char *buf, size_t size)
{
	char *s;

	if (cJSON_IsString(node)) {
		snprintf(buf, size, "'%.80s'", node->valuestring);
		return;
	}
	if (cJSON_IsObject(node) || cJSON_IsArray(node)) {
		snprintf(buf, size, "%s", cJSON_IsObject(node) ? "an object" : "an array");
		return;
	}
	s = cJSON_PrintUnformatted(node);
	snprintf(buf, size, "%.80s", s ? s : "?");
	free(s);
}

/* The answer's own words for a failure: a JSON "message" or "error"
 * (Warungin's AppError carries both), one line, short. */
static void
answer_words(const cJSON *json, char *buf, size_t size)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(json, "message");

	if (!cJSON_IsString(m))
		m = cJSON_GetObjectItemCaseSensitive(json, "error");
	buf[0] = '\0';
	if (cJSON_IsString(m) && m->valuestring[0]) {
		snprintf(buf, size, ": %.120s", m->valuestring);
		for (char *p = buf; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
	}
}

static int
judge_headers(const struct wm_http_spec *spec, const struct wm_http_resp *resp, char *reason,
	      size_t size)
{
	for (size_t i = 0; i < spec->nexpect_headers; i++) {
		const char *line = spec->expect_headers[i], *colon = strchr(line, ':');
		char name[128], want[256];
		const char *got;

		trimmed(line, colon ? (size_t)(colon - line) : strlen(line), name, sizeof(name));
		got = wm_http_resp_header(resp, name);
		if (!got) {
			snprintf(reason, size, "header %s missing", name);
			return 1;
		}
		if (!colon)
			continue;
		trimmed(colon + 1, strlen(colon + 1), want, sizeof(want));
		if (strcmp(got, want) != 0) {
			snprintf(reason, size, "header %s: expected '%s', got '%.100s'", name, want,
				 got);
			return 1;
		}
	}
	return 0;
}

static int
judge_json(const struct wm_http_spec *spec, const cJSON *json, char *reason, size_t size)
{
	for (size_t i = 0; i < spec->nexpect_json; i++) {
		char path[256], want[256], got[128];
		const cJSON *node;
		bool eq;

		split_json_line(spec->expect_json[i], path, sizeof(path), want, sizeof(want), &eq);
		if (!json) {
			snprintf(reason, size, "the answer is not JSON (expected %s)", path);
			return 1;
		}
		node = wm_smoke_json_path(json, path, NULL);
		if (!node) {
			snprintf(reason, size, "JSON %s missing", path);
			return 1;
		}
		if (eq && !wm_smoke_json_equals(node, want)) {
			describe(node, got, sizeof(got));
			snprintf(reason, size, "JSON %s: expected '%s', got %s", path, want, got);
			return 1;
		}
	}
	return 0;
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
wm_smoke_pattern_check(const char *pattern, char *msg, size_t size)
{
	pcre2_code *re = compile(pattern, msg, size);

	pcre2_code_free(re);
	return re ? 0 : -1;
}

/* 0 match, 1 no match (reason), -1 error (reason). */
static int
judge_body(const char *pattern, const struct wm_http_resp *resp, char *reason, size_t size)
{
	pcre2_code *re = compile(pattern, reason, size);
	pcre2_match_data *md;
	int rc;

	if (!re)
		return -1;
	if (!(md = pcre2_match_data_create_from_pattern(re, NULL))) {
		pcre2_code_free(re);
		snprintf(reason, size, "out of memory");
		return -1;
	}
	rc = pcre2_match(re, (PCRE2_SPTR)resp->body, resp->body_len, 0, 0, md, NULL);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	if (rc >= 0)
		return 0;
	if (rc == PCRE2_ERROR_NOMATCH) {
		snprintf(reason, size, "the body (%zu bytes) does not match '%.80s'",
			 resp->body_len, pattern);
		return 1;
	}
	snprintf(reason, size, "matching '%.60s': PCRE2 error %d", pattern, rc);
	return -1;
}

int
wm_smoke_judge(const struct wm_http_spec *spec, const struct wm_http_resp *resp, const cJSON *json,
	       char *reason, size_t size)
{
	int rc;

	reason[0] = '\0';
	if (!wm_smoke_status_ok(spec->expect_status, spec->nexpect_status, resp->status)) {
		char words[160], want[64] = "";
		size_t len = 0;

		for (size_t i = 0; i < spec->nexpect_status && len < sizeof(want); i++)
			len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s",
						i ? " or " : "", spec->expect_status[i]);
		answer_words(json, words, sizeof(words));
		snprintf(reason, size, "expected status %s, got %ld%s", len ? want : "2xx",
			 resp->status, words);
		return 1;
	}
	if ((rc = judge_headers(spec, resp, reason, size)) != 0 ||
	    (rc = judge_json(spec, json, reason, size)) != 0)
		return rc;
	if (spec->expect_body)
		return judge_body(spec->expect_body, resp, reason, size);
	return 0;
}

int
wm_smoke_capture(const struct wm_capture *c, const struct wm_http_resp *resp, const cJSON *json,
		 char **value, char *reason, size_t size)
{
	const cJSON *node;

	*value = NULL;
	if (c->header) {
		const char *h = wm_http_resp_header(resp, c->from);

		if (!h) {
			snprintf(reason, size, "capture %s: header %s missing", c->name, c->from);
			return 1;
		}
		return (*value = strdup(h)) ? 0 : -1;
	}
	if (!json) {
		snprintf(reason, size, "capture %s: the answer is not JSON", c->name);
		return 1;
	}
	node = wm_smoke_json_path(json, c->from, NULL);
	if (!node || cJSON_IsNull(node) || cJSON_IsObject(node) || cJSON_IsArray(node)) {
		snprintf(reason, size, "capture %s: JSON %s %s", c->name, c->from,
			 node ? "is not a value" : "missing");
		return 1;
	}
	if (cJSON_IsString(node))
		*value = strdup(node->valuestring);
	else
		*value = cJSON_PrintUnformatted(node);
	return *value ? 0 : -1;
}
