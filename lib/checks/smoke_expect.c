/* smoke_expect.c - what an answer must show, and the values captured from
 * it (smoke.h): statuses, headers, JSON paths, a body pattern, judged by
 * http_expect.h (as wm-security's probes are) and worded for wm-smoke.
 * Pure: an answer in, a verdict and a reason out. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/http_expect.h"
#include "checks/smoke.h"

cJSON *
wm_smoke_json(const struct wm_http_resp *resp)
{
	return wm_expect_json_parse(resp->body, resp->body_len);
}

bool
wm_smoke_status_ok(char *const *set, size_t n, long status)
{
	if (n == 0)
		return status >= 200 && status <= 299;
	for (size_t i = 0; i < n; i++)
		if (wm_expect_status_in(set[i], status)) /* an item of a list key */
			return true;
	return false;
}

int
wm_smoke_expect_json_check(const char *line, char *msg, size_t size)
{
	char path[256], value[256];
	bool eq, bad;

	wm_expect_split(line, '=', path, sizeof(path), value, sizeof(value), &eq);
	wm_expect_json_path(NULL, path, &bad);
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
		char name[128], want[256];
		const char *got;
		bool eq;

		wm_expect_split(spec->expect_headers[i], ':', name, sizeof(name), want,
				sizeof(want), &eq);
		got = wm_expect_header(resp->headers, resp->nheaders, name, strlen(name));
		if (!got) {
			snprintf(reason, size, "header %s missing", name);
			return 1;
		}
		if (!eq)
			continue;
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

		wm_expect_split(spec->expect_json[i], '=', path, sizeof(path), want, sizeof(want),
				&eq);
		if (!json) {
			snprintf(reason, size, "the answer is not JSON (expected %s)", path);
			return 1;
		}
		node = wm_expect_json_path(json, path, NULL);
		if (!node) {
			snprintf(reason, size, "JSON %s missing", path);
			return 1;
		}
		if (eq && !wm_expect_json_equals(node, want)) {
			describe(node, got, sizeof(got));
			snprintf(reason, size, "JSON %s: expected '%s', got %s", path, want, got);
			return 1;
		}
	}
	return 0;
}

int
wm_smoke_pattern_check(const char *pattern, char *msg, size_t size)
{
	return wm_expect_pattern_check(pattern, msg, size);
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
		return wm_expect_body(spec->expect_body, resp->body, resp->body_len, reason, size);
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
	node = wm_expect_json_path(json, c->from, NULL);
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
