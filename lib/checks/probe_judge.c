/* probe_judge.c - was a probe refused as it must be?  Pure: the answer's
 * status, headers and body in, a verdict and a reason out (see probe.h),
 * judged by http_expect.h (as wm-smoke's steps are) and worded for
 * wm-security.  The body is hostile input: parsed by cJSON within
 * WM_PROBE_BODY_MAX, never echoed. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "checks/http_expect.h"
#include "checks/probe.h"

/* Check one "PATH = VALUE" / "PATH" line against doc; false with why. */
static bool
json_ok(const cJSON *doc, const char *line, char *why, size_t size)
{
	char path[128], value[128];
	const cJSON *node;
	bool eq;

	wm_expect_split(line, '=', path, sizeof path, value, sizeof value, &eq);
	if (!doc) {
		snprintf(why, size, "the answer is not JSON (expected %s)", path);
		return false;
	}
	node = wm_expect_json_path(doc, path, NULL);
	if (!node) {
		snprintf(why, size, "no %s in the answer", path);
		return false;
	}
	if (eq && !wm_expect_json_equals(node, value)) {
		snprintf(why, size, "%s is not %s", path, value);
		return false;
	}
	return true;
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
			v = wm_expect_header(h, nh, p, (size_t)(ne - p));
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
	if (!wm_expect_status_in(want, status)) {
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
	if (p->json[0][0])
		doc = wm_expect_json_parse(body, len < WM_PROBE_BODY_MAX ? len : WM_PROBE_BODY_MAX);
	for (int i = 0; rc == 0 && i < WM_PROBE_NJSON; i++)
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
	if (rc == 0 && p->body_pattern[0]) {
		/* no match: got through; a pattern that cannot run: not judged */
		rc = wm_expect_body(p->body_pattern, body,
				    len < WM_PROBE_BODY_MAX ? len : WM_PROBE_BODY_MAX, why, size);
		rc = rc < 0 ? 2 : rc;
	}
	if (rc == 0)
		snprintf(why, size, "answered %ld as expected", status);
	return rc;
}
