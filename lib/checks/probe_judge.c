/* probe_judge.c - was a probe refused as it must be?  Pure: the answer's
 * status, headers and body in, a verdict and a reason out (see probe.h).
 * The body is hostile input: parsed by cJSON within WM_PROBE_BODY_MAX,
 * never echoed. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "checks/probe.h"

/* Is status in the comma list ("401, 4xx")? */
static bool
status_in(const char *list, long status)
{
	char code[4];

	snprintf(code, sizeof code, "%03ld", status >= 0 && status < 1000 ? status : 0);
	while (*list) {
		size_t n;

		list += strspn(list, " ,");
		n = strcspn(list, " ,");
		if (n == 3 && (list[0] == code[0]) &&
		    (list[1] == code[1] || list[1] == 'x' || list[1] == 'X') &&
		    (list[2] == code[2] || list[2] == 'x' || list[2] == 'X'))
			return true;
		list += n;
	}
	return false;
}

/* The node at a dotted path ("requires2FA", "data.items[0].id"), or NULL. */
static const cJSON *
json_at(const cJSON *node, const char *path, size_t len)
{
	size_t i = 0;

	while (node && i < len) {
		char key[128];
		size_t k = 0;

		if (path[i] == '[') {
			long idx = strtol(path + i + 1, NULL, 10);
			const char *rb = memchr(path + i, ']', len - i);

			if (!rb || idx < 0 || !cJSON_IsArray(node))
				return NULL;
			node = cJSON_GetArrayItem(node, (int)idx);
			i = (size_t)(rb - path) + 1;
		} else {
			while (i < len && path[i] != '.' && path[i] != '[' && k + 1 < sizeof key)
				key[k++] = path[i++];
			key[k] = '\0';
			if (!cJSON_IsObject(node))
				return NULL;
			node = cJSON_GetObjectItemCaseSensitive(node, key);
		}
		if (i < len && path[i] == '.')
			i++;
	}
	return node;
}

/* Does node equal the text value ("true", "403", "STORE_ACCESS_DENIED",
 * "\"x\"")? */
static bool
json_equals(const cJSON *node, const char *v)
{
	size_t n = strlen(v);

	if (cJSON_IsString(node)) {
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
			return strlen(node->valuestring) == n - 2 &&
			       strncmp(node->valuestring, v + 1, n - 2) == 0;
		return strcmp(node->valuestring, v) == 0;
	}
	if (cJSON_IsBool(node))
		return strcmp(v, cJSON_IsTrue(node) ? "true" : "false") == 0;
	if (cJSON_IsNull(node))
		return strcmp(v, "null") == 0;
	if (cJSON_IsNumber(node)) {
		char *end;
		double d = strtod(v, &end);

		return end != v && *end == '\0' && d == node->valuedouble;
	}
	return false;
}

/* Check one "PATH = VALUE" / "PATH" line against doc; false with why. */
static bool
json_ok(const cJSON *doc, const char *line, char *why, size_t size)
{
	const char *eq = strchr(line, '=');
	size_t plen = eq ? (size_t)(eq - line) : strlen(line);
	char value[128] = "";
	const cJSON *node;

	while (plen > 0 && line[plen - 1] == ' ')
		plen--;
	if (eq) {
		const char *v = eq + 1 + strspn(eq + 1, " ");

		snprintf(value, sizeof value, "%s", v);
	}
	if (!doc) {
		snprintf(why, size, "the answer is not JSON (expected %.*s)", (int)plen, line);
		return false;
	}
	node = json_at(doc, line, plen);
	if (!node) {
		snprintf(why, size, "no %.*s in the answer", (int)plen, line);
		return false;
	}
	if (eq && !json_equals(node, value)) {
		snprintf(why, size, "%.*s is not %s", (int)plen, line, value);
		return false;
	}
	return true;
}

/* The value of header name[0..len) (case-insensitive), or NULL. */
static const char *
header_of(const struct wm_http_header *h, size_t nh, const char *name, size_t len)
{
	for (size_t i = 0; i < nh; i++)
		if (h[i].name && strlen(h[i].name) == len && strncasecmp(h[i].name, name, len) == 0)
			return h[i].value ? h[i].value : "";
	return NULL;
}

/* Does the case-insensitive text t[0..n) occur in s? */
static bool
has_text(const char *s, const char *t, size_t n)
{
	for (; *s; s++)
		if (strncasecmp(s, t, n) == 0)
			return true;
	return n == 0;
}

/* One requirement "A | B: text": one alternative present (and holding its
 * text); false with the requirement named in why. */
static bool
header_ok(const struct wm_http_header *h, size_t nh, const char *req, size_t len, char *why,
	  size_t size)
{
	const char *p = req, *end = req + len;

	while (p < end) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *alt_end = bar ? bar : end, *colon;
		const char *v;

		p += strspn(p, " ");
		colon = memchr(p, ':', (size_t)(alt_end - p));
		{
			const char *ne = colon ? colon : alt_end;
			const char *t = colon ? colon + 1 + strspn(colon + 1, " ") : alt_end;
			size_t tl = (size_t)(alt_end - t);

			while (ne > p && ne[-1] == ' ')
				ne--;
			while (tl > 0 && t[tl - 1] == ' ')
				tl--;
			v = header_of(h, nh, p, (size_t)(ne - p));
			if (v && has_text(v, t, tl))
				return true;
		}
		p = bar ? bar + 1 : end;
	}
	while (len > 0 && req[len - 1] == ' ')
		len--;
	while (len > 0 && *req == ' ')
		req++, len--;
	snprintf(why, size, "no %.*s header", (int)len, req);
	return false;
}

int
wm_probe_judge(const struct wm_probe *p, long status, const struct wm_http_header *h, size_t nh,
	       const char *body, size_t len, char *why, size_t size)
{
	const char *want = p->status[0] ? p->status : "2xx";
	cJSON *doc = NULL;
	int rc = 0;

	why[0] = '\0';
	if (!status_in(want, status)) {
		/* answers that say nothing about the protection */
		if (status == 429 || status == 404 || status >= 500 || (status == 401 && p->login))
			rc = 2;
		else
			rc = 1;
		snprintf(why, size, "answered %ld, expected %s%s", status, want,
			 status == 429	 ? " (rate limited)"
			 : status == 401 ? " (the token was refused)"
					 : "");
		return rc;
	}
	if (p->json[0][0] || p->json[1][0])
		doc =
		    cJSON_ParseWithLength(body, len < WM_PROBE_BODY_MAX ? len : WM_PROBE_BODY_MAX);
	for (int i = 0; rc == 0 && i < 2; i++)
		if (p->json[i][0] && !json_ok(doc, p->json[i], why, size))
			rc = 1;
	cJSON_Delete(doc);
	for (const char *q = p->headers; rc == 0 && *q;) {
		size_t n = strcspn(q, ",");

		if (!header_ok(h, nh, q, n, why, size))
			rc = 1;
		q += n;
		q += *q == ',';
	}
	if (rc == 0)
		snprintf(why, size, "answered %ld as expected", status);
	return rc;
}
